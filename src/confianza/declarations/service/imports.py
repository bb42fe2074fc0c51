"""Importing S1 declarations: the whole file or nothing (issue 20, item 1; ADR 0038).

Every document is checked before anything is kept: against S1's description of its kind
(the fault names the JSON path), every amount's currency against the rates the deployment
knows, the person by CURP, the day it was filed against the day the person first took office,
and the kind and year against the declarations already held and the file's own. When any
document fails, the import keeps nothing and the refusal names every fault of every document;
otherwise all of them are kept in one transaction with one audit entry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.civil_time import civil_date
from confianza.core.errors import FieldError, ValidationFailed
from confianza.core.memory import collector_held_off
from confianza.declarations.contracts import NewDeclaration
from confianza.declarations.rules import s1
from confianza.declarations.rules.money import in_pesos, rates_used, unknown_currency
from confianza.declarations.rules.records import Declaration, IncomePeriod
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import UnitOfWork

_CURP = "declaracion.situacionPatrimonial.datosGenerales.curp"


@dataclass(frozen=True)
class Imported:
    declarations: int
    officers: int
    by_kind: dict[str, int]


def yearly(amount: float, period: IncomePeriod, ended: date) -> float:
    """A declared income per year: a month's times twelve; a conclusion's, which runs from
    1 January to the day of leaving, scaled to the whole year (a month at least)."""
    if period is IncomePeriod.MONTH:
        return amount * 12
    if period is IncomePeriod.TO_LEAVING:
        days = max((ended - date(ended.year, 1, 1)).days + 1, 30)
        return amount * 365 / days
    return amount


def import_documents(uow: UnitOfWork, actor: Actor, documents: Sequence[tuple[str, Any]], *,
                     rates: Mapping[str, Decimal], source: str, sha256: str) -> Imported:
    """Check every (location, document) and keep them all, or refuse naming every fault."""
    with collector_held_off(), uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.DECLARATION_IMPORT, "declarations", None):
        require(actor, Permission.DECLARATION_IMPORT, resource_type="declarations")
        faults: list[FieldError] = []
        read: list[tuple[str, Declaration, str]] = []
        for where, document in documents:
            problems = s1.schema_faults(document)
            text = s1.canonical(document)
            if not s1.currencies(text) <= rates.keys():
                problems += [(path, reason) for path, code in s1.amounts(document)
                             if (reason := unknown_currency(code, rates)) is not None]
            declaration = None
            if not problems:
                try:
                    declaration = s1.read(document)
                except ValueError as exc:
                    problems.append(("metadata.actualizacion", f"is not an instant: {exc}"))
            if declaration is not None and declaration.curp is None:
                problems.append((_CURP, "names no CURP: the registry finds the declarant by "
                                 "it"))
            faults += [FieldError(f"{where}: {path}", reason) for path, reason in problems]
            if declaration is not None and not problems:
                read.append((where, declaration, text))
        people = tx.declarations.declarants([d.curp for _, d, _ in read if d.curp])
        taken = tx.declarations.taken([p.officer_id for p in people.values()])
        held = tx.declarations.known_sources([d.source_id for _, d, _ in read])
        seen_sources: set[str] = set()
        kept: list[NewDeclaration] = []
        for where, d, document in read:
            person = people.get(d.curp or "")
            filed_on = civil_date(d.filed_at, tx.zone)
            if d.source_id in held or d.source_id in seen_sources:
                faults.append(FieldError(f"{where}: id", f"declaration {d.source_id!r} is "
                                         "already " + ("held" if d.source_id in held
                                                       else "earlier in this file")))
                continue
            seen_sources.add(d.source_id)
            if person is None:
                faults.append(FieldError(f"{where}: {_CURP}", f"no officer has CURP {d.curp}"))
                continue
            if person.took_office is None or filed_on < person.took_office:
                since = ("has never taken office here" if person.took_office is None
                         else f"took office on {person.took_office}")
                faults.append(FieldError(
                    f"{where}: metadata.actualizacion",
                    f"filed on {filed_on}, before the person took office: officer "
                    f"{person.officer_id} {since}"))
                continue
            key = (person.officer_id, d.kind, filed_on.year)
            if key in taken:
                faults.append(FieldError(
                    f"{where}: metadata.tipo", f"officer {person.officer_id} already has a "
                    f"{d.kind.value} declaration for {filed_on.year}"))
                continue
            taken.add(key)
            kept.append(to_new(d, person.officer_id, filed_on, rates, document))
        if faults:
            raise ValidationFailed(faults, detail=_summary(faults, len(documents)))
        tx.declarations.add(kept, by=actor.username, at=tx.now)
        by_kind = dict(Counter(n.declaration.kind.value for n in kept))
        officers = len({n.officer_id for n in kept})
        tx.audit.record(actor, AuditAction.DECLARATION_IMPORT, "declarations", None,
                        detail={"file": source, "sha256": sha256, "declarations": len(kept),
                                "officers": officers, "kinds": by_kind,
                                **actor.attribution()})
        return Imported(len(kept), officers, by_kind)


def _summary(faults: list[FieldError], documents: int) -> str:
    bad = len({f.location.split(": ", 1)[0] for f in faults})
    first = "; ".join(f"{f.location}: {f.reason}" for f in faults[:3])
    more = f"; and {len(faults) - 3} more" if len(faults) > 3 else ""
    return (f"{bad} of {documents} declarations refused, nothing was imported: {first}{more}")


def to_new(d: Declaration, officer_id: int, filed_on: date, rates: Mapping[str, Decimal],
         document: Any) -> NewDeclaration:
    """A declaration ready to keep; `document` is the S1 document, or its canonical text."""
    ended = d.took_office if d.took_office and d.took_office <= filed_on else filed_on
    income = d.income
    currencies = {income.public.currency, income.total.currency}
    pesos = []
    for item in d.items:
        value = in_pesos(item.value.value, item.value.currency, rates) if item.value else None
        original = (in_pesos(item.original.value, item.original.currency, rates)
                    if item.original else None)
        currencies |= {a.currency for a in (item.value, item.original) if a is not None}
        pesos.append((value, original))
    return NewDeclaration(
        declaration=d, officer_id=officer_id, year=filed_on.year,
        public_income_year=yearly(in_pesos(income.public.value, income.public.currency, rates),
                                  income.period, ended),
        total_income_year=yearly(in_pesos(income.total.value, income.total.currency, rates),
                                 income.period, ended),
        pesos=tuple(pesos), rates=rates_used(currencies, rates),
        document=document if isinstance(document, str) else s1.canonical(document))
