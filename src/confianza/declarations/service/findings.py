"""Where the checks' results go (issue 20, item 3; ADR 0038, addendum 2).

- One officer's declarations and what the rules find in them, for the certification officer
  and the internal-affairs supervisor within the officer's holder, and for the examiner
  assigned to an evaluation's socio-economic exam (the officer under evaluation, nobody else).
- A finding of a wealth rule opens an integrity case through the integrity feature's own
  intake (`open_case`), with the declaration it was found in as the case's evidence: the
  document as filed, named by its SHA-256.
- Agency HR's list of the officers in its scope with declarations missing or late.

Each read writes one audit entry naming the officer (or, for the list, the officers shown);
each refusal is recorded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from confianza.accounts.rules.permissions import Actor, Holder, Permission
from confianza.accounts.service.authorization import require, require_assigned
from confianza.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from confianza.declarations.rules.checks import (
    CheckSettings,
    Due,
    ExpectedPay,
    Finding,
    Rule,
    check_officer,
    expected_pay,
    overdue,
    pay_year,
)
from confianza.declarations.rules.records import PayrollYear, Service, StoredDeclaration
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource, open_case
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.vetting.rules.evaluations import ExamType
from confianza.work import Transaction, UnitOfWork

#: The rules whose finding may open an integrity case: wealth that income does not explain.
#: A missing or late declaration is HR's to chase, not an allegation.
ALLEGEABLE = frozenset(Rule) - {Rule.MISSING_OR_LATE}
EVIDENCE_TYPE = "text/plain"  # the S1 document is JSON text; served as a download only


@dataclass(frozen=True)
class OfficerChecks:
    officer_id: int
    declarations: list[StoredDeclaration]  # oldest first, without their lines
    findings: list[Finding]
    sha256: dict[int, str]  # the SHA-256 of each of the latest two declarations as filed
    #: Per declaration, the pay the registry knows for the year it states (an imported
    #: payroll's, else the scale's), saying which.
    expected: dict[int, ExpectedPay] = field(default_factory=dict)
    #: The officer's pay by year as imported payrolls give it, latest year first.
    payroll: list[PayrollYear] = field(default_factory=list)
    names: str = ""  # the officer's full name, for the pages to say whose declarations these are


def _checks(tx: Transaction, officer_id: int, settings: CheckSettings) -> OfficerChecks:
    held = dict(tx.declarations.for_checks([officer_id]))
    declarations = held.get(officer_id, [])
    service = tx.declarations.services([officer_id]).get(officer_id)
    payroll = tx.declarations.payroll([officer_id]).get(officer_id, {})
    findings = check_officer(service, declarations, tx.today, settings, payroll)
    expected = {}
    for declaration in declarations:
        year = pay_year(declaration)
        known = None if year is None else expected_pay(service, year, settings, payroll)
        if known is not None:
            expected[declaration.id] = known
    digests = {}
    for declaration in declarations[-2:]:
        kept = tx.declarations.document(declaration.id)
        if kept is not None:
            digests[declaration.id] = hashlib.sha256(kept[1].encode("utf-8")).hexdigest()
    bare = [StoredDeclaration(d.id, d.source_id, d.officer_id, d.kind, d.complete, d.year,
                              d.filed_at, d.filed_on, d.public_income_year,
                              d.total_income_year) for d in declarations]
    names = tx.declarations.names([officer_id]).get(officer_id, ("", None))[0]
    return OfficerChecks(officer_id, bare, findings, digests, expected,
                         sorted(payroll.values(), key=lambda p: -p.year), names)


def _record(tx: Transaction, actor: Actor, checks: OfficerChecks, **detail: object) -> None:
    tx.audit.record(actor, AuditAction.DECLARATION_CHECK_READ, "officer", checks.officer_id,
                    detail={"declarations": len(checks.declarations),
                            "findings": sorted({f.rule.value for f in checks.findings}),
                            **detail, **actor.attribution()})


def officer_checks(uow: UnitOfWork, actor: Actor, officer_id: int,
                   settings: CheckSettings) -> OfficerChecks:
    """An officer's declarations and findings, for a reader holding the officer's record."""
    with uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.DECLARATION_CHECK_READ, "officer", officer_id):
        require(actor, Permission.DECLARATION_CHECK_READ, resource_type="officer",
                resource_id=officer_id)
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        require(actor, Permission.DECLARATION_CHECK_READ, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        checks = _checks(tx, officer_id, settings)
        _record(tx, actor, checks)
        return checks


def exam_checks(uow: UnitOfWork, actor: Actor, evaluation_id: int,
                settings: CheckSettings) -> OfficerChecks:
    """The findings for the officer under evaluation, for the examiner the evaluation's
    socio-economic exam is assigned to (and only them)."""
    with uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.DECLARATION_CHECK_READ, "evaluation", evaluation_id):
        evaluation = tx.evaluations.get(evaluation_id)
        if evaluation is None:
            raise NotFound(f"evaluation {evaluation_id} does not exist")
        exam = tx.evaluations.exam(evaluation_id, ExamType.SOCIOECONOMIC)
        if exam is None:
            raise NotFound(f"evaluation {evaluation_id} has no socio-economic exam")
        require_assigned(actor, Permission.EXAM_RECORD, exam.examiner_id,
                         resource_type="evaluation_exam", resource_id=exam.id)
        checks = _checks(tx, evaluation.officer_id, settings)
        _record(tx, actor, checks, evaluation_id=evaluation_id)
        return checks


@dataclass(frozen=True)
class Allegation:
    case_id: int
    declaration_id: int
    sha256: str


def allege(uow: UnitOfWork, actor: Actor, officer_id: int, rule: Rule,
           settings: CheckSettings) -> Allegation:
    """Open an integrity case from a finding of `rule` on the officer's declarations: the
    integrity intake (its own checks, entry and scope), then the declaration as filed kept as
    the case's evidence, with an entry naming both. The finding is computed again here: only
    a finding the rules make now can open a case."""
    if rule not in ALLEGEABLE:
        raise ValidationFailed(FieldError("rule", f"{rule.value} does not open a case: one of "
                                          + ", ".join(sorted(r.value for r in ALLEGEABLE))))
    with uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.DECLARATION_ALLEGE, "officer", officer_id):
        require(actor, Permission.DECLARATION_CHECK_READ, resource_type="officer",
                resource_id=officer_id)
        require(actor, Permission.CASE_OPEN, resource_type="officer", resource_id=officer_id)
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        holder = tx.officers.holder(officer_id)
        require(actor, Permission.DECLARATION_CHECK_READ, holder, resource_type="officer",
                resource_id=officer_id)
        checks = _checks(tx, officer_id, settings)
        _record(tx, actor, checks, allege=rule.value)
        finding = next((f for f in checks.findings if f.rule is rule), None)
        if finding is None or finding.declaration_id is None:
            raise Conflict(f"the rule {rule.value} finds nothing in officer {officer_id}'s "
                           "declarations now", code="no_finding")
        kept = tx.declarations.document(finding.declaration_id)
        assert kept is not None  # the finding was just read from it
        content = kept[1].encode("utf-8")
        digest = hashlib.sha256(content).hexdigest()
        declaration = next(d for d in checks.declarations if d.id == finding.declaration_id)
        agency_id = _agency(holder)
    if agency_id is None:
        raise Conflict(f"officer {officer_id} is held by no agency: a case is opened in one",
                       code="no_agency")
    account = (f"{finding.es} Declaración {declaration.source_id} del {declaration.filed_on} "
               f"(SHA-256 {digest}).")
    case = open_case(uow, actor, NewCase(
        agency_id=agency_id,
        summary=f"Posible enriquecimiento inexplicable ({rule.value})",
        sources=(NewSource(SourceChannel.TRUST_CONTROL_EXAMS, Reliability.B,
                           Credibility.POSSIBLY_TRUE, account, declaration.filed_on),),
        allegations=(NewAllegation(AllegationKind.OTHER, f"{finding.es} ({finding.en})",
                                   (0,), officer_id=officer_id),)))
    case_id = case.case.id
    with uow.transaction() as tx:
        tx.evaluations.add_attachment(digest, EVIDENCE_TYPE, content, tx.now)
        tx.integrity.add_evidence(
            case_id=case_id, sha256=digest, filename=f"declaracion-{declaration.source_id}.json"
            [:200], description=f"Declaración patrimonial {declaration.source_id} tal como "
            f"se presentó ({declaration.kind.value}, {declaration.filed_on})",
            added_by=actor.username, added_at=tx.now)
        tx.audit.record(actor, AuditAction.DECLARATION_ALLEGE, "integrity_case", case_id,
                        detail={"officer_id": officer_id, "rule": rule.value,
                                "declaration_id": declaration.id, "sha256": digest,
                                **actor.attribution()})
    return Allegation(case_id, declaration.id, digest)


def _agency(holder: Holder) -> int | None:
    return min(holder.agency_ids) if holder.agency_ids else None


@dataclass(frozen=True)
class DueLine:
    officer_id: int
    names: str
    curp: str | None
    missing: list[Due]
    late: list[tuple[Due, date]]  # and the day it was filed


@dataclass(frozen=True)
class DueList:
    lines: list[DueLine]
    total: int  # officers with something missing or late in scope
    officers: int  # officers in scope


def due_list(uow: UnitOfWork, actor: Actor, settings: CheckSettings, *, offset: int = 0,
             limit: int = 100) -> DueList:
    """The officers in the caller's scope whose latest posting is there, with the
    declarations they owe and have not filed, or filed late; officers in id order."""
    with uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.DECLARATION_DUE_READ, "declarations", None):
        require(actor, Permission.DECLARATION_DUE_READ, resource_type="declarations")
        problems = []
        if offset < 0:
            problems.append(FieldError("offset", "must be 0 or more"))
        if not 1 <= limit <= 500:
            problems.append(FieldError("limit", "must be between 1 and 500"))
        if problems:
            raise ValidationFailed(problems)
        scope = actor.scope
        services = tx.declarations.services(state_code=scope.state_code,
                                            agency_id=scope.agency_id)
        held = {o: s for o, s in services.items() if scope.covers(_holder_of(s))}
        filed = dict(tx.declarations.for_checks(sorted(held), lines=False)) if held else {}
        owing = []
        for officer_id in sorted(held):
            line = _owing(held[officer_id], filed.get(officer_id, []), tx.today, settings)
            if line is not None:
                owing.append(line)
        page = owing[offset:offset + limit]
        names = tx.declarations.names([o for o, _, _ in page])
        lines = [DueLine(o, *names.get(o, ("", None)), missing, late)
                 for o, missing, late in page]
        tx.audit.record(actor, AuditAction.DECLARATION_DUE_READ, "declarations", None,
                        detail={"officers": [line.officer_id for line in lines],
                                "total": len(owing), **actor.attribution()})
        return DueList(lines, len(owing), len(held))


def _holder_of(service: Service) -> Holder:
    return Holder(frozenset({service.agency_id} if service.agency_id is not None else ()),
                  frozenset({service.state_code} if service.state_code else ()))


def _owing(service: Service, declarations: list[StoredDeclaration], today: date,
           settings: CheckSettings) -> tuple[int, list[Due], list[tuple[Due, date]]] | None:
    missing, late = overdue(service, declarations, today, settings)
    return (service.officer_id, missing, late) if missing or late else None
