"""How fast the tamper-evident log takes entries and answers proofs.

1. Writers: THREADS threads each run small transactions that append audit entries (PER_TX per
   transaction, as a request writes one or a few), through the unit of work and the audit
   repository, while one more thread integrates the tree in batches. Prints entries/s written
   and integrated over the whole run (targets: 5,000/s on SQLite, 3,000/s on PostgreSQL).
2. Proofs: on the resulting log, random inclusion proofs (the service, one read-only transaction
   each: proofs are public and leave no audit entry) and their verification; prints p50/p95.

    python benchmarks/audit_log.py [--entries 1000000] [--threads 8] [--per-tx 1]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.bootstrap import Container, build
from confianza.domain.audit import PendingEntry
from confianza.domain.merkle_proofs import verify_inclusion
from confianza.persistence import migrate
from confianza.services import transparency
from confianza.settings import Environment, Settings


def run(url: str, entries: int, threads: int, per_tx: int, proofs: int) -> None:
    container = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        migrate.upgrade(container.engine)
        write(container, entries, threads, per_tx)
        prove(container, proofs)
    finally:
        container.dispose()


def write(container: Container, entries: int, threads: int, per_tx: int) -> None:
    per_thread = entries // threads // per_tx
    done = threading.Event()

    def writer(k: int) -> None:
        uow = container.uow()
        for i in range(per_thread):
            with uow.transaction() as tx:
                tx.audit.write_many([
                    PendingEntry("bench", "user", "officer:identity:read", "officer",
                                 str(k * 10**7 + i * per_tx + j), detail={"results": [i]})
                    for j in range(per_tx)
                ])

    def integrator() -> None:
        while not done.is_set():
            transparency.integrate(container.uow())
            time.sleep(0.05)

    started = time.perf_counter()
    pool = [threading.Thread(target=writer, args=(k,)) for k in range(threads)]
    folding = threading.Thread(target=integrator)
    folding.start()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    written = time.perf_counter() - started
    done.set()
    folding.join()
    head = transparency.integrate(container.uow())
    total = time.perf_counter() - started
    print(f"{container.engine.dialect.name}: {head.size:,} entries by {threads} threads "
          f"({per_tx} per transaction): written in {written:.1f} s ({head.size / written:,.0f}/s);"
          f" integrated too in {total:.1f} s ({head.size / total:,.0f}/s)", flush=True)


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
          f"{times[int(len(times) * 0.95)] * 1000:.2f} ms ({count} proofs, each verified)",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-tx", type=int, default=1)
    parser.add_argument("--proofs", type=int, default=2000)
    parser.add_argument("--postgres", metavar="ADMIN_URL")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'log.db'}", args.entries, args.threads, args.per_tx,
            args.proofs)
    if args.postgres:
        name = f"confianza_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(
                hide_password=False)
            run(url, args.entries, args.threads, args.per_tx, args.proofs)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
