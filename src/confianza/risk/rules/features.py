"""The features of each officer as of a day, from their history and nothing after it.

What a feature may read on day D: complaints made on or before D (`ComplaintEvent.known`),
findings of cases closed on or before D (`finding_on`), co-accusals in complaints made on or
before D and the partners' sustained findings known by then, postings that started on or
before D, and the pay of calendar years over before D. Windows are (D - length, D].
Race and sex are never features: they are kept beside the rows for the fairness report.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from confianza.integrity.rules.network import CoAccusals, Window
from confianza.risk.rules.history import PENDING, OfficerHistory, Population

#: The windows, (name, days): 90 days, one, two and five years.
WINDOWS: tuple[tuple[str, int], ...] = (("90d", 90), ("1y", 365), ("2y", 730), ("5y", 1826))
#: What is counted in every window: the complaints, by channel, category and known finding.
COUNTS = ("complaints", "civilian", "departmental", "force", "authority", "other_category",
          "sustained", "not_sustained", "cleared", "pending")
_FORCE, _AUTHORITY = "use_of_force", "abuse_of_authority"
_CLEARED = frozenset({"unfounded", "exonerated"})
#: The rest, one value each.
SINGLE = ("complaints_career", "sustained_career", "partners", "repeat_partners",
          "partners_sustained", "transfers_1y", "transfers_5y", "units_5y", "days_in_unit",
          "tenure_years", "age", "rank_level", "salary", "salary_change",
          "trust_control_days", "trust_control_not_approved")

FEATURES: tuple[str, ...] = tuple(
    f"{what}_{window}" for window, _ in WINDOWS for what in COUNTS) + SINGLE
_AT = {name: i for i, name in enumerate(FEATURES)}
_NAN = math.nan

#: Rank words, most senior first, to a level (0 = police officer). Chicago's salary file
#: names ranks in words; a registry would give its own rank codes the same levels.
_RANKS = (("SUPERINTENDENT", 5), ("CHIEF", 5), ("COMMANDER", 4), ("CAPTAIN", 4),
          ("LIEUTENANT", 3), ("SERGEANT", 2), ("DETECTIVE", 1), ("INVESTIGATOR", 1),
          ("SPECIALIST", 1), ("TECHNICIAN", 1), ("POLICE OFFICER", 0), ("PO ", 0),
          # The registry's career scale (vetting.rules.evaluations.RANK_LEVELS), in its words.
          ("COMISARIO", 4), ("INSPECTOR", 3), ("OFICIAL", 2), ("POLICÍA", 0))


def rank_level(rank: str | None) -> float:
    text = (rank or "").upper()
    return next((float(level) for word, level in _RANKS if word in text), _NAN)


@dataclass(frozen=True)
class FeatureRows:
    """One row per officer as of one day, with what the evaluation keeps beside each row."""

    as_of: date
    officers: tuple[str, ...]
    values: npt.NDArray[np.float64]  # officers x FEATURES
    race: tuple[str | None, ...]
    sex: tuple[str | None, ...]

    def column(self, name: str) -> npt.NDArray[np.float64]:
        return self.values[:, _AT[name]]

    def __len__(self) -> int:
        return len(self.officers)


class FeatureBuilder:
    """The population's network indexed once; then the rows of any day."""

    def __init__(self, population: Population) -> None:
        self.population = population
        self._network = CoAccusals(population.involvements)
        self._sustained = population.sustained_known

    def rows(self, as_of: date, officers: Sequence[OfficerHistory] | None = None) -> FeatureRows:
        """The rows of the officers serving on `as_of` (or of those given, serving or not)."""
        chosen = [o for o in self.population.officers if o.active(as_of)] if (
            officers is None) else list(officers)
        values = np.empty((len(chosen), len(FEATURES)), dtype=np.float64)
        for i, officer in enumerate(chosen):
            values[i] = self.row(officer, as_of)
        return FeatureRows(as_of, tuple(o.officer for o in chosen), values,
                           tuple(o.race for o in chosen), tuple(o.sex for o in chosen))

    def row(self, officer: OfficerHistory, as_of: date) -> list[float]:
        row = [0.0] * len(FEATURES)
        known = officer.known_until(as_of)
        longest = as_of - timedelta(days=WINDOWS[-1][1])
        for c in reversed(officer.complaints[:known]):
            if c.known <= longest:
                break
            age = (as_of - c.known).days
            finding = c.finding_on(as_of)
            counted = ["complaints", "civilian" if c.civilian else "departmental"]
            if _FORCE in c.categories:
                counted.append("force")
            if _AUTHORITY in c.categories:
                counted.append("authority")
            if c.categories - {_FORCE, _AUTHORITY}:
                counted.append("other_category")
            if finding == "sustained":
                counted.append("sustained")
            elif finding == "not_sustained":
                counted.append("not_sustained")
            elif finding in _CLEARED:
                counted.append("cleared")
            elif finding == PENDING:
                counted.append("pending")
            for window, days in WINDOWS:
                if age < days:
                    for what in counted:
                        row[_AT[f"{what}_{window}"]] += 1
        row[_AT["complaints_career"]] = known
        row[_AT["sustained_career"]] = sum(
            1 for c in officer.complaints[:known] if c.finding_on(as_of) == "sustained")
        self._network_features(row, officer.officer, as_of)
        _posting_features(row, officer, as_of)
        _person_features(row, officer, as_of)
        return row

    def _network_features(self, row: list[float], key: str, as_of: date) -> None:
        if key not in self._network:
            return
        partners = self._network.partners(key, Window(until=as_of, civilian_only=False,
                                                      min_shared=1))
        row[_AT["partners"]] = len(partners)
        row[_AT["repeat_partners"]] = sum(1 for p in partners if p.shared >= 2)
        # Whether a partner had a sustained finding is read from when it became known, never
        # from Partner.sustained_together, which reads findings known only later.
        row[_AT["partners_sustained"]] = sum(
            1 for p in partners if bisect_right(self._sustained.get(p.accused, ()), as_of))


def _posting_features(row: list[float], officer: OfficerHistory, as_of: date) -> None:
    started = [p for p in officer.postings if p.start <= as_of]
    if not started:
        row[_AT["days_in_unit"]] = _NAN
        return
    first = officer.postings[0]
    for window, days in (("1y", 365), ("5y", 1826)):
        since = as_of - timedelta(days=days)
        row[_AT[f"transfers_{window}"]] = sum(
            1 for p in started if p.start > since and p is not first)
    since = as_of - timedelta(days=1826)
    current = started[-1]
    row[_AT["units_5y"]] = len({p.unit for p in started if p.start > since} | {current.unit})
    row[_AT["days_in_unit"]] = (as_of - current.start).days


def _person_features(row: list[float], officer: OfficerHistory, as_of: date) -> None:
    row[_AT["tenure_years"]] = ((as_of - officer.appointed).days / 365.25
                                if officer.appointed is not None else _NAN)
    row[_AT["age"]] = as_of.year - officer.birth_year if officer.birth_year else _NAN
    past = [p for p in officer.pay if p.year < as_of.year]
    last = past[-1] if past else None
    row[_AT["rank_level"]] = rank_level(last.rank) if last else _NAN
    salary = last.salary if last and last.salary is not None else _NAN
    row[_AT["salary"]] = salary
    before = past[-2] if len(past) > 1 else None
    row[_AT["salary_change"]] = (salary - before.salary if before is not None and
                                 before.salary is not None and last is not None and
                                 before.year == last.year - 1 else _NAN)
    _trust_control_features(row, officer, as_of)


def _trust_control_features(row: list[float], officer: OfficerHistory, as_of: date) -> None:
    """The age of the last trust-control verdict known on the day, and how many were not
    approved (an officer not approved is normally separated; one still serving is on appeal
    or reinstated, which is what the count says)."""
    known = [t for t in officer.trust_controls if t.decided <= as_of]
    row[_AT["trust_control_days"]] = (as_of - known[-1].decided).days if known else _NAN
    row[_AT["trust_control_not_approved"]] = sum(1 for t in known if not t.approved)


def feature_index() -> Mapping[str, int]:
    return dict(_AT)
