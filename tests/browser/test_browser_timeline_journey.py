"""The officer timeline in a real Chromium: agency HR follows the profile's link, narrows the
list to one kind (htmx swaps it in place; with JavaScript off the form reloads the page), and
every state of the page passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from browser_support import (
    SUITE_NOW,
    add_agencies,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    fresh_registry,
    served,
    sign_in,
    window_fixture,  # noqa: F401 - the fixture `window`
)
from evaluation_support import PASSWORD
from timeline_support import Career, build_career

from confianza.core.web.strings import timeline as strings_timeline
from conftest import FakeClock

pytestmark = pytest.mark.browser
EVENT = "li.timeline-event"


class Running:
    def __init__(self, base_url: str, career: Career) -> None:
        self.base_url = base_url
        self.career = career


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    clock = FakeClock(SUITE_NOW)
    with fresh_registry(tmp_path_factory.mktemp("timeline-browser"), clock) as container:
        career = build_career(container, add_agencies(container, "GN", "JAL-SSP", "NL-FC"),
                              clock)
        with served(container) as base_url:
            yield Running(base_url, career)


def hr_signs_in(page: Any, running: Running, start: str) -> None:
    sign_in(page, running.base_url, running.career.world.hr.username, start, PASSWORD)


def test_hr_follows_the_profile_link_and_filters_in_place(
    running: Running, window: Callable[..., Any]
) -> None:
    page = window()
    officer = running.career.officer_id
    hr_signs_in(page, running, f"/officers/{officer}")
    page.get_by_role("link", name=strings_timeline.TEXT["timeline_link"]).click()
    page.wait_for_url(re.compile(rf"/officers/{officer}/timeline$"))
    check_accessibility(page, "timeline")
    # Three postings (two ended), a badge and the status history's two lines (registered
    # active, then removed from duty by the confirmed verdict; ADR 0025).
    assert page.locator(f"{EVENT}.timeline-assignments").count() == 8
    assert page.locator(f"{EVENT}.timeline-results, {EVENT}.timeline-accesses").count() == 0
    page.get_by_label(strings_timeline.TEXT["timeline_filter_kind"]).select_option("appeals")
    page.wait_for_url(re.compile(r"tipo=appeals"))
    page.wait_for_function(
        "() => document.querySelectorAll('li.timeline-event:not(.timeline-appeals)')"
        ".length === 0")
    assert page.locator(EVENT).count() == 1
    check_accessibility(page, "timeline, appeals only")
    assert page.console_problems == []


def test_the_filter_works_without_javascript(
    running: Running, window: Callable[..., Any]
) -> None:
    page = window(java_script_enabled=False)
    officer = running.career.officer_id
    hr_signs_in(page, running, f"/officers/{officer}/timeline")
    page.get_by_label(strings_timeline.TEXT["timeline_filter_kind"]).select_option("decisions")
    page.get_by_role("button", name=strings_timeline.TEXT["timeline_filter_submit"]).click()
    page.wait_for_url(re.compile(r"tipo=decisions"))
    kinds = set(page.locator(EVENT).evaluate_all("els => els.map(e => e.className)"))
    assert kinds == {"timeline-event timeline-decisions"}
