"""The roster of a large agency: a page of it (target: p95 under 50 ms) and the whole roster as
a CSV file (target: under 1 s).

    .venv/bin/python benchmarks/roster_page.py [--officers 11633] [--requests 30]
        [--csv-runs 7] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Seeds one state agency with N officers (11,633 by default: the size of the roster issue 15
measured at 213 ms and 2.3 MB as one page), each with a badge, with BulkWriter, a seeded Random
and names from Faker's es_MX lists; signs a clerk in through the login form; then requests
through FastAPI's TestClient, timing each request end to end (routing, session check, the
audited service call, its three statements, the template, the response):

- the first page, `/agencies/{id}/roster`;
- a middle page, reached by following the "next" cursors from the first page (the walk is not
  timed; the page it reaches is, with its cursor);
- a page filtered by status (`?situacion=suspended`, about 6% of the agency);
- a page filtered by text (`?texto=` the first surname of the middle page's first officer,
  matched as the start of the name, a CURP, a badge or an external id);
- the whole roster as CSV, `/agencies/{id}/roster.csv`: its time and size, every row counted.

The four pages are requested in turn, round after round, so that a drift of the machine's speed
falls on all of them alike. Prints p50/p95/max in milliseconds of wall-clock time and of the
process's CPU time (the cost even on a busy machine), and whether p95 is within the target.
With --postgres, the same runs on a fresh database `confianza_bench_roster` on that server
(analysed after the load, as autovacuum would).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _pages import p95, percentiles, sign_in
from faker.providers.person.es_MX import Provider as Names
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import Role, Scope, system_actor
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.app.web import create_app
from confianza.core.db import migrate
from confianza.core.db.bulk import BulkWriter
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.rules.officers import OfficerStatus, search_key
from confianza.registry.service import agencies as agency_service

PASSWORD = "benchmark-password-2026"
BENCH_DB = "confianza_bench_roster"
OFFICERS = 11_633
PAGE_TARGET_MS = 50.0
CSV_TARGET_MS = 1000.0
STATUSES = [OfficerStatus.ACTIVE] * 90 + [OfficerStatus.SUSPENDED] * 6 + [
    OfficerStatus.REMOVED_FROM_DUTY] * 4
RANKS = ["Policía", "Policía Tercero", "Policía Segundo", "Policía Primero", "Suboficial",
         "Oficial", "Inspector"]
NEXT_LINK = re.compile(r'rel="next" href="([^"]+)"')
ROW = "<tr><td><a href=\"/officers/"


def seed(container: Container, officers: int) -> int:
    """One agency with 20 units and `officers` officers on it, each with a badge; returns the
    agency id."""
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
    tables = ["officers", "assignments", "badges"]
    with container.uow().transaction() as tx:
        writer = BulkWriter(tx.session)
        writer.lock(tables)
        first_officer = writer.next_id("officers")
        first_assignment = writer.next_id("assignments")
        first_badge = writer.next_id("badges")
        officer_rows = []
        assignment_rows = []
        badge_rows = []
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
            badge_rows.append((first_badge + i, oid, agency.id, f"{10000 + i}", start, None))
        writer.insert("officers", ("id", "curp", "given_names", "first_surname",
                                   "second_surname", "search_name", "birth_date", "birth_year",
                                   "sex", "status", "created_at", "updated_at"), officer_rows)
        writer.insert("assignments", ("id", "officer_id", "agency_id", "unit_id", "rank",
                                      "start_date", "end_date", "start_reason", "end_reason"),
                      assignment_rows)
        writer.insert("badges", ("id", "officer_id", "agency_id", "number", "start_date",
                                 "end_date"), badge_rows)
        writer.finish(tables)
    return agency.id


def report(label: str, what: str, samples: tuple[list[float], list[float]],
           target_ms: float | None = None) -> None:
    verdict = ""
    if target_ms is not None:
        within = p95(samples[0]) * 1000 < target_ms
        verdict = f"   {'within' if within else 'OVER'} the {target_ms:g} ms target (p95)"
    print(f"[{label}] {what:<17} wall {percentiles(samples[0])}{verdict}")
    print(f"[{label}] {'':<17} cpu  {percentiles(samples[1])}", flush=True)


def middle_page(client: TestClient, first: str, officers: int) -> tuple[str, int]:
    """The address of the middle page, found by following the 'next' links; and its number."""
    pages = (officers + agency_service.ROSTER_PAGE - 1) // agency_service.ROSTER_PAGE
    path, number = first, 1
    while number < max(1, pages // 2):
        found = NEXT_LINK.search(client.get(path).text)
        assert found is not None, f"page {number} has no next link"
        path = found.group(1).replace("&amp;", "&")
        number += 1
    return path, number


def whole_roster(client: TestClient, path: str, officers: int) -> tuple[int, int]:
    """Download the file; returns its size and how many officers it lists (checked)."""
    answer = client.get(path)
    assert answer.status_code == 200, answer.status_code
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == officers + 1, (len(rows), officers)
    return len(answer.content), len(rows) - 1


def run(label: str, url: str, officers: int, requests: int, csv_runs: int) -> None:
    settings = Settings(environment=Environment.TEST, database_url=url)
    container = build(settings)
    migrate.upgrade(container.engine)
    started = time.perf_counter()
    agency_id = seed(container, officers)
    if container.engine.dialect.name == "postgresql":
        with container.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    print(f"[{label}] seeded {officers:,} officers in {time.perf_counter() - started:.1f} s")
    with TestClient(create_app(container)) as client:
        sign_in(client, "bench.clerk", PASSWORD)
        first = f"/agencies/{agency_id}/roster"
        page = client.get(first)
        assert page.status_code == 200, page.status_code
        shown = page.text.count(ROW)
        assert shown == min(officers, agency_service.ROSTER_PAGE), shown
        print(f"[{label}] {first}: {shown} rows, {len(page.content) / 1e3:.0f} kB of HTML")
        middle, number = middle_page(client, first, officers)
        surname = re.search(r'<tr><td><a href="/officers/\d+">([^ ,<]+)',
                            client.get(middle).text)
        assert surname is not None
        paths = {
            "first page": first,
            f"page {number} (cursor)": middle,
            "status filter": f"{first}?situacion=suspended",
            "text filter": f"{first}?texto={surname.group(1)}",
        }
        for what, path in paths.items():  # warm-up, and each one answers a full page
            answer = client.get(path)
            assert answer.status_code == 200 and answer.text.count(ROW) > 0, (what, path)
        wall: dict[str, list[float]] = {what: [] for what in paths}
        cpu: dict[str, list[float]] = {what: [] for what in paths}
        for _ in range(requests):
            for what, path in paths.items():
                t0, c0 = time.perf_counter(), time.process_time()
                client.get(path)
                wall[what].append(time.perf_counter() - t0)
                cpu[what].append(time.process_time() - c0)
        for what in paths:
            report(label, what, (wall[what], cpu[what]), PAGE_TARGET_MS)

        download = f"/agencies/{agency_id}/roster.csv"
        size, rows = whole_roster(client, download, officers)  # warm-up, and checked
        csv_wall, csv_cpu = [], []
        for _ in range(csv_runs):
            t0, c0 = time.perf_counter(), time.process_time()
            whole_roster(client, download, officers)
            csv_wall.append(time.perf_counter() - t0)
            csv_cpu.append(time.process_time() - c0)
        print(f"[{label}] {download}: {rows:,} officers, {size / 1e6:.2f} MB")
        report(label, "whole CSV", (csv_wall, csv_cpu), CSV_TARGET_MS)
    container.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=OFFICERS)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--csv-runs", type=int, default=7)
    parser.add_argument("--postgres", help="an admin URL of a PostgreSQL server to also run on")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", f"sqlite:///{Path(tmp) / 'roster.db'}", args.officers, args.requests,
            args.csv_runs)
    if args.postgres:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
        url = make_url(args.postgres).set(database=BENCH_DB)
        try:
            run("postgresql", url.render_as_string(hide_password=False), args.officers,
                args.requests, args.csv_runs)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
