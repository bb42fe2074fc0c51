"""The synthetic registry's declarations (issue 20, item 4): filed for every officer of the
demo, with a few hundred planted cases of unexplained wealth (`demo.rules.declarations`).

The documents are written in S1's form and kept as an import would keep them (amounts in pesos
beside the filed ones, the document as filed), in one transaction, without validating each
against the schema: the writer is the product's own and its output is checked against the
schemas by the tests. One audit entry names the seed, the counts and the planted officers by
shape, which is where `confianza declarations check` finds them to say what each rule caught.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.declarations.rules.checks import CheckSettings
from confianza.declarations.rules.money import DEFAULT_RATES
from confianza.declarations.rules.s1_write import document
from confianza.declarations.service.imports import to_new
from confianza.demo.rules.declarations import SHAPES, plan
from confianza.trail.rules import AuditAction
from confianza.work import UnitOfWork

#: Who the demo acts as (`confianza demo`): the checks look for its filing's entry by it.
DEMO_ACTOR = "demo"
_BATCH = 20_000


def file_demo_declarations(uow: UnitOfWork, actor: Actor, *, seed: int,
                           settings: CheckSettings | None = None,
                           rates: Mapping[str, Decimal] = DEFAULT_RATES) -> int:
    """File every demo officer's declarations and plant the cases; how many were filed."""
    settings = settings or CheckSettings()
    with uow.transaction() as tx:
        require(actor, Permission.DECLARATION_IMPORT, resource_type="declarations")
        filed = plan(tx.declarations.services(), tx.declarations.filers(), seed=seed,
                     today=tx.today, settings=settings)
        batch = []
        for officer_id, declaration in filed.declarations:
            batch.append(to_new(declaration, officer_id, declaration.filed_at.date(), rates,
                                document(declaration)))
            if len(batch) >= _BATCH:
                tx.declarations.add(batch, by=actor.username, at=tx.now)
                batch = []
        tx.declarations.add(batch, by=actor.username, at=tx.now)
        tx.audit.record(actor, AuditAction.DECLARATION_DEMO, "declarations", None, detail={
            "seed": seed, "declarations": len(filed.declarations),
            "planted": filed.planted, **actor.attribution()})
        return len(filed.declarations)


def planted_cases(detail: Mapping[str, Any]) -> dict[str, list[int]]:
    """The planted officers by shape, from the demo filing's audit entry."""
    found = detail.get("planted") or {}
    return {shape: [int(o) for o in found.get(shape, [])] for shape in SHAPES}
