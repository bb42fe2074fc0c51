"""What the transparency log's use cases need of storage, declared on their side (ADR 0022).

The repositories implement these Protocols structurally; the use cases name only them, so
a service never imports persistence, and a test double or another store can stand in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from confianza.kit.merkle import NodeId
from confianza.trail.rules import AuditEntry, StoredEntry


class LogStore(Protocol):
    """What the use cases need of `tx.log`; implemented by
    `transparency.repository.TransparencyRepository`."""

    def add_checkpoint(self, size: int, root: bytes, note: bytes, now: datetime) -> None: ...

    def add_hashes(self, rows: Sequence[tuple[int, int, bytes]]) -> None: ...

    def checkpoint(self, size: int | None = None) -> bytes | None:
        """The signed note at a size, or the latest one."""

    def sequence(self, limit: int) -> int:
        """Give at most `limit` committed entries without a place in the log the next places,
        in id order; returns how many (ADR 0023)."""

    def waiting(self) -> int:
        """How many committed entries have no place in the log yet."""

    def stored_entry(self, entry_id: int) -> tuple[AuditEntry, StoredEntry | None] | None:
        """One entry by id, and its stored form once the log has placed it."""

    def entries(self, first_seq: int, limit: int) -> list[AuditEntry]:
        """Entries numbered first_seq .. first_seq + limit - 1, in sequence order (a number missing
        from the trail is simply absent)."""

    def hashes(self, nodes: Sequence[NodeId]) -> list[bytes]:
        """The stored hashes of these nodes, in the order asked; KeyError names a missing one."""

    def head(self, *, lock: bool = False) -> tuple[int, bytes]:
        """The integrated size and root; `lock` holds the row so one integration runs at once."""

    def reader(self) -> LogReader:
        """Range reads over the same transaction, for verification."""

    def set_head(self, size: int, root: bytes, now: datetime) -> None: ...

    def stored(self, first_seq: int, limit: int) -> list[StoredEntry]:
        """The same entries in their stored form, as the log encodes them."""


class LogReader(Protocol):
    """Range reads over the stored trail and its log, for verification."""

    def entry_bounds(self) -> tuple[int, int, int]:
        """How many entries the log has placed, and their lowest and highest places."""

    def stored_between(self, first_seq: int, end_seq: int) -> list[StoredEntry]:
        """Entries with first_seq <= seq < end_seq, in their stored form, in order."""

    def hash_range(self, level: int, first_idx: int, end_idx: int) -> list[tuple[int, bytes]]:
        """The stored hashes of one level's nodes first_idx <= idx < end_idx."""

    def checkpoints(self) -> list[tuple[int, bytes, bytes]]:
        """Every kept checkpoint: (size, root, signed note), by size."""


#: Opens a reader over a connection of its own, in whatever process calls it: picklable, so
#: that verification's worker processes each open theirs (the composition root makes it).
ReaderOpener = Callable[[], AbstractContextManager[LogReader]]
