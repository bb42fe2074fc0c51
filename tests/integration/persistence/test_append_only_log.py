"""The trail is append-only in the database itself, and numbered without gaps in commit order."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.core.errors import Conflict
from confianza.trail.rules import PendingEntry


def _entry(n: int) -> PendingEntry:
    return PendingEntry("tester", "user", "officer:identity:read", "officer", str(n))


def _append(container: Container, *numbers: int) -> None:
    with container.uow().transaction() as tx:
        tx.audit.write_many([_entry(n) for n in numbers])


def _seqs(container: Container) -> list[int]:
    with container.engine.connect() as connection:
        return [int(s) for s in connection.execute(
            text("SELECT seq FROM audit_entries ORDER BY seq")).scalars()]


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entries SET actor = 'someone else'",
    "DELETE FROM audit_entries",
])
def test_the_database_refuses_to_change_or_remove_a_line(container: Container,
                                                         statement: str) -> None:
    _append(container, 1, 2)
    with pytest.raises(DBAPIError, match="append-only"), container.engine.begin() as connection:
        connection.execute(text(statement))
    assert _seqs(container) == [1, 2]


def test_postgresql_also_refuses_truncate(postgres_url: str) -> None:
    # Only PostgreSQL has TRUNCATE; the fixture skips (or fails under CI) without a server.
    container = build(Settings(environment=Environment.TEST, database_url=postgres_url))
    try:
        _append(container, 1)
        with pytest.raises(DBAPIError, match="append-only"), \
                container.engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_entries CASCADE"))
        assert 1 in _seqs(container)
    finally:
        container.dispose()


def test_a_rolled_back_transaction_leaves_no_gap(container: Container) -> None:
    _append(container, 1)
    with pytest.raises(Conflict), container.uow().transaction() as tx:
        tx.audit.write_many([_entry(2), _entry(3)])
        raise Conflict("changed my mind")
    _append(container, 4)
    assert _seqs(container) == [1, 2]


def test_concurrent_writers_number_without_gaps(container: Container) -> None:
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            for i in range(15):
                _append(container, offset + i, offset + i)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k * 100,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _seqs(container) == list(range(1, 4 * 15 * 2 + 1))
