"""The one place where the system decides who may do what.

`require` checks the actor's role for the permission and, when the record is held by agencies,
the actor's scope for those agencies. A refusal raises `Forbidden` carrying the audit entry of the
refused attempt; the unit of work writes that entry even though it rolls the rest back.
"""

from __future__ import annotations

from typing import NoReturn

from confianza.accounts.rules.permissions import Actor, Holder, Permission
from confianza.core.errors import Forbidden
from confianza.trail.rules import AuditAction, PendingEntry
from confianza.work import UnitOfWork


def require(
    actor: Actor,
    permission: Permission,
    holder: Holder | None = None,
    *,
    resource_type: str = "",
    resource_id: object | None = None,
) -> None:
    if not actor.has(permission):
        _refuse(actor, permission, resource_type, resource_id,
                f"your role ({actor.role}) does not allow {permission}")
    if holder is not None and not actor.scope.covers(holder):
        _refuse(actor, permission, resource_type, resource_id,
                f"this record is outside your scope ({actor.scope.describe()})")


def require_role(uow: UnitOfWork, actor: Actor, permission: Permission,
                 *others: Permission) -> None:
    """The actor's role holds `permission` (or one of `others`): the check an edge makes before
    it reads a request's input, so that a caller who may not use an operation is told so rather
    than what its input should look like. The use case then calls `require` itself, with the
    record's holder, which only it knows. Nothing is written when the role holds it; a refusal
    names `permission` and leaves its `authz:permission:denied` entry (the unit of work writes
    it after the empty transaction)."""
    if actor.has(permission) or any(actor.has(other) for other in others):
        return
    with uow.transaction(read_only=True):
        require(actor, permission)


def _refuse(
    actor: Actor, permission: Permission, resource_type: str, resource_id: object | None,
    reason: str,
) -> NoReturn:
    error = Forbidden(reason)
    error.audit_entry = PendingEntry(
        actor=actor.username,
        actor_kind=actor.kind.value,
        action=AuditAction.ACCESS_DENIED,
        resource_type=resource_type or permission.split(":")[0],
        resource_id=None if resource_id is None else str(resource_id),
        detail={"permission": permission.value, "reason": reason, **actor.attribution()},
    )
    raise error


def require_assigned(
    actor: Actor, permission: Permission, assigned_to: int | None, *, resource_type: str,
    resource_id: object,
) -> None:
    """An examiner acts only on the exams assigned to them: holding the role is not enough."""
    require(actor, permission, resource_type=resource_type, resource_id=resource_id)
    if actor.user_id is None or actor.user_id != assigned_to:
        _refuse(actor, permission, resource_type, resource_id,
                "this exam is not assigned to you")


def require_person(actor: Actor, permission: Permission, holder: Holder | None, *,
                   resource_type: str, resource_id: object) -> int:
    """Decisions are taken by a named person with an account, never by the console operator
    (whose acts are not tied to one certification officer): returns the person's user id."""
    require(actor, permission, holder, resource_type=resource_type, resource_id=resource_id)
    if actor.user_id is None:
        _refuse(actor, permission, resource_type, resource_id,
                "this step must be taken by a named person signed in with their own account")
    return actor.user_id


def require_holder(actor: Actor, permission: Permission, *, resource_type: str,
                   resource_id: object) -> NoReturn:
    """Refuse an act that only the account's own holder may take (issuing one of its API
    tokens, ADR 0021): no role grants it for someone else's account."""
    require(actor, permission, resource_type=resource_type, resource_id=resource_id)
    _refuse(actor, permission, resource_type, resource_id,
            f"only the holder of account {resource_id} may do this for it ({permission} "
            "does not extend to acting as another person)")
