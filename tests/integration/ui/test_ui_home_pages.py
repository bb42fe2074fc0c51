"""The home page of each role: its own panels with counts and first items linking to the work,
the panels as an htmx fragment, scope kept, officer names escaped."""

from __future__ import annotations

import agency_trust_ui_support
import ui_support
from agency_trust_ui_support import PASSWORD, World
from fastapi.testclient import TestClient
from ui_support import EVIL_NAME, seed, sign_in

from confianza.accounts.rules.permissions import Actor, Role, Scope
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.core.web import strings
from confianza.home.pages import AUTO_REFRESHES, LOOKS
from confianza.home.service.panels import PANELS, PanelName
from confianza.vetting.rules.evaluations import ExamType

# A heading only each role's home shows.
TITLES: dict[Role, str] = {
    Role.REGISTRY_CLERK: "Mis cambios recientes en el registro",
    Role.AGENCY_HR: "En servicio sin certificación vigente",
    Role.CENTRE_COORDINATOR: "Solicitudes por programar",
    Role.EXAMINER: "Mis exámenes por aplicar",
    Role.CERTIFICATION_OFFICER: "Evaluaciones por dictaminar",
    Role.INTERNAL_AFFAIRS: "Resultados no aprobatorios recientes",
    Role.AUDITOR: "Informes de acceso emitidos",
    Role.ADMINISTRATOR: "Cuentas de usuario",
}


# The fixtures, defined once in the support modules (see ui_support).
world, client = agency_trust_ui_support.world, ui_support.client


def test_each_role_sees_its_own_panels(
    container: Container, operator: Actor, world: World, client: TestClient
) -> None:
    for role in Role:
        username = f"inicio-{role.value}"
        user_service.create_user(container.uow(), operator, user_service.NewUser(
            username, "Persona", PASSWORD, role, Scope()))
        sign_in(client, username, PASSWORD)
        page = client.get("/")
        assert page.status_code == 200, (role, page.text[:300])
        # The integrity roles (ADR 0030) have no home panel yet: their home shows no other's.
        assert role not in TITLES or TITLES[role] in page.text, role
        for other, title in TITLES.items():
            if other is not role:
                assert title not in page.text, (role, other)


def test_hr_sees_its_agency_with_names_escaped(
    container: Container, operator: Actor, agencies: dict[str, int], world: World,
    client: TestClient,
) -> None:
    seed(container, operator, agencies)  # María and the markup-named officer in JAL-SSP
    sign_in(client, world.hr.username, PASSWORD)
    page = client.get("/").text
    assert "Corporación: JAL-SSP — Secretaría de Seguridad de Jalisco" in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert EVIL_NAME not in page
    assert "Peña Ruiz, María Fernanda" in page
    assert "Treviño" not in page  # Nuevo León's officer is outside the agency
    assert 'href="/certification/alerts"' in page
    assert " style=" not in page and "<script>" not in page


def test_the_examiner_home_links_to_each_exam(
    container: Container, world: World, client: TestClient
) -> None:
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    sign_in(client, world.second_examiner.username, PASSWORD)
    page = client.get("/").text
    assert f'href="/exams/{evaluation_id}/{ExamType.POLYGRAPH.value}"' in page
    assert f'href="/exams/{evaluation_id}/{ExamType.MEDICAL.value}"' not in page
    assert "Ortega Vela, Ana Luisa" in page


def test_the_panels_refresh_as_a_fragment(
    container: Container, world: World, client: TestClient
) -> None:
    sign_in(client, world.coordinator.username, PASSWORD)
    page = client.get("/")
    assert 'hx-get="/home/panels?ronda=1" hx-trigger="every 60s"' in page.text
    assert page.headers["vary"] == "HX-Request"
    world.request()
    fragment = client.get("/home/panels", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="home-panels"')
    assert "<h1" not in fragment.text and "Ortega Vela, Ana Luisa" in fragment.text
    # Asked for without htmx (no JavaScript, or a bookmark): the whole page.
    whole = client.get("/home/panels")
    assert whole.status_code == 200 and "<h1>" in whole.text


def test_signed_out_refresh_sends_to_sign_in(container: Container, client: TestClient) -> None:
    response = client.get("/home/panels", headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/login")


def test_every_panel_has_its_look_and_texts() -> None:
    """Panels name their texts by key at run time, which the template scan cannot see."""
    assert set(LOOKS) == set(PanelName)
    assert {n for names in PANELS.values() for n in names} == set(PanelName)
    for look in LOOKS.values():
        for key in (look.title, look.count, look.all_label, look.help):
            assert key is None or key in strings.TEXT, key
        assert (look.all_url is None) == (look.all_label is None)


def test_an_unattended_home_stops_refreshing_itself(
    container: Container, world: World, client: TestClient
) -> None:
    """Every refresh keeps the session alive: after AUTO_REFRESHES rounds the panels stop
    asking, so an abandoned screen still reaches the idle timeout."""
    sign_in(client, world.examiner.username, PASSWORD)
    htmx = {"HX-Request": "true"}
    third = client.get("/home/panels?ronda=3", headers=htmx).text
    assert 'hx-get="/home/panels?ronda=4"' in third
    last = client.get(f"/home/panels?ronda={AUTO_REFRESHES}", headers=htmx).text
    assert "hx-trigger" not in last.split(">", 1)[0]
    assert "La actualización automática se detuvo" in last
    # Asking by hand (the refresh link carries no round) starts again; so does nonsense.
    for asked in ("/home/panels", "/home/panels?ronda=x", "/home/panels?ronda=-1"):
        again = client.get(asked, headers=htmx).text
        assert 'hx-get="/home/panels?ronda=1" hx-trigger="every 60s"' in again, asked
