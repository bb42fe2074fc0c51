"""The detection's lookback kept between runs, at national size (issue 19, ADR 0037 addendum
"the lookback kept between runs"): how big the kept state is and how long keeping and loading
it take, and the formats the pairs could have been kept in.

A synthetic national state (no registry needed): 401,607 officers in 2,000 agencies of
lognormal sizes across 32 states; about 20,000 readers — HR scoped to an agency (one per ~33
officers of its roster), examiners, clerks, coordinators and internal affairs scoped to a state,
certification officers and auditors national — each reading ~95 records a day from their pool,
for 34 days (about a million (peer group, officer) pairs a day); the window's 7 days hold 78,000
suspect reads each (the national day's figure); every officer touched by two people.

1. Formats of one day's pairs: raw, zlib of the raw keys, zlib of their differences (levels
   1 and 6), lzma of the differences; and, for scale, one row per pair written to the
   database (SQLite executemany, PostgreSQL COPY).
2. The product's path: `access.rules.kept` packs every day and the header,
   `AccessRepository.keep` writes them in one transaction; then `kept_header` and `kept_days`
   read them back and `kept` unpacks them into a `Lookback` (the suspect reads of the window's
   days only, as a run does).

    .venv/bin/python benchmarks/access_lookback.py [--sqlite var/bench-lookback.db]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/confianza_bench_lookback]
"""

from __future__ import annotations

import argparse
import lzma
import os
import time
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from _postgres import ensure_database
from sqlalchemy import text
from sqlalchemy.orm import Session

from confianza.access.repository import AccessRepository
from confianza.access.rules import kept
from confianza.access.rules.kept import KeptHeader
from confianza.access.rules.lookback import Lookback
from confianza.access.rules.reads import Read
from confianza.access.rules.scoring import PeerKey, Suspect
from confianza.core.db import migrate
from confianza.core.db.database import make_engine

ROOT = Path(__file__).resolve().parents[1]
OFFICERS, AGENCIES, STATES = 401_607, 2_000, 32
READS_A_READER, DAYS, WINDOW, SUSPECTS_A_DAY = 95, 34, 7, 78_000
LAST = date(2026, 12, 4)


def national(rng: np.random.Generator) -> tuple[Lookback, dict[str, PeerKey]]:
    started = time.perf_counter()
    sizes = rng.lognormal(4.5, 1.2, AGENCIES)
    sizes = (sizes / sizes.sum() * OFFICERS).astype(np.int64) + 1
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    per_state = OFFICERS // STATES
    pools: list[tuple[PeerKey, int, int, int]] = []  # group, first officer, pool size, readers
    for a in range(AGENCIES):
        pools.append((("agency_hr", "agency", None, a), int(starts[a]), int(sizes[a]),
                      max(1, round(12_000 * sizes[a] / OFFICERS))))
    for role, readers in (("examiner", 2_000), ("registry_clerk", 2_400),
                          ("centre_coordinator", 600), ("internal_affairs", 1_000)):
        for s in range(STATES):
            pools.append(((role, "state", f"{s + 1:02d}", None), s * per_state, per_state,
                          readers // STATES))
    pools.append((("certification_officer", "national", None, None), 0, OFFICERS, 1_400))
    pools.append((("auditor", "national", None, None), 0, OFFICERS, 600))
    state = Lookback()
    accounts: dict[str, PeerKey] = {}
    names: list[str] = []
    for group, _, _, readers in pools:
        for _ in range(readers):
            who = f"reader-{len(names)}"
            names.append(who)
            accounts[who] = group
    for n in range(DAYS):
        day = LAST - timedelta(days=DAYS - 1 - n)
        keys = []
        for group, first, size, readers in pools:
            number = state.group(group)
            count = int(rng.poisson(READS_A_READER * readers))
            keys.append((np.int64(number) << 32) | (first + rng.integers(0, size, count)))
        state.add_pairs(day, np.concatenate(keys))
        chosen = rng.choice(len(names), 6_000, replace=False)
        state.rate[day] = {names[i]: float(rng.integers(1, 40)) / 4 for i in chosen.tolist()}
        state.suspects[day] = {}
        if n >= DAYS - WINDOW:
            opening = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=14)
            who = rng.integers(0, len(names), SUSPECTS_A_DAY).tolist()
            officer = rng.integers(0, OFFICERS, SUSPECTS_A_DAY).tolist()
            second = rng.integers(0, 36_000, SUSPECTS_A_DAY).tolist()
            navigation = (rng.random(SUSPECTS_A_DAY) < 0.8).tolist()
            for i in range(SUSPECTS_A_DAY):
                read = Read(10_000_000 * n + i, opening + timedelta(seconds=second[i]),
                            names[who[i]], officer[i], "registry:officer:read")
                state.suspects[day].setdefault(names[who[i]], []).append(
                    Suspect(read, navigation[i]))
    at = datetime.combine(LAST, datetime.min.time(), UTC)
    one, two = rng.integers(0, len(names), OFFICERS).tolist(), rng.integers(
        0, len(names), OFFICERS).tolist()
    state.touchers = {o: [(names[one[o]], at), (names[two[o]], at - timedelta(hours=3))]
                      for o in range(OFFICERS)}
    pairs = sum(len(k) for k in state.pairs.values())
    print(f"  synthetic national state in {time.perf_counter() - started:.0f} s: "
          f"{len(names):,} readers, {len(state.groups):,} peer groups, {pairs:,} pairs over "
          f"{DAYS} days ({pairs // DAYS:,} a day), "
          f"{sum(len(s) for d in state.suspects.values() for s in d.values()):,} suspect "
          "reads in the window", flush=True)
    return state, accounts


def formats(keys: np.ndarray) -> None:
    def timed(name: str, encode: Callable[[np.ndarray], bytes],
              decode: Callable[[bytes], np.ndarray]) -> None:
        started = time.perf_counter()
        blob = encode(keys)
        packed = time.perf_counter() - started
        started = time.perf_counter()
        back = decode(blob)
        unpacked = time.perf_counter() - started
        assert np.array_equal(back, keys)
        print(f"  {name:<34} {len(blob) / 1e6:6.2f} MB  pack {packed * 1e3:5.0f} ms  unpack "
              f"{unpacked * 1e3:5.0f} ms", flush=True)

    def gaps(a: np.ndarray) -> bytes:
        return np.diff(a, prepend=np.int64(0)).tobytes()

    def sums(raw: bytes) -> np.ndarray:
        return np.cumsum(np.frombuffer(raw, np.int64))

    print(f"one day's pairs ({len(keys):,} keys):", flush=True)
    timed("raw int64", lambda a: a.tobytes(), lambda b: np.frombuffer(b, np.int64))
    timed("zlib 1 of the keys", lambda a: zlib.compress(a.tobytes(), 1),
          lambda b: np.frombuffer(zlib.decompress(b), np.int64))
    timed("zlib 1 of the gaps (kept)", kept.pack_pairs, kept.unpack_pairs)
    timed("zlib 6 of the gaps", lambda a: zlib.compress(gaps(a), 6),
          lambda b: sums(zlib.decompress(b)))
    timed("lzma 1 of the gaps", lambda a: lzma.compress(gaps(a), preset=1),
          lambda b: sums(lzma.decompress(b)))


def row_per_pair(engine: Any, keys: np.ndarray) -> None:
    """For scale: the same day as one row per pair."""
    with engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS bench_pairs"))
        c.execute(text("CREATE TABLE bench_pairs (day DATE, peer INTEGER, officer BIGINT)"))
    rows = [(LAST, int(k >> 32), int(k & 0xFFFFFFFF)) for k in keys.tolist()]
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        if engine.dialect.name == "sqlite":
            driver.executemany("INSERT INTO bench_pairs VALUES (?, ?, ?)",
                               [(d.isoformat(), p, o) for d, p, o in rows])
        else:
            with driver.cursor() as cursor, cursor.copy(
                    "COPY bench_pairs (day, peer, officer) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        driver.commit()
    finally:
        raw.close()
    wrote = time.perf_counter() - started
    started = time.perf_counter()
    with engine.connect() as c:
        back = c.execute(text("SELECT peer, officer FROM bench_pairs")).all()
    read = time.perf_counter() - started
    assert len(back) == len(rows)
    with engine.begin() as c:
        c.execute(text("DROP TABLE bench_pairs"))
    print(f"  {engine.dialect.name}: one row per pair: written in {wrote:.1f} s, read in "
          f"{read:.1f} s (a run would read {DAYS} such days)", flush=True)


def product(engine: Any, state: Lookback, accounts: dict[str, PeerKey]) -> None:
    with engine.begin() as c:
        c.execute(text("DELETE FROM access_lookback_days"))
        c.execute(text("DELETE FROM access_lookback"))
    started, cpu = time.perf_counter(), time.process_time()
    days = [kept.pack_day(state, d) for d in state.days]
    header = KeptHeader("bench", "America/Mexico_City", state.days[0], state.days[-1],
                        tuple(state.days), 1, 0, bytes(32), 1,
                        kept.pack_groups(state.groups, accounts),
                        kept.pack_touchers(state.touchers), datetime.now(UTC), "benchmark")
    packed = time.perf_counter() - started
    with Session(engine) as session, session.begin():
        AccessRepository(session).keep(header, days)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    pairs = sum(len(d.pairs) for d in days)
    suspects = sum(len(d.suspects) for d in days)
    rates = sum(len(d.rates) for d in days)
    total = pairs + suspects + rates + len(header.readers) + len(header.touchers)
    print(f"  {engine.dialect.name}: kept {len(days)} days: {total / 1e6:.1f} MB (pairs "
          f"{pairs / 1e6:.1f}, suspect reads {suspects / 1e6:.1f}, rates {rates / 1e6:.2f}, "
          f"touchers {len(header.touchers) / 1e6:.1f}, groups {len(header.readers) / 1e6:.2f})"
          f" in {took:.1f} s ({cpu:.1f} s CPU; packing {packed:.1f} s); one new day "
          f"{days[-1].size / 1e6:.1f} MB", flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    with Session(engine) as session, session.begin():
        store = AccessRepository(session)
        found = store.kept_header()
        stored = store.kept_days()
    read = time.perf_counter() - started
    assert found is not None
    back = Lookback()
    back.groups, _ = kept.unpack_groups(found.readers)
    back.touchers = kept.unpack_touchers(found.touchers)
    window = state.days[-1] - timedelta(days=WINDOW - 2)  # the next day's window
    for day in stored:
        kept.unpack_day(back, day, suspects=day.day >= window)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert all(np.array_equal(back.pairs[d], state.pairs[d]) for d in state.days)
    print(f"  {engine.dialect.name}: loaded in {took:.1f} s ({cpu:.1f} s CPU; reading "
          f"{read:.1f} s)", flush=True)


def run(url: str, state: Lookback, accounts: dict[str, PeerKey], keys: np.ndarray) -> None:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        row_per_pair(engine, keys)
        product(engine, state, accounts)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", type=Path, default=ROOT / "var" / "bench-lookback.db")
    parser.add_argument("--postgres", metavar="URL",
                        help="a database on a server (created if missing)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs",
          flush=True)
    state, accounts = national(np.random.default_rng(2018))
    keys = state.pairs[state.days[-1]]
    formats(keys)
    args.sqlite.parent.mkdir(parents=True, exist_ok=True)
    run(f"sqlite:///{args.sqlite}", state, accounts, keys)
    if args.postgres:
        ensure_database(args.postgres)
        run(args.postgres, state, accounts, keys)


if __name__ == "__main__":
    main()
