"""The append path that every audited request runs (trail/repository/append.py), on both
databases: what it stores reads back exactly, and large appends are placed consecutively."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from confianza.app.bootstrap import Container
from confianza.trail.rules import (
    AuditEntry,
    PendingEntry,
    canonical_bytes,
    stored_bytes,
    stored_form,
)
from confianza.transparency.service import log as transparency
from conftest import FakeClock


def _stored(container: Container) -> list[AuditEntry]:
    """Every entry, once the log has placed them."""
    transparency.sequence(container.uow())
    with container.uow().transaction() as tx:
        return tx.log.entries(1, 100_000)


def test_what_is_appended_reads_back_exactly(container: Container, clock: FakeClock) -> None:
    odd = PendingEntry("José Ñúñez", "token", "officer:contact:read", "officer", None,
                       purpose="comillas \" y \\ y\nlíneas", detail={"b": [1, None], "a": "é"})
    plain = PendingEntry("ana", "user", "officer:identity:read", "officer", "17")
    with container.uow("req-1").transaction() as tx:
        tx.audit.write_many([odd, plain])
    # A clock in another zone: stored as the same instant.
    clock.now = datetime(2026, 11, 21, 3, 0, 0, 250, tzinfo=timezone(timedelta(hours=-6)))
    with container.uow().transaction() as tx:
        tx.audit.write(plain)
    first, second, third = _stored(container)
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert (first.actor, first.actor_kind, first.resource_id, first.purpose, first.detail,
            first.request_id) == ("José Ñúñez", "token", None, odd.purpose,
                                  {"a": "é", "b": [1, None]}, "req-1")
    assert (second.resource_id, second.purpose, second.detail) == ("17", None, {})
    assert third.at == datetime(2026, 11, 21, 9, 0, 0, 250, tzinfo=UTC)
    assert third.request_id is None


def test_a_large_append_is_placed_consecutively(container: Container) -> None:
    # More entries than one PostgreSQL statement may carry parameters for.
    with container.uow().transaction() as tx:
        tx.audit.write(PendingEntry("a", "user", "x:y:z", "officer", "0"))
    with container.uow().transaction() as tx:
        tx.audit.write_many([PendingEntry("a", "user", "x:y:z", "officer", str(n))
                             for n in range(1, 12_001)])
    with container.uow().transaction() as tx:
        tx.audit.write(PendingEntry("a", "user", "x:y:z", "officer", "12001"))
    stored = _stored(container)
    assert [e.seq for e in stored] == list(range(1, 12_003))
    assert [e.id for e in stored] == sorted(e.id or 0 for e in stored)
    assert [e.resource_id for e in stored] == [str(n) for n in range(12_002)]
    # The batch went another way on PostgreSQL (COPY): its rows read back in the same form.
    with container.uow().transaction() as tx:
        forms = tx.log.stored(1, 100_000)
    assert [stored_bytes(f) for f in forms] == [canonical_bytes(e) for e in stored]


def test_the_stored_form_read_back_is_the_entrys_own(container: Container,
                                                     clock: FakeClock) -> None:
    # What the log hashes is read with the timestamp spelled by the database and the detail as
    # stored; both must give exactly the bytes the entry itself encodes to.
    for microsecond in (0, 7, 999_999):
        clock.now = datetime(2026, 1, 2, 3, 4, 5, microsecond, tzinfo=UTC)
        with container.uow().transaction() as tx:
            tx.audit.write_many([
                PendingEntry("ana", "user", "officer:identity:read", "officer", "1"),
                PendingEntry("José", "system", "x:y:z", "agency", None, purpose="ñ\n\"",
                             detail={"z": [1.5, None, "é"], "a": {"b": True}}),
            ])
    transparency.sequence(container.uow())
    with container.uow().transaction() as tx:
        entries = tx.log.entries(1, 100)
        stored = tx.log.stored(1, 100)
    assert len(entries) == 6
    assert stored == [stored_form(e) for e in entries]
    assert [stored_bytes(s) for s in stored] == [canonical_bytes(e) for e in entries]


def test_entries_are_appended_at_commit_and_a_rollback_leaves_none(
        container: Container) -> None:
    with container.uow().transaction() as tx:
        tx.audit.write(PendingEntry("a", "user", "x:y:z", "officer", "1"))
        # Queued, not yet in the table: inserted only at the commit.
        assert tx.audit.pending == 1
        assert tx.audit.last_id() == 0
    with pytest.raises(RuntimeError, match="boom"), container.uow().transaction() as tx:
        tx.audit.write(PendingEntry("a", "user", "x:y:z", "officer", "2"))
        raise RuntimeError("boom")
    with container.uow().transaction() as tx:
        tx.audit.write(PendingEntry("a", "user", "x:y:z", "officer", "3"))
    assert [(e.seq, e.resource_id) for e in _stored(container)] == [(1, "1"), (2, "3")]


def test_a_read_only_transaction_may_not_queue_an_entry(container: Container) -> None:
    with (pytest.raises(RuntimeError, match="read-only transaction wrote audit entries"),
          container.uow().transaction(read_only=True) as tx):
        tx.audit.write(PendingEntry("a", "user", "x:y:z", "officer", "1"))
    assert _stored(container) == []


def test_a_read_only_block_holds_no_transaction_open_on_postgresql(container: Container) -> None:
    """On PostgreSQL a read-only block runs its statements without BEGIN (ADR 0024): after a
    read the server holds no transaction for it. On SQLite it is a deferred transaction, which
    reads beside a writer. A writing block opens one on both, and on PostgreSQL the connection
    it gets back from the pool is no longer in autocommit."""
    postgres = container.engine.dialect.name == "postgresql"

    def open_transaction(tx: Any) -> bool:
        driver: Any = tx.session.connection().connection.driver_connection
        if postgres:
            return bool(driver.info.transaction_status.name == "INTRANS")
        return bool(driver.in_transaction)

    with container.uow().transaction(read_only=True) as tx:
        tx.log.head()
        assert open_transaction(tx) is not postgres
    with container.uow().transaction() as tx:
        tx.log.head()
        assert open_transaction(tx)
        tx.audit.write(PendingEntry("a", "user", "x:y:z", "officer", "1"))
    assert [e.resource_id for e in _stored(container)] == ["1"]


def test_an_entry_written_alone_is_kept_and_leaves_the_connection_transactional(
    container: Container,
) -> None:
    """A transaction whose only statement is the append (a refusal's entry, written on its
    own) sends it alone on PostgreSQL, in autocommit, one round trip. The entry is kept; the
    connection goes back to the pool transactional: a later block that writes and then fails
    leaves nothing behind."""
    from datetime import date

    from confianza.registry.rules.officers import OfficerStatus

    with container.uow().transaction() as tx:
        tx.audit.write(PendingEntry("a", "user", "user:session:csrf_refused", "user", "7"))
    with pytest.raises(LookupError), container.uow().transaction() as tx:
        tx.officers.add(curp=None, given_names="ANA", first_surname="RUIZ", second_surname=None,
                        birth_date=date(1980, 1, 2), birth_year=1980, sex=None,
                        status=OfficerStatus.ACTIVE, now=datetime(2026, 1, 1, tzinfo=UTC))
        raise LookupError("the block fails after its write")
    with container.uow().transaction(read_only=True) as tx:
        assert tx.officers.get(1) is None
    assert [e.action for e in _stored(container)] == ["user:session:csrf_refused"]
