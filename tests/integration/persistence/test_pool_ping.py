"""PostgreSQL's pooled connections: pinged only after lying idle, and a dead one is replaced
before anyone uses it (persistence.database.ping_when_idle)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from confianza.core.db import database
from confianza.core.db.database import make_engine


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    engine.pool.dispose()
    yield engine
    engine.dispose()


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _count_pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    real = engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        pings.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pings


def test_a_connection_back_in_use_at_once_is_not_pinged(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    pings = _count_pings(engine, monkeypatch)
    first = _backend(engine)  # a new connection: pinged, having never been checked in
    assert [_backend(engine) for _ in range(5)] == [first] * 5
    assert len(pings) == 1


def test_an_idle_connection_is_pinged_and_a_dead_one_replaced(
        engine: Engine, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pings = _count_pings(engine, monkeypatch)
    first = _backend(engine)
    # The server drops the pooled connection (a restart, an idle timeout) while it waits.
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                                  {"pid": first}).scalar_one()
    admin.dispose()
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)
    # The next checkout pings, finds it dead and hands out a fresh connection instead.
    second = _backend(engine)
    assert second != first
    assert len(pings) >= 3  # the first checkout, the failed ping, the new connection's
