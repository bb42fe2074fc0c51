"""An officer's timeline: every dated fact of their record as one list of events, newest first.

The records come from several features (assignments and badges, evaluations and their exams,
decisions and separations, CUP components, certificates and credentials, appeals, the audit
trail); each becomes one or more `Event`s with a day, a kind and a few summary fields. Which
sections a reader may see is decided by the service; this module only turns records into events,
orders them and groups them by year.

Summary fields are plain values (text, numbers, booleans, dates) named per kind, so the JSON API
can hand them on as they are and the pages can lay them out with their own labels:

- assignment_started: agency_id, agency, unit, rank, reason, kind (the posting's kind)
- assignment_ended: agency_id, agency, rank, reason
- leave_started, leave_ended: agency_id, agency, rank (a posting's licencia, from the day its
  present status began: the registry keeps that day, not every earlier leave)
- status_changed: status, reason, actor (a line of the status history, ADR 0025)
- badge_issued: agency_id, agency, number, until
- evaluation_requested: evaluation_id, evaluation_kind, agency, rank, status
- evaluation_cancelled: evaluation_id
- exam_recorded: evaluation_id, exam_type, outcome, notes
- decided: evaluation_id, verdict, awaiting_confirmation, valid_until, grounds
- confirmed: evaluation_id, verdict
- separation_opened: evaluation_id, agency_id, agency
- separation_closed: evaluation_id, status, note
- component_recorded: component, valid_until, hours, evaluation_id
- certificate_issued: number, valid_until, current
- certificate_ended: number, reason
- credential_issued: certificate_id, valid_until, status, reason
- appeal_filed: evaluation_id, grounds
- appeal_decided: evaluation_id, outcome, resolution
- accessed: actor, actor_kind, action, acts, purpose, reach (`acts`: what the entry records as
  done, its action or each section of a combined read, as `trail.rules.acts_of` reads it)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum

from confianza.core.civil_time import civil_date
from confianza.credentials.rules.issuer import StoredCredential
from confianza.registry.rules.assignments import Assignment, PostingStatus
from confianza.registry.rules.officers import Badge, Officer, StatusChange
from confianza.trail.rules import AuditEntry, acts_of
from confianza.vetting.rules.evaluations import EvaluationStatus
from confianza.vetting.rules.records import (
    Appeal,
    AppealStatus,
    Certificate,
    Component,
    Evaluation,
    Exam,
    SeparationProcess,
)

FieldValue = str | int | bool | date | tuple[str, ...] | None


class Section(StrEnum):
    """A part of the timeline that one permission opens (the order is the pages' order)."""

    ASSIGNMENTS = "assignments"
    EVALUATIONS = "evaluations"
    RESULTS = "results"
    DECISIONS = "decisions"
    CERTIFICATES = "certificates"
    APPEALS = "appeals"
    ACCESSES = "accesses"


class EventKind(StrEnum):
    ASSIGNMENT_STARTED = "assignment_started"
    ASSIGNMENT_ENDED = "assignment_ended"
    LEAVE_STARTED = "leave_started"
    LEAVE_ENDED = "leave_ended"
    STATUS_CHANGED = "status_changed"
    BADGE_ISSUED = "badge_issued"
    EVALUATION_REQUESTED = "evaluation_requested"
    EVALUATION_CANCELLED = "evaluation_cancelled"
    EXAM_RECORDED = "exam_recorded"
    DECIDED = "decided"
    CONFIRMED = "confirmed"
    SEPARATION_OPENED = "separation_opened"
    SEPARATION_CLOSED = "separation_closed"
    COMPONENT_RECORDED = "component_recorded"
    CERTIFICATE_ISSUED = "certificate_issued"
    CERTIFICATE_ENDED = "certificate_ended"
    CREDENTIAL_ISSUED = "credential_issued"
    APPEAL_FILED = "appeal_filed"
    APPEAL_DECIDED = "appeal_decided"
    ACCESSED = "accessed"


_K = EventKind
SECTION_OF: dict[EventKind, Section] = {
    _K.ASSIGNMENT_STARTED: Section.ASSIGNMENTS,
    _K.ASSIGNMENT_ENDED: Section.ASSIGNMENTS,
    _K.LEAVE_STARTED: Section.ASSIGNMENTS,
    _K.LEAVE_ENDED: Section.ASSIGNMENTS,
    _K.STATUS_CHANGED: Section.ASSIGNMENTS,
    _K.BADGE_ISSUED: Section.ASSIGNMENTS,
    _K.EVALUATION_REQUESTED: Section.EVALUATIONS,
    _K.EVALUATION_CANCELLED: Section.EVALUATIONS,
    _K.EXAM_RECORDED: Section.RESULTS,
    _K.DECIDED: Section.DECISIONS,
    _K.CONFIRMED: Section.DECISIONS,
    _K.SEPARATION_OPENED: Section.DECISIONS,
    _K.SEPARATION_CLOSED: Section.DECISIONS,
    _K.COMPONENT_RECORDED: Section.CERTIFICATES,
    _K.CERTIFICATE_ISSUED: Section.CERTIFICATES,
    _K.CERTIFICATE_ENDED: Section.CERTIFICATES,
    _K.CREDENTIAL_ISSUED: Section.CERTIFICATES,
    _K.APPEAL_FILED: Section.APPEALS,
    _K.APPEAL_DECIDED: Section.APPEALS,
    _K.ACCESSED: Section.ACCESSES,
}

# Most records carry a day, not a time, so events of one day are put in the order the workflow
# produces them (an assignment ends on the day the next one starts; a decision is followed by
# the component it grants, which replaces the certificate, which brings a credential), and by
# their time where they have one. Accesses come last in their day: their time is known but the
# decision's is not, and inventing one would misstate the record.
_STEP: dict[EventKind, int] = {kind: n for n, kind in enumerate((
    _K.ASSIGNMENT_ENDED, _K.ASSIGNMENT_STARTED, _K.LEAVE_ENDED, _K.LEAVE_STARTED,
    _K.BADGE_ISSUED, _K.EVALUATION_REQUESTED,
    _K.EXAM_RECORDED, _K.EVALUATION_CANCELLED, _K.DECIDED, _K.CONFIRMED,
    _K.COMPONENT_RECORDED, _K.CERTIFICATE_ENDED, _K.SEPARATION_OPENED, _K.CERTIFICATE_ISSUED,
    _K.CREDENTIAL_ISSUED, _K.APPEAL_FILED, _K.APPEAL_DECIDED, _K.SEPARATION_CLOSED,
    _K.STATUS_CHANGED, _K.ACCESSED,
))}


@dataclass(frozen=True)
class Event:
    """One dated fact. `ref` is the id of the record it comes from (an assignment, an
    evaluation, an exam, a certificate, an appeal, an audit entry's id...)."""

    on: date
    kind: EventKind
    ref: int | None = None
    at: datetime | None = None  # the moment, where the record keeps one (UTC)
    fields: Mapping[str, FieldValue] = field(default_factory=dict)

    @property
    def section(self) -> Section:
        return SECTION_OF[self.kind]

    def sort_key(self) -> tuple[date, int, datetime, int]:
        return (self.on, _STEP[self.kind], self.at or _NO_TIME, self.ref or 0)


_NO_TIME = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Year:
    year: int
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Timeline:
    """The events one reader may see, newest first, and what was left out and why.

    `shown`: the sections included, in `Section` order. `undated`: facts that carry no date
    (a badge recorded without its period) and so have no place on a timeline. Accesses are
    read from the most recent part of the trail only: `accesses_examined_down_to` is the oldest
    entry examined (1: the whole trail) and `accesses_more` says older ones may exist."""

    officer: Officer
    shown: tuple[Section, ...]
    events: tuple[Event, ...]
    undated: int = 0
    accesses_examined_down_to: int | None = None
    accesses_more: bool = False

    def by_year(self) -> list[Year]:
        return by_year(self.events)


def arrange(events: Iterable[Event]) -> tuple[Event, ...]:
    """Newest first."""
    return tuple(sorted(events, key=Event.sort_key, reverse=True))


def by_year(events: Iterable[Event]) -> list[Year]:
    """Consecutive events of one year together, in the order given (newest year first when the
    events are arranged)."""
    groups: list[Year] = []
    current: list[Event] = []
    for event in events:
        if current and current[0].on.year != event.on.year:
            groups.append(Year(current[0].on.year, tuple(current)))
            current = []
        current.append(event)
    if current:
        groups.append(Year(current[0].on.year, tuple(current)))
    return groups


def utc(moment: datetime) -> datetime:
    """A stored moment in UTC (a naive one was written in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def dated(moment: datetime, zone: tzinfo) -> tuple[date, datetime]:
    """An instant's civil day where the system is deployed, and the instant in UTC: an exam
    recorded at 19:00 in Mexico City on 31 December belongs to that year, not to the next."""
    at = utc(moment)
    return civil_date(at, zone), at


# Assignments and badges ------------------------------------------------------------------------


def assignment_events(
    assignments: Iterable[Assignment], agencies: Mapping[int, str], units: Mapping[int, str]
) -> list[Event]:
    events: list[Event] = []
    for a in assignments:
        agency = agencies.get(a.agency_id)
        events.append(Event(a.start_date, _K.ASSIGNMENT_STARTED, a.id, fields={
            "agency_id": a.agency_id, "agency": agency, "rank": a.rank,
            "unit": units.get(a.unit_id) if a.unit_id is not None else None,
            "reason": a.start_reason.value, "kind": a.kind.value}))
        if a.end_date is None and a.status_since is not None:
            kind = _K.LEAVE_STARTED if a.status is PostingStatus.ON_LEAVE else _K.LEAVE_ENDED
            events.append(Event(a.status_since, kind, a.id, fields={
                "agency_id": a.agency_id, "agency": agency, "rank": a.rank}))
        if a.end_date is not None:
            events.append(Event(a.end_date, _K.ASSIGNMENT_ENDED, a.id, fields={
                "agency_id": a.agency_id, "agency": agency, "rank": a.rank,
                "reason": a.end_reason.value if a.end_reason else None}))
    return events


def status_events(history: Iterable[StatusChange]) -> list[Event]:
    """The status history's lines (ADR 0025): each on the day it took effect."""
    return [Event(h.effective_on, _K.STATUS_CHANGED, h.id, fields={
        "status": h.status.value, "reason": h.reason, "actor": h.actor}) for h in history]


def badge_events(badges: Iterable[Badge], agencies: Mapping[int, str]) -> tuple[list[Event], int]:
    """The badges' events, and how many badges carry no start date (and so are left out)."""
    events: list[Event] = []
    undated = 0
    for b in badges:
        if b.start_date is None:
            undated += 1
            continue
        events.append(Event(b.start_date, _K.BADGE_ISSUED, b.id, fields={
            "agency_id": b.agency_id, "agency": agencies.get(b.agency_id), "number": b.number,
            "until": b.end_date}))
    return events, undated


# Evaluations, results, decisions, appeals -------------------------------------------------------


def evaluation_events(evaluation: Evaluation, agency: str | None, *,
                      zone: tzinfo) -> list[Event]:
    e = evaluation
    on, at = dated(e.requested_at, zone)
    events = [Event(on, _K.EVALUATION_REQUESTED, e.id, at, fields={
        "evaluation_id": e.id, "evaluation_kind": e.kind.value, "agency": agency,
        "rank": e.rank, "status": e.status.value})]
    if e.status is EvaluationStatus.CANCELLED and e.closed_at is not None:
        closed_on, closed = dated(e.closed_at, zone)
        events.append(Event(closed_on, _K.EVALUATION_CANCELLED, e.id, closed,
                            fields={"evaluation_id": e.id}))
    return events


def exam_events(exams: Iterable[Exam], *, zone: tzinfo) -> list[Event]:
    """Recorded exams with their outcome (for readers of results only: the caller decides)."""
    events: list[Event] = []
    for x in exams:
        if x.recorded_at is None:
            continue
        on, at = dated(x.recorded_at, zone)
        events.append(Event(on, _K.EXAM_RECORDED, x.id, at, fields={
            "evaluation_id": x.evaluation_id, "exam_type": x.exam_type.value,
            "outcome": x.outcome, "notes": x.notes}))
    return events


def decision_events(
    evaluation: Evaluation, separation: SeparationProcess | None, agencies: Mapping[int, str],
    *, with_grounds: bool,
) -> list[Event]:
    """The verdict, its confirmation and the separation it opened. The grounds of a decision
    speak of the results, so they are included only for readers of results."""
    e = evaluation
    events: list[Event] = []
    if e.decided_on is not None and e.verdict is not None:
        events.append(Event(e.decided_on, _K.DECIDED, e.id, fields={
            "evaluation_id": e.id, "verdict": e.verdict.value,
            "awaiting_confirmation": e.status is EvaluationStatus.AWAITING_CONFIRMATION,
            "valid_until": e.valid_until,
            "grounds": e.grounds if with_grounds else None}))
    if e.confirmed_on is not None:
        events.append(Event(e.confirmed_on, _K.CONFIRMED, e.id, fields={
            "evaluation_id": e.id, "verdict": e.verdict.value if e.verdict else None}))
    if separation is not None:
        s = separation
        events.append(Event(s.opened_on, _K.SEPARATION_OPENED, s.id, fields={
            "evaluation_id": e.id, "agency_id": s.agency_id,
            "agency": agencies.get(s.agency_id)}))
        if s.closed_on is not None:
            events.append(Event(s.closed_on, _K.SEPARATION_CLOSED, s.id, fields={
                "evaluation_id": e.id, "status": s.status.value, "note": s.outcome}))
    return events


def appeal_events(appeal: Appeal) -> list[Event]:
    a = appeal
    events = [Event(a.filed_on, _K.APPEAL_FILED, a.id, fields={
        "evaluation_id": a.evaluation_id, "grounds": a.grounds})]
    if a.status is not AppealStatus.OPEN and a.decided_on is not None:
        events.append(Event(a.decided_on, _K.APPEAL_DECIDED, a.id, fields={
            "evaluation_id": a.evaluation_id, "outcome": a.status.value,
            "resolution": a.resolution}))
    return events


# Certification ----------------------------------------------------------------------------------


def credential_status(credential: StoredCredential, today: date) -> str:
    """What a verifier would be told today: revoked, suspended, expired or valid."""
    if credential.revoked:
        return "revoked"
    if credential.suspended:
        return "suspended"
    return "expired" if credential.valid_until < today else "valid"


def certification_events(
    components: Iterable[Component], certificates: Iterable[Certificate],
    credentials: Iterable[StoredCredential], today: date, *, zone: tzinfo,
) -> list[Event]:
    events: list[Event] = []
    for c in components:
        events.append(Event(c.completed_on, _K.COMPONENT_RECORDED, c.id, fields={
            "component": c.component.value, "valid_until": c.valid_until, "hours": c.hours,
            "evaluation_id": c.evaluation_id}))
    for cert in certificates:
        events.append(Event(cert.issued_on, _K.CERTIFICATE_ISSUED, cert.id, fields={
            "number": cert.number, "valid_until": cert.valid_until,
            "current": cert.ended_on is None}))
        if cert.ended_on is not None:
            events.append(Event(cert.ended_on, _K.CERTIFICATE_ENDED, cert.id, fields={
                "number": cert.number, "reason": cert.end_reason}))
    for cred in credentials:
        on, at = dated(cred.issued_at, zone)
        events.append(Event(on, _K.CREDENTIAL_ISSUED, cred.id, at, fields={
            "certificate_id": cred.certificate_id, "valid_until": cred.valid_until,
            "status": credential_status(cred, today), "reason": cred.status_reason}))
    return events


# Accesses ---------------------------------------------------------------------------------------


def access_event(entry: AuditEntry, reach: str, *, zone: tzinfo) -> Event:
    """An entry of the trail about the officer: who, how, what, why."""
    on, at = dated(entry.at, zone)
    return Event(on, _K.ACCESSED, entry.id, at, fields={
        "actor": entry.actor, "actor_kind": entry.actor_kind, "action": entry.action,
        "acts": acts_of(entry.action, entry.detail), "purpose": entry.purpose,
        "reach": reach})
