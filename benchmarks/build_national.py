"""How long the synthetic national registry (~400,000 officers with careers) takes to build.

Runs the same use case as `confianza demo --scale national` (services.synthetic.generate) into a
fresh temporary SQLite file and, with --postgres, into a fresh PostgreSQL database created on the
given server and dropped afterwards. Prints wall and CPU seconds and the rows written. With
--profile, writes a cProfile of the SQLite build and prints its top entries.

    python benchmarks/build_national.py [--scale national] [--seed 2018] [--profile]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from confianza.accounts.rules.permissions import system_actor
from confianza.app.bootstrap import build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate


def run(url: str, scale: Scale, seed: int, profile: Path | None = None) -> None:
    container = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        migrate.upgrade(container.engine)
        profiler = cProfile.Profile() if profile else None
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        report = generate(container.uow(), system_actor("benchmark"), scale=scale, seed=seed,
                          issuer=container.issuer)
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        container.dispose()
    rows = sum(report.counts.values())
    print(f"{container.engine.dialect.name}: {wall:.1f} s wall, {cpu:.1f} s CPU (this process), "
          f"{rows:,} rows, {rows / wall:,.0f} rows/s")
    for table, count in report.counts.items():
        print(f"  {table:<17} {count:>10,}")
    if profiler and profile:
        profiler.dump_stats(profile)
        pstats.Stats(str(profile)).sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=Scale, default=Scale.NATIONAL, choices=list(Scale))
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--profile", action="store_true", help="cProfile the SQLite build")
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="also build on this server")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "build.prof" if args.profile else None
        database = Path(folder) / "national.db"
        run(f"sqlite:///{database}", args.scale, args.seed, profile)
        print(f"  file size         {database.stat().st_size / 1e6:>10,.0f} MB")

    if args.postgres:
        name = f"confianza_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres).set(database=name)
            run(url.render_as_string(hide_password=False), args.scale, args.seed)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
