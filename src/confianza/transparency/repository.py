"""The Merkle log's storage: the tree head, the complete-subtree hashes, the checkpoints."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Engine,
    String,
    Table,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from confianza.core.db.database import make_engine
from confianza.core.db.models import (
    AuditEntryRow,
    LogCheckpointRow,
    LogHashRow,
    LogStateRow,
    LogTreeRow,
)
from confianza.kit.merkle import NodeId
from confianza.trail.rules import AuditEntry, StoredEntry

# Node pairs per statement of `hashes` (a tile export asks for a few thousand at once).
_PAIRS = 10_000
# CROSS JOIN keeps SQLite's list of pairs as the outer loop, so each is one primary-key lookup.
_SQLITE_HASHES = (
    "SELECT h.level, h.idx, h.hash FROM json_each(?) AS w CROSS JOIN log_hashes AS h "
    "ON h.level = json_extract(w.value, '$[0]') AND h.idx = json_extract(w.value, '$[1]')"
)
_PG_HASHES = (
    "SELECT h.level, h.idx, h.hash FROM unnest(%s::int[], %s::bigint[]) AS w(l, i) "
    "JOIN log_hashes AS h ON h.level = w.l AND h.idx = w.i"
)
_HASHES = cast(Table, LogHashRow.__table__)
# Giving places: one statement for the whole batch, the row's `seq IS NULL` checked again so that
# a row placed meanwhile could never be placed twice (the counter's lock already prevents it).
_PG_PLACE = ("UPDATE audit_entries AS a SET seq = w.seq "
             "FROM unnest(%s::bigint[], %s::bigint[]) AS w(id, seq) "
             "WHERE a.id = w.id AND a.seq IS NULL")
_SQLITE_PLACE = "UPDATE audit_entries SET seq = ? WHERE id = ? AND seq IS NULL"


class TransparencyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def sequence(self, limit: int) -> int:
        """Give the committed entries that have no place in the log yet their places, the next
        ones after every place given, in id order, at most `limit` of them; returns how many.

        The counter row is locked first, in a statement of its own: on PostgreSQL a second
        integrator waits there, and each later statement reads with a snapshot taken after the
        wait (read committed), so it sees the places the first one gave and never gives them
        again. On SQLite the transaction already holds the database's one write lock. An entry
        whose transaction is still open is invisible here and simply waits for a later batch:
        nothing needs to know which transactions are still running (ADR 0023).
        """
        connection = self._session.connection()
        first = int(connection.execute(
            select(LogStateRow.next_seq).where(LogStateRow.id == 1).with_for_update()
        ).scalar_one())
        ids = list(connection.execute(
            select(AuditEntryRow.id).where(AuditEntryRow.seq.is_(None))
            .order_by(AuditEntryRow.id).limit(limit)
        ).scalars())
        if not ids:
            return 0
        places = list(range(first, first + len(ids)))
        cursor: Any = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if connection.dialect.name == "sqlite":
                cursor.executemany(_SQLITE_PLACE, list(zip(places, ids, strict=True)))
            else:
                cursor.execute(_PG_PLACE, (ids, places))
            placed = cursor.rowcount
        finally:
            cursor.close()
        if placed != len(ids):
            # Only a second integrator not holding the counter could cause this; refuse rather
            # than leave a gap in the log.
            raise RuntimeError(f"the log placed {placed} of {len(ids)} entries; none is kept")
        connection.execute(update(LogStateRow).where(LogStateRow.id == 1)
                           .values(next_seq=first + len(ids)))
        return len(ids)

    def waiting(self) -> int:
        """How many committed entries have no place in the log yet (ix_audit_unsequenced)."""
        return int(self._session.scalar(
            select(func.count()).select_from(AuditEntryRow)
            .where(AuditEntryRow.seq.is_(None))) or 0)

    def head(self, *, lock: bool = False) -> tuple[int, bytes]:
        """The integrated size and root; `lock` holds the row so one integration runs at once."""
        query = select(LogTreeRow.size, LogTreeRow.root).where(LogTreeRow.id == 1)
        if lock:
            query = query.with_for_update()
        size, root = self._session.execute(query).one()
        return int(size), bytes(root)

    def set_head(self, size: int, root: bytes, now: datetime) -> None:
        self._session.execute(
            update(LogTreeRow).where(LogTreeRow.id == 1)
            .values(size=size, root=root, integrated_at=now)
        )

    def hashes(self, nodes: Sequence[NodeId]) -> list[bytes]:
        """The stored hashes of these nodes, in the order asked; KeyError names a missing one.

        Every proof runs this, so it is one statement of constant text whatever the nodes: the
        wanted (level, index) pairs are passed as one value (two arrays on PostgreSQL, a JSON
        list on SQLite) and joined to the primary key. The statement is prepared once; building
        a condition per node cost more than the proof (4 ms of 5 on PostgreSQL).
        """
        wanted = list(dict.fromkeys(nodes))
        found: dict[NodeId, bytes] = {}
        connection = self._session.connection()
        cursor: Any = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            for start in range(0, len(wanted), _PAIRS):
                part = wanted[start:start + _PAIRS]
                if connection.dialect.name == "sqlite":
                    cursor.execute(_SQLITE_HASHES, (json.dumps(part),))
                else:
                    cursor.execute(_PG_HASHES, ([lv for lv, _ in part], [ix for _, ix in part]))
                found.update({(int(lv), int(ix)): bytes(h) for lv, ix, h in cursor.fetchall()})
        finally:
            cursor.close()
        missing = [n for n in wanted if n not in found]
        if missing:
            raise KeyError(f"the log has no stored hash at (level, index) {missing[0]}")
        return [found[n] for n in nodes]

    def add_hashes(self, rows: Sequence[tuple[int, int, bytes]]) -> None:
        """About two rows per entry, at the log's full rate: on PostgreSQL sent by COPY, a
        fifth of what an INSERT per row costs the server and the integrator (ADR 0013);
        elsewhere Core's executemany on the connection."""
        if not rows:
            return
        connection = self._session.connection()
        if connection.dialect.name == "postgresql":
            driver: Any = connection.connection.driver_connection
            with driver.cursor() as cursor, cursor.copy(
                    "COPY log_hashes (level, idx, hash) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        connection.execute(
            _HASHES.insert(),
            [{"level": level, "idx": idx, "hash": value} for level, idx, value in rows],
        )

    def entries(self, first_seq: int, limit: int) -> list[AuditEntry]:
        """Entries numbered first_seq .. first_seq + limit - 1, in sequence order (a number
        missing from the trail is simply absent)."""
        return self.reader().entries_between(first_seq, first_seq + limit)

    def stored(self, first_seq: int, limit: int) -> list[StoredEntry]:
        """The same entries in their stored form, as the log encodes them."""
        return self.reader().stored_between(first_seq, first_seq + limit)

    def add_checkpoint(self, size: int, root: bytes, note: bytes, now: datetime) -> None:
        self._session.execute(
            insert(LogCheckpointRow),
            {"size": size, "root": root, "note": note, "signed_at": now},
        )

    def checkpoint(self, size: int | None = None) -> bytes | None:
        """The signed note at a size, or the latest one."""
        query = select(LogCheckpointRow.note)
        if size is None:
            query = query.order_by(LogCheckpointRow.size.desc()).limit(1)
        else:
            query = query.where(LogCheckpointRow.size == size)
        note = self._session.scalar(query)
        return None if note is None else bytes(note)

    def stored_entry(self, entry_id: int) -> tuple[AuditEntry, StoredEntry | None] | None:
        """One entry by id, and its stored form once the log has placed it."""
        return self.reader().stored_entry(entry_id)

    def reader(self) -> StoredLogReader:
        """Range reads over the same transaction, for verification."""
        return StoredLogReader(self._session)


# --- reads for the verifier (services.log_verify) ------------------------------------------------
# Whole ranges in key order, plain columns (no ORM objects): verification reads every entry and
# every stored hash once, so the cost per row is what matters.

_ENTRY_COLUMNS = (
    AuditEntryRow.seq, AuditEntryRow.at, AuditEntryRow.actor, AuditEntryRow.actor_kind,
    AuditEntryRow.action, AuditEntryRow.resource_type, AuditEntryRow.resource_id,
    AuditEntryRow.purpose, AuditEntryRow.request_id, AuditEntryRow.detail,
)


def _canonical_time(dialect: str) -> ColumnElement[str]:
    """`at` in the canonical spelling (2026-11-20T15:00:00.123456Z), computed by the database.

    SQLite keeps SQLAlchemy's text, always "YYYY-MM-DD HH:MM:SS.ffffff" in UTC (as written by
    log_append and by the ORM's DateTime), so the spelling is that text with "T" and "Z"; a
    row whose text was edited into another shape therefore no longer matches its leaf, as it
    should. PostgreSQL formats the instant in UTC."""
    if dialect == "sqlite":
        raw = type_coerce(AuditEntryRow.at, String)
        return func.replace(raw, " ", "T").concat("Z")
    return func.to_char(func.timezone("UTC", AuditEntryRow.at),
                        'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')


class StoredLogReader:
    """Read-only range queries over the trail and its stored tree, for verification."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def entry_bounds(self) -> tuple[int, int, int]:
        """How many entries the log has placed, and their lowest and highest places (0s if
        none); entries still waiting for a place are not in the log yet."""
        count, low, high = self._session.execute(
            select(func.count(AuditEntryRow.seq), func.min(AuditEntryRow.seq),
                   func.max(AuditEntryRow.seq))
        ).one()
        return int(count), int(low or 0), int(high or 0)

    def entries_between(self, first_seq: int, end_seq: int) -> list[AuditEntry]:
        """The entries numbered first_seq <= seq < end_seq, in order (gaps are simply absent)."""
        # On the connection, not the session: the ORM's result machinery costs more per row
        # than the row (none of these are ORM objects anyway).
        rows = self._session.connection().execute(
            select(*_ENTRY_COLUMNS, AuditEntryRow.id)
            .where(AuditEntryRow.seq >= first_seq, AuditEntryRow.seq < end_seq)
            .order_by(AuditEntryRow.seq)
        )
        loads = json.loads
        return [
            AuditEntry(
                at, actor, kind, action, rtype, rid,
                purpose, request_id, loads(detail), seq, entry_id,
            )
            for (seq, at, actor, kind, action, rtype, rid, purpose, request_id, detail,
                 entry_id) in rows
        ]

    def stored_entry(self, entry_id: int) -> tuple[AuditEntry, StoredEntry | None] | None:
        """One entry by id, as read and, once the log has placed it, in its stored form."""
        connection = self._session.connection()
        row = connection.execute(
            select(*_ENTRY_COLUMNS, _canonical_time(connection.dialect.name))
            .where(AuditEntryRow.id == entry_id)
        ).first()
        if row is None:
            return None
        seq, at, actor, kind, action, rtype, rid, purpose, request_id, detail, spelled = row
        entry = AuditEntry(at, actor, kind, action, rtype, rid, purpose, request_id,
                           json.loads(detail), seq, entry_id)
        if seq is None:
            return entry, None
        return entry, StoredEntry(seq, spelled, actor, kind, action, rtype, rid, purpose,
                                  request_id, detail)

    def stored_between(self, first_seq: int, end_seq: int) -> list[StoredEntry]:
        """The entries numbered first_seq <= seq < end_seq in their stored form (see
        domain.audit.StoredEntry): the timestamp spelled by the database, the detail as
        stored. What the log hashes, read at the cost of the rows alone."""
        connection = self._session.connection()
        at = _canonical_time(connection.dialect.name)
        rows = connection.execute(
            select(AuditEntryRow.seq, at, *_ENTRY_COLUMNS[2:])
            .where(AuditEntryRow.seq >= first_seq, AuditEntryRow.seq < end_seq)
            .order_by(AuditEntryRow.seq)
        )
        make = StoredEntry._make
        return [make(row) for row in rows.all()]

    def hash_range(self, level: int, first_idx: int, end_idx: int) -> list[tuple[int, bytes]]:
        """Stored (index, hash) at one level for first_idx <= index < end_idx, in order."""
        rows = self._session.connection().execute(
            select(LogHashRow.idx, LogHashRow.hash)
            .where(LogHashRow.level == level, LogHashRow.idx >= first_idx,
                   LogHashRow.idx < end_idx)
            .order_by(LogHashRow.idx)
        )
        # Both drivers give int and bytes already.
        return cast(list[tuple[int, bytes]], rows.all())

    def checkpoints(self) -> list[tuple[int, bytes, bytes]]:
        """Every kept checkpoint as stored: (size, root, signed note), by size."""
        rows = self._session.execute(
            select(LogCheckpointRow.size, LogCheckpointRow.root, LogCheckpointRow.note)
            .order_by(LogCheckpointRow.size)
        )
        return [(int(size), bytes(root), bytes(note)) for size, root, note in rows]


# One engine per database per process: a verifier's worker processes read many ranges each.
_ENGINES: dict[str, Engine] = {}


@contextmanager
def log_reader(database_url: str) -> Iterator[StoredLogReader]:
    """A reader over a connection of its own (for a worker process), rolled back at the end."""
    engine = _ENGINES.get(database_url)
    if engine is None:
        engine = _ENGINES[database_url] = make_engine(database_url)
    with Session(engine) as session:
        try:
            yield StoredLogReader(session)
        finally:
            session.rollback()
