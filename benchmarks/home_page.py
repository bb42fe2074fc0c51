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

import sys
from pathlib import Path

from _pages import Caller, measure_current, registry_options, report, timed
from fastapi.testclient import TestClient
from sqlalchemy import text

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.app.web import create_app
from confianza.home.service import panels as home

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
    homes_of = homes(container)
    app = create_app(container)
    caller = Caller(app, homes_of[0][1])
    htmx = {"HX-Request": "true"}
    with TestClient(app) as client:
        for label, actor in homes_of:
            caller.actor = actor
            view = home.home(container.uow(), actor, policy=container.policy)
            print(f"\n{label}: {describe(view)}")
            for what, action in (
                ("service", lambda actor=actor: home.home(container.uow(), actor,
                                                          policy=container.policy)),
                ("GET /", lambda: client.get("/")),
                ("GET /home/panels", lambda: client.get("/home/panels", headers=htmx)),
            ):
                report(what, timed(action, runs), width=16)
            page = client.get("/")
            assert page.status_code == 200, (label, page.status_code)


def main() -> int:
    options = registry_options(__doc__, runs=20)
    if options.on_file and not Path(options.db).exists():
        print(f"{options.db} does not exist: build the national registry first (see the top of "
              "this file).", file=sys.stderr)
        return 2
    container = build(Settings(environment=Environment.TEST, database_url=options.url))
    return measure_current(container, options.url,
                           lambda container: measure(container, options.runs))


if __name__ == "__main__":
    sys.exit(main())
