"""After a not-approved decision: the agency's notifications, the appeal (within its deadline
and after it), and the separation process that waits for it. On both databases."""

from __future__ import annotations

import agency_trust_ui_support
import pytest
import ui_support
from agency_trust_ui_support import APPEAL, PASSWORD, World, not_approved
from fastapi.testclient import TestClient
from ui_support import sign_in

from confianza.app.bootstrap import Container
from confianza.certification.service import appeals as appeal_service
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import officers as officer_service

HR = "rh-jalisco"
DEADLINE = "05/12/2026"  # 15 days after the decision took effect on 20/11/2026


# The fixtures, defined once in the support modules (see ui_support).
world, client = agency_trust_ui_support.world, ui_support.client


@pytest.fixture
def evaluation_id(world: World) -> int:
    return not_approved(world)


def advance(container: Container, days: int) -> None:
    container.clock.advance(days=days)  # type: ignore[attr-defined]


def test_notifications_unread_first_and_marked_read_with_a_post(
    client: TestClient, world: World, evaluation_id: int
) -> None:
    csrf = sign_in(client, HR, PASSWORD)
    page = client.get("/certification/notifications")
    assert page.status_code == 200
    assert "Resultado no aprobatorio" in page.text and "Sin leer" in page.text
    assert f"no aprobó la evaluación {evaluation_id}" in page.text and DEADLINE in page.text
    assert f'href="/certification/evaluations/{evaluation_id}/appeal"' in page.text
    [notice] = appeal_service.list_notifications(world.uow, world.hr)
    done = client.post(f"/certification/notifications/{notice.id}/read",
                       data={"csrf_token": csrf})
    assert done.status_code == 303
    after = client.get(done.headers["location"])
    assert "Aviso marcado como leído" in after.text
    assert "Sin leer" not in after.text and "Leído el 20/11/2026" in after.text


def test_marking_read_with_htmx_returns_the_list_fragment(
    client: TestClient, world: World, evaluation_id: int
) -> None:
    csrf = sign_in(client, HR, PASSWORD)
    [notice] = appeal_service.list_notifications(world.uow, world.hr)
    fragment = client.post(f"/certification/notifications/{notice.id}/read",
                           headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Leído el" in fragment.text


def test_a_certification_officer_reads_notifications_but_cannot_mark_them(
    client: TestClient, world: World, evaluation_id: int
) -> None:
    csrf = sign_in(client, "certificador-tres", PASSWORD)
    page = client.get("/certification/notifications")
    assert page.status_code == 200 and "Marcar como leído" not in page.text
    [notice] = appeal_service.list_notifications(world.uow, world.hr)
    refused = client.post(f"/certification/notifications/{notice.id}/read",
                          data={"csrf_token": csrf})
    assert refused.status_code == 403 and "Acceso denegado" in refused.text


def test_separation_waits_while_an_appeal_may_be_filed(
    client: TestClient, world: World, evaluation_id: int
) -> None:
    csrf = sign_in(client, HR, PASSWORD)
    page = client.get("/certification/separations")
    assert page.status_code == 200 and "Concluir separación" in page.text
    [process] = appeal_service.list_separations(world.uow, world.hr)
    refused = client.post(f"/certification/separations/{process.id}/close",
                          data={"csrf_token": csrf, "note": "Baja por resultado no aprobatorio"})
    assert refused.status_code == 409
    assert f"Aún puede presentarse una apelación, hasta el {DEADLINE}" in refused.text
    assert "Baja por resultado no aprobatorio</textarea>" in refused.text
    assert "Traceback" not in refused.text


def test_appeal_filed_within_the_deadline_then_the_separation_waits_for_it(
    client: TestClient, world: World, evaluation_id: int
) -> None:
    csrf = sign_in(client, HR, PASSWORD)
    url = f"/certification/evaluations/{evaluation_id}/appeal"
    page = client.get(url)
    assert page.status_code == 200
    assert f"hasta el {DEADLINE}" in page.text and "Presentar apelación" in page.text
    short = client.post(url, data={"csrf_token": csrf, "grounds": "No estoy de acuerdo"})
    assert short.status_code == 422
    assert 'id="f-grounds-error"' in short.text and "al menos 30 caracteres" in short.text
    assert "No estoy de acuerdo</textarea>" in short.text
    done = client.post(url, data={"csrf_token": csrf, "grounds": APPEAL})
    assert done.status_code == 303 and done.headers["location"].endswith(
        "aviso=apelacion_presentada")
    shown = client.get(done.headers["location"])
    assert "Apelación presentada" in shown.text and "En trámite" in shown.text
    assert "Presentar apelación" not in shown.text
    again = client.post(url, data={"csrf_token": csrf, "grounds": APPEAL})
    assert again.status_code == 409 and "Ya se presentó una apelación" in again.text
    [process] = appeal_service.list_separations(world.uow, world.hr)
    waiting = client.post(f"/certification/separations/{process.id}/close",
                          data={"csrf_token": csrf, "note": "Baja por resultado no aprobatorio"})
    assert waiting.status_code == 409 and "apelación pendiente" in waiting.text
    listing = client.get("/certification/separations")
    assert "Apelaciones presentadas" in listing.text and "En trámite" in listing.text


def test_appeal_after_the_deadline_is_refused_with_the_date(
    client: TestClient, world: World, evaluation_id: int, container: Container
) -> None:
    advance(container, 16)
    csrf = sign_in(client, HR, PASSWORD)
    url = f"/certification/evaluations/{evaluation_id}/appeal"
    page = client.get(url)
    assert f"El plazo para apelar terminó el {DEADLINE}" in page.text
    assert 'name="grounds"' not in page.text
    refused = client.post(url, data={"csrf_token": csrf, "grounds": APPEAL})
    assert refused.status_code == 409
    assert f"El plazo para apelar terminó el {DEADLINE}" in refused.text
    assert "appeal period ended" in refused.text  # the service's own words, as the detail
    assert appeal_service.list_appeals(world.uow, world.hr).items == []


def test_separation_completes_after_the_deadline_with_a_note(
    client: TestClient, world: World, evaluation_id: int, container: Container
) -> None:
    advance(container, 16)
    csrf = sign_in(client, HR, PASSWORD)
    [process] = appeal_service.list_separations(world.uow, world.hr)
    url = f"/certification/separations/{process.id}/close"
    short = client.post(url, data={"csrf_token": csrf, "note": "baja"})
    assert short.status_code == 422 and f'id="note-{process.id}-error"' in short.text
    done = client.post(url, data={"csrf_token": csrf,
                                  "note": "Baja notificada por oficio SSP/123/2026"})
    assert done.status_code == 303
    after = client.get(done.headers["location"])
    assert "Separación concluida" in after.text and "No hay procesos" in after.text
    officer = officer_service.get_officer(world.uow, world.hr, world.officer_id).officer
    assert officer.status is OfficerStatus.SEPARATED
