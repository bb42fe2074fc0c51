"""An auditor runs through an alert on unexplained reads in a real Chromium (issue 19 §3): the
home's panel names it, the menu leads to the queue, the alert says why and lists the reads;
a mark without a note is refused beside the form with the choice kept; with a note it is
recorded, and the queue counts it as misuse confirmed. Every page passes axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from browser_support import (
    SUITE_NOW,
    add_agencies,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    follow,
    fresh_registry,
    served,
    sign_in,
    unexpected_console,
    window_fixture,  # noqa: F401 - the fixture `window`
)
from evaluation_support import PASSWORD, TODAY, build_world, person
from insider_support import raise_alerts, stray_burst

from confianza.access.rules.alerts import Outcome
from confianza.access.service import alerts
from confianza.accounts.rules.permissions import Actor, Role
from confianza.app.bootstrap import Container
from conftest import FakeClock

pytestmark = pytest.mark.browser
AUDITOR = "auditora"
NOTE = "Admitió consultar los expedientes por encargo de un tercero; se turna a asuntos internos."


@dataclass(frozen=True)
class Running:
    base_url: str
    container: Container
    auditor: Actor
    alert_id: int
    reader: str


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A Jalisco centre whose second examiner opened twelve records that are none of their
    work, minutes apart, the day scored into one alert, and the real app on a port."""
    clock = FakeClock(SUITE_NOW)
    with fresh_registry(tmp_path_factory.mktemp("access-alerts-browser"), clock) as container:
        world = build_world(container, add_agencies(container, "JAL-SSP"))
        stray_burst(world, clock)
        auditor = person(container, Role.AUDITOR, AUDITOR)
        [alert_id] = raise_alerts(world, auditor, TODAY)
        with served(container) as base_url:
            yield Running(base_url, container, auditor, alert_id,
                          world.second_examiner.username)


def test_an_auditor_marks_an_alert_on_unexplained_reads(
        window: Any, running: Running) -> None:
    from playwright.sync_api import expect

    base = running.base_url
    page = window(AUDITOR)
    sign_in(page, base, AUDITOR, password=PASSWORD)
    panel = page.locator("#panel-access_alerts")
    expect(panel).to_contain_text("Alertas de consultas abiertas")
    expect(panel.get_by_role("link", name=running.reader)).to_be_visible()
    check_accessibility(page, "auditor's home")

    follow(page, page.get_by_role("navigation", name="Principal")
           .get_by_role("link", name="Alertas de consultas"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Alertas de consultas sin explicación")
    row = page.locator("#alerts tbody tr").filter(has_text=running.reader)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("12 expedientes abiertos en menos de una hora")
    expect(row).to_contain_text("Abierta")
    check_accessibility(page, "alerts' queue")

    follow(page, row.get_by_role("link", name=running.reader))
    expect(page.get_by_role("heading", level=1)).to_contain_text(running.reader)
    expect(page.locator("#alert-reads tbody tr")).to_have_count(12)
    expect(page.locator("#alert-why")).to_contain_text("menos de una hora")
    check_accessibility(page, "one alert")

    # A mark without a note: refused beside the form, the choice kept, nothing recorded.
    page.get_by_label("Uso indebido").check()
    page.get_by_role("button", name="Registrar la calificación").click()
    refusals = page.locator("#mark-refusals")
    expect(refusals).to_contain_text("Escriba una nota")
    expect(page.get_by_label("Uso indebido")).to_be_checked()
    check_accessibility(page, "a refused mark")
    assert alerts.get_alert(running.container.uow(), running.auditor,
                            running.alert_id).outcome is Outcome.OPEN

    page.get_by_label("Nota", exact=True).fill(NOTE)
    page.get_by_role("button", name="Registrar la calificación").click()
    expect(page.locator("#page-notice")).to_have_text("Calificación registrada.")
    expect(page.locator("#alert-marks")).to_contain_text(NOTE)
    expect(page.locator("#mark-refusals")).to_have_count(0)
    check_accessibility(page, "a marked alert")

    follow(page, page.get_by_role("link", name="Volver a las alertas de consultas"))
    expect(page.locator("#alerts")).to_have_count(0)  # nothing left open
    page.get_by_label("Mostrar").select_option("misuse")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url(f"{base}/access/alerts?estado=misuse")
    expect(page.locator("#alerts tbody tr").filter(has_text=running.reader)).to_have_count(1)
    expect(page.locator("#alerts-report")).to_contain_text("100")
    check_accessibility(page, "alerts confirmed as misuse")
    assert unexpected_console(page, 422) == []
