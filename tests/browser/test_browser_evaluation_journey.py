"""The trust-control journey in a real Chromium: the coordinator books an evaluation, two
examiners record the whole battery through the forms (toxicology positive), one certification
officer decides "not approved" and a second one confirms; the officer ends removed from duty."""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    check_accessibility,
    follow,
    require_browser,
)

from conftest import FakeClock

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "services"))

from evaluation_support import PASSWORD, World, build_world  # noqa: E402

from confianza.bootstrap import build  # noqa: E402
from confianza.domain.agencies import AgencyLevel  # noqa: E402
from confianza.domain.officers import OfficerStatus  # noqa: E402
from confianza.domain.permissions import system_actor  # noqa: E402
from confianza.persistence import migrate  # noqa: E402
from confianza.services import agencies as agency_service  # noqa: E402
from confianza.services import officers as officer_service  # noqa: E402
from confianza.settings import Environment, Settings  # noqa: E402
from confianza.web.app import create_app  # noqa: E402

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
    require_browser()
    database = tmp_path_factory.mktemp("evaluation-browser") / "browser.db"
    settings = Settings(environment=Environment.TEST, database_url=f"sqlite:///{database}")
    container = build(settings, clock=FakeClock(datetime(2026, 11, 20, 15, 0, tzinfo=UTC)))
    migrate.upgrade(container.engine)
    operator = system_actor("browser-test")
    jalisco = agency_service.create_agency(container.uow(), operator, agency_service.NewAgency(
        "JAL-SSP", "Secretaría de Seguridad de Jalisco", AgencyLevel.STATE, "14")).id
    world = build_world(container, {"JAL-SSP": jalisco})
    evaluation_id = world.request()
    with socket_port() as port:
        server = uvicorn.Server(uvicorn.Config(
            create_app(container), host="127.0.0.1", port=port, log_level="warning",
            lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield Running(f"http://127.0.0.1:{port}", world, evaluation_id)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        container.dispose()


class socket_port:  # noqa: N801 - used as a small context manager
    """A free loopback port, released before the server binds it."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])

    def __exit__(self, *_: object) -> None:
        return None


@pytest.fixture(scope="module")
def browser(running: Running) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def person(browser: Any, running: Running,
           request: pytest.FixtureRequest) -> Iterator[Callable[[str], Any]]:
    """Signs a person in, each in a browser context of their own; on failure, a full-page
    screenshot of every person's page, named after the test and the person."""
    opened: list[tuple[str, Any, Any]] = []

    def sign_in(username: str) -> Any:
        context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        problems: list[str] = []
        # CSP violations and script errors show up on the console; the pages must cause none.
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.console_problems = problems
        opened.append((username, context, page))
        page.goto(running.base_url + "/")
        page.get_by_label("Usuario").fill(username)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(running.base_url + "/")
        check_accessibility(page, f"home of {username}")
        return page

    failed_before = request.session.testsfailed
    yield sign_in
    for username, context, page in opened:
        if request.session.testsfailed > failed_before:
            SCREENSHOTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{request.node.name}-{username}")
            page.screenshot(path=str(Path(SCREENSHOTS, f"{name}.png")), full_page=True)
        context.close()


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
