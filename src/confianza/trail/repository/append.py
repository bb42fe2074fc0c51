"""Appending audit entries: the statements every audited request runs, written for speed.

Each transaction that appends takes consecutive numbers from the one-row `log_state` counter
(ADR 0011); the counter's row lock then lasts until the transaction commits, so on PostgreSQL
appends are serialised from that statement to the commit and the log's throughput is one over
that time. Hence:

- entries are appended when the transaction commits, as its last statements (the audit
  repository queues them), so the lock is held for the commit alone (ADR 0013);
- on PostgreSQL, the reservation and the insert are **one statement** (a data-modifying CTE),
  sent with the COMMIT in one message: no round trip inside the locked span;
- a batch job's thousands of entries go by COPY on PostgreSQL, numbered by one UPDATE;
- on SQLite, which has one writer anyway, they are two statements;
- both go straight to the driver's cursor, inside the session's transaction: SQLAlchemy's
  statement path costs several times these statements (the append alone went from about 230 to
  120 µs a transaction on SQLite).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import Connection

from confianza.trail.rules import PendingEntry, encode_detail

COLUMNS = ("seq", "at", "actor", "actor_kind", "action", "resource_type", "resource_id",
           "purpose", "request_id", "detail")
_VALUES = ", ".join(COLUMNS[1:])

_SQLITE_TAKE = "UPDATE log_state SET next_seq = next_seq + ? WHERE id = 1 RETURNING next_seq"
_SQLITE_INSERT = (f"INSERT INTO audit_entries ({', '.join(COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(COLUMNS))})")
# Typed in the first row only: PostgreSQL takes a VALUES list's column types from it.
_PG_FIRST_ROW = ("(%s::int, %s::timestamptz, %s::text, %s::text, %s::text, %s::text, %s::text, "
                 "%s::text, %s::text, %s::text)")
_PG_ROW = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
# Up to this many entries go in one statement (far under the protocol's 65,535 parameters);
# more, and COPY is cheaper.
_PG_ROWS = 1_000
_PG_TAKE = "UPDATE log_state SET next_seq = next_seq + %s WHERE id = 1 RETURNING next_seq"


def _postgres_statement(count: int) -> str:
    rows = ", ".join([_PG_FIRST_ROW] + [_PG_ROW] * (count - 1))
    return (
        "WITH taken AS (UPDATE log_state SET next_seq = next_seq + %s WHERE id = 1 "
        "RETURNING next_seq) "
        f"INSERT INTO audit_entries ({', '.join(COLUMNS)}) "
        f"SELECT taken.next_seq - %s + v.k, {', '.join('v.' + c for c in COLUMNS[1:])} "
        f"FROM taken, (VALUES {rows}) AS v(k, {_VALUES})"
    )


def append_and_commit(connection: Connection, now: datetime, request_id: str | None,
                      entries: Sequence[PendingEntry]) -> None:
    """Number and insert `entries` as the last statements of the connection's transaction.

    On PostgreSQL this commits too: the append and the COMMIT travel as one message, so the
    counter's lock is held for the server's work alone, not also for a round trip and the
    client's way from its last statement to its commit. The caller's commit then finds the
    driver idle and sends nothing. On SQLite the caller commits.
    """
    if not entries:
        return
    driver: Any = connection.connection.driver_connection
    if isinstance(driver, sqlite3.Connection):
        _append_sqlite(driver, now, request_id, entries)
    else:
        _append_postgres(driver, now, request_id, entries)


def _append_sqlite(driver: sqlite3.Connection, now: datetime, request_id: str | None,
                   entries: Sequence[PendingEntry]) -> None:
    cursor = driver.cursor()
    try:
        cursor.execute(_SQLITE_TAKE, (len(entries),))
        first = int(cursor.fetchone()[0]) - len(entries)
        # As SQLAlchemy stores a timestamp on SQLite, and reads it back: UTC, no zone, always
        # six fraction digits (isoformat, not strftime: a fifth of the time).
        at = now.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        rows = [(first + k, *_fields(at, request_id, e)) for k, e in enumerate(entries)]
        cursor.executemany(_SQLITE_INSERT, rows)
    finally:
        cursor.close()


def _append_postgres(driver: Any, now: datetime, request_id: str | None,
                     entries: Sequence[PendingEntry]) -> None:
    if len(entries) > _PG_ROWS:
        _copy_postgres(driver, now, request_id, entries)
        return
    # The append and the COMMIT in one simple-protocol message, which may hold several
    # statements; its values are bound by the driver's own quoting (a client-side cursor).
    with psycopg.ClientCursor(driver) as cursor:
        cursor.execute(_postgres_statement(len(entries)) + "; COMMIT",
                       _postgres_params(now, request_id, entries))


def _copy_postgres(driver: Any, now: datetime, request_id: str | None,
                   entries: Sequence[PendingEntry]) -> None:
    """A batch job's thousands of entries (an import, a national issuance): the numbers taken
    in one UPDATE, the rows sent by COPY, then the commit. A statement of 5,000 rows costs the
    driver more to build than COPY costs to send them all; a batch job holds the counter for its
    own commit either way."""
    with driver.cursor() as cursor:
        cursor.execute(_PG_TAKE, (len(entries),))
        first = int(cursor.fetchone()[0]) - len(entries)
        with cursor.copy(f"COPY audit_entries ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for k, e in enumerate(entries):
                copy.write_row((first + k, *_fields(now, request_id, e)))
    driver.commit()


def _postgres_params(now: datetime, request_id: str | None,
                     entries: Sequence[PendingEntry]) -> list[object]:
    params: list[object] = [len(entries), len(entries)]
    for k, e in enumerate(entries):
        params.extend((k, *_fields(now, request_id, e)))
    return params


def _fields(at: object, request_id: str | None, e: PendingEntry) -> tuple[object, ...]:
    return (at, e.actor, e.actor_kind, e.action, e.resource_type, e.resource_id, e.purpose,
            request_id, encode_detail(e.detail))
