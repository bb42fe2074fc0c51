"""The registry's facts explanation joins the reads to, each true over a span of time
(ADR 0037).

A fact holds from one instant to another (or for good): the exam assigned to an examiner from
the evaluation's request until its result was recorded, an evaluation awaiting its decision
from its last result until it was decided, a case's people from their assignment until the case
closed. A read is explained by a fact only if the fact held at the read's time (with a
`GRACE` after it ended, for the reads that look back at finished work). The repository loads
every fact of the officers read in the period in a few set-based queries; the rules only look
things up in these maps.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from confianza.access.rules.reads import Act, Shown
from confianza.accounts.rules.permissions import Holder, Role, Scope

#: How long after a task ended a read of its officer is still part of it (reading back the
#: decision just made, the separation just closed).
GRACE = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Span:
    """From `start` to `end` (None: still so), inclusive."""

    start: datetime
    end: datetime | None = None

    def holds(self, at: datetime, grace: timedelta = GRACE) -> bool:
        return self.start <= at and (self.end is None or at <= self.end + grace)


def any_holds(spans: Iterable[Span], at: datetime) -> bool:
    return any(span.holds(at) for span in spans)


@dataclass(frozen=True, slots=True)
class Reader:
    """An account as explanation sees it (the role and scope it holds now: the trail names a
    username, not the role held at the time). `officers`: the account holder's own registry
    records, where the registry knows them."""

    username: str
    user_id: int | None
    role: Role | None
    scope: Scope = Scope()
    officers: frozenset[int] = frozenset()


class TaskKind(StrEnum):
    """The work of an agency's HR about one officer."""

    NOTIFICATION = "notification"
    SEPARATION = "separation"
    PENDING_SEPARATION = "pending_separation"
    EVALUATION = "evaluation"  # an evaluation the agency asked for, until it closed
    APPEAL = "appeal"
    RISK_FLAG = "risk_flag"


@dataclass(frozen=True, slots=True)
class Task:
    kind: TaskKind
    agency_id: int
    span: Span


@dataclass(frozen=True, slots=True)
class Posting:
    agency_id: int
    start: date
    end: date | None
    unit_id: int | None = None

    def on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class CaseFact:
    """An integrity case naming the officer: its agency, while it is open, and its people
    (investigator, deciders, appeal decider) with the span of each assignment."""

    case_id: int
    agency_id: int
    span: Span
    opened_by: str
    people: Mapping[int, Span] = field(default_factory=dict)


@dataclass(slots=True)
class Timeline:
    """Sorted instants, for "was there one within this window"."""

    moments: list[datetime] = field(default_factory=list)

    def within(self, low: datetime, high: datetime) -> bool:
        i = bisect.bisect_left(self.moments, low)
        return i < len(self.moments) and self.moments[i] <= high


@dataclass
class Facts:
    """Everything the rules look up, keyed as they look it up."""

    readers: dict[str, Reader] = field(default_factory=dict)
    agency_states: dict[int, str | None] = field(default_factory=dict)
    postings: dict[int, list[Posting]] = field(default_factory=dict)
    #: (examiner's user id, officer) -> from the evaluation's request to the exam's result.
    exams: dict[tuple[int, int], list[Span]] = field(default_factory=dict)
    #: officer -> evaluations awaiting a decision or its confirmation, from the last result
    #: until the evaluation closed.
    decisions: dict[int, list[Span]] = field(default_factory=dict)
    #: officer -> appeals, from filing to decision.
    appeals: dict[int, list[Span]] = field(default_factory=dict)
    #: officer -> evaluations from request to the first result (what a coordinator books).
    bookings: dict[int, list[Span]] = field(default_factory=dict)
    cases: dict[int, list[CaseFact]] = field(default_factory=dict)
    tasks: dict[int, list[Task]] = field(default_factory=dict)
    #: officer -> roster conflicts waiting for the registry clerk.
    conflicts: dict[int, list[Span]] = field(default_factory=dict)
    #: (reader, officer) -> when a work list or a search showed the officer to the reader.
    shown: dict[tuple[str, int, Shown], Timeline] = field(default_factory=dict)
    #: (actor, officer) -> when the actor changed something of the officer's.
    acts: dict[tuple[str, int], Timeline] = field(default_factory=dict)
    #: officer -> when the record was read by someone with a declared purpose (contact data)
    #: or with exam results: what an auditor reviews.
    sensitive: dict[int, Timeline] = field(default_factory=dict)
    #: reader -> why the registry says they are about to leave (their own record's
    #: separation, or a posting with an end date ahead), where it knows their record.
    leaving: dict[str, str] = field(default_factory=dict)

    def units_on(self, officer_id: int, day: date) -> frozenset[tuple[int, int]]:
        """The (agency, unit) pairs the officer served in on a day (postings without a unit
        are left out)."""
        return frozenset((p.agency_id, p.unit_id) for p in self.postings.get(officer_id, ())
                         if p.unit_id is not None and p.on(day))

    def holder_on(self, officer_id: int, day: date) -> Holder:
        """The agencies (and their states) the officer served on a day."""
        agencies = frozenset(p.agency_id for p in self.postings.get(officer_id, ())
                             if p.on(day))
        states = frozenset(s for a in agencies if (s := self.agency_states.get(a)))
        return Holder(agencies, states)

    def covers(self, scope: Scope, agency_id: int) -> bool:
        state = self.agency_states.get(agency_id)
        return scope.covers(Holder(frozenset({agency_id}),
                                   frozenset({state}) if state else frozenset()))


def timelines(acts: Iterable[Act], *, by_kind: bool) -> dict[tuple[str, int, Shown], Timeline]:
    """Acts gathered into sorted timelines per (actor, officer, kind)."""
    grouped: dict[tuple[str, int, Shown], list[datetime]] = defaultdict(list)
    for act in acts:
        grouped[(act.actor, act.officer_id, Shown(act.kind) if by_kind else Shown.WORK)].append(
            act.at)
    return {key: Timeline(sorted(moments)) for key, moments in grouped.items()}


def act_timelines(acts: Iterable[Act]) -> dict[tuple[str, int], Timeline]:
    grouped: dict[tuple[str, int], list[datetime]] = defaultdict(list)
    for act in acts:
        grouped[(act.actor, act.officer_id)].append(act.at)
    return {key: Timeline(sorted(moments)) for key, moments in grouped.items()}


def from_trail(facts: Facts, shown: Iterable[Act], acts: Iterable[Act],
               sensitive: Iterable[Act]) -> None:
    """Add what the trail itself says to the registry's facts: what lists showed to whom,
    who changed which record, and the sensitive reads an auditor reviews."""
    facts.shown = timelines(shown, by_kind=True)
    facts.acts = act_timelines(acts)
    grouped: dict[int, list[datetime]] = defaultdict(list)
    for act in sensitive:
        grouped[act.officer_id].append(act.at)
    facts.sensitive = {officer: Timeline(sorted(m)) for officer, m in grouped.items()}
