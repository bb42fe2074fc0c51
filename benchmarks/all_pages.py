"""Server time of every page of the web app on the national registry (target: p95 under 300 ms;
the national dashboard under 500 ms).

    .venv/bin/python benchmarks/all_pages.py [--db var/bench-national.db] [--requests 20]
        [--only /dashboard] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Finds the pages by walking the app's routes (every GET outside /api and /static), so a new page
is measured without anyone adding it here. Each demo account (`confianza demo --scale national`
made them; their passwords are set to a known one in this copy of the registry) signs in through
the form; a page is measured as the first account, in the order below, that may open it, with
its path parameters taken from that account's own work (the examiner's own exam, the
certification officer's pending decision, an officer of the HR account's agency...). Every
request goes through the whole app in this process (FastAPI's TestClient: routing, session,
the audited service call, the query, the template); the figure is wall time per request.
Prints p50/p95/max per page and marks those over their target.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("CONFIANZA_ENVIRONMENT", "development")

from _pages import NATIONAL_DB, sign_in, timed  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from confianza.app.bootstrap import build  # noqa: E402
from confianza.app.settings import Settings  # noqa: E402
from confianza.app.web import create_app, served_routes  # noqa: E402

CONFIANZA = str(Path(sys.executable).parent / "confianza")
PASSWORD = "benchmark-password-long-2026"
# Who opens a page, in order of preference: the first account the page lets in is measured.
ACCOUNTS = (
    "demo-registry-clerk", "demo-agency-hr", "demo-examiner", "demo-centre-coordinator",
    "demo-certification-officer", "demo-internal-affairs", "demo-auditor", "demo-administrator",
)
# The account a page is for, by its address: it is measured as that account when it may open it.
OWNER = (
    ("/exams", "demo-examiner"), ("/scheduling", "demo-centre-coordinator"),
    ("/decisions", "demo-certification-officer"), ("/access", "demo-auditor"),
    ("/certification/evaluations", "demo-agency-hr"),
    ("/certification/separations", "demo-agency-hr"),
    ("/certification/notifications", "demo-agency-hr"),
)
# Files a person downloads rather than pages: measured and shown apart, against no target.
DOWNLOADS = (".csv", ".pdf")
TARGET_MS = 300.0
DASHBOARD_TARGET_MS = 500.0
# Not pages: machine files, a health check, a file download by hash.
SKIP = re.compile(r"^/(healthz|\.well-known/|credentials/status/|log/)|/files/")
# Pages worth measuring with their common query, besides their bare address.
QUERIES = {
    "/officers": ["?nombre=Hern%C3%A1ndez", "?curp={curp}"],
    "/access/users": ["?usuario=demo-registry-clerk"],
}


def build_registry(url: str) -> None:
    print(f"building the national registry in {url} (several minutes) ...", flush=True)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([CONFIANZA, "demo", "--scale", "national", "--replace", "--yes"],
                   env={**os.environ, "CONFIANZA_DATABASE_URL": url}, check=True,
                   stdout=subprocess.DEVNULL)


def set_passwords(url: str) -> None:
    """The demo printed random passwords once; this copy gets a known one for each account."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET password_hash = :h WHERE username LIKE 'demo-%'"),
                           {"h": PasswordHasher().hash(PASSWORD)})
    engine.dispose()


def samples(url: str) -> dict[str, dict[str, str]]:
    """Path parameters per account: each account's own work where the page is about it."""
    engine = create_engine(url)
    found: dict[str, dict[str, str]] = {}
    with engine.connect() as c:
        def one(sql: str, **params: Any) -> Any:
            return c.execute(text(sql), params).scalar()

        hr_agency = one("SELECT scope_agency_id FROM users WHERE username='demo-agency-hr'")
        # An officer with a long career, in the HR account's agency when it has one.
        officer = one(
            "SELECT a.officer_id FROM assignments a JOIN assignments b "
            "ON b.officer_id = a.officer_id WHERE a.end_date IS NULL "
            + ("AND a.agency_id = :agency " if hr_agency else "")
            + "GROUP BY a.officer_id ORDER BY COUNT(*) DESC LIMIT 1", agency=hr_agency)
        curp = one("SELECT curp FROM officers WHERE id = :o", o=officer) or ""
        agency = hr_agency or one("SELECT agency_id FROM assignments WHERE officer_id = :o",
                                  o=officer)
        base = {"officer_id": str(officer), "agency_id": str(agency), "curp": curp}
        decided = one("SELECT id FROM evaluations WHERE status = 'awaiting_decision' "
                      "ORDER BY id LIMIT 1")
        appealable = one("SELECT e.id FROM evaluations e JOIN appeals p ON p.evaluation_id = "
                         "e.id ORDER BY e.id DESC LIMIT 1")
        exam = c.execute(text(
            "SELECT x.evaluation_id, x.exam_type FROM evaluation_exams x JOIN users u ON "
            "u.id = x.examiner_id WHERE u.username = 'demo-examiner' AND x.recorded_at IS NULL "
            "ORDER BY x.scheduled_on LIMIT 1")).first()
        booked = one("SELECT id FROM evaluations WHERE status IN ('requested', 'scheduled') "
                     "ORDER BY id LIMIT 1")
        for account in ACCOUNTS:
            found[account] = dict(base)
        found["demo-examiner"].update(
            {"evaluation_id": str(exam[0]), "exam_type": exam[1]} if exam else {})
        found["demo-centre-coordinator"]["evaluation_id"] = str(booked)
        found["demo-certification-officer"]["evaluation_id"] = str(decided)
        found["demo-agency-hr"]["evaluation_id"] = str(appealable)
    engine.dispose()
    return found


def page_paths(app: FastAPI) -> list[str]:
    return sorted({path for method, path in served_routes(app)
                   if method == "GET" and not path.startswith(("/api", "/static"))
                   and not SKIP.search(path)})


def fill(path: str, values: dict[str, str]) -> str | None:
    names = re.findall(r"{(\w+)}", path)
    if any(name not in values or values[name] in ("", "None") for name in names):
        return None
    return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=str(NATIONAL_DB))
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", help="measure only the pages whose path starts with this")
    parser.add_argument("--postgres", help="a PostgreSQL server URL: build the national registry "
                        "in a fresh database `confianza_bench_pages` there (about 3 minutes), "
                        "measure, and drop it")
    args = parser.parse_args()
    if args.postgres:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = "confianza_bench_pages"
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(
                hide_password=False)
            build_registry(url)
            with create_engine(url, isolation_level="AUTOCOMMIT").connect() as connection:
                connection.execute(text("ANALYZE"))  # as autovacuum would, after a bulk load
            measure_pages(url, args)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        return
    url = f"sqlite:///{args.db}"
    if not Path(args.db).exists():
        build_registry(url)
    measure_pages(url, args)


def measure_pages(url: str, args: argparse.Namespace) -> None:
    set_passwords(url)
    values = samples(url)
    container = build(Settings(database_url=url))
    app = create_app(container)
    clients: dict[str, TestClient] = {}
    for account in ACCOUNTS:
        clients[account] = TestClient(app, base_url="https://testserver")
        sign_in(clients[account], account, PASSWORD)
    anonymous = TestClient(app, base_url="https://testserver")
    with container.engine.connect() as c:
        officers = c.execute(text("SELECT COUNT(*) FROM officers")).scalar_one()
    print(f"{officers:,} officers on {url}; {args.requests} requests per page after one warm-up")
    print(f"  {'page':<58} {'as':<28} {'p50':>6} {'p95':>6} {'max':>6}  (ms)")
    slow = 0
    for path in page_paths(app):
        if args.only and not path.startswith(args.only):
            continue
        variants = [path] + [path + q for q in QUERIES.get(path, [])]
        for variant in variants:
            opened = False
            owner = next((who for prefix, who in OWNER if path.startswith(prefix)), None)
            order = [None, *([owner] if owner else []), *(a for a in ACCOUNTS if a != owner)]
            for account in order:
                client = anonymous if account is None else clients[account]
                target = fill(variant, values[account or ACCOUNTS[0]])
                if target is None:
                    continue
                if client.get(target, follow_redirects=False).status_code != 200:
                    continue
                # Warmed first: templates compiled, statements prepared, pages cached.
                wall, _ = timed(lambda t=target, c=client: c.get(t), args.requests)
                times = [seconds * 1000 for seconds in wall]
                p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
                limit = DASHBOARD_TARGET_MS if path.startswith("/dashboard") else TARGET_MS
                flag = "  OVER" if p95 > limit else ""
                if path.endswith(DOWNLOADS):
                    flag = "  (a download)"
                slow += flag == "  OVER"
                print(f"  {variant[:58]:<58} {account or 'anyone':<28} "
                      f"{statistics.median(times):>6.0f} {p95:>6.0f} {max(times):>6.0f}{flag}",
                      flush=True)
                opened = True
                break
            if not opened:
                print(f"  {variant[:58]:<58} (no account could open it with the samples)")
    print(f"{slow} page(s) over target" if slow else "every page within target")
    container.dispose()


if __name__ == "__main__":
    main()
