"""Writes that name an agency are judged against the actor's scope for that agency too, not
only for the officer: a scoped account may not speak for an agency outside its scope."""

from __future__ import annotations

from api_support import assert_problem, audit, bearer, client, count, officer_body

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.trail.rules import AuditAction

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


def test_a_duplicate_curp_names_the_officer_only_to_whom_may_read_them(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    hr = bearer(container, Role.AGENCY_HR, JALISCO, username="hr-jalisco")
    elsewhere = http.post("/api/v1/officers", headers=clerk,
                          json=officer_body(agencies["NL-FC"])).json()["id"]
    before = count(container, "officers")
    refused = http.post("/api/v1/officers", headers=hr,
                        json=officer_body(agencies["JAL-SSP"], badge="1"))
    body = assert_problem(refused, 409, "already registered in the national registry")
    assert f"officer {elsewhere}" not in body["detail"]
    assert "PERM" not in body["detail"]  # the CURP typed is not echoed either
    # The clerk, who may read the officer, is told which one it is.
    again = http.post("/api/v1/officers", headers=clerk,
                      json=officer_body(agencies["JAL-SSP"], badge="2"))
    assert_problem(again, 409, "already registered", f"officer {elsewhere}")
    assert count(container, "officers") == before
    refusals = audit(container, AuditAction.REQUEST_REFUSED)
    assert [(e.actor, e.detail["attempted"], e.detail["officer_id"], e.detail["status"])
            for e in refusals] == [
        ("hr-jalisco", "officer:identity:create", elsewhere, 409),
        ("u-registry-clerk", "officer:identity:create", elsewhere, 409)]


def test_a_curp_correction_onto_another_officer_is_refused_alike(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    hr = bearer(container, Role.AGENCY_HR, JALISCO, username="hr-jalisco")
    body = officer_body(agencies["NL-FC"])
    elsewhere = http.post("/api/v1/officers", headers=clerk, json=body).json()["id"]
    mine = http.post("/api/v1/officers", headers=hr, json=officer_body(
        agencies["JAL-SSP"], curp=None, birth_date=None, birth_year=1988)).json()["id"]
    refused = http.patch(f"/api/v1/officers/{mine}", headers=hr,
                         json={"curp": body["curp"], "birth_date": body["birth_date"]})
    detail = assert_problem(refused, 409, "already registered in the national registry")
    assert f"officer {elsewhere}" not in detail["detail"]
    (entry,) = audit(container, AuditAction.REQUEST_REFUSED)
    assert (entry.resource_id, entry.detail["attempted"], entry.detail["officer_id"]) == (
        str(mine), "officer:identity:update", elsewhere)
