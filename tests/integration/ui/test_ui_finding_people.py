"""Finding people as users do, through the pages (issue 16 item 7), on both databases: a name
in any order, any identity key and "ever served there" in the search form, an agency's former
staff on its roster, and an agency outside Mexico with its level, chosen on the dashboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from ui_support import World, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.service import agencies as agency_service


@pytest.fixture
def world(container: Container, operator: Actor, agencies: dict[str, int]) -> World:
    return seed(container, operator, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def test_the_search_form_finds_a_name_in_any_order_and_any_identity_key(
    client: TestClient, world: World
) -> None:
    sign_in(client, "clerk")
    form = client.get("/officers")
    assert 'name="clave"' in form.text and 'name="historial"' in form.text
    for typed in ("maria fernanda pena", "Ruiz Peña María", "FERNANDA peña"):
        page = client.get("/officers", params={"nombre": typed})
        assert f'href="/officers/{world.maria}"' in page.text, typed
        assert f'href="/officers/{world.nuevo_leon}"' not in page.text
    for key in ("CUI-0042", "4411"):  # an external id's value, a badge number
        page = client.get("/officers", params={"clave": key})
        assert f'href="/officers/{world.maria}"' in page.text, key
    curp = client.get(f"/officers/{world.maria}").text.split('class="mono">', 1)[1][:18]
    page = client.get("/officers", params={"clave": curp.lower()})
    assert f'href="/officers/{world.maria}"' in page.text
    assert 'value="CUI-0042"' in client.get("/officers", params={"clave": "CUI-0042"}).text


def test_the_search_form_can_ask_who_ever_served_in_an_agency(
    client: TestClient, world: World
) -> None:
    sign_in(client, "clerk")
    gn = world.agencies["GN"]
    now = client.get("/officers", params={"nombre": "pena", "corporacion": gn})
    assert f'href="/officers/{world.maria}"' not in now.text  # she left the Guardia in 2019
    ever = client.get("/officers", params={"nombre": "pena", "corporacion": gn,
                                           "historial": "1"})
    assert f'href="/officers/{world.maria}"' in ever.text
    assert 'name="historial" type="checkbox" value="1" checked' in ever.text


def test_a_roster_shows_former_staff_when_asked(client: TestClient, world: World) -> None:
    sign_in(client, "clerk")
    gn = world.agencies["GN"]
    current = client.get(f"/agencies/{gn}/roster")
    assert current.status_code == 200
    assert f'href="/officers/{world.maria}"' not in current.text
    assert f'href="/agencies/{gn}/roster?personal=anterior"' in current.text  # the former count
    former = client.get(f"/agencies/{gn}/roster", params={"personal": "anterior"})
    assert former.status_code == 200
    assert f'href="/officers/{world.maria}"' in former.text
    assert "<th scope=\"col\">Hasta</th>" in former.text and "01/06/2019" in former.text
    both = client.get(f"/agencies/{gn}/roster", params={"personal": "todos"})
    assert f'href="/officers/{world.maria}"' in both.text
    wrong = client.get(f"/agencies/{gn}/roster", params={"personal": "jubilados"})
    assert wrong.status_code == 422 and "jubilados" in wrong.text
    assert f'href="/officers/{world.maria}"' not in wrong.text  # the current staff instead


def test_an_agency_outside_mexico_shows_its_level_and_is_chosen_on_the_dashboard(
    client: TestClient, container: Container, operator: Actor, world: World
) -> None:
    foreign = agency_service.create_agency(container.uow(), operator, agency_service.NewAgency(
        "CPD", "Chicago Police Department", AgencyLevel.FOREIGN)).id
    sign_in(client, "auditor")
    listing = client.get("/agencies")
    assert "Chicago Police Department" in listing.text and "Extranjera" in listing.text
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    assert (f'<option value="{foreign}">Chicago Police Department (CPD) · Extranjera'
            '</option>') in dashboard.text
    chosen = client.get("/dashboard", params={"corporacion": foreign})
    assert chosen.status_code == 200
    assert ('<h2 id="dashboard-scope" class="dashboard-scope">Chicago Police Department</h2>'
            in chosen.text)
    assert f'<option value="{foreign}" selected>' in chosen.text
    # A state's list names that state's agencies only.
    jalisco = client.get("/dashboard", params={"estado": "14"})
    assert "Chicago Police Department" not in jalisco.text
    sign_in(client, "clerk")
    roster = client.get(f"/agencies/{foreign}/roster")
    assert roster.status_code == 200 and "Extranjera" in roster.text
