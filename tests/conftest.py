"""Shared fixtures: a migrated database on SQLite and, when a server is reachable, PostgreSQL.

Every test that takes `container` runs once per database. The schema is always built by the
migrations, never by `create_all`, so the tests exercise what production runs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, system_actor
from confianza.app.bootstrap import Container, build, credential_issuer
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.core.db.database import make_engine
from confianza.core.db.models import Base
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.service import agencies as agency_service
from confianza.transparency.rules import PublicLog
from confianza.vetting.rules.policy import WorkflowPolicy

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_ADMIN_URL = os.environ.get(
    "CONFIANZA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PG_HOW = (
    "PostgreSQL tests skipped: no server at "
    f"{make_url(PG_ADMIN_URL).render_as_string(hide_password=True)}. Start one (trust auth for "
    "user postgres) or point CONFIANZA_TEST_POSTGRES_URL at a server where the user may create "
    "databases."
)
# The test environment has no log keys of its own ("no secret has a default outside
# development"): every container and command a test starts reads this pseudonym key, and a test
# that checks its absence removes it.
TEST_PSEUDONYM_KEY = "7e" * 32
os.environ.setdefault("CONFIANZA_LOG_PSEUDONYM_KEY", TEST_PSEUDONYM_KEY)
PUBLIC = PublicLog(bytes.fromhex(os.environ["CONFIANZA_LOG_PSEUDONYM_KEY"]))
# Nor a credential signing key: this one, made for the tests only, signs their credentials
# (kid "test-key", published as did:web:127.0.0.1%3A8000#test-key).
TEST_CREDENTIAL_KEY = (
    '{"kty": "OKP", "crv": "Ed25519", "x": "Iw7xVONvodBco6mBSNPp1sQX2qp-vbem7ervwE5iLHE", '
    '"kid": "test-key", "d": "lPEIc7OkptV5dE1sTRtSbih7j6mKVAjleARxP0OVBak"}'
)
os.environ.setdefault("CONFIANZA_CREDENTIAL_KEY", TEST_CREDENTIAL_KEY)
# Production refuses a key without the address credentials name; the tests' is this one.
os.environ.setdefault("CONFIANZA_PUBLIC_URL", "http://127.0.0.1:8000")

#: What the `container` fixture is built with, for tests that call a use case outside it: the
#: default trust-control policy, and the issuer the test key above makes.
POLICY = WorkflowPolicy()
ISSUER = credential_issuer(Settings(environment=Environment.TEST, database_url="sqlite://"))

# Every table, so that a table added by a later migration is emptied between tests too.
TABLES = ", ".join(table.name for table in Base.metadata.sorted_tables)


class FakeClock:
    """A clock the tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def _postgres_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if not _postgres_available():
        if IN_CI:
            pytest.fail("CI=true but PostgreSQL is unreachable: " + PG_HOW)
        pytest.skip(PG_HOW)
    name = f"confianza_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "confianza.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    with engine.begin() as connection:
        # The trail refuses TRUNCATE (an append-only trigger); the test reset, as a superuser,
        # turns triggers off for this one transaction, which is what replica mode is for.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        connection.execute(text("INSERT INTO log_state (id, next_seq) VALUES (1, 1)"))
        connection.execute(text("INSERT INTO credential_state (id, next_index) VALUES (1, 0)"))
        connection.execute(text("INSERT INTO log_tree (id, size, root) VALUES (1, 0, :root)"),
                           {"root": hashlib.sha256(b"").digest()})
    engine.dispose()
    yield url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))


@pytest.fixture
def container(database_url: str, clock: FakeClock) -> Iterator[Container]:
    settings = Settings(environment=Environment.TEST, database_url=database_url)
    built = build(settings, clock=clock)
    try:
        yield built
    finally:
        built.dispose()


@pytest.fixture
def operator() -> Actor:
    return system_actor("test-operator")


def actor(role: Role, scope: Scope = Scope(), username: str | None = None) -> Actor:
    """An actor without an account row, for service tests that need only a role and a scope."""
    return Actor(None, username or f"test-{role.value}", role, scope, ActorKind.USER)


@pytest.fixture
def agencies(container: Container, operator: Actor) -> dict[str, int]:
    """A small force: one federal agency, two state agencies, one municipal police."""
    uow = container.uow()
    ids: dict[str, int] = {}
    for new in (
        agency_service.NewAgency("GN", "Guardia Nacional", AgencyLevel.FEDERAL),
        agency_service.NewAgency("JAL-SSP", "Secretaría de Seguridad de Jalisco",
                                 AgencyLevel.STATE, "14"),
        agency_service.NewAgency("NL-FC", "Fuerza Civil de Nuevo León", AgencyLevel.STATE, "19"),
        agency_service.NewAgency("JAL-GDL-PM", "Policía de Guadalajara", AgencyLevel.MUNICIPAL,
                                 "14", "14039", "JAL-SSP"),
    ):
        ids[new.code] = agency_service.create_agency(uow, operator, new).id
    return ids


TODAY = date(2026, 11, 20)


# Civil time --------------------------------------------------------------------------------
# "Today" is a day of the deployment's zone, not of UTC. The instants at which that has gone
# wrong, or could: late evening in Mexico (UTC already tomorrow), just after UTC midnight, the
# last minute before Mexico City's midnight reaches UTC, the last day of a month and of a leap
# February, and the eve of a daylight-saving change in Tijuana (the second zone, which keeps
# DST). Local instants are read in each zone; UTC ones are the same instant in both.
CIVIL_ZONES = ("America/Mexico_City", "America/Tijuana")
AWKWARD: dict[str, tuple[str, datetime]] = {
    "2330-local": ("local", datetime(2026, 12, 5, 23, 30)),
    "0030-utc": ("utc", datetime(2026, 12, 6, 0, 30)),
    "0559-utc": ("utc", datetime(2026, 12, 6, 5, 59)),
    "month-end": ("local", datetime(2026, 11, 30, 23, 30)),
    "leap-february": ("local", datetime(2028, 2, 29, 23, 30)),
    # Tijuana springs forward at 02:00 on 14 March 2027: the day after has 23 hours.
    "dst-eve": ("local", datetime(2027, 3, 13, 23, 30)),
}


@dataclass(frozen=True)
class Pinned:
    """The wall clock pinned at `instant` (UTC) for a deployment in `zone`."""

    name: str
    instant: datetime
    zone: ZoneInfo
    traveller: Any

    @property
    def today(self) -> date:
        return self.instant.astimezone(self.zone).date()

    def advance(self, **delta: float) -> None:
        self.traveller.shift(timedelta(**delta))

    def command(self, *argv: str) -> list[str]:
        """`confianza ARGV...` as a separate process whose clock reads what this one's does
        now (a child process does not inherit time-machine's travel)."""
        at = datetime.now(UTC).isoformat()
        script = ("import sys, time_machine; from datetime import datetime\n"
                  f"with time_machine.travel(datetime.fromisoformat({at!r}), tick=True):\n"
                  "    from confianza.app.console import run\n"
                  "    sys.argv = ['confianza', *sys.argv[1:]]\n"
                  "    run()\n")
        return [sys.executable, "-c", script, *argv]


def awkward_instant(name: str, zone: str) -> datetime:
    kind, wall = AWKWARD[name]
    return (wall.replace(tzinfo=UTC) if kind == "utc"
            else wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC))


@contextmanager
def pinned_wall_clock(name: str, zone: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pinned]:
    """The real clock (what the CLI and a server read) at an awkward instant, with the
    deployment's zone set for every container built meanwhile. time-machine moves the clock of
    this process only, and keeps it ticking from there."""
    instant = awkward_instant(name, zone)
    monkeypatch.setenv("CONFIANZA_TIME_ZONE", zone)
    with time_machine.travel(instant, tick=True) as traveller:
        yield Pinned(name, instant, ZoneInfo(zone), traveller)


@pytest.fixture(params=[(name, zone) for zone in CIVIL_ZONES for name in AWKWARD],
                ids=lambda p: f"{p[0]}-{p[1].split('/')[1]}")
def awkward(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pinned]:
    """Each awkward instant in each zone, the wall clock pinned there."""
    with pinned_wall_clock(*request.param, monkeypatch) as pinned:
        yield pinned
