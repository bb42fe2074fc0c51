"""Refusals in a real Chromium: an examiner who types the address of Alertas or of Accesos,
and the HR of another agency who types an officer's id into the profile's address, get the
refusal page (403, in Spanish, nothing of the record on it), and the refusal is on the trail; a
visitor who is not signed in is sent to sign in, and after it, still refused where the account
may not go."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browser_support import (
    MARIA_CURP,
    PHONE,
    Registry,
    add_account,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    registry_fixture,
    sign_in,
    submit_sign_in,
    unexpected_console,
    window_fixture,  # noqa: F401 - the fixture `window`
)

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind, system_actor
from confianza.app.bootstrap import Container
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.service import agencies as agency_service
from confianza.trail.rules import AuditAction
from confianza.trail.service import access_history as access_service

pytestmark = pytest.mark.browser
EXAMINER = "evaluador-uno"
OTHER_HR = "rh-michoacan"
#: What María's record holds; none of it may reach a page that refuses her record.
MARIA = ("María Fernanda", "Peña Ruiz", MARIA_CURP, PHONE, "4411", "Policía Tercero")
REFUSAL_TITLE = "Acceso denegado"
REFUSAL_TEXT = "Su cuenta no tiene permiso para consultar este recurso."


def add_people(container: Container, maria: int, jalisco: int) -> None:
    """An examiner, and the HR of a Michoacán agency (María serves in Jalisco)."""
    michoacan = agency_service.create_agency(
        container.uow(), system_actor("browser-test"), agency_service.NewAgency(
            "MICH-SSP", "Secretaría de Seguridad de Michoacán", AgencyLevel.STATE, "16")).id
    add_account(container, EXAMINER, "Evaluador Uno", Role.EXAMINER)
    add_account(container, OTHER_HR, "Recursos Humanos Michoacán", Role.AGENCY_HR,
                Scope(ScopeKind.AGENCY, agency_id=michoacan))


registry = registry_fixture(add_people)


def assert_refused(page: Any, response: Any, name: str) -> None:
    """The refusal page: status 403, its Spanish title and explanation, a way home, and
    nothing of María's record anywhere in the document."""
    from playwright.sync_api import expect

    assert response is not None and response.status == 403, name
    expect(page.get_by_role("heading", level=1)).to_have_text(REFUSAL_TITLE)
    expect(page.locator("main")).to_contain_text(REFUSAL_TEXT)
    expect(page.locator("main").get_by_role("link", name="Ir al inicio")).to_have_attribute(
        "href", "/")
    expect(page.locator("html")).to_have_attribute("lang", "es-MX")
    assert page.title().startswith(REFUSAL_TITLE)
    html = page.content()
    leaked = [value for value in MARIA if value in html]
    assert leaked == [], f"{name}: the refusal page shows {leaked}"
    check_accessibility(page, name)


def test_an_examiner_is_refused_alerts_and_accesses(
    window: Callable[..., Any], registry: Registry
) -> None:
    from playwright.sync_api import expect

    base = registry.base_url
    page = window()
    sign_in(page, base, EXAMINER)
    check_accessibility(page, "home (examiner)")
    menu = page.get_by_role("navigation", name="Principal")
    expect(menu.get_by_role("link", name="Mis exámenes")).to_be_visible()
    # Neither section is offered to the role; typed in, each is refused.
    expect(menu.get_by_role("link", name="Alertas")).to_have_count(0)
    expect(menu.get_by_role("link", name="Accesos")).to_have_count(0)
    assert_refused(page, page.goto(base + "/certification/alerts"), "alerts refused")
    assert_refused(page, page.goto(base + "/access"), "accesses refused")
    assert_refused(page, page.goto(f"{base}/access/officers/{registry.maria}"),
                   "an officer's accesses refused")
    assert unexpected_console(page, 403) == []


def test_hr_of_another_agency_is_refused_an_officer_typed_into_the_address(
    window: Callable[..., Any], registry: Registry
) -> None:
    base = registry.base_url
    page = window()
    sign_in(page, base, OTHER_HR)
    check_accessibility(page, "home (HR of another agency)")
    assert_refused(page, page.goto(f"{base}/officers/{registry.maria}"),
                   "another agency's officer refused")
    assert_refused(page, page.goto(f"{base}/officers/{registry.maria}/credential"),
                   "another agency's officer's credential refused")
    assert unexpected_console(page, 403) == []

    # The refused attempt is on the officer's trail, under the account that tried.
    trail = access_service.officer_access(
        registry.container.uow(), system_actor("browser-test"), registry.maria)
    tried = [line.entry for line in trail.items
             if line.entry.action == AuditAction.ACCESS_DENIED and line.entry.actor == OTHER_HR]
    assert tried, "the refusal was not recorded"


def test_a_visitor_not_signed_in_is_sent_to_sign_in_and_then_refused(
    window: Callable[..., Any], registry: Registry
) -> None:
    from playwright.sync_api import expect

    base = registry.base_url
    page = window()
    for address in (f"/officers/{registry.maria}", "/access", "/certification/alerts"):
        page.goto(base + address)
        assert page.url.startswith(base + "/login?next="), address
        expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")
        expect(page.get_by_label("Usuario")).to_be_visible()
        html = page.content()
        assert [value for value in MARIA if value in html] == [], address
    check_accessibility(page, "sign-in after a refused address")

    # Signing in returns to the address asked for, where this account is still refused.
    submit_sign_in(page, EXAMINER)
    page.wait_for_url(base + "/certification/alerts")
    assert_refused(page, page.reload(), "alerts refused after sign-in")
    assert unexpected_console(page, 403) == []
