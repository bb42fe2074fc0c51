"""How long each role's home page takes at national scale (target: well under 300 ms).

Reads the national synthetic registry (~400,000 officers with evaluation histories) that
api_lookup.py builds in var/bench-national.db; it does not build it. Without it, build it first
(a few minutes on SQLite):

    CONFIANZA_DATABASE_URL=sqlite:///var/bench-national.db \\
        .venv/bin/confianza demo --scale national --replace --yes
    (or: .venv/bin/python benchmarks/api_lookup.py --rebuild, which then times its lookups)

For each role, with the scopes its accounts have (agency HR on the largest agency, on the
largest state and national; the examiner with the most exams pending; ...), it times
- the service alone: services.home.home, the home's one transaction, audit entries included;
- the whole request, GET / through FastAPI's TestClient (routing, the service, the templates),
  with the caller put in place of the session check (timed by roster_page.py);
- the htmx refresh, GET /home/panels as htmx asks for it.
It prints p50/p95/max of wall-clock and of this process's CPU time (the cost even on a busy
machine), and each panel's count. The homes it reads add their audit entries to the database.

    .venv/bin/python benchmarks/home_page.py [--db var/bench-national.db] [--runs 20]
        [--url DATABASE_URL]   (another database holding a national registry, e.g. PostgreSQL)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import text

from confianza.bootstrap import Container, build
from confianza.domain.permissions import Actor, ActorKind, Role, Scope, ScopeKind
from confianza.persistence import migrate
from confianza.services import home
from confianza.settings import Environment, Settings
from confianza.web.app import create_app
from confianza.web.ui import common

ROOT = Path(__file__).resolve().parent.parent
BUSIEST_EXAMINER = text(
    "SELECT x.examiner_id, COUNT(*) FROM evaluation_exams x "
    "JOIN evaluations e ON e.id = x.evaluation_id "
    "WHERE x.recorded_at IS NULL AND e.status = 'scheduled' "
    "GROUP BY x.examiner_id ORDER BY COUNT(*) DESC LIMIT 1")
LARGEST_AGENCY = text(
    "SELECT a.agency_id, g.code, COUNT(*) FROM assignments a JOIN agencies g ON g.id = a.agency_id "
    "WHERE a.end_date IS NULL GROUP BY a.agency_id, g.code ORDER BY COUNT(*) DESC LIMIT 1")
LARGEST_STATE = text(
    "SELECT g.state_code, COUNT(*) FROM assignments a JOIN agencies g ON g.id = a.agency_id "
    "WHERE a.end_date IS NULL AND g.state_code IS NOT NULL GROUP BY g.state_code "
    "ORDER BY COUNT(*) DESC LIMIT 1")
A_PERSON = text("SELECT id, username FROM users WHERE role = :role ORDER BY id LIMIT 1")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"p50 {statistics.median(ordered) * 1000:6.1f}  p95 {p95 * 1000:6.1f}  "
            f"max {ordered[-1] * 1000:6.1f} ms")


def timed(action: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    action()  # warm-up: templates compiled, connections open, pages cached
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def homes(container: Container) -> list[tuple[str, Actor]]:
    """The accounts whose homes are timed: each role, in the scopes that cost the most."""
    with container.engine.connect() as connection:
        agency_id, agency_code, agency_size = connection.execute(LARGEST_AGENCY).one()
        state, state_size = connection.execute(LARGEST_STATE).one()
        examiner = connection.execute(BUSIEST_EXAMINER).first()

        def person(role: Role) -> tuple[int | None, str]:
            found = connection.execute(A_PERSON, {"role": role.value}).first()
            return (int(found[0]), str(found[1])) if found else (None, f"bench-{role.value}")

        people = {role: person(role) for role in Role}
    if examiner is not None:
        people[Role.EXAMINER] = (int(examiner[0]), f"examiner #{examiner[0]}")
    national, in_state = Scope(), Scope(ScopeKind.STATE, str(state))
    in_agency = Scope(ScopeKind.AGENCY, agency_id=int(agency_id))

    def who(role: Role, scope: Scope, label: str) -> tuple[str, Actor]:
        user_id, username = people[role]
        return f"{role.value} ({label})", Actor(user_id, username, role, scope, ActorKind.USER)

    return [
        who(Role.REGISTRY_CLERK, national, "national"),
        who(Role.AGENCY_HR, in_agency, f"{agency_code}, {agency_size:,} on duty"),
        who(Role.AGENCY_HR, in_state, f"state {state}, {state_size:,} on duty"),
        who(Role.AGENCY_HR, national, "national"),
        who(Role.CENTRE_COORDINATOR, in_state, f"state {state}"),
        who(Role.CENTRE_COORDINATOR, national, "national"),
        who(Role.EXAMINER, national, f"{examiner[1] if examiner else 0} exams pending"),
        who(Role.CERTIFICATION_OFFICER, in_state, f"state {state}"),
        who(Role.CERTIFICATION_OFFICER, national, "national"),
        who(Role.INTERNAL_AFFAIRS, national, "national"),
        who(Role.AUDITOR, in_state, f"state {state}"),
        who(Role.AUDITOR, national, "national"),
        who(Role.ADMINISTRATOR, national, "national"),
    ]


def describe(view: home.Home) -> str:
    def figure(panel: home.Panel) -> str:
        return f"{panel.count:,}{'+' if panel.capped else ''}"

    return ", ".join(f"{p.name.value} {figure(p)}" for p in view.panels)


def measure(container: Container, runs: int) -> None:
    with container.engine.connect() as connection:
        officers = connection.execute(text("SELECT COUNT(*) FROM officers")).scalar_one()
        entries = connection.execute(text("SELECT MAX(seq) FROM audit_entries")).scalar_one()
    print(f"{container.engine.dialect.name}: {officers:,} officers, {entries or 0:,} audit "
          f"entries; {runs} runs each")
    app = create_app(container)
    current: list[Actor] = []

    def signed_in(request: Request) -> Actor:
        # The caller, as the session check would leave it (that check is the same on every page).
        request.state.actor = current[0]
        request.state.csrf_token = "benchmark"
        return current[0]

    app.dependency_overrides[common.page_actor] = signed_in
    htmx = {"HX-Request": "true"}
    with TestClient(app) as client:
        for label, actor in homes(container):
            current[:] = [actor]
            view = home.home(container.uow(), actor)
            print(f"\n{label}: {describe(view)}")
            for what, action in (
                ("service", lambda actor=actor: home.home(container.uow(), actor)),
                ("GET /", lambda: client.get("/")),
                ("GET /home/panels", lambda: client.get("/home/panels", headers=htmx)),
            ):
                wall, cpu = timed(action, runs)
                print(f"  {what:<16} wall {percentiles(wall)}   cpu {percentiles(cpu)}",
                      flush=True)
            page = client.get("/")
            assert page.status_code == 200, (label, page.status_code)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-national.db"))
    parser.add_argument("--url", help="a database URL holding a national registry instead")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{args.db}"
    if not args.url and not Path(args.db).exists():
        print(f"{args.db} does not exist: build the national registry first (see the top of "
              "this file).", file=sys.stderr)
        return 2
    container = build(Settings(environment=Environment.TEST, database_url=url))
    try:
        if migrate.current_revision(container.engine) != migrate.head_revision():
            print(f"{url} is not at the current schema: rebuild it (see the top of this file).",
                  file=sys.stderr)
            return 2
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        measure(container, args.runs)
    finally:
        container.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
