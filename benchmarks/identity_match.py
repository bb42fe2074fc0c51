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

    .venv/bin/python benchmarks/identity_match.py [--db var/bench-identities.db] [--rebuild]
        [--threshold 0.9] [--rows 50000] [--registry]
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

from sqlalchemy import delete

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.core.db.models import IdentityCandidateRow
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


def febrl(threshold: float) -> None:
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
    pairs = score(people, threshold=threshold)
    found = {(min(p.left, p.right), max(p.left, p.right)) for p in pairs}
    figures(f"FEBRL 1 (1,000 records, threshold {threshold})", found, truth,
            time.perf_counter() - started)


def national(db: Path, rebuild: bool) -> Container:
    if rebuild and db.exists():
        db.unlink()
    fresh = not db.exists()
    db.parent.mkdir(parents=True, exist_ok=True)
    container = build(Settings(environment=Environment.TEST, database_url=f"sqlite:///{db}"))
    migrate.upgrade(container.engine)
    if fresh:
        started = time.perf_counter()
        generate(container.uow(), ACTOR, scale=Scale.NATIONAL, seed=2018)
        print(f"built the national registry in {time.perf_counter() - started:.0f} s",
              flush=True)
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


def against_file(container: Container, rows: int, threshold: float) -> list[Person]:
    with container.uow().transaction() as tx:
        registry = tx.identities.people()
    with container.engine.begin() as db:
        db.execute(delete(IdentityCandidateRow))  # each run measures a first run
    with tempfile.TemporaryDirectory() as folder:
        path, mapping_path = Path(folder) / "roster.csv", Path(folder) / "roster.toml"
        mapping_path.write_text(MAPPING, encoding="utf-8")
        truth, flaws = roster_file(registry, path, rows, random.Random(16))
        mapping = load_mapping(mapping_path)
        started = time.perf_counter()
        report = match_file(container.uow(), ACTOR, read_roster(path, mapping.encoding),
                            mapping, threshold=threshold)
        seconds = time.perf_counter() - started
    with container.uow().transaction() as tx:
        proposed = tx.identities.candidates(None, 10_000_000, None)
    found = {(f"o:{c.left_officer_id}", str(c.file.line)) for c in proposed if c.file}
    expected = {(officer, str(line)) for line, officer in truth.items()}
    print(f"registry of {report.compared:,} officers against {report.against:,} people of a "
          f"{rows:,}-row file: {report.scored:,} pairs scored, {report.proposed:,} proposed, "
          f"{report.rejected_rows} rows left out", flush=True)
    figures(f"national registry against the file (threshold {threshold})", found, expected,
            seconds)
    hit_lines = {int(line) for officer, line in found & expected}
    by_flaw: Counter[str] = Counter()
    for line in hit_lines:
        by_flaw[_FLAWS[line % len(_FLAWS)].value] += 1
    print("  recall by planted flaw: " + ", ".join(
        f"{flaw} {by_flaw[flaw] / n:.3f}" for flaw, n in sorted(flaws.items())), flush=True)
    return registry


def within(registry: list[Person], threshold: float) -> None:
    rng = random.Random(30)
    sample = rng.sample(registry, 30_000)
    planted, truth = [], set()
    for i, original in enumerate(rng.sample(sample, 1_500)):
        copy = plant(original, f"o:{10_000_000 + i}", _FLAWS[i % len(_FLAWS)], rng)
        planted.append(copy)
        truth.add((min(copy.key, original.key), max(copy.key, original.key)))
    started = time.perf_counter()
    pairs = score([*sample, *planted], threshold=threshold)
    found = {(min(p.left, p.right), max(p.left, p.right)) for p in pairs}
    figures(f"31,500 officers with 1,500 planted duplicates, deduplicated (threshold "
            f"{threshold})", found, truth, time.perf_counter() - started)


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
    parser.add_argument("--registry", action="store_true",
                        help="also match the whole registry within itself")
    args = parser.parse_args()
    febrl(args.threshold)
    container = national(args.db, args.rebuild)
    try:
        registry = against_file(container, args.rows, args.threshold)
        if args.registry:
            whole_registry(container, args.threshold)
    finally:
        container.dispose()
    within(registry, args.threshold)


if __name__ == "__main__":
    main()
