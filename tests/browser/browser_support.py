"""Support for the browser tests: a seeded registry served by uvicorn on a loopback port.

Not a conftest.py: a second conftest module would shadow tests/conftest.py for every
`from conftest import ...` in the suite.
"""

from __future__ import annotations

import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind, system_actor
from confianza.accounts.rules.users import User
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.app.web import create_app
from confianza.core.db import migrate
from confianza.kit.curp import build_curp
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.rules.officers import Contact, ContactKind, Sex
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from conftest import IN_CI

# Some journeys walk the worlds the service tests build (evaluation_support, timeline_support).
# Importing this module first (the journeys' sorted imports name it before those) makes them
# importable when tests/browser runs on its own.
SERVICE_SUPPORT = str(Path(__file__).resolve().parents[1] / "integration" / "services")
if SERVICE_SUPPORT not in sys.path:
    sys.path.insert(0, SERVICE_SUPPORT)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
USERNAME = "capturista"
PASSWORD = "frase-de-prueba-larga-2026"
PHONE = "+52 33 1234 5678"
MARIA_BIRTH = date(1988, 3, 14)
MARIA_CURP = build_curp("Peña", "Ruiz", "María Fernanda", MARIA_BIRTH, "M", "JC")
#: The suite's fixed instant (tests/conftest.py's `clock`), which the service tests' worlds
#: are dated from.
SUITE_NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
#: The agencies the journeys' registries start from, by code.
AGENCIES = {new.code: new for new in (
    agency_service.NewAgency("GN", "Guardia Nacional", AgencyLevel.FEDERAL),
    agency_service.NewAgency("JAL-SSP", "Secretaría de Seguridad de Jalisco",
                             AgencyLevel.STATE, "14"),
    agency_service.NewAgency("NL-FC", "Fuerza Civil de Nuevo León", AgencyLevel.STATE, "19"),
)}
#: The WCAG 2.1 AA rule sets of axe-core, and the impacts that fail a journey.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING = frozenset({"serious", "critical"})
#: Elements htmx marks while a request, a swap or a settle is under way.
BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def require_browser() -> None:
    """Skip (or, under CI=true, fail) when Playwright or Debian's Chromium is missing."""
    problems = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the Python package 'playwright' is not installed "
                        "(pip install -e '.[dev]'; do not download its browsers)")
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        problems.append("the Python package 'axe-playwright-python' (axe-core) is not "
                        "installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM} is missing: install it with "
                        "'apt-get update && apt-get install -y chromium'")
    if problems:
        message = "browser tests need a real Chromium: " + "; ".join(problems)
        if IN_CI:
            pytest.fail("CI=true: " + message)
        pytest.skip(message)


@dataclass(frozen=True)
class Registry:
    base_url: str
    maria: int
    jalisco: int
    container: Container  # the served app's: tests read what the journey left behind


#: What `serve` may add to the seed, given the container, María's id and Jalisco's agency id.
Seeding = Callable[[Container, int, int], None]


def add_agencies(container: Container, *codes: str) -> dict[str, int]:
    """The agencies of AGENCIES named by `codes`, created in that order; their ids by code."""
    operator = system_actor("browser-test")
    return {code: agency_service.create_agency(container.uow(), operator, AGENCIES[code]).id
            for code in codes}


def add_account(container: Container, username: str, full_name: str, role: Role,
                scope: Scope = Scope(), password: str = PASSWORD) -> User:
    """An account that can sign in to the pages."""
    return user_service.create_user(container.uow(), system_actor("browser-test"),
                                    user_service.NewUser(username, full_name, password, role,
                                                         scope))


def jalisco_hr(username: str) -> Seeding:
    """A seeding for `serve`: an agency HR account over Jalisco's officers."""
    def add(container: Container, maria: int, jalisco: int) -> None:
        add_account(container, username, "Recursos Humanos Jalisco", Role.AGENCY_HR,
                    Scope(ScopeKind.AGENCY, agency_id=jalisco))
    return add


def seed(container: Container) -> tuple[int, int]:
    """A state agency with a few officers, one with contact data, and a national clerk."""
    operator = system_actor("browser-test")
    uow = container.uow()
    agencies = add_agencies(container, "GN", "JAL-SSP")
    gn, jalisco = agencies["GN"], agencies["JAL-SSP"]
    maria = officer_service.register_officer(uow, operator, officer_service.NewOfficer(
        given_names="María Fernanda", first_surname="Peña", second_surname="Ruiz",
        birth_date=MARIA_BIRTH, sex=Sex.FEMALE, curp=MARIA_CURP,
        assignment=officer_service.FirstAssignment(jalisco, "Policía Tercero", date(2019, 6, 1)),
        badge="4411",
    )).officer.id
    officer_service.set_contacts(uow, operator, maria, [
        Contact(ContactKind.PHONE, PHONE, "móvil"),
        Contact(ContactKind.ADDRESS, "Av. Juárez 100, Guadalajara, Jal.", None),
    ])
    for given, first, second, agency in (
        ("José Luis", "Pérez", "Gómez", jalisco), ("Ana", "Hernández", None, jalisco),
        ("Luis", "Peña", "Castro", gn),
    ):
        officer_service.register_officer(uow, operator, officer_service.NewOfficer(
            given_names=given, first_surname=first, second_surname=second,
            assignment=officer_service.FirstAssignment(agency, "Policía", date(2020, 1, 1)),
        ))
    add_account(container, USERNAME, "Capturista de prueba", Role.REGISTRY_CLERK)
    return maria, jalisco


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def fresh_registry(
    folder: Path, clock: Callable[[], datetime] | None = None, **settings: Any
) -> Iterator[Container]:
    """A container over a newly migrated SQLite file in `folder` (with `clock`, when given,
    and any further `settings`), disposed of when the block ends.

    Checks for the browser first (a skip, or under CI=true a failure), so that a machine
    without one builds no registry for nothing."""
    require_browser()
    database = folder / "browser.db"
    chosen = Settings(environment=Environment.TEST, database_url=f"sqlite:///{database}",
                      **settings)
    container = build(chosen) if clock is None else build(chosen, clock=clock)
    try:
        migrate.upgrade(container.engine)
        yield container
    finally:
        container.dispose()


@contextmanager
def served(container: Container, port: int | None = None) -> Iterator[str]:
    """The real app over `container`, in a uvicorn thread on `port` (a free one if none is
    given), until the block ends; yields its base URL. The container stays the caller's."""
    port = free_port() if port is None else port
    server = uvicorn.Server(uvicorn.Config(
        create_app(container), host="127.0.0.1", port=port, log_level="warning", lifespan="off",
    ))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve(tmp: Path, more: Seeding | None = None) -> Iterator[Registry]:
    """Seed a fresh registry in `tmp` (`more` adds to the seed) and serve the real app until
    the block ends."""
    with fresh_registry(tmp) as container:
        maria, jalisco = seed(container)
        if more is not None:
            more(container, maria, jalisco)
        with served(container) as base_url:
            yield Registry(base_url, maria, jalisco, container)


def registry_fixture(more: Seeding | None = None) -> Any:
    """A module-scoped fixture `registry`: the module's own seeded registry, served (`serve`,
    with `more` added to the seed). Bind it at module level as `registry = ...`."""
    @pytest.fixture(scope="module", name="registry")
    def registry(
        tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
    ) -> Iterator[Registry]:
        with serve(tmp_path_factory.mktemp(request.module.__name__), more) as running:
            yield running

    return registry


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser), until the block
    ends."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _screenshot(request: pytest.FixtureRequest, who: str, page: Any) -> None:
    """A full-page picture of `page`, as SCREENSHOTS/<test name>[-<who>].png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", "-".join(filter(None, (request.node.name, who))))
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@contextmanager
def windows(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Yields `open_for(who="", **context_options)`, which opens a page in a browser context
    of its own (no shared cookies) that collects the console's errors in
    `page.console_problems`. When the test fails, and only then, each page is pictured as
    SCREENSHOTS/<test name>.png, or <test name>-<who>.png when the page is someone's."""
    opened: list[tuple[str, Any, Any]] = []

    def open_for(who: str = "", **options: Any) -> Any:
        context = browser.new_context(**{"locale": "es-MX", "viewport": VIEWPORT, **options})
        page = context.new_page()
        page.set_default_timeout(10_000)
        problems: list[str] = []
        # CSP violations and script errors show up on the console; the pages must cause none.
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.console_problems = problems
        opened.append((who, context, page))
        return page

    # A failure is either raised through the block (used inside a test) or, when the block is
    # a fixture's, already counted by the session once the test's call has been reported.
    failed_before = request.session.testsfailed
    raised = False
    try:
        yield open_for
    except pytest.skip.Exception:
        raise
    except BaseException:  # pytest.fail's exception is not an Exception
        raised = True
        raise
    finally:
        failed = raised or request.session.testsfailed > failed_before
        for who, context, page in opened:
            try:
                if failed:
                    _screenshot(request, who, page)
            finally:
                context.close()


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Any]:
    """The fixture `browser`: one Chromium for the module that imports this."""
    with chromium() as launched:
        yield launched


@pytest.fixture(name="window")
def window_fixture(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """The fixture `window`: the `open_for` of `windows` for one test."""
    with windows(browser, request) as open_for:
        yield open_for


def submit_sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Fill in the sign-in form the page shows, and send it."""
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()


def sign_in(page: Any, base_url: str, username: str, start: str = "/",
            password: str = PASSWORD, check_form: bool = False) -> None:
    """Open `start`, which must ask for a sign-in; sign in through its form (checked with
    axe-core first if `check_form`: axe runs as script, so not with JavaScript off) and land
    back on `start`."""
    page.goto(base_url + start)
    assert "/login" in page.url, f"{start} did not ask for a sign-in"
    if check_form:
        check_accessibility(page, "sign-in")
    submit_sign_in(page, username, password)
    page.wait_for_url(base_url + start)


def follow(page: Any, link: Any) -> None:
    """Click a link and wait for its page, so that what comes next looks at the new page."""
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(re.escape(href) + "$"))


def unexpected_console(page: Any, *statuses: int) -> list[str]:
    """The console's errors, but for Chromium's note of a page answered with one of `statuses`
    on purpose (a refusal, a form sent back with its errors)."""
    expected = tuple(f"status of {status}" for status in statuses)
    return [p for p in page.console_problems if not any(e in p for e in expected)]


def settle(page: Any) -> None:
    """Wait until the page has loaded and htmx has finished swapping and settling."""
    page.wait_for_load_state("load")
    page.wait_for_function(f"() => document.querySelector({BUSY!r}) === null")


@cache
def axe_source() -> str:
    """axe-core, as axe-playwright-python bundles it."""
    from axe_playwright_python.base import AXE_FILE_PATH

    return AXE_FILE_PATH.read_text(encoding="utf-8")


def check_accessibility(page: Any, name: str) -> None:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page as it stands, and fail listing every
    serious or critical violation: its rule, what it asks for, and the elements that break it.

    axe is injected through Playwright's evaluate, which the page's CSP (`script-src 'self'`)
    does not govern, so the page itself is checked under its real policy."""
    settle(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        "options => window.axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}, "resultTypes": ["violations"]},
    )
    found = [v for v in results["violations"] if v.get("impact") in BLOCKING]
    if found:
        address = page.url if len(page.url) <= 100 else page.url[:100] + "…"
        lines = [f"{name} ({address}): {len(found)} serious or critical axe-core violation(s)"]
        for violation in found:
            lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']}")
            for node in violation["nodes"]:
                target = " ".join(str(part) for part in node["target"])
                summary = " ".join(node.get("failureSummary", "").split())
                lines.append(f"    at {target}: {summary}")
        pytest.fail("\n".join(lines), pytrace=False)


def focus_is_visible(page: Any) -> bool:
    """Whether the focused element draws a focus outline (the pages' one focus indicator)."""
    return bool(page.evaluate("""() => {
        const style = getComputedStyle(document.activeElement);
        return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    }"""))


def _focused(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)"))


def tab_to(page: Any, target: Any, limit: int = 60) -> int:
    """Press Tab until `target` has the focus, checking that every element passed on the way
    shows where the focus is; returns the number of presses. Fails if `target` is not reached
    within `limit` presses (not in the tab order)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), f"no visible focus on {_focused(page)}"
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{target} was not reached with {limit} presses of Tab")


def walk_tab_order(page: Any, limit: int = 200) -> list[str]:
    """Tab through the whole of a freshly loaded page (nothing focused yet), failing on any
    stop without a visible focus; returns the stops (the start of each element's HTML)."""
    stops: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            return stops  # past the last stop, the focus leaves the document
        here = _focused(page)
        if stops and here == stops[0]:
            return stops
        assert focus_is_visible(page), f"no visible focus on {here}"
        stops.append(here)
    raise AssertionError(f"the tab order did not end within {limit} stops")
