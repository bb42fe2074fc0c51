"""Building the tiny synthetic registry on both databases, checked in the database itself."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from confianza.accounts.rules.permissions import Actor, Role
from confianza.accounts.service.users import sign_in
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.core.errors import Conflict, Forbidden
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate, registry_is_empty, scale_size
from confianza.kit.curp import validate_curp
from confianza.registry.rules.name_search import name_words
from confianza.registry.service.officers import OfficerQuery, search_officers
from conftest import FakeClock, actor

REGISTRY = ("agencies", "units", "officers", "assignments", "badges", "officer_contacts")


def _scalar(container: Container, sql: str) -> object:
    with container.engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_tiny_registry_keeps_every_invariant(container: Container, operator: Actor) -> None:
    assert registry_is_empty(container.uow())
    report = generate(container.uow(), operator, issuer=container.issuer, scale=Scale.TINY, seed=5)
    assert not registry_is_empty(container.uow())
    assert report.counts["officers"] == scale_size(Scale.TINY)
    for table in REGISTRY:
        assert _scalar(container, f"SELECT COUNT(*) FROM {table}") == report.counts[table]
    with container.engine.connect() as connection:
        curps = [r[0] for r in connection.execute(text("SELECT curp FROM officers"))]
        pf = connection.execute(text(
            "SELECT p.dissolved_on, g.code FROM agencies p JOIN agencies g "
            "ON g.id = p.merged_into_id WHERE p.code = 'PF'")).one()
        entries = connection.execute(text(
            "SELECT detail FROM audit_entries WHERE action = 'registry:demo:build'")).all()
    assert all(validate_curp(c) == c for c in curps)
    assert str(pf[0]) == "2019-06-30" and pf[1] == "GN"
    # The build's entry counts the rows it loaded; the credentials signed afterwards (when a
    # key is configured, as in the tests) are each an entry of their own, and the declarations
    # filed afterwards one entry (declaration:demo:file).
    built = {k: v for k, v in report.counts.items()
             if k not in ("cup_credentials", "declarations")}
    assert len(entries) == 1 and json.loads(entries[0][0])["counts"] == built
    assert report.counts["cup_credentials"] > 0
    assert _scalar(container, "SELECT COUNT(*) FROM audit_entries "
                   "WHERE action = 'credential:record:issue' AND resource_type = 'certificate'"
                   ) == report.counts["cup_credentials"]
    assert _scalar(container, "SELECT COUNT(*) FROM officers o WHERE NOT EXISTS "
                   "(SELECT 1 FROM assignments a WHERE a.officer_id = o.id)") == 0
    assert _scalar(container, "SELECT COUNT(*) FROM officers o JOIN assignments a "
                   "ON a.officer_id = o.id AND a.end_date IS NULL "
                   "WHERE o.status IN ('separated', 'deceased')") == 0
    assert _scalar(container, "SELECT COUNT(*) FROM officers o WHERE o.status = 'active' AND "
                   "NOT EXISTS (SELECT 1 FROM assignments a WHERE a.officer_id = o.id "
                   "AND a.end_date IS NULL)") == 0
    # Full-time postings never overlap; a task force secondment runs beside one (ADR 0025).
    overlaps = ("SELECT COUNT(*) FROM assignments a JOIN assignments b ON "
                "a.officer_id = b.officer_id AND a.id < b.id AND a.start_date < "
                "COALESCE(b.end_date, '9999-12-31') AND b.start_date < "
                "COALESCE(a.end_date, '9999-12-31')")
    assert _scalar(container, overlaps + " WHERE a.kind = 'full_time' AND "
                   "b.kind = 'full_time'") == 0
    assert _scalar(container, overlaps + " WHERE a.kind = 'task_force' AND "
                   "a.end_date IS NULL") > 0
    assert _scalar(container, "SELECT COUNT(*) FROM assignments "
                   "WHERE start_date >= '2026-11-20' OR end_date > '2026-11-20'") == 0
    # The profile has leaves, dismissals and resignations in lieu of one to show.
    for condition in ("status = 'on_leave'", "end_reason = 'dismissal'",
                      "end_reason = 'in_lieu_of_dismissal'"):
        assert _scalar(container, f"SELECT COUNT(*) FROM assignments WHERE {condition}"), (
            condition)
    # Every officer's history ends in the status they hold, and begins on joining.
    assert _scalar(container, "SELECT COUNT(*) FROM officers o WHERE o.status <> (SELECT "
                   "h.status FROM officer_status_changes h WHERE h.officer_id = o.id "
                   "ORDER BY h.effective_on DESC, h.id DESC LIMIT 1)") == 0
    assert _scalar(container, "SELECT COUNT(DISTINCT officer_id) FROM officer_status_changes"
                   ) == report.counts["officers"]


def test_roster_search_finds_generated_officers(container: Container, operator: Actor) -> None:
    generate(container.uow(), operator, issuer=container.issuer, scale=Scale.TINY, seed=5)
    with container.engine.connect() as connection:
        surname, officer_id = connection.execute(text(
            "SELECT first_surname, id FROM officers o WHERE EXISTS (SELECT 1 FROM assignments a "
            "WHERE a.officer_id = o.id AND a.end_date IS NULL) ORDER BY id LIMIT 1")).one()
    page = search_officers(container.uow(), actor(Role.REGISTRY_CLERK),
                           OfficerQuery(name=surname), limit=500)
    assert officer_id in [o.id for o in page.items]
    # A name is matched in any order (ADR 0028): the surname begins a word of every name found.
    typed = name_words(surname)[0]
    assert all(any(word.startswith(typed) for word in name_words(
        f"{o.first_surname} {o.second_surname or ''} {o.given_names}")) for o in page.items)


def test_the_same_seed_writes_the_same_registry(
    container: Container, operator: Actor, clock: FakeClock, tmp_path: Path
) -> None:
    generate(container.uow(), operator, issuer=container.issuer, scale=Scale.TINY, seed=8)
    copies = []
    for name in ("a.db", "b.db"):
        path = tmp_path / name
        other = build(Settings(environment=Environment.TEST, database_url=f"sqlite:///{path}"),
                      clock=clock)
        migrate.upgrade(other.engine)
        generate(other.uow(), operator, issuer=other.issuer, scale=Scale.TINY, seed=8)
        other.dispose()
        with sqlite3.connect(path) as db:
            copies.append([list(db.execute(f"SELECT * FROM {t} ORDER BY id")) for t in REGISTRY])
    assert copies[0] == copies[1]
    # And the container's database (SQLite or PostgreSQL) holds the same people.
    sql = "SELECT id, curp, search_name, status FROM officers ORDER BY id"
    with container.engine.connect() as connection:
        mine = [tuple(r) for r in connection.execute(text(sql))]
    with sqlite3.connect(tmp_path / "a.db") as db:
        assert mine == list(db.execute(sql))


def test_only_an_empty_registry_and_an_allowed_actor(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    with pytest.raises(Forbidden):
        generate(container.uow(), actor(Role.ADMINISTRATOR),
                 issuer=container.issuer, scale=Scale.TINY, seed=1)
    with pytest.raises(Conflict):
        generate(container.uow(), operator, issuer=container.issuer, scale=Scale.TINY, seed=1)


def test_demo_accounts_can_sign_in(container: Container, operator: Actor) -> None:
    report = generate(container.uow(), operator,
                      issuer=container.issuer, scale=Scale.TINY, seed=2, with_demo_users=True)
    assert {a.role for a in report.accounts} == set(Role)
    hr = next(a for a in report.accounts if a.scope == "state 14")
    signed = sign_in(container.uow(), hr.username, hr.password, max_failures=5)
    assert signed.actor.role is Role.AGENCY_HR and signed.actor.scope.state_code == "14"
