"""How long an officer's timeline takes to serve on the national registry (target: every page's
server time under 300 ms p95).

    .venv/bin/python benchmarks/timeline_page.py [--db var/bench-national.db] [--requests 30]

Uses the national synthetic registry (~400,000 officers with careers, evaluations, certificates,
credentials and appeals) in `--db`: the file `benchmarks/certification_lists.py` and
`benchmarks/api_lookup.py --rebuild` build and reuse, or build it with
`CONFIANZA_DATABASE_URL=sqlite:///var/bench-national.db confianza demo --scale national`. When the
file is missing, the benchmark says so and runs on the demo-scale registry (~12,000 officers,
seconds) built in a temporary file instead.

Picks the most travelled officer (most evaluations, then postings, badges, certificates and
appeals), signs national accounts of three roles in through the login form, and times through
FastAPI's TestClient, end to end: the page as a registry clerk (assignments, evaluations,
decisions, certificates, appeals), as a certification officer (and every exam result), and as
an auditor (and the accesses, read from a window of the audit trail); the htmx fragment of one
kind; the JSON route. Then the service call alone, the accesses of a record few have read (the
whole scan budget of the trail is examined) and the template alone, so a slow figure says where
the time went. Prints p50/p95/max in milliseconds, of wall-clock time and of the process's
CPU time. Every read is audited: each request adds one entry to the registry's trail.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _pages import sign_in, timed  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from roster_page import report  # noqa: E402  (the same figures)
from sqlalchemy import text  # noqa: E402

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, system_actor  # noqa: E402
from confianza.accounts.service import users as user_service
from confianza.app import rendering as common
from confianza.app.bootstrap import Container, build  # noqa: E402
from confianza.app.settings import Environment, Settings  # noqa: E402
from confianza.app.web import create_app  # noqa: E402
from confianza.core.db import migrate
from confianza.core.web.strings import timeline as strings_timeline
from confianza.demo.rules.force import Scale  # noqa: E402
from confianza.demo.service import generate  # noqa: E402
from confianza.timeline import pages as timeline_pages
from confianza.timeline import service as timeline_service

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-password-2026"
ROLES = (Role.REGISTRY_CLERK, Role.CERTIFICATION_OFFICER, Role.AUDITOR)
# Officers with the most evaluations are few; among them, the longest record wins.
TRAVELLED = """
WITH most AS (
    SELECT officer_id, COUNT(*) AS evaluations FROM evaluations
    GROUP BY officer_id ORDER BY COUNT(*) DESC, officer_id LIMIT 200
)
SELECT m.officer_id,
       m.evaluations
       + (SELECT COUNT(*) FROM assignments a WHERE a.officer_id = m.officer_id)
       + (SELECT COUNT(*) FROM badges b WHERE b.officer_id = m.officer_id)
       + (SELECT COUNT(*) FROM cup_certificates c WHERE c.officer_id = m.officer_id)
       + (SELECT COUNT(*) FROM appeals p JOIN evaluations e ON e.id = p.evaluation_id
          WHERE e.officer_id = m.officer_id) AS facts
FROM most m ORDER BY facts DESC, m.officer_id LIMIT 2
"""


def open_registry(db: Path, folder: Path) -> tuple[Container, str]:
    """The national registry at `db`, or a demo-scale one built in `folder` when it is absent."""
    if db.exists():
        container = build(Settings(environment=Environment.TEST,
                                   database_url=f"sqlite:///{db}"))
        if migrate.current_revision(container.engine) != migrate.head_revision():
            container.dispose()
            raise SystemExit(f"{db} is not at the current schema revision; rebuild it with "
                             "benchmarks/certification_lists.py --rebuild")
        return container, f"national registry {db}"
    print(f"{db} is missing: build it with benchmarks/certification_lists.py (or "
          "`confianza demo --scale national` into it). Running on the demo scale instead.")
    url = f"sqlite:///{folder / 'demo.db'}"
    container = build(Settings(environment=Environment.TEST, database_url=url))
    migrate.upgrade(container.engine)
    started = time.perf_counter()
    generate(container.uow(), system_actor("benchmark"), scale=Scale.DEMO, seed=2018,
             issuer=container.issuer)
    print(f"built the demo-scale registry in {time.perf_counter() - started:.1f} s")
    return container, "demo-scale registry (temporary)"


def account(container: Container, role: Role) -> Actor:
    """A national account of `role` for the benchmark, made on the first run and reused."""
    username = f"bench.timeline.{role.value}".replace("_", "-")
    with container.uow().transaction(read_only=True) as tx:
        found = tx.users.by_username(username)
    user = found[0] if found else user_service.create_user(
        container.uow(), system_actor("benchmark"),
        user_service.NewUser(username, "Benchmark", PASSWORD, role, Scope()))
    return user_service.actor_for(user, ActorKind.USER)


def run(container: Container, label: str, requests: int) -> None:
    with container.engine.connect() as connection:
        (officer_id, facts), (unread, _) = connection.execute(text(TRAVELLED)).all()
        trail = connection.execute(text("SELECT COUNT(*) FROM audit_entries")).scalar_one()
        # Each timeline read is an entry on the record, so runs make the accesses heavier.
        on_record = connection.execute(text(
            "SELECT COUNT(*) FROM audit_entries WHERE resource_type = 'officer' "
            "AND resource_id = :id"), {"id": str(officer_id)}).scalar_one()
    actors = {role: account(container, role) for role in ROLES}
    auditor = actors[Role.AUDITOR]
    whole = timeline_service.officer_timeline(container.uow(), auditor, officer_id)
    print(f"[{label}] officer {officer_id}: {facts} records; the auditor's timeline holds "
          f"{len(whole.events)} events in {len(whole.by_year())} years; trail of {trail:,} "
          f"entries ({on_record:,} on this record), accesses read from the newest "
          f"{timeline_service.ACCESS_SCAN:,}")
    path = f"/officers/{officer_id}/timeline"
    with TestClient(create_app(container)) as client:
        for role, actor in actors.items():
            sign_in(client, actor.username, PASSWORD)
            first = client.get(path)
            assert first.status_code == 200, first.status_code
            events = first.text.count('<li class="timeline-event')
            print(f"[{label}] {path} as {role.value}: {events} events, "
                  f"{len(first.content) / 1e3:.0f} kB of HTML")
            report(label, f"page {role.value[:12]}", timed(lambda: client.get(path), requests))
        fragment = {"HX-Request": "true", "HX-Target": timeline_pages.EVENTS_TARGET}
        report(label, "htmx: decisions", timed(
            lambda: client.get(path, params={"tipo": "decisions"}, headers=fragment), requests))
        report(label, "api (auditor)", timed(
            lambda: client.get(f"/api/v1{path}"), requests))

    report(label, "service (auditor)", timed(
        lambda: timeline_service.officer_timeline(container.uow(), auditor, officer_id),
        requests))
    # The accesses of a record that few have read are looked for through the whole scan budget:
    # the runner-up officer's, read without an entry so that runs do not change it.
    with container.uow().transaction(read_only=True) as tx:
        found, down_to, _ = timeline_service.recent_accesses(tx, unread)
        print(f"[{label}] officer {unread}: {len(found)} accesses in the trail down to "
              f"entry {down_to:,}")
        report(label, "accesses, unread", timed(
            lambda: timeline_service.recent_accesses(tx, unread), requests))
    template = common.ENV.get_template("timeline/page.html")

    def render() -> str:
        return template.render({
            "request": None, "actor": auditor, "csrf_token": "x", "request_id": "bench",
            "path": path, "officer": whole.officer, "officer_id": officer_id,
            "timeline": whole, "error": None, "tipo": "",
            "years": [(y.year, [timeline_pages.line_of(e, officer_id) for e in y.events])
                      for y in whole.by_year()],
            "choices": [(s.value, strings_timeline.TIMELINE_SECTION[s.value])
                        for s in whole.shown],
            "access_limit": timeline_service.ACCESS_LIMIT, "accesses": True,
        })

    report(label, "lines + template", timed(render, requests))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench-national.db")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        container, label = open_registry(args.db, Path(folder))
        print(f"timeline pages on the {label}")
        try:
            run(container, "sqlite", args.requests)
        finally:
            container.dispose()


if __name__ == "__main__":
    main()
