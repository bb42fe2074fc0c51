"""Integrity cases over HTTP, on both databases: intake to finding and sanction, need-to-know,
and the issue's bad input — an unknown or ambiguous accused, evidence too large or of a
refused type, a finding without grounds or resting on what cannot stand, a decision by someone
barred — each a problem document naming what is wrong, nothing written, the refusal audited."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from api_support import assert_problem, client, error_locations
from integrity_api_support import (
    CASES,
    GROUNDS,
    PDF,
    SECRET,
    Cast,
    case_rows,
    intake,
    make_cast,
    ok,
    source,
    to_finding,
)
from trust_api_support import V1, audit_mark, entries_since

from confianza.app.bootstrap import Container
from confianza.trail.rules import AuditAction
from confianza.vetting.service.exams import ATTACHMENT_MAX

REFUSED = AuditAction.REQUEST_REFUSED.value
DENIED = AuditAction.ACCESS_DENIED.value


@pytest.fixture
def cast(container: Container, agencies: dict[str, int]) -> Cast:
    return make_cast(container, agencies)


def refused_alone(cast: Cast, attempt: Callable[[], httpx.Response], status: int,
                  action: str, *fragments: str) -> dict[str, Any]:
    """The attempt is refused as said, changes no case table, and adds exactly one audit
    entry: the refusal's."""
    before, mark = case_rows(cast.container), audit_mark(cast.container)
    body = assert_problem(attempt(), status, *fragments)
    assert case_rows(cast.container) == before
    added = entries_since(cast.container, mark)
    assert [e.action for e in added] == [action], added
    return body


def test_intake_to_sanction_with_need_to_know(cast: Cast) -> None:
    http, h = client(cast.container), cast.headers
    body = intake(cast)
    body["allegations"].append({"kind": "abuse_of_authority", "summary": "Amenazó al chofer "
                                "con detenerlo si no pagaba.", "sources": [0],
                                "accused_name": "El Güero", "accused_badge": "4471"})
    response = http.post(CASES, headers=h["intake"], json=body)
    opened = ok(response, 201)
    case_id = opened["case"]["id"]
    assert response.headers["Location"] == f"{CASES}/{case_id}"
    unmatched = opened["allegations"][1]
    assert (unmatched["officer_id"], unmatched["accused_name"]) == (None, "El Güero")
    assert opened["allegations"][0]["standing"] == "uncorroborated"

    allegation_id, evidence_id = to_finding(http, cast, case_id)
    queue = ok(http.get(f"{V1}/integrity/queue", headers=h["decider"]))
    assert [line["case"]["id"] for line in queue["items"]] == [case_id]
    assert queue["items"][0]["due"]["stage"] == "finding"

    found = ok(http.post(f"{CASES}/{case_id}/findings", headers=h["decider"], json={
        "allegation_id": allegation_id, "finding": "sustained", "grounds": GROUNDS,
        "relied_on": [{"kind": "evidence", "id": evidence_id}]}))
    first = found["allegations"][0]
    assert first["standing"] == "corroborated"
    assert first["finding"]["in_effect"] and first["finding"]["finding"] == "sustained"
    assert [r["code"] for r in first["reasons"]][0] == "evidence_supports"
    assert found["evidence"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    ok(http.post(f"{CASES}/{case_id}/findings", headers=h["decider"], json={
        "allegation_id": found["allegations"][1]["id"], "finding": "not_sustained",
        "grounds": "Nadie más vio la amenaza y el chofer no la repitió."}))
    sanctioned = ok(http.post(f"{CASES}/{case_id}/sanctions", headers=h["decider"], json={
        "officer_id": cast.world.officer_id, "kind": "suspension", "days": 15,
        "grounds": GROUNDS}))
    assert sanctioned["case"]["stage"] == "sanction"

    # HR learns that the case exists and its stage, and nothing more.
    stage = ok(http.get(f"{CASES}/{case_id}/stage", headers=h["hr"]))
    assert stage == {"id": case_id, "stage": "sanction", "stage_since": "2026-11-20"}
    listed = ok(http.get(f"{V1}/officers/{cast.world.officer_id}/integrity-cases",
                         headers=h["hr"]))
    assert [c["id"] for c in listed] == [case_id]
    assert_problem(http.get(f"{CASES}/{case_id}", headers=h["hr"]), 403, "does not allow")
    # A decider of the commission who is not one of this case's people reads nothing.
    refused_alone(cast, lambda: http.get(f"{CASES}/{case_id}", headers=h["outsider"]), 403,
                  DENIED, "not one of this case's people")
    # The appeal, filed by HR, decided by the third person.
    ok(http.post(f"{CASES}/{case_id}/appeal", headers=h["hr"],
                 json={"grounds": "El oficial estaba comisionado en otro servicio ese día."}))
    closed = ok(http.post(f"{CASES}/{case_id}/appeal/decision", headers=h["appeal"], json={
        "outcome": "overturned", "resolution": "La bitácora del servicio confirma su dicho."}))
    assert closed["case"]["stage"] == "closed"
    assert closed["appeal"]["outcome"] == "overturned"


def test_an_unknown_officer_is_refused_and_a_name_kept_unmatched(cast: Cast) -> None:
    http, h = client(cast.container), cast.headers
    body = refused_alone(cast, lambda: http.post(
        CASES, headers=h["intake"], json=intake(cast, officer_id=999_999)),
        422, REFUSED, "officer 999999 does not exist")
    assert error_locations(body) == {"allegations[0].officer_id"}
    # Neither an id nor a name: refused naming what to give.
    refused_alone(cast, lambda: http.post(
        CASES, headers=h["intake"], json=intake(cast, officer_id=None)), 422, REFUSED,
        "name the accused")
    # An accused the clerk cannot pin down (two officers share the name) is kept as given.
    kept = ok(http.post(CASES, headers=h["intake"],
                        json=intake(cast, officer_id=None, accused_name="Ana Luisa Ortega")),
              201)
    assert kept["allegations"][0]["officer_id"] is None
    assert kept["allegations"][0]["accused_name"] == "Ana Luisa Ortega"


def test_a_protected_source_is_never_shown(cast: Cast) -> None:
    http, h = client(cast.container), cast.headers
    opened = ok(http.post(CASES, headers=h["intake"], json=intake(cast, [source(
        "witness_statement", protected=True, protected_identity=SECRET)])), 201)
    assert "Secreto" not in str(opened)
    ok(http.post(f"{CASES}/{opened['case']['id']}/assignments", headers=h["supervisor"],
                 json={"user_id": cast.id("investigator"), "duty": "investigator"}))
    shown = http.get(f"{CASES}/{opened['case']['id']}", headers=h["supervisor"]).text
    assert "Secreto" not in shown and '"protected":true' in shown


def test_evidence_too_large_or_of_a_refused_type(cast: Cast) -> None:
    http, h = client(cast.container), cast.headers
    case_id = ok(http.post(CASES, headers=h["intake"], json=intake(cast)), 201)["case"]["id"]
    ok(http.post(f"{CASES}/{case_id}/assignments", headers=h["supervisor"],
                 json={"user_id": cast.id("investigator"), "duty": "investigator"}))
    url = f"{CASES}/{case_id}/evidence"
    body = refused_alone(cast, lambda: http.post(
        url, headers=h["investigator"], files={"file": ("x.exe", b"MZ", "application/x-msdos")},
        data={"description": "Archivo recibido por correo."}), 422, REFUSED, "is not accepted")
    assert error_locations(body) == {"media_type"}
    body = refused_alone(cast, lambda: http.post(
        url, headers=h["investigator"],
        files={"file": ("big.pdf", b"0" * (ATTACHMENT_MAX + 1), "application/pdf")},
        data={"description": "Expediente escaneado completo."}), 422, REFUSED, "larger than")
    assert error_locations(body) == {"file"}
    added = ok(http.post(url, headers=h["investigator"],
                         files={"file": ("acta.pdf", PDF, "application/pdf")},
                         data={"description": "Acta de hechos del MP."}), 201)
    assert added["size"] == len(PDF) and len(added["sha256"]) == 64
    refused_alone(cast, lambda: http.post(
        url, headers=h["investigator"], files={"file": ("copia.pdf", PDF, "application/pdf")},
        data={"description": "La misma acta, otra vez."}), 409, REFUSED, "already holds")


def test_findings_without_grounds_or_on_what_cannot_stand(cast: Cast) -> None:
    http, h = client(cast.container), cast.headers
    case_id = ok(http.post(CASES, headers=h["intake"], json=intake(
        cast, [source("anonymous_line")])), 201)["case"]["id"]
    allegation_id, evidence_id = to_finding(http, cast, case_id)
    sources = ok(http.get(f"{CASES}/{case_id}", headers=h["decider"]))["sources"]
    url = f"{CASES}/{case_id}/findings"
    body = refused_alone(cast, lambda: http.post(url, headers=h["decider"], json={
        "allegation_id": allegation_id, "finding": "unfounded", "grounds": "  "}),
        422, REFUSED, "grounds")
    assert error_locations(body) == {"grounds"}
    body = refused_alone(cast, lambda: http.post(url, headers=h["decider"], json={
        "allegation_id": allegation_id, "finding": "sustained", "grounds": GROUNDS,
        "relied_on": [{"kind": "source", "id": sources[0]["id"]}]}),
        409, REFUSED, "only support cannot stand alone")
    assert body["title"] == "Refused by a safeguard"
    refused_alone(cast, lambda: http.post(url, headers=h["decider"], json={
        "allegation_id": allegation_id, "finding": "sustained", "grounds": GROUNDS}),
        409, REFUSED, "must say what it rests on")
    # With the supporting evidence beside it, the same finding stands.
    ok(http.post(url, headers=h["decider"], json={
        "allegation_id": allegation_id, "finding": "sustained", "grounds": GROUNDS,
        "relied_on": [{"kind": "source", "id": sources[0]["id"]},
                      {"kind": "evidence", "id": evidence_id}]}))


def test_a_decision_by_someone_barred(cast: Cast) -> None:
    http, h = client(cast.container), cast.headers
    case_id = ok(http.post(CASES, headers=h["intake"], json=intake(cast, [source(
        "witness_statement", protected=True, protected_identity=SECRET)])), 201)["case"]["id"]
    witness = ok(http.get(f"{CASES}/{case_id}", headers=h["supervisor"]))["sources"][0]["id"]
    # Who took the complaint in may not investigate it.
    refused_alone(cast, lambda: http.post(
        f"{CASES}/{case_id}/assignments", headers=h["supervisor"],
        json={"user_id": cast.id("intake"), "duty": "investigator"}), 403, REFUSED,
        "filed or relayed")
    allegation_id, evidence_id = to_finding(http, cast, case_id, coerced=(witness,))
    # The investigator holds no deciding permission at all.
    refused_alone(cast, lambda: http.post(f"{CASES}/{case_id}/findings",
                                          headers=h["investigator"], json={}),
                  403, DENIED, "does not allow")
    found = ok(http.post(f"{CASES}/{case_id}/findings", headers=h["decider"], json={
        "allegation_id": allegation_id, "finding": "sustained", "grounds": GROUNDS,
        "relied_on": [{"kind": "source", "id": witness},
                      {"kind": "evidence", "id": evidence_id}]}))
    finding = found["allegations"][0]["finding"]
    assert finding["needs_second"] and not finding["in_effect"]
    confirm = f"{CASES}/{case_id}/findings/{finding['id']}/confirmation"
    refused_alone(cast, lambda: http.post(confirm, headers=h["decider"]), 403, REFUSED,
                  "another person")
    confirmed = ok(http.post(confirm, headers=h["second"]))
    assert confirmed["allegations"][0]["finding"]["in_effect"]
