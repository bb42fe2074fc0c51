"""How long the roster page of a 10,000-officer agency takes to serve (target: under 300 ms).

    .venv/bin/python benchmarks/roster_page.py [--officers 10000] [--requests 30]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Seeds one state agency with N officers (BulkWriter, seeded Random, names from Faker's es_MX
lists), signs a clerk in through the login form, then requests /agencies/{id}/roster through
FastAPI's TestClient and times each request end to end (routing, session check, the audited
service call, the query, the template, the response). It also times the service call and the
template alone so a slow figure says where the time went. Prints p50/p95/max in milliseconds,
of wall-clock time and of the process's CPU time (the cost even on a busy machine).
With --postgres, the same runs on a fresh database `confianza_bench_roster` on that server.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _pages import percentiles, sign_in, timed
from faker.providers.person.es_MX import Provider as Names
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import ActorKind, Role, Scope, system_actor
from confianza.accounts.service import users as user_service
from confianza.app import rendering as common
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.app.web import create_app
from confianza.core.db import migrate
from confianza.core.db.bulk import BulkWriter
from confianza.registry.pages import agencies as agency_pages
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.rules.officers import OfficerStatus, search_key
from confianza.registry.service import agencies as agency_service

PASSWORD = "benchmark-password-2026"
BENCH_DB = "confianza_bench_roster"
STATUSES = [OfficerStatus.ACTIVE] * 90 + [OfficerStatus.SUSPENDED] * 6 + [
    OfficerStatus.REMOVED_FROM_DUTY] * 4
RANKS = ["Policía", "Policía Tercero", "Policía Segundo", "Policía Primero", "Suboficial",
         "Oficial", "Inspector"]


def seed(container: Container, officers: int) -> int:
    """One agency with 20 units and `officers` officers on it; returns the agency id."""
    operator = system_actor("benchmark")
    uow = container.uow()
    agency = agency_service.create_agency(uow, operator, agency_service.NewAgency(
        "JAL-SSP", "Secretaría de Seguridad de Jalisco", AgencyLevel.STATE, "14"))
    units = [agency_service.create_unit(uow, operator, agency.id, f"U{i:02d}",
                                        f"Agrupamiento {i}").id for i in range(20)]
    user_service.create_user(uow, operator, user_service.NewUser(
        "bench.clerk", "Benchmark", PASSWORD, Role.REGISTRY_CLERK, Scope()))
    rng = random.Random(20261120)
    surnames = list(Names.last_names)
    given = list(Names.first_names_male) + list(Names.first_names_female)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with container.uow().transaction() as tx:
        writer = BulkWriter(tx.session)
        writer.lock(["officers", "assignments"])
        first_officer = writer.next_id("officers")
        first_assignment = writer.next_id("assignments")
        officer_rows = []
        assignment_rows = []
        for i in range(officers):
            oid = first_officer + i
            first, second, names = rng.choice(surnames), rng.choice(surnames), rng.choice(given)
            birth = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 35))
            officer_rows.append((
                oid, None, names, first, second, search_key(first, second, names), birth,
                birth.year, None, rng.choice(STATUSES).value, now, now,
            ))
            start = date(2000, 1, 1) + timedelta(days=rng.randrange(365 * 25))
            assignment_rows.append((
                first_assignment + i, oid, agency.id, rng.choice(units), rng.choice(RANKS),
                start, None, "appointment", None,
            ))
        writer.insert("officers", ("id", "curp", "given_names", "first_surname",
                                   "second_surname", "search_name", "birth_date", "birth_year",
                                   "sex", "status", "created_at", "updated_at"), officer_rows)
        writer.insert("assignments", ("id", "officer_id", "agency_id", "unit_id", "rank",
                                      "start_date", "end_date", "start_reason", "end_reason"),
                      assignment_rows)
        writer.finish(["officers", "assignments"])
    return agency.id


def report(label: str, what: str, samples: tuple[list[float], list[float]]) -> None:
    print(f"[{label}] {what:<17} wall {percentiles(samples[0])}")
    print(f"[{label}] {'':<17} cpu  {percentiles(samples[1])}")


def run(label: str, url: str, officers: int, requests: int) -> None:
    settings = Settings(environment=Environment.TEST, database_url=url)
    container = build(settings)
    migrate.upgrade(container.engine)
    started = time.perf_counter()
    agency_id = seed(container, officers)
    print(f"[{label}] seeded {officers:,} officers in {time.perf_counter() - started:.1f} s")
    with TestClient(create_app(container)) as client:
        sign_in(client, "bench.clerk", PASSWORD)
        path = f"/agencies/{agency_id}/roster"
        first = client.get(path)
        assert first.status_code == 200, first.status_code
        rows = first.text.count("<tr><td>")
        assert rows == officers, rows
        print(f"[{label}] {path}: {rows:,} rows, {len(first.content) / 1e6:.1f} MB of HTML")
        report(label, "whole request", timed(lambda: client.get(path), requests))

    actor = user_service.actor_for(
        user_service.create_user(container.uow(), system_actor("benchmark"),
                                 user_service.NewUser("bench.reader", "B", PASSWORD,
                                                      Role.REGISTRY_CLERK, Scope())),
        ActorKind.USER,
    )
    report(label, "service + query", timed(
        lambda: agency_service.agency_roster(container.uow(), actor, agency_id),
        requests,
    ))
    agency, lines = agency_service.agency_roster(container.uow(), actor, agency_id)
    template = common.ENV.get_template("agencies/roster.html")

    def render() -> str:
        return template.render({
            "request": None, "actor": actor, "csrf_token": "x", "request_id": "bench",
            "path": "/", "agency": agency, "total": len(lines),
            "rows": agency_pages.roster_rows(lines), "counts": [], "descending": False,
            "state_name": "Jalisco",
        })

    report(label, "rows + template", timed(render, requests))
    container.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--postgres", help="an admin URL of a PostgreSQL server to also run on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", f"sqlite:///{Path(tmp) / 'roster.db'}", args.officers, args.requests)
    if args.postgres:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
        url = make_url(args.postgres).set(database=BENCH_DB)
        try:
            run("postgresql", url.render_as_string(hide_password=False), args.officers,
                args.requests)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
