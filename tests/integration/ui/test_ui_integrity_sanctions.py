"""The pages after the findings, over HTTP on both databases: a sustained bribery finding asks
for a special evaluation from the case file; the sanction form refuses bad input beside itself
(typed kept, the refusal in the trail, nothing written); agency HR, who may know only the case's
stage, files the appeal on a page of its own, and is refused once the period is over; a member
of the commission who sanctioned is barred from the appeal in words; the third person decides
it, and an upheld dismissal opens the separation process the case file then mentions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from ui_support import PASSWORD, csrf_of, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, ScopeKind
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    FindingKind,
    LinkKind,
    Reliability,
    SanctionKind,
    SourceChannel,
)
from confianza.integrity.rules.safeguards import SupportKind
from confianza.integrity.rules.stages import Stage
from confianza.integrity.service import cases, decisions, process
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.integrity.service.decisions import Relied
from confianza.trail.rules import AuditAction

GROUNDS = "El video de la caseta y el acta del ministerio público acreditan el cobro."
APPEAL = "El video no corresponde a la fecha de los hechos que se le imputan."


@dataclass(frozen=True)
class Sustained:
    case_id: int
    allegation_id: int
    officer_id: int


def user(container: Container, operator: Actor, name: str, role: Role) -> int:
    return user_service.create_user(container.uow(), operator, user_service.NewUser(
        name, name.title(), PASSWORD, role, Scope(ScopeKind.STATE, "14"))).id


def me(container: Container, name: str) -> Actor:
    """The account acting as itself (a member of the commission decides as a named person)."""
    with container.uow().transaction() as tx:
        found = tx.users.by_username(name)
    assert found is not None
    return user_service.actor_for(found[0], ActorKind.USER)


def refusals(container: Container) -> list[dict[str, Any]]:
    with container.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT detail FROM audit_entries WHERE action = 'workflow:request:refused' "
            "ORDER BY id")).scalars()
        return [json.loads(detail) for detail in rows]


def sustained_case(container: Container, operator: Actor, agencies: dict[str, int],
                   officer: int) -> Sustained:
    """A bribery allegation on a citizen's complaint and a document, investigated and found
    sustained by chj-uno. The commission: chj-uno and chj-dos decide, chj-dos is also named to
    the appeal (and is barred from it once he sanctions), chj-tres decides the appeal."""
    opened = cases.open_case(container.uow(), operator, NewCase(
        agencies["JAL-SSP"], "Cobro de cuotas en el retén de la carretera 15.", (
            NewSource(SourceChannel.CITIZEN_COMPLAINT, Reliability.B,
                      Credibility.PROBABLY_TRUE, "Le cobraron 500 pesos en el retén.",
                      date(2026, 11, 2), reporter_name="Rosa Martínez"),),
        (NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos por dejar pasar un camión.",
                       (0,), officer_id=officer),)))
    case_id = opened.case.id
    allegation = opened.allegations[0].allegation.id
    for name, role in (("ai-investiga", Role.INTERNAL_AFFAIRS),
                       ("chj-uno", Role.HONOUR_COMMISSION), ("chj-dos", Role.HONOUR_COMMISSION),
                       ("chj-tres", Role.HONOUR_COMMISSION)):
        user(container, operator, name, role)
    uow = container.uow
    people = {n: me(container, n) for n in ("ai-investiga", "chj-uno", "chj-dos", "chj-tres")}
    for name, duty in (("ai-investiga", Duty.INVESTIGATOR), ("chj-uno", Duty.DECIDER),
                       ("chj-dos", Duty.DECIDER), ("chj-dos", Duty.APPEAL_DECIDER),
                       ("chj-tres", Duty.APPEAL_DECIDER)):
        cases.assign(uow(), operator, case_id, people[name].user_id or 0, duty)
    investigator = people["ai-investiga"]
    process.issue_notice(uow(), investigator, case_id)
    process.serve_notice(uow(), investigator, case_id, uow().today())
    process.record_answer(uow(), investigator, case_id, "Niego haber cobrado nada ese día.")
    evidence = process.add_evidence(uow(), investigator, case_id, f"acta-{case_id}.pdf",
                                    "application/pdf", f"%PDF-1.4 acta {case_id}".encode(),
                                    "Acta del MP.")
    process.add_link(uow(), investigator, case_id, allegation, LinkKind.SUPPORTS,
                     evidence_id=evidence)
    process.submit_for_decision(uow(), investigator, case_id)
    decisions.record_finding(uow(), people["chj-uno"], case_id, allegation,
                             FindingKind.SUSTAINED, GROUNDS,
                             [Relied(SupportKind.EVIDENCE, evidence)])
    return Sustained(case_id, allegation, officer)


def test_sanction_appeal_and_its_third_person(container: Container, operator: Actor,
                                              agencies: dict[str, int]) -> None:
    world = seed(container, operator, agencies)
    case = sustained_case(container, operator, agencies, world.maria)
    url = f"/integrity/cases/{case.case_id}"
    for client in open_client(container):
        sign_in(client, "chj-uno")
        page = client.get(url)
        assert f'action="{url}/sanction"' in page.text
        special = f"{url}/allegations/{case.allegation_id}/special-evaluation"
        assert f'action="{special}"' in page.text
        asked = client.post(special, data={"csrf_token": csrf_of(page.text)})
        assert asked.status_code == 303
        after = client.get(asked.headers["location"]).text
        assert "Evaluación especial solicitada" in after and f'action="{special}"' not in after
    for client in open_client(container):
        sign_in(client, "chj-dos")
        csrf = csrf_of(client.get(url).text)
        before = len(refusals(container))
        # A suspension without its days and without grounds: both fields say so, typed kept.
        bad = client.post(f"{url}/sanction", data={
            "csrf_token": csrf, "officer_id": str(case.officer_id), "kind": "suspension",
            "days": "", "grounds": "Corto."})
        assert bad.status_code == 422
        assert "Escriba los fundamentos (al menos 20 caracteres)." in bad.text
        assert "Escriba los días" in bad.text and "Corto." in bad.text
        assert 'value="suspension" checked' in bad.text
        # A sanction no form offers: named, not guessed.
        unknown = client.post(f"{url}/sanction", data={
            "csrf_token": csrf, "officer_id": str(case.officer_id), "kind": "exile",
            "grounds": GROUNDS})
        assert unknown.status_code == 422 and "Elija una opción de la lista." in unknown.text
        assert GROUNDS in unknown.text
        entries = refusals(container)[before:]
        assert [e["attempted"] for e in entries] == [AuditAction.CASE_SANCTION.value] * 2
        assert entries[0]["fields"] == ["days", "grounds"] and entries[1]["fields"] == ["kind"]
        assert cases.read_case(container.uow(), operator, case.case_id).sanctions == []
        done = client.post(f"{url}/sanction", data={
            "csrf_token": csrf, "officer_id": str(case.officer_id), "kind": "dismissal",
            "grounds": GROUNDS})
        assert done.status_code == 303
        shown = client.get(done.headers["location"]).text
        assert "Sanción impuesta." in shown and "Remoción" in shown
        assert "Se puede interponer un recurso hasta el" in shown
        assert f'action="{url}/sanction"' not in shown  # nobody left to sanction
    for client in open_client(container):
        sign_in(client, "jal.hr")
        record = client.get(f"/officers/{case.officer_id}").text
        assert f'href="{url}/appeal"' in record
        assert client.get(url).status_code == 403  # the file itself is not HR's to read
        page = client.get(f"{url}/appeal")
        assert page.status_code == 200 and "Sanción" in page.text
        assert GROUNDS not in page.text  # the stage and the deadline, nothing of the file
        csrf = csrf_of(page.text)
        short = client.post(f"{url}/appeal", data={"csrf_token": csrf, "grounds": "No."})
        assert short.status_code == 422 and "al menos 20 caracteres" in short.text
        filed = client.post(f"{url}/appeal", data={"csrf_token": csrf, "grounds": APPEAL})
        assert filed.status_code == 303
        assert "Recurso interpuesto" in client.get(filed.headers["location"]).text
    for client in open_client(container):
        sign_in(client, "chj-dos")
        # His home lists the appeal (he is named to it), linked to the form on the file.
        assert f'href="{url}#recurso"' in client.get("/").text
        page = client.get(url)
        assert f'action="{url}/appeal/decision"' in page.text
        before = len(refusals(container))
        barred = client.post(f"{url}/appeal/decision", data={
            "csrf_token": csrf_of(page.text), "outcome": "upheld", "resolution": GROUNDS})
        assert barred.status_code == 403
        assert "el recurso lo resuelve una tercera persona" in barred.text
        assert 'id="refused-appeal"' in barred.text and GROUNDS in barred.text
        [entry] = refusals(container)[before:]
        assert entry["attempted"] == AuditAction.CASE_APPEAL_DECIDE.value
    for client in open_client(container):
        sign_in(client, "chj-tres")
        page = client.get(url)
        csrf = csrf_of(page.text)
        before = len(refusals(container))
        unknown = client.post(f"{url}/appeal/decision", data={
            "csrf_token": csrf, "outcome": "maybe", "resolution": GROUNDS})
        assert unknown.status_code == 422 and "Elija una opción de la lista." in unknown.text
        [entry] = refusals(container)[before:]
        assert entry["fields"] == ["outcome"]
        decided = client.post(f"{url}/appeal/decision", data={
            "csrf_token": csrf, "outcome": "upheld", "resolution": GROUNDS})
        assert decided.status_code == 303
        closed = client.get(decided.headers["location"]).text
        assert "Confirma la sanción" in closed and "se abrió el proceso de separación" in closed
        english = client.get(url + "?lang=en").text
        assert "Upholds the sanction" in english
    found = cases.read_case(container.uow(), operator, case.case_id)
    assert found.case.stage is Stage.CLOSED and found.sanctions[0].kind is SanctionKind.DISMISSAL
    with container.engine.connect() as connection:
        opened = connection.execute(text(
            "SELECT officer_id FROM separation_processes WHERE integrity_case_id = :c"),
            {"c": case.case_id}).scalars().all()
    assert opened == [case.officer_id]


def test_an_appeal_after_its_period_is_refused_in_words(
    container: Container, operator: Actor, agencies: dict[str, int], clock: Any
) -> None:
    world = seed(container, operator, agencies)
    case = sustained_case(container, operator, agencies, world.maria)
    decisions.record_sanction(container.uow(), me(container, "chj-uno"), case.case_id,
                              case.officer_id, SanctionKind.SUSPENSION, GROUNDS, 15)
    clock.advance(days=11)
    url = f"/integrity/cases/{case.case_id}"
    for client in open_client(container):
        sign_in(client, "jal.hr")
        page = client.get(f"{url}/appeal")
        assert "El plazo para interponer un recurso venció el" in page.text
        assert f'action="{url}/appeal"' not in page.text
        before = len(refusals(container))
        late = client.post(f"{url}/appeal", data={"csrf_token": csrf_of(page.text),
                                                  "grounds": APPEAL})
        assert late.status_code == 409
        assert "el plazo para interponer el recurso terminó" in late.text and APPEAL in late.text
        [entry] = refusals(container)[before:]
        assert entry["attempted"] == AuditAction.CASE_APPEAL_FILE.value
    assert cases.read_case(container.uow(), operator, case.case_id).appeal is None
