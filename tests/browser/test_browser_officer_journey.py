"""A clerk's journey in a real Chromium: sign in, find an officer, reveal contacts, roster."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    PHONE,
    SCREENSHOTS,
    USERNAME,
    Registry,
    check_accessibility,
    require_browser,
    serve,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    require_browser()
    with serve(tmp_path_factory.mktemp("browser")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(registry: Registry) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open_page(browser: Any, request: pytest.FixtureRequest, **options: Any) -> Iterator[Any]:
    """A fresh context and page; on failure, a full-page screenshot named after the test."""
    context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 900},
                                  **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    # CSP violations and script errors show up on the console; the pages must cause none.
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.console_problems = problems
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:
        SCREENSHOTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
        page.screenshot(path=str(Path(SCREENSHOTS, f"{name}.png")), full_page=True)
    context.close()


@pytest.fixture
def browser_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _open_page(browser, request)


@pytest.fixture
def plain_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page with JavaScript off: every page must still work as plain HTML forms."""
    yield from _open_page(browser, request, java_script_enabled=False)


def sign_in(page: Any, base_url: str, start: str = "/", check: bool = True) -> None:
    page.goto(base_url + start)
    assert "/login" in page.url
    if check:  # axe runs as script: not on a page with JavaScript off
        check_accessibility(page, "sign-in")
    page.get_by_label("Usuario").fill(USERNAME)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(base_url + start)


def test_clerk_finds_an_officer_reveals_contacts_and_opens_the_roster(
    browser_page: Any, registry: Registry
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    sign_in(page, registry.base_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(USERNAME)
    check_accessibility(page, "home")

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Elementos").click()
    expect(page.get_by_text("Escriba al menos un criterio")).to_be_visible()
    check_accessibility(page, "officer search")
    page.get_by_label("Nombre").press_sequentially("peña r", delay=30)
    result = page.locator("#results").get_by_role("link", name="Peña Ruiz, María Fernanda")
    expect(result).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)  # a fragment was swapped in, not a whole page
    expect(page.locator("#results")).not_to_contain_text("Castro")  # 'Peña C...' is filtered
    assert "nombre=pe" in page.url  # the live search pushes a shareable URL
    check_accessibility(page, "officer search results")

    result.click()
    page.wait_for_url(f"{registry.base_url}/officers/{registry.maria}")
    expect(page.get_by_role("heading", level=1)).to_have_text("María Fernanda Peña Ruiz")
    expect(page.locator("main")).not_to_contain_text(PHONE)
    check_accessibility(page, "officer profile")

    page.get_by_label("Motivo de la consulta").fill("Citatorio del expediente IA-12/2026")
    page.get_by_role("button", name="Ver datos de contacto").click()
    contacts = page.locator("#contacts")
    expect(contacts).to_contain_text(PHONE)
    expect(contacts).to_contain_text("Citatorio del expediente IA-12/2026")
    assert page.url.endswith(f"/officers/{registry.maria}")  # a fragment swap, not a new page
    check_accessibility(page, "officer profile with contacts")

    page.get_by_role("link", name="Secretaría de Seguridad de Jalisco").first.click()
    page.wait_for_url(f"{registry.base_url}/agencies/{registry.jalisco}/roster")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Estado de fuerza")
    roster = page.locator("table.roster")
    expect(roster.get_by_role("link", name="Peña Ruiz, María Fernanda")).to_be_visible()
    expect(roster.locator("tbody tr")).to_have_count(3)
    check_accessibility(page, "roster")

    # The header's link switches to English: the page says so to assistive technology, the
    # choice is kept in a cookie, and the next page, with no ?lang= in its address, keeps it.
    # (The English wording is the catalogue's to check, not this journey's.)
    page.get_by_role("banner").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r".*/roster\?(.*&)?lang=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert {"name": "confianza_lang", "value": "en"}.items() <= next(
        c for c in page.context.cookies() if c["name"] == "confianza_lang").items()
    expect(page.get_by_role("banner").get_by_role("link", name="Español")).to_have_attribute(
        "lang", "es-MX")
    check_accessibility(page, "roster in English")
    roster.get_by_role("link", name="Peña Ruiz, María Fernanda").click()
    page.wait_for_url(f"{registry.base_url}/officers/{registry.maria}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_accessibility(page, "officer profile in English")
    assert page.console_problems == []


def test_search_and_purpose_work_without_javascript(
    plain_page: Any, registry: Registry
) -> None:
    from playwright.sync_api import expect

    page = plain_page
    sign_in(page, registry.base_url, "/officers", check=False)
    page.get_by_label("Nombre").fill("hernandez")
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator("#results")).to_contain_text("Hernández")
    page.goto(f"{registry.base_url}/officers/{registry.maria}")
    page.get_by_label("Motivo de la consulta").fill("Notificación de comparecencia")
    page.get_by_role("button", name="Ver datos de contacto").click()
    expect(page.locator("#contacts")).to_contain_text(PHONE)
