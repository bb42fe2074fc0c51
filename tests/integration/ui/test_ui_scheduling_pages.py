"""Coordinator pages: the agenda of requested evaluations and the booking form (centre, then an
examiner qualified for each exam and a day), with capacity refusals beside the exam."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from evaluation_ui_support import OPERATOR, TODAY, World, build_world, signed
from fastapi.testclient import TestClient
from ui_support import open_client

from confianza.app.bootstrap import Container
from confianza.vetting.rules.evaluations import EvaluationStatus, ExamType
from confianza.vetting.service import centres, evaluations


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def booking_form(world: World, csrf: str, day: str = TODAY.isoformat()) -> dict[str, str]:
    data = {"csrf_token": csrf, "centre_id": str(world.centre_id)}
    for exam_type in ExamType:
        data[f"examiner.{exam_type.value}"] = str(world.examiner_for(exam_type).user_id)
        data[f"day.{exam_type.value}"] = day
    return data


def test_agenda_lists_requested_evaluations_in_scope(client: TestClient, world: World) -> None:
    evaluation_id = world.request()
    signed(client, world.coordinator.username)
    page = client.get("/scheduling")
    assert page.status_code == 200
    assert 'href="/scheduling"' in page.text and "Agenda" in page.text
    agenda = page.text.split('id="agenda"')[1]
    assert f'href="/scheduling/{evaluation_id}"' in agenda
    assert "Ortega Vela, Ana Luisa" in agenda and "JAL-SSP" in agenda
    assert "Programadas" in page.text
    assert f'href="/scheduling/{evaluation_id}"' not in client.get(
        "/scheduling?vista=programadas").text


def test_booking_form_offers_only_qualified_examiners_of_the_centre(
    client: TestClient, world: World
) -> None:
    evaluation_id = world.request()
    signed(client, world.coordinator.username)
    page = client.get(f"/scheduling/{evaluation_id}")
    assert page.status_code == 200
    # The only centre in scope is chosen already; its examiners fill the exam rows.
    polygraph = page.text.split('id="booking-polygraph"')[1].split("</fieldset>")[0]
    assert "examinador-dos" in polygraph and "examinador-uno" not in polygraph
    medical = page.text.split('id="booking-medical"')[1].split("</fieldset>")[0]
    assert "examinador-uno" in medical and "examinador-dos" not in medical
    fragment = client.get(f"/scheduling/{evaluation_id}", params={"centro": world.centre_id},
                          headers={"HX-Request": "true", "HX-Target": "bookings"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'id="bookings"' in fragment.text
    assert f'name="centre_id" value="{world.centre_id}"' in fragment.text


def test_booking_schedules_and_redirects_to_the_agenda(
    client: TestClient, world: World
) -> None:
    evaluation_id = world.request()
    csrf = signed(client, world.coordinator.username)
    response = client.post(f"/scheduling/{evaluation_id}", data=booking_form(world, csrf))
    assert response.status_code == 303, response.text[:800]
    assert response.headers["location"] == (
        f"/scheduling?vista=programadas&programada={evaluation_id}")
    agenda = client.get(response.headers["location"])
    assert f"Evaluación {evaluation_id} programada." in agenda.text
    view = evaluations.get_evaluation(world.uow, world.coordinator, evaluation_id)
    assert view.evaluation.status is EvaluationStatus.SCHEDULED
    assert {e.exam_type: e.examiner_id for e in view.exams}[ExamType.POLYGRAPH] == (
        world.second_examiner.user_id)
    # Rebooking shows the bookings held.
    again = client.get(f"/scheduling/{evaluation_id}")
    assert f'value="{TODAY.isoformat()}"' in again.text
    assert re.search(rf'<option value="{world.second_examiner.user_id}" selected', again.text)


def test_capacity_and_qualification_errors_show_beside_their_exam(
    client: TestClient, world: World
) -> None:
    centres.set_capacity(world.uow, OPERATOR, world.centre_id, {ExamType.TOXICOLOGY: 0})
    evaluation_id = world.request()
    csrf = signed(client, world.coordinator.username)
    data = booking_form(world, csrf)
    data["examiner.polygraph"] = str(world.examiner.user_id)  # not qualified for it
    data["day.medical"] = ""
    data["examiner.medical"] = ""
    response = client.post(f"/scheduling/{evaluation_id}", data=data)
    assert response.status_code == 422
    text = response.text
    toxicology = text.split('id="booking-toxicology"')[1].split("</fieldset>")[0]
    assert "no tiene cupo para este examen ese día (0 de 0 lugares ocupados)" in toxicology
    polygraph = text.split('id="booking-polygraph"')[1].split("</fieldset>")[0]
    assert "habilitado para este examen" in polygraph
    medical = text.split('id="booking-medical"')[1].split("</fieldset>")[0]
    assert "asigne evaluador y fecha" in medical
    psychological = text.split('id="booking-psychological"')[1].split("</fieldset>")[0]
    assert "field-error" not in psychological
    assert f'value="{TODAY.isoformat()}"' in psychological  # what was typed stays
    view = evaluations.get_evaluation(world.uow, world.coordinator, evaluation_id)
    assert view.evaluation.status is EvaluationStatus.REQUESTED


def test_a_past_day_and_a_day_that_is_no_date_are_refused(
    client: TestClient, world: World
) -> None:
    evaluation_id = world.request()
    csrf = signed(client, world.coordinator.username)
    data = booking_form(world, csrf, day="2026-11-19")
    data["day.medical"] = "mañana"
    response = client.post(f"/scheduling/{evaluation_id}", data=data)
    assert response.status_code == 422
    assert 'id="d-medical-error1"' in response.text
    assert 'value="mañana"' in response.text
    data["day.medical"] = "2026-11-19"
    past = client.post(f"/scheduling/{evaluation_id}", data=data)
    assert past.status_code == 422 and "La fecha ya pasó." in past.text


def test_an_evaluation_being_examined_elsewhere_is_explained(
    client: TestClient, world: World
) -> None:
    evaluation_id = world.request()
    evaluations.cancel_evaluation(world.uow, world.hr, evaluation_id, "Solicitud duplicada.")
    csrf = signed(client, world.coordinator.username)
    page = client.get(f"/scheduling/{evaluation_id}")
    assert "Esta evaluación ya no puede programarse." in page.text
    response = client.post(f"/scheduling/{evaluation_id}", data=booking_form(world, csrf))
    assert response.status_code == 409
    assert "no se pudo programar" in response.text and "Traceback" not in response.text


def test_the_examiner_has_no_agenda(client: TestClient, world: World) -> None:
    signed(client, world.examiner.username)
    home = client.get("/")
    assert 'href="/scheduling"' not in home.text and 'href="/decisions"' not in home.text
    assert client.get("/scheduling").status_code == 403
