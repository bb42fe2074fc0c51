"""The dashboard pages over HTTP, on both databases: what a national and a scoped reader see,
the htmx update of the sections, escaping, the public page's withheld counts and its cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dashboard_ui_support import (
    PASSWORD,
    Force,
    build_force,
    national_reader,
    small_counts_shown,
)
from fastapi.testclient import TestClient
from ui_support import EVIL_NAME, open_client, sign_in

from confianza.accounts.rules.permissions import Role, system_actor
from confianza.app.bootstrap import Container
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.service import agencies as agency_service
from conftest import FakeClock

HTMX = {"HX-Request": "true", "HX-Target": "dashboard-sections"}


@pytest.fixture
def force(container: Container, agencies: dict[str, int]) -> Force:
    return build_force(container, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def test_a_national_reader_sees_the_country_and_drills_down(
    client: TestClient, container: Container, force: Force, agencies: dict[str, int]
) -> None:
    sign_in(client, national_reader(container), PASSWORD)
    page = client.get("/dashboard")
    assert page.status_code == 200
    html = page.text
    assert "<h2 id=\"dashboard-scope\" class=\"dashboard-scope\">Nacional</h2>" in html
    assert '<span class="figure-value">6</span>' in html  # officers holding a post
    assert html.count('role="img"') == 4
    assert 'href="/dashboard?estado=14"' in html and "Nuevo León" in html
    assert 'href="/dashboard"' in html and 'aria-current="page">Tablero' in html

    state = client.get("/dashboard", params={"estado": "14"})
    assert "<h2 id=\"dashboard-scope\" class=\"dashboard-scope\">Jalisco</h2>" in state.text
    assert '<span class="figure-value">5</span>' in state.text
    drill = f'href="/dashboard?estado=14&amp;corporacion={agencies["JAL-SSP"]}"'
    assert drill in state.text
    agency = client.get("/dashboard", params={"estado": "14",
                                              "corporacion": agencies["JAL-SSP"]})
    assert agency.status_code == 200
    assert '<span class="figure-value">4</span>' in agency.text
    assert 'href="/dashboard?estado=14">Jalisco</a>' in agency.text  # back up a level


def test_a_state_change_updates_the_sections_and_the_agency_list_only(
    client: TestClient, container: Container, force: Force
) -> None:
    sign_in(client, national_reader(container), PASSWORD)
    partial = client.get("/dashboard", params={"estado": "14"},
                         headers={**HTMX, "HX-Trigger-Name": "estado"})
    assert partial.status_code == 200
    assert "<html" not in partial.text and "dashboard-headline" in partial.text
    assert 'id="dashboard-agency-field"' in partial.text and 'hx-swap-oob="true"' in partial.text
    assert "Policía de Guadalajara" in partial.text
    assert "HX-Request" in partial.headers["vary"]
    by_agency = client.get("/dashboard", params={"estado": "14"},
                           headers={**HTMX, "HX-Trigger-Name": "corporacion"})
    assert "hx-swap-oob" not in by_agency.text


def test_a_scoped_account_sees_its_agency_and_is_refused_the_rest(
    client: TestClient, force: Force, agencies: dict[str, int]
) -> None:
    sign_in(client, "rh-jalisco", PASSWORD)  # agency HR, JAL-SSP only
    own = client.get("/dashboard")
    assert own.status_code == 200
    assert "Secretaría de Seguridad de Jalisco</h2>" in own.text
    assert '<span class="figure-value">4</span>' in own.text
    assert 'name="estado"' not in own.text  # nothing to choose from
    # HR does not read exam results: Bruno's one adverse toxicology is withheld.
    assert "reservado" in own.text
    for params in ({"estado": "14"}, {"estado": "19"},
                   {"corporacion": str(agencies["NL-FC"])}):
        refused = client.get("/dashboard", params=params)
        assert refused.status_code == 403, params
        assert "Nuevo León" not in refused.text and "figure-value" not in refused.text
    # Not numbers a key can hold: a superscript digit, one past PostgreSQL's integer keys.
    for typed in ("x1", "²", "2147483648", "9" * 400):
        bad = client.get("/dashboard", params={"corporacion": typed})
        assert bad.status_code == 422 and "corporacion" in bad.text, typed


def test_agency_names_are_escaped_in_charts_and_tables(
    client: TestClient, container: Container, force: Force, agencies: dict[str, int]
) -> None:
    operator = system_actor("test-operator")
    evil = agency_service.create_agency(container.uow(), operator, agency_service.NewAgency(
        "JAL-EVIL", EVIL_NAME, AgencyLevel.MUNICIPAL, "14", "14120", "JAL-SSP"))
    agencies["JAL-EVIL"] = evil.id  # the world's agencies are this same dict
    force.world.new_officer("Hugo", "Ibarra", "Jara", agency="JAL-EVIL")
    sign_in(client, national_reader(container), PASSWORD)
    page = client.get("/dashboard", params={"estado": "14"})
    assert page.status_code == 200
    assert EVIL_NAME not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    one = client.get("/dashboard", params={"corporacion": str(evil.id)})
    assert EVIL_NAME not in one.text and "&lt;script&gt;" in one.text


def test_the_public_page_needs_no_account_and_shows_no_small_count(
    client: TestClient, force: Force
) -> None:
    page = client.get("/public/coverage")
    assert page.status_code == 200
    assert small_counts_shown(page.text) == []
    assert "reservado" in page.text and "Elena" not in page.text
    assert 'href="/public/coverage?estado=14"' in page.text
    state = client.get("/public/coverage", params={"estado": "14"})
    assert state.status_code == 200 and small_counts_shown(state.text) == []
    assert 'aria-current="page">Jalisco' in state.text
    assert client.get("/public/coverage", params={"estado": "99"}).status_code == 422
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_the_public_figures_are_kept_for_minutes(
    client: TestClient, container: Container, force: Force, clock: FakeClock
) -> None:
    def as_of() -> str:
        text = client.get("/public/coverage").text
        return text.split("Cifras al ", 1)[1].split(";", 1)[0]

    first = as_of()
    clock.advance(minutes=4)
    assert as_of() == first
    clock.advance(hours=1)  # too old to serve: read again before answering
    assert as_of() != first


def test_the_api_answers_with_the_same_figures(
    client: TestClient, container: Container, force: Force
) -> None:
    sign_in(client, national_reader(container, Role.CERTIFICATION_OFFICER), PASSWORD)
    body = client.get("/api/v1/dashboard", params={"state": "14"}).json()
    assert body["level"] == "state" and body["headline"]["officers"] == 5
    assert body["expiring_by_month"][3] == {"month": "2027-02-01", "expiring": 1}
    assert body["backlog"][0]["centre_code"] == "C3-JAL"
    assert body["backlog"][0]["working_days"] == 1
    assert body["exams"][0] == {"exam_type": "toxicology", "recorded": 2, "favourable": 1,
                                "reservations": 0, "adverse": 1, "approval_rate": 0.5}
    refused = client.get("/api/v1/dashboard", params={"state": "1"})
    assert refused.status_code == 422


def test_the_api_withholds_exam_counts_from_a_role_without_results(
    client: TestClient, container: Container, force: Force
) -> None:
    sign_in(client, national_reader(container), PASSWORD)  # an auditor
    [toxicology, *_] = client.get("/api/v1/dashboard").json()["exams"]
    assert toxicology["adverse"] is None and toxicology["approval_rate"] is None
