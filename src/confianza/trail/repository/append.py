"""Appending audit entries: the statements every audited request runs, written for speed.

An entry is inserted with no place in the log: the database gives it an `id`, and the
integrator gives it its `seq` later, in the order it finds committed entries (ADR 0023). So an
append takes no lock shared with other transactions, and audited requests run side by side.
What is left to make cheap is the insert itself:

- entries are inserted when the transaction commits, as its last statements (the audit
  repository queues them; ADR 0013);
- on PostgreSQL the insert is sent with the COMMIT in one message (simple protocol, values bound
  by the driver's quoting): one round trip for the whole append;
- a batch job's thousands of entries go by COPY on PostgreSQL;
- both go straight to the driver's cursor, inside the session's transaction: SQLAlchemy's
  statement path costs several times these statements.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine

from confianza.trail.rules import PendingEntry, encode_detail

COLUMNS = ("at", "actor", "actor_kind", "action", "resource_type", "resource_id", "purpose",
           "request_id", "detail")
_NAMES = ", ".join(COLUMNS)

_SQLITE_INSERT = f"INSERT INTO audit_entries ({_NAMES}) VALUES ({', '.join('?' * len(COLUMNS))})"
# Typed in the first row only: PostgreSQL takes a VALUES list's column types from it.
_PG_FIRST_ROW = ("(%s::timestamptz, %s::text, %s::text, %s::text, %s::text, %s::text, "
                 "%s::text, %s::text, %s::text)")
_PG_ROW = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
# Up to this many entries go in one statement (far under the protocol's 65,535 parameters);
# more, and COPY is cheaper.
_PG_ROWS = 1_000


def _postgres_statement(count: int) -> str:
    rows = ", ".join([_PG_FIRST_ROW] + [_PG_ROW] * (count - 1))
    return f"INSERT INTO audit_entries ({_NAMES}) VALUES {rows}"


def append_and_commit(connection: Connection, now: datetime, request_id: str | None,
                      entries: Sequence[PendingEntry]) -> None:
    """Insert `entries` as the last statements of the connection's transaction.

    On PostgreSQL this commits too: the insert and the COMMIT travel as one message, one round
    trip for both. The caller's commit then finds the driver idle and sends nothing. On SQLite
    the caller commits.
    """
    if not entries:
        return
    driver: Any = connection.connection.driver_connection
    if isinstance(driver, sqlite3.Connection):
        _append_sqlite(driver, now, request_id, entries)
    else:
        _append_postgres(driver, now, request_id, entries)


def append_alone(engine: Engine, now: datetime, request_id: str | None,
                 entries: Sequence[PendingEntry]) -> None:
    """Insert `entries` that are all of their transaction (it read and wrote nothing else: a
    refusal's entry, written on its own): on PostgreSQL on a pooled connection of their own,
    with none of a session's transaction around them; the INSERT alone commits (one round
    trip). Elsewhere a session's transaction costs nothing we could save: `append_and_commit`.
    """
    raw = engine.raw_connection()
    try:
        _append_postgres(raw.driver_connection, now, request_id, entries)
    finally:
        raw.close()  # back to the pool, idle


def _append_sqlite(driver: sqlite3.Connection, now: datetime, request_id: str | None,
                   entries: Sequence[PendingEntry]) -> None:
    cursor = driver.cursor()
    try:
        # As SQLAlchemy stores a timestamp on SQLite, and reads it back: UTC, no zone, always
        # six fraction digits (isoformat, not strftime: a fifth of the time).
        at = now.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        rows = [_fields(at, request_id, e) for e in entries]
        cursor.executemany(_SQLITE_INSERT, rows)
    finally:
        cursor.close()


def _append_postgres(driver: Any, now: datetime, request_id: str | None,
                     entries: Sequence[PendingEntry]) -> None:
    if len(entries) > _PG_ROWS:
        _copy_postgres(driver, now, request_id, entries)
        return
    statement = _postgres_statement(len(entries))
    params = _postgres_params(now, request_id, entries)
    if driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        # The transaction has sent nothing else (an entry written on its own: a refusal, a
        # sign-in that failed): the INSERT is all of it. Sent alone in autocommit it is its own
        # transaction, durable when it returns, in one round trip where BEGIN would take
        # another. The caller's commit then finds the driver idle and sends nothing.
        # Alone, it needs no second statement in its message, so it goes as a prepared statement
        # with its values bound by the server (the extended protocol), which the server parses
        # and plans once per connection: a third less of its CPU per entry than the quoted text.
        driver.autocommit = True
        try:
            driver.execute(statement, params, prepare=True)
        finally:
            driver.autocommit = False
        return
    # The append and the COMMIT in one simple-protocol message, which may hold several
    # statements; its values are bound by the driver's own quoting (a client-side cursor).
    with psycopg.ClientCursor(driver) as cursor:
        cursor.execute(statement + "; COMMIT", params)


def _copy_postgres(driver: Any, now: datetime, request_id: str | None,
                   entries: Sequence[PendingEntry]) -> None:
    """A batch job's thousands of entries (an import, a national issuance): the rows sent by
    COPY, then the commit. A statement of 5,000 rows costs the driver more to build than COPY
    costs to send them all."""
    with driver.cursor() as cursor, cursor.copy(
            f"COPY audit_entries ({_NAMES}) FROM STDIN") as copy:
        for e in entries:
            copy.write_row(_fields(now, request_id, e))
    driver.commit()


def _postgres_params(now: datetime, request_id: str | None,
                     entries: Sequence[PendingEntry]) -> list[object]:
    params: list[object] = []
    for e in entries:
        params.extend(_fields(now, request_id, e))
    return params


def _fields(at: object, request_id: str | None, e: PendingEntry) -> tuple[object, ...]:
    return (at, e.actor, e.actor_kind, e.action, e.resource_type, e.resource_id, e.purpose,
            request_id, encode_detail(e.detail))
