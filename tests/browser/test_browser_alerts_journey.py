"""Agency HR in a real Chromium: sign in, open Alertas, download the list, find an officer on
duty without certification, and ask for their evaluation from the profile (also read on a
phone's width); then a look at the re-evaluations due and at the coverage."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    VIEWPORT,
    Registry,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    jalisco_hr,
    registry_fixture,
    sign_in,
    window_fixture,  # noqa: F401 - the fixture `window`
)

pytestmark = pytest.mark.browser
HR = "rh-jalisco"
MARIA = "Peña Ruiz, María Fernanda"


registry = registry_fixture(jalisco_hr(HR))


def test_hr_finds_an_uncertified_officer_and_requests_an_evaluation(
    window: Callable[..., Any], registry: Registry
) -> None:
    from playwright.sync_api import expect

    page = window(accept_downloads=True)
    sign_in(page, registry.base_url, HR, check_form=True)
    check_accessibility(page, "home (HR)")

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Alertas").click()
    page.wait_for_url(registry.base_url + "/certification/alerts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alertas")
    row = page.locator("table.alerts tbody tr").filter(has_text=MARIA)
    expect(row).to_contain_text("Nunca evaluado")
    expect(row).to_contain_text("Sin CUP vigente")
    expect(page.locator("table.alerts")).not_to_contain_text("Castro")  # Guardia Nacional's
    check_accessibility(page, "alerts")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar la lista completa (CSV)").click()
    download = download_info.value
    assert re.fullmatch(r"alertas-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    assert MARIA in Path(download.path()).read_text(encoding="utf-8-sig")

    row.get_by_role("link", name=MARIA).click()
    page.wait_for_url(f"{registry.base_url}/officers/{registry.maria}")
    section = page.locator("#certificacion")
    expect(section).to_contain_text("Sin evaluación")
    expect(section).to_contain_text("Sin evaluaciones registradas")
    check_accessibility(page, "officer profile (HR)")

    section.get_by_role("link", name="Solicitar evaluación").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Solicitar evaluación de control de confianza")
    check_accessibility(page, "evaluation request form")
    page.get_by_label("Tipo de evaluación").select_option(label="Permanencia")
    page.get_by_role("button", name="Solicitar evaluación").click()

    page.wait_for_url(re.compile(r".*/officers/\d+\?aviso=evaluacion_solicitada$"))
    section = page.locator("#certificacion")
    expect(section.get_by_role("status")).to_contain_text("Evaluación solicitada")
    history = section.locator("table.evaluations tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Permanencia")
    expect(history.first).to_contain_text("Solicitada")
    expect(section.get_by_role("link", name="Solicitar evaluación")).to_have_count(0)
    check_accessibility(page, "officer profile after the request")
    # On a phone's width the tables scroll sideways: the keyboard must reach them too.
    page.set_viewport_size({"width": 375, "height": 800})
    check_accessibility(page, "officer profile on a phone")
    page.set_viewport_size(VIEWPORT)

    assert page.console_problems == []

    # The form submitted a second time (back, then the same button) says why, in words. (The
    # browser logs the 409 status of that page as a failed load; nothing else may appear.)
    page.go_back()
    page.get_by_role("button", name="Solicitar evaluación").click()
    expect(page.get_by_role("alert")).to_contain_text("Ya hay una evaluación en curso")
    check_accessibility(page, "evaluation request refused")
    assert [p for p in page.console_problems if "status of 409" not in p] == []

    menu = page.get_by_role("navigation", name="Principal")
    menu.get_by_role("link", name="Reevaluaciones").click()
    page.wait_for_url(registry.base_url + "/certification/reevaluations")
    check_accessibility(page, "re-evaluations")
    menu.get_by_role("link", name="Cobertura").click()
    page.wait_for_url(registry.base_url + "/certification/coverage")
    expect(page.locator("table.coverage")).to_contain_text("Secretaría de Seguridad de Jalisco")
    check_accessibility(page, "coverage")
