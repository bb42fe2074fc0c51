"""Insider detection at national scale (issue 19 figures): a day of national traffic, two
million reads of officers' records, explained and scored (target: under 60 s on SQLite and on
PostgreSQL).

1. The national registry (401,607 officers, `confianza demo --scale national`, seed 2018) is
   built into the database the first time (not timed), with its evaluations, exams assigned
   to its examiners and postings.
2. Readers (`--readers`, default 20,000, accounts `bench-*` written once): agency HR scoped to
   an agency (one per ~20 officers of the agency's roster), examiners, coordinators, clerks
   and internal affairs scoped to a state, certification officers, auditors national.
3. The day's trail: `--reads` reads (default 2,000,000) by those readers, in sessions through
   the working day as the product writes them — a work list (the alert list, the evaluations
   queue) and the reads of what it showed, a roster page or a search and a few of its results,
   the examiner's own exams, and a few records read from outside any workflow (a phone call) —
   written as the audit repository writes a batch job's entries (the product's entry and its
   columns), each at its own instant, then placed in the tamper-evident log.
4. The lookback: the 34 days before, drawn by the same generator, kept as the detection's
   compact running state (`access.rules.lookback.Lookback`: the peer groups' pairs by day, the
   readers' usual, the window days' suspect reads), as a day-by-day run hands it to the next.
5. Timed through the product's services: `access explain` for the day, then `access detect`
   for the day with that state, split into checking, reading, facts, explaining, scoring and
   writing alerts. The trail's verification against its checkpoints is not in the figure (it is
   `audit verify`'s: benchmarks/audit_log.py), so the run is handed a verified report.
6. The command's path (skip with `--no-command`): the same lookback stored as the state the
   day before's run would have kept, with who touched each officer, then the day detected as
   `confianza access detect` does it: the kept state loaded and trusted, the day explained and
   scored, and the state it leaves kept again with its alerts.

    .venv/bin/python benchmarks/access_detect.py [--sqlite var/bench-access.db]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/confianza_bench_access]
        [--reads 2000000] [--readers 20000] [--profile] [--scale national] [--no-command]
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import json
import os
import pstats
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import numpy as np
from _postgres import ensure_database
from sqlalchemy import text

from confianza.access.rules import kept
from confianza.access.rules.explanations import WORK_WINDOW
from confianza.access.rules.facts import Reader
from confianza.access.rules.kept import KeptHeader, PackedDay
from confianza.access.rules.lookback import Lookback
from confianza.access.rules.reads import TRAIL_ACTIONS, Read
from confianza.access.rules.scoring import Suspect, peer_key
from confianza.access.service.detection import detect
from confianza.access.service.explanations import explain
from confianza.access.service.state import NEEDED_DAYS, detect_kept, rules_version
from confianza.access.service.timings import Timings
from confianza.accounts.rules.permissions import Role, Scope, ScopeKind, system_actor
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.core.civil_time import start_of_day
from confianza.core.db import migrate
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate
from confianza.trail.repository.append import COLUMNS, _fields
from confianza.trail.rules import AuditAction, PendingEntry
from confianza.transparency.rules import PublicLog
from confianza.transparency.service import log as transparency
from confianza.transparency.service.verify import VerifyReport

ROOT = Path(__file__).resolve().parents[1]
ACTOR = system_actor("benchmark")
PUBLIC = PublicLog(bytes(range(32)))
A = AuditAction
#: Shares of a reader's sessions: work lists, navigation (a search, one or two of its results
#: opened), outside any workflow (one record).
WORK, NAVIGATION, STRAY = 0.80, 0.17, 0.03
SESSION = 10  # reads a session, on average


@dataclass
class Population:
    readers: list[Reader]
    pools: dict[str, np.ndarray]  # reader -> the officers their work is about
    evaluations: np.ndarray
    exams: dict[int, list[tuple[int, int, int]]]  # examiner user id -> (exam, evaluation, officer)
    agency_of: dict[str, int] = field(default_factory=dict)


def registry(container: Container, scale: Scale) -> None:
    with container.engine.connect() as c:
        officers = c.execute(text("SELECT count(*) FROM officers")).scalar() or 0
    if officers:
        print(f"  registry: {officers:,} officers (reused)", flush=True)
        return
    started = time.perf_counter()
    generate(container.uow(), ACTOR, scale=scale, seed=2018)
    print(f"  registry built in {time.perf_counter() - started:.0f} s", flush=True)


def population(container: Container, wanted: int) -> Population:
    rng = random.Random(2018)
    with container.engine.begin() as c:
        agencies = c.execute(text(
            "SELECT a.agency_id, g.state_code, a.officer_id FROM assignments a "
            "JOIN agencies g ON g.id = a.agency_id WHERE a.end_date IS NULL")).all()
        by_agency: dict[int, list[int]] = defaultdict(list)
        by_state: dict[str, list[int]] = defaultdict(list)
        state_of: dict[int, str] = {}
        for agency, state, officer in agencies:
            by_agency[agency].append(officer)
            if state:
                by_state[state].append(officer)
                state_of[agency] = state
        evaluations = np.array([r[0] for r in c.execute(text(
            "SELECT id FROM evaluations WHERE closed_at IS NULL"))], dtype=np.int64)
        exams: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for exam, evaluation, officer, examiner in c.execute(text(
                "SELECT x.id, e.id, e.officer_id, x.examiner_id FROM evaluation_exams x "
                "JOIN evaluations e ON e.id = x.evaluation_id "
                "WHERE x.recorded_at IS NULL AND x.examiner_id IS NOT NULL")):
            exams[examiner].append((exam, evaluation, officer))
        have = c.execute(text("SELECT count(*) FROM users WHERE username LIKE 'bench-%'")
                         ).scalar() or 0
        total = sum(len(o) for o in by_agency.values())
        if not have:
            rows: list[dict[str, Any]] = []
            states = sorted(by_state)

            def add(role: Role, scope: Scope) -> None:
                rows.append({"username": f"bench-{role.value}-{len(rows)}",
                             "display_name": "Bench reader", "password_hash": "-",
                             "role": role.value, "scope_kind": scope.kind.value,
                             "scope_state_code": scope.state_code,
                             "scope_agency_id": scope.agency_id, "active": True,
                             "created_at": datetime.now(UTC)})
            hr = int(wanted * 0.6)
            for agency, officers in by_agency.items():
                for _ in range(max(1, round(hr * len(officers) / total))):
                    add(Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=agency))
            for role, share in ((Role.EXAMINER, 0.1), (Role.REGISTRY_CLERK, 0.12),
                                (Role.CENTRE_COORDINATOR, 0.03), (Role.INTERNAL_AFFAIRS, 0.05)):
                for n in range(int(wanted * share)):
                    add(role, Scope(ScopeKind.STATE, states[n % len(states)]))
            for role, share in ((Role.CERTIFICATION_OFFICER, 0.07), (Role.AUDITOR, 0.03)):
                for _ in range(int(wanted * share)):
                    add(role, Scope())
            c.execute(text(
                "INSERT INTO users (username, display_name, password_hash, role, scope_kind, "
                "scope_state_code, scope_agency_id, active, created_at) VALUES (:username, "
                ":display_name, :password_hash, :role, :scope_kind, :scope_state_code, "
                ":scope_agency_id, :active, :created_at)"), rows)
        readers = []
        pools: dict[str, np.ndarray] = {}
        everyone = np.array([o for os_ in by_agency.values() for o in os_], dtype=np.int64)
        for uid, username, role, kind, state, agency in c.execute(text(
                "SELECT id, username, role, scope_kind, scope_state_code, scope_agency_id "
                "FROM users WHERE role <> 'administrator' ORDER BY id")):
            reader = Reader(username, uid, Role(role), Scope(ScopeKind(kind), state, agency))
            readers.append(reader)
            if agency is not None:
                pool = by_agency.get(agency, [])
            elif state is not None:
                pool = by_state.get(state, [])
            else:
                pool = []
            pools[username] = np.array(pool, dtype=np.int64) if pool else everyone
    rng.shuffle(readers)
    return Population(readers, pools, evaluations, exams)


@dataclass
class Day:
    entries: list[tuple[datetime, PendingEntry]]
    reads: int
    #: reader -> (officer, at, entry index, navigation) of the reads no work explains.
    doubtful: dict[str, list[tuple[int, datetime, int, bool]]]


def traffic(pop: Population, day: date, reads: int, zone: Any, seed: int,
            entries: bool = True) -> Day:
    """One working day of reads by the population, as the product writes them."""
    rng = np.random.default_rng(seed)
    out: list[tuple[datetime, PendingEntry]] = []
    doubtful: dict[str, list[tuple[int, datetime, int, bool]]] = defaultdict(list)
    opening = datetime.combine(day, clock_time(8), zone)
    per_reader = reads / len(pop.readers)
    n_reads = 0
    for reader in pop.readers:
        pool = pop.pools[reader.username]
        count = int(rng.poisson(per_reader))
        mine = pop.exams.get(reader.user_id or -1, [])
        while count > 0:
            kind = rng.random()
            size = min(count, max(1, int(rng.poisson(SESSION))))
            if WORK <= kind < WORK + NAVIGATION:
                size = min(size, 1 + int(rng.poisson(1.0)))  # a search opens one or two
            elif kind >= WORK + NAVIGATION:
                size = 1  # a record asked for on the phone
            count -= size
            at = opening + timedelta(seconds=float(rng.uniform(0, 10.5 * 3600)))
            officers = pool[rng.integers(0, len(pool), size)].tolist()
            if reader.role is Role.EXAMINER and mine:
                for _ in range(size):
                    exam, evaluation, officer = mine[int(rng.integers(0, len(mine)))]
                    at += timedelta(seconds=float(rng.uniform(20, 240)))
                    n_reads += 1
                    if entries:
                        out.append((at, PendingEntry(
                            reader.username, "user", A.EXAM_READ, "evaluation_exam", str(exam),
                            detail={"evaluation_id": evaluation, "officer_id": officer})))
                continue
            if kind < WORK:
                if reader.role is Role.CERTIFICATION_OFFICER and len(pop.evaluations):
                    chosen = pop.evaluations[rng.integers(0, len(pop.evaluations), size)]
                    if entries:
                        out.append((at, PendingEntry(
                            reader.username, "user", A.EVALUATION_QUEUE_READ, "evaluation", None,
                            detail={"results": chosen.tolist()})))
                    for evaluation in chosen.tolist():
                        at += timedelta(seconds=float(rng.uniform(20, 240)))
                        n_reads += 1
                        if entries:
                            out.append((at, PendingEntry(
                                reader.username, "user", A.EVALUATION_READ, "evaluation",
                                str(evaluation))))
                    continue
                if entries:
                    out.append((at, PendingEntry(
                        reader.username, "user", A.ALERTS_READ, "certification", None,
                        detail={"agency_id": reader.scope.agency_id,
                                "state": reader.scope.state_code, "results": officers})))
                navigation = None
            elif kind < WORK + NAVIGATION:
                shown = officers + pool[rng.integers(0, len(pool), 20)].tolist()
                if entries:
                    out.append((at, PendingEntry(
                        reader.username, "user", A.OFFICER_SEARCH, "officer", None,
                        detail={"criteria": {"name": "x"}, "results": shown})))
                navigation = True
            else:
                navigation = False
            if navigation is None and not entries:
                n_reads += len(officers)  # work explains them: only counted in the lookback
                continue
            for officer in officers:
                at += timedelta(seconds=float(rng.uniform(20, 240)))
                n_reads += 1
                if navigation is not None:
                    doubtful[reader.username].append((officer, at, len(out), navigation))
                if entries:
                    out.append((at, PendingEntry(reader.username, "user", A.OFFICER_READ,
                                                 "officer", str(officer))))
    return Day(out, n_reads, doubtful)


def write_trail(container: Container, day: Day) -> None:
    """The day's entries in time order, as the audit repository appends a batch job's."""
    ordered = sorted(day.entries, key=lambda pair: pair[0])
    started = time.perf_counter()
    sqlite = container.engine.dialect.name == "sqlite"
    names = ", ".join(COLUMNS)
    for i in range(0, len(ordered), 50_000):
        raw = container.engine.raw_connection()
        try:
            driver: Any = raw.driver_connection
            chunk = ordered[i:i + 50_000]
            if sqlite:
                rows = [_fields(at.astimezone(UTC).replace(tzinfo=None).isoformat(
                    " ", "microseconds"), None, e) for at, e in chunk]
                driver.executemany(f"INSERT INTO audit_entries ({names}) VALUES "
                                   f"({', '.join('?' * len(COLUMNS))})", rows)
            else:
                with driver.cursor() as cursor, cursor.copy(
                        f"COPY audit_entries ({names}) FROM STDIN") as copy:
                    for at, e in chunk:
                        copy.write_row(_fields(at, None, e))
            driver.commit()
        finally:
            raw.close()
    print(f"  trail: {len(ordered):,} entries ({day.reads:,} reads) written in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    transparency.integrate(container.uow(), PUBLIC)
    print(f"  placed in the tamper-evident log in {time.perf_counter() - started:.0f} s",
          flush=True)


def lookback(pop: Population, day: date, reads: int, zone: Any) -> Lookback:
    """The 34 days before `day` as the running state a day-by-day run leaves: pairs and usual
    rates from the same generator (vectorised), the window days' suspect reads in full."""
    started = time.perf_counter()
    state = Lookback()
    by_name = {r.username: r for r in pop.readers}
    per_reader = reads / len(pop.readers)
    for back in range(34, 0, -1):
        held = day - timedelta(days=back)
        if held.weekday() >= 5:
            continue
        rng = np.random.default_rng(held.toordinal())
        keys = []
        rate: dict[str, float] = {}
        for reader in pop.readers:
            pool = pop.pools[reader.username]
            n = int(rng.poisson(per_reader))
            group = state.group(peer_key(reader))
            keys.append((group << 32) | pool[rng.integers(0, len(pool), n)])
            rate[reader.username] = n / SESSION * (NAVIGATION * 2 * 0.25 + STRAY)
        state.add_pairs(held, np.concatenate(keys))
        state.rate[held] = rate
        if back < 7:  # the window's days: their suspect reads in full
            earlier = traffic(pop, held, reads, zone, held.toordinal(), entries=False)
            state.suspects[held] = {
                who: [Suspect(Read(-(n + 1), at, who, officer, A.OFFICER_READ), nav)
                      for officer, at, n, nav in found]
                for who, found in earlier.doubtful.items() if who in by_name}
    print(f"  lookback state of 34 days drawn in {time.perf_counter() - started:.0f} s: "
          f"{sum(len(k) for k in state.pairs.values()):,} peer pairs, "
          f"{sum(len(s) for d in state.suspects.values() for s in d.values()):,} suspect "
          "reads in the window", flush=True)
    return state


def cached_lookback(path: Path, make: Any) -> Lookback:
    """The drawn lookback, kept beside the database in the product's own packed format
    (`access.rules.kept`): drawing 34 national days again takes minutes a run, and gives the
    same state every time (its generator is seeded by the day)."""
    if path.exists():
        started = time.perf_counter()
        document = json.loads(path.read_text())
        state = Lookback()
        state.groups = {(g[0], g[1], g[2], g[3]): n for n, g in enumerate(document["groups"])}
        for held in document["days"]:
            kept.unpack_day(state, kept.PackedDay(
                date.fromisoformat(held["day"]), base64.b64decode(held["pairs"]),
                base64.b64decode(held["rates"]), base64.b64decode(held["suspects"]),
                held["pair_count"], held["suspect_count"]))
        print(f"  lookback state of {len(state.rate)} days read from {path.name} in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        return state
    state = make()
    days = []
    for held in state.days:
        packed = kept.pack_day(state, held)
        days.append({"day": held.isoformat(), "pairs": base64.b64encode(packed.pairs).decode(),
                     "rates": base64.b64encode(packed.rates).decode(),
                     "suspects": base64.b64encode(packed.suspects).decode(),
                     "pair_count": packed.pair_count, "suspect_count": packed.suspect_count})
    groups = sorted(state.groups, key=lambda g: state.groups[g])
    path.write_text(json.dumps({"groups": [list(g) for g in groups], "days": days}))
    return state


def ceiling(container: Container, day: date, as_of: datetime) -> str:
    """The trail rows `detect` reads (the same ids and actions), fetched by the driver alone and
    dropped: nothing parsed, nothing explained. What no reading of them can go under."""
    zone = container.zone
    with container.uow().transaction() as tx:
        store = tx.access
        low = store.first_entry_at(start_of_day(day, zone) - WORK_WINDOW)
        high = store.first_entry_at(as_of + timedelta(microseconds=1))
        started, cpu = time.perf_counter(), time.process_time()
        rows = store.trail_fetch(low, high, TRAIL_ACTIONS)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
    return f"{rows:,} trail rows fetched by the driver alone in {took:.1f} s ({cpu:.1f} s CPU)"


def as_kept(state: Lookback) -> list[PackedDay]:
    """The drawn lookback's days as a run keeps them (taken before `detect` changes it)."""
    return [kept.pack_day(state, held) for held in state.days]


def keep_drawn(container: Container, days: list[PackedDay], groups: dict[Any, int],
               pop: Population, day: date) -> None:
    """Store the drawn lookback as the state a run on the day before would have kept
    (`access.service.state`), with who touched each officer: two of the readers, at instants
    of the lookback (a month of national traffic touches nearly every record)."""
    rng = np.random.default_rng(day.toordinal())
    zone = container.zone
    start = start_of_day(day - timedelta(days=34), zone).astimezone(UTC)
    names = [r.username for r in pop.readers]
    with container.engine.connect() as c:
        officers = [r[0] for r in c.execute(text("SELECT id FROM officers ORDER BY id"))]
    who = rng.integers(0, len(names), (len(officers), 2)).tolist()
    seconds = np.sort(rng.uniform(0, 34 * 86_400, (len(officers), 2)), axis=1).tolist()
    touchers = {}
    for officer, (a, b), (early, late) in zip(officers, who, seconds, strict=True):
        touchers[officer] = ([(names[a], start + timedelta(seconds=late))] if a == b else
                             [(names[a], start + timedelta(seconds=late)),
                              (names[b], start + timedelta(seconds=early))])
    with container.uow().transaction() as tx:
        current = tx.access.kept_header(lock=True)
        size, root = tx.log.head()
        accounts = {name: peer_key(reader) for name, reader in tx.access.accounts().items()}
        header = KeptHeader(
            rules_version(), str(zone), day - timedelta(days=NEEDED_DAYS),
            day - timedelta(days=1), tuple(d.day for d in days),
            tx.access.first_entry_at(start_of_day(day, zone)), size, root,
            (0 if current is None else current.generation) + 1,
            kept.pack_groups(groups, accounts), kept.pack_touchers(touchers), tx.now,
            ACTOR.username)
        tx.access.keep(header, days)


def command_path(container: Container, days: list[PackedDay], groups: dict[Any, int],
                 pop: Population, day: date, as_of: datetime) -> str:
    """What `confianza access detect --from DAY --to DAY` does: the kept state loaded from
    the database and trusted, the day explained and scored, the state it leaves kept, in
    the run's transaction with its alerts."""
    keep_drawn(container, days, groups, pop, day)
    with container.engine.begin() as c:
        c.execute(text("DELETE FROM access_alert_reads"))
        c.execute(text("DELETE FROM access_alerts"))
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    found, provenance = detect_kept(container.uow(), ACTOR, day, day, threshold=10,
                                    verify=verified, as_of=as_of)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    if not provenance.used:
        raise SystemExit(f"the kept state was not used: {provenance.why}")
    return (f"{found.reads:,} reads, {found.suspects:,} suspect, {len(found.alerts):,} "
            f"alerts: {took:.1f} s ({cpu:.1f} s CPU; load average {load:.1f}); "
            f"{provenance.why}")


def verified() -> VerifyReport:
    return VerifyReport(0, 0, 0, b"", 0, None)


def run(url: str, args: argparse.Namespace) -> None:
    container = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        migrate.upgrade(container.engine)
        registry(container, args.scale)
        zone = container.zone
        today = container.today()
        day = today - timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        pop = population(container, args.readers)
        print(f"  {len(pop.readers):,} readers; the day scored: {day}", flush=True)
        with container.engine.connect() as c:
            written = c.execute(text(
                "SELECT count(*) FROM audit_entries WHERE actor = :who"),
                {"who": pop.readers[0].username}).scalar() or 0
        if not written:
            write_trail(container, traffic(pop, day, args.reads, zone, day.toordinal()))
        with container.engine.begin() as c:  # an earlier run's alerts would hide its reads
            c.execute(text("DELETE FROM access_alert_outcomes"))
            c.execute(text("DELETE FROM access_alert_reads"))
            c.execute(text("DELETE FROM access_alerts"))
        cache = Path(args.sqlite).with_name(
            f"bench-access-lookback-{hashlib.sha256(url.encode()).hexdigest()[:12]}-{day}-"
            f"{args.reads}-{len(pop.readers)}.json")
        state = (cached_lookback(cache, lambda: lookback(pop, day, args.reads, zone))
                 if args.cache else lookback(pop, day, args.reads, zone))
        as_of = start_of_day(day + timedelta(days=1), zone) + timedelta(hours=20)
        drawn = (as_kept(state), dict(state.groups)) if args.command else None
        profiler = cProfile.Profile() if args.profile else None
        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        report = explain(container.uow(), ACTOR, day, day).report if args.explain else None
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        if report is not None:
                print(f"{container.engine.dialect.name}: explain {day}: {report.overall.reads:,} "
                  f"reads, {report.overall.explained / max(report.overall.reads, 1):.1%} "
                  f"explained, {took:.1f} s ({cpu:.1f} s CPU; load average {load:.1f})",
                  flush=True)
        print(f"{container.engine.dialect.name}: ceiling: {ceiling(container, day, as_of)}",
              flush=True)
        timings = Timings()
        load = os.getloadavg()[0]
        if profiler:
            profiler.enable()
        started, cpu = time.perf_counter(), time.process_time()
        timings.restart()
        found = detect(container.uow(), ACTOR, day, day, threshold=10, verify=verified,
                       as_of=as_of, lookback=state, timings=timings)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler:
            profiler.disable()
        print(f"{container.engine.dialect.name}: detect {day}: {found.reads:,} reads, "
              f"{found.suspects:,} suspect, {found.readers:,} readers with suspect reads, "
              f"{len(found.alerts):,} alerts: {took:.1f} s ({cpu:.1f} s CPU; load average "
              f"{load:.1f}) — {timings.line()}", flush=True)
        if profiler:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        if drawn is not None:
            print(f"{container.engine.dialect.name}: the command's path, detect {day}: "
                  f"{command_path(container, *drawn, pop, day, as_of)}", flush=True)
    finally:
        container.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", type=Path, default=ROOT / "var" / "bench-access.db")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--postgres", metavar="URL",
                        help="a database on a server (created if missing, kept for reuse)")
    parser.add_argument("--reads", type=int, default=2_000_000)
    parser.add_argument("--readers", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help="draw the lookback again rather than read it from beside the "
                        "SQLite file, where the first run keeps it")
    parser.add_argument("--no-explain", dest="explain", action="store_false",
                        help="time the detection alone")
    parser.add_argument("--no-command", dest="command", action="store_false",
                        help="skip the command's path: the lookback kept in the database, "
                        "loaded, and the state the run leaves kept again")
    parser.add_argument("--scale", type=Scale, default=Scale.NATIONAL, choices=list(Scale),
                        help="the registry's size when it is built (national by default)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs",
          flush=True)
    if not args.no_sqlite:
        args.sqlite.parent.mkdir(parents=True, exist_ok=True)
        run(f"sqlite:///{args.sqlite}", args)
    if args.postgres:
        ensure_database(args.postgres)
        run(args.postgres, args)


if __name__ == "__main__":
    main()
