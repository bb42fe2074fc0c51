"""Set-based writes for imports and generators: hundreds of thousands of rows per second.

Rows get their ids here, in blocks reserved while the tables are locked, so that an import can
link officers to assignments and badges without a round trip per row. SQLite writes multi-row
INSERT statements on the raw connection; PostgreSQL through COPY. A load into empty tables may
defer their secondary indexes and build them once at the end (`defer_indexes`, `finish`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlalchemy.orm import Session

from confianza.core.db import sequence as log_sequence

# The columns each bulk-loadable table takes, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "officers": (
        "id", "curp", "given_names", "first_surname", "second_surname", "search_name",
        "birth_date", "birth_year", "sex", "status", "created_at", "updated_at",
    ),
    "officer_identifiers": ("id", "officer_id", "scheme", "value"),
    "officer_contacts": ("id", "officer_id", "kind", "value", "label"),
    "assignments": (
        "id", "officer_id", "agency_id", "unit_id", "rank", "start_date", "end_date",
        "start_reason", "end_reason",
    ),
    "badges": ("id", "officer_id", "agency_id", "number", "start_date", "end_date"),
    "units": ("id", "agency_id", "code", "name", "parent_unit_id"),
    "agencies": (
        "id", "code", "name", "level", "state_code", "municipality_key", "parent_id",
        "merged_into_id", "dissolved_on", "created_at",
    ),
    "audit_entries": (
        "seq", "at", "actor", "actor_kind", "action", "resource_type", "resource_id", "purpose",
        "request_id", "detail",
    ),
    "users": (
        "id", "username", "display_name", "password_hash", "role", "scope_kind",
        "scope_state_code", "scope_agency_id", "active", "created_at",
    ),
    "evaluation_centres": ("id", "code", "name", "state_code", "active", "created_at"),
    "centre_capacity": ("centre_id", "exam_type", "daily"),
    "examiners": ("user_id", "centre_id"),
    "examiner_qualifications": ("user_id", "exam_type"),
    "evaluations": (
        "id", "officer_id", "agency_id", "kind", "rank", "rank_level", "sensitive_access",
        "reason", "status", "centre_id", "requested_by", "requested_at", "recommendation",
        "integration", "verdict", "decided_by", "decided_on", "grounds", "confirmed_by",
        "confirmed_on", "valid_until", "closed_at",
    ),
    "evaluation_exams": (
        "id", "evaluation_id", "exam_type", "examiner_id", "scheduled_on", "outcome", "result",
        "notes", "recorded_at",
    ),
    "appeals": (
        "id", "evaluation_id", "filed_by", "filed_on", "grounds", "status", "decided_by",
        "decided_on", "resolution",
    ),
    "separation_processes": (
        "id", "officer_id", "agency_id", "evaluation_id", "opened_on", "status", "closed_on",
        "outcome",
    ),
    "agency_notifications": (
        "id", "agency_id", "officer_id", "evaluation_id", "kind", "message", "created_at",
        "read_at",
    ),
    "cup_components": (
        "id", "officer_id", "component", "completed_on", "valid_until", "hours", "score",
        "evaluation_id", "recorded_by", "recorded_at",
    ),
    "cup_certificates": (
        "id", "number", "officer_id", "issued_on", "valid_until", "ended_on", "end_reason",
    ),
    "officer_standing": (
        "officer_id", "last_evaluation_id", "last_verdict", "last_decided_on", "approved_until",
        "cup_until",
    ),
    # No id: the database gives it (these rows are linked to nothing in the same load).
    "cup_credentials": (
        "credential_id", "certificate_id", "officer_id", "kid", "status_index", "token",
        "issued_at", "valid_until", "revoked", "suspended", "status_reason",
    ),
}


BULK_CACHE_KIB = 512 * 1024
NORMAL_CACHE_KIB = 64 * 1024


class StoredForms(NamedTuple):
    """How an engine takes dates and timestamps: a generator that builds its rows with these
    (and inserts them with `stored=True`) spares the writer a pass over every row."""

    date: Callable[[date], Any]
    timestamp: Callable[[datetime], Any]


def _same(value: Any) -> Any:
    return value


def sqlite_date_text(value: date) -> str:
    """A date as SQLAlchemy's SQLite `Date` type stores it (and reads it back)."""
    return value.isoformat()


def sqlite_timestamp_text(value: datetime) -> str:
    """A timestamp as SQLAlchemy's SQLite `DateTime` type stores it: naive text, microseconds
    always written, in UTC (an aware value of another zone is converted first, as the
    column type does)."""
    if value.utcoffset():
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


AS_GIVEN = StoredForms(_same, _same)  # psycopg's COPY adapts date and datetime itself
STORED_AS_TEXT = StoredForms(sqlite_date_text, sqlite_timestamp_text)


class BulkWriter:
    """Bulk inserts inside the caller's transaction (the unit of work still commits)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name
        self._deferred: list[str] = []  # CREATE INDEX statements for finish() to run

    @property
    def is_postgres(self) -> bool:
        return self._dialect == "postgresql"

    def lock(self, tables: Sequence[str]) -> None:
        """Keep other writers out while ids are reserved (SQLite's BEGIN IMMEDIATE does it)."""
        if self.is_postgres:
            self._session.execute(text(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE"))
        else:
            # Index pages of a large load stay in memory instead of being re-read from disk;
            # the pool returns the connection with the usual cache size (see finish).
            self._session.execute(text(f"PRAGMA cache_size=-{BULK_CACHE_KIB}"))

    @property
    def stored_forms(self) -> StoredForms:
        return AS_GIVEN if self.is_postgres else STORED_AS_TEXT

    def next_id(self, table: str) -> int:
        value = self._session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar()
        return int(value or 0) + 1

    def insert(self, table: str, rows: Sequence[Sequence[Any]], *, stored: bool = False) -> None:
        """Insert tuples in COLUMNS[table] order; `stored`: their dates and timestamps are
        already in `stored_forms`, as they go to the engine."""
        if not rows:
            return
        if table == "audit_entries":
            # Entries are numbered where every other writer numbers them (log_sequence), so the
            # log has no gap and no number out of commit order.
            first = log_sequence.take(self._session.connection(), len(rows))
            rows = [(first + i, *row) for i, row in enumerate(rows)]
        columns = COLUMNS[table]
        connection = self._session.connection()
        raw: Any = connection.connection.driver_connection
        if self.is_postgres:
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            _sqlite_insert(raw, table, rows, stored)

    def defer_indexes(self, tables: Sequence[str]) -> None:
        """Drop the secondary indexes of those tables that are still empty; `finish` builds them
        again from the loaded rows, with the very statements that made them.

        Sorting all keys once costs far less than keeping an index in order row by row when the
        rows arrive in another order (exams by examiner, by day). The indexes that back a
        constraint (primary keys, UNIQUE columns) stay. Unique indexes that are dropped are
        still enforced: building them again fails, and the transaction with it, on a duplicate.
        """
        for table in tables:
            if self._session.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first():
                continue
            for name, statement in self._secondary_indexes(table):
                self._session.execute(text(f'DROP INDEX "{name}"'))
                self._deferred.append(statement)

    def _secondary_indexes(self, table: str) -> list[tuple[str, str]]:
        if self.is_postgres:
            query = (
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "WHERE t.relname = :table AND t.relnamespace = current_schema()::regnamespace "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) "
                "ORDER BY i.relname"
            )
        else:
            # Constraint indexes (sqlite_autoindex_*) have no statement and cannot be dropped.
            query = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                     "AND tbl_name = :table AND sql IS NOT NULL ORDER BY name")
        found = self._session.execute(text(query), {"table": table})
        return [(str(name), str(statement)) for name, statement in found]

    def finish(self, tables: Iterable[str]) -> None:
        """Build the deferred indexes; move PostgreSQL's id sequences past the ids this writer
        assigned."""
        while self._deferred:
            # The statements come from the catalogue, verbatim: no bind parameters in them.
            self._session.connection().exec_driver_sql(self._deferred.pop(0))
        if not self.is_postgres:
            self._session.execute(text(f"PRAGMA cache_size=-{NORMAL_CACHE_KIB}"))
            return
        for table in tables:
            column = "seq" if table == "audit_entries" else "id"
            self._session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
                )
            )


# Rows per INSERT statement on SQLite. One statement per row (executemany) pays the statement's
# set-up every row, and that set-up includes building the lookup table of each `x IN (...)`
# CHECK constraint: half the cost of an exam row. Far below SQLite's variable limit (32,766).
SQLITE_ROWS_PER_STATEMENT = 200


def _sqlite_insert(raw: Any, table: str, rows: Sequence[Sequence[Any]], stored: bool) -> None:
    columns = COLUMNS[table]
    one = f"({', '.join('?' for _ in columns)})"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    size = SQLITE_ROWS_PER_STATEMENT
    full = f"{head}{', '.join([one] * size)}"
    flat = chain.from_iterable
    if not stored:
        rows = _sqlite_rows(table, rows)
    cursor = raw.cursor()
    try:
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            values = list(flat(chunk))
            if len(chunk) == size:
                cursor.execute(full, values)
            else:
                cursor.execute(f"{head}{', '.join([one] * len(chunk))}", values)
    finally:
        cursor.close()


# Columns holding dates or timestamps; only these need converting for SQLite.
TEMPORAL: dict[str, frozenset[str]] = {
    "officers": frozenset({"birth_date", "created_at", "updated_at"}),
    "assignments": frozenset({"start_date", "end_date"}),
    "badges": frozenset({"start_date", "end_date"}),
    "agencies": frozenset({"dissolved_on", "created_at"}),
    "audit_entries": frozenset({"at"}),
    "users": frozenset({"created_at"}),
    "evaluation_centres": frozenset({"created_at"}),
    "evaluations": frozenset({"requested_at", "decided_on", "confirmed_on", "valid_until",
                              "closed_at"}),
    "evaluation_exams": frozenset({"scheduled_on", "recorded_at"}),
    "appeals": frozenset({"filed_on", "decided_on"}),
    "separation_processes": frozenset({"opened_on", "closed_on"}),
    "agency_notifications": frozenset({"created_at", "read_at"}),
    "cup_components": frozenset({"completed_on", "valid_until", "recorded_at"}),
    "cup_certificates": frozenset({"issued_on", "valid_until", "ended_on"}),
    "officer_standing": frozenset({"last_decided_on", "approved_until", "cup_until"}),
    "cup_credentials": frozenset({"issued_at", "valid_until"}),
}


def _sqlite_rows(table: str, rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """Rows with their date columns in the text form SQLAlchemy itself stores on SQLite.

    Only the temporal columns are touched: converting every value of millions of rows was a
    quarter of the national build's time. A load holds few distinct days and instants (one
    `now`, a few thousand days): each is formatted once per call.
    """
    temporal = TEMPORAL.get(table, frozenset())
    indexes = [i for i, name in enumerate(COLUMNS[table]) if name in temporal]
    if not indexes:
        return rows
    texts: dict[Any, Any] = {}
    converted = []
    for row in rows:
        values = list(row)
        for i in indexes:
            value = values[i]
            if value is not None:
                found = texts.get(value)
                if found is None:
                    found = texts[value] = _as_text(value)
                values[i] = found
        converted.append(values)
    return converted


def _as_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return sqlite_timestamp_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value  # already text
