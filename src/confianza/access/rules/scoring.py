"""Scoring what explanation leaves (issue 19 §2, ADR 0037 addendum): each signal a named, pure
rule over one reader's suspect reads of a window of days, weighed against the reader's own
history and their peers' (same role and scope).

A read is *suspect* when no rule explains it, or when only navigation explains it (the reader's
own search or roster page put the officer before them: `search_result` says how the record was
reached, not why it was wanted). Navigation-only reads weigh `NAVIGATION_WEIGHT` where the
signal counts volume (an unfamiliar record, more than usual), and fully where the pattern itself
is the warning (a burst, a night, one unit, one case, a confidential case).

Each signal gives points and says why in Spanish and English, naming the reads behind it; the
window's points against the threshold (settings: `access_alert_threshold`) make an alert.
Nothing here queries anything: the service hands over the reads, the facts and the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from confianza.access.rules.facts import Facts, Reader
from confianza.access.rules.reads import Read

#: Rules that say how a record was reached, not why it was wanted.
NAVIGATION_RULES = frozenset({"search_result"})
NAVIGATION_WEIGHT = 0.25
#: Calendar days scored together (the detection day and the days before it).
WINDOW_DAYS = 7
#: How far back the reader's and their peers' history is read.
LOOKBACK = timedelta(days=28)
#: The working day, in the civil time of the reader's zone, Monday to Friday.
WORK_START, WORK_END = time(7, 0), time(20, 0)
#: A burst: this many suspect reads within `BURST_SPAN`.
BURST_READS, BURST_SPAN = 10, timedelta(hours=1)
#: Many officers of one unit in one day, of one case in the window.
UNIT_OFFICERS, CASE_OFFICERS = 5, 3
#: Suspect reads beyond the reader's own usual count before they are "more than usual".
OWN_SLACK = 2.0
DEFAULT_THRESHOLD = 10.0

#: The civil time of a state's offices (INEGI state codes) where it is not the deployment's.
STATE_ZONES: Mapping[str, str] = {
    "02": "America/Tijuana", "03": "America/Mazatlan", "08": "America/Chihuahua",
    "18": "America/Mazatlan", "23": "America/Cancun", "25": "America/Mazatlan",
    "26": "America/Hermosillo",
}


def reader_zone(reader: Reader, deployment: tzinfo) -> tzinfo:
    """The zone of the reader's office: their state's where their scope names one, else the
    deployment's."""
    state = reader.scope.state_code
    if state is None or state not in STATE_ZONES:
        return deployment
    return ZoneInfo(STATE_ZONES[state])


@dataclass(frozen=True, slots=True)
class Suspect:
    read: Read
    navigation: bool  # explained only by how it was reached

    @property
    def weight(self) -> float:
        return NAVIGATION_WEIGHT if self.navigation else 1.0


def suspect(read: Read, explained_by: Iterable[str]) -> Suspect | None:
    """The read as scoring sees it, or None when work explains it."""
    names = set(explained_by)
    if names - NAVIGATION_RULES:
        return None
    return Suspect(read, navigation=bool(names))


class _Test(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def test(self) -> Callable[[Read, Reader, Facts], bool]: ...


def judge(read: Read, reader: Reader, facts: Facts, rules: Sequence[_Test]) -> Suspect | None:
    """`suspect` of the rules that explain the read, found with as few tests as that needs:
    the first rule of work that explains it settles it; navigation is tried only when none
    does. `rules`: those that may explain this reader's reads (`explanations.for_role`)."""
    return Judge(rules)(read, reader, facts)


Test = Callable[[Read, Reader, Facts], bool]


class Judge:
    """`judge` with the rules sorted once: the tests of work, then those of navigation. Which
    rule of work explains a read first changes nothing (any one settles it), so they are
    tried in the order given: the caller may put first the ones that most often do."""

    __slots__ = ("navigation", "work")

    def __init__(self, rules: Sequence[_Test]) -> None:
        self.work: tuple[Test, ...] = tuple(
            r.test for r in rules if r.name not in NAVIGATION_RULES)
        self.navigation: tuple[Test, ...] = tuple(
            r.test for r in rules if r.name in NAVIGATION_RULES)

    def __call__(self, read: Read, reader: Reader, facts: Facts) -> Suspect | None:
        for test in self.work:
            if test(read, reader, facts):
                return None
        for test in self.navigation:
            if test(read, reader, facts):
                return Suspect(read, navigation=True)
        return Suspect(read, navigation=False)


PeerKey = tuple[str, str, str | None, int | None]


def peer_key(reader: Reader) -> PeerKey:
    """Peers: the same role and the same scope."""
    role = reader.role.value if reader.role is not None else "none"
    return (role, reader.scope.kind.value, reader.scope.state_code, reader.scope.agency_id)


@dataclass
class History:
    """What came before the window, from the trail."""

    #: peer group -> the officers any of its members read in the lookback.
    peer_read: dict[PeerKey, set[int]] = field(default_factory=dict)
    #: officer -> everyone whose reads, lists or acts touched the record in the lookback and
    #: the window.
    touched: dict[int, set[str]] = field(default_factory=dict)
    #: reader -> weighted suspect reads per working day in the lookback.
    own_rate: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Window:
    """One reader's suspect reads over the scored days, and what they are weighed against."""

    reader: Reader
    suspects: Sequence[Suspect]
    facts: Facts
    history: History
    zone: tzinfo  # the deployment's
    working_days: int


@dataclass(frozen=True)
class Signal:
    """One reason for suspicion: its rule, its points, the reads behind it and its words."""

    name: str
    points: float
    reads: tuple[Read, ...]
    es: str
    en: str


def _reads(found: Iterable[Suspect]) -> tuple[Read, ...]:
    return tuple(sorted({s.read for s in found}, key=lambda r: (r.at, r.entry_id, r.officer_id)))


def _officers(found: Iterable[Suspect]) -> int:
    return len({s.read.officer_id for s in found})


def unfamiliar(w: Window) -> Signal | None:
    """Officers nobody in the reader's peer group had read in the lookback; a record nobody
    else's work touched at all counts fully even when opened from a search."""
    familiar = w.history.peer_read.get(peer_key(w.reader), set())
    points, behind, officers = 0.0, [], set()
    for s in w.suspects:
        officer = s.read.officer_id
        if officer in familiar or officer in officers:
            continue
        others = w.history.touched.get(officer, set()) - {w.reader.username}
        points += 1.0 if not others else s.weight
        behind.append(s)
        officers.add(officer)
    if points < 3:
        return None
    n = len(officers)
    return Signal("unfamiliar", points, _reads(behind),
                  f"{n} expedientes que nadie de su grupo (mismo rol y ámbito) había consultado",
                  f"{n} records nobody in their peer group (same role and scope) had read")


def own_history(w: Window) -> Signal | None:
    """More suspect reads than the reader's own usual over the same number of working days."""
    usual = w.history.own_rate.get(w.reader.username, 0.0) * w.working_days
    weight = sum(s.weight for s in w.suspects)
    excess = weight - (3 * usual + OWN_SLACK)
    if excess < 3:
        return None
    return Signal("own_history", excess, _reads(w.suspects),
                  f"{len(w.suspects)} consultas sin explicación, cuando lo usual en esta persona "
                  f"es {usual:.1f} en {w.working_days} días hábiles",
                  f"{len(w.suspects)} unexplained reads where this person's usual is "
                  f"{usual:.1f} in {w.working_days} working days")


def burst(w: Window) -> Signal | None:
    """Many suspect reads within an hour."""
    ordered = sorted(w.suspects, key=lambda s: s.read.at)
    best: list[Suspect] = []
    low = 0
    for high, s in enumerate(ordered):
        while s.read.at - ordered[low].read.at > BURST_SPAN:
            low += 1
        if high - low + 1 > len(best):
            best = ordered[low:high + 1]
    n = _officers(best)
    if n < BURST_READS:
        return None
    return Signal("burst", float(n), _reads(best),
                  f"{n} expedientes abiertos en menos de una hora sin trabajo que lo explique",
                  f"{n} records opened within an hour with no work to explain them")


def off_hours(w: Window) -> Signal | None:
    """Suspect reads outside the working day of the reader's zone (nights, weekends)."""
    zone = reader_zone(w.reader, w.zone)
    outside = []
    for s in w.suspects:
        wall = s.read.at.astimezone(zone)
        if wall.weekday() >= 5 or not WORK_START <= wall.time() < WORK_END:
            outside.append(s)
    if not outside:
        return None
    n = len(outside)
    return Signal("off_hours", 2.0 * n, _reads(outside),
                  f"{n} consultas sin explicación fuera del horario laboral de su zona",
                  f"{n} unexplained reads outside working hours in their zone")


def _day(at: datetime, zone: tzinfo) -> date:
    return at.astimezone(zone).date()


def one_unit(w: Window) -> Signal | None:
    """Many officers of one unit in one day (a raid's targets, a unit's roster copied)."""
    groups: dict[tuple[date, int, int], list[Suspect]] = defaultdict(list)
    for s in w.suspects:
        day = _day(s.read.at, w.zone)
        for agency, unit in w.facts.units_on(s.read.officer_id, day):
            groups[(day, agency, unit)].append(s)
    best = max(groups.values(), key=_officers, default=[])
    n = _officers(best)
    if n < UNIT_OFFICERS:
        return None
    return Signal("one_unit", 2.0 * n, _reads(best),
                  f"{n} elementos de una misma unidad consultados en un día",
                  f"{n} officers of one unit read in one day")


def one_case(w: Window) -> Signal | None:
    """Several officers named in one integrity case, by someone who is not one of its people."""
    groups: dict[int, list[Suspect]] = defaultdict(list)
    for s in w.suspects:
        for case in w.facts.cases.get(s.read.officer_id, ()):
            groups[case.case_id].append(s)
    best = max(groups.values(), key=_officers, default=[])
    n = _officers(best)
    if n < CASE_OFFICERS:
        return None
    return Signal("one_case", 3.0 * n, _reads(best),
                  f"{n} elementos de una misma investigación consultados",
                  f"{n} officers of one investigation read")


def confidential_case(w: Window) -> Signal | None:
    """Reads of officers who were then the subject of an open integrity case (which they may
    not know of yet) by someone who is not one of the case's people."""
    found = [s for s in w.suspects
             if any(case.span.holds(s.read.at, timedelta(0))
                    for case in w.facts.cases.get(s.read.officer_id, ()))]
    if not found:
        return None
    n = _officers(found)
    return Signal("confidential_case", 4.0 * n, _reads(found),
                  f"{n} elementos bajo investigación reservada consultados por alguien ajeno "
                  "al caso",
                  f"{n} officers under a confidential investigation read by someone outside "
                  "the case")


def leaving(w: Window) -> Signal | None:
    """The reader is about to leave (the registry knows their own record's separation)."""
    why = w.facts.leaving.get(w.reader.username)
    if why is None or not w.suspects:
        return None
    return Signal("leaving", 5.0, _reads(w.suspects),
                  f"consultas sin explicación de alguien por dejar el puesto ({why})",
                  f"unexplained reads by someone about to leave ({why})")


SignalRule = Callable[[Window], Signal | None]


@dataclass(frozen=True)
class Scorer:
    name: str
    words: str
    test: SignalRule


SIGNALS: tuple[Scorer, ...] = (
    Scorer("unfamiliar", "officers nobody in the reader's peer group had read", unfamiliar),
    Scorer("own_history", "more unexplained reads than the reader's own usual", own_history),
    Scorer("burst", f"{BURST_READS} or more records within an hour", burst),
    Scorer("off_hours", "reads outside the working day of the reader's zone", off_hours),
    Scorer("one_unit", f"{UNIT_OFFICERS} or more officers of one unit in a day", one_unit),
    Scorer("one_case", f"{CASE_OFFICERS} or more officers of one investigation", one_case),
    Scorer("confidential_case", "officers under a confidential investigation",
           confidential_case),
    Scorer("leaving", "the reader is about to leave", leaving),
)
SIGNAL_NAMES: tuple[str, ...] = tuple(s.name for s in SIGNALS)


@dataclass(frozen=True)
class Assessment:
    reader: Reader
    points: float
    signals: tuple[Signal, ...]

    @property
    def reads(self) -> tuple[Read, ...]:
        seen: dict[tuple[int, int], Read] = {}
        for signal in self.signals:
            for read in signal.reads:
                seen.setdefault((read.entry_id, read.officer_id), read)
        return tuple(sorted(seen.values(), key=lambda r: (r.at, r.entry_id, r.officer_id)))

    def why(self, language: str) -> str:
        return "; ".join(s.es if language == "es" else s.en for s in self.signals)


def assess(window: Window, scorers: Sequence[Scorer] = SIGNALS) -> Assessment:
    signals = tuple(found for scorer in scorers if (found := scorer.test(window)) is not None)
    return Assessment(window.reader, round(sum(s.points for s in signals), 2), signals)


def working_days(first: date, last: date) -> int:
    return sum(1 for n in range((last - first).days + 1)
               if (first + timedelta(days=n)).weekday() < 5)


def history(lookback: Iterable[tuple[Read, Suspect | None]], touched: Iterable[tuple[str, int]],
            readers: Mapping[str, Reader], days: int) -> History:
    """The peer groups' reads and the readers' usual suspect rate over `days` working days of
    lookback, and who touched each officer."""
    found = History()
    rate: dict[str, float] = defaultdict(float)
    anonymous = Reader("", None, None)
    for read, doubt in lookback:
        reader = readers.get(read.reader, anonymous)
        found.peer_read.setdefault(peer_key(reader), set()).add(read.officer_id)
        if doubt is not None:
            rate[read.reader] += doubt.weight
    for who, officer in touched:
        found.touched.setdefault(officer, set()).add(who)
    found.own_rate = {who: n / max(days, 1) for who, n in rate.items()}
    return found


def scored(reader: Reader) -> bool:
    """Who is scored: every account with a role (the console operator's reads, and those of
    accounts since removed, are not a person's to weigh)."""
    return reader.role is not None
