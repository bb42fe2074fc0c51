"""The generated trust-control history, checked in the database on both engines."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from confianza.accounts.rules.permissions import Actor
from confianza.accounts.service.users import sign_in
from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.core.errors import Unauthenticated
from confianza.demo.rules.force import Scale
from confianza.demo.service import generate
from conftest import FakeClock

TRUST = ("evaluation_centres", "evaluations", "evaluation_exams", "appeals",
         "separation_processes", "agency_notifications", "cup_components", "cup_certificates")


def _rows(container: Container, sql: str) -> list[tuple[object, ...]]:
    with container.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def test_officer_standing_agrees_with_the_history(container: Container, operator: Actor) -> None:
    report = generate(container.uow(), operator, issuer=container.issuer, scale=Scale.TINY, seed=5)
    for table in (*TRUST, "officer_standing", "examiners", "users"):
        assert _rows(container, f"SELECT COUNT(*) FROM {table}")[0][0] == report.counts[table]
    expected = {}
    latest = ("SELECT e.officer_id, e.id, e.status, e.decided_on, e.valid_until FROM evaluations e"
              " WHERE e.status IN ('approved', 'not_approved') ORDER BY e.decided_on, e.id")
    for officer, eid, status, decided, valid in _rows(container, latest):
        expected[officer] = [eid, status, _day(decided),
                             _day(valid) if status == "approved" else None, None]
    for officer, until in _rows(container, "SELECT officer_id, valid_until FROM cup_certificates "
                                           "WHERE ended_on IS NULL"):
        expected.setdefault(officer, [None, None, None, None, None])[4] = _day(until)
    stored = {r[0]: [r[1], r[2], _day(r[3]), _day(r[4]), _day(r[5])] for r in _rows(
        container, "SELECT officer_id, last_evaluation_id, last_verdict, last_decided_on, "
                   "approved_until, cup_until FROM officer_standing")}
    assert stored == expected


def test_consequences_and_separation_of_duties(container: Container, operator: Actor) -> None:
    generate(container.uow(), operator, issuer=container.issuer, scale=Scale.TINY, seed=11)
    none = [
        # Nobody on duty whose last decision is not approved.
        "SELECT o.id FROM officers o JOIN officer_standing s ON s.officer_id = o.id "
        "WHERE o.status = 'active' AND s.last_verdict = 'not_approved'",
        # Examiners are qualified and work at the evaluation's centre; deciders examine nothing.
        "SELECT x.id FROM evaluation_exams x JOIN evaluations e ON e.id = x.evaluation_id "
        "LEFT JOIN examiners m ON m.user_id = x.examiner_id "
        "LEFT JOIN examiner_qualifications q ON q.user_id = x.examiner_id "
        "AND q.exam_type = x.exam_type WHERE x.examiner_id IS NOT NULL "
        "AND (q.user_id IS NULL OR m.centre_id <> e.centre_id OR x.examiner_id = e.decided_by "
        "OR x.examiner_id = e.confirmed_by)",
        # A confirmed not-approved decision took two people; closed ones have their dates.
        "SELECT id FROM evaluations WHERE status = 'not_approved' AND (confirmed_by IS NULL "
        "OR confirmed_by = decided_by OR closed_at IS NULL)",
        "SELECT id FROM evaluations WHERE status = 'approved' AND valid_until IS NULL",
        # Appeals: filed within 15 days, decided by a third officer.
        "SELECT a.id FROM appeals a JOIN evaluations e ON e.id = a.evaluation_id "
        "WHERE a.decided_by IN (e.decided_by, e.confirmed_by) "
        "OR (a.status = 'open') <> (a.decided_by IS NULL)",
        # Scheduled exams fit the centre's daily capacity.
        "SELECT x.scheduled_on FROM evaluation_exams x JOIN evaluations e "
        "ON e.id = x.evaluation_id JOIN centre_capacity c ON c.centre_id = e.centre_id "
        "AND c.exam_type = x.exam_type WHERE e.status = 'scheduled' "
        "GROUP BY e.centre_id, x.exam_type, x.scheduled_on, c.daily HAVING COUNT(*) > c.daily",
        # Open separation processes belong to officers removed from duty.
        "SELECT p.id FROM separation_processes p JOIN officers o ON o.id = p.officer_id "
        "WHERE p.status = 'open' AND o.status <> 'removed_from_duty'",
        "SELECT p.id FROM separation_processes p JOIN officers o ON o.id = p.officer_id "
        "WHERE p.status = 'separated' AND o.status <> 'separated'",
    ]
    for sql in none:
        assert _rows(container, sql) == [], sql
    for filed, decided in _rows(container, "SELECT a.filed_on, e.decided_on FROM appeals a "
                                           "JOIN evaluations e ON e.id = a.evaluation_id"):
        gap = _day(filed) - _day(decided)  # type: ignore[operator]
        assert timedelta(0) <= gap <= timedelta(days=15)
    grounds = _rows(container, "SELECT e.grounds FROM evaluations e WHERE e.verdict = "
                               "'not_approved' AND e.integration LIKE "
                               "'%\"adverse\":[\"polygraph\"]%'")
    assert all(g[0] is not None and len(str(g[0])) >= 30 for g in grounds)


def test_demo_accounts_find_work_and_synthetic_staff_cannot_sign_in(
    container: Container, operator: Actor
) -> None:
    report = generate(container.uow(), operator,
                      issuer=container.issuer, scale=Scale.TINY, seed=2, with_demo_users=True)
    names = {a.username for a in report.accounts}
    assert {"demo-centre-coordinator", "demo-certification-officer-2"} <= names
    queue = _rows(container, "SELECT c.code, COUNT(DISTINCT q.exam_type), COUNT(DISTINCT x.id) "
                             "FROM users u JOIN examiners m ON m.user_id = u.id "
                             "JOIN evaluation_centres c ON c.id = m.centre_id "
                             "JOIN examiner_qualifications q ON q.user_id = u.id "
                             "LEFT JOIN evaluation_exams x ON x.examiner_id = u.id "
                             "AND x.recorded_at IS NULL WHERE u.username = 'demo-examiner' "
                             "GROUP BY c.code")
    assert queue and queue[0][:2] == ("C3-JAL", 5) and int(str(queue[0][2])) > 0
    waiting = _rows(container, "SELECT u.username, COUNT(*) FROM evaluations e "
                               "JOIN users u ON u.id = e.decided_by "
                               "WHERE e.status = 'awaiting_confirmation' "
                               "AND u.username LIKE 'demo-%' GROUP BY u.username")
    deciders = {str(r[0]): r[1] for r in waiting}
    assert deciders == {"demo-certification-officer": 2, "demo-certification-officer-2": 2}
    assert _rows(container, "SELECT COUNT(*) FROM evaluations WHERE status = "
                            "'awaiting_decision'")[0][0] != 0
    for password in ("", "!synthetic-staff-account:no-password", "a much longer password"):
        with pytest.raises(Unauthenticated):
            sign_in(container.uow(), "certificador.jal.01", password, max_failures=50)


def test_the_same_seed_writes_the_same_history(
    container: Container, operator: Actor, clock: FakeClock, tmp_path: Path
) -> None:
    copies = []
    for name in ("a.db", "b.db"):
        path = tmp_path / name
        other = build(Settings(environment=Environment.TEST, database_url=f"sqlite:///{path}"),
                      clock=clock)
        migrate.upgrade(other.engine)
        generate(other.uow(), operator, issuer=other.issuer, scale=Scale.TINY, seed=8)
        other.dispose()
        with sqlite3.connect(path) as db:
            copies.append([list(db.execute(f"SELECT * FROM {t} ORDER BY id")) for t in TRUST]
                          + [list(db.execute("SELECT * FROM officer_standing "
                                             "ORDER BY officer_id"))])
    assert copies[0] == copies[1]
    generate(container.uow(), operator, issuer=container.issuer, scale=Scale.TINY, seed=8)
    sql = "SELECT id, officer_id, status, verdict FROM evaluations ORDER BY id"
    with sqlite3.connect(tmp_path / "a.db") as db:
        assert _rows(container, sql) == list(db.execute(sql))
