"""The officer timeline in a real Chromium: agency HR follows the profile's link, narrows the
list to one kind (htmx swaps it in place; with JavaScript off the form reloads the page), and
every state of the page passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    check_accessibility,
    free_port,
    require_browser,
    served,
)

from conftest import FakeClock

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "services"))

from evaluation_support import PASSWORD  # noqa: E402
from timeline_support import Career, build_career  # noqa: E402

from confianza.bootstrap import build  # noqa: E402
from confianza.domain.agencies import AgencyLevel  # noqa: E402
from confianza.domain.permissions import system_actor  # noqa: E402
from confianza.persistence import migrate  # noqa: E402
from confianza.services import agencies as agency_service  # noqa: E402
from confianza.settings import Environment, Settings  # noqa: E402
from confianza.web.ui import strings_timeline  # noqa: E402

pytestmark = pytest.mark.browser
EVENT = "li.timeline-event"


class Running:
    def __init__(self, base_url: str, career: Career) -> None:
        self.base_url = base_url
        self.career = career


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    require_browser()
    database = tmp_path_factory.mktemp("timeline-browser") / "browser.db"
    settings = Settings(environment=Environment.TEST, database_url=f"sqlite:///{database}")
    clock = FakeClock(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    container = build(settings, clock=clock)
    migrate.upgrade(container.engine)
    operator = system_actor("timeline-browser")
    agencies = {new.code: agency_service.create_agency(container.uow(), operator, new).id
                for new in (
                    agency_service.NewAgency("GN", "Guardia Nacional", AgencyLevel.FEDERAL),
                    agency_service.NewAgency("JAL-SSP", "Secretaría de Seguridad de Jalisco",
                                             AgencyLevel.STATE, "14"),
                    agency_service.NewAgency("NL-FC", "Fuerza Civil de Nuevo León",
                                             AgencyLevel.STATE, "19"))}
    career = build_career(container, agencies, clock)
    try:
        with served(container, free_port()) as base_url:
            yield Running(base_url, career)
    finally:
        container.dispose()


@pytest.fixture(scope="module")
def browser(running: Running) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _page(browser: Any, request: pytest.FixtureRequest, **options: Any) -> Iterator[Any]:
    context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 900},
                                  **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
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
    yield from _page(browser, request)


@pytest.fixture
def plain_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _page(browser, request, java_script_enabled=False)


def sign_in(page: Any, running: Running, start: str) -> None:
    page.goto(running.base_url + start)
    page.get_by_label("Usuario").fill(running.career.world.hr.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state("load")


def test_hr_follows_the_profile_link_and_filters_in_place(
    running: Running, browser_page: Any
) -> None:
    page = browser_page
    officer = running.career.officer_id
    sign_in(page, running, f"/officers/{officer}")
    page.get_by_role("link", name=strings_timeline.TEXT["timeline_link"]).click()
    page.wait_for_url(re.compile(rf"/officers/{officer}/timeline$"))
    check_accessibility(page, "timeline")
    # Three postings (two ended) and a badge.
    assert page.locator(f"{EVENT}.timeline-assignments").count() == 6
    assert page.locator(f"{EVENT}.timeline-results, {EVENT}.timeline-accesses").count() == 0
    page.get_by_label(strings_timeline.TEXT["timeline_filter_kind"]).select_option("appeals")
    page.wait_for_url(re.compile(r"tipo=appeals"))
    page.wait_for_function(
        "() => document.querySelectorAll('li.timeline-event:not(.timeline-appeals)')"
        ".length === 0")
    assert page.locator(EVENT).count() == 1
    check_accessibility(page, "timeline, appeals only")
    assert page.console_problems == []


def test_the_filter_works_without_javascript(running: Running, plain_page: Any) -> None:
    page = plain_page
    officer = running.career.officer_id
    sign_in(page, running, f"/officers/{officer}/timeline")
    page.get_by_label(strings_timeline.TEXT["timeline_filter_kind"]).select_option("decisions")
    page.get_by_role("button", name=strings_timeline.TEXT["timeline_filter_submit"]).click()
    page.wait_for_url(re.compile(r"tipo=decisions"))
    kinds = set(page.locator(EVENT).evaluate_all("els => els.map(e => e.className)"))
    assert kinds == {"timeline-event timeline-decisions"}
