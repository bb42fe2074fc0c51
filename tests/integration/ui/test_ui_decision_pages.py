"""Certification pages: the queue in its tabs, an evaluation with every result and its
integration, decide / confirm / return, appeals, and each refusal shown in words on the page."""

from __future__ import annotations

import re

import evaluation_ui_support
import ui_support
from evaluation_ui_support import APPEAL, GROUNDS, World, failing, signed
from fastapi.testclient import TestClient

from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import appeals, decisions
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import EvaluationStatus, ExamType
from confianza.vetting.rules.records import AppealStatus
from confianza.vetting.service import evaluations

RESOLUTION = "La cadena de custodia está completa y firmada en cada paso; se confirma."


# The fixtures, defined once in the support modules (see ui_support).
world, client = evaluation_ui_support.world, ui_support.client


def failed_toxicology(world: World) -> int:
    return world.ready_for_decision({ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})


def status_of(world: World, evaluation_id: int) -> EvaluationStatus:
    return evaluations.get_evaluation(world.uow, world.decider, evaluation_id).evaluation.status


def test_queue_lists_evaluations_awaiting_decision(client: TestClient, world: World) -> None:
    evaluation_id = failed_toxicology(world)
    signed(client, world.decider.username)
    page = client.get("/decisions")
    assert page.status_code == 200
    assert 'href="/decisions"' in page.text and "Dictámenes" in page.text
    table = page.text.split('id="to-decide"')[1]
    assert f'href="/decisions/{evaluation_id}"' in table
    assert "Ortega Vela, Ana Luisa" in table and "No aprobar" in table
    confirmation = client.get("/decisions?vista=confirmacion")
    assert "No hay decisiones de otros certificadores por confirmar" in confirmation.text


def test_evaluation_page_shows_every_result_and_the_integration(
    client: TestClient, world: World
) -> None:
    evaluation_id = failed_toxicology(world)
    signed(client, world.decider.username)
    page = client.get(f"/decisions/{evaluation_id}")
    assert page.status_code == 200
    text = page.text
    for exam_type in ExamType:
        assert f'id="exam-{exam_type.value}"' in text
    assert "CC-2026-0001" in text and "Cocaína" in text and 'class="panel-positive"' in text
    assert "Cohecho" in text and "MMPI-2" in text and "$ 250,000" in text
    integration = text.split('id="integration"')[1].split("</section>")[0]
    assert "No aprobar" in integration and "Toxicológico — Positivo" in integration
    assert 'id="needs-grounds"' not in text
    assert f'action="/decisions/{evaluation_id}/decision"' in text
    assert "Examinador-Uno" in text  # who examined, by name


def test_polygraph_alone_is_highlighted_and_needs_grounds(
    client: TestClient, world: World
) -> None:
    evaluation_id = world.ready_for_decision(
        {ExamType.POLYGRAPH: failing(ExamType.POLYGRAPH)})
    csrf = signed(client, world.decider.username)
    page = client.get(f"/decisions/{evaluation_id}")
    assert 'id="needs-grounds"' in page.text and "Requiere fundamentos" in page.text
    refused = client.post(f"/decisions/{evaluation_id}/decision", data={
        "csrf_token": csrf, "verdict": "not_approved", "grounds": "Reacción <fuerte>"})
    assert refused.status_code == 422
    assert 'id="f-grounds-error1"' in refused.text
    assert "Solo la poligrafía es desfavorable" in refused.text
    assert "Reacción &lt;fuerte&gt;</textarea>" in refused.text
    assert re.search(r'value="not_approved" checked', refused.text)
    assert status_of(world, evaluation_id) is EvaluationStatus.AWAITING_DECISION


def test_approval_redirects_and_closes_the_evaluation(client: TestClient, world: World) -> None:
    evaluation_id = world.ready_for_decision()
    csrf = signed(client, world.decider.username)
    response = client.post(f"/decisions/{evaluation_id}/decision",
                           data={"csrf_token": csrf, "verdict": "approved", "grounds": ""})
    assert response.status_code == 303
    assert response.headers["location"] == f"/decisions/{evaluation_id}?hecho=aprobada"
    page = client.get(response.headers["location"])
    assert "Evaluación aprobada." in page.text and "Vigente hasta" in page.text
    assert f'action="/decisions/{evaluation_id}/decision"' not in page.text
    again = client.post(f"/decisions/{evaluation_id}/decision",
                        data={"csrf_token": csrf, "verdict": "approved", "grounds": ""})
    assert again.status_code == 409 and "ya fue dictaminada" in again.text


def test_not_approved_waits_for_a_second_officer_who_confirms(
    client: TestClient, world: World
) -> None:
    evaluation_id = failed_toxicology(world)
    csrf = signed(client, world.decider.username)
    decided = client.post(f"/decisions/{evaluation_id}/decision",
                          data={"csrf_token": csrf, "verdict": "not_approved",
                                "grounds": GROUNDS})
    assert decided.status_code == 303
    mine = client.get("/decisions?vista=confirmacion")
    assert f'href="/decisions/{evaluation_id}"' in mine.text.split('id="waiting-second"')[1]
    assert 'id="to-confirm"' not in mine.text
    own = client.get(f"/decisions/{evaluation_id}")
    assert 'id="waiting-second"' in own.text
    assert f'action="/decisions/{evaluation_id}/confirmation"' not in own.text

    csrf = signed(client, world.confirmer.username)
    theirs = client.get("/decisions?vista=confirmacion")
    assert f'href="/decisions/{evaluation_id}"' in theirs.text.split('id="to-confirm"')[1]
    confirmed = client.post(f"/decisions/{evaluation_id}/confirmation",
                            data={"csrf_token": csrf, "accion": "confirmar", "note": ""})
    assert confirmed.status_code == 303
    page = client.get(confirmed.headers["location"])
    assert "No aprobación confirmada" in page.text
    assert "Retirado de funciones operativas" in page.text
    officer = officer_service.get_officer(world.uow, world.decider, world.officer_id).officer
    assert officer.status is OfficerStatus.REMOVED_FROM_DUTY


def test_the_same_person_cannot_confirm_their_own_decision(
    client: TestClient, world: World
) -> None:
    evaluation_id = failed_toxicology(world)
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    csrf = signed(client, world.decider.username)
    response = client.post(f"/decisions/{evaluation_id}/confirmation",
                           data={"csrf_token": csrf, "accion": "confirmar", "note": ""})
    assert response.status_code == 422
    assert "Usted tomó esta decisión: debe confirmarla o devolverla un segundo certificador" in (
        response.text)
    assert status_of(world, evaluation_id) is EvaluationStatus.AWAITING_CONFIRMATION


def test_returning_a_decision_needs_a_note(client: TestClient, world: World) -> None:
    evaluation_id = failed_toxicology(world)
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    csrf = signed(client, world.confirmer.username)
    short = client.post(f"/decisions/{evaluation_id}/confirmation",
                        data={"csrf_token": csrf, "accion": "devolver", "note": "no"})
    assert short.status_code == 422
    assert 'id="f-note-error1"' in short.text and "al menos 10 caracteres" in short.text
    returned = client.post(f"/decisions/{evaluation_id}/confirmation", data={
        "csrf_token": csrf, "accion": "devolver",
        "note": "Falta valorar la contramuestra del laboratorio."})
    assert returned.status_code == 303
    assert "Decisión devuelta" in client.get(returned.headers["location"]).text
    assert status_of(world, evaluation_id) is EvaluationStatus.AWAITING_DECISION


def test_a_decision_before_every_exam_is_in_is_explained(
    client: TestClient, world: World
) -> None:
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    csrf = signed(client, world.decider.username)
    page = client.get(f"/decisions/{evaluation_id}")
    assert page.status_code == 200 and "Pendiente de aplicar." in page.text
    assert f'action="/decisions/{evaluation_id}/decision"' not in page.text
    response = client.post(f"/decisions/{evaluation_id}/decision",
                           data={"csrf_token": csrf, "verdict": "approved", "grounds": ""})
    assert response.status_code == 409
    assert "faltan resultados de exámenes" in response.text
    assert "Traceback" not in response.text


def test_appeals_are_listed_and_refused_to_who_took_part(
    client: TestClient, world: World
) -> None:
    evaluation_id = failed_toxicology(world)
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                      policy=world.container.policy, issuer=world.container.issuer)
    appeal = appeals.file_appeal(world.uow, world.hr, evaluation_id, APPEAL,
                                 policy=world.container.policy)

    csrf = signed(client, world.decider.username)
    listed = client.get("/decisions/appeals")
    assert listed.status_code == 200
    assert f'href="/decisions/{evaluation_id}#apelacion"' in listed.text
    page = client.get(f"/decisions/{evaluation_id}")
    assert "Usted participó en esta evaluación" in page.text  # no form offered
    refused = client.post(f"/decisions/{evaluation_id}/appeals/{appeal.id}", data={
        "csrf_token": csrf, "outcome": "overturned", "resolution": RESOLUTION})
    assert refused.status_code == 403
    assert "Usted participó en esta evaluación" in refused.text
    assert 'id="apelacion"' in refused.text  # on the evaluation's page, not a bare error

    csrf = signed(client, world.appeals_officer.username)
    form = client.get(f"/decisions/{evaluation_id}")
    assert f'action="/decisions/{evaluation_id}/appeals/{appeal.id}"' in form.text
    short = client.post(f"/decisions/{evaluation_id}/appeals/{appeal.id}", data={
        "csrf_token": csrf, "outcome": "", "resolution": "corta"})
    assert short.status_code == 422
    assert 'id="f-outcome-error1"' in short.text or 'id="f-resolution-error1"' in short.text
    decided = client.post(f"/decisions/{evaluation_id}/appeals/{appeal.id}", data={
        "csrf_token": csrf, "outcome": "upheld", "resolution": RESOLUTION})
    assert decided.status_code == 303
    assert "Apelación resuelta." in client.get(decided.headers["location"]).text
    assert appeals.list_appeals(world.uow, world.appeals_officer,
                                status=AppealStatus.OPEN).items == []
    assert "No hay apelaciones por resolver" in client.get("/decisions/appeals").text


def test_agency_hr_reads_the_evaluation_without_results_or_forms(
    client: TestClient, world: World
) -> None:
    evaluation_id = failed_toxicology(world)
    signed(client, world.hr.username)
    page = client.get(f"/decisions/{evaluation_id}")
    assert page.status_code == 200
    assert "CC-2026-0001" not in page.text and "Cocaína" not in page.text
    assert "Resultado reservado" in page.text
    assert 'action="/decisions/' not in page.text
    assert 'href="/decisions"' not in page.text  # no nav link for the role
