"""Support for the browser tests: a seeded registry served by uvicorn on a loopback port.

Not a conftest.py: a second conftest module would shadow tests/conftest.py for every
`from conftest import ...` in the suite.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import uvicorn

from confianza.bootstrap import Container, build
from confianza.domain.agencies import AgencyLevel
from confianza.domain.curp import build_curp
from confianza.domain.officers import Contact, ContactKind, Sex
from confianza.domain.permissions import Role, Scope, system_actor
from confianza.persistence import migrate
from confianza.services import agencies as agency_service
from confianza.services import officers as officer_service
from confianza.services import users as user_service
from confianza.settings import Environment, Settings
from confianza.web.app import create_app
from conftest import IN_CI

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
USERNAME = "capturista"
PASSWORD = "frase-de-prueba-larga-2026"
PHONE = "+52 33 1234 5678"


def require_browser() -> None:
    """Skip (or, under CI=true, fail) when Playwright or Debian's Chromium is missing."""
    problems = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the Python package 'playwright' is not installed "
                        "(pip install -e '.[dev]'; do not download its browsers)")
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


def seed(container: Container) -> tuple[int, int]:
    """A state agency with a few officers, one with contact data, and a national clerk."""
    operator = system_actor("browser-test")
    uow = container.uow()
    gn = agency_service.create_agency(uow, operator, agency_service.NewAgency(
        "GN", "Guardia Nacional", AgencyLevel.FEDERAL)).id
    jalisco = agency_service.create_agency(uow, operator, agency_service.NewAgency(
        "JAL-SSP", "Secretaría de Seguridad de Jalisco", AgencyLevel.STATE, "14")).id
    birth = date(1988, 3, 14)
    maria = officer_service.register_officer(uow, operator, officer_service.NewOfficer(
        given_names="María Fernanda", first_surname="Peña", second_surname="Ruiz",
        birth_date=birth, sex=Sex.FEMALE,
        curp=build_curp("Peña", "Ruiz", "María Fernanda", birth, "M", "JC"),
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
    user_service.create_user(uow, operator, user_service.NewUser(
        USERNAME, "Capturista de prueba", PASSWORD, Role.REGISTRY_CLERK, Scope()))
    return maria, jalisco


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(container: Container, port: int) -> Iterator[str]:
    """The real app over `container`, in a uvicorn thread on `port`, until the block ends;
    yields its base URL. The container stays the caller's to dispose."""
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
def serve(
    tmp: Path, more: Callable[[Container, int, int], None] | None = None
) -> Iterator[Registry]:
    """Migrate a fresh SQLite file, seed it, and serve the real app until the block ends.

    `more` adds to the seed (given the container, María's id and Jalisco's agency id)."""
    database = tmp / "browser.db"
    settings = Settings(environment=Environment.TEST, database_url=f"sqlite:///{database}")
    container = build(settings)
    migrate.upgrade(container.engine)
    maria, jalisco = seed(container)
    if more is not None:
        more(container, maria, jalisco)
    try:
        with served(container, free_port()) as base_url:
            yield Registry(base_url, maria, jalisco)
    finally:
        container.dispose()
