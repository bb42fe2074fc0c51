"""An auditor in a real Chromium, by keyboard alone: sign in, skip to the content, look an
officer up by CURP in Accesos, and read who looked at the record and why; then the clerk's own
history, and the officer's due-process report, which names roles, never staff."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from browser_support import (
    MARIA_CURP,
    PASSWORD,
    Registry,
    add_account,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    focus_is_visible,
    registry_fixture,
    tab_to,
    unexpected_console,
    walk_tab_order,
    window_fixture,  # noqa: F401 - the fixture `window`
)

from confianza.accounts.rules.permissions import ActorKind, Role
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.registry.service import officers as officer_service

pytestmark = pytest.mark.browser
AUDITOR = "auditoria-interna"
CLERK = "mlopez-captura"
PURPOSE = "Citatorio del expediente IA-12/2026"


def add_history(container: Container, maria: int, jalisco: int) -> None:
    """An auditor, and a clerk who searched for María (the search names her among its
    results) and then revealed her contact data, declaring why."""
    add_account(container, AUDITOR, "Auditoría interna", Role.AUDITOR)
    clerk = user_service.actor_for(
        add_account(container, CLERK, "Marta López", Role.REGISTRY_CLERK), ActorKind.USER)
    uow = container.uow()
    found = officer_service.search_officers(uow, clerk, officer_service.OfficerQuery(
        name="peña ruiz"))
    assert [o.id for o in found.items] == [maria]
    officer_service.reveal_contacts(uow, clerk, maria, PURPOSE)


registry = registry_fixture(add_history)


def test_an_auditor_reads_who_looked_at_an_officer_and_why(
    window: Callable[..., Any], registry: Registry
) -> None:
    from playwright.sync_api import expect

    base = registry.base_url
    page = window()

    # A bookmark of Accesos asks for a sign-in first; the form is filled from the keyboard.
    page.goto(base + "/access")
    assert page.url.startswith(base + "/login")
    check_accessibility(page, "sign-in")
    expect(page.get_by_label("Usuario")).to_be_focused()
    page.keyboard.type(AUDITOR)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Contraseña")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/access")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accesos")
    check_accessibility(page, "access start")

    # The first Tab reaches the skip link, which shows itself with a visible focus; following
    # it puts the focus on the content, so the next Tab lands in the form, past the menu.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Saltar al contenido")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 1
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert tab_to(page, page.get_by_label("Número de elemento o CURP")) == 1
    page.keyboard.type(MARIA_CURP.lower())
    tab_to(page, page.get_by_role("button", name="Ver accesos"))
    page.keyboard.press("Space")

    page.wait_for_url(f"{base}/access/officers/{registry.maria}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accesos al expediente")
    expect(page.locator("main .lead")).to_contain_text("Peña")
    expect(page.locator("main .lead")).to_contain_text(MARIA_CURP)
    rows = page.locator("table.access tbody tr")
    revealed = rows.filter(has_text="Reveló los datos de contacto")
    expect(revealed).to_have_count(1)
    expect(revealed).to_contain_text(CLERK)
    expect(revealed).to_contain_text(PURPOSE)
    expect(revealed).to_contain_text("Sobre su expediente")
    searched = rows.filter(has_text="Buscó elementos")
    expect(searched).to_have_count(1)
    expect(searched).to_contain_text(CLERK)
    expect(searched).to_contain_text("En resultados de una búsqueda o lista")
    check_accessibility(page, "officer's accesses")
    # Every stop of the page's tab order, from the skip link to the table's last link, shows
    # where the focus is.
    page.reload()
    stops = walk_tab_order(page)
    assert "skip-link" in stops[0]
    assert any(CLERK in stop for stop in stops)

    # Whoever looked can be followed: the clerk's own history lists the same read, and why.
    revealed.get_by_role("link", name=CLERK).click()
    page.wait_for_url(re.compile(rf".*/access/users\?usuario={CLERK}$"))
    expect(page.locator("main .lead")).to_contain_text(CLERK)
    history = page.locator("table.access tbody tr")
    expect(history.filter(has_text="officer:contact:read")).to_contain_text(PURPOSE)
    expect(history.filter(has_text="officer:identity:search")).to_have_count(1)
    check_accessibility(page, "account history")

    # The officer's own report says what was done and why, by role and place: no usernames.
    page.go_back()
    page.get_by_role("link", name="Informe para el elemento (debido proceso)").click()
    page.wait_for_url(f"{base}/access/officers/{registry.maria}/report")
    report = page.locator("table.access")
    expect(report.locator("tbody tr").filter(has_text=PURPOSE)).to_contain_text(
        "Capturista del registro")
    expect(page.locator("main")).not_to_contain_text(CLERK)
    check_accessibility(page, "due-process report")
    assert page.console_problems == []

    # A key nobody has is named beside the field, which keeps what was typed.
    page.goto(base + "/access")
    page.get_by_label("Número de elemento o CURP").fill("XEXX010101HNEXXXA4")
    page.get_by_role("button", name="Ver accesos").click()
    field = page.get_by_label("Número de elemento o CURP")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value("XEXX010101HNEXXXA4")
    expect(page.locator("#f-elemento-error")).to_have_text(
        "Ningún elemento tiene ese número o esa CURP.")
    check_accessibility(page, "access start with an unknown key")
    assert unexpected_console(page, 404) == []
