"""The trust-control journey in a real Chromium: the coordinator books an evaluation, two
examiners record the whole battery through the forms (toxicology positive), one certification
officer decides "not approved" and a second one confirms; the officer ends removed from duty."""

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
    follow,
    fresh_registry,
    served,
    sign_in,
    window_fixture,  # noqa: F401 - the fixture `window`
)
from evaluation_support import PASSWORD, World, build_world

from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import officers as officer_service
from conftest import FakeClock

pytestmark = pytest.mark.browser
GROUNDS = ("Toxicología positiva a cocaína en la muestra CC-2026-0420, confirmada por el "
           "laboratorio.")


class Running:
    def __init__(self, base_url: str, world: World, evaluation_id: int) -> None:
        self.base_url = base_url
        self.world = world
        self.evaluation_id = evaluation_id


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A fresh SQLite database at the suite's fixed instant (bookings and exams are dated),
    a Jalisco centre with its staff, one requested evaluation, and the real app on a port."""
    with fresh_registry(tmp_path_factory.mktemp("evaluation-browser"),
                        FakeClock(SUITE_NOW)) as container:
        world = build_world(container, add_agencies(container, "JAL-SSP"))
        evaluation_id = world.request()
        with served(container) as base_url:
            yield Running(base_url, world, evaluation_id)


@pytest.fixture
def person(window: Callable[..., Any], running: Running) -> Callable[[str], Any]:
    """Signs a person in, each in a browser context of their own (pictured as
    <test name>-<username>.png when the test fails), and checks their home with axe-core."""
    def signed_in(username: str) -> Any:
        page = window(username)
        sign_in(page, running.base_url, username, password=PASSWORD)
        check_accessibility(page, f"home of {username}")
        return page

    return signed_in


def script_problems(page: Any) -> list[str]:
    """Console errors, but for the one Chromium logs for a form answered 422 on purpose."""
    return [p for p in page.console_problems if "status of 422" not in p]


def nav(page: Any, name: str) -> None:
    follow(page, page.get_by_role("navigation", name="Principal").get_by_role("link", name=name))


def submit_result(page: Any) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="Registrar resultado").click()
    expect(page.locator("#page-notice")).to_have_text("Resultado registrado.")
    page.get_by_role("link", name="Volver a mis exámenes").click()


def test_a_battery_recorded_decided_and_confirmed_removes_the_officer_from_duty(
    person: Callable[[str], Any], running: Running
) -> None:
    from playwright.sync_api import expect

    world, evaluation_id = running.world, running.evaluation_id
    officer = "Ana Luisa Ortega Vela"

    # The coordinator books every exam: the only centre in scope is already chosen.
    page = person(world.coordinator.username)
    nav(page, "Agenda")
    check_accessibility(page, "agenda")
    follow(page, page.locator("#agenda").get_by_role("link", name=re.compile("Programar")))
    check_accessibility(page, "booking form")
    for exam, examiner in (("toxicology", "examinador-uno"), ("polygraph", "examinador-dos"),
                           ("psychological", "examinador-uno"), ("medical", "examinador-uno"),
                           ("socioeconomic", "examinador-uno")):
        page.locator(f"#x-{exam}").select_option(label=f"{examiner.title()} ({examiner})")
        page.locator(f"#d-{exam}").fill("2026-11-20")
    page.get_by_role("button", name="Programar", exact=True).click()
    expect(page.locator("#page-notice")).to_contain_text(f"Evaluación {evaluation_id} programada")
    check_accessibility(page, "agenda after booking")
    assert script_problems(page) == []

    # The first examiner records four exams through their forms.
    page = person(world.examiner.username)
    nav(page, "Mis exámenes")
    pending = page.locator("#pending")
    expect(pending.get_by_role("link")).to_have_count(4)
    check_accessibility(page, "examiner queue")
    pending.get_by_role("link", name=re.compile("Toxicológico")).click()
    expect(page.locator("main")).to_contain_text(officer)
    check_accessibility(page, "toxicology form")
    page.get_by_label("Folio de cadena de custodia").fill("cc-2026-0420")
    for substance in ("cannabinoids", "amphetamines", "methamphetamines", "benzodiazepines"):
        page.locator(f"#p-{substance}-negative").check()
    page.locator("#p-cocaine-positive").check()
    submit_result(page)

    follow(page, page.locator("#pending").get_by_role("link", name=re.compile("Psicológico")))
    check_accessibility(page, "psychological form")
    page.get_by_label("MMPI-2").check()
    page.get_by_label("Apto", exact=True).check()
    submit_result(page)

    follow(page, page.locator("#pending").get_by_role("link", name=re.compile("Médico")))
    check_accessibility(page, "medical form")
    page.get_by_label("Apto", exact=True).check()
    submit_result(page)

    follow(page, page.locator("#pending").get_by_role("link", name=re.compile("Entorno")))
    check_accessibility(page, "socioeconomic form")
    page.get_by_label("Ingreso mensual declarado").fill("18,000")
    page.get_by_label("Patrimonio").fill("250000")
    page.get_by_label("Deudas").fill("40000")
    page.get_by_label("Gasto mensual").fill("15000")
    page.get_by_label("Integrantes del hogar").fill("")
    page.get_by_label("Congruente", exact=True).check()
    page.get_by_role("button", name="Registrar resultado").click()
    # A missing field is named beside it, and what was typed is still there.
    expect(page.locator("#f-household-error1")).to_be_visible()
    expect(page.get_by_label("Ingreso mensual declarado")).to_have_value("18,000")
    check_accessibility(page, "socioeconomic form with an error")
    page.get_by_label("Integrantes del hogar").fill("4")
    submit_result(page)
    expect(page.locator("main")).to_contain_text("No tiene exámenes pendientes")
    check_accessibility(page, "examiner queue, empty")
    assert script_problems(page) == []

    # The polygraph examiner records the last one: the evaluation is integrated.
    page = person(world.second_examiner.username)
    nav(page, "Mis exámenes")
    follow(page, page.locator("#pending").get_by_role("link", name=re.compile("Poligrafía")))
    check_accessibility(page, "polygraph form")
    page.get_by_label("Cohecho").check()
    page.get_by_label("Consumo de drogas").check()
    page.get_by_label("Sin reacción significativa").check()
    submit_result(page)

    # A certification officer decides "not approved"; it waits for a second officer.
    page = person(world.decider.username)
    nav(page, "Dictámenes")
    check_accessibility(page, "decision queue")
    page.locator("#to-decide").get_by_role("link", name=re.compile("Abrir")).click()
    expect(page.locator("#integration")).to_contain_text("Toxicológico — Positivo")
    expect(page.locator("#exam-toxicology")).to_contain_text("CC-2026-0420")
    check_accessibility(page, "evaluation to decide")
    page.get_by_label("No aprobado", exact=True).check()
    page.get_by_label("Fundamentos").fill(GROUNDS)
    page.get_by_role("button", name="Registrar decisión").click()
    expect(page.locator("#page-notice")).to_contain_text("segundo certificador")
    expect(page.locator("#officer-status")).to_have_text("Activo")
    check_accessibility(page, "evaluation awaiting confirmation")
    assert script_problems(page) == []

    # A second officer confirms: it takes effect at once.
    page = person(world.confirmer.username)
    nav(page, "Dictámenes")
    follow(page, page.get_by_role("link", name="Por confirmar"))
    check_accessibility(page, "decision queue, to confirm")
    page.locator("#to-confirm").get_by_role("link", name=re.compile("Abrir")).click()
    page.get_by_role("button", name="Confirmar no aprobación").click()
    expect(page.locator("#page-notice")).to_contain_text("No aprobación confirmada")
    expect(page.locator("#evaluation-status")).to_have_text("No aprobada")
    expect(page.locator("#officer-status")).to_have_text("Retirado de funciones operativas")
    page.reload()  # a reload shows the page again and posts nothing
    expect(page.locator("#officer-status")).to_have_text("Retirado de funciones operativas")
    check_accessibility(page, "evaluation confirmed")
    assert script_problems(page) == []

    held = officer_service.get_officer(world.uow, world.decider, world.officer_id).officer
    assert held.status is OfficerStatus.REMOVED_FROM_DUTY
