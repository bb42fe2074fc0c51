"""How fast a roster import runs: a synthetic 450,000-officer CSV, and the real Chicago roster.

    .venv/bin/python benchmarks/import_csv.py [--rows 450000] [--chicago PATH.csv.gz]

The synthetic roster has valid CURPs (built by the domain's own rules from the names, birth date,
sex and state), Spanish names sampled from Faker's es_MX lists with a seeded Random, a state
agency set up by the mapping, 60 units created on the fly and one badge per officer. Each run
imports into a fresh SQLite file and a fresh PostgreSQL database (`confianza_bench_import`,
skipped with a message when no server answers) and prints seconds and rows per second.
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from faker.providers.person.es_MX import Provider as Names
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.kit.curp import build_curp
from confianza.registry.cli.files import load_mapping, read_roster, write_rejects
from confianza.registry.rules.geography import STATES
from confianza.registry.rules.import_mapping import parse_mapping
from confianza.registry.service.officer_import import ImportReport, import_officers

PG_ADMIN = os.environ.get(
    "CONFIANZA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PG_NAME = "confianza_bench_import"
MAPPING = """
[csv]
encoding = "utf-8"
[identity]
key = "curp"
[fields]
curp = "curp"
given_names = "nombres"
first_surname = "primer_apellido"
second_surname = "segundo_apellido"
birth_date = { column = "fecha_nacimiento", format = "%Y-%m-%d" }
sex = { column = "sexo", values = { HOMBRE = "H", MUJER = "M" } }
status = { column = "estatus", values = { ACTIVO = "active", BAJA = "separated" } }
rank = "grado"
start_date = "fecha_ingreso"
end_date = "fecha_baja"
[agency]
code = "BENCH-SSP"
[unit]
code_column = "unidad"
name_column = "unidad_nombre"
create_units = true
[badges]
columns = ["placa"]
[[setup.agencies]]
code = "BENCH-SSP"
name = "Secretaría de Seguridad (benchmark)"
level = "state"
state_code = "14"
"""
RANKS = ("POLICÍA", "POLICÍA TERCERO", "POLICÍA SEGUNDO", "POLICÍA PRIMERO", "SUBOFICIAL",
         "OFICIAL", "SUBINSPECTOR", "INSPECTOR")
HEADER = ["curp", "nombres", "primer_apellido", "segundo_apellido", "fecha_nacimiento", "sexo",
          "estatus", "grado", "unidad", "unidad_nombre", "fecha_ingreso", "fecha_baja", "placa"]


def generate(path: Path, rows: int, seed: int = 2026) -> None:
    """Write a realistic roster of `rows` distinct officers."""
    rng = random.Random(seed)
    males, females = Names.first_names_male, Names.first_names_female
    surnames = Names.last_names
    seen: set[str] = set()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            sex = "H" if rng.random() < 0.78 else "M"
            given = rng.choice(males if sex == "H" else females)
            if rng.random() < 0.4:
                given += " " + rng.choice(males if sex == "H" else females)
            first, second = rng.choice(surnames), rng.choice(surnames)
            birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 42))
            state = rng.choice(STATES).curp_code
            curp = ""
            for digit in "0123456789":
                differentiator = digit if birth.year < 2000 else "ABCDEFGHIJ"[int(digit)]
                curp = build_curp(first, second, given, birth, sex, state, differentiator)
                if curp not in seen:
                    break
            seen.add(curp)
            start = birth + timedelta(days=365 * 19 + rng.randrange(365 * 15))
            start = min(start, date(2025, 12, 31))
            separated = rng.random() < 0.1
            end = start + timedelta(days=1 + rng.randrange(3000)) if separated else None
            if end is not None and end > date(2026, 1, 1):
                end, separated = None, False
            unit = rng.randrange(60)
            writer.writerow([
                curp, given, first, second, birth.isoformat(), "HOMBRE" if sex == "H" else "MUJER",
                "BAJA" if separated else "ACTIVO", rng.choice(RANKS), f"U{unit:02d}",
                f"Unidad regional {unit}", start.isoformat(), end.isoformat() if end else "",
                str(100000 + n),
            ])


def _fresh_sqlite(folder: Path) -> str:
    path = folder / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _fresh_postgres() -> str | None:
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
        admin.dispose()
    except Exception as exc:  # any failure to reach the server means: skip PostgreSQL
        print(f"PostgreSQL skipped: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return None
    return make_url(PG_ADMIN).set(database=PG_NAME).render_as_string(hide_password=False)


def _drop_postgres() -> None:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
    admin.dispose()


def run_import(url: str, csv_path: Path, mapping_text: str | None, rejects: Path | None
               ) -> tuple[float, ImportReport]:
    container = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        migrate.upgrade(container.engine)
        mapping = (parse_mapping(mapping_text, "bench.toml") if mapping_text
                   else load_mapping("chicago-roster"))
        started = time.perf_counter()
        # Timed as the command runs it: the file read, the import, the rejects written.
        roster = read_roster(csv_path, mapping.encoding)
        report = import_officers(container.uow(), system_actor("bench"), roster, mapping,
                                 skip_invalid=rejects is not None)
        if rejects is not None:
            write_rejects(roster, mapping.delimiter, report.rejected_reasons, rejects)
        return time.perf_counter() - started, report
    finally:
        container.dispose()


def _print(label: str, seconds: float, report: ImportReport) -> None:
    print(f"{label:<28} {seconds:7.2f} s  {report.rows / seconds:10,.0f} rows/s  "
          f"{report.officers:,} officers, {report.assignments:,} assignments, "
          f"{report.badges:,} badges, {report.rejected_rows:,} rows rejected")


def _both(label: str, csv_path: Path, mapping_text: str | None, folder: Path,
          rejects: Path | None) -> ImportReport | None:
    seconds, report = run_import(_fresh_sqlite(folder), csv_path, mapping_text, rejects)
    _print(f"{label} SQLite", seconds, report)
    url = _fresh_postgres()
    if url is not None:
        try:
            seconds, report = run_import(url, csv_path, mapping_text, rejects)
            _print(f"{label} PostgreSQL", seconds, report)
        finally:
            _drop_postgres()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=450_000)
    parser.add_argument("--chicago", type=Path, help="roster_1985-2023.csv(.gz) to import too")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="confianza-bench-") as tmp:
        folder = Path(tmp)
        if not args.skip_synthetic:
            roster = folder / "roster.csv"
            started = time.perf_counter()
            generate(roster, args.rows)
            print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s "
                  f"({roster.stat().st_size / 1e6:.0f} MB)")
            _both("synthetic", roster, MAPPING, folder, None)
        if args.chicago:
            rejects = folder / "chicago-rejects.csv"
            report = _both("chicago", args.chicago, None, folder, rejects)
            if report is not None:
                reasons = collections.Counter(
                    e.reason if "not after the start" not in e.reason
                    else "the end date is not after the start date" for e in report.errors
                )
                print("chicago rejects by reason:")
                for reason, count in reasons.most_common():
                    print(f"  {count:5d}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
