"""Engines for SQLite (embedded) and PostgreSQL (production), configured for safety first."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


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
    return create_engine(url, echo=echo, pool_size=10, max_overflow=10, pool_pre_ping=True)


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
