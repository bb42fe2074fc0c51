"""The trace of a refused attempt at a workflow step.

Issue 3 asks that a refused step (a decision before every exam is in, a second submit of the same
form, an examiner recording an exam that is not theirs) writes nothing but the audit entry of the
attempt. `refusals_recorded` wraps a use case's body: any refusal that does not already carry an
entry (a denied permission does) gets one naming the step attempted and why it was refused; the
unit of work writes it after rolling the rest back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from confianza.accounts.rules.permissions import Actor
from confianza.core.errors import DomainError, ValidationFailed
from confianza.trail.rules import AuditAction, PendingEntry
from confianza.work import UnitOfWork


@contextmanager
def refusals_recorded(
    actor: Actor, attempted: AuditAction, resource_type: str, resource_id: object | None
) -> Iterator[None]:
    try:
        yield
    except DomainError as exc:
        if exc.audit_entry is None:
            exc.audit_entry = refusal_entry(actor, attempted, resource_type, resource_id, exc)
        raise


def refuse(uow: UnitOfWork, actor: Actor, attempted: AuditAction, resource_type: str,
           resource_id: object | None, error: DomainError) -> NoReturn:
    """Raise `error`, a refusal an edge found before any use case could be asked (a form's
    choice outside its list, a date that is no date: nothing a use case can take), leaving
    the entry a use case's refusal leaves (`workflow:request:refused`, naming the fields at
    fault, never the values). Nothing is read or written but the entry; the caller has
    already checked the role (ADR 0018)."""
    with uow.transaction(read_only=True), refusals_recorded(actor, attempted, resource_type,
                                                            resource_id):
        raise error


def refusal_entry(
    actor: Actor, attempted: AuditAction, resource_type: str, resource_id: object | None,
    exc: DomainError, **extra: object,
) -> PendingEntry:
    """The `workflow:request:refused` entry of one refused attempt (`extra` joins the detail:
    ids only, never what was typed)."""
    detail: dict[str, object] = {"attempted": attempted.value, "reason": exc.detail,
                                 "status": exc.status}
    if isinstance(exc, ValidationFailed):
        # Where the faults were, never the values typed: they may be sensitive.
        detail["fields"] = sorted({e.location for e in exc.errors})
        detail["reason"] = exc.title
    detail.update(extra)
    detail.update(actor.attribution())
    return PendingEntry(
        actor=actor.username,
        actor_kind=actor.kind.value,
        action=AuditAction.REQUEST_REFUSED,
        resource_type=resource_type,
        resource_id=None if resource_id is None else str(resource_id),
        detail=detail,
    )
