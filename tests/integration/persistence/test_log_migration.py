"""Migration 0008 (ADR 0023) on a trail written before it: every entry keeps its number as its
id and as its place, the tree and its checkpoints stay valid, new entries continue after them,
and the way back gives waiting entries their places."""

from __future__ import annotations

import migration_support
import pytest
from migration_support import move
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from confianza.app.bootstrap import build
from confianza.app.settings import Environment, Settings
from confianza.core.db import migrate
from confianza.core.db.database import make_engine
from confianza.kit.signed_note import Signer
from confianza.trail.rules import PendingEntry
from confianza.transparency.service import log as transparency
from confianza.transparency.service.verify import verify_log
from conftest import PUBLIC

ORIGIN = "confianza.test/audit-log"
_OLD_INSERT = text(
    "INSERT INTO audit_entries (seq, at, actor, actor_kind, action, resource_type, resource_id, "
    "detail) VALUES (:seq, :at, 'old', 'user', 'officer:identity:read', 'officer', :rid, '{}')")

# The fresh database of each server, named here so pytest finds the fixture.
fresh_url = migration_support.fresh_url


def _write_the_old_way(engine: Engine, first: int, count: int) -> None:
    """Entries as the code before 0008 wrote them: numbered from the counter."""
    with engine.begin() as connection:
        for seq in range(first, first + count):
            connection.execute(_OLD_INSERT, {"seq": seq, "at": "2026-11-20 15:00:00.000000",
                                             "rid": str(seq)})
        connection.execute(text("UPDATE log_state SET next_seq = :n"), {"n": first + count})


def _rows(engine: Engine) -> list[tuple[int, int | None, str]]:
    with engine.connect() as connection:
        return [(int(i), None if s is None else int(s), str(r)) for i, s, r in connection.execute(
            text("SELECT id, seq, resource_id FROM audit_entries ORDER BY id"))]


def test_an_old_trail_keeps_its_numbers_and_its_signed_log(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    signer = Signer.generate(ORIGIN)
    try:
        migrate.upgrade(engine, "0007")
        _write_the_old_way(engine, 1, 5)
        migrate.upgrade(engine)
        assert _rows(engine) == [(n, n, str(n)) for n in range(1, 6)]
        container = build(Settings(environment=Environment.TEST, database_url=fresh_url))
        try:
            transparency.integrate(container.uow(), PUBLIC)
            transparency.sign_head(container.uow(), [signer], ORIGIN)
            # New entries continue after the old numbers, as ids and as places.
            with container.uow().transaction() as tx:
                tx.audit.write(PendingEntry("new", "user", "x:y:z", "officer", "new"))
            transparency.integrate(container.uow(), PUBLIC)
            transparency.sign_head(container.uow(), [signer], ORIGIN)
            assert _rows(engine)[-1] == (6, 6, "new")
            report = verify_log(container.uow(), [signer.verifier], PUBLIC, origin=ORIGIN)
            assert report.ok and (report.entries, report.checkpoints) == (6, 2), report.line()
            # The migrated triggers: the trail is still append-only.
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
                connection.execute(text("UPDATE audit_entries SET actor = 'x' WHERE id = 1"))
            # The way back: an entry still waiting gets the next place, as the counter would
            # have given it, and the old code's numbering holds again.
            with container.uow().transaction() as tx:
                tx.audit.write(PendingEntry("late", "user", "x:y:z", "officer", "late"))
        finally:
            container.dispose()
        move(engine, "0007", down=True)
        with engine.connect() as connection:
            back = [(int(s), str(r)) for s, r in connection.execute(
                text("SELECT seq, resource_id FROM audit_entries ORDER BY seq"))]
            counter = connection.execute(text("SELECT next_seq FROM log_state")).scalar_one()
        assert back == [*((n, str(n)) for n in range(1, 6)), (6, "new"), (7, "late")]
        assert counter == 8
        migrate.upgrade(engine)
        assert _rows(engine)[-1] == (7, 7, "late")
    finally:
        engine.dispose()
