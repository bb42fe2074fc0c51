"""The synthetic registry's declarations (issue 20, item 4): filed for every officer of the
demo, with a few hundred planted cases of unexplained wealth (`demo.rules.declarations`).

The documents are written in S1's form and kept as an import would keep them (amounts in pesos
beside the filed ones, the document as filed), in one transaction, without validating each
against the schema: the writer is the product's own and its output is checked against the
schemas by the tests. One audit entry names the seed, the counts and the planted officers by
shape, which is where `confianza declarations check` finds them to say what each rule caught.

With an imported payroll (the Chicago salaries), `file_payroll_sample` has a dozen of its
officers file a declaration in the payroll's currency beside it (ADR 0038, addendum 4).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.declarations.rules.checks import CheckSettings
from confianza.declarations.rules.money import DEFAULT_RATES
from confianza.declarations.rules.records import (
    Amount,
    Declaration,
    DeclarationKind,
    Income,
    IncomePeriod,
)
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


#: Officers with an imported payroll (Chicago's) the demo files a declaration for: a handful,
#: enough to see the payroll beside the declared pay, not a population to measure rules on.
PAYROLL_SAMPLE = 12
PAYROLL_UNDER = 2  # of them, declaring well under what the payroll paid


@dataclass(frozen=True)
class PayrollSample:
    filed: list[int]  # the officers a declaration was filed for
    under: list[int]  # of them, those declaring under the payroll


def file_payroll_sample(uow: UnitOfWork, actor: Actor, *, seed: int,
                        count: int = PAYROLL_SAMPLE,
                        rates: Mapping[str, Decimal] = DEFAULT_RATES) -> PayrollSample:
    """For a few officers an imported payroll pays, an annual (modification) declaration of
    the payroll's latest well-covered year, in the payroll's currency: most declare about what
    it paid (-3% to +3%), `PAYROLL_UNDER` of them 40% to 55% of it, which the salary check
    finds against the payroll and would not against a scale (the scale knows no foreign
    force). No CURP: the people of another authority's payroll have none."""
    rng = random.Random(seed)
    with uow.transaction() as tx:
        require(actor, Permission.DECLARATION_IMPORT, resource_type="declarations")
        payroll = tx.declarations.payroll()
        by_year = Counter(year for years in payroll.values() for year in years)
        covered = [year for year, n in by_year.items() if n >= count]
        if not covered:
            return PayrollSample([], [])
        year = max(covered)
        paid = sorted(o for o, years in payroll.items() if year in years)
        held = {o for o, kind, filed in tx.declarations.taken(paid)
                if kind is DeclarationKind.MODIFICATION and filed == year + 1}
        chosen = sorted(rng.sample([o for o in paid if o not in held],
                                   min(count, len(paid) - len(held))))
        under = sorted(rng.sample(chosen, min(PAYROLL_UNDER, len(chosen))))
        services = tx.declarations.services(chosen)
        batch = []
        for officer_id in chosen:
            officer, pay = tx.officers.get(officer_id), payroll[officer_id][year]
            service = services.get(officer_id)
            if officer is None or service is None:
                continue
            share = rng.uniform(0.40, 0.55) if officer_id in under else rng.uniform(0.97, 1.03)
            public = Amount((Decimal(pay.gross) * Decimal(str(round(share, 3))))
                            .quantize(Decimal(1)), pay.currency)
            household = Amount((public.value * Decimal(str(round(rng.uniform(0, 0.6), 2))))
                               .quantize(Decimal(1)), pay.currency)
            filed = datetime(year + 1, 5, rng.randint(2, 28), 17, 0, tzinfo=UTC)
            declaration = Declaration(
                source_id=f"DEMO-NOMINA-{officer_id}-{year + 1}",
                kind=DeclarationKind.MODIFICATION, complete=True, filed_at=filed,
                institution="Chicago Police Department", position="Police Officer",
                took_office=service.took_office, curp=None,
                names=f"{officer.given_names.split()[0]} {officer.first_surname}",
                income=Income(public=public, declarant=public,
                              total=Amount(public.value + household.value, pay.currency),
                              household=household, period=IncomePeriod.YEAR),
                items=())
            batch.append(to_new(declaration, officer_id, filed.date(), rates,
                                document(declaration)))
        tx.declarations.add(batch, by=actor.username, at=tx.now)
        tx.audit.record(actor, AuditAction.DECLARATION_IMPORT, "declarations", None, detail={
            "demo": "payroll_sample", "seed": seed, "year": year + 1,
            "declarations": len(batch), "officers": chosen, "under_declared": under,
            **actor.attribution()})
        return PayrollSample(chosen, under)
