"""What use cases see of bulk work: the set-based writer's protocol and how stored values are
formed, and the parts a national read is split into (`Part`, `usable_cpus`).

`core.db.bulk.BulkWriter` implements `BulkWrites`; imports and the demo generator name only this,
so they never import the database package. A repository reads the rows of a `Part`; the
processes that read the parts are the composition root's (`work.InParts`, `app.parallel`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol


class Part(NamedTuple):
    """One of `of` disjoint shares of a set-based read: the rows whose key k has
    k % of == number. Officers spread evenly over the shares by id, and every row of one
    officer falls in the same share, so each share can be read and checked on its own."""

    number: int
    of: int


def usable_cpus() -> int:
    """The CPUs this process may use where the system says (Linux's affinity), else the
    machine's: a container limited to two CPUs of a larger machine gets two."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class StoredForms(NamedTuple):
    """How an engine takes dates and timestamps: a generator that builds its rows with these
    (and inserts them with `stored=True`) spares the writer a pass over every row."""

    date: Callable[[date], Any]
    timestamp: Callable[[datetime], Any]


class ReadAhead(Protocol):
    """Reads a store will be asked for next, named ahead so that the transaction may send them
    together (`Transaction.read_ahead`): what they are is the store's business."""


class BulkWrites(Protocol):
    """Set-based writes inside one transaction: ids reserved under a lock, rows by the
    hundred thousand, secondary indexes built once at the end."""

    @property
    def stored_forms(self) -> StoredForms: ...

    def lock(self, tables: Sequence[str]) -> None:
        """Keep other writers out while ids are reserved."""

    def next_id(self, table: str) -> int:
        """The first id not yet used in `table`."""

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
               stored: bool = False) -> None:
        """Insert tuples whose values are, in order, the `columns` named; `stored`: their dates
        and timestamps are already in `stored_forms`."""

    def defer_indexes(self, tables: Sequence[str]) -> None:
        """Drop the secondary indexes of those tables that are still empty (built by
        `finish`)."""

    def finish(self, tables: Iterable[str], *, also_written: Iterable[str] = ()) -> None:
        """Build the deferred indexes, move id sequences past the ids assigned and refresh the
        statistics of the tables written (`also_written`: those without a numbered key)."""
