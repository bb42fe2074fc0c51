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
from collections.abc import Iterable, Mapping, Sequence
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
        self._sustained = population.sustained_known
        self._index: CoAccusals | None = None  # for `row`: built on its first call
        self._flat: _Flat | None = None  # for `rows`: built on its first call
        self._position: dict[int, int] = {}

    @property
    def _network(self) -> CoAccusals:
        if self._index is None:
            self._index = CoAccusals(self.population.involvements)
        return self._index

    def rows(self, as_of: date, officers: Sequence[OfficerHistory] | None = None) -> FeatureRows:
        """The rows of the officers serving on `as_of` (or of those given, serving or not).

        Set-based: every officer's records are laid out once in arrays (`_Flat`), and each
        feature of every row is then counted at once over them; `row`, one officer at a time,
        says the same in plain Python (a test holds the two equal)."""
        everyone = self.population.officers
        if self._flat is None:
            self._flat = _Flat.of(everyone, self.population)
            self._position = {id(o): i for i, o in enumerate(everyone)}
        chosen = ([o for o in everyone if o.active(as_of)] if officers is None
                  else list(officers))
        where = [self._position.get(id(o), -1) for o in chosen]
        if -1 in where:  # officers of no population of ours: laid out on their own
            flat, index = _Flat.of(chosen, self.population), np.arange(len(chosen))
        else:
            flat, index = self._flat, np.asarray(where, dtype=np.int64)
        values = flat.values(as_of, index)
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


_NEVER = 1 << 40  # a day after every day: a case never closed, a complaint with no day
#: A complaint's finding as the windows count it; a case not closed on the day is pending.
_SUSTAINED, _NOT_SUSTAINED, _CLEARED_CODE, _NO_COUNT, _PENDING_CODE = range(5)
_CODES = {"sustained": _SUSTAINED, "not_sustained": _NOT_SUSTAINED, "unfounded": _CLEARED_CODE,
          "exonerated": _CLEARED_CODE, PENDING: _PENDING_CODE}

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def _ints(values: Iterable[int]) -> Ints:
    return np.fromiter(values, dtype=np.int64)


def _floats(values: Iterable[float]) -> Floats:
    return np.fromiter(values, dtype=np.float64)


def _bools(values: Iterable[bool]) -> Bools:
    return np.fromiter(values, dtype=np.bool_)


class _Records:
    """One kind of record of every officer, one after the other: the officer of each record
    (its index in the list laid out), where each officer's records start, and each record's
    place among its officer's (0: the first)."""

    def __init__(self, sizes: list[int]) -> None:
        counts = np.asarray(sizes, dtype=np.int64)
        self.officer = np.repeat(np.arange(len(counts)), counts)
        self.starts = np.cumsum(counts) - counts
        self.place = np.arange(int(counts.sum())) - self.starts[self.officer]
        self.n = len(counts)

    def count(self, mask: Bools) -> Ints:
        """How many records of each officer the mask holds."""
        return np.bincount(self.officer[mask], minlength=self.n).astype(np.int64)

    def last(self, held: Ints) -> Ints:
        """The index of each officer's last record of the first `held` (any index when
        `held` is 0: the caller masks it)."""
        return np.where(held > 0, self.starts + held - 1, 0)


class _Flat:
    """Every officer's records laid out in arrays, each officer's in the order
    `OfficerHistory` sorts them (complaints by the day known, postings by start, pay by year,
    verdicts by day), so that what was known on a day is a prefix of each officer's; and the
    co-accusal network as the pairs of accused of each complaint, dated."""

    def __init__(self, officers: Sequence[OfficerHistory], population: Population) -> None:
        n = self.n = len(officers)
        complaints = [c for o in officers for c in o.complaints]
        self.c = _Records([len(o.complaints) for o in officers])
        self.c_known = _ints(k for o in officers for k in o._known)
        self.c_closed = _ints(c.closed.toordinal() if c.closed is not None else _NEVER
                              for c in complaints)
        self.c_code = _ints(_CODES.get(c.finding, _NO_COUNT) for c in complaints)
        self.c_civilian = _bools(c.civilian for c in complaints)
        self.c_force = _bools(_FORCE in c.categories for c in complaints)
        self.c_authority = _bools(_AUTHORITY in c.categories for c in complaints)
        self.c_other = _bools(bool(c.categories - {_FORCE, _AUTHORITY}) for c in complaints)

        postings = [p for o in officers for p in o.postings]
        self.p = _Records([len(o.postings) for o in officers])
        self.p_start = _ints(p.start.toordinal() for p in postings)
        units: dict[str, int] = {}
        self.p_unit = _ints(units.setdefault(p.unit, len(units)) for p in postings)
        self.units = max(len(units), 1)

        pay = [y for o in officers for y in o.pay]
        self.y = _Records([len(o.pay) for o in officers])
        self.y_year = _ints(y.year for y in pay)
        self.y_salary = _floats(_NAN if y.salary is None else y.salary for y in pay)
        levels: dict[str | None, float] = {}
        self.y_rank = _floats(levels[y.rank] if y.rank in levels else
                              levels.setdefault(y.rank, rank_level(y.rank)) for y in pay)

        trust = [t for o in officers for t in o.trust_controls]
        self.t = _Records([len(o.trust_controls) for o in officers])
        self.t_decided = _ints(t.decided.toordinal() for t in trust)
        self.t_approved = _bools(t.approved for t in trust)

        self.appointed = _floats(o.appointed.toordinal() if o.appointed is not None else _NAN
                                 for o in officers)
        self.birth_year = _floats(o.birth_year if o.birth_year else _NAN for o in officers)
        self._network(officers, population)
        assert len(self.appointed) == n

    def _network(self, officers: Sequence[OfficerHistory], population: Population) -> None:
        """The accused of each complaint (its day: the first involvement's, as `CoAccusals`
        keeps it), every ordered pair of two of them, and the day each accused's first
        sustained finding became known."""
        nodes: dict[str, int] = {}
        day: dict[str, int] = {}
        accused: dict[str, dict[int, None]] = {}
        for item in population.involvements:
            node = nodes.setdefault(item.accused, len(nodes))
            if item.complaint not in day:
                day[item.complaint] = (item.day.toordinal() if item.day is not None
                                       else _NEVER)
                accused[item.complaint] = {}
            accused[item.complaint][node] = None
        a: list[int] = []
        b: list[int] = []
        when: list[int] = []
        for key, people in accused.items():
            if len(people) < 2:
                continue
            for x in people:
                for y in people:
                    if x != y:
                        a.append(x)
                        b.append(y)
                        when.append(day[key])
        self.nodes = max(len(nodes), 1)
        self.pair_a, self.pair_b, self.pair_day = _ints(a), _ints(b), _ints(when)
        self.first_sustained = np.full(self.nodes, _NEVER, dtype=np.int64)
        for key, days in population.sustained_known.items():
            if key in nodes and days:
                self.first_sustained[nodes[key]] = days[0].toordinal()
        self.node = _ints(nodes.get(o.officer, -1) for o in officers)

    @classmethod
    def of(cls, officers: Sequence[OfficerHistory], population: Population) -> _Flat:
        return cls(officers, population)

    def values(self, as_of: date, index: Ints) -> Floats:
        """The rows (FEATURES) of the officers at `index`, as of the day."""
        out = np.zeros((self.n, len(FEATURES)), dtype=np.float64)
        day = as_of.toordinal()
        self._complaint_features(out, day)
        self._network_features(out, day)
        self._posting_features(out, day)
        self._person_features(out, day, as_of.year)
        return out[index]

    def _complaint_features(self, out: Floats, day: int) -> None:
        c = self.c
        known = self.c_known <= day
        age = day - self.c_known
        code = np.where(self.c_closed <= day, self.c_code, _PENDING_CODE)
        counted: dict[str, Bools] = {
            "complaints": np.ones(len(code), dtype=np.bool_), "civilian": self.c_civilian,
            "departmental": ~self.c_civilian, "force": self.c_force,
            "authority": self.c_authority, "other_category": self.c_other,
            "sustained": code == _SUSTAINED, "not_sustained": code == _NOT_SUSTAINED,
            "cleared": code == _CLEARED_CODE, "pending": code == _PENDING_CODE}
        for window, days in WINDOWS:
            inside = known & (age < days)
            for what, mask in counted.items():
                out[:, _AT[f"{what}_{window}"]] = c.count(inside & mask)
        out[:, _AT["complaints_career"]] = c.count(known)
        out[:, _AT["sustained_career"]] = c.count(known & counted["sustained"])

    def _network_features(self, out: Floats, day: int) -> None:
        inside = self.pair_day <= day
        pairs, shared = np.unique(self.pair_a[inside] * self.nodes + self.pair_b[inside],
                                  return_counts=True)
        who, partner = pairs // self.nodes, pairs % self.nodes
        linked = self.node >= 0
        node = self.node[linked]
        for name, chosen in (
                ("partners", who), ("repeat_partners", who[shared >= 2]),
                ("partners_sustained", who[self.first_sustained[partner] <= day])):
            out[linked, _AT[name]] = np.bincount(chosen, minlength=self.nodes)[node]

    def _posting_features(self, out: Floats, day: int) -> None:
        p = self.p
        started = self.p_start <= day
        held = p.count(started)
        serving = held > 0
        current = p.last(held)
        for window, days in (("1y", 365), ("5y", 1826)):
            out[:, _AT[f"transfers_{window}"]] = p.count(
                started & (p.place > 0) & (self.p_start > day - days))
        recent = started & (self.p_start > day - 1826)
        officers = np.concatenate((p.officer[recent], np.flatnonzero(serving)))
        units = np.concatenate((self.p_unit[recent], self.p_unit[current[serving]]))
        distinct = np.unique(officers * self.units + units) // self.units
        out[:, _AT["units_5y"]] = np.bincount(distinct, minlength=self.n)
        out[:, _AT["days_in_unit"]] = _NAN
        out[serving, _AT["days_in_unit"]] = day - self.p_start[current[serving]]

    def _person_features(self, out: Floats, day: int, year: int) -> None:
        out[:, _AT["tenure_years"]] = (day - self.appointed) / 365.25
        out[:, _AT["age"]] = year - self.birth_year
        y = self.y
        held = y.count(self.y_year < year)
        has = held > 0
        last = y.last(held)
        out[:, _AT["rank_level"]] = _NAN
        out[:, _AT["salary"]] = _NAN
        out[:, _AT["salary_change"]] = _NAN
        if has.any():
            out[has, _AT["rank_level"]] = self.y_rank[last[has]]
            salary = self.y_salary[last[has]]
            out[has, _AT["salary"]] = salary
            two = held[has] > 1
            before = np.where(two, last[has] - 1, 0)
            change = two & ~np.isnan(self.y_salary[before]) & (
                self.y_year[before] == self.y_year[last[has]] - 1)
            out[has, _AT["salary_change"]] = np.where(change, salary - self.y_salary[before],
                                                      _NAN)
        t = self.t
        known = self.t_decided <= day
        held = t.count(known)
        out[:, _AT["trust_control_days"]] = _NAN
        if known.any():
            last = t.last(held)
            has = held > 0
            out[has, _AT["trust_control_days"]] = day - self.t_decided[last[has]]
        out[:, _AT["trust_control_not_approved"]] = t.count(known & ~self.t_approved)
