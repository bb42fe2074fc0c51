"""Asset declarations (issue 20): the import of S1 documents and the checks over a registry.

    .venv/bin/python benchmarks/declarations.py [--officers 400000] [--imports 100000]
        [--sqlite PATH | --no-sqlite] [--postgres ADMIN_URL | --no-postgres] [--parts N]
        [--keep FOLDER]

For SQLite (a fresh file, var/bench-declarations.db unless --sqlite) and, unless
--no-postgres, PostgreSQL (a fresh database `confianza_bench_declarations`, dropped at the
end): a registry of `--officers` serving officers is written straight into the tables (ranks by
the demo's pyramid, three levels of government; not timed), and the demo's generator files
their declarations owed since January of last year: a modification last May and this May for
almost everyone, about two a officer, the latest two each (the issue's national registry: about
400,000 officers and 800,000 declarations). Then, printed:

1. the import of the first `--imports` of them (100,000 by default; target < 60 s) as
   `confianza declarations import FILE` runs it, a process of its own from start to end, from
   a JSON Lines file of S1 documents: every document validated against S1's description,
   its currencies, declarant, day and year checked, and all kept in one transaction;
2. the rest kept directly (not timed), then every check over every declaration as
   `run_checks` does it (what `confianza declarations check` runs, in as many processes as it
   would use, or `--parts`; target < 60 s for the national 800,000).
Each figure is printed with the CPU time of the processes that did the work (the import
command's, or this one's and its workers' for the checks: the database server's own work is
not in it), so that a run on a shared machine says what a quiet one would; with fewer officers
the national figure they extrapolate to is printed too, labelled as such.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.declarations.rules.checks import CheckSettings
from confianza.declarations.rules.money import DEFAULT_RATES
from confianza.declarations.rules.s1_write import document
from confianza.declarations.service.checks import PARALLEL_FROM, run_checks
from confianza.declarations.service.imports import to_new
from confianza.demo.rules.declarations import plan
from confianza.demo.rules.force import POLICE_RANKS, RANK_PYRAMID
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.service import agencies as agency_service

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get(
    "CONFIANZA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_NAME = "confianza_bench_declarations"
CONSOLE = [sys.executable, "-m", "confianza.app.console"]
NATIONAL = 800_000
BATCH = 20_000
OFFICER_COLUMNS = ("id", "curp", "given_names", "first_surname", "second_surname",
                   "search_name", "birth_date", "birth_year", "sex", "status", "created_at",
                   "updated_at")
ASSIGNMENT_COLUMNS = ("id", "officer_id", "agency_id", "unit_id", "rank", "start_date",
                      "end_date", "start_reason", "end_reason", "status", "kind", "employment",
                      "status_since")


def _registry(url: str, officers: int) -> None:
    """Three agencies and `officers` serving officers, one posting each (not timed)."""
    container = build(Settings(environment=Environment.TEST, database_url=url))
    operator = system_actor("bench")
    try:
        migrate.upgrade(container.engine)
        agencies = [agency_service.create_agency(container.uow(), operator, new).id for new in (
            agency_service.NewAgency("GN", "Guardia Nacional", AgencyLevel.FEDERAL),
            agency_service.NewAgency("JAL-SSP", "Secretaría de Seguridad de Jalisco",
                                     AgencyLevel.STATE, "14"),
            agency_service.NewAgency("JAL-GDL-PM", "Policía de Guadalajara",
                                     AgencyLevel.MUNICIPAL, "14", "14039", "JAL-SSP"))]
        rng = random.Random(2018)
        now = datetime.now(UTC)
        with container.uow().transaction() as tx:
            writer = tx.bulk_writer()
            writer.lock(["officers", "assignments"])
            first_officer = writer.next_id("officers")
            first_posting = writer.next_id("assignments")
            for start in range(0, officers, BATCH):
                people, postings = [], []
                for n in range(start, min(start + BATCH, officers)):
                    officer_id = first_officer + n
                    born = date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
                    name = f"BENCH{n:07d}"
                    people.append((officer_id, f"BN{n:08d}HJCXXX00", "Ana", name, "Prueba",
                                   f"{name.lower()} prueba ana", born, born.year, "M",
                                   "active", now, now))
                    joined = date(rng.randint(2005, 2023), rng.randint(1, 12), 1)
                    rank = rng.choices(POLICE_RANKS, RANK_PYRAMID)[0]
                    postings.append((first_posting + n, officer_id, rng.choice(agencies), None,
                                     rank, joined, None, "appointment", None, "active",
                                     "full_time", "sworn", joined))
                writer.insert("officers", OFFICER_COLUMNS, people)
                writer.insert("assignments", ASSIGNMENT_COLUMNS, postings)
            writer.finish(["officers", "assignments"])
    finally:
        container.dispose()


def _declarations(url: str, imports: int, folder: Path) -> tuple[Path, int, int]:
    """The declarations the officers owe since January of last year: the first `imports`
    written to an S1 JSON Lines file, the rest kept directly. (file, in file, in total)"""
    container = build(Settings(environment=Environment.TEST, database_url=url))
    operator = system_actor("bench")
    try:
        with container.uow().transaction() as tx:
            today = tx.today
            filed = plan(tx.declarations.services(), tx.declarations.filers(), seed=2018,
                         today=today, settings=CheckSettings(since=date(today.year - 1, 1, 1)))
        path = folder / "declaraciones.jsonl.gz"
        head, rest = filed.declarations[:imports], filed.declarations[imports:]
        with gzip.open(path, "wt", encoding="utf-8") as out:
            for _, declaration in head:
                out.write(json.dumps(document(declaration), ensure_ascii=False) + "\n")
        for start in range(0, len(rest), BATCH):
            with container.uow().transaction() as tx:
                tx.declarations.add([
                    to_new(d, officer_id, d.filed_at.date(), DEFAULT_RATES, document(d))
                    for officer_id, d in rest[start:start + BATCH]], by=operator.username,
                    at=tx.now)
        return path, len(head), len(filed.declarations)
    finally:
        container.dispose()


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _console(argv: list[str], url: str) -> tuple[float, float, str]:
    """(wall seconds, the process's CPU seconds, what it printed)."""
    env = {**os.environ, "CONFIANZA_DATABASE_URL": url, "CONFIANZA_ENVIRONMENT": "test"}
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run([*CONSOLE, *argv], env=env, capture_output=True, text=True,
                          check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"confianza {' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    return took, _children_cpu() - cpu, done.stdout.strip()


def measure(url: str, officers: int, imports: int, label: str, keep: Path | None,
            parts: int | None) -> None:
    started = time.perf_counter()
    _registry(url, officers)
    with tempfile.TemporaryDirectory() as folder:
        path, in_file, total = _declarations(url, imports, keep or Path(folder))
        print(f"[{label}] {officers:,} officers, {total:,} declarations made in "
              f"{time.perf_counter() - started:.0f} s (not timed)", flush=True)
        took, cpu, said = _console(["declarations", "import", str(path)], url)
    print(f"[{label}] import of {in_file:,} S1 declarations (the command, start to end): "
          f"{took:.1f} s, {1000 * took / max(in_file, 1):.2f} ms each; the command's own CPU "
          f"{cpu:.1f} s ({said})", flush=True)
    container = build(Settings(environment=Environment.TEST, database_url=url))
    since = date(container.today().year - 1, 1, 1)  # what the declarations were made owing
    try:
        started, cpu = time.perf_counter(), time.process_time() + _children_cpu()
        run = run_checks(container.uow(), system_actor("bench"), CheckSettings(since=since),
                         in_parts=container.in_parts(), parts=parts)
        took = time.perf_counter() - started
        cpu = time.process_time() + _children_cpu() - cpu
    finally:
        container.dispose()
    flagged = {rule.value: len({f.officer_id for f in found})
               for rule, found in run.by_rule().items()}
    print(f"[{label}] checks over {run.declarations:,} declarations of {run.officers:,} "
          f"officers: {took:.1f} s ({1000 * took / max(run.declarations, 1):.3f} ms a "
          f"declaration; CPU {cpu:.1f} s, this process's and its workers'); flagged "
          f"{flagged}", flush=True)
    if run.declarations < NATIONAL:
        scale = NATIONAL / max(run.declarations, 1)
        print(f"[{label}]   extrapolated to the national {NATIONAL:,}: {took * scale:.0f} s "
              f"(CPU {cpu * scale:.0f} s; not measured)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=400_000)
    parser.add_argument("--imports", type=int, default=100_000)
    parser.add_argument("--sqlite", type=Path, default=ROOT / "var" / "bench-declarations.db")
    parser.add_argument("--postgres", default=PG_ADMIN, help="an admin URL to create the "
                        "benchmark's database with")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep-database", action="store_true", help=f"leave {PG_NAME} "
                        "on the server at the end (else dropped)")
    parser.add_argument("--parts", type=int, help="check in this many processes (else as "
                        "`confianza declarations check` decides: one per CPU from "
                        f"{PARALLEL_FROM:,} declarations)")
    parser.add_argument("--keep", type=Path, metavar="FOLDER", help="write the S1 file "
                        "there and leave it (else a temporary folder)")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    if not args.no_sqlite:
        args.sqlite.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.sqlite}{suffix}").unlink(missing_ok=True)
        measure(f"sqlite:///{args.sqlite}", args.officers, args.imports, "SQLite", args.keep,
                args.parts)
    if args.no_postgres:
        return 0
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {PG_NAME}"))
            c.execute(text(f"CREATE DATABASE {PG_NAME}"))
        url = make_url(args.postgres).set(database=PG_NAME).render_as_string(
            hide_password=False)
        measure(url, args.officers, args.imports, "PostgreSQL", args.keep, args.parts)
    finally:
        if not args.keep_database:
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)"))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
