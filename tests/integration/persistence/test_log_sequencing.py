"""The trail is append-only in the database itself, and the log's order is given by the
integrator, off the request path (ADR 0023): every committed entry gets exactly one place, the
places have no gap, whatever order transactions commit in and whoever is killed when."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from confianza.app.bootstrap import Container, build
from confianza.app.settings import Environment, Settings
from confianza.core.errors import Conflict
from confianza.kit.signed_note import Signer
from confianza.trail.rules import PendingEntry
from confianza.transparency.service import log as transparency
from confianza.transparency.service.verify import verify_log
from conftest import PUBLIC

WORKER = Path(__file__).with_name("log_worker.py")
ORIGIN = "confianza.test/audit-log"
# One key for every test: the PostgreSQL database of the session keeps its checkpoints.
SIGNER = Signer.generate(ORIGIN)


def _entry(n: int) -> PendingEntry:
    return PendingEntry("tester", "user", "officer:identity:read", "officer", str(n))


def _append(container: Container, *numbers: int) -> None:
    with container.uow().transaction() as tx:
        tx.audit.write_many([_entry(n) for n in numbers])


def _rows(container: Container) -> list[tuple[int, int | None, str]]:
    """(id, seq, resource id) of every row, by id."""
    with container.engine.connect() as connection:
        return [(int(i), None if s is None else int(s), str(r)) for i, s, r in connection.execute(
            text("SELECT id, seq, resource_id FROM audit_entries ORDER BY id"))]


def _assert_placed_once_without_gaps(container: Container) -> list[tuple[int, int | None, str]]:
    """Every committed row has a place, the places are 1..n, and the tree holds them all."""
    transparency.integrate(container.uow(), PUBLIC)
    rows = _rows(container)
    assert sorted(s for _, s, _ in rows if s is not None) == list(range(1, len(rows) + 1))
    with container.uow().transaction(read_only=True) as tx:
        assert tx.log.head()[0] == len(rows)
        assert tx.log.waiting() == 0
    return rows


def _assert_verifies(container: Container) -> None:
    transparency.sign_head(container.uow(), [SIGNER], ORIGIN)
    report = verify_log(container.uow(), [SIGNER.verifier], PUBLIC, origin=ORIGIN)
    assert report.ok, report.line()


# --- append-only, but for the one act of placing ---------------------------------------------

@pytest.mark.parametrize("statement", [
    "UPDATE audit_entries SET actor = 'someone else'",
    "DELETE FROM audit_entries",
    # A place, once given, is never moved ...
    "UPDATE audit_entries SET seq = seq + 10 WHERE seq IS NOT NULL",
    # ... nor taken back ...
    "UPDATE audit_entries SET seq = NULL WHERE seq IS NOT NULL",
    # ... and placing a row may change nothing else of it.
    "UPDATE audit_entries SET seq = 3, purpose = 'rewritten' WHERE seq IS NULL",
])
def test_the_database_refuses_to_change_or_remove_a_line(container: Container,
                                                         statement: str) -> None:
    _append(container, 1, 2)
    transparency.sequence(container.uow())
    _append(container, 3)
    before = _rows(container)
    with pytest.raises(DBAPIError, match="append-only"), container.engine.begin() as connection:
        connection.execute(text(statement))
    assert _rows(container) == before == [(1, 1, "1"), (2, 2, "2"), (3, None, "3")]


def test_placing_a_row_once_is_the_one_update_admitted(container: Container) -> None:
    _append(container, 1)
    with container.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET seq = 1 WHERE seq IS NULL"))
    assert _rows(container) == [(1, 1, "1")]


def test_postgresql_also_refuses_truncate(postgres_url: str) -> None:
    # Only PostgreSQL has TRUNCATE; the fixture skips (or fails under CI) without a server.
    container = build(Settings(environment=Environment.TEST, database_url=postgres_url))
    try:
        _append(container, 1)
        with pytest.raises(DBAPIError, match="append-only"), \
                container.engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_entries CASCADE"))
        assert "1" in [r for _, _, r in _rows(container)]
    finally:
        container.dispose()


# --- every committed entry placed once, without gaps ------------------------------------------

def test_a_rolled_back_transaction_leaves_no_entry_and_no_gap(container: Container) -> None:
    _append(container, 1)
    with pytest.raises(Conflict), container.uow().transaction() as tx:
        tx.audit.write_many([_entry(2), _entry(3)])
        raise Conflict("changed my mind")
    _append(container, 4)
    rows = _assert_placed_once_without_gaps(container)
    assert [(s, r) for _, s, r in rows] == [(1, "1"), (2, "4")]


def test_requests_write_entries_without_waiting_for_the_log(container: Container) -> None:
    # Entries are written, committed and readable at once, before any integration ...
    _append(container, 1, 2)
    with container.uow().transaction(read_only=True) as tx:
        assert [e.resource_id for e in tx.audit.entries()] == ["1", "2"]
        assert [e.seq for e in tx.audit.entries()] == [None, None]
        assert (tx.log.waiting(), tx.log.head()[0]) == (2, 0)
    # ... and placed when the integrator comes.
    assert transparency.sequence(container.uow()) == 2
    assert transparency.sequence(container.uow()) == 0
    assert _rows(container) == [(1, 1, "1"), (2, 2, "2")]


def test_concurrent_writers_and_integrators_place_every_entry_once(
        container: Container) -> None:
    errors: list[BaseException] = []
    writing = threading.Event()
    writing.set()

    def writer(offset: int) -> None:
        try:
            for i in range(15):
                _append(container, offset + i, offset + i)
                if i % 5 == 4:
                    with pytest.raises(Conflict), container.uow().transaction() as tx:
                        tx.audit.write(_entry(-1))
                        raise Conflict("rolled back: leaves nothing")
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    def integrator() -> None:
        try:
            while writing.is_set():
                transparency.integrate(container.uow(), PUBLIC, batch=7)
        except BaseException as exc:
            errors.append(exc)

    writers = [threading.Thread(target=writer, args=(k * 100,)) for k in range(4)]
    integrators = [threading.Thread(target=integrator) for _ in range(2)]
    for thread in (*writers, *integrators):
        thread.start()
    for thread in writers:
        thread.join()
    writing.clear()
    for thread in integrators:
        thread.join()
    assert errors == []
    rows = _assert_placed_once_without_gaps(container)
    assert len(rows) == 4 * 15 * 2 and "-1" not in {r for _, _, r in rows}
    _assert_verifies(container)


def test_an_entry_that_commits_after_later_ones_is_placed_after_them(postgres_url: str) -> None:
    # PostgreSQL only: SQLite lets one writer at a time, so there no entry can commit after
    # one inserted later. Here a long transaction (an import, say) inserts first, and commits
    # last: its entry has the smallest id and must get the last place, not be skipped.
    container = build(Settings(environment=Environment.TEST, database_url=postgres_url))
    engine = create_engine(postgres_url)
    try:
        first = len(_rows(container))
        transparency.integrate(container.uow(), PUBLIC)
        with engine.connect() as slow:
            slow.execute(text(
                "INSERT INTO audit_entries (at, actor, actor_kind, action, resource_type, "
                "resource_id, detail) VALUES (now(), 'importer', 'system', "
                "'officer:roster:import', 'agency', 'slow', '{}')"))
            for n in range(5):
                _append(container, n)
            transparency.integrate(container.uow(), PUBLIC, batch=2)
            assert {r for _, s, r in _rows(container) if s is not None} >= {"0", "4"}
            slow.commit()
        rows = _assert_placed_once_without_gaps(container)
        mine = [(i, s, r) for i, s, r in rows[first:]]
        slow_id, slow_seq, _ = next(row for row in mine if row[2] == "slow")
        assert slow_id == min(i for i, _, _ in mine)  # inserted first ...
        assert slow_seq == max(s or 0 for _, s, _ in mine)  # ... placed last
        _assert_verifies(container)
    finally:
        engine.dispose()
        container.dispose()


def _workers(url: str, *roles: str) -> list[subprocess.Popen[bytes]]:
    """Worker processes started together, returned once each is at work (it says so on its
    first line)."""
    workers = [subprocess.Popen(
        [sys.executable, str(WORKER), url, role, "30"],
        env={**os.environ, "CONFIANZA_LOG_PSEUDONYM_KEY": PUBLIC.key.hex()},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE) for role in roles]
    for worker in workers:
        assert worker.stdout is not None
        line = worker.stdout.readline()
        assert line == b"working\n", (line, worker.stderr.read() if worker.stderr else b"")
    return workers


def test_killed_writers_and_integrators_lose_nothing_and_place_nothing_twice(
        container: Container) -> None:
    # Writers and integrators in processes of their own, killed with SIGKILL at random moments:
    # between an insert and its commit, between a commit and the integration, in the middle of
    # placing a batch or of storing its hashes. What committed is placed once; what did not
    # left nothing.
    url = container.settings.database_url
    chance = random.Random(15)
    _append(container, *range(200))  # work for the first integrators
    for _ in range(5):
        workers = _workers(url, "write", "write", "integrate")
        time.sleep(chance.uniform(0.2, 0.6))
        for worker in workers:
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else b""
            time.sleep(chance.uniform(0, 0.1))
            worker.send_signal(signal.SIGKILL)
        for worker in workers:
            worker.communicate()
    rows = _assert_placed_once_without_gaps(container)
    assert len(rows) > 200
    _assert_verifies(container)
