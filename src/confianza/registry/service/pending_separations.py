"""Pending separations (bajas pendientes, ADR 0029): someone a complete roster of an agency
left out, waiting for that agency's HR to confirm the separation or dismiss it.

A roster never ends anyone's service by itself. Confirming ends the posting with the reason
and the date HR gives, and the person's status follows (ADR 0025); it is an adverse act on
the officer's career, so it takes a second person: the account that ran the import proposed
it and may not confirm it. Dismissing says the person still serves, and why. Every list,
read and decision is audited.
"""

from __future__ import annotations

from datetime import date

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)

# Re-exported: API bodies are built from it (schemas read services).
from confianza.registry.contracts import PendingSeparation as PendingSeparation
from confianza.registry.rules.assignments import SEPARATION_REASONS, ChangeReason, check_period
from confianza.registry.service.agencies import holder_of
from confianza.registry.service.officers import follow_postings
from confianza.trail.rules import AuditAction
from confianza.work import Transaction, UnitOfWork

PAGE_SIZE = 50
#: What HR may give as the reason: those that end service, a death aside (a death is the
#: person's status, recorded as such, and ends every posting).
CONFIRM_REASONS = frozenset(SEPARATION_REASONS - {ChangeReason.DEATH})
NOTE_MIN = 5


def list_separations(
    uow: UnitOfWork, actor: Actor, *, status: str | None = "pending",
    after_id: int | None = None, limit: int = PAGE_SIZE,
) -> list[PendingSeparation]:
    """One page of the separations of the agencies in the actor's scope (an audited read:
    names and postings)."""
    if not 1 <= limit <= 500:
        raise ValidationFailed(FieldError("limit", "must be between 1 and 500"))
    if status not in (None, "pending", "confirmed", "dismissed"):
        raise ValidationFailed(FieldError("status", "must be pending, confirmed or dismissed"))
    with uow.transaction() as tx:
        require(actor, Permission.SEPARATION_MANAGE, resource_type="pending_separation")
        found = tx.rosters.separations(actor.scope, status, after=after_id, limit=limit)
        tx.audit.record(actor, AuditAction.SEPARATIONS_READ, "pending_separation", None,
                        detail={"status": status, "ids": [s.id for s in found],
                                "officers": [s.officer_id for s in found],
                                **actor.attribution()})
    return found


def get_separation(uow: UnitOfWork, actor: Actor, separation_id: int) -> PendingSeparation:
    with uow.transaction() as tx:
        found = _get(tx, actor, separation_id)
        tx.audit.record(actor, AuditAction.SEPARATIONS_READ, "pending_separation",
                        separation_id, detail={"officers": [found.officer_id],
                                               **actor.attribution()})
    return found


def _get(tx: Transaction, actor: Actor, separation_id: int) -> PendingSeparation:
    found = tx.rosters.separation(separation_id)
    agency = None if found is None else tx.agencies.get(found.agency_id)
    if found is None or agency is None:
        require(actor, Permission.SEPARATION_MANAGE, resource_type="pending_separation",
                resource_id=separation_id)
        raise NotFound(f"pending separation {separation_id} does not exist")
    require(actor, Permission.SEPARATION_MANAGE, holder_of(agency),
            resource_type="pending_separation", resource_id=separation_id)
    return found


def _pending(tx: Transaction, actor: Actor, separation_id: int) -> PendingSeparation:
    found = _get(tx, actor, separation_id)
    if found.status != "pending":
        raise InvalidTransition(f"pending separation {separation_id} was already "
                                f"{found.status} by {found.decided_by}")
    return found


def confirm_separation(
    uow: UnitOfWork, actor: Actor, separation_id: int, end_date: date, reason: ChangeReason,
) -> PendingSeparation:
    """End the posting the roster left out, with HR's reason and date; the person's status
    follows the postings (a status-history line when it changes)."""
    with uow.transaction() as tx:
        found = _pending(tx, actor, separation_id)
        if found.proposed_by == actor.username:
            raise Conflict(f"{actor.username} ran the import that proposed this separation: "
                           "another person must confirm it", code="same_person")
        errors = ErrorCollector()
        if reason not in CONFIRM_REASONS:
            errors.add("reason", f"must be one of {', '.join(sorted(CONFIRM_REASONS))}")
        posting = tx.officers.assignment(found.assignment_id)
        if posting is None or posting.end_date is not None:
            ended = "" if posting is None else f" on {posting.end_date}"
            raise InvalidTransition(f"the posting already ended{ended}: dismiss this "
                                    "pending separation instead")
        check_period(posting.start_date, end_date, tx.today, errors)
        errors.raise_if_any()
        tx.officers.lock(found.officer_id)
        tx.officers.close_assignment(found.assignment_id, end_date, reason)
        person = tx.officers.get(found.officer_id)
        assert person is not None  # a separation's officer is held by its foreign key
        followed = follow_postings(tx, actor, person, end_date,
                                   f"separation confirmed ({reason.value}) after the roster "
                                   f"{found.file_name}")
        tx.rosters.decide_separation(separation_id, status="confirmed", by=actor.username,
                                     at=tx.now, end_date=end_date, end_reason=reason.value,
                                     note=None)
        tx.audit.record(actor, AuditAction.SEPARATION_CONFIRM, "officer", found.officer_id,
                        detail={"separation": separation_id,
                                "assignment": found.assignment_id,
                                "end_date": end_date.isoformat(), "reason": reason.value,
                                "proposed_by": found.proposed_by, **followed,
                                **actor.attribution()})
        done = tx.rosters.separation(separation_id)
        assert done is not None
        return done


def dismiss_separation(uow: UnitOfWork, actor: Actor, separation_id: int, note: str
                       ) -> PendingSeparation:
    """The person still serves: the posting stays open, and the note says why."""
    with uow.transaction() as tx:
        found = _pending(tx, actor, separation_id)
        if len(note.strip()) < NOTE_MIN:
            raise ValidationFailed(FieldError("note", f"say why the person still serves (at "
                                              f"least {NOTE_MIN} characters)"))
        tx.rosters.decide_separation(separation_id, status="dismissed", by=actor.username,
                                     at=tx.now, end_date=None, end_reason=None,
                                     note=note.strip()[:300])
        tx.audit.record(actor, AuditAction.SEPARATION_DISMISS, "officer", found.officer_id,
                        detail={"separation": separation_id,
                                "assignment": found.assignment_id, "note": note.strip()[:300],
                                **actor.attribution()})
        done = tx.rosters.separation(separation_id)
        assert done is not None
        return done
