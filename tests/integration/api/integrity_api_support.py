"""Helpers for the integrity API tests: the people of a case (ADR 0030) with their tokens, an
intake body, and the steps that bring a case to its deciders over HTTP.

The trust-control world (agencies, HR, one officer) comes from the service tests' support
module, put on the import path by trust_api_support.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from trust_api_support import V1, World, build_world, tokens  # puts evaluation_support on the path

from evaluation_support import person  # isort: skip - on the path once trust_api_support is in

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container

CASES = f"{V1}/integrity/cases"
GROUNDS = "Video de la caseta y el acta del ministerio público acreditan el cobro."
PDF = b"%PDF-1.4 acta de hechos"
ACCOUNT = "Relata el cobro de una cuota en el retén de la carretera."
SECRET = "Juan Testigo Secreto, tel. 33 1234 5678"

# Every table a case step writes to, rows compared whole.
CASE_TABLES = (
    "integrity_cases", "integrity_sources", "integrity_protected_identities",
    "integrity_allegations", "integrity_allegation_sources", "integrity_evidence",
    "integrity_links", "integrity_assignments", "integrity_notices", "integrity_answers",
    "integrity_findings", "integrity_sanctions", "integrity_appeals", "attachments",
)


@dataclass
class Cast:
    world: World
    people: dict[str, Actor]
    headers: dict[str, dict[str, str]]

    @property
    def container(self) -> Container:
        return self.world.container

    def id(self, who: str) -> int:
        return self.people[who].user_id or 0


def make_cast(container: Container, agencies: dict[str, int]) -> Cast:
    world = build_world(container, agencies)
    jalisco = Scope(ScopeKind.STATE, "14")
    roles = {"intake": Role.INTERNAL_AFFAIRS, "investigator": Role.INTERNAL_AFFAIRS,
             "supervisor": Role.INTERNAL_AFFAIRS_SUPERVISOR,
             "decider": Role.HONOUR_COMMISSION, "second": Role.HONOUR_COMMISSION,
             "appeal": Role.HONOUR_COMMISSION, "outsider": Role.HONOUR_COMMISSION}
    people = {who: person(container, role, f"ai-{who}", jalisco) for who, role in roles.items()}
    people["hr"] = world.hr
    found = tokens(container, *people.values())
    return Cast(world, people, dict(zip(people, found, strict=True)))


def source(channel: str = "citizen_complaint", **extra: Any) -> dict[str, Any]:
    return {"channel": channel, "reliability": "B", "credibility": "2", "account": ACCOUNT,
            "received_on": "2026-11-02", **extra}


def intake(cast: Cast, sources: list[dict[str, Any]] | None = None,
           **allegation: Any) -> dict[str, Any]:
    chosen = sources if sources is not None else [source(reporter_name="Rosa Pérez")]
    return {
        "agency_id": cast.world.agencies["JAL-SSP"],
        "summary": "Cobro de cuotas en el retén de la carretera 15.",
        "sources": chosen,
        "allegations": [{"kind": "bribery", "summary": "Cobró 500 pesos por dejar pasar un "
                         "camión.", "sources": list(range(len(chosen))),
                         "officer_id": cast.world.officer_id, **allegation}],
    }


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def to_finding(http: TestClient, cast: Cast, case_id: int, *, evidence: bool = True,
               coerced: tuple[int, ...] = ()) -> tuple[int, int | None]:
    """Assign its people, notify, serve, answer, (support with evidence), submit; returns the
    first allegation's id and the evidence's."""
    h = cast.headers
    for who, duty in (("investigator", "investigator"), ("decider", "decider"),
                      ("second", "decider"), ("appeal", "appeal_decider")):
        ok(http.post(f"{CASES}/{case_id}/assignments", headers=h["supervisor"],
                     json={"user_id": cast.id(who), "duty": duty}))
    ok(http.post(f"{CASES}/{case_id}/notice", headers=h["investigator"]))
    ok(http.post(f"{CASES}/{case_id}/notice/service", headers=h["investigator"],
                 json={"served_on": "2026-11-20"}))
    found = ok(http.post(f"{CASES}/{case_id}/answers", headers=h["investigator"], json={
        "text": "Niego los hechos; ese día estaba en otro servicio.",
        "coerced_source_ids": list(coerced)}))
    allegation_id = found["allegations"][0]["id"]
    evidence_id = None
    if evidence:
        evidence_id = ok(http.post(
            f"{CASES}/{case_id}/evidence", headers=h["investigator"],
            files={"file": ("acta.pdf", PDF, "application/pdf")},
            data={"description": "Acta de hechos del MP."}), 201)["evidence_id"]
        ok(http.post(f"{CASES}/{case_id}/links", headers=h["investigator"], json={
            "allegation_id": allegation_id, "kind": "supports", "evidence_id": evidence_id}))
    ok(http.post(f"{CASES}/{case_id}/submission", headers=h["investigator"]))
    return allegation_id, evidence_id


def case_rows(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    with container.uow().transaction() as tx:
        return {table: [tuple(r) for r in tx.session.execute(
            text(f"SELECT * FROM {table} ORDER BY 1"))] for table in CASE_TABLES}
