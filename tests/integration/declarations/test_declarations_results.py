"""Where the checks' results go, on SQLite and PostgreSQL (ADR 0038, addendum 2): one officer's
findings for the roles with need-to-know and the examiner of the socio-economic exam, an
integrity case opened from a finding with the declaration as filed as its evidence, agency HR's
missing and late list in scope; the API and the pages; every read and refusal audited."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.db.models import AuditEntryRow, DeclarationRow
from confianza.core.errors import Conflict, Forbidden, ValidationFailed
from confianza.declarations.rules.checks import CheckSettings, Rule
from confianza.declarations.service.findings import allege, due_list, officer_checks
from confianza.integrity.service.cases import read_case
from conftest import actor
from declarations_results_support import officer_with_cash_house

CURP = "PERM880314MJCXXX02"
S = CheckSettings()
JALISCO = Scope(ScopeKind.STATE, "14")
NUEVO_LEON = Scope(ScopeKind.STATE, "19")


@pytest.fixture
def officer(container: Container, agencies: dict[str, int]) -> int:
    return officer_with_cash_house(container, agencies["JAL-GDL-PM"], CURP)


def _actions(container: Container) -> list[str]:
    with container.session_factory() as s:
        return list(s.scalars(select(AuditEntryRow.action).order_by(AuditEntryRow.id)))


def _entries(container: Container, action: str) -> list[AuditEntryRow]:
    with container.session_factory() as s:
        return list(s.scalars(select(AuditEntryRow).where(AuditEntryRow.action == action)
                              .order_by(AuditEntryRow.id)))


def test_the_certification_officer_in_scope_reads_the_findings(
        container: Container, officer: int) -> None:
    checks = officer_checks(container.uow(), actor(Role.CERTIFICATION_OFFICER, JALISCO),
                            officer, S)
    rules = {f.rule for f in checks.findings}
    assert Rule.CASH_PURCHASES in rules
    assert [d.source_id for d in checks.declarations] == [f"{CURP}-2025", f"{CURP}-2026"]
    with container.session_factory() as s:
        kept = dict(s.execute(select(DeclarationRow.id, DeclarationRow.document)).all())
    assert checks.sha256 == {i: hashlib.sha256(t.encode()).hexdigest() for i, t in kept.items()}
    entry = _entries(container, "declaration:check:read")[-1]
    assert entry.resource_id == str(officer)
    assert "cash_purchases" in json.loads(entry.detail)["findings"]


@pytest.mark.parametrize("who", [actor(Role.CERTIFICATION_OFFICER, NUEVO_LEON),
                                 actor(Role.EXAMINER), actor(Role.AGENCY_HR)],
                         ids=["other-state", "examiner", "agency-hr"])
def test_others_are_refused_and_the_refusal_recorded(container: Container, officer: int,
                                                     who: Actor) -> None:
    with pytest.raises(Forbidden):
        officer_checks(container.uow(), who, officer, S)
    assert _actions(container)[-1] == "authz:permission:denied"
    assert not _entries(container, "declaration:check:read")


def test_a_finding_opens_an_integrity_case_with_the_declaration_as_evidence(
        container: Container, officer: int) -> None:
    supervisor = actor(Role.INTERNAL_AFFAIRS_SUPERVISOR, JALISCO)
    done = allege(container.uow(), supervisor, officer, Rule.CASH_PURCHASES, S)
    with container.session_factory() as s:
        document = s.scalar(select(DeclarationRow.document)
                            .where(DeclarationRow.id == done.declaration_id))
        source = s.scalar(select(DeclarationRow.source_id)
                          .where(DeclarationRow.id == done.declaration_id))
    assert source == f"{CURP}-2026"
    assert done.sha256 == hashlib.sha256((document or "").encode()).hexdigest()
    case = read_case(container.uow(), supervisor, done.case_id)
    assert [a.allegation.officer_id for a in case.allegations] == [officer]
    assert [e.sha256 for e in case.evidence] == [done.sha256]
    assert done.sha256 in case.sources[0].account
    actions = _actions(container)
    assert actions.index("integrity:case:open") < actions.index("declaration:finding:allege")
    entry = _entries(container, "declaration:finding:allege")[-1]
    detail = json.loads(entry.detail)
    assert detail["sha256"] == done.sha256 and detail["rule"] == "cash_purchases"


def test_only_a_present_wealth_finding_opens_a_case(container: Container,
                                                    officer: int) -> None:
    supervisor = actor(Role.INTERNAL_AFFAIRS_SUPERVISOR, JALISCO)
    with pytest.raises(Conflict, match="finds nothing"):
        allege(container.uow(), supervisor, officer, Rule.VANISHED_ASSETS, S)
    with pytest.raises(ValidationFailed, match="does not open a case"):
        allege(container.uow(), supervisor, officer, Rule.MISSING_OR_LATE, S)
    with pytest.raises(Forbidden):  # reads findings, but opens no case
        allege(container.uow(), actor(Role.CERTIFICATION_OFFICER, JALISCO), officer,
               Rule.CASH_PURCHASES, S)
    assert not _entries(container, "integrity:case:open")


def test_hr_sees_missing_and_late_declarations_of_its_scope_only(
        container: Container, officer: int) -> None:
    found = due_list(container.uow(), actor(Role.AGENCY_HR, JALISCO), S)
    assert [line.officer_id for line in found.lines] == [officer]
    line = found.lines[0]
    assert line.names == "María Peña Ruiz" and line.curp == CURP
    # Owed from 2020: the modifications of 2020 to 2024 were never filed.
    assert [(d.kind.value, d.year) for d in line.missing] == [
        ("modification", y) for y in range(2020, 2025)]
    assert line.late == []
    assert json.loads(_entries(container, "declaration:due:read")[-1].detail)["officers"] == [
        officer]
    elsewhere = due_list(container.uow(), actor(Role.AGENCY_HR, NUEVO_LEON), S)
    assert elsewhere.lines == [] and elsewhere.officers == 0
    with pytest.raises(Forbidden):
        due_list(container.uow(), actor(Role.CERTIFICATION_OFFICER), S)
