"""How long the coverage dashboard takes at national scale (target: p95 under 500 ms).

Reads the national synthetic registry (~400,000 officers with evaluation histories) in
var/bench-national.db, building it first if it is missing (several minutes on SQLite; or build
it with `CONFIANZA_DATABASE_URL=sqlite:///var/bench-national.db .venv/bin/confianza demo
--scale national --replace --yes`). Then it times, with a national certification officer:
- the summary read from the database, the cost the kept summary saves each page (ADR 0017):
  national, and narrowed in the query to the largest state and the largest agency, as a
  caller without the kept summary reads it;
- the first /dashboard of a freshly started app, which waits for that read;
- whole requests through FastAPI's TestClient, with the app's kept summary: /dashboard national,
  by state (the largest), by agency (the largest), the htmx update of the sections when the
  state changes, /public/coverage national and by state, and /api/v1/dashboard. The caller is
  put in place of the session check (timed by roster_page.py), so a request is routing, the
  audited service call, the roll-up, the template and the response.
Prints p50/p95/max of wall-clock time and of this process's CPU time (the cost even on a busy
machine). The dashboards it reads add their audit entries to the database.

    .venv/bin/python benchmarks/dashboard_page.py [--db var/bench-national.db] [--runs 30]
        [--url DATABASE_URL]   (another database holding a national registry, e.g. PostgreSQL)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from _pages import Caller, measure_current, registry_options, report, timed
from fastapi.testclient import TestClient
from sqlalchemy import text

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, system_actor
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.app.web import create_app
from confianza.core.db import migrate
from confianza.dashboard.service import figures as dashboard
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate

TARGET_MS = 500
READER = Actor(None, "benchmark-dashboard", Role.CERTIFICATION_OFFICER, Scope(), ActorKind.USER)
LARGEST_AGENCY = text(
    "SELECT a.agency_id, g.state_code, COUNT(*) FROM assignments a "
    "JOIN agencies g ON g.id = a.agency_id WHERE a.end_date IS NULL AND g.state_code IS NOT NULL "
    "GROUP BY a.agency_id, g.state_code ORDER BY COUNT(*) DESC LIMIT 1")
LARGEST_STATE = text(
    "SELECT g.state_code, COUNT(*) FROM assignments a JOIN agencies g ON g.id = a.agency_id "
    "WHERE a.end_date IS NULL AND g.state_code IS NOT NULL GROUP BY g.state_code "
    "ORDER BY COUNT(*) DESC LIMIT 1")


def ensure_registry(url: str) -> Container:
    container = build(Settings(environment=Environment.TEST, database_url=url))
    if migrate.current_revision(container.engine) is None:
        migrate.upgrade(container.engine)
        print("building the national registry (several minutes) ...", flush=True)
        started = time.perf_counter()
        generate(container.uow(), system_actor("benchmark"), scale=Scale.NATIONAL, seed=2018,
                 issuer=container.issuer)
        print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
    return container


def measure(container: Container, runs: int) -> None:
    with container.engine.connect() as connection:
        officers = connection.execute(text("SELECT COUNT(*) FROM officers")).scalar_one()
        exams = connection.execute(text("SELECT COUNT(*) FROM evaluation_exams")).scalar_one()
        state, state_size = connection.execute(LARGEST_STATE).one()
        agency, agency_state, agency_size = connection.execute(LARGEST_AGENCY).one()
    print(f"{container.engine.dialect.name}: {officers:,} officers, {exams:,} exams; largest "
          f"state {state} ({state_size:,} holding a post), largest agency #{agency} "
          f"({agency_size:,}); {runs} runs each")

    print("the summary read from the database (what the kept summary saves):")
    loads = max(3, runs // 10)
    report("national", timed(lambda: dashboard.load_summary(container.uow()), loads,
                             warm=False))
    report(f"state {state} (narrowed in the query)", timed(
        lambda: dashboard.load_summary(container.uow(), state_code=state), loads))
    report(f"agency #{agency} (narrowed in the query)", timed(
        lambda: dashboard.load_summary(container.uow(), agency_id=agency), loads))

    app = create_app(container)
    Caller(app, READER)
    pages = [
        ("/dashboard national", "/dashboard", {}, True),
        (f"/dashboard state {state}", f"/dashboard?estado={state}", {}, False),
        (f"/dashboard agency #{agency}",
         f"/dashboard?estado={agency_state}&corporacion={agency}", {}, False),
        ("htmx: state changed", f"/dashboard?estado={state}",
         {"HX-Request": "true", "HX-Target": "dashboard-sections", "HX-Trigger-Name": "estado"},
         False),
        ("/public/coverage national", "/public/coverage", {}, True),
        (f"/public/coverage state {state}", f"/public/coverage?estado={state}", {}, False),
        ("/api/v1/dashboard national", "/api/v1/dashboard", {}, False),
    ]
    with TestClient(app) as client:
        started = time.perf_counter()
        first = client.get("/dashboard")
        assert first.status_code == 200, first.text[:500]
        print(f"first /dashboard of a fresh app (waits for the read): "
              f"{(time.perf_counter() - started) * 1000:,.0f} ms, "
              f"{len(first.content) / 1000:,.0f} kB of HTML")
        print("whole requests, with the app's kept summary:")
        for label, path, headers, mark in pages:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
            report(label, timed(lambda p=path, h=headers: client.get(p, headers=h), runs),
                   target_ms=TARGET_MS if mark else None)


def main() -> int:
    options = registry_options(__doc__, runs=30)
    if options.on_file:
        Path(options.db).parent.mkdir(parents=True, exist_ok=True)
    return measure_current(ensure_registry(options.url), options.url,
                           lambda container: measure(container, options.runs))


if __name__ == "__main__":
    sys.exit(main())
