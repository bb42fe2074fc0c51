"""Asset declarations over HTTP, on both databases (ADR 0038, addendum 2): an officer's S1
answer (valid against the tests' copy of the PDN schema) and checks for the roles that hold the
record, a case from a finding for internal affairs, HR's list in scope, and an import refused
with the document and JSON path named; refusals are problem documents and audited."""

from __future__ import annotations

import pytest
from api_support import assert_problem, audit, client, make_user, token_for
from fastapi.testclient import TestClient

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.declarations.rules.records import DeclarationKind
from confianza.trail.rules import AuditAction
from declarations_results_support import officer_with_cash_house
from declarations_support import errors

V1 = "/api/v1"
JALISCO = Scope(ScopeKind.STATE, "14")


@pytest.fixture
def officer(container: Container, agencies: dict[str, int]) -> int:
    return officer_with_cash_house(container, agencies["JAL-GDL-PM"], "PERM880314MJCXXX02")


@pytest.fixture
def http(container: Container) -> TestClient:
    return client(container)


def _as(container: Container, role: Role, scope: Scope = JALISCO) -> dict[str, str]:
    return token_for(container, make_user(container, role, scope,
                                          f"{role.value}-{scope.state_code}".replace("_", "-")))


def test_an_officers_declarations_and_checks(container: Container, http: TestClient,
                                             officer: int) -> None:
    headers = _as(container, Role.CERTIFICATION_OFFICER)
    answer = http.get(f"{V1}/declarations/officers/{officer}?pageSize=1&page=2",
                      headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert errors(DeclarationKind.MODIFICATION, body,
                  "#/components/schemas/resDeclaraciones") == []
    assert body["pagination"] == {"pageSize": 1, "page": 2, "totalRows": 2,
                                  "hasNextPage": False}
    checks = http.get(f"{V1}/declarations/officers/{officer}/checks", headers=headers)
    assert checks.status_code == 200, checks.text
    found = {f["rule"]: f for f in checks.json()["findings"]}
    assert found["cash_purchases"]["amount_mxn"] == 2_500_000
    assert len(checks.json()["declarations"]) == 2
    other = _as(container, Role.CERTIFICATION_OFFICER, Scope(ScopeKind.STATE, "19"))
    refused = http.get(f"{V1}/declarations/officers/{officer}/checks", headers=other)
    assert_problem(refused, 403, "outside your scope")
    assert audit(container, AuditAction.ACCESS_DENIED)


def test_internal_affairs_opens_a_case_from_a_finding(container: Container,
                                                       http: TestClient, officer: int) -> None:
    headers = _as(container, Role.INTERNAL_AFFAIRS_SUPERVISOR)
    opened = http.post(f"{V1}/declarations/officers/{officer}/checks/cash_purchases/case",
                       headers=headers)
    assert opened.status_code == 201, opened.text
    case = http.get(f"{V1}/integrity/cases/{opened.json()['case_id']}", headers=headers)
    assert case.status_code == 200, case.text
    none = http.post(f"{V1}/declarations/officers/{officer}/checks/salary_mismatch/case",
                     headers=headers)
    assert_problem(none, 409, "finds nothing")
    bad = http.post(f"{V1}/declarations/officers/{officer}/checks/no_such_rule/case",
                    headers=headers)
    assert bad.status_code == 422


def test_hr_lists_missing_declarations_in_scope(container: Container, http: TestClient,
                                                officer: int) -> None:
    listed = http.get(f"{V1}/declarations/due?limit=10", headers=_as(container, Role.AGENCY_HR))
    assert listed.status_code == 200, listed.text
    result = listed.json()["results"]
    assert [r["officer_id"] for r in result] == [officer]
    assert {"kind": "modification", "year": 2024, "due": "2024-05-31"} in result[0]["missing"]
    elsewhere = http.get(f"{V1}/declarations/due",
                         headers=_as(container, Role.AGENCY_HR, Scope(ScopeKind.STATE, "19")))
    assert elsewhere.json()["results"] == []


def test_an_import_no_role_may_make_is_refused(container: Container, http: TestClient) -> None:
    refused = http.post(f"{V1}/declarations", json=[{"id": "x"}],
                        headers=_as(container, Role.INTERNAL_AFFAIRS_SUPERVISOR))
    assert_problem(refused, 403, "declaration:record:import")
