"""The integrity pages in a real Chromium: an internal-affairs supervisor opens the queue from
the navigation, sees the late case, follows it to the case file (standing in words, a
protected witness never named), and both pages pass axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from browser_support import (
    SUITE_NOW,
    add_account,
    add_agencies,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    fresh_registry,
    served,
    sign_in,
    window_fixture,  # noqa: F401 - the fixture `window`
)

from confianza.accounts.rules.permissions import Role, system_actor
from confianza.core.web.strings import integrity as strings_integrity
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service import cases
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from conftest import FakeClock

pytestmark = pytest.mark.browser
SECRET = "Juan Testigo Secreto"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    clock = FakeClock(SUITE_NOW)
    with fresh_registry(tmp_path_factory.mktemp("integrity-browser"), clock) as container:
        agencies = add_agencies(container, "JAL-SSP")
        operator = system_actor("browser-test")
        add_account(container, "ai-supervisa", "Supervisión de Asuntos Internos",
                    Role.INTERNAL_AFFAIRS_SUPERVISOR)
        investigator = add_account(container, "ai-investiga", "Investigación",
                                   Role.INTERNAL_AFFAIRS)
        opened = cases.open_case(container.uow(), operator, NewCase(
            agencies["JAL-SSP"], "Cobro de cuotas en el retén de la carretera 15.", (
                NewSource(SourceChannel.WITNESS_STATEMENT, Reliability.C,
                          Credibility.POSSIBLY_TRUE, "Dice haber visto el cobro.",
                          date(2026, 11, 2), protected=True, benefit=True,
                          protected_identity=SECRET),),
            (NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos en el retén.", (0,),
                           accused_name="El Güero", accused_badge="4471"),)))
        cases.assign(container.uow(), operator, opened.case.id, investigator.id,
                     Duty.INVESTIGATOR)
        clock.now += timedelta(days=20)  # five days past the notice's fifteen
        with served(container) as base_url:
            yield base_url, opened.case.id


def test_supervisor_reads_the_queue_and_the_case_file(
    running: tuple[str, int], window: Callable[..., Any]
) -> None:
    base_url, case_id = running
    page = window()
    sign_in(page, base_url, "ai-supervisa", "/integrity")
    page.wait_for_url(re.compile(r"/integrity$"))
    check_accessibility(page, "integrity queue")
    assert page.get_by_text("5 días de retraso").count() == 1
    folio = strings_integrity.TEXT["in_case_folio"].format(id=case_id)
    page.get_by_role("link", name=folio).click()
    page.wait_for_url(re.compile(rf"/integrity/cases/{case_id}$"))
    check_accessibility(page, "integrity case file")
    content = page.content()
    assert "Sin corroborar" in content and "Testigo protegido" in content
    assert "Secreto" not in content
    assert page.console_problems == []
