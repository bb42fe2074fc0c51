"""How long the officer profile takes to read for officers whose careers crossed many units.

    .venv/bin/python benchmarks/officer_profile.py [--db var/bench-national.db] [--runs 10]

The profile reads the officer once and the units of all its postings in one query, so its cost
does not grow with the number of units a career crossed (issue 14; the statement count is
pinned by tests/integration/services/test_officer_service.py). Times the use case alone
(`registry.service.officers.get_officer`, audited like any read) for the 50 officers with the
most distinct units, as a national registry clerk, `--runs` reads of each after one warm-up.
Uses the national registry the other page benchmarks build (`benchmarks/api_lookup.py
--rebuild`), or a demo-scale one in a temporary file when it is missing. Prints p50/p95/max in
milliseconds, of wall-clock and CPU time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _pages import report, timed  # noqa: E402
from sqlalchemy import text  # noqa: E402
from timeline_page import ROOT, open_registry  # noqa: E402

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope  # noqa: E402
from confianza.registry.service import officers as officer_service  # noqa: E402

MOST_UNITS = """
SELECT officer_id, COUNT(DISTINCT unit_id) FROM assignments WHERE unit_id IS NOT NULL
GROUP BY officer_id ORDER BY COUNT(DISTINCT unit_id) DESC, officer_id LIMIT 50
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-national.db"))
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        container, label = open_registry(Path(args.db), Path(folder))
        try:
            with container.engine.connect() as connection:
                rows = connection.execute(text(MOST_UNITS)).all()
            ids = [officer_id for officer_id, _ in rows]
            clerk = Actor(None, "bench.profile", Role.REGISTRY_CLERK, Scope(), ActorKind.SYSTEM)
            print(f"{label}: {len(ids)} officers whose careers crossed {rows[-1][1]} to "
                  f"{rows[0][1]} units; {args.runs} reads of each")

            wall: list[float] = []
            cpu: list[float] = []
            for officer_id in ids:
                w, c = timed(lambda officer_id=officer_id: officer_service.get_officer(
                    container.uow(), clerk, officer_id), args.runs)
                wall += w
                cpu += c
            report(f"profile ({len(wall)} reads)", (wall, cpu))
        finally:
            container.dispose()


if __name__ == "__main__":
    main()
