"""Set-based writes for imports and generators: hundreds of thousands of rows per second.

Rows get their ids here, in blocks reserved while the tables are locked, so that an import can
link officers to assignments and badges without a round trip per row. SQLite writes multi-row
INSERT statements on the raw connection; PostgreSQL through COPY. A load into empty tables may
defer their secondary indexes and build them once at the end (`defer_indexes`, `finish`).

Rows are plain tuples (a tuple per row is what keeps millions of rows fast), and the caller names
the column of each position once per batch. The writer checks those names against the table in
`models.py`, the one declaration of the schema: a column the table lacks, a column it needs that
the rows leave out, or a row of the wrong width fails before anything is written, naming the
table and the column. No column list is kept here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import Column, Date, DateTime, Table, TypeDecorator, text
from sqlalchemy.orm import Session

from confianza.core.db.models import Base
from confianza.core.work import StoredForms

# Columns no loader fills: the trail's place in the log, which the integrator gives later
# (ADR 0023). The database gives the rows their `id`, as to every table's generated key.
_LEFT_TO_LOG = {"audit_entries": "seq"}


class RowShapeError(TypeError):
    """Rows that do not fit their table: a table or column the schema lacks, a column the table
    needs that the rows leave out, or a row with more or fewer values than columns named."""


@dataclass(frozen=True)
class RowShape:
    """How one batch's tuples map onto a table, checked once against the schema."""

    table: str
    columns: tuple[str, ...]  # the column of each value of a row, as the caller names them
    temporal: tuple[int, ...]  # positions in `columns` of dates and timestamps


def table_of(name: str) -> Table:
    """The table of the schema with this name; a name the schema lacks fails, and never reaches
    a statement (the writer's statements name tables in their text)."""
    table = Base.metadata.tables.get(name)
    if table is None:
        raise RowShapeError(f"the schema has no table {name!r}")
    return table


def _is_temporal(column: Column[Any]) -> bool:
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return isinstance(kind, (Date, DateTime))


@cache
def row_shape(table: str, given: tuple[str, ...]) -> RowShape:
    """Check that rows with these columns fit the table, by name; what the writer needs to know.

    Every column of the table must be named but its database-numbered key (an id the database
    gives) and the trail's place in the log (which the integrator gives): the writer bypasses the
    ORM, so a column left out would be NULL or fail, and a column added to the schema must be
    filled by every loader. Order is free: statements name their columns.
    """
    schema = table_of(table)
    known = {column.name: column for column in schema.columns}
    seen: set[str] = set()
    for name in given:
        if name not in known:
            raise RowShapeError(f"table {table} has no column {name!r}")
        if name in seen:
            raise RowShapeError(f"rows for table {table} name column {name!r} twice")
        seen.add(name)
    later = _LEFT_TO_LOG.get(table)
    if later is not None and later in seen:
        raise RowShapeError(f"rows for table {table} must leave out column {later!r}: the "
                            "log's integrator gives it")
    generated = schema.autoincrement_column
    missing = [name for name, column in known.items()
               if name not in seen and column is not generated and name != later]
    if missing:
        raise RowShapeError(f"rows for table {table} leave out column"
                            f"{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
    temporal = tuple(i for i, name in enumerate(given) if _is_temporal(known[name]))
    return RowShape(table, given, temporal)


def _check_widths(shape: RowShape, rows: Sequence[Sequence[Any]]) -> None:
    # One pass in C over the lengths: a mismatched row would otherwise fail deep in the driver
    # (or shift every value of a multi-row statement) without naming the table.
    width = len(shape.columns)
    if set(map(len, rows)) == {width}:
        return
    index, row = next((i, r) for i, r in enumerate(rows) if len(r) != width)
    raise RowShapeError(f"row {index} for table {shape.table} has {len(row)} values for "
                        f"{width} columns ({', '.join(shape.columns)})")

BULK_CACHE_KIB = 512 * 1024
NORMAL_CACHE_KIB = 64 * 1024


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
        for table in tables:
            table_of(table)
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
        table_of(table)
        value = self._session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar()
        return int(value or 0) + 1

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
               stored: bool = False) -> None:
        """Insert tuples whose values are, in order, the `columns` named (checked against the
        table: see `row_shape`); `stored`: their dates and timestamps are already in
        `stored_forms`, as they go to the engine."""
        shape = row_shape(table, tuple(columns))
        if not rows:
            return
        _check_widths(shape, rows)
        connection = self._session.connection()
        raw: Any = connection.connection.driver_connection
        if self.is_postgres:
            statement = f"COPY {table} ({', '.join(shape.columns)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            _sqlite_insert(raw, shape, rows, stored)

    def defer_indexes(self, tables: Sequence[str]) -> None:
        """Drop the secondary indexes of those tables that are still empty; `finish` builds them
        again from the loaded rows, with the very statements that made them.

        Sorting all keys once costs far less than keeping an index in order row by row when the
        rows arrive in another order (exams by examiner, by day). The indexes that back a
        constraint (primary keys, UNIQUE columns) stay. Unique indexes that are dropped are
        still enforced: building them again fails, and the transaction with it, on a duplicate.
        """
        for table in tables:
            table_of(table)
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

    def finish(self, tables: Iterable[str], *, also_written: Iterable[str] = ()) -> None:
        """Build the deferred indexes; on PostgreSQL, move the id sequences past the ids this
        writer assigned and refresh the planner's statistics of the tables written.

        Without fresh statistics PostgreSQL plans the first queries after a load for the tables
        as they were (often empty) until autovacuum comes round, minutes later: a roster's
        counts or a name search took 77 ms instead of 5. ANALYZE reads a sample (a few hundred
        milliseconds for the national registry) and, inside this transaction, counts the
        transaction's own rows; if the load rolls back, so do the statistics. `also_written`
        names the tables written that have no numbered key (their statistics only)."""
        tables = tuple(tables)
        while self._deferred:
            # The statements come from the catalogue, verbatim: no bind parameters in them.
            self._session.connection().exec_driver_sql(self._deferred.pop(0))
        if not self.is_postgres:
            self._session.execute(text(f"PRAGMA cache_size=-{NORMAL_CACHE_KIB}"))
            return
        for table in tables:
            key = table_of(table).autoincrement_column
            if key is None:
                raise RowShapeError(f"table {table} has no numbered key to move past")
            column = key.name
            self._session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
                )
            )
        for table in (*tables, *also_written):
            table_of(table)  # a table of the schema, so its name is safe in the statement
            self._session.execute(text(f"ANALYZE {table}"))


# Rows per INSERT statement on SQLite. One statement per row (executemany) pays the statement's
# set-up every row, and that set-up includes building the lookup table of each `x IN (...)`
# CHECK constraint: half the cost of an exam row. Far below SQLite's variable limit (32,766).
SQLITE_ROWS_PER_STATEMENT = 200


def _sqlite_insert(raw: Any, shape: RowShape, rows: Sequence[Sequence[Any]], stored: bool
                   ) -> None:
    columns = shape.columns
    one = f"({', '.join('?' for _ in columns)})"
    head = f"INSERT INTO {shape.table} ({', '.join(columns)}) VALUES "
    size = SQLITE_ROWS_PER_STATEMENT
    full = f"{head}{', '.join([one] * size)}"
    flat = chain.from_iterable
    if not stored:
        rows = _sqlite_rows(shape, rows)
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


def _sqlite_rows(shape: RowShape, rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """Rows with their date columns in the text form SQLAlchemy itself stores on SQLite.

    Only the temporal columns are touched: converting every value of millions of rows was a
    quarter of the national build's time. A load holds few distinct days and instants (one
    `now`, a few thousand days): each is formatted once per call.
    """
    indexes = shape.temporal
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
