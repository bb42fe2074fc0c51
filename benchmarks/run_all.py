"""Run every benchmark in turn (`make bench`); each prints its own figures.

Pass extra arguments through the environment instead of flags so `make bench` stays one command:
CONFIANZA_BENCH_CHICAGO=/path/to/roster_1985-2023.csv.gz adds the real Chicago roster import
and has the side-by-side comparison with the code at ceabecd built on that roster (instead of
each code's demo); CONFIANZA_BENCH_POSTGRES=<admin URL> runs that comparison on PostgreSQL too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ["build_national.py"],
    ["import_csv.py"],
    ["api_lookup.py", "--rebuild"],
    ["roster_page.py"],
    # Reuses the national registry api_lookup.py just built in var/bench-national.db.
    ["certification_lists.py"],
    # Each role's home page, on the same national registry.
    ["home_page.py"],
    # The officer profile of the most travelled careers, on that same national registry.
    ["officer_profile.py"],
    # The officer profile page served by uvicorn, 4 clients: req/s and the server's CPU per
    # profile (a demo-scale registry of its own, var/bench-profile.db).
    ["profile_page.py"],
    # The officer timeline of a well-travelled officer, on that same national registry.
    ["timeline_page.py"],
    # The coverage dashboard (national, by state, by agency) and its public page, same registry.
    ["dashboard_page.py"],
    # Every page of the web app, found from its routes, as the account that would open it.
    ["all_pages.py"],
    ["record_exam.py"],
    # 1,000,000 entries by concurrent writers, then a 2,000,000-entry log proved and verified.
    ["audit_log.py"],
    # CUP credentials: checks with the status included on one core; signing the national force.
    ["credential_verify.py"],
    ["credential_issue.py"],
    # People matched across sources: FEBRL 1, then the national registry (its own file,
    # var/bench-identities.db, built on first use) against a 50,000-row roster with planted
    # duplicates; precision, recall and time at the default threshold.
    ["identity_match.py"],
    # The roster refresh: the national registry (var/bench-refresh.db, built on first use)
    # refreshed from a complete national roster with 2% of people changed; dry run, refresh,
    # and the same file again, beside the bare read of the file.
    ["roster_refresh.py"],
    # The integrity cases' pages (queue, case file, the record's section, intake and finding
    # forms) under each entitled role, on a demo-scale registry with open cases of its own
    # (var/bench-integrity.db, built on first use; with ../shared/data/chicago, the Chicago
    # complaints as imported cases too).
    ["integrity_pages.py"],
    # Early intervention at national scale through the registry (its own file,
    # var/bench-risk-national-401607.db, built on first use): `confianza risk score`'s service
    # and one flag's page read.
    ["risk_national.py"],
    # The code at ceabecd and this code served side by side, in alternate rounds (its first run
    # checks ceabecd out under var/ and installs it in a venv of its own).
    ["side_by_side.py"],
    # Asset declarations: 100,000 S1 documents imported by the command, then every check over
    # the national registry's latest two declarations (about 800,000), SQLite and PostgreSQL.
    ["declarations.py"],
    # Insider detection: a national day of 2,000,000 reads explained and scored, with four
    # weeks of lookback as running state (the national registry in var/bench-access.db, built
    # on first use, and the day's trail written into it once).
    ["access_detect.py"],
]


def main() -> int:
    failures = 0
    chicago = os.environ.get("CONFIANZA_BENCH_CHICAGO")
    postgres = os.environ.get("CONFIANZA_BENCH_POSTGRES")
    plan = [list(step) for step in BENCHMARKS]
    for step in plan:
        if step[0] == "side_by_side.py":
            step += ["--chicago", chicago] if chicago else []
            step += ["--postgres", postgres] if postgres else []
    if chicago:
        plan.append(["import_csv.py", "--chicago", chicago])
    for script, *args in plan:
        print(f"\n=== {script} {' '.join(args)}", flush=True)
        code = subprocess.call([sys.executable, str(HERE / script), *args])
        if code != 0:
            print(f"{script} failed with exit code {code}", file=sys.stderr)
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
