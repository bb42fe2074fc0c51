"""Migration 0010 (ADR 0025) on a registry written before it, on SQLite and PostgreSQL: existing
postings keep their meaning (an open one is an active full-time posting of a sworn officer, a
closed one is separated), every officer's status history begins with the status they hold,
and the way down and up again works, refusing what the old schema cannot hold."""

from __future__ import annotations

from datetime import date

import migration_support
import pytest
from migration_support import move
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from confianza.core.db import migrate
from confianza.core.db.database import make_engine

NOW = "2026-01-01 00:00:00"

# The fresh database of each server, named here so pytest finds the fixture.
fresh_url = migration_support.fresh_url


def _rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def _seed_before_0010(engine: Engine) -> None:
    """Two officers as the code before 0010 wrote them: one serving after a transfer, one
    separated."""
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO agencies (id, code, name, level, created_at) VALUES "
            "(1, 'GN', 'Guardia Nacional', 'federal', :t), "
            "(2, 'JAL-SSP', 'Seguridad Jalisco', 'state', :t)"), {"t": NOW})
        for oid, status, updated in ((1, "active", NOW), (2, "separated", "2024-05-02 10:00:00")):
            connection.execute(text(
                "INSERT INTO officers (id, given_names, first_surname, search_name, status, "
                "created_at, updated_at) VALUES (:id, 'A', 'B', 'B A', :s, :t, :u)"),
                {"id": oid, "s": status, "t": NOW, "u": updated})
        insert = text(
            "INSERT INTO assignments (id, officer_id, agency_id, rank, start_date, end_date, "
            "start_reason, end_reason) VALUES (:id, :o, :a, 'Policía', :s, :e, :sr, :er)")
        for values in (
            (1, 1, 1, date(2010, 1, 1), date(2015, 1, 1), "appointment", "transfer"),
            (2, 1, 2, date(2015, 1, 1), None, "transfer", None),
            (3, 2, 2, date(2011, 1, 1), date(2024, 5, 1), "appointment", "resignation"),
        ):
            connection.execute(insert, dict(zip(("id", "o", "a", "s", "e", "sr", "er"), values,
                                                strict=True)))


def test_existing_careers_keep_their_meaning_down_and_up(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    try:
        move(engine, "0009")
        _seed_before_0010(engine)
        move(engine, "0010")
        postings = "SELECT id, status, kind, employment, end_reason FROM assignments ORDER BY id"
        assert _rows(engine, postings) == [
            (1, "separated", "full_time", "sworn", "transfer"),
            (2, "active", "full_time", "sworn", None),
            (3, "separated", "full_time", "sworn", "resignation")]
        history = ("SELECT officer_id, status, effective_on, actor FROM officer_status_changes "
                   "ORDER BY officer_id")
        assert [(o, s, str(d), a) for o, s, d, a in _rows(engine, history)] == [
            (1, "active", "2026-01-01", "migration"),
            (2, "separated", "2024-05-02", "migration")]
        move(engine, "head")  # the later revisions too, for the models to agree
        assert migrate.drift(engine) == []
        # After 0010 a task force may run beside the open posting; the old schema cannot hold
        # that, so the way down refuses until it is ended.
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO assignments (id, officer_id, agency_id, rank, start_date, "
                "start_reason, kind) VALUES (4, 1, 1, 'Policía', '2020-01-01', 'reassignment', "
                "'task_force')"))
        with pytest.raises(RuntimeError, match="not full-time"):
            move(engine, "0009", down=True)
        with engine.begin() as connection:
            connection.execute(text("UPDATE assignments SET end_date = '2021-01-01', "
                                    "status = 'separated' WHERE kind = 'task_force'"))
        move(engine, "0009", down=True)
        assert _rows(engine, "SELECT id, end_reason FROM assignments ORDER BY id")[:3] == [
            (1, "transfer"), (2, None), (3, "resignation")]
        # The old guard is back: one open posting per officer, whatever its kind.
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO assignments (id, officer_id, agency_id, rank, start_date, "
                "start_reason) VALUES (5, 1, 1, 'Policía', '2022-01-01', 'reassignment')"))
        move(engine, "head")
        assert _rows(engine, postings)[:3] == [
            (1, "separated", "full_time", "sworn", "transfer"),
            (2, "active", "full_time", "sworn", None),
            (3, "separated", "full_time", "sworn", "resignation")]
        assert len(_rows(engine, "SELECT id FROM officer_status_changes")) == 2
        assert migrate.drift(engine) == []
    finally:
        engine.dispose()
