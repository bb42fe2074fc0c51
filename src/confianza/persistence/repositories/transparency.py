"""The Merkle log's storage: the tree head, the complete-subtree hashes, the checkpoints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.orm import Session

from confianza.domain.audit import AuditEntry
from confianza.domain.merkle import NodeId
from confianza.persistence.models import (
    AuditEntryRow,
    LogCheckpointRow,
    LogHashRow,
    LogTreeRow,
)
from confianza.persistence.repositories.audit import entry_of

# Keys per IN (...) query: far below both databases' parameter limits.
_CHUNK = 400


class TransparencyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

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
        """The stored hashes of these nodes, in the order asked; KeyError names a missing one."""
        found: dict[NodeId, bytes] = {}
        wanted = list(dict.fromkeys(nodes))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            rows = self._session.execute(
                select(LogHashRow.level, LogHashRow.idx, LogHashRow.hash)
                .where(tuple_(LogHashRow.level, LogHashRow.idx).in_(chunk))
            )
            found.update({(int(lv), int(ix)): bytes(h) for lv, ix, h in rows})
        missing = [n for n in wanted if n not in found]
        if missing:
            raise KeyError(f"the log has no stored hash at (level, index) {missing[0]}")
        return [found[n] for n in nodes]

    def add_hashes(self, rows: Sequence[tuple[int, int, bytes]]) -> None:
        if rows:
            self._session.execute(
                insert(LogHashRow),
                [{"level": level, "idx": idx, "hash": value} for level, idx, value in rows],
            )

    def entries(self, first_seq: int, limit: int) -> list[AuditEntry]:
        """Entries from `first_seq` on, in sequence order."""
        rows = self._session.scalars(
            select(AuditEntryRow).where(AuditEntryRow.seq >= first_seq)
            .order_by(AuditEntryRow.seq).limit(limit)
        )
        return [entry_of(row) for row in rows]

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
