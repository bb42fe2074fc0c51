"""An officer's declarations as the PDN's S1 API would answer them (ADR 0038).

The answer is S1's `resDeclaraciones`: `pagination` and `results`, each result the document as
it was filed, oldest first. Read under the officer's holder, one audit entry per export.
"""

from __future__ import annotations

import json
from typing import Any

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import FieldError, NotFound, ValidationFailed
from confianza.declarations.rules import s1
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import UnitOfWork

PAGE_SIZE = 10
PAGE_SIZE_MAX = 200


def export_officer(uow: UnitOfWork, actor: Actor, officer_id: int, *, page: int = 1,
                   page_size: int = PAGE_SIZE, everything: bool = False) -> dict[str, Any]:
    """One page of the officer's declarations in S1's answer (`everything`: all of them)."""
    with uow.transaction() as tx, refusals_recorded(actor, AuditAction.DECLARATION_READ,
                                                    "officer", officer_id):
        if not actor.has(Permission.DECLARATION_READ):
            require(actor, Permission.DECLARATION_READ, resource_type="officer",
                    resource_id=officer_id)
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        require(actor, Permission.DECLARATION_READ, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        problems = []
        if not everything and not 1 <= page_size <= PAGE_SIZE_MAX:
            problems.append(FieldError("pageSize", f"must be between 1 and {PAGE_SIZE_MAX}"))
        if page < 1:
            problems.append(FieldError("page", "must be at least 1"))
        if problems:
            raise ValidationFailed(problems)
        if everything:
            texts, total = tx.declarations.documents(officer_id)
            page, page_size = 1, max(total, 1)
        else:
            texts, total = tx.declarations.documents(
                officer_id, offset=(page - 1) * page_size, limit=page_size)
        tx.audit.record(actor, AuditAction.DECLARATION_READ, "officer", officer_id,
                        detail={"declarations": len(texts), "total": total, "page": page,
                                **actor.attribution()})
        return s1.answer([json.loads(t) for t in texts], page=page, page_size=page_size,
                         total=total)
