"""The coverage dashboard's figures: per-agency tallies rolled up to a state or the nation.

The database is read once into a `Summary` of small per-agency tallies (a few thousand rows for
the whole country); every view — national, one state, one agency, the public page — is a roll-up
of the tallies of the agencies it covers. The rules here are pure: the grouping, the months an
approval ends in, what counts as an approving exam outcome, and how many working days a centre
needs for its backlog.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from math import ceil

from confianza.certification.rules.decisions import add_months
from confianza.vetting.rules.evaluations import OUTCOMES, EvaluationStatus, ExamType

MONTHS_AHEAD = 12  # the expiry series: this month and the eleven after it
WINDOW_MONTHS = 12  # exam outcomes: those recorded in the last twelve months
NO_STATE = "--"  # the group of agencies without a state (the federal forces)


@dataclass(frozen=True)
class Figures:
    """Officers holding a post, split four ways by their last decided evaluation (approval in
    force, approval expired, not approved, never evaluated), and two counts across the split:
    those certified (approval and CUP in force) and those on active duty who are not.

    The shape of every coverage figure (the dashboard's, the coverage list's), declared once.
    """

    officers: int = 0
    approved: int = 0
    expired: int = 0
    not_approved: int = 0
    never_evaluated: int = 0
    certified: int = 0
    on_duty_uncertified: int = 0

    @property
    def evaluated(self) -> int:
        return self.officers - self.never_evaluated

    def values(self) -> tuple[int, ...]:
        """The counts in field order (what the constructor takes, positionally)."""
        return (self.officers, self.approved, self.expired, self.not_approved,
                self.never_evaluated, self.certified, self.on_duty_uncertified)


@dataclass(frozen=True)
class Counts(Figures):
    """Figures whose four groups are checked to make up the whole, so that they may be added
    (an agency's to its state's, a state's to the nation's)."""

    def __post_init__(self) -> None:
        split = self.approved + self.expired + self.not_approved + self.never_evaluated
        if split != self.officers:
            raise ValueError(f"the four groups add up to {split}, not {self.officers} officers")

    @property
    def uncertified_share(self) -> float:
        return self.on_duty_uncertified / self.officers if self.officers else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.values(), other.values(), strict=True)))


@dataclass(frozen=True)
class AgencyInfo:
    id: int
    code: str
    name: str
    state_code: str | None

    @property
    def group(self) -> str:
        return self.state_code or NO_STATE


@dataclass(frozen=True)
class AgencyTally:
    """One agency's officers holding a post, and their approvals ending in each month ahead."""

    agency_id: int
    counts: Counts
    expiring: tuple[int, ...]


@dataclass(frozen=True)
class ExamTally:
    """Exams of one type with one outcome, recorded in the window, for evaluations an agency
    asked for."""

    agency_id: int
    exam_type: ExamType
    outcome: str
    count: int


class Stage(StrEnum):
    """Where an open request stands, as the backlog counts it."""

    AWAITING_SCHEDULE = "awaiting_schedule"
    IN_EXAMS = "in_exams"
    AWAITING_DECISION = "awaiting_decision"


STAGE_OF: dict[EvaluationStatus, Stage] = {
    EvaluationStatus.REQUESTED: Stage.AWAITING_SCHEDULE,
    EvaluationStatus.SCHEDULED: Stage.IN_EXAMS,
    EvaluationStatus.AWAITING_DECISION: Stage.AWAITING_DECISION,
    EvaluationStatus.AWAITING_CONFIRMATION: Stage.AWAITING_DECISION,
}


@dataclass(frozen=True)
class OpenTally:
    """Open requests of one agency at one centre (None: not booked yet) in one stage."""

    agency_id: int
    centre_id: int | None
    stage: Stage
    count: int


@dataclass(frozen=True)
class PendingTally:
    """Exams of one type still to be given, for one agency's open requests at one centre."""

    agency_id: int
    centre_id: int | None
    exam_type: ExamType
    count: int


@dataclass(frozen=True)
class CentreInfo:
    id: int
    code: str
    name: str
    state_code: str | None
    active: bool
    capacity: Mapping[ExamType, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    """What the dashboard read from the database, for a set of agencies, at one moment."""

    as_of: datetime
    #: The civil day of `as_of` where the system is deployed (the figures' "today").
    today: date
    agencies: tuple[AgencyInfo, ...]
    tallies: tuple[AgencyTally, ...]
    exams: tuple[ExamTally, ...]
    open: tuple[OpenTally, ...]
    pending: tuple[PendingTally, ...]
    centres: tuple[CentreInfo, ...]

    def within(self, agency_ids: frozenset[int]) -> Summary:
        """The same figures for those agencies only (a state's, one agency's)."""
        return Summary(
            self.as_of,
            self.today,
            tuple(a for a in self.agencies if a.id in agency_ids),
            tuple(t for t in self.tallies if t.agency_id in agency_ids),
            tuple(e for e in self.exams if e.agency_id in agency_ids),
            tuple(o for o in self.open if o.agency_id in agency_ids),
            tuple(p for p in self.pending if p.agency_id in agency_ids),
            self.centres,
        )

    def agency_ids(self, state_code: str | None = None) -> frozenset[int]:
        """Every agency of the summary, or those of one state (NO_STATE: the federal ones)."""
        return frozenset(a.id for a in self.agencies
                         if state_code is None or a.group == state_code)


# Months -------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def expiry_bounds(today: date, months: int = MONTHS_AHEAD) -> tuple[date, ...]:
    """The edges of the expiry buckets: today, then the first day of each following month.

    Bucket i holds the approvals whose last valid day falls in [bounds[i], bounds[i+1]): the
    first is the rest of this month (an approval that ended before today is expired, not
    expiring), the last ends before the first day of the month `months` ahead.
    """
    first = month_start(today)
    return (today, *(add_months(first, i) for i in range(1, months + 1)))


def bucket_of(today: date, day: date, months: int = MONTHS_AHEAD) -> int | None:
    """Which bucket an approval ending on `day` falls in; None before today or past the last."""
    if day < today:
        return None
    index = (day.year - today.year) * 12 + day.month - today.month
    return index if index < months else None


def window_start(today: date, months: int = WINDOW_MONTHS) -> date:
    """The first day of the exam-outcome window: the same day `months` ago."""
    return add_months(today, -months)


# Roll-ups -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupLine:
    """One bar of the ranking: a state (key: its code) or an agency (key: its id)."""

    key: str
    name: str
    counts: Counts


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int


def total(tallies: Iterable[AgencyTally]) -> Counts:
    result = Counts()
    for tally in tallies:
        result = result + tally.counts
    return result


def by_state(summary: Summary) -> dict[str, Counts]:
    """Each state's counts (NO_STATE for the federal forces), keyed by state code."""
    group = {a.id: a.group for a in summary.agencies}
    result: dict[str, Counts] = defaultdict(Counts)
    for tally in summary.tallies:
        key = group.get(tally.agency_id, NO_STATE)
        result[key] = result[key] + tally.counts
    return dict(result)


def by_agency(summary: Summary) -> list[GroupLine]:
    names = {a.id: a.name for a in summary.agencies}
    return [GroupLine(str(t.agency_id), names.get(t.agency_id, str(t.agency_id)), t.counts)
            for t in summary.tallies]


def ranked(lines: Iterable[GroupLine]) -> list[GroupLine]:
    """Largest share on duty without valid certification first; ties by name, then key."""
    return sorted(lines, key=lambda g: (-g.counts.uncertified_share, g.name, g.key))


def expiries(summary: Summary, months: int = MONTHS_AHEAD) -> list[MonthCount]:
    first = month_start(summary.today)
    sums = [0] * months
    for tally in summary.tallies:
        for i, value in enumerate(tally.expiring[:months]):
            sums[i] += value
    return [MonthCount(add_months(first, i), sums[i]) for i in range(months)]


class OutcomeClass(StrEnum):
    FAVOURABLE = "favourable"
    RESERVATIONS = "reservations"  # passes, with a reservation the integration reports
    ADVERSE = "adverse"


def outcome_class(exam_type: ExamType, outcome: str) -> OutcomeClass:
    """The first outcome of an exam is favourable, the last adverse, those between pass with
    reservations (domain.evaluations.OUTCOMES). ValueError for an outcome the exam cannot have."""
    values = OUTCOMES[exam_type]
    if outcome not in values:
        raise ValueError(f"{outcome!r} is not an outcome of the {exam_type} exam")
    if outcome == values[0]:
        return OutcomeClass.FAVOURABLE
    if outcome == values[-1]:
        return OutcomeClass.ADVERSE
    return OutcomeClass.RESERVATIONS


@dataclass(frozen=True)
class ExamRate:
    """One exam type's outcomes in the window. An exam 'approves' unless its outcome is adverse."""

    exam_type: ExamType
    favourable: int
    reservations: int
    adverse: int

    @property
    def recorded(self) -> int:
        return self.favourable + self.reservations + self.adverse

    @property
    def approving(self) -> int:
        return self.favourable + self.reservations

    @property
    def approval_rate(self) -> float | None:
        return self.approving / self.recorded if self.recorded else None

    def part(self, kind: OutcomeClass) -> int:
        return {OutcomeClass.FAVOURABLE: self.favourable,
                OutcomeClass.RESERVATIONS: self.reservations,
                OutcomeClass.ADVERSE: self.adverse}[kind]


def exam_rates(tallies: Iterable[ExamTally]) -> list[ExamRate]:
    """Every exam type, in the order of ExamType, with its outcomes grouped in three."""
    sums: dict[tuple[ExamType, OutcomeClass], int] = defaultdict(int)
    for tally in tallies:
        sums[(tally.exam_type, outcome_class(tally.exam_type, tally.outcome))] += tally.count
    return [ExamRate(t, *(sums[(t, k)] for k in OutcomeClass)) for t in ExamType]


# Backlog ------------------------------------------------------------------------------------


def working_days(pending: Mapping[ExamType, int], capacity: Mapping[ExamType, int]
                 ) -> tuple[int | None, ExamType | None]:
    """Working days a centre needs to give its pending exams at its daily capacity, and the
    exam type that sets that figure (the slowest). (None, type) when a type with pending exams
    has no capacity: at that centre the backlog never clears. (0, None) when nothing is pending.
    """
    days, slowest = 0, None
    for exam_type in ExamType:
        waiting = pending.get(exam_type, 0)
        if waiting <= 0:
            continue
        daily = capacity.get(exam_type, 0)
        if daily <= 0:
            return None, exam_type
        needed = ceil(waiting / daily)
        if needed > days:
            days, slowest = needed, exam_type
    return days, slowest


@dataclass(frozen=True)
class CentreBacklog:
    """A centre's open requests by stage, its exams still to give, and the working days they
    take at its daily capacity. `centre` is None for requests no centre can take."""

    centre: CentreInfo | None
    stages: Mapping[Stage, int]
    pending: Mapping[ExamType, int]
    days: int | None
    slowest: ExamType | None

    @property
    def requests(self) -> int:
        return sum(self.stages.values())

    @property
    def pending_exams(self) -> int:
        return sum(self.pending.values())


def serving_centre(state_code: str | None, centres: Sequence[CentreInfo]) -> CentreInfo | None:
    """The centre a request not yet booked is expected at: the first active centre of the
    requesting agency's state (for a federal agency, the first active centre without a state)."""
    return next((c for c in sorted(centres, key=lambda c: c.id)
                 if c.active and c.state_code == state_code), None)


def backlog(summary: Summary) -> list[CentreBacklog]:
    """Open requests by centre, a request not yet booked counted at its serving centre; the
    centres that can never clear first (no capacity for a pending exam), then those that need
    the most days, then by code."""
    centres = {c.id: c for c in summary.centres}
    state_of = {a.id: a.state_code for a in summary.agencies}

    def where(agency_id: int, centre_id: int | None) -> int | None:
        if centre_id is not None:
            return centre_id
        serving = serving_centre(state_of.get(agency_id), summary.centres)
        return serving.id if serving else None

    stages: dict[int | None, dict[Stage, int]] = defaultdict(lambda: dict.fromkeys(Stage, 0))
    pending: dict[int | None, dict[ExamType, int]] = defaultdict(dict)
    for o in summary.open:
        stages[where(o.agency_id, o.centre_id)][o.stage] += o.count
    for p in summary.pending:
        bucket = pending[where(p.agency_id, p.centre_id)]
        bucket[p.exam_type] = bucket.get(p.exam_type, 0) + p.count
    lines = []
    for key in stages.keys() | pending.keys():
        centre = centres.get(key) if key is not None else None
        waiting = pending.get(key, {})
        days, slowest = working_days(waiting, centre.capacity if centre else {})
        if centre is None and waiting:
            days = None
        lines.append(CentreBacklog(centre, stages.get(key, dict.fromkeys(Stage, 0)),
                                   waiting, days, slowest))

    def order(line: CentreBacklog) -> tuple[int, int, str]:
        code = line.centre.code if line.centre else "~"
        return (0 if line.days is None else 1, -(line.days or 0), code)

    return sorted(lines, key=order)
