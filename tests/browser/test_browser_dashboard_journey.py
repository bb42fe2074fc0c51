"""The coverage dashboard in a real Chromium: a national reader drills from the nation to a
state with the keyboard (an htmx update of the sections, the address kept in step), the charts
draw under the page's CSP, and both the dashboard and the public page pass axe-core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browser_support import (
    Registry,
    add_account,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    focus_is_visible,
    registry_fixture,
    settle,
    sign_in,
    window_fixture,  # noqa: F401 - the fixture `window`
)

from confianza.accounts.rules.permissions import Role, system_actor
from confianza.app.bootstrap import Container
from confianza.vetting.rules.evaluations import EvaluationKind, ExamType
from confianza.vetting.service import centres, evaluations

pytestmark = pytest.mark.browser
READER = "tablero.nacional"


def _reader(container: Container, maria: int, jalisco: int) -> None:
    """A national reader, and one request waiting at the Jalisco centre (the backlog chart)."""
    operator = system_actor("browser-test")
    add_account(container, READER, "Lectura nacional", Role.CERTIFICATION_OFFICER)
    centres.create_centre(container.uow(), operator, "C3-JAL", "Centro Estatal de Jalisco", "14",
                          dict.fromkeys(ExamType, 4))
    evaluations.request_evaluation(container.uow(), operator, evaluations.EvaluationRequest(
        maria, jalisco, EvaluationKind.PERMANENCE), policy=container.policy)


registry = registry_fixture(_reader)


def test_a_national_reader_drills_to_a_state_and_the_public_page_is_open(
    window: Callable[..., Any], registry: Registry
) -> None:
    page = window("national")
    sign_in(page, registry.base_url, READER, start="/dashboard")
    settle(page)
    assert page.get_by_role("heading", name="Nacional").is_visible()
    # Four charts, each an image named by its caption, with the numbers written on it.
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == 4
    labelled = page.locator("svg.chart[aria-labelledby]").evaluate_all(
        "svgs => svgs.map(s => document.getElementById(s.getAttribute('aria-labelledby'))"
        ".textContent.trim().length)")
    assert all(length > 20 for length in labelled)
    assert "Jalisco" in page.locator("svg.chart").first.text_content()
    check_accessibility(page, "dashboard, national")

    # Keyboard only: reach the state list, choose Jalisco; htmx swaps the sections.
    state = page.get_by_label("Estado", exact=True)
    state.focus()
    assert focus_is_visible(page)
    state.select_option("14")
    page.wait_for_url(f"{registry.base_url}/dashboard?estado=14")
    settle(page)
    assert page.get_by_role("heading", name="Jalisco", exact=True).is_visible()
    assert page.get_by_label("Corporación", exact=True).is_visible()
    assert page.locator("#dashboard-sections").get_by_text(
        "Secretaría de Seguridad de Jalisco").count() >= 1
    check_accessibility(page, "dashboard, Jalisco")
    assert page.console_problems == []

    visitor = window("public")
    visitor.goto(registry.base_url + "/public/coverage")
    settle(visitor)
    title = "Cobertura del control de confianza"
    assert visitor.get_by_role("heading", name=title).is_visible()
    # The test registry is tiny: every count under ten is withheld, in words.
    assert visitor.get_by_text("reservado").count() > 0
    check_accessibility(visitor, "public coverage")
    assert visitor.console_problems == []
