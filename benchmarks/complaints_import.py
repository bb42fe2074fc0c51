"""Chicago complaints stored as cases, and the stored co-accusal network (issue 17, item 6).

    .venv/bin/python benchmarks/complaints_import.py DATA_DIR [--no-postgres]
        (DATA_DIR holds roster_1985-2023.csv.gz, complaints_2000-2023.csv.gz and
        complaints-accused_2000-2023.csv.gz)

For SQLite (a fresh file) and, unless --no-postgres, PostgreSQL (a fresh database
`confianza_bench_complaints`, dropped at the end): the schema is made and the Chicago roster
imported (`confianza officers import`, not timed), then printed:

1. the import of the complaints and the accused (about 150,000 rows) as the command runs it, a
   process of its own from start to end; targets < 10 s SQLite, < 15 s PostgreSQL;
2. the same files again (nothing to add: idempotence);
3. the whole stored network: every stored case read, indexed and grouped (communities, civilian,
   two shared), as `network_groups` does it; target < 5 s;
4. one officer's network (`officer_network`, what the record page asks) for the 200 officers
   with the most complaints: p50, p95, max; target p95 < 300 ms;
5. the same 200 officers' network page, `/officers/{id}/network` (the list and the drawn
   graph), through the web app in process (the session check stood in for, as in
   _pages.Caller): p50, p95, max; target p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _pages import Caller
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import build
from confianza.app.settings import Environment, Settings
from confianza.app.web import create_app
from confianza.integrity.service.network import NetworkWindow, network_groups, officer_network

PG_ADMIN = os.environ.get(
    "CONFIANZA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_NAME = "confianza_bench_complaints"
CONSOLE = [sys.executable, "-m", "confianza.app.console"]
# The complaints commands as the console will mount them (`confianza integrity complaints`).
COMPLAINTS = [sys.executable, "-c",
              "import sys; from confianza.integrity.cli.complaints import app; "
              "app(sys.argv[1:], prog_name='confianza integrity complaints')"]
BUSIEST = 200


def _run(argv: list[str], url: str) -> tuple[float, str]:
    env = {**os.environ, "CONFIANZA_DATABASE_URL": url, "CONFIANZA_ENVIRONMENT": "test"}
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n{done.stderr[-2000:]}")
    return took, done.stdout.strip()


def measure(url: str, data: Path, label: str) -> None:
    _run([*CONSOLE, "db", "upgrade"], url)
    took, said = _run([*CONSOLE, "officers", "import", str(data / "roster_1985-2023.csv.gz"),
                       "--mapping", "chicago-roster", "--skip-invalid"], url)
    print(f"[{label}] roster imported in {took:.1f} s (not part of the target)")
    files = [str(data / "complaints_2000-2023.csv.gz"),
             str(data / "complaints-accused_2000-2023.csv.gz"), "--agency", "US-IL-CPD"]
    took, said = _run([*COMPLAINTS, "import", *files], url)
    print(f"[{label}] complaints import, whole command: {took:.1f} s\n    {said}")
    took, said = _run([*COMPLAINTS, "import", *files], url)
    print(f"[{label}] the same files again: {took:.1f} s\n    {said}")
    built = build(Settings(environment=Environment.TEST, database_url=url))
    actor = system_actor("bench-complaints")
    try:
        started = time.perf_counter()
        groups = network_groups(built.uow(), actor)
        took = time.perf_counter() - started
        largest = groups.groups[0].group.size if groups.groups else 0
        print(f"[{label}] whole stored network: {took:.2f} s ({groups.accused} accused, "
              f"{groups.total} groups, largest {largest})")
        with built.engine.connect() as connection:
            busiest = list(connection.execute(text(
                "SELECT officer_id FROM integrity_allegations WHERE officer_id IS NOT NULL "
                "GROUP BY officer_id ORDER BY COUNT(DISTINCT case_id) DESC, officer_id "
                f"LIMIT {BUSIEST}")).scalars())
        times = []
        for officer_id in busiest:
            started = time.perf_counter()
            officer_network(built.uow(), actor, officer_id, NetworkWindow())
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"[{label}] one officer's network, {len(times)} busiest officers: p50 "
              f"{statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max {times[-1]:.0f} ms")
        app = create_app(built)
        Caller(app, actor)
        with TestClient(app) as client:
            client.get(f"/officers/{busiest[0]}/network")  # templates compiled
            times = []
            for officer_id in busiest:
                started = time.perf_counter()
                page = client.get(f"/officers/{officer_id}/network")
                times.append((time.perf_counter() - started) * 1000)
                assert page.status_code == 200, page.text[:300]
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"[{label}] one officer's network page, {len(times)} busiest officers: p50 "
              f"{statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max {times[-1]:.0f} ms "
              f"(target p95 < 300 ms)")
    finally:
        built.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{Path(folder) / 'complaints.db'}", args.data, "sqlite")
    if args.no_postgres:
        return
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
    try:
        url = make_url(PG_ADMIN).set(database=PG_NAME).render_as_string(hide_password=False)
        measure(url, args.data, "postgresql")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
