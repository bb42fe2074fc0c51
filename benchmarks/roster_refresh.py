"""How fast a roster refresh runs: the national registry refreshed from a complete national roster.

    .venv/bin/python benchmarks/roster_refresh.py [--db var/bench-refresh.db] [--rebuild]
        [--changed 0.02] [--no-postgres]

The synthetic national registry (401,607 officers, `confianza demo --scale national`, seed 2018)
is built once into a SQLite file (kept under var/ for later runs) and, unless --no-postgres,
into a fresh PostgreSQL database. Its roster is written back out as a CSV file, as an agency's
complete roster is: everyone serving, one row per open posting of every officer with a CURP
(the identity key), under a mapping that says the file is complete. Then 2% of those people
change (seeded): a new rank, another unit, a leave, the end of their open posting (a
resignation), a different given name (a conflict for the review queue), or they are left out
of the file (a pending separation). Printed for each database: the bare read of the file
(decoded and split into rows), then the `--dry-run`, the refresh, and the same file again
(nothing to change), each as the command runs it (a fresh connection), with the counts by
kind. Targets (issue 16): refresh < 30 s on SQLite,
< 40 s on PostgreSQL, dry run < 20 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate
from confianza.registry.cli.files import read_roster
from confianza.registry.rules.import_mapping import parse_mapping
from confianza.registry.service.officer_import import ImportReport, import_officers

PG_ADMIN = os.environ.get(
    "CONFIANZA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_NAME = "confianza_bench_refresh"
ACTOR = system_actor("bench-refresh")
MAPPING = parse_mapping("""
[fields]
curp = "curp"
given_names = "nombres"
first_surname = "primer_apellido"
second_surname = "segundo_apellido"
birth_date = "fecha_nacimiento"
birth_year = "anio_nacimiento"
sex = "sexo"
rank = "grado"
start_date = "fecha_inicio"
end_date = "fecha_fin"
end_reason = "motivo_fin"
posting_status = "situacion"
posting_kind = "tipo"
employment_kind = "personal"
[agency]
column = "corporacion"
[unit]
code_column = "unidad"
name_column = "unidad_nombre"
[roster]
complete = true
""", "national-roster.toml")
HEADER = ["curp", "nombres", "primer_apellido", "segundo_apellido", "fecha_nacimiento",
          "anio_nacimiento", "sexo", "grado", "fecha_inicio", "fecha_fin", "motivo_fin",
          "situacion", "tipo", "personal", "corporacion", "unidad", "unidad_nombre"]
EXPORT = text("""
SELECT o.curp, o.given_names, o.first_surname, o.second_surname, o.birth_date, o.birth_year,
       o.sex, a.rank, a.start_date, a.end_date, a.end_reason, a.status, a.kind, a.employment,
       g.code, u.code, u.name, a.agency_id
FROM assignments a JOIN officers o ON o.id = a.officer_id JOIN agencies g ON g.id = a.agency_id
LEFT JOIN units u ON u.id = a.unit_id
WHERE o.curp IS NOT NULL AND a.end_date IS NULL ORDER BY o.id, a.start_date
""")
KINDS = ("rank", "unit", "leave", "end", "name", "missing")
WEIGHTS = (35, 15, 15, 20, 5, 10)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def write_roster(engine: Engine, path: Path, share: float, seed: int = 2026) -> Counter[str]:
    """The registry's roster as a complete CSV file, with `share` of its people changed."""
    rng = random.Random(seed)
    with engine.connect() as connection:
        rows = [list(r) for r in connection.execute(EXPORT)]
        units: dict[int, list[tuple[str, str]]] = {}
        for agency_id, code, name in connection.execute(
                text("SELECT agency_id, code, name FROM units")):
            units.setdefault(int(agency_id), []).append((code, name))
    by_curp: dict[str, list[list[object]]] = {}
    for row in rows:
        by_curp.setdefault(str(row[0]), []).append(row)
    serving = [c for c, postings in by_curp.items() if any(p[9] is None for p in postings)]
    chosen = rng.sample(serving, int(len(by_curp) * share))
    done: Counter[str] = Counter()
    left_out: set[str] = set()
    for curp in chosen:
        kind = rng.choices(KINDS, WEIGHTS)[0]
        posting = next(p for p in by_curp[curp] if p[9] is None)
        if kind == "rank":
            posting[7] = "SUBOFICIAL" if posting[7] != "SUBOFICIAL" else "OFICIAL"
        elif kind == "unit":
            others = [u for u in units.get(int(str(posting[17])), []) if u[0] != posting[15]]
            if not others:
                continue
            posting[15], posting[16] = rng.choice(others)
        elif kind == "leave":
            if posting[11] == "on_leave":
                continue
            posting[11] = "on_leave"
        elif kind == "end":
            if str(posting[8]) >= "2026-11-30":
                continue
            posting[9], posting[10], posting[11] = "2026-11-30", "resignation", "separated"
        elif kind == "name":
            for p in by_curp[curp]:
                p[1] = f"{p[1]} XIMENA"
        else:
            left_out.add(curp)
        done[kind] += 1
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for curp, postings in by_curp.items():
            if curp in left_out:
                continue
            for p in postings:
                writer.writerow([_text(v) for v in p[:17]])
    return done


def run(url: str, roster: Path) -> None:
    started = time.perf_counter()
    bare = read_roster(roster, MAPPING.encoding)
    count = sum(1 for _ in bare.rows(MAPPING.delimiter)) - 1
    read = time.perf_counter() - started
    name = make_url(url).get_backend_name()
    print(f"{name}: bare read of the file {read:6.2f} s ({count:,} rows)", flush=True)
    for dry_run in (True, False, False):
        # Each run as the command makes it: a process of its own, so a fresh connection
        # whose database cache starts cold; the file read, checked, compared and applied.
        container = build(Settings(environment=Environment.TEST, database_url=url))
        try:
            started = time.perf_counter()
            report = import_officers(container.uow(), ACTOR,
                                     read_roster(roster, MAPPING.encoding), MAPPING,
                                     skip_invalid=True, dry_run=dry_run)
            seconds = time.perf_counter() - started
        finally:
            container.dispose()
        _print(f"{name}: {'dry run' if dry_run else 'refresh'}", seconds, report)


def _print(label: str, seconds: float, report: ImportReport) -> None:
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in report.kinds.items())
    print(f"{label:<22} {seconds:6.2f} s  {report.rows:,} rows; people: {kinds}; "
          f"{report.changes:,} changed; {report.rejected_rows:,} rows rejected", flush=True)


def national(db: Path, rebuild: bool) -> None:
    if rebuild:
        db.unlink(missing_ok=True)
    if db.exists():
        return
    db.parent.mkdir(parents=True, exist_ok=True)
    building = db.with_suffix(".building")
    container = build(Settings(environment=Environment.TEST,
                               database_url=f"sqlite:///{building}"))
    try:
        migrate.upgrade(container.engine)
        started = time.perf_counter()
        generate(container.uow(), ACTOR, scale=Scale.NATIONAL, seed=2018)
        print(f"built the national registry in {time.perf_counter() - started:.0f} s",
              flush=True)
    finally:
        container.dispose()
    building.rename(db)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("var/bench-refresh.db"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--changed", type=float, default=0.02)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    national(args.db, args.rebuild)
    with tempfile.TemporaryDirectory(prefix="confianza-refresh-") as tmp:
        folder = Path(tmp)
        registry = folder / "registry.db"
        shutil.copyfile(args.db, registry)  # each run refreshes a copy: the next starts clean
        roster = folder / "national-roster.csv"
        engine = create_engine(f"sqlite:///{registry}")
        started = time.perf_counter()
        done = write_roster(engine, roster, args.changed)
        engine.dispose()
        print(f"wrote the national roster in {time.perf_counter() - started:.0f} s "
              f"({roster.stat().st_size / 1e6:.0f} MB); people changed: "
              + ", ".join(f"{n:,} {k}" for k, n in done.items()), flush=True)
        run(f"sqlite:///{registry}", roster)
        if not args.no_postgres:
            _postgres(roster)
    return 0


def _postgres(roster: Path) -> None:
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
    except Exception as exc:  # any failure to reach the server means: skip PostgreSQL
        print(f"PostgreSQL skipped: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return
    url = make_url(PG_ADMIN).set(database=PG_NAME).render_as_string(hide_password=False)
    try:
        container = build(Settings(environment=Environment.TEST, database_url=url))
        try:
            migrate.upgrade(container.engine)
            started = time.perf_counter()
            generate(container.uow(), ACTOR, scale=Scale.NATIONAL, seed=2018)
            print(f"built the national registry on PostgreSQL in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
        finally:
            container.dispose()
        run(url, roster)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
