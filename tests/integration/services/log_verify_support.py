"""Building a signed log and tampering with it as an insider with database access would.

The append-only triggers refuse every change, so `tampering` switches them off for one
transaction: on PostgreSQL with replica mode (the tests connect as a superuser), on SQLite by
dropping them inside the transaction (DDL is transactional there) and putting them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import Connection, text

from confianza.app.bootstrap import Container
from confianza.kit.signed_note import Signer
from confianza.trail.rules import PendingEntry
from confianza.transparency.service import log as transparency
from conftest import PUBLIC

ORIGIN = "confianza.test/audit-log"


def write(container: Container, count: int, start: int = 0) -> None:
    with container.uow().transaction() as tx:
        tx.audit.write_many([
            PendingEntry("tester", "user", "officer:identity:read", "officer", str(n),
                         purpose="check", detail={"n": n})
            for n in range(start, start + count)
        ])


def build_log(container: Container, signer: Signer, sizes: tuple[int, ...] = (10, 25, 40),
              unsigned: int = 0) -> None:
    """Entries signed at each size (integrated in small batches), then `unsigned` more that
    are integrated but not yet in any checkpoint."""
    done = 0
    for size in sizes:
        write(container, size - done, done)
        transparency.integrate(container.uow(), PUBLIC, batch=7)
        transparency.sign_head(container.uow(), [signer], ORIGIN)
        done = size
    if unsigned:
        write(container, unsigned, done)
        transparency.integrate(container.uow(), PUBLIC)


@contextmanager
def tampering(container: Container) -> Iterator[Connection]:
    with container.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            yield connection
            return
        saved = [row[0] for row in connection.execute(text(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
            "('audit_entries', 'log_hashes', 'log_checkpoints')"))]
        names = [row[0] for row in connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
            "('audit_entries', 'log_hashes', 'log_checkpoints')"))]
        for name in names:
            connection.execute(text(f"DROP TRIGGER {name}"))
        yield connection
        for statement in saved:
            connection.execute(text(statement))


def set_detail(connection: Connection, seq: int, detail: str) -> None:
    connection.execute(text("UPDATE audit_entries SET detail = :d WHERE seq = :s"),
                       {"d": detail, "s": seq})


def delete(connection: Connection, seq: int, *, renumber: bool) -> None:
    connection.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": seq})
    if renumber:
        _shift(connection, seq + 1, -1)


def insert_at(connection: Connection, seq: int, container: Container) -> None:
    """A forged entry at `seq`, the later ones renumbered up to make room."""
    _shift(connection, seq, +1)
    connection.execute(text(
        "INSERT INTO audit_entries (seq, at, actor, actor_kind, action, resource_type, "
        "resource_id, purpose, request_id, detail) VALUES (:s, :at, 'tester', 'user', "
        "'officer:identity:read', 'officer', '999', 'check', NULL, '{}')"),
        {"s": seq, "at": container.clock() - timedelta(days=1)})


def swap(connection: Connection, first: int, second: int) -> None:
    """Exchanges two entries' contents by exchanging their numbers."""
    parking = -1_000_000
    for old, new in ((first, parking), (second, first), (parking, second)):
        connection.execute(text("UPDATE audit_entries SET seq = :n WHERE seq = :o"),
                           {"n": new, "o": old})


def _shift(connection: Connection, from_seq: int, by: int) -> None:
    # Through negative numbers, so the primary key never sees two rows with one number.
    connection.execute(text("UPDATE audit_entries SET seq = -(seq + :by) WHERE seq >= :f"),
                       {"by": by, "f": from_seq})
    connection.execute(text("UPDATE audit_entries SET seq = -seq WHERE seq < 0"))
