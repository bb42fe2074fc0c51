"""How fast the tamper-evident log takes entries, answers proofs and verifies.

0. What the audit entry costs a request (issue 15): the same writer processes run, for
   `--seconds` each and alternately (`--rounds` times, so the machine's drift cancels out),
   transactions that read one row by its key and write one audit entry, and the same
   transactions without the entry — an unaudited read, the ceiling this machine allows for
   that work. Prints both rates and their ratio (targets on PostgreSQL: 3,000 entries/s, and
   80% of the unaudited rate). The integrator places and folds entries meanwhile, as
   `confianza serve` runs it.
1. Writers: THREADS threads each run small transactions that append audit entries (PER_TX per
   transaction, as a request writes one or a few), through the unit of work and the audit
   repository, while the tree is integrated in batches by a process of its own, as
   `confianza serve` runs it (docs/adr/0013), here every 50 ms rather than every minute. Prints
   entries/s written and integrated over the whole run (targets: 5,000/s on SQLite, 3,000/s
   on PostgreSQL, over 1,000,000 entries).
2. A large log: the log is grown to LARGE entries in big transactions (quickly: this phase
   measures reading, not writing), integrated and signed. Then random inclusion proofs (the
   service, one read-only transaction each, as the API answers them), each verified; prints
   p50/p95/max (target: under 5 ms for 2,000,000 entries). Then `verify_log`, as
   `confianza audit verify` runs it, over the whole log (target: under 30 s for 2,000,000).

    python benchmarks/audit_log.py [--entries 1000000] [--threads 8] [--per-tx 1]
        [--large 2000000] [--proofs 2000] [--no-sqlite] [--seconds 10] [--rounds 3]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.kit.merkle_proofs import verify_inclusion
from confianza.kit.signed_note import Signer
from confianza.trail.rules import PendingEntry
from confianza.transparency.rules import PublicLog
from confianza.transparency.service import log as transparency
from confianza.transparency.service.log import LogKeys
from confianza.transparency.service.verify import verify_log

#: The benchmark's own keys: the leaves and signatures cost the same under any key.
KEY = bytes(range(32))
PUBLIC = PublicLog(KEY)
ORIGIN = "bench.confianza.local/audit-log"


def run(url: str, args: argparse.Namespace) -> None:
    container = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        migrate.upgrade(container.engine)
        processes = args.processes if args.processes else (
            1 if container.engine.dialect.name == "sqlite" else 4)
        threads = args.threads or (8 if processes == 1 else 1)
        if args.rounds:
            against_ceiling(container, url, processes, threads, args.seconds, args.rounds)
        if args.entries:
            write(container, url, args.entries, processes, threads, args.per_tx)
        if args.large:
            large(container, url, args.large, args.proofs)
    finally:
        container.dispose()


def _entry(n: int) -> PendingEntry:
    # The shape of the commonest entry: an officer's record read, its id in the detail.
    return PendingEntry("bench.user", "user", "officer:identity:read", "officer", str(n),
                        purpose="consulta", detail={"results": [n]})


def _integrate_until(url: str, stop: Event) -> None:
    """The integrator's process: fold what is committed, again and again, then once more."""
    container = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        while not stop.is_set():
            transparency.integrate(container.uow(), PUBLIC)
            stop.wait(0.05)
        transparency.integrate(container.uow(), PUBLIC)
    finally:
        container.dispose()


def _writer_process(url: str, number: int, threads: int, per_thread: int, per_tx: int,
                    go: Event) -> None:
    """One server process's share: `threads` threads, each `per_thread` transactions."""
    container = build(Settings(environment=Environment.TEST, database_url=url))

    def writer(k: int) -> None:
        uow = container.uow()
        base = (number * 1000 + k) * 10**8
        for i in range(per_thread):
            with uow.transaction() as tx:
                tx.audit.write_many([_entry(base + i * per_tx + j) for j in range(per_tx)])

    try:
        go.wait()
        pool = [threading.Thread(target=writer, args=(k,)) for k in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    finally:
        container.dispose()


def write(container: Container, url: str, entries: int, processes: int, threads: int,
          per_tx: int) -> None:
    per_thread = entries // processes // threads // per_tx
    before = transparency.tree_head(container.uow()).size
    spawn = multiprocessing.get_context("spawn")
    stop, go = spawn.Event(), spawn.Event()
    folding = spawn.Process(target=_integrate_until, args=(url, stop))
    writers = [spawn.Process(target=_writer_process,
                             args=(url, n, threads, per_thread, per_tx, go))
               for n in range(processes)]
    for process in (folding, *writers):
        process.start()
    time.sleep(3)  # let every process import and connect before the clock starts
    started = time.perf_counter()
    go.set()
    for process in writers:
        process.join()
    written = time.perf_counter() - started
    stop.set()
    folding.join()
    total = time.perf_counter() - started
    size = transparency.tree_head(container.uow()).size - before
    expected = per_thread * processes * threads * per_tx
    assert size == expected, f"integrated {size}, wrote {expected}"
    print(f"{container.engine.dialect.name}: {size:,} entries by {processes} process(es) "
          f"x {threads} threads ({per_tx} per transaction): written in {written:.1f} s "
          f"({size / written:,.0f}/s); integrated too in {total:.1f} s "
          f"({size / total:,.0f}/s)", flush=True)
    if container.engine.dialect.name == "postgresql" and per_tx == 1:
        # The ceiling beside it: the same transactions (BEGIN, then the INSERT and the COMMIT
        # in one message) sent by the driver alone, for as long as the run took.
        bare = _rate(url, processes, threads, True, min(written, 10.0), bare=True,
                     read_too=False)
        print(f"{container.engine.dialect.name}: the same transactions sent by the driver "
              f"alone (this code taken out): {bare:,.0f}/s; this code writes "
              f"{size / written / bare:.0%} of that", flush=True)


def _reader_process(url: str, number: int, threads: int, audited: bool, ready: Any,
                    go: Event, stop: Event, counts: Any) -> None:
    """One server process's share of phase 0: transactions that read a row by its key (the
    tree's head: one primary-key lookup, as a record's read is) and, if `audited`, write the
    entry a read of a record writes."""
    container = build(Settings(environment=Environment.TEST, database_url=url))
    done = [0] * threads

    def reader(k: int) -> None:
        uow = container.uow()
        base = (number * 1000 + k) * 10**8
        n = 0
        while not stop.is_set():
            with uow.transaction(read_only=not audited) as tx:
                tx.log.head()
                if audited:
                    tx.audit.write(_entry(base + n))
            n += 1
        done[k] = n

    try:
        with container.uow().transaction(read_only=True) as tx:
            tx.log.head()  # connected, and the statement cached, before the clock starts
        ready.put(number)
        go.wait()
        pool = [threading.Thread(target=reader, args=(k,)) for k in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        counts[number] = sum(done)
    finally:
        container.dispose()


def _bare_process(url: str, number: int, threads: int, audited: bool, ready: Any,
                  go: Event, stop: Event, counts: Any, read_too: bool = True) -> None:
    """The same work as `_reader_process` with this code taken out: the statements the unit of
    work sends, sent by the driver alone. Unaudited, the read is one statement in autocommit
    (as a read-only block runs on PostgreSQL); audited, BEGIN, the read, then the entry's
    INSERT and the COMMIT in one message (as trail/repository/append.py sends them). What is
    left between these rates is the database's: the insert, its indexes and the durable
    commit."""
    import psycopg

    from confianza.trail.repository.append import _postgres_params, _postgres_statement

    parts = make_url(url)
    conninfo = psycopg.conninfo.make_conninfo(
        host=parts.host or "", port=parts.port or 5432, user=parts.username or "",
        password=parts.password or "", dbname=parts.database or "")
    insert = _postgres_statement(1) + "; COMMIT"
    read = "SELECT size, root FROM log_tree WHERE id = %s"
    done = [0] * threads

    def reader(k: int) -> None:
        base = (number * 1000 + k) * 10**8
        n = 0
        with psycopg.connect(conninfo, autocommit=not audited) as connection:
            while not stop.is_set():
                if read_too:
                    connection.execute(read, (1,)).fetchall()
                if audited:
                    with psycopg.ClientCursor(connection) as cursor:
                        cursor.execute(insert, _postgres_params(
                            datetime.now(UTC), None, [_entry(base + n)]))
                n += 1
        done[k] = n

    ready.put(number)
    go.wait()
    pool = [threading.Thread(target=reader, args=(k,)) for k in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    counts[number] = sum(done)


def _rate(url: str, processes: int, threads: int, audited: bool, seconds: float,
          bare: bool = False, read_too: bool = True) -> float:
    spawn = multiprocessing.get_context("spawn")
    go, stop, ready = spawn.Event(), spawn.Event(), spawn.Queue()
    counts = spawn.Array("q", processes)
    target = _bare_process if bare else _reader_process
    extra = () if target is _reader_process else (read_too,)
    pool = [spawn.Process(target=target,
                          args=(url, n, threads, audited, ready, go, stop, counts, *extra))
            for n in range(processes)]
    for process in pool:
        process.start()
    for _ in pool:
        ready.get(timeout=120)  # every process imported and connected
    go.set()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for process in pool:
        process.join()
    took = time.perf_counter() - started
    if any(process.exitcode for process in pool):
        raise SystemExit("a reader process failed (its error is printed above)")
    return float(sum(counts[:])) / took


def against_ceiling(container: Container, url: str, processes: int, threads: int,
                    seconds: float, rounds: int) -> None:
    spawn = multiprocessing.get_context("spawn")
    stop = spawn.Event()
    folding = spawn.Process(target=_integrate_until, args=(url, stop))
    folding.start()
    audited: list[float] = []
    ceiling: list[float] = []
    bare = container.engine.dialect.name == "postgresql"
    bare_audited: list[float] = []
    bare_ceiling: list[float] = []
    try:
        for _ in range(rounds):
            audited.append(_rate(url, processes, threads, True, seconds))
            ceiling.append(_rate(url, processes, threads, False, seconds))
            if bare:
                bare_audited.append(_rate(url, processes, threads, True, seconds, bare=True))
                bare_ceiling.append(_rate(url, processes, threads, False, seconds, bare=True))
    finally:
        stop.set()
        folding.join()
    head = transparency.tree_head(container.uow())
    with container.uow().transaction(read_only=True) as tx:
        waiting = tx.log.waiting()
    a, c = statistics.median(audited), statistics.median(ceiling)
    print(f"{container.engine.dialect.name}: a read by key, {processes} process(es) x "
          f"{threads} threads, {rounds} rounds of {seconds:.0f} s each: with its audit entry "
          f"{a:,.0f}/s, without {c:,.0f}/s: {a / c:.0%} of the unaudited rate "
          f"(rounds: {', '.join(f'{x:,.0f}' for x in audited)} against "
          f"{', '.join(f'{x:,.0f}' for x in ceiling)}); the log holds {head.size:,} entries, "
          f"{waiting} waiting", flush=True)
    if bare:
        ba, bc = statistics.median(bare_audited), statistics.median(bare_ceiling)
        print(f"{container.engine.dialect.name}: the same statements sent by the driver alone "
              f"(this code taken out): with the entry {ba:,.0f}/s, without {bc:,.0f}/s: "
              f"{ba / bc:.0%} (rounds: {', '.join(f'{x:,.0f}' for x in bare_audited)} against "
              f"{', '.join(f'{x:,.0f}' for x in bare_ceiling)}); this code reaches {a / ba:.0%} "
              f"of the bare audited rate and {c / bc:.0%} of the bare unaudited one",
              flush=True)


def large(container: Container, url: str, size: int, proofs: int) -> None:
    have = transparency.tree_head(container.uow()).size
    started = time.perf_counter()
    for first in range(have, size, 20_000):
        with container.uow().transaction() as tx:
            tx.audit.write_many([_entry(n) for n in range(first, min(size, first + 20_000))])
    transparency.integrate(container.uow(), PUBLIC)
    signer = Signer.generate(ORIGIN)
    transparency.checkpoint_now(container.uow(), LogKeys(ORIGIN, signer, (signer.verifier,),
                                                         KEY))
    print(f"  grown to {size:,} entries and integrated in {time.perf_counter() - started:.0f} s",
          flush=True)
    prove(container, proofs)
    workers = min(os.cpu_count() or 1, 4)
    started = time.perf_counter()
    report = verify_log(container.uow(), [signer.verifier], PUBLIC, origin=ORIGIN,
                        workers=workers, open_reader=container.log_reader_opener())
    took = time.perf_counter() - started
    assert report.ok and report.entries == size, report.line()
    print(f"  full verification of {size:,} entries ({workers} worker processes): {took:.1f} s",
          flush=True)


def prove(container: Container, count: int) -> None:
    head = transparency.tree_head(container.uow())
    rng = random.Random(1)
    times = []
    for _ in range(count):
        seq = rng.randrange(1, head.size + 1)
        started = time.perf_counter()
        proof = transparency.prove_inclusion(container.uow(), seq)
        times.append(time.perf_counter() - started)
        verify_inclusion(proof.leaf_hash, proof.leaf_index, proof.tree_size, proof.hashes,
                         proof.root)
    times.sort()
    print(f"  inclusion proof in a log of {head.size:,}: p50 "
          f"{statistics.median(times) * 1000:.2f} ms, p95 "
          f"{times[int(len(times) * 0.95)] * 1000:.2f} ms, p99 "
          f"{times[int(len(times) * 0.99)] * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms "
          f"({count} proofs, each verified)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--processes", type=int, default=0,
                        help="writer processes, as server processes (default: 1 on SQLite, "
                        "which has one writer; 4 on PostgreSQL, as `confianza serve "
                        "--workers 4`)")
    parser.add_argument("--threads", type=int, default=0,
                        help="writer threads per process (default: 8 in the one SQLite "
                        "process; 1 in each PostgreSQL process, as each server worker runs "
                        "its short requests one at a time on its event loop, ADR 0007)")
    parser.add_argument("--per-tx", type=int, default=1)
    parser.add_argument("--large", type=int, default=2_000_000,
                        help="grow the log to this many entries for proofs and verification "
                        "(0: skip)")
    parser.add_argument("--proofs", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10,
                        help="phase 0: seconds of each timed run")
    parser.add_argument("--rounds", type=int, default=3,
                        help="phase 0: audited and unaudited runs, alternately (0: skip)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--postgres", metavar="ADMIN_URL")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'log.db'}", args)
    if args.postgres:
        name = f"confianza_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(
                hide_password=False)
            run(url, args)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
