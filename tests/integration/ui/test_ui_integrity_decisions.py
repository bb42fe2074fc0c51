"""The commission's finding forms over HTTP on both databases: a sustained finding resting only
on an anonymous call is refused beside its form in words (grounds and choices still there, the
refusal in the trail, nothing written), a finding without enough grounds names the field, a
finding on a statement the officer says was coerced waits for a second member, whose
confirmation puts it in effect; the first decider is offered no confirmation."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import text
from ui_support import PASSWORD, csrf_of, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    LinkKind,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service import cases, process
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.trail.rules import AuditAction

GROUNDS = "El video de la caseta y el acta del ministerio público acreditan el cobro."


def user(container: Container, operator: Actor, name: str, role: Role) -> int:
    return user_service.create_user(container.uow(), operator, user_service.NewUser(
        name, name.title(), PASSWORD, role, Scope(ScopeKind.STATE, "14"))).id


def refusals(container: Container) -> list[dict[str, object]]:
    """The trail's refused attempts, oldest first."""
    with container.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT detail FROM audit_entries WHERE action = 'workflow:request:refused' "
            "ORDER BY id")).scalars()
        return [json.loads(detail) for detail in rows]


def case_at_finding(container: Container, operator: Actor, agencies: dict[str, int],
                    officer: int) -> tuple[int, list[int], list[int], int]:
    """Allegation 1 rests on an anonymous call alone; allegation 2 on a witness the officer says
    was coerced, and on a document. Returns the case, allegations, sources and evidence."""
    received = date(2026, 11, 2)
    opened = cases.open_case(container.uow(), operator, NewCase(
        agencies["JAL-SSP"], "Cobro de cuotas en el retén de la carretera 15.", (
            NewSource(SourceChannel.ANONYMOUS_LINE, Reliability.F, Credibility.CANNOT_BE_JUDGED,
                      "Una llamada relata cobros cada noche.", received),
            NewSource(SourceChannel.WITNESS_STATEMENT, Reliability.B, Credibility.PROBABLY_TRUE,
                      "Vio el cobro desde la caseta.", received, reporter_name="Ana Ríos")),
        (NewAllegation(AllegationKind.EXTORTION, "Exigió cuotas a los transportistas.", (0,),
                       officer_id=officer),
         NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos por dejar pasar un camión.",
                       (1,), officer_id=officer))))
    case_id = opened.case.id
    allegations = [v.allegation.id for v in opened.allegations]
    sources = [s.id for s in opened.sources]
    investigator = user(container, operator, "ai-investiga", Role.INTERNAL_AFFAIRS)
    cases.assign(container.uow(), operator, case_id, investigator, Duty.INVESTIGATOR)
    for name in ("chj-uno", "chj-dos"):
        cases.assign(container.uow(), operator, case_id,
                     user(container, operator, name, Role.HONOUR_COMMISSION), Duty.DECIDER)
    process.issue_notice(container.uow(), operator, case_id)
    process.serve_notice(container.uow(), operator, case_id, date(2026, 11, 20))
    process.record_answer(container.uow(), operator, case_id,
                          "Niego los hechos; la testigo declaró bajo amenaza.", (sources[1],))
    evidence = process.add_evidence(container.uow(), operator, case_id, "acta.pdf",
                                    "application/pdf", b"%PDF-1.4 acta", "Acta del MP.")
    process.add_link(container.uow(), operator, case_id, allegations[1], LinkKind.SUPPORTS,
                     evidence_id=evidence)
    process.submit_for_decision(container.uow(), operator, case_id)
    return case_id, allegations, sources, evidence


def test_refused_unsafe_finding_and_second_person(container: Container, operator: Actor,
                                                  agencies: dict[str, int]) -> None:
    world = seed(container, operator, agencies)
    case_id, allegations, sources, evidence = case_at_finding(container, operator, agencies,
                                                              world.maria)
    page_url = f"/integrity/cases/{case_id}"
    for client in open_client(container):
        sign_in(client, "chj-uno")
        page = client.get(page_url)
        assert page.status_code == 200
        assert f'action="{page_url}/allegations/{allegations[0]}/finding"' in page.text
        assert "no basta por sí sola (anónima)" in page.text
        csrf = csrf_of(page.text)
        before = len(refusals(container))
        # Sustained on the anonymous call alone: refused beside its form, typed kept.
        refused = client.post(f"{page_url}/allegations/{allegations[0]}/finding", data={
            "csrf_token": csrf, "finding": "sustained", "grounds": GROUNDS,
            "relied_on": f"source-{sources[0]}"})
        assert refused.status_code == 409
        assert "lo único que la sostiene no basta por sí mismo" in refused.text
        assert f'id="refused-{allegations[0]}"' in refused.text and GROUNDS in refused.text
        assert f'value="source-{sources[0]}" checked' in refused.text
        [entry] = refusals(container)[before:]
        assert entry["attempted"] == AuditAction.CASE_FINDING.value
        assert cases.read_case(container.uow(), operator, case_id).allegations[0].finding is None
        english = client.post(f"{page_url}/allegations/{allegations[0]}/finding?lang=en",
                              data={"csrf_token": csrf, "finding": "sustained",
                                    "grounds": GROUNDS, "relied_on": f"source-{sources[0]}"})
        assert "all that supports it cannot stand alone" in english.text
        client.get(page_url + "?lang=es")
        # Grounds too short: the field says so.
        short = client.post(f"{page_url}/allegations/{allegations[0]}/finding", data={
            "csrf_token": csrf, "finding": "not_sustained", "grounds": "No."})
        assert short.status_code == 422
        assert "Escriba los fundamentos (al menos 20 caracteres)." in short.text
        # On the coerced statement and the document: recorded, waiting for a second person.
        done = client.post(f"{page_url}/allegations/{allegations[1]}/finding", data={
            "csrf_token": csrf, "finding": "sustained", "grounds": GROUNDS,
            "relied_on": [f"source-{sources[1]}", f"evidence-{evidence}"]})
        assert done.status_code == 303
        waiting = client.get(page_url).text
        assert "en espera de una segunda persona" in waiting and "/confirm" not in waiting
    found = cases.read_case(container.uow(), operator, case_id).allegations[1].finding
    assert found is not None and not found.in_effect
    for client in open_client(container):
        sign_in(client, "chj-dos")
        page = client.get(page_url)
        confirm = f"{page_url}/findings/{found.id}/confirm"
        assert f'action="{confirm}"' in page.text
        answer = client.post(confirm, data={"csrf_token": csrf_of(page.text)})
        assert answer.status_code == 303
        assert "Resolución confirmada" in client.get(answer.headers["location"]).text
    confirmed = cases.read_case(container.uow(), operator, case_id).allegations[1].finding
    assert confirmed is not None and confirmed.in_effect
