"""The Chicago files made into the risk features' plain histories (the adapter).

The complaints and their accused come as the integrity rules read them (shipped mappings:
allegation catalogue keys, findings, channel). The accused file carries no officer id, so each
accused is linked as the integrity rules link them (`complaints_links.Linker`: the name and two
of birth year, appointment day and star, nothing disagreeing) — against the final profiles,
whose `UID` also keys the unit history and the salaries. An accused who links to no profile
stays in the co-accusal network as their own node. ADR 0032 says why this link.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from confianza.core.errors import FieldError, ValidationFailed
from confianza.identities.rules.people import Person, person
from confianza.integrity.rules.complaints import Accusation, Complaint
from confianza.integrity.rules.complaints_links import Linker, LinkOutcome, network_key
from confianza.integrity.rules.network import Involvement
from confianza.registry.rules.roster_file import RosterFile
from confianza.risk.rules.history import (
    ComplaintEvent,
    OfficerHistory,
    PayYear,
    Population,
    Posting,
    most_serious,
)

PROFILE_COLUMNS = ("UID", "first_name", "last_name", "middle_initial", "birth_year", "race",
                   "gender", "appointed_date", "resignation_date", "current_star")
UNIT_COLUMNS = ("UID", "unit", "unit_start_date", "unit_end_date")
SALARY_COLUMNS = ("UID", "year", "salary", "rank")
_WHOLE = re.compile(r"^\s*(\d+)(?:\.0*)?\s*$")
_SHORT_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$")
#: The profiles write years with two digits; a year past this one is of the last century.
_PIVOT = 2024


@dataclass(frozen=True)
class ChicagoData:
    population: Population
    links: Counter[LinkOutcome]  # by distinct accused identity
    linked_rows: int
    faults: tuple[FieldError, ...]  # cells left blank because they could not be read


class _Table:
    """A CSV file's rows by column name; missing columns refuse the file, naming them."""

    def __init__(self, file: RosterFile, columns: Sequence[str]) -> None:
        rows = file.rows(",")
        try:
            _, header = next(rows)
        except StopIteration:
            raise ValidationFailed(FieldError(f"{file.name}:1", "the file is empty")) from None
        index = {name.strip(): i for i, name in enumerate(header)}
        missing = [c for c in columns if c not in index]
        if missing:
            raise ValidationFailed([FieldError(f"{file.name}:1:{c}", f"the file has no column "
                                               f"{c!r}") for c in missing])
        self.name, self._rows, self._index = file.name, rows, index
        self.faults: list[FieldError] = []

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        for line, cells in self._rows:
            if cells:
                yield line, {c: cells[i].strip() if i < len(cells) else ""
                             for c, i in self._index.items()}

    def fault(self, line: int, column: str, value: str, what: str) -> None:
        self.faults.append(FieldError(f"{self.name}:{line}:{column}",
                                      f"{value!r} is not {what}; read as blank"))

    def whole(self, line: int, row: dict[str, str], column: str) -> int | None:
        text = row[column]
        if not text:
            return None
        found = _WHOLE.match(text)
        if found is None:
            self.fault(line, column, text, "a whole number")
            return None
        return int(found.group(1))

    def day(self, line: int, row: dict[str, str], column: str) -> date | None:
        text = row[column]
        if not text:
            return None
        try:
            short = _SHORT_DATE.match(text)
            if short:
                month, day_, yy = (int(g) for g in short.groups())
                year = 2000 + yy if 2000 + yy <= _PIVOT else 1900 + yy
                return date(year, month, day_)
            return date.fromisoformat(text[:10])
        except ValueError:
            self.fault(line, column, text, "a date")
            return None

    def number(self, line: int, row: dict[str, str], column: str) -> float | None:
        text = row[column]
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            self.fault(line, column, text, "a number")
            return None


@dataclass(frozen=True)
class _Profile:
    uid: int
    birth_year: int | None
    race: str | None
    sex: str | None
    appointed: date | None
    left: date | None


def _profiles(file: RosterFile) -> tuple[list[_Profile], list[Person], dict[str, frozenset[str]],
                                         list[FieldError]]:
    table = _Table(file, PROFILE_COLUMNS)
    profiles, people, badges = [], [], {}
    for line, row in table:
        uid = table.whole(line, row, "UID")
        if uid is None:
            continue
        birth = table.whole(line, row, "birth_year")
        appointed = table.day(line, row, "appointed_date")
        key = f"o:{uid}"
        profiles.append(_Profile(uid, birth, row["race"] or None, row["gender"] or None,
                                 appointed, table.day(line, row, "resignation_date")))
        given = " ".join(p for p in (row["first_name"], row["middle_initial"]) if p)
        people.append(person(key, given, row["last_name"], None, None, birth,
                             row["gender"] or None, None, (), appointed, None))
        star = table.whole(line, row, "current_star")
        badges[key] = frozenset({str(star)} if star is not None else ())
    return profiles, people, badges, table.faults


def _postings(file: RosterFile) -> tuple[dict[int, list[Posting]], list[FieldError]]:
    table = _Table(file, UNIT_COLUMNS)
    found: dict[int, list[Posting]] = defaultdict(list)
    for line, row in table:
        uid, unit = table.whole(line, row, "UID"), table.whole(line, row, "unit")
        start = table.day(line, row, "unit_start_date")
        if uid is not None and unit is not None and start is not None:
            found[uid].append(Posting(str(unit), start, table.day(line, row, "unit_end_date")))
    return found, table.faults


def _pay(file: RosterFile) -> tuple[dict[int, list[PayYear]], list[FieldError]]:
    table = _Table(file, SALARY_COLUMNS)
    by_year: dict[tuple[int, int], PayYear] = {}
    for line, row in table:
        uid, year = table.whole(line, row, "UID"), table.whole(line, row, "year")
        if uid is None or year is None:
            continue
        salary = table.number(line, row, "salary")
        seen = by_year.get((uid, year))
        # Two rows of one year (a promotion): the higher pay and its rank.
        if seen is None or (salary or 0) > (seen.salary or 0):
            by_year[(uid, year)] = PayYear(year, salary, row["rank"] or None)
    found: dict[int, list[PayYear]] = defaultdict(list)
    for (uid, _), pay in by_year.items():
        found[uid].append(pay)
    return found, table.faults


def chicago_population(complaints: Sequence[Complaint], accused: Sequence[Accusation],
                       profiles: RosterFile, units: RosterFile, salaries: RosterFile
                       ) -> ChicagoData:
    """Every profile's history, the network of every accused, and what the linking did."""
    people_rows, people, badges, faults = _profiles(profiles)
    postings, unit_faults = _postings(units)
    pay, pay_faults = _pay(salaries)
    linker = Linker(people, badges)
    links = {who: linker.link(who) for who in dict.fromkeys(a.identity for a in accused)}
    by_complaint = {c.key: c for c in complaints}
    # Per accused node and complaint: the allegations, the sustained ones, the findings.
    grouped: dict[tuple[str, str], list[Accusation]] = defaultdict(list)
    linked_rows = 0
    for a in accused:
        if a.complaint not in by_complaint:
            continue
        link = links[a.identity]
        linked_rows += link.outcome is LinkOutcome.LINKED
        grouped[(network_key(link, a.identity, a.key), a.complaint)].append(a)
    events: dict[str, list[ComplaintEvent]] = defaultdict(list)
    others: list[tuple[Involvement, date | None]] = []
    days = []
    for (node, key), rows in grouped.items():
        c = by_complaint[key]
        known, happened = c.complaint_date or c.incident_date, c.incident_date or c.complaint_date
        if known is None or happened is None:
            continue
        days.append(known)
        finding = most_serious(a.finding for a in rows)
        if node.startswith("o:"):
            events[node].append(ComplaintEvent(
                key, known, happened, c.civilian, frozenset(a.allegation for a in rows),
                frozenset(a.allegation for a in rows if a.finding == "sustained"),
                finding, c.closed_date))
        else:
            others.append((Involvement(key, known, c.civilian, node, finding), c.closed_date))
    if not days:
        raise ValidationFailed(FieldError("complaints", "no dated complaint names an accused"))
    officers = [
        OfficerHistory(f"o:{p.uid}", p.appointed, p.left, p.birth_year, p.race, p.sex,
                       tuple(events.get(f"o:{p.uid}", ())), tuple(postings.get(p.uid, ())),
                       tuple(pay.get(p.uid, ())))
        for p in people_rows]
    population = Population.of(officers, starts=_first_full_year(days), ends=max(days),
                               others=others)
    return ChicagoData(population, Counter(link.outcome for link in links.values()),
                       linked_rows, (*faults, *unit_faults, *pay_faults))


def _first_full_year(days: list[date]) -> date:
    """Where the data starts: 1 January of the first year holding at least a tenth of an
    average year's complaints (Chicago's file has a few stray years before 2000)."""
    years = Counter(d.year for d in days)
    floor = len(days) / len(years) / 10
    return date(min(y for y, n in years.items() if n >= floor), 1, 1)
