"""Use cases for an officer's career: transfers, promotions, ends of service, badges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.certification.rules.decisions import Verdict
from confianza.core.errors import Conflict, ErrorCollector, NotFound
from confianza.registry.rules.assignments import (
    SEPARATION_REASONS,
    Assignment,
    ChangeReason,
    EmploymentKind,
    PostingKind,
    PostingStatus,
    check_period,
    first_clash,
)
from confianza.registry.rules.officers import Badge
from confianza.registry.service.agencies import holder_of
from confianza.registry.service.officers import (
    _add_badge,
    _get,
    follow_postings,
    officer_holder,
)
from confianza.trail.rules import AuditAction
from confianza.work import UnitOfWork


@dataclass(frozen=True)
class NewAssignment:
    agency_id: int
    rank: str
    start_date: date
    reason: ChangeReason
    unit_id: int | None = None
    end_date: date | None = None
    kind: PostingKind = PostingKind.FULL_TIME
    employment: EmploymentKind = EmploymentKind.SWORN


def add_assignment(
    uow: UnitOfWork, actor: Actor, officer_id: int, new: NewAssignment
) -> Assignment:
    """Record a new posting. A full-time posting ends the open full-time posting that began
    earlier, the day it starts, with its reason; any other overlap of two full-time postings
    is refused, as it would put one officer in two forces at once. A task force secondment,
    reserve or part-time posting runs beside the others (ADR 0025). The person's status
    follows: a separated person posted again is active."""
    with uow.transaction() as tx:
        officer = _get(tx, officer_id)
        require(actor, Permission.ASSIGNMENT_WRITE, officer_holder(tx, officer_id),
                resource_type="officer", resource_id=officer_id)
        errors = ErrorCollector()
        agency = tx.agencies.get(new.agency_id)
        if agency is None:
            errors.add("agency_id", f"agency {new.agency_id} does not exist")
        elif not agency.active and new.end_date is None:
            errors.add("agency_id", f"agency {agency.code} was dissolved on {agency.dissolved_on}")
        if new.unit_id is not None:
            unit = tx.agencies.unit(new.unit_id)
            if unit is None or unit.agency_id != new.agency_id:
                errors.add("unit_id", "is not a unit of that agency")
        if not new.rank.strip() or len(new.rank) > 80:
            errors.add("rank", "must be 1 to 80 characters")
        check_period(new.start_date, new.end_date, tx.today, errors)
        errors.raise_if_any()
        assert agency is not None
        # Moving an officer into another agency needs rights over the receiving agency too.
        require(actor, Permission.ASSIGNMENT_WRITE, holder_of(agency), resource_type="agency",
                resource_id=agency.id)
        tx.officers.lock(officer_id)
        standing = tx.certification.standing(officer_id)
        if (new.end_date is None and standing is not None
                and standing.last_verdict is Verdict.NOT_APPROVED
                and standing.approved_until is None):
            # A not-approved person is not posted anywhere: not back into their own force, not
            # into another one that has not heard (the gap of the 2018 figures).
            raise Conflict(f"officer {officer_id} was not approved in evaluation "
                           f"{standing.last_evaluation_id}; a new posting needs an appeal "
                           "overturned or a new approved evaluation")
        history = tx.officers.assignments(officer_id)
        closing: Assignment | None = None
        # Only a posting that is itself open supersedes the current one; recording a past,
        # already-ended posting must never silently end what the officer does today.
        if new.end_date is None and new.kind is PostingKind.FULL_TIME:
            for a in history:
                if a.end_date is None and a.exclusive and a.start_date < new.start_date:
                    closing = a
        periods = [
            (a.start_date, new.start_date if a is closing else a.end_date, a.kind)
            for a in history
        ]
        periods.append((new.start_date, new.end_date, new.kind))
        clash = first_clash(periods)
        if clash is not None:
            other = history[clash[0] if clash[0] < len(history) else clash[1]]
            raise Conflict(
                f"the new full-time assignment overlaps full-time assignment {other.id} "
                f"({other.start_date} to {other.end_date or 'open'}); a task force, reserve "
                "or part-time posting may run beside it"
            )
        if closing is not None:
            tx.officers.close_assignment(closing.id, new.start_date, new.reason)
        assignment_id = tx.officers.add_assignment(
            officer_id=officer_id, agency_id=new.agency_id, unit_id=new.unit_id,
            rank=new.rank.strip(), start_date=new.start_date, end_date=new.end_date,
            start_reason=new.reason,
            end_reason=ChangeReason.CORRECTION if new.end_date else None,
            kind=new.kind, employment=new.employment,
        )
        # Only an open posting can change the person's status (a separated person posted
        # again is active); recording a past, closed one never does.
        followed = (follow_postings(tx, actor, officer, new.start_date,
                                    f"posted ({new.reason.value})")
                    if new.end_date is None else {})
        tx.audit.record(
            actor, AuditAction.ASSIGNMENT_CREATE, "officer", officer_id,
            detail={"assignment": assignment_id, "agency_id": new.agency_id,
                    "closed": closing.id if closing else None, "reason": new.reason.value,
                    "kind": new.kind.value, **followed},
        )
        created = tx.officers.assignment(assignment_id)
        assert created is not None
        return created


def end_assignment(
    uow: UnitOfWork, actor: Actor, assignment_id: int, end: date, reason: ChangeReason
) -> Assignment:
    with uow.transaction() as tx:
        assignment = tx.officers.assignment(assignment_id)
        if assignment is None:
            raise NotFound(f"assignment {assignment_id} does not exist")
        require(actor, Permission.ASSIGNMENT_WRITE, officer_holder(tx, assignment.officer_id),
                resource_type="officer", resource_id=assignment.officer_id)
        errors = ErrorCollector()
        if assignment.end_date is not None:
            errors.add("end_date", f"the assignment already ended on {assignment.end_date}")
        check_period(assignment.start_date, end, tx.today, errors)
        if reason is ChangeReason.DEATH:
            errors.add("reason", "a death is recorded as the officer's status, which ends "
                       "every posting")
        errors.raise_if_any()
        tx.officers.lock(assignment.officer_id)
        tx.officers.close_assignment(assignment_id, end, reason)
        # A career move (a transfer, a promotion) ends a posting, not the service: only a
        # separation may separate the person.
        followed = (follow_postings(tx, actor, _get(tx, assignment.officer_id), end,
                                    f"last posting ended ({reason.value})")
                    if reason in SEPARATION_REASONS else {})
        tx.audit.record(
            actor, AuditAction.ASSIGNMENT_UPDATE, "officer", assignment.officer_id,
            detail={"assignment": assignment_id, "end_date": end.isoformat(),
                    "reason": reason.value, **followed},
        )
        updated = tx.officers.assignment(assignment_id)
        assert updated is not None
        return updated


def set_leave(
    uow: UnitOfWork, actor: Actor, assignment_id: int, on_leave: bool, on: date, reason: str
) -> Assignment:
    """Put an open posting on leave (licencia) or bring it back from one. A leave is not a
    separation: the posting stays open and the person's status does not change (ADR 0025)."""
    with uow.transaction() as tx:
        assignment = tx.officers.assignment(assignment_id)
        if assignment is None:
            raise NotFound(f"assignment {assignment_id} does not exist")
        require(actor, Permission.ASSIGNMENT_WRITE, officer_holder(tx, assignment.officer_id),
                resource_type="officer", resource_id=assignment.officer_id)
        wanted = PostingStatus.ON_LEAVE if on_leave else PostingStatus.ACTIVE
        errors = ErrorCollector()
        if assignment.end_date is not None:
            errors.add("assignment_id", f"the assignment ended on {assignment.end_date}")
        elif assignment.status is wanted:
            errors.add("on_leave", f"the assignment is already {wanted.value}")
        if on > tx.today:
            errors.add("on", f"{on.isoformat()} is in the future")
        elif on < (assignment.status_since or assignment.start_date):
            errors.add("on", f"{on.isoformat()} is before the posting's present status began")
        if len(reason.strip()) < 5:
            errors.add("reason", "say why (at least 5 characters)")
        errors.raise_if_any()
        tx.officers.set_posting_status(assignment_id, wanted, on)
        tx.audit.record(
            actor, AuditAction.ASSIGNMENT_UPDATE, "officer", assignment.officer_id,
            detail={"assignment": assignment_id,
                    "status": {"from": assignment.status.value, "to": wanted.value},
                    "on": on.isoformat(), "reason": reason.strip()},
        )
        updated = tx.officers.assignment(assignment_id)
        assert updated is not None
        return updated


@dataclass(frozen=True)
class IssuedBadge:
    badge: Badge
    agency_code: str


def add_badge(
    uow: UnitOfWork, actor: Actor, officer_id: int, agency_id: int, number: str,
    start: date | None, end: date | None = None,
) -> IssuedBadge:
    with uow.transaction() as tx:
        _get(tx, officer_id)
        require(actor, Permission.BADGE_WRITE, officer_holder(tx, officer_id),
                resource_type="officer", resource_id=officer_id)
        errors = ErrorCollector()
        if not number.strip() or len(number) > 20:
            errors.add("number", "must be 1 to 20 characters")
        agency = tx.agencies.get(agency_id)
        if agency is None:
            errors.add("agency_id", f"agency {agency_id} does not exist")
        if start is not None:
            check_period(start, end, tx.today, errors)
        errors.raise_if_any()
        assert agency is not None
        # A badge is issued by an agency: rights over the officer are not rights to speak for
        # any agency of the country, as a posting into another agency already requires.
        require(actor, Permission.BADGE_WRITE, holder_of(agency), resource_type="agency",
                resource_id=agency.id)
        badge_id = _add_badge(tx, officer_id, agency_id, number, start, end)
        tx.audit.record(actor, AuditAction.BADGE_CREATE, "officer", officer_id,
                        detail={"badge": badge_id, "agency_id": agency_id})
        badge = next(b for b in tx.officers.badges(officer_id) if b.id == badge_id)
        return IssuedBadge(badge, agency.code)
