"""Final sanctions exported in the public form of the PDN's system S3 (issue 17, item 7).

A sanction decided here is final once no appeal can change it: the appeal period passed with
none filed, or the appeal was decided and upheld it (`rules.sanctions_s3.final_on`). Only
those are exported, by the internal-affairs supervisor of the scope, within that scope; the
discipline recorded by another authority in imported complaints is not (ADR 0035). Each export
is one audit entry naming how many records it handed out; a refused one leaves its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import FieldError, ValidationFailed
from confianza.integrity.rules.catalogue import AppealOutcome, FindingKind
from confianza.integrity.rules.records import Case, Sanction
from confianza.integrity.rules.sanctions_s3 import (
    CASE_KINDS,
    FinalSanction,
    final_on,
    s3_record,
)
from confianza.integrity.rules.stages import DEADLINES
from confianza.registry.rules.agencies import Agency
from confianza.registry.rules.officers import Officer
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import Transaction, UnitOfWork

PAGE_SIZE = 10
PAGE_SIZE_MAX = 200  # S3's own limit
#: Who decides a sanction here (ADR 0030): named in `autoridadSancionadora`.
AUTHORITY = "Comisión de Honor y Justicia"
UNKNOWN_RANK = "NO REGISTRADO"


@dataclass(frozen=True)
class S3Export:
    """The S3 records of one page of final sanctions (or of all of them), and how many there
    are in the caller's scope."""

    records: list[dict[str, object]]
    total: int
    page: int
    page_size: int

    def document(self) -> dict[str, object]:
        """The S3 API's answer: `pagination` and `results`. With no final sanction at all,
        `totalRows` is 0 (S3's schema asks for at least 1: it has no way to say "none")."""
        return {"pagination": {"pageSize": self.page_size, "page": self.page,
                               "totalRows": self.total,
                               "hasNextPage": self.page * self.page_size < self.total},
                "results": self.records}


@dataclass(frozen=True)
class _Firm:
    sanction: Sanction
    case: Case
    final: datetime  # the start of the day it became firm, in the deployment's zone


def _final(tx: Transaction, sanctions: Sequence[Sanction]) -> list[_Firm]:
    cases: dict[int, tuple[Case | None, bool, date | None]] = {}
    found = []
    for sanction in sanctions:
        if sanction.case_id not in cases:
            appeal = tx.integrity.appeal(sanction.case_id)
            upheld = (appeal.decided_on if appeal is not None
                      and appeal.outcome is AppealOutcome.UPHELD else None)
            cases[sanction.case_id] = (tx.integrity.case(sanction.case_id),
                                       appeal is not None, upheld)
        case, appealed, upheld = cases[sanction.case_id]
        day = final_on(sanction.decided_on, tx.today, appeal_filed=appealed, upheld_on=upheld,
                       appeal_days=DEADLINES.appeal_days)
        if case is not None and day is not None:
            found.append(_Firm(sanction, case, datetime.combine(day, time(), tzinfo=tx.zone)))
    return found


def _rank(tx: Transaction, firm: _Firm) -> str:
    """The rank the officer held at the case's agency on the day of the sanction (else their
    latest rank there, else anywhere)."""
    postings = sorted(tx.officers.assignments(firm.sanction.officer_id),
                      key=lambda a: a.start_date)
    day = firm.sanction.decided_on
    here = [a for a in postings if a.agency_id == firm.case.agency_id] or postings
    held = [a for a in here if a.start_date <= day and (a.end_date is None or day <= a.end_date)]
    chosen = (held or here)[-1:] if here else []
    return chosen[0].rank if chosen and chosen[0].rank.strip() else UNKNOWN_RANK


def _sanction(tx: Transaction, firm: _Firm, officer: Officer, agency: Agency) -> FinalSanction:
    s = firm.sanction
    findings = {f.allegation_id: f for f in tx.integrity.findings(s.case_id)}
    sustained = [a.kind.value for a in tx.integrity.allegations(s.case_id)
                 if a.officer_id == s.officer_id and a.id in findings
                 and findings[a.id].finding is FindingKind.SUSTAINED]
    notes = []
    if s.days:
        notes.append(f"Duración: {s.days} días.")
    if len(sustained) > 1:
        notes.append("Otras faltas acreditadas en el expediente: "
                     f"{', '.join(sorted(set(sustained[1:])))}.")
    return FinalSanction(
        id=f"{agency.code}-{s.id}", given_names=officer.given_names,
        first_surname=officer.first_surname, second_surname=officer.second_surname,
        curp=officer.curp, sex=officer.sex.value if officer.sex else None,
        position=_rank(tx, firm), institution=agency.name, institution_code=agency.code,
        kinds=(CASE_KINDS[s.kind.value],), allegation=sustained[0] if sustained else "other",
        grounds=s.grounds, resolved=s.decided_on, recorded=firm.final,
        file_number=f"{agency.code}/IA/{s.case_id}", authority=AUTHORITY,
        notes=" ".join(notes) or None)


def export_s3(uow: UnitOfWork, actor: Actor, *, page: int = 1, page_size: int = PAGE_SIZE,
              everything: bool = False) -> S3Export:
    """One page of the final sanctions of the caller's scope as S3 records, oldest sanction
    first (`everything`: all of them, for the command's file)."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.SANCTIONS_EXPORT, "integrity_sanctions", None
    ):
        require(actor, Permission.SANCTIONS_EXPORT, resource_type="integrity_sanctions")
        problems = []
        if not 1 <= page_size <= PAGE_SIZE_MAX:
            problems.append(FieldError("pageSize", f"must be between 1 and {PAGE_SIZE_MAX}"))
        if page < 1:
            problems.append(FieldError("page", "must be at least 1"))
        if problems:
            raise ValidationFailed(problems)
        firm = _final(tx, tx.integrity.sanctions_in_scope(actor.scope))
        if everything:
            page, page_size, chosen = 1, max(len(firm), 1), firm
        else:
            chosen = firm[(page - 1) * page_size:page * page_size]
            if not chosen and page > 1:
                pages = -(-len(firm) // page_size)
                raise ValidationFailed(FieldError("page", f"there is no page {page}: "
                                                  f"{len(firm)} records make {pages} pages"))
        officers = {o.id: o for o in tx.officers.many(
            sorted({f.sanction.officer_id for f in chosen}))}
        agencies = tx.agencies.many({f.case.agency_id for f in chosen})
        records = [s3_record(_sanction(tx, f, officers[f.sanction.officer_id],
                                       agencies[f.case.agency_id])) for f in chosen]
        tx.audit.record(actor, AuditAction.SANCTIONS_EXPORT, "integrity_sanctions", None,
                        detail={"records": len(records), "total": len(firm), "page": page,
                                "page_size": page_size, "scope": actor.scope.describe(),
                                **actor.attribution()})
        return S3Export(records, len(firm), page, page_size)
