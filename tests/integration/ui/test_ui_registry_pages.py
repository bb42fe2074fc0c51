"""Pages: officer search, profile, contact data behind a declared purpose, agencies, rosters."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from ui_support import EVIL_NAME, World, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction, AuditEntry


@pytest.fixture
def world(container: Container, operator: Actor, agencies: dict[str, int]) -> World:
    return seed(container, operator, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def entries(container: Container, action: str) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return [e for e in tx.audit.entries(limit=1000) if e.action == action]


def test_search_page_without_criteria_asks_for_one(client: TestClient, world: World) -> None:
    sign_in(client, "clerk")
    page = client.get("/officers")
    assert page.status_code == 200
    assert "Escriba al menos un criterio" in page.text
    assert 'hx-get="/officers"' in page.text
    assert "Secretaría de Seguridad de Jalisco" in page.text  # the agency drop-down


def test_search_by_name_works_without_javascript(
    client: TestClient, world: World, container: Container
) -> None:
    sign_in(client, "clerk")
    page = client.get("/officers", params={"nombre": "pena ruiz"})
    assert page.status_code == 200
    assert "<html" in page.text
    assert f'href="/officers/{world.maria}"' in page.text
    assert "Peña Ruiz, María Fernanda" in page.text
    assert f'href="/officers/{world.nuevo_leon}"' not in page.text
    assert entries(container, AuditAction.OFFICER_SEARCH)[-1].detail["results"] == [world.maria]


def test_htmx_search_returns_only_the_results_fragment(client: TestClient, world: World) -> None:
    sign_in(client, "clerk")
    fragment = client.get(
        "/officers", params={"corporacion": str(world.agencies["JAL-SSP"]), "situacion": "active"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "<table" in fragment.text
    assert f"/officers/{world.maria}" in fragment.text
    assert f"/officers/{world.evil}" in fragment.text
    assert f"/officers/{world.nuevo_leon}" not in fragment.text


def test_search_pages_with_a_keyset_next_link(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from confianza.registry.pages import officers as officer_pages

    monkeypatch.setattr(officer_pages, "PAGE_SIZE", 1)
    sign_in(client, "clerk")
    first = client.get("/officers", params={"situacion": "active"})
    assert "Página siguiente" in first.text
    next_url = html.unescape(first.text.split('rel="next" href="')[1].split('"')[0])
    assert "cursor=" in next_url and "situacion=active" in next_url
    second = client.get(next_url)
    assert second.status_code == 200
    shown = [oid for oid in (world.maria, world.nuevo_leon, world.evil)
             if f'href="/officers/{oid}"' in second.text]
    assert len(shown) == 1 and f'href="/officers/{shown[0]}"' not in first.text


def test_profile_shows_career_badges_and_ids_but_not_contacts(
    client: TestClient, world: World, container: Container
) -> None:
    sign_in(client, "clerk")
    page = client.get(f"/officers/{world.maria}")
    assert page.status_code == 200
    text = page.text
    assert "María Fernanda Peña Ruiz" in text
    assert "Guardia Nacional" in text and "Secretaría de Seguridad de Jalisco" in text
    assert "Policía Tercero" in text and "Cambio de adscripción" in text
    assert "16/01/2012" in text and "01/06/2019" in text  # dd/mm/yyyy
    assert "4411" in text and "CUI-0042" in text
    assert "1234 5678" not in text and "Juárez" not in text
    assert "Ver datos de contacto" in text
    assert page.headers["cache-control"] == "no-store"
    assert entries(container, AuditAction.OFFICER_READ)[-1].resource_id == str(world.maria)
    assert entries(container, AuditAction.OFFICER_CONTACT_READ) == []


def test_declared_purpose_reveals_contacts_and_is_audited(
    client: TestClient, world: World, container: Container
) -> None:
    csrf = sign_in(client, "clerk")
    purpose = "Citatorio del expediente IA-12/2026"
    response = client.post(
        f"/officers/{world.maria}/contacts", data={"purpose": purpose},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "+52 33 1234 5678" in response.text and "Av. Juárez 100" in response.text
    [entry] = entries(container, AuditAction.OFFICER_CONTACT_READ)
    assert entry.purpose == purpose
    assert entry.actor == "clerk"
    assert entry.resource_id == str(world.maria)


def test_short_purpose_is_refused_beside_the_field_keeping_the_text(
    client: TestClient, world: World, container: Container
) -> None:
    csrf = sign_in(client, "clerk")
    response = client.post(
        f"/officers/{world.maria}/contacts", data={"purpose": "ver <b>"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert 'id="purpose-error"' in response.text
    assert "al menos 10 caracteres" in response.text
    assert "ver &lt;b&gt;</textarea>" in response.text
    assert "1234 5678" not in response.text
    assert entries(container, AuditAction.OFFICER_CONTACT_READ) == []


def test_purpose_form_works_without_javascript(client: TestClient, world: World) -> None:
    csrf = sign_in(client, "clerk")
    response = client.post(
        f"/officers/{world.maria}/contacts",
        data={"purpose": "Verificación de domicilio para notificación", "csrf_token": csrf},
    )
    assert response.status_code == 200
    assert "<html" in response.text and "María Fernanda Peña Ruiz" in response.text
    assert "+52 33 1234 5678" in response.text


def test_contact_form_is_not_offered_to_a_role_without_the_permission(
    client: TestClient, world: World
) -> None:
    sign_in(client, "auditor")
    page = client.get(f"/officers/{world.maria}")
    assert page.status_code == 200
    assert "Su rol no permite consultar datos de contacto" in page.text
    assert f'action="/officers/{world.maria}/contacts"' not in page.text


def test_state_scoped_user_is_refused_another_states_officer(
    client: TestClient, world: World, container: Container
) -> None:
    sign_in(client, "jal.hr")
    assert client.get(f"/officers/{world.maria}").status_code == 200
    refused = client.get(f"/officers/{world.nuevo_leon}")
    assert refused.status_code == 403
    assert "Acceso denegado" in refused.text
    assert "Treviño" not in refused.text
    denied = entries(container, AuditAction.ACCESS_DENIED)
    assert denied[-1].resource_id == str(world.nuevo_leon)
    roster = client.get(f"/agencies/{world.agencies['NL-FC']}/roster")
    assert roster.status_code == 403
    found = client.get("/officers", params={"nombre": "trevino"})
    assert "Ningún elemento coincide" in found.text


def test_markup_in_names_is_shown_escaped(client: TestClient, world: World) -> None:
    sign_in(client, "clerk")
    for url in (f"/officers/{world.evil}", "/officers?nombre=zuniga",
                f"/agencies/{world.agencies['JAL-SSP']}/roster"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert EVIL_NAME not in page.text, url
        assert "&lt;script&gt;" in page.text or "&lt;SCRIPT&gt;" in page.text, url


def test_agencies_list_links_to_rosters_within_scope(client: TestClient, world: World) -> None:
    sign_in(client, "jal.hr")
    page = client.get("/agencies")
    assert page.status_code == 200
    assert f'href="/agencies/{world.agencies["JAL-SSP"]}/roster"' in page.text
    assert "Policía de Guadalajara" in page.text
    assert "Fuerza Civil de Nuevo León" not in page.text
    filtered = client.get("/agencies", params={"texto": "guadalajara"})
    assert "Policía de Guadalajara" in filtered.text
    assert "Secretaría de Seguridad de Jalisco" not in filtered.text


def test_roster_lists_current_officers_with_counts_and_sorts_by_name(
    client: TestClient, world: World, container: Container
) -> None:
    sign_in(client, "clerk")
    url = f"/agencies/{world.agencies['JAL-SSP']}/roster"
    page = client.get(url)
    assert page.status_code == 200
    text = page.text
    assert f'href="/officers/{world.maria}"' in text and f'href="/officers/{world.evil}"' in text
    assert f'href="/officers/{world.nuevo_leon}"' not in text
    assert '<span class="stat-n">2</span><span class="stat-l">Total</span>' in text
    assert ('<span class="stat-n">2</span><span class="stat-l">'
            f'<a href="{url}?situacion=active"') in text
    assert text.index(f"/officers/{world.maria}") < text.index(f"/officers/{world.evil}")
    desc = client.get(url, params={"orden": "-nombre"}).text
    assert desc.index(f"/officers/{world.evil}") < desc.index(f"/officers/{world.maria}")
    assert 'aria-sort="descending"' in desc
    read = entries(container, AuditAction.AGENCY_ROSTER_READ)[-1].detail
    assert (read["criteria"], read["results"]) == ([], [world.evil, world.maria])
    gn = client.get(f"/agencies/{world.agencies['GN']}/roster")
    assert "La corporación no tiene personal adscrito" in gn.text


def links(page: str, rel: str) -> str:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    assert found is not None, f"no {rel} link"
    return html.unescape(found.group(1))


def test_roster_pages_keep_the_filter_in_next_and_previous_links(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from confianza.registry.pages import agencies as agency_pages

    monkeypatch.setattr(agency_pages, "ROSTER_PAGE_SIZE", 1)
    sign_in(client, "clerk")
    url = f"/agencies/{world.agencies['JAL-SSP']}/roster"
    first = client.get(url, params={"situacion": "active", "orden": "-nombre"}).text
    assert f"/officers/{world.evil}" in first and f"/officers/{world.maria}" not in first
    assert 'rel="prev"' not in first
    following = links(first, "next")
    assert "situacion=active" in following and "orden=-nombre" in following
    assert "cursor=" in following
    second = client.get(following)
    assert second.status_code == 200
    assert f"/officers/{world.maria}" in second.text
    assert f"/officers/{world.evil}" not in second.text
    assert "Primera página" in second.text
    back = links(second.text, "prev")
    assert "situacion=active" in back and "orden=-nombre" in back
    again = client.get(back).text
    assert f"/officers/{world.evil}" in again and 'rel="prev"' not in again
    # The text filter travels the same way, and a filter that matches nobody says so.
    by_text = client.get(url, params={"texto": "Peña"}).text
    assert f"/officers/{world.maria}" in by_text and f"/officers/{world.evil}" not in by_text
    assert 'value="Peña"' in by_text
    nobody = client.get(url, params={"texto": "Nadie"})
    assert nobody.status_code == 200
    assert "Nadie en el estado de fuerza coincide con el filtro." in nobody.text


@pytest.mark.parametrize(("params", "message"), [
    ({"situacion": "jubilado"}, "No existe la situación «jubilado»: se muestran todas."),
    ({"situacion": "<b>x</b>"}, "No existe la situación «&lt;b&gt;x&lt;/b&gt;»"),
    ({"texto": "x" * 101}, "El texto de búsqueda admite hasta 100 caracteres"),
    ({"texto": "peña\x07"}, "El texto de búsqueda admite hasta 100 caracteres"),
    ({"cursor": "no-es-un-cursor"}, "El enlace de página no lo emitió este sistema"),
    ({"cursor": "W10"}, "El enlace de página no lo emitió este sistema"),  # "[]"
    ({"cursor": "x" * 5000}, "El enlace de página no lo emitió este sistema"),
])
def test_roster_input_it_cannot_use_is_said_on_the_page(
    client: TestClient, world: World, params: dict[str, str], message: str
) -> None:
    sign_in(client, "clerk")
    url = f"/agencies/{world.agencies['JAL-SSP']}/roster"
    page = client.get(url, params=params)
    assert page.status_code == 422
    assert message in page.text
    assert "Error interno" not in page.text and "Traceback" not in page.text
    # The rest of the request is answered: the counts and the first page.
    assert f"/officers/{world.maria}" in page.text and "stat-total" in page.text


def test_a_roster_link_followed_after_the_roster_changed_says_so(
    client: TestClient, world: World
) -> None:
    from confianza.core.pagination import encode_cursor

    sign_in(client, "clerk")
    url = f"/agencies/{world.agencies['JAL-SSP']}/roster"
    page = client.get(url, params={"cursor": encode_cursor(("ZZZZ", 1))})
    assert page.status_code == 200
    assert "Ya no hay personal después de este punto" in page.text
    assert f'href="{url}"' in page.text  # back to the first page


def test_roster_csv_lists_everyone_with_formulas_as_text_and_is_audited(
    client: TestClient, world: World, container: Container, operator: Actor
) -> None:
    uow = container.uow()
    agency = world.agencies["JAL-SSP"]
    unit = agency_service.create_unit(uow, operator, agency, "FORM", '=HYPERLINK("x")')
    trick = officer_service.register_officer(uow, operator, officer_service.NewOfficer(
        given_names="Alma", first_surname="Ibáñez", assignment=officer_service.FirstAssignment(
            agency, "+Oficial", date(2021, 3, 1), unit.id))).officer.id
    sign_in(client, "clerk")
    page = client.get(f"/agencies/{agency}/roster").text
    assert f'href="/agencies/{agency}/roster.csv"' in page
    answer = client.get(f"/agencies/{agency}/roster.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="estado-de-fuerza-JAL-SSP-2026-11-20.csv"')
    assert answer.headers["content-length"] == str(len(answer.content))
    assert answer.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["folio", "nombre", "curp", "situacion", "grado", "clave_unidad", "unidad",
                       "adscrito_desde"]
    assert [int(r[0]) for r in rows[1:]] == [trick, world.maria, world.evil]
    assert rows[1][4:7] == ["'+Oficial", "FORM", "'=HYPERLINK(\"x\")"]
    assert rows[1][3] == "Activo" and rows[1][7] == "2021-03-01"
    assert rows[3][1].startswith("Zúñiga, <script>")  # a file, not a page: no HTML escaping
    read = entries(container, AuditAction.AGENCY_ROSTER_READ)[-1]
    assert (read.resource_id, read.detail["export"], read.detail["officers"]) == (
        str(agency), "csv", 3)


def test_roster_csv_outside_the_scope_is_the_403_page(
    client: TestClient, world: World, container: Container
) -> None:
    sign_in(client, "jal.hr")
    assert client.get(f"/agencies/{world.agencies['JAL-SSP']}/roster.csv").status_code == 200
    before = len(entries(container, AuditAction.AGENCY_ROSTER_READ))
    refused = client.get(f"/agencies/{world.agencies['NL-FC']}/roster.csv")
    assert refused.status_code == 403
    assert "Acceso denegado" in refused.text and "Treviño" not in refused.text
    assert len(entries(container, AuditAction.AGENCY_ROSTER_READ)) == before
    assert entries(container, AuditAction.ACCESS_DENIED)[-1].resource_id == str(
        world.agencies["NL-FC"])


def test_roster_csv_follows_the_pages_staff_filter_and_refuses_one_it_cannot_use(
    client: TestClient, world: World, container: Container
) -> None:
    gn = world.agencies["GN"]
    sign_in(client, "clerk")
    page = client.get(f"/agencies/{gn}/roster", params={"personal": "anterior"}).text
    link = f"/agencies/{gn}/roster.csv?personal=anterior"
    assert f'href="{link}"' in page  # the download is what the page shows
    answer = client.get(link)
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][-3:] == ["adscrito_desde", "baja", "motivo_baja"]
    assert [int(r[0]) for r in rows[1:]] == [world.maria]  # she left for Jalisco in 2019
    assert rows[1][-2] == "2019-06-01" and rows[1][-1]
    current = client.get(f"/agencies/{gn}/roster.csv")
    assert world.maria not in [int(r[0]) for r in csv.reader(
        io.StringIO(current.content.decode("utf-8-sig").split("\n", 1)[1]))]
    read = entries(container, AuditAction.AGENCY_ROSTER_READ)
    assert [e.detail["criteria"] for e in read[-2:]] == [["staff:former"], []]
    filtered = client.get(f"/agencies/{gn}/roster", params={"personal": "todos",
                                                           "situacion": "suspended"}).text
    assert html.escape(f"/agencies/{gn}/roster.csv?situacion=suspended&personal=todos") in (
        filtered)

    before = len(entries(container, AuditAction.AGENCY_ROSTER_READ))
    refused = client.get(f"/agencies/{gn}/roster.csv", params={"personal": "jubilados"})
    assert refused.status_code == 422
    assert "jubilados" in refused.text and "text/html" in refused.headers["content-type"]
    assert len(entries(container, AuditAction.AGENCY_ROSTER_READ)) == before
