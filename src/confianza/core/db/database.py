"""Engines for SQLite (embedded) and PostgreSQL (production), configured for safety first."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError


def make_engine(url: str, *, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            # Let SQLAlchemy, not the driver, decide where transactions begin (see _begin).
            connect_args={"isolation_level": None, "check_same_thread": False},
            pool_size=8,
            max_overflow=8,
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, echo=echo, pool_size=10, max_overflow=10)
    ping_when_idle(engine)
    return engine


#: A pooled connection back in use within this many seconds is not pinged on checkout.
IDLE_PING_SECONDS = 2.0


def ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection on checkout only if it has lain idle.

    SQLAlchemy's `pool_pre_ping` pings on every checkout: a round trip and, measured on the
    audit log's one-entry transactions, a fifth of the client's and the server's CPU per
    transaction (ADR 0013). A connection checked in moments ago was alive moments ago; one that
    has waited in the pool (across a server restart, a failover or an idle timeout) is pinged,
    and a dead one is replaced before anyone uses it. A server lost in the seconds between is
    met as any disconnect mid-request is: SQLAlchemy invalidates the pool and the next request
    gets fresh connections.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_CHECKED_IN)
        if since is not None and time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            # The pool discards this connection and checks out another (up to three tries).
            raise DisconnectionError(f"pooled connection failed its ping: {exc}") from exc


_CHECKED_IN = "confianza_checked_in"


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer writes; NORMAL sync is durable across a process
    # crash (only an OS crash can lose the last commits), which is the trade-off WAL documents.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


READ_ONLY = "confianza_read_only"


def _sqlite_begin(connection: Any) -> None:
    # Almost every use case writes (at least its audit entry), so take the write lock at the
    # start: a read transaction that later upgrades can fail with SQLITE_BUSY, which
    # busy_timeout cannot wait out. Transactions declared read-only (resolving a token or a
    # session) begin deferred and never block behind a writer, thanks to WAL.
    # Straight to the driver: every transaction begins here, and SQLAlchemy's statement path
    # (events, result set-up) cost more than the statement itself.
    driver = connection.connection.driver_connection
    if connection.get_execution_options().get(READ_ONLY):
        driver.execute("BEGIN")
    else:
        driver.execute("BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class WriterLock:
    """SQLite's one writer, queued for by every thread of every process that writes to a file.

    Without it, a writer that finds the database locked sleeps in SQLite's busy handler, whose
    steps (1, 2, 5, 10 ... 100 ms) overshoot the moment the lock is free, and the server's
    appends wait behind the integration process's short writes for longer than they last.
    Threads queue on a lock of this process, then the process on an advisory lock of a file
    beside the database (`<database>-writer.lock`), which the kernel hands on as soon as it is
    released. An in-memory database has one process: its threads alone are queued.
    """

    def __init__(self, database: str | None) -> None:
        self._threads = threading.Lock()
        self._path = f"{database}-writer.lock" if database and database != ":memory:" else None
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int | None:
        if self._path is None:
            return None
        if self._fd is None or self._pid != os.getpid():  # a child process opens its own
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> WriterLock:
        self._threads.acquire()
        try:
            fd = self._file()
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        try:
            if self._fd is not None and self._pid == os.getpid():
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()


def writer_lock(engine: Engine) -> WriterLock | None:
    """The lock writers queue on before a write transaction: SQLite only (PostgreSQL has many
    writers)."""
    return WriterLock(engine.url.database) if is_sqlite(engine) else None


class SoleHolder:
    """A lock at most one process holds per database, for as long as it lives: the periodic
    checkpoint process takes it so that two servers started on one database (or a restart that
    overlaps the old one) never integrate at once.

    The lock must end with its holder however the holder ends, SIGKILL included, so it is one
    the operating system or the database releases by itself: on SQLite an advisory lock
    (`flock`) of a file beside the database, `<database>-<name>.lock`, which the kernel drops
    when the process's descriptors close; on PostgreSQL a session advisory lock, held on a
    connection of its own and dropped when that session ends. (SQLite's own write lock will
    not do: it is held only for each short write, and holding it longer would stop every
    writer.) An in-memory SQLite database lives in one process, which holds it alone.
    """

    def __init__(self, engine: Engine, name: str) -> None:
        self._engine = engine
        self._name = name
        self._fd: int | None = None
        self._connection: Connection | None = None
        database = engine.url.database
        self._path = (f"{database}-{name}.lock"
                      if is_sqlite(engine) and database and database != ":memory:" else None)
        # A stable 63-bit key for pg_try_advisory_lock, from the name.
        digest = hashlib.sha256(f"confianza:{name}".encode()).digest()
        self._key = int.from_bytes(digest[:8], "big") >> 1

    @property
    def held(self) -> bool:
        return self._fd is not None or self._connection is not None

    def try_acquire(self) -> bool:
        """Take the lock if no other process holds it; True if this one holds it now."""
        if not is_sqlite(self._engine):
            return self._try_postgresql()
        if self._path is None:
            return True
        if self._fd is None:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            self._fd = fd
        return True

    def _try_postgresql(self) -> bool:
        if self._connection is not None:
            try:  # still held, unless the session was lost (a restarted server drops it)
                self._connection.exec_driver_sql("SELECT 1")
                return True
            except Exception:
                self._drop_connection()
        connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                       {"key": self._key}).scalar_one()
        except BaseException:
            connection.close()
            raise
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.invalidate()  # the session, and with it the lock, ends
            with contextlib.suppress(Exception):
                connection.close()

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        self._drop_connection()
