"""Set-based writes for imports and generators: hundreds of thousands of rows per second.

Rows get their ids here, in blocks reserved while the tables are locked, so that an import can
link officers to assignments and badges without a round trip per row. SQLite writes through
`executemany` on the raw connection; PostgreSQL through COPY.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

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
        "at", "actor", "actor_kind", "action", "resource_type", "resource_id", "purpose",
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
}


BULK_CACHE_KIB = 512 * 1024
NORMAL_CACHE_KIB = 64 * 1024


class BulkWriter:
    """Bulk inserts inside the caller's transaction (the unit of work still commits)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

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

    def next_id(self, table: str) -> int:
        value = self._session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar()
        return int(value or 0) + 1

    def insert(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert tuples in COLUMNS[table] order."""
        if not rows:
            return
        columns = COLUMNS[table]
        connection = self._session.connection()
        raw: Any = connection.connection.driver_connection
        if self.is_postgres:
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join("?" for _ in columns)
            cursor = raw.cursor()
            try:
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
                    _sqlite_rows(table, rows),
                )
            finally:
                cursor.close()

    def finish(self, tables: Iterable[str]) -> None:
        """Move PostgreSQL's id sequences past the ids this writer assigned."""
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
}


def _sqlite_rows(table: str, rows: Sequence[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    """Rows with their date columns in the text form SQLAlchemy itself stores on SQLite.

    Only the temporal columns are touched: converting every value of millions of rows was a
    quarter of the national build's time.
    """
    temporal = TEMPORAL.get(table, frozenset())
    indexes = [i for i, name in enumerate(COLUMNS[table]) if name in temporal]
    if not indexes:
        return rows
    return (_convert(row, indexes) for row in rows)


def _convert(row: Sequence[Any], indexes: list[int]) -> list[Any]:
    values = list(row)
    for i in indexes:
        value = values[i]
        if isinstance(value, datetime):
            values[i] = _timestamp_text(value)
        elif isinstance(value, date):
            values[i] = value.isoformat()
    return values


@lru_cache(maxsize=8192)
def _timestamp_text(value: datetime) -> str:
    # A bulk load stamps rows with a few thousand instants (one per day of a history at most);
    # format each instant once.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")
