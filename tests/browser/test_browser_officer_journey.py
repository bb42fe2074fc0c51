"""A clerk's journey in a real Chromium: sign in, find an officer, reveal contacts, roster."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from browser_support import (
    PHONE,
    USERNAME,
    Registry,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    registry_fixture,
    sign_in,
    window_fixture,  # noqa: F401 - the fixture `window`
)

pytestmark = pytest.mark.browser


registry = registry_fixture()


def test_clerk_finds_an_officer_reveals_contacts_and_opens_the_roster(
    window: Callable[..., Any], registry: Registry
) -> None:
    from playwright.sync_api import expect

    page = window()
    sign_in(page, registry.base_url, USERNAME, check_form=True)
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
    # The filter narrows the page and stays in its address (a link to share, a page to reload).
    page.get_by_label("Nombre, CURP, placa o clave").fill("peña")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url(re.compile(r".*/roster\?texto=pe%C3%B1a(&|$)"))
    expect(roster.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_label("Nombre, CURP, placa o clave")).to_have_value("peña")
    check_accessibility(page, "filtered roster")
    # Former staff too: the same filter, one line per person, and when each one's posting ended.
    page.get_by_label("Personal", exact=True).select_option("todos")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url(re.compile(r".*/roster\?.*personal=todos"))
    expect(page.get_by_role("columnheader", name="Hasta")).to_be_visible()
    expect(roster.get_by_role("link", name="Peña Ruiz, María Fernanda")).to_be_visible()
    check_accessibility(page, "roster with former staff")

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
    window: Callable[..., Any], registry: Registry
) -> None:
    """With JavaScript off, every page must still work as plain HTML forms."""
    from playwright.sync_api import expect

    page = window(java_script_enabled=False)
    sign_in(page, registry.base_url, USERNAME, "/officers")
    page.get_by_label("Nombre").fill("hernandez")
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator("#results")).to_contain_text("Hernández")
    page.goto(f"{registry.base_url}/officers/{registry.maria}")
    page.get_by_label("Motivo de la consulta").fill("Notificación de comparecencia")
    page.get_by_role("button", name="Ver datos de contacto").click()
    expect(page.locator("#contacts")).to_contain_text(PHONE)
