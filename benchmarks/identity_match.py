"""People matched across sources: precision, recall and time of `identities match`.

Three measurements, each printed with the threshold used (the shipped default unless
--threshold):

1. FEBRL 1 (tests/data/identities/febrl1.csv, 1,000 labelled records: 500 people, each once
   more with errors): the registry's own model, deduplicating them.
2. The synthetic national registry (401,607 officers, built into var/bench-identities.db
   the first time) against a 50,000-row roster file: 40,000 rows are registry officers written
   again with one planted flaw each (a typo in a name, swapped surnames, a missing second
   surname, a changed CURP digit, a slipped birth date; half the rows carry no CURP at all),
   10,000 are people the registry does not hold, a fifth of them namesakes of officers born
   years apart. The full use case runs: the file read under its mapping, the registry read,
   the model trained and scored, the proposals stored. Target: under 2 minutes.
3. Deduplication inside a 30,000-officer sample of that registry with 1,500 planted flawed
   second records.
4. With --registry: `identities match` within the whole national registry (no planted
   duplicates there: the time, and how many pairs it proposes).

Each labelled measurement also prints a threshold sweep: precision and recall at each of
--sweep's thresholds, the chosen one marked. The pairs are scored once, at the sweep's lowest
threshold (or the chosen one, if lower), and each threshold keeps those at or above it; the
time printed is that of the one run.

With --postgres ADMIN_URL the national registry is built in (or, with --reuse, read from) the
database `confianza_bench_identities` on that server instead of the SQLite file.

    .venv/bin/python benchmarks/identity_match.py [--db var/bench-identities.db] [--rebuild]
        [--threshold 0.9] [--sweep 0.5,0.7,0.8,0.9,0.95,0.99] [--rows 50000] [--registry]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres [--reuse]]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.core.db.models import IdentityCandidateRow, OfficerRow
from confianza.demo.rules.duplicates import Flaw, namesake, plant
from confianza.demo.rules.force import Scale
from confianza.demo.rules.people import People
from confianza.demo.service import generate
from confianza.identities.rules.linkage import DEFAULT_THRESHOLD, score
from confianza.identities.rules.people import Person, person
from confianza.identities.service.matching import match_file, match_registry
from confianza.registry.cli.files import load_mapping, read_roster

ROOT = Path(__file__).resolve().parents[1]
FEBRL = ROOT / "tests" / "data" / "identities" / "febrl1.csv"
ACTOR = system_actor("benchmark")
PG_DATABASE = "confianza_bench_identities"
SWEEP = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
MAPPING = """
[csv]
encoding = "utf-8"
delimiter = ","
[identity]
scheme = "bench.payroll"
column = "payroll"
[fields]
curp = "curp"
given_names = "nombre"
first_surname = "primer_apellido"
second_surname = "segundo_apellido"
birth_date = "fecha_nacimiento"
sex = "sexo"
rank = "puesto"
start_date = "alta"
start_reason = { constant = "appointment" }
[agency]
column = "corporacion"
"""


def figures(label: str, found: set[tuple[str, str]], truth: set[tuple[str, str]],
            seconds: float) -> None:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    print(f"{label}: precision {precision:.3f}, recall {recall:.3f} ({hits:,} of "
          f"{len(truth):,} true pairs found, {len(found) - hits:,} false) in {seconds:.1f} s",
          flush=True)


def sweep(scored: dict[tuple[str, str], float], truth: set[tuple[str, str]],
          thresholds: list[float], chosen: float) -> None:
    """Precision and recall at each threshold, from pairs scored once at the lowest."""
    for t in sorted({*thresholds, chosen}):
        found = {pair for pair, probability in scored.items() if probability >= t}
        hits = len(found & truth)
        precision = hits / len(found) if found else 1.0
        recall = hits / len(truth) if truth else 1.0
        mark = "  <- chosen" if t == chosen else ""
        print(f"    threshold {t:<5}: precision {precision:.3f}, recall {recall:.3f} "
              f"({hits:,} true, {len(found) - hits:,} false){mark}", flush=True)


def febrl(threshold: float, thresholds: list[float]) -> None:
    people, truth = [], set()
    with FEBRL.open(encoding="utf-8") as source:
        rows = csv.reader(source, skipinitialspace=True)
        next(rows)
        for row in rows:
            rec, given, surname, born, ssn = (row[0].strip(), row[1].strip(), row[2].strip(),
                                              row[9].strip(), row[10].strip())
            try:
                birth = date(int(born[:4]), int(born[4:6]), int(born[6:8]))
            except ValueError:
                birth = None
            # The social security number plays the CURP's part: a national identity number,
            # mistyped now and then.
            people.append(person(rec, given, surname, None, birth, None, None, ssn or None))
    by_person: dict[str, list[str]] = {}
    for p in people:
        by_person.setdefault(p.key.split("-")[1], []).append(p.key)
    for keys in by_person.values():
        truth |= {(a, b) for a in keys for b in keys if a < b}
    started = time.perf_counter()
    pairs = score(people, threshold=min(threshold, *thresholds))
    seconds = time.perf_counter() - started
    scored = {(min(p.left, p.right), max(p.left, p.right)): p.probability for p in pairs}
    found = {pair for pair, probability in scored.items() if probability >= threshold}
    figures(f"FEBRL 1 (1,000 records, threshold {threshold})", found, truth, seconds)
    sweep(scored, truth, thresholds, threshold)


def _postgres(admin_url: str, rebuild: bool, reuse: bool) -> tuple[str, bool]:
    """The benchmark's database on that server, and whether it must be built."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": PG_DATABASE}).first() is not None
            if exists and (rebuild or not reuse):
                connection.execute(text(f'DROP DATABASE "{PG_DATABASE}" WITH (FORCE)'))
                exists = False
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
    finally:
        admin.dispose()
    url = make_url(admin_url).set(database=PG_DATABASE).render_as_string(hide_password=False)
    return url, not exists


def national(db: Path, rebuild: bool, postgres: str | None = None,
             reuse: bool = False) -> Container:
    if postgres:
        url, fresh = _postgres(postgres, rebuild, reuse)
    else:
        if rebuild and db.exists():
            db.unlink()
        fresh = not db.exists()
        db.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{db}"
    container = build(Settings(environment=Environment.TEST, database_url=url))
    migrate.upgrade(container.engine)
    if not fresh:
        with container.engine.connect() as connection:
            fresh = not connection.execute(select(func.count()).select_from(OfficerRow)).scalar()
    if fresh:
        started = time.perf_counter()
        generate(container.uow(), ACTOR, scale=Scale.NATIONAL, seed=2018)
        print(f"built the national registry ({container.engine.dialect.name}) in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    if container.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load, done before measuring.
        with container.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return container


_FLAWS = list(Flaw)


def roster_file(registry: list[Person], path: Path, rows: int,
                rng: random.Random) -> tuple[dict[int, str], Counter[str]]:
    """The file (one row per person), and the officer key each known row stands for."""
    names = People()
    known = rng.sample(registry, rows * 4 // 5)
    truth: dict[int, str] = {}
    flaws: Counter[str] = Counter()
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["payroll", "curp", "nombre", "primer_apellido", "segundo_apellido",
                         "fecha_nacimiento", "sexo", "puesto", "alta", "corporacion"])
        line = 2

        def write(p: Person) -> None:
            writer.writerow([
                f"P{line:06d}", p.curp or "", p.given_names, p.first_surname,
                p.second_surname or "", p.birth_date.isoformat() if p.birth_date else "",
                p.sex or "", "Policía", (p.first_start or date(2015, 1, 5)).isoformat(),
                p.agencies[0] if p.agencies else "GN"])

        for original in known:
            flaw = _FLAWS[line % len(_FLAWS)]
            copy = plant(original, f"f:{line}", flaw, rng)
            if flaw is not Flaw.CURP_DIGIT and rng.random() < 0.5:
                copy = replace(copy, curp=None)
            write(copy)
            truth[line] = original.key
            flaws[flaw.value] += 1
            line += 1
        for i in range(rows - len(known)):
            if i % 5 == 0:
                write(replace(namesake(rng.choice(registry), "", rng), curp=None))
            else:
                sex = rng.choice("HM")
                given = rng.choice(names.male if sex == "H" else names.female).text
                born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 40))
                write(person("", given, rng.choice(names.surnames).text,
                             rng.choice(names.surnames).text, born, None, sex, None))
            line += 1
    return truth, flaws


def against_file(container: Container, rows: int, threshold: float,
                 thresholds: list[float]) -> list[Person]:
    with container.uow().transaction() as tx:
        registry = tx.identities.people()
    with container.engine.begin() as db:
        db.execute(delete(IdentityCandidateRow))  # each run measures a first run
    with tempfile.TemporaryDirectory() as folder:
        path, mapping_path = Path(folder) / "roster.csv", Path(folder) / "roster.toml"
        mapping_path.write_text(MAPPING, encoding="utf-8")
        truth, flaws = roster_file(registry, path, rows, random.Random(16))
        mapping = load_mapping(mapping_path)
        lowest = min(threshold, *thresholds)
        started = time.perf_counter()
        report = match_file(container.uow(), ACTOR, read_roster(path, mapping.encoding),
                            mapping, threshold=lowest)
        seconds = time.perf_counter() - started
    with container.uow().transaction() as tx:
        proposed = tx.identities.candidates(None, 10_000_000, None)
    scored = {(f"o:{c.left_officer_id}", str(c.file.line)): c.probability
              for c in proposed if c.file}
    found = {pair for pair, probability in scored.items() if probability >= threshold}
    expected = {(officer, str(line)) for line, officer in truth.items()}
    print(f"registry of {report.compared:,} officers ({container.engine.dialect.name}) against "
          f"{report.against:,} people of a {rows:,}-row file: {report.scored:,} pairs at or "
          f"above {lowest}, {report.proposed:,} proposed, {report.rejected_rows} rows left out",
          flush=True)
    figures(f"national registry against the file (threshold {threshold}; the run scored at "
            f"{lowest})", found, expected, seconds)
    sweep(scored, expected, thresholds, threshold)
    hit_lines = {int(line) for officer, line in found & expected}
    by_flaw: Counter[str] = Counter()
    for line in hit_lines:
        by_flaw[_FLAWS[line % len(_FLAWS)].value] += 1
    print("  recall by planted flaw: " + ", ".join(
        f"{flaw} {by_flaw[flaw] / n:.3f}" for flaw, n in sorted(flaws.items())), flush=True)
    return registry


def within(registry: list[Person], threshold: float, thresholds: list[float]) -> None:
    rng = random.Random(30)
    sample = rng.sample(registry, 30_000)
    planted, truth = [], set()
    for i, original in enumerate(rng.sample(sample, 1_500)):
        copy = plant(original, f"o:{10_000_000 + i}", _FLAWS[i % len(_FLAWS)], rng)
        planted.append(copy)
        truth.add((min(copy.key, original.key), max(copy.key, original.key)))
    started = time.perf_counter()
    pairs = score([*sample, *planted], threshold=min(threshold, *thresholds))
    seconds = time.perf_counter() - started
    scored = {(min(p.left, p.right), max(p.left, p.right)): p.probability for p in pairs}
    found = {pair for pair, probability in scored.items() if probability >= threshold}
    figures(f"31,500 officers with 1,500 planted duplicates, deduplicated (threshold "
            f"{threshold})", found, truth, seconds)
    sweep(scored, truth, thresholds, threshold)


def whole_registry(container: Container, threshold: float) -> None:
    with container.engine.begin() as db:
        db.execute(delete(IdentityCandidateRow))
    started = time.perf_counter()
    report = match_registry(container.uow(), ACTOR, threshold=threshold)
    print(f"within the registry of {report.compared:,} officers (threshold {threshold}): "
          f"{report.proposed:,} pairs proposed in {time.perf_counter() - started:.1f} s",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench-identities.db")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--sweep", default=",".join(str(t) for t in SWEEP),
                        help="thresholds whose precision and recall are printed too")
    parser.add_argument("--registry", action="store_true",
                        help="also match the whole registry within itself")
    parser.add_argument("--postgres", metavar="ADMIN_URL",
                        help=f"build the national registry in {PG_DATABASE} on this server")
    parser.add_argument("--reuse", action="store_true",
                        help=f"with --postgres: keep {PG_DATABASE} if it is already built")
    parser.add_argument("--skip-samples", action="store_true",
                        help="only the national registry against the file")
    args = parser.parse_args()
    try:
        thresholds = [float(t) for t in args.sweep.split(",") if t.strip()]
    except ValueError:
        parser.error(f"--sweep: {args.sweep!r} is not a list of numbers separated by commas")
    if any(not 0 < t < 1 for t in [*thresholds, args.threshold]):
        parser.error("thresholds must be between 0 and 1 (exclusive)")
    if not args.skip_samples:
        febrl(args.threshold, thresholds)
    container = national(args.db, args.rebuild, args.postgres, args.reuse)
    try:
        registry = against_file(container, args.rows, args.threshold, thresholds)
        if args.registry:
            whole_registry(container, args.threshold)
    finally:
        container.dispose()
    if not args.skip_samples:
        within(registry, args.threshold, thresholds)


if __name__ == "__main__":
    main()
