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

import itertools
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVarTuple, overload

from sqlalchemy import Connection, CursorResult, Dialect, Executable
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CompoundSelect, Select, TypedReturnsRows

_KEY = "confianza_plain_connection"
_CURSORS = itertools.count(1)
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


@dataclass(frozen=True)
class Ahead:
    """Reads a repository will be asked for next (`core.work.ReadAhead`): its statements with
    their parameters, for `Reader.prefetch`."""

    reads: tuple[tuple[Statement, Mapping[str, Any]], ...]


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
        # Rows sent for ahead of time (`prefetch`), by statement and parameters, until asked for.
        self._ahead: dict[tuple[Statement, tuple[tuple[str, Any], ...]], Rows] = {}

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
        if self._ahead:
            found = self._ahead.pop(_key(statement, params), None)
            if found is not None:
                return found
        plan = statement.plan(self.connection.dialect)
        if plan is None:
            result: CursorResult[Any] = self.connection.execute(statement.statement, params)
            return Rows(list(result))
        connection: Any = self.connection
        cursor = connection.connection.driver_connection.cursor()
        try:
            parameters = self._sent(cursor, plan, params)
            try:
                cursor.execute(plan.sql, parameters)
                return Rows(plan.rows(cursor.fetchall()))
            except connection.dialect.loaded_dbapi.Error as exc:
                raise self._failure(exc, cursor, plan.sql, parameters) from exc
        finally:
            cursor.close()

    def prefetch(self, reads: Sequence[tuple[Statement, Mapping[str, Any]]]) -> None:
        """Send `reads` now, together, and keep their rows for the `execute` that asks for
        each next (the same statement and parameters; once).

        On PostgreSQL they travel in the driver's pipeline: one round trip for them all (and
        the transaction's BEGIN with them) where each would wait for its own answer, each still
        a prepared statement. Sent instead as one message of several statements with the values
        quoted in (the simple protocol), they cost the client less but the server more, since it
        plans each every time: served, 1.6 ms of PostgreSQL's CPU a profile against 1.0
        pipelined (ADR 0024). The server runs them one after another, as it would have. On
        SQLite nothing is sent ahead: the database is in this process, there is no round trip
        to save, and each read runs when asked for.

        A promise, like a read-only block: these are the block's next reads, before it writes
        anything they would see. A read not asked for is dropped with the connection."""
        if self.connection.dialect.name != "postgresql":
            return
        planned = []
        for statement, params in reads:
            plan = statement.plan(self.connection.dialect)
            if plan is not None:
                planned.append((_key(statement, params), plan, params))
        if not planned:
            return
        connection: Any = self.connection
        driver = connection.connection.driver_connection
        cursors = [driver.cursor() for _ in planned]
        sent: tuple[str, Any] = (planned[0][1].sql, None)
        try:
            try:
                with driver.pipeline():
                    for cursor, (_, plan, params) in zip(cursors, planned, strict=True):
                        sent = (plan.sql, self._sent(cursor, plan, params))
                        cursor.execute(*sent)
                for cursor, (key, plan, _) in zip(cursors, planned, strict=True):
                    self._ahead[key] = Rows(plan.rows(cursor.fetchall()))
            except connection.dialect.loaded_dbapi.Error as exc:
                raise self._failure(exc, cursors[0], *sent) from exc
        finally:
            for cursor in cursors:
                cursor.close()

    def _sent(self, cursor: Any, plan: _Plan, params: Mapping[str, Any] | None) -> Any:
        """The parameters as the driver takes them, after telling whoever listens to the
        engine's statements (the tests that pin how many a page sends, a tracer): there is no
        execution context."""
        parameters = plan.params(params)
        connection: Any = self.connection
        if connection._has_events or connection.engine._has_events:
            connection.dispatch.before_cursor_execute(
                connection, cursor, plan.sql, parameters, None, False)
        return parameters

    def _failure(self, exc: Exception, cursor: Any, sql: str, parameters: Any
                 ) -> StatementError:
        """A driver error as SQLAlchemy would raise it (a DataError for an id past what a
        column holds, which the unit of work turns into a 422), its connection invalidated
        when lost, so that the pool does not hand it out again."""
        connection: Any = self.connection
        if connection.dialect.is_disconnect(exc, connection.connection, cursor):
            connection.invalidate(exc)
        return DBAPIError.instance(sql, parameters, exc, connection.dialect.loaded_dbapi.Error,
                                   dialect=connection.dialect)


def _key(statement: Statement, params: Mapping[str, Any] | None
         ) -> tuple[Statement, tuple[tuple[str, Any], ...]]:
    return statement, tuple(sorted(params.items())) if params else ()


def connection(session: Session) -> Reader:
    """The session's connection, inside its transaction, after a flush (a no-op when nothing
    is pending). Kept in the session's `info` while it lasts: asking the session for it again
    costs more than a short statement's own work."""
    session.flush()
    found: Reader | None = session.info.get(_KEY)
    if found is None or found.connection.closed or not found.connection.in_transaction():
        found = session.info[_KEY] = Reader(session.connection())
    return found


def driver_batches(session: Session, statement: Select[*tuple[Any, ...]], size: int
                   ) -> Iterator[list[tuple[Any, ...]]]:
    """A long result as the driver's own tuples, `size` rows at a time: no SQLAlchemy row per
    row (at millions of rows its result machinery cost more than the driver's fetch), and no
    type conversion either: the caller reads the values as the driver hands them (SQLite's
    dates and instants are text), and the statement's parameters must be plain values.

    On PostgreSQL the rows come through a server-side cursor, so a result of millions of rows
    is never held whole in memory; such a cursor lives inside a transaction, which the
    session's connection is in (on SQLite the driver's `fetchmany` streams already)."""
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect,
                                 compile_kwargs={"render_postcompile": True})
    given = compiled.params
    # The parameters go to the driver as they are: plain numbers and text (no type of ours
    # converts them on the way).
    parameters: Any = ([given[name] for name in compiled.positiontup or ()]
                       if compiled.positional else given)
    driver: Any = connection.connection.driver_connection
    postgresql = connection.dialect.name == "postgresql"
    # Named apart: a caller may read one result while another is open.
    cursor = (driver.cursor(name=f"confianza_batches_{next(_CURSORS)}") if postgresql
              else driver.cursor())
    try:
        if postgresql:
            cursor.itersize = size
        cursor.execute(str(compiled), parameters)
        while rows := cursor.fetchmany(size):
            yield rows
    finally:
        cursor.close()
