"""How long the national certification lists take: the alert list and coverage per state.

Builds (or reuses) the national synthetic registry (~400,000 officers with evaluation histories)
and times, through the services a page or a command calls, with a national-scope account:
- the whole "on active duty without valid certification" list (services.coverage.export_alerts),
- its first page of 100 (alert_list),
- coverage per state and per agency (coverage),
- the first page of the national re-evaluation list.
Each is run several times; the median and the slowest are printed. Target: under 2 s for the
whole list and for coverage, on SQLite and on PostgreSQL.

    python benchmarks/certification_lists.py [--db var/bench-national.db] [--rebuild]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.certification.service import coverage
from confianza.core.db import migrate
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate

ROOT = Path(__file__).resolve().parent.parent
# A national certification officer, as the pages and the API would pass it.
READER = Actor(None, "benchmark-reader", Role.CERTIFICATION_OFFICER, Scope(), ActorKind.USER)


def ensure_registry(url: str, rebuild: bool) -> Container:
    container = build(Settings(environment=Environment.TEST, database_url=url))
    fresh = migrate.current_revision(container.engine) is None
    if not fresh and migrate.current_revision(container.engine) != migrate.head_revision():
        rebuild = True
    if rebuild and url.startswith("sqlite:///"):
        container.dispose()
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        container = build(Settings(environment=Environment.TEST, database_url=url))
        fresh = True
    if fresh:
        migrate.upgrade(container.engine)
        print("building the national registry ...", flush=True)
        started = time.perf_counter()
        generate(container.uow(), Actor(None, "benchmark", Role.ADMINISTRATOR, Scope(),
                                        ActorKind.SYSTEM), scale=Scale.NATIONAL, seed=2018,
                 issuer=container.issuer)
        print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
    return container


def timed(label: str, runs: int, work: Callable[[], int]) -> None:
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = work()
        times.append(time.perf_counter() - started)
    print(f"  {label:<44} median {statistics.median(times) * 1000:>7.0f} ms   slowest "
          f"{max(times) * 1000:>7.0f} ms   ({size:,} rows)", flush=True)


def measure(container: Container, runs: int) -> None:
    with container.engine.connect() as connection:
        officers = connection.execute(text("SELECT COUNT(*) FROM officers")).scalar_one()
        evaluations = connection.execute(text("SELECT COUNT(*) FROM evaluations")).scalar_one()
    print(f"{container.engine.dialect.name}: {officers:,} officers, {evaluations:,} evaluations")
    uow = container.uow()
    timed("whole alert list (export)", runs,
          lambda: sum(1 for _ in coverage.export_alerts(uow, READER)))
    timed("alert list, first page of 100", runs,
          lambda: len(coverage.alert_list(uow, READER, limit=100).items))
    timed("coverage per state", runs, lambda: len(coverage.coverage(uow, READER, by="state")))
    timed("coverage per agency", runs, lambda: len(coverage.coverage(uow, READER, by="agency")))
    timed("re-evaluation list, first page of 100", runs,
          lambda: len(coverage.reevaluation_list(uow, READER, limit=100,
                                                 policy=container.policy).items))
    rows = coverage.coverage(uow, READER, by="state")
    total = sum(r.officers for r in rows)
    print(f"  national: {total:,} officers holding a post; evaluated "
          f"{sum(r.evaluated for r in rows):,}; approved {sum(r.approved for r in rows):,}; "
          f"expired {sum(r.expired for r in rows):,}; not approved "
          f"{sum(r.not_approved for r in rows):,}; never evaluated "
          f"{sum(r.never_evaluated for r in rows):,}; on duty without valid certification "
          f"{sum(r.on_duty_uncertified for r in rows):,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-national.db"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="also run on this server")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    container = ensure_registry(f"sqlite:///{args.db}", args.rebuild)
    try:
        measure(container, args.runs)
    finally:
        container.dispose()
    if args.postgres:
        name = f"confianza_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(
                hide_password=False)
            container = ensure_registry(url, False)
            try:
                with container.engine.begin() as connection:
                    connection.execute(text("ANALYZE"))
                measure(container, args.runs)
            finally:
                container.dispose()
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
