"""Pages in Spanish and English on both databases: the request's language (`?lang=`, then the
cookie), `<html lang>`, dates and numbers per language, translated error pages, and the header's
language link."""

from __future__ import annotations

import csv
import html
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from ui_support import World, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.core.web import i18n
from confianza.kit.curp import build_curp
from confianza.registry.cli.files import read_roster
from confianza.registry.rules.import_mapping import parse_mapping
from confianza.registry.service.officer_import import import_officers

SPANISH = '<html lang="es-MX">'
ENGLISH = '<html lang="en">'
LOGIN_ES = '<h1 id="login-title">Iniciar sesión</h1>'
LOGIN_EN = '<h1 id="login-title">Sign in</h1>'
# A roster large enough for counts with a thousands separator.
CROWD = 1_005
CROWD_MAPPING = parse_mapping("""
[fields]
curp = "curp"
given_names = "nombres"
first_surname = "paterno"
rank = "grado"
start_date = "ingreso"
[agency]
column = "corporacion"
""", "crowd.toml")


@pytest.fixture
def world(container: Container, operator: Actor, agencies: dict[str, int]) -> World:
    return seed(container, operator, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def language_link(page: str) -> str:
    """The address of the header's link to the other language, unescaped."""
    marker = 'class="language-switch" href="'
    assert marker in page, "the page has no language link"
    return html.unescape(page.split(marker, 1)[1].split('"', 1)[0])


def test_pages_speak_spanish_by_default(client: TestClient, world: World) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert SPANISH in page.text
    assert LOGIN_ES in page.text and "Sign in" not in page.text
    assert i18n.COOKIE not in page.headers.get("set-cookie", "")
    # The way to English is named in English.
    assert 'lang="en" hreflang="en">English</a>' in page.text


def test_lang_en_speaks_english_and_the_cookie_keeps_it(client: TestClient,
                                                        world: World) -> None:
    first = client.get("/login", params={"lang": "en"})
    assert ENGLISH in first.text
    assert LOGIN_EN in first.text and "Iniciar sesión" not in first.text
    assert "Skip to content" in first.text
    # Beside the sign-in form's own cookie, which must not crowd it out.
    [cookie] = [c for c in first.headers.get_list("set-cookie") if c.startswith(i18n.COOKIE)]
    assert cookie.startswith(f"{i18n.COOKIE}=en;") and "HttpOnly" in cookie
    # The next page, without ?lang=, still speaks English: after signing in too.
    sign_in(client, "clerk")
    home = client.get("/")
    assert ENGLISH in home.text and ">Sign out</button>" in home.text
    assert 'lang="es-MX" hreflang="es-MX">Español</a>' in home.text
    # And ?lang=es brings Spanish back for the pages after it.
    client.get("/", params={"lang": "es"})
    assert SPANISH in client.get("/agencies").text


@pytest.mark.parametrize("value", ["fr", "xx-EN", "<b>", "", "en" * 40])
def test_an_unknown_language_falls_back_to_spanish(client: TestClient, world: World,
                                                   value: str) -> None:
    page = client.get("/login", params={"lang": value})
    assert page.status_code == 200
    assert SPANISH in page.text and LOGIN_ES in page.text
    assert i18n.COOKIE not in page.headers.get("set-cookie", "")
    assert "<b>" not in page.text


def test_a_language_tag_is_read_case_and_region_blind(client: TestClient,
                                                      world: World) -> None:
    assert ENGLISH in client.get("/login", params={"lang": "EN-gb"}).text
    assert SPANISH in client.get("/login", params={"lang": "es_MX"}).text


def test_a_malformed_language_cookie_speaks_spanish(client: TestClient, world: World) -> None:
    client.cookies.set(i18n.COOKIE, "klingon")
    assert SPANISH in client.get("/login").text


def test_dates_follow_the_language(client: TestClient, world: World) -> None:
    sign_in(client, "clerk")
    spanish = client.get(f"/officers/{world.maria}").text
    assert "<dd>14/03/1988</dd>" in spanish  # dd/mm/yyyy
    english = client.get(f"/officers/{world.maria}", params={"lang": "en"}).text
    assert "<dd>Mar 14, 1988</dd>" in english
    assert "14/03/1988" not in english
    assert "Date of birth" in english and "Fecha de nacimiento" not in english


def test_counts_are_grouped_in_both_languages(client: TestClient, world: World,
                                              container: Container, operator: Actor,
                                              tmp_path: Path) -> None:
    roster = tmp_path / "crowd.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["curp", "nombres", "paterno", "grado", "ingreso", "corporacion"])
        for n in range(CROWD - 1):  # Jorge Treviño is there already
            born = date(1970, 1, 1) + timedelta(days=n)
            writer.writerow([build_curp("Ejemplo", None, "Persona", born, "H", "NL"),
                             "Persona", "Ejemplo", "Policía", "2020-01-01", "NL-FC"])
    import_officers(container.uow(), operator, read_roster(roster, CROWD_MAPPING.encoding),
                    CROWD_MAPPING)
    sign_in(client, "clerk")
    path = f"/agencies/{world.agencies['NL-FC']}/roster"
    for language, heading in (("es", "Personal por situación"), ("en", "Personnel by status")):
        page = client.get(path, params={"lang": language}).text
        assert heading in page
        assert '<span class="stat-n">1,005</span><span class="stat-l">Total</span>' in page


def test_error_pages_are_translated(client: TestClient, world: World) -> None:
    spanish = client.get("/no-such-page")
    assert spanish.status_code == 404
    assert SPANISH in spanish.text and '<h1 id="error-title">No encontrado</h1>' in spanish.text
    assert "Ir al inicio" in spanish.text
    english = client.get("/no-such-page", params={"lang": "en"})
    assert english.status_code == 404
    assert ENGLISH in english.text and '<h1 id="error-title">Not found</h1>' in english.text
    assert "The requested resource does not exist." in english.text
    assert "Go to the home page" in english.text and "Request ID" in english.text
    # A refusal after sign-in, still in English (the cookie).
    sign_in(client, "jal.hr")
    refused = client.get(f"/officers/{world.nuevo_leon}")
    assert refused.status_code == 403
    assert ENGLISH in refused.text and '<h1 id="error-title">Access denied</h1>' in refused.text
    assert "Your account is not allowed to view this resource." in refused.text


def test_the_language_link_keeps_the_other_query_parameters(client: TestClient,
                                                            world: World) -> None:
    sign_in(client, "clerk")
    page = client.get("/officers", params={"nombre": "Peña Ruiz", "situacion": "active"}).text
    link = language_link(page)
    assert link.startswith("/officers?")
    assert "nombre=Pe%C3%B1a+Ruiz" in link and "situacion=active" in link
    assert link.endswith("lang=en")
    # Following it shows the same search, in English, and offers Spanish back the same way.
    english = client.get(link).text
    assert ENGLISH in english and f'href="/officers/{world.maria}"' in english
    back = language_link(english)
    assert "nombre=Pe%C3%B1a+Ruiz" in back and back.endswith("lang=es")
    assert back.count("lang=") == 1  # the old value is replaced, not repeated
