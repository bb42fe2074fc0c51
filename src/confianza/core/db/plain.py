"""Reads below the ORM, for the statements a page runs on every request.

A repository that reads plain rows (no objects to track) runs its statement on the session's
connection: the ORM's execution and loading cost more than a short indexed statement itself.
`connection` first writes out what the session still holds, as the ORM's own reads do
(autoflush), so such a read sees every change its transaction has made.

The statements every page runs (the session check, an officer's record) go one step lower: a
`Statement` is compiled once per database, and each run sends its SQL by the driver's own
cursor and turns the driver's rows into named rows with the column types' own conversions.
SQLAlchemy's statement path (its cache lookup, execution context, and result set-up, which
asks the driver to describe every column) cost more on PostgreSQL than the driver's own
round trip: 154-193 µs of client CPU a statement against 103-107 µs (ADR 0024). The
transaction, the flush and the connection are still the session's: only the statement's
execution is ours.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVarTuple, overload

from sqlalchemy import Connection, CursorResult, Dialect, Executable
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CompoundSelect, Select, TypedReturnsRows

_KEY = "confianza_plain_connection"
_Ts = TypeVarTuple("_Ts")


@dataclass(frozen=True)
class _Plan:
    """A statement as one database runs it: its SQL, how its parameters are bound and how its
    rows are read back."""

    sql: str
    positions: tuple[str, ...] | None  # the parameters' order (SQLite's ?), None for named
    defaults: dict[str, Any]  # the values written into the statement itself
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]
    row: Callable[[Any], Any]  # the named row made from the driver's tuple
    reads: tuple[tuple[int, Callable[[Any], Any]], ...]  # the columns that need converting

    def params(self, given: Mapping[str, Any] | None) -> Any:
        values = {**self.defaults, **given} if given else dict(self.defaults)
        for name, bind in self.binds:
            values[name] = bind(values[name])
        if self.positions is None:
            return values
        return tuple(values[name] for name in self.positions)

    def rows(self, fetched: list[Any]) -> list[Any]:
        make = self.row
        if not self.reads:
            return [make(row) for row in fetched]
        converted = []
        for row in fetched:
            values = list(row)
            for index, read in self.reads:
                values[index] = read(values[index])
            converted.append(make(values))
        return converted


class Statement:
    """A read every page runs, compiled once per database and sent by the driver.

    Only a statement whose parameters are plain values qualifies: one with an IN list (its
    SQL changes with the list) or an escaped parameter name is run by SQLAlchemy as usual."""

    def __init__(self, statement: Select[Any] | CompoundSelect[Any]) -> None:
        self.statement = statement
        self._plans: dict[str, _Plan | None] = {}

    def plan(self, dialect: Dialect) -> _Plan | None:
        try:
            return self._plans[dialect.name]
        except KeyError:
            plan = self._plans[dialect.name] = _compile(self.statement, dialect)
            return plan


def _compile(statement: Select[Any] | CompoundSelect[Any], dialect: Dialect) -> _Plan | None:
    compiled: Any = statement.compile(dialect=dialect)
    binds = compiled.binds.values()
    if any(b.expanding or b.literal_execute for b in binds) or compiled.escaped_bind_names:
        return None
    # SQLAlchemy's own conversions, as its result set-up would find them: a date kept as text
    # on SQLite, a flag kept as an integer, a type of ours (UtcDateTime).
    reads = []
    for index, column in enumerate(compiled._result_columns):
        read = column.type._cached_result_processor(dialect, None)
        if read is not None:
            reads.append((index, read))
    names = [column.keyname for column in compiled._result_columns]
    # A named tuple: the repositories read a row by position, by unpacking or by column name.
    named: Any = namedtuple("Row", names, rename=True)  # type: ignore[misc]
    row = named._make
    return _Plan(
        sql=str(compiled),
        positions=tuple(compiled.positiontup) if compiled.positiontup is not None else None,
        defaults=compiled.construct_params(_check=False),
        binds=tuple(compiled._bind_processors.items()),
        row=row,
        reads=tuple(reads),
    )


class Rows:
    """A statement's rows, read at once: iterated, or the first, or all."""

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return self._rows

    def first(self) -> Any | None:
        return self._rows[0] if self._rows else None


class Reader:
    """The session's connection, reading: a `Statement` by the driver, anything else by
    SQLAlchemy."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @overload
    def execute(self, statement: Statement, params: Mapping[str, Any] | None = None
                ) -> Rows: ...

    @overload
    def execute(self, statement: TypedReturnsRows[*_Ts],
                params: Mapping[str, Any] | None = None) -> CursorResult[*_Ts]: ...

    @overload
    def execute(self, statement: Executable, params: Mapping[str, Any] | None = None
                ) -> CursorResult[*tuple[Any, ...]]: ...

    def execute(self, statement: Statement | Executable,
                params: Mapping[str, Any] | None = None
                ) -> Rows | CursorResult[*tuple[Any, ...]]:
        if not isinstance(statement, Statement):
            return self.connection.execute(statement, params)
        plan = statement.plan(self.connection.dialect)
        if plan is None:
            result: CursorResult[Any] = self.connection.execute(statement.statement, params)
            return Rows(list(result))
        connection: Any = self.connection
        cursor = connection.connection.driver_connection.cursor()
        try:
            parameters = plan.params(params)
            if connection._has_events or connection.engine._has_events:
                # Whoever listens to the engine's statements (the tests that pin how many a
                # page sends, a tracer) hears these too; there is no execution context.
                connection.dispatch.before_cursor_execute(
                    connection, cursor, plan.sql, parameters, None, False)
            cursor.execute(plan.sql, parameters)
            return Rows(plan.rows(cursor.fetchall()))
        except connection.dialect.loaded_dbapi.Error as exc:
            # As SQLAlchemy would raise it (a DataError for an id past what a column holds,
            # which the unit of work turns into a 422), and a lost connection invalidated so
            # that the pool does not hand it out again.
            if connection.dialect.is_disconnect(exc, connection.connection, cursor):
                connection.invalidate(exc)
            raise DBAPIError.instance(plan.sql, parameters, exc,
                                      connection.dialect.loaded_dbapi.Error,
                                      dialect=connection.dialect) from exc
        finally:
            cursor.close()


def connection(session: Session) -> Reader:
    """The session's connection, inside its transaction, after a flush (a no-op when nothing
    is pending). Kept in the session's `info` while it lasts: asking the session for it again
    costs more than a short statement's own work."""
    session.flush()
    found: Reader | None = session.info.get(_KEY)
    if found is None or found.connection.closed or not found.connection.in_transaction():
        found = session.info[_KEY] = Reader(session.connection())
    return found
