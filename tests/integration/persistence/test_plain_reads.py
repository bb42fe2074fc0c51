"""Reads sent ahead (`Transaction.read_ahead`, core/db/plain.py): on PostgreSQL a page's reads
travel together, one message for several statements; on SQLite each runs when asked for. On
both databases what a store answers must not change: the same rows, each read ahead answered
once, and a read after a change in the same transaction sees the change."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import event

from confianza.app.bootstrap import Container
from confianza.registry.rules.officers import ExternalId, OfficerStatus

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _officers(container: Container) -> list[int]:
    """Two officers: one with identifiers and a status history, one with neither."""
    with container.uow().transaction() as tx:
        first = tx.officers.add(curp=None, given_names="ANA", first_surname="RUIZ",
                                second_surname=None, birth_date=date(1980, 1, 2),
                                birth_year=1980, sex=None, status=OfficerStatus.ACTIVE, now=NOW)
        tx.officers.add_identifier(first, ExternalId("chicago-uid", "U-1"))
        tx.officers.add_identifier(first, ExternalId("payroll", "P-9"))
        tx.officers.add_status_change(first, OfficerStatus.ACTIVE, date(2001, 5, 1),
                                      "registration", "clerk", NOW)
        second = tx.officers.add(curp=None, given_names="LUIS", first_surname="SOTO",
                                 second_surname="PAZ", birth_date=None, birth_year=1975,
                                 sex=None, status=OfficerStatus.ACTIVE, now=NOW)
    return [first, second]


def _record(tx: object, officer_id: int) -> tuple[object, object, object]:
    officers = tx.officers  # type: ignore[attr-defined]
    return (officers.career(officer_id), officers.identifiers(officer_id),
            officers.status_history(officer_id))


def test_reads_sent_ahead_answer_what_each_read_alone_answers(container: Container) -> None:
    missing = 10_000_000
    for officer_id in [*_officers(container), missing]:
        with container.uow().transaction(read_only=True) as tx:
            alone = _record(tx, officer_id)
        with container.uow().transaction(read_only=True) as tx:
            tx.read_ahead(tx.officers.record_reads(officer_id, history=True))
            ahead = _record(tx, officer_id)
        assert ahead == alone
    assert alone[0] is None and alone[1] == [] and alone[2] == []


def test_what_was_sent_ahead_is_answered_from_what_came_back(container: Container) -> None:
    """Every listener of the engine still hears each statement (the pins that count a page's
    statements), once, when it is sent; the reads then send nothing more."""
    first, _ = _officers(container)
    heard: list[str] = []

    def hear(conn: object, cursor: object, statement: str, *args: object) -> None:
        heard.append(statement)

    event.listen(container.engine, "before_cursor_execute", hear)
    try:
        with container.uow().transaction(read_only=True) as tx:
            tx.read_ahead(tx.officers.record_reads(first, history=True))
            sent_ahead = len(heard)
            _record(tx, first)
    finally:
        event.remove(container.engine, "before_cursor_execute", hear)
    postgres = container.engine.dialect.name == "postgresql"
    # Career (postings, badges), identifiers, history: four statements either way.
    assert len(heard) == 4
    assert sent_ahead == (4 if postgres else 0)


def test_a_read_ahead_is_answered_once_and_a_later_read_sees_a_change(
    container: Container,
) -> None:
    first, _ = _officers(container)
    with container.uow().transaction() as tx:
        tx.read_ahead(tx.officers.record_reads(first, history=False))
        before = tx.officers.identifiers(first)
        tx.officers.add_identifier(first, ExternalId("state-roster", "S-3"))
        after = tx.officers.identifiers(first)
    assert [k.scheme for k in before] == ["chicago-uid", "payroll"]
    assert [k.scheme for k in after] == ["chicago-uid", "payroll", "state-roster"]
