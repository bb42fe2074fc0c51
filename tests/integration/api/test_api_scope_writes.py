"""Writes that name an agency are judged against the actor's scope for that agency too, not
only for the officer: a scoped account may not speak for an agency outside its scope."""

from __future__ import annotations

from api_support import assert_problem, audit, bearer, client, count, officer_body

from confianza.bootstrap import Container
from confianza.domain.audit import AuditAction
from confianza.domain.permissions import Role, Scope, ScopeKind

JALISCO = Scope(ScopeKind.STATE, state_code="14")


def test_a_badge_of_an_agency_outside_the_scope_is_refused_and_audited(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    hr = bearer(container, Role.AGENCY_HR, JALISCO)
    officer_id = http.post("/api/v1/officers", headers=hr,
                           json=officer_body(agencies["JAL-SSP"])).json()["id"]
    before = count(container, "badges")
    refused = http.post(f"/api/v1/officers/{officer_id}/badges", headers=hr,
                        json={"agency_id": agencies["NL-FC"], "number": "PROBE-X1"})
    assert_problem(refused, 403, "outside your scope")
    assert count(container, "badges") == before
    denied = audit(container, AuditAction.ACCESS_DENIED)
    assert [(e.resource_type, e.resource_id, e.detail["permission"]) for e in denied] == [
        ("agency", str(agencies["NL-FC"]), "officer:badge:write")]


def test_a_badge_inside_the_scope_answers_with_its_agency_code(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    hr = bearer(container, Role.AGENCY_HR, JALISCO)
    officer_id = http.post("/api/v1/officers", headers=hr,
                           json=officer_body(agencies["JAL-SSP"])).json()["id"]
    issued = http.post(f"/api/v1/officers/{officer_id}/badges", headers=hr,
                       json={"agency_id": agencies["JAL-GDL-PM"], "number": " GDL-9 "})
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert (body["agency_id"], body["agency_code"], body["number"]) == (
        agencies["JAL-GDL-PM"], "JAL-GDL-PM", "GDL-9")
