"""Examiner pages: the queue, one exam with only what it needs, result forms per exam type,
errors beside their fields, a double submit refused in words, files, and others' exams refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from evaluation_ui_support import PASS, World, build_world, form_of, record_by_form, signed
from fastapi.testclient import TestClient
from ui_support import open_client

from confianza.app.bootstrap import Container
from confianza.trail.rules import AuditAction
from confianza.vetting.rules.evaluations import EvaluationStatus, ExamType
from confianza.vetting.service import evaluations


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


@pytest.fixture
def scheduled(world: World) -> int:
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    return evaluation_id


def status_of(world: World, evaluation_id: int) -> EvaluationStatus:
    return evaluations.get_evaluation(world.uow, world.decider, evaluation_id).evaluation.status


def test_queue_lists_the_examiners_own_pending_exams(
    client: TestClient, world: World, scheduled: int
) -> None:
    signed(client, world.examiner.username)
    page = client.get("/exams")
    assert page.status_code == 200
    assert 'href="/exams"' in page.text and "Mis exámenes" in page.text  # the nav link
    pending = page.text.split('id="pending"')[1].split("</table>")[0]
    for exam_type in ExamType:
        link = f'href="/exams/{scheduled}/{exam_type.value}"'
        # The polygraph was booked with the second examiner: not in this queue.
        assert (link in pending) is (exam_type is not ExamType.POLYGRAPH), exam_type
    assert "Ortega Vela" in pending or "Ana Luisa Ortega Vela" in pending
    assert "20/11/2026" in pending
    assert "Aún no ha registrado resultados" in page.text


def test_exam_page_shows_only_what_the_exam_needs(
    client: TestClient, world: World, scheduled: int, container: Container
) -> None:
    signed(client, world.examiner.username)
    page = client.get(f"/exams/{scheduled}/toxicology")
    assert page.status_code == 200
    text = page.text
    for expected in ("Ana Luisa Ortega Vela", "Mujer", "Secretaría de Seguridad de Jalisco",
                     "Policía", "20/11/2026", "Centro Estatal de Control de Confianza"):
        assert expected in text, expected
    assert "<dd>36</dd>" in text  # born 17/05/1990, seen on 20/11/2026
    assert re.search(r'class="mono">[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d<', text)  # the CURP
    assert 'name="panel.cocaine"' in text and 'name="chain_of_custody_id"' in text
    assert 'name="csrf_token"' in text
    # Nothing of other exams, of the decision or of the officer's contacts.
    for absent in ("Poligrafía", "Dictamen", "Resultado integral", "Domicilio", "topics"):
        assert absent not in text.split('id="main"')[1], absent
    with container.uow().transaction() as tx:
        reads = [e for e in tx.audit.entries(limit=500) if e.action == AuditAction.EXAM_READ]
    assert reads and reads[-1].actor == world.examiner.username


def test_toxicology_result_is_recorded_once_and_reload_does_not_resubmit(
    client: TestClient, world: World, scheduled: int
) -> None:
    csrf = signed(client, world.examiner.username)
    data = form_of(ExamType.TOXICOLOGY, PASS[ExamType.TOXICOLOGY], csrf,
                   notes="Muestra tomada a las 9:10.")
    data["panel.fentanyl"] = "negative"  # an optional substance, tested this time
    first = client.post(f"/exams/{scheduled}/toxicology", data=data)
    assert first.status_code == 303
    assert first.headers["location"] == f"/exams/{scheduled}/toxicology?registrado=1"
    shown = client.get(first.headers["location"])
    assert "Resultado registrado." in shown.text
    assert "CC-2026-0001" in shown.text and "Fentanilo" in shown.text
    assert "Muestra tomada a las 9:10." in shown.text
    assert 'name="chain_of_custody_id"' not in shown.text  # the form is gone

    again = client.post(f"/exams/{scheduled}/toxicology", data=data)
    assert again.status_code == 409
    assert "ya tiene un resultado registrado" in again.text
    assert "Traceback" not in again.text and "<html" in again.text


def test_socioeconomic_errors_show_beside_each_field_keeping_what_was_typed(
    client: TestClient, world: World, scheduled: int
) -> None:
    csrf = signed(client, world.examiner.username)
    fields = {**PASS[ExamType.SOCIOECONOMIC], "declared_income": "mucho", "outcome": "",
              "household_size": "45"}
    response = client.post(f"/exams/{scheduled}/socioeconomic",
                           data=form_of(ExamType.SOCIOECONOMIC, fields, csrf, notes="<b>x</b>"))
    assert response.status_code == 422
    text = response.text
    assert 'id="f-declared_income-error1"' in text
    assert "Escriba una cantidad entera en pesos" in text
    assert 'value="mucho"' in text and 'value="250000"' in text and 'value="45"' in text
    assert 'id="f-household-error1"' in text and "de 1 a 30" in text
    assert 'id="f-outcome-error1"' in text and "Elija el resultado del examen" in text
    assert "&lt;b&gt;x&lt;/b&gt;</textarea>" in text
    assert 'id="f-assets-error1"' not in text
    assert status_of(world, scheduled) is EvaluationStatus.SCHEDULED


def test_toxicology_panel_needs_every_required_substance(
    client: TestClient, world: World, scheduled: int
) -> None:
    csrf = signed(client, world.examiner.username)
    data = form_of(ExamType.TOXICOLOGY, PASS[ExamType.TOXICOLOGY], csrf)
    del data["panel.cocaine"]
    data["chain_of_custody_id"] = "x"
    response = client.post(f"/exams/{scheduled}/toxicology", data=data)
    assert response.status_code == 422
    assert 'id="sub-cocaine-error1"' in response.text
    assert 'id="sub-cannabinoids-error1"' not in response.text
    assert 'id="f-custody-error1"' in response.text
    # The other choices stay as they were.
    assert re.search(r'name="panel.cannabinoids" value="negative"[^>]*checked', response.text)


def test_polygraph_form_keeps_the_checked_topics(
    client: TestClient, world: World, scheduled: int
) -> None:
    csrf = signed(client, world.second_examiner.username)
    page = client.get(f"/exams/{scheduled}/polygraph")
    assert 'value="organized_crime_links"' in page.text
    response = client.post(f"/exams/{scheduled}/polygraph", data=form_of(
        ExamType.POLYGRAPH, {"topics": ["bribery", "theft"]}, csrf))
    assert response.status_code == 422
    assert re.search(r'value="bribery" checked', response.text)
    assert re.search(r'value="theft" checked', response.text)
    assert not re.search(r'value="drug_use" checked', response.text)
    assert "Elija el resultado del examen" in response.text


def test_medical_restrictions_are_required_with_that_outcome(
    client: TestClient, world: World, scheduled: int
) -> None:
    csrf = signed(client, world.examiner.username)
    response = client.post(f"/exams/{scheduled}/medical", data=form_of(
        ExamType.MEDICAL, {"outcome": "fit_with_restrictions", "restrictions": ""}, csrf))
    assert response.status_code == 422
    assert 'id="f-restrictions-error1"' in response.text
    assert re.search(r'value="fit_with_restrictions" checked', response.text)


def test_another_examiners_exam_is_a_403_page(
    client: TestClient, world: World, scheduled: int, container: Container
) -> None:
    csrf = signed(client, world.examiner.username)
    page = client.get(f"/exams/{scheduled}/polygraph")
    assert page.status_code == 403
    assert "Acceso denegado" in page.text and "not assigned to you" in page.text
    assert "Ortega" not in page.text
    posted = client.post(f"/exams/{scheduled}/polygraph", data=form_of(
        ExamType.POLYGRAPH, PASS[ExamType.POLYGRAPH], csrf))
    assert posted.status_code == 403
    with container.uow().transaction() as tx:
        denied = [e for e in tx.audit.entries(limit=500)
                  if e.action == AuditAction.ACCESS_DENIED]
    assert len(denied) >= 2 and denied[-1].actor == world.examiner.username


def test_a_post_without_the_csrf_token_is_refused(
    client: TestClient, world: World, scheduled: int
) -> None:
    signed(client, world.examiner.username)
    response = client.post(f"/exams/{scheduled}/medical", data={"outcome": "fit"})
    assert response.status_code == 403
    assert status_of(world, scheduled) is EvaluationStatus.SCHEDULED


def test_files_are_attached_listed_downloaded_and_checked(
    client: TestClient, world: World, scheduled: int
) -> None:
    csrf = signed(client, world.examiner.username)
    url = f"/exams/{scheduled}/medical/files"
    sent = client.post(url, data={"csrf_token": csrf},
                       files={"file": ("informe.pdf", b"%PDF-1.4 informe", "application/pdf")})
    assert sent.status_code == 303
    assert sent.headers["location"].endswith("?archivo=1")
    page = client.get(sent.headers["location"])
    assert "Archivo adjuntado" in page.text and "informe.pdf" in page.text
    link = re.search(r'href="(/exams/\d+/medical/files/[0-9a-f]{64})"', page.text)
    assert link
    download = client.get(link.group(1))
    assert download.status_code == 200 and download.content == b"%PDF-1.4 informe"
    assert download.headers["content-disposition"].startswith("attachment")

    twice = client.post(url, data={"csrf_token": csrf},
                        files={"file": ("otra.pdf", b"%PDF-1.4 informe", "application/pdf")})
    assert twice.status_code == 409 and "ya estaba adjunto" in twice.text
    wrong = client.post(url, data={"csrf_token": csrf},
                        files={"file": ("x.html", b"<h1>x</h1>", "text/html")})
    assert wrong.status_code == 422
    assert 'id="f-file-error1"' in wrong.text and "PDF, JPG, PNG" in wrong.text
    # Someone else's exam takes no files.
    other = signed(client, world.second_examiner.username)
    refused = client.post(url, data={"csrf_token": other},
                          files={"file": ("a.txt", b"a", "text/plain")})
    assert refused.status_code == 403


def test_a_full_battery_through_the_forms_waits_for_a_decision(
    client: TestClient, world: World, scheduled: int
) -> None:
    record_by_form(client, world, scheduled)
    assert status_of(world, scheduled) is EvaluationStatus.AWAITING_DECISION
    signed(client, world.examiner.username)
    queue = client.get("/exams")
    assert "No tiene exámenes pendientes" in queue.text
    recent = queue.text.split('id="recent"')[1]
    assert f'href="/exams/{scheduled}/medical"' in recent
    closed = client.get(f"/exams/{scheduled}/medical")
    assert 'type="file"' not in closed.text  # no more files once the evaluation is integrated
