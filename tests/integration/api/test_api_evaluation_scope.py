"""An evaluation shows its officer, so it is read as the officer is read: by whoever holds the
officer now, not by the agency that asked for it. An agency that loses the officer (a transfer
to a federal force) stops seeing the evaluation; the new holder sees it."""

from __future__ import annotations

from datetime import date

from api_support import assert_problem, audit, bearer, client, officer_body

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind, system_actor
from confianza.app.bootstrap import Container
from confianza.kit.curp import build_curp
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.service import assignments as assignment_service
from confianza.trail.rules import AuditAction

JALISCO = Scope(ScopeKind.STATE, state_code="14")
V1 = "/api/v1"


def test_an_agency_stops_seeing_the_evaluation_of_an_officer_who_left(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    jalisco = bearer(container, Role.AGENCY_HR, JALISCO, username="hr-jalisco")
    federal = bearer(container, Role.AGENCY_HR,
                     Scope(ScopeKind.AGENCY, agency_id=agencies["GN"]), username="hr-gn")
    officer_id = http.post(f"{V1}/officers", headers=jalisco,
                           json=officer_body(agencies["JAL-SSP"])).json()["id"]
    asked = http.post(f"{V1}/evaluations", headers=jalisco, json={
        "officer_id": officer_id, "agency_id": agencies["JAL-SSP"], "kind": "permanence"})
    assert asked.status_code == 201, asked.text
    evaluation_id = asked.json()["id"]
    # While the officer is Jalisco's, Jalisco reads and lists the evaluation.
    assert http.get(f"{V1}/evaluations/{evaluation_id}", headers=jalisco).status_code == 200
    # The officer moves to the Guardia Nacional.
    assignment_service.add_assignment(
        container.uow(), system_actor("ops"), officer_id, assignment_service.NewAssignment(
            agencies["GN"], "Agente", date(2026, 6, 1), ChangeReason.TRANSFER))
    denied_before = len(audit(container, AuditAction.ACCESS_DENIED))

    assert_problem(http.get(f"{V1}/officers/{officer_id}", headers=jalisco), 403,
                   "outside your scope")
    refused = http.get(f"{V1}/evaluations/{evaluation_id}", headers=jalisco)
    body = assert_problem(refused, 403, "outside your scope")
    assert "PEÑA" not in refused.text.upper() and "curp" not in body
    assert_problem(http.get(f"{V1}/officers/{officer_id}/evaluations", headers=jalisco), 403,
                   "outside your scope")
    listed = http.get(f"{V1}/evaluations", headers=jalisco,
                      params={"agency_id": agencies["JAL-SSP"]})
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []
    assert http.get(f"{V1}/evaluations", headers=jalisco).json()["items"] == []
    assert len(audit(container, AuditAction.ACCESS_DENIED)) == denied_before + 3

    # The new holder reads it, on the officer's record, though another agency asked for it;
    # its own lists show what it asked for (they are cut by the requesting agency first).
    assert http.get(f"{V1}/evaluations/{evaluation_id}", headers=federal).status_code == 200
    history = http.get(f"{V1}/officers/{officer_id}/evaluations", headers=federal)
    assert history.status_code == 200, history.text
    assert [e["id"] for e in history.json()["items"]] == [evaluation_id]
    assert http.get(f"{V1}/evaluations", headers=federal).json()["items"] == []


def test_a_new_entry_request_cannot_name_an_officer_outside_the_scope(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    jalisco = bearer(container, Role.AGENCY_HR, JALISCO, username="hr-jalisco")
    elsewhere = http.post(f"{V1}/officers", headers=clerk,
                          json=officer_body(agencies["NL-FC"])).json()["id"]
    refused = http.post(f"{V1}/evaluations", headers=jalisco, json={
        "officer_id": elsewhere, "agency_id": agencies["JAL-SSP"], "kind": "new_entry",
        "rank": "Policía"})
    assert_problem(refused, 403, "outside your scope")
    (denied,) = audit(container, AuditAction.ACCESS_DENIED)
    assert (denied.resource_type, denied.resource_id) == ("officer", str(elsewhere))


def test_an_officer_with_no_open_posting_is_listed_by_their_last_holder(
    container: Container, agencies: dict[str, int]
) -> None:
    """The holder of an officer who holds no post is the agency of their latest posting. The
    test of "latest" compares with the officer's own postings: a subquery left to correlate by
    itself once compared with every officer's (the latest posting in the whole registry), and
    the officer who resigned from Jalisco vanished from Jalisco's lists."""
    http = client(container)
    jalisco = bearer(container, Role.AGENCY_HR, JALISCO, username="hr-jalisco")
    leon = bearer(container, Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="19"),
                  username="hr-nl")
    resigned = http.post(f"{V1}/officers", headers=jalisco,
                         json=officer_body(agencies["JAL-SSP"])).json()["id"]
    asked = http.post(f"{V1}/evaluations", headers=jalisco, json={
        "officer_id": resigned, "agency_id": agencies["JAL-SSP"], "kind": "permanence"})
    assert asked.status_code == 201, asked.text
    # Someone else is posted later than anyone in Jalisco, in Nuevo León.
    later = officer_body(agencies["NL-FC"], given_names="Rosa", first_surname="Luna",
                         second_surname="Mar",
                         curp=build_curp("Luna", "Mar", "Rosa", date(1988, 3, 14), "M", "NL"))
    later["assignment"]["start_date"] = "2026-10-01"
    later_id = http.post(f"{V1}/officers", headers=leon, json=later).json()["id"]
    other = http.post(f"{V1}/evaluations", headers=leon, json={
        "officer_id": later_id, "agency_id": agencies["NL-FC"], "kind": "permanence"})
    assert other.status_code == 201, other.text
    operator = system_actor("ops")
    with container.uow().transaction(read_only=True) as tx:
        (posting,) = tx.officers.assignments(resigned)
    assignment_service.end_assignment(container.uow(), operator, posting.id, date(2026, 9, 30),
                                      ChangeReason.RESIGNATION)

    listed = http.get(f"{V1}/evaluations", headers=jalisco).json()["items"]
    assert [e["id"] for e in listed] == [asked.json()["id"]]
    mine = http.get(f"{V1}/evaluations", headers=leon).json()["items"]
    assert [e["id"] for e in mine] == [other.json()["id"]]
