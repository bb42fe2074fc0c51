"""The home of agency HR in a real Chromium: its panels pass axe-core, the refresh swaps the
panels in place with htmx (reached and used from the keyboard), and without JavaScript the
same link reloads the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from browser_support import (
    Registry,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    jalisco_hr,
    registry_fixture,
    settle,
    sign_in,
    tab_to,
    window_fixture,  # noqa: F401 - the fixture `window`
)

from confianza.accounts.rules.permissions import system_actor
from confianza.registry.service import officers as officer_service

pytestmark = pytest.mark.browser
HR = "rh-inicio"
MARIA = "Peña Ruiz, María Fernanda"


registry = registry_fixture(jalisco_hr(HR))


def new_officer(registry: Registry, given: str) -> None:
    officer_service.register_officer(
        registry.container.uow(), system_actor("browser-test"), officer_service.NewOfficer(
            given_names=given, first_surname="Aguilar", second_surname="Ríos",
            assignment=officer_service.FirstAssignment(registry.jalisco, "Policía",
                                                       date(2021, 3, 1))))


def alert_count(page: Any) -> str:
    return str(page.locator("#panel-alerts .home-figure").inner_text()).strip()


def test_hr_home_refreshes_its_panels_in_place(
    window: Callable[..., Any], registry: Registry
) -> None:
    from playwright.sync_api import expect

    page = window()
    sign_in(page, registry.base_url, HR)
    panel = page.get_by_role("region", name="En servicio sin certificación vigente")
    expect(panel.get_by_role("link", name=MARIA)).to_be_visible()
    before = int(alert_count(page))
    check_accessibility(page, "home of agency HR")

    new_officer(registry, "Teresa")
    refresh = page.get_by_role("link", name="Actualizar")
    tab_to(page, refresh)
    page.keyboard.press("Enter")
    expect(panel.get_by_role("link", name="Aguilar Ríos, Teresa")).to_be_visible()
    settle(page)
    assert int(alert_count(page)) == before + 1
    assert page.url == registry.base_url + "/"  # swapped in place, not a new page
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#home-panels")).to_have_count(1)
    check_accessibility(page, "home of agency HR, refreshed")
    assert page.console_problems == []


def test_without_javascript_the_refresh_reloads_the_page(
    window: Callable[..., Any], registry: Registry
) -> None:
    from playwright.sync_api import expect

    page = window(java_script_enabled=False)
    sign_in(page, registry.base_url, HR)
    before = int(alert_count(page))
    new_officer(registry, "Julia")
    page.get_by_role("link", name="Actualizar").click()
    page.wait_for_url(registry.base_url + "/")
    expect(page.get_by_role("link", name="Aguilar Ríos, Julia")).to_be_visible()
    assert int(alert_count(page)) == before + 1
