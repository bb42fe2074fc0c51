"""Leaf hashes of the stored trail, recomputed in ordered chunks, in this process or in several.

The verifier must hash every entry again from its stored columns, into its public form
(`domain.public_log`). That encoding is the cost of verification (about 12 µs an entry in
CPython), so on a large log the chunks are hashed by worker processes, each reading its
own range of the database, while this process folds the hashes into the tree in order.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from confianza.trail.rules import StoredEntry
from confianza.transparency.contracts import LogReader, ReaderOpener
from confianza.transparency.rules import PublicLog

HASH_SIZE = 32
#: Below this many chunks, starting processes (about a second each, importing) costs more than
#: it saves: measured on 200,000 entries, no gain; on 2,000,000, 12% less time on two CPUs.
MIN_PARALLEL_CHUNKS = 8


@dataclass(frozen=True, slots=True)
class Chunk:
    """Leaves [start, end) (entries start + 1 to end), recomputed from the stored rows.

    `seqs` is None when every number in the range is present; otherwise it lists the numbers
    present, in order, one per hash (a gap in the numbering is a deleted entry).
    """

    start: int
    end: int
    hashes: list[bytes]
    seqs: list[int] | None


def _leaves(public: PublicLog, entries: list[StoredEntry], start: int, end: int
            ) -> tuple[list[bytes], list[int] | None]:
    leaf = public.stored_leaf
    hashes = [leaf(entry) for entry in entries]
    # Numbers are unique (the primary key) and inside the range, so a full count means no gap.
    seqs = None if len(entries) == end - start else [e.seq for e in entries]
    return hashes, seqs


def _hash_in_worker(open_reader: ReaderOpener, public: PublicLog, start: int, end: int
                    ) -> tuple[bytes, list[int] | None]:
    """A worker's task: one range's leaf hashes, joined, so the answer pickles cheaply."""
    with open_reader() as reader:
        hashes, seqs = _leaves(public, reader.stored_between(start + 1, end + 1), start, end)
    return b"".join(hashes), seqs


class LeafSource:
    """Chunks of recomputed leaves, in order; with `workers` > 0 and a way to open readers,
    hashed by that many processes (a few chunks ahead of the consumer, so memory stays
    bounded)."""

    def __init__(self, reader: LogReader, public: PublicLog, *, chunk: int, workers: int = 0,
                 open_reader: ReaderOpener | None = None) -> None:
        if chunk < 1:
            raise ValueError("a chunk holds at least one leaf")
        self._reader = reader
        self.public = public
        self.chunk = chunk
        self._workers = workers if open_reader is not None else 0
        self._open_reader = open_reader
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LeafSource:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def chunks(self, start: int, end: int) -> Iterator[Chunk]:
        ranges = [(a, min(a + self.chunk, end)) for a in range(start, end, self.chunk)]
        if self._workers <= 0 or len(ranges) < MIN_PARALLEL_CHUNKS:
            for a, b in ranges:
                hashes, seqs = _leaves(self.public, self._reader.stored_between(a + 1, b + 1),
                                       a, b)
                yield Chunk(a, b, hashes, seqs)
            return
        yield from self._parallel(ranges)

    def _parallel(self, ranges: list[tuple[int, int]]) -> Iterator[Chunk]:
        assert self._open_reader is not None
        if self._pool is None:
            # spawn, not fork: the parent holds open connections and maybe threads.
            self._pool = ProcessPoolExecutor(
                self._workers, mp_context=multiprocessing.get_context("spawn"))
        ahead: deque[tuple[int, int, Future[tuple[bytes, list[int] | None]]]] = deque()
        todo = iter(ranges)
        for a, b in todo:
            task = self._pool.submit(_hash_in_worker, self._open_reader, self.public, a, b)
            ahead.append((a, b, task))
            if len(ahead) >= 2 * self._workers:
                break
        while ahead:
            a, b, future = ahead.popleft()
            blob, seqs = future.result()
            nxt = next(todo, None)
            if nxt is not None:
                task = self._pool.submit(_hash_in_worker, self._open_reader, self.public, *nxt)
                ahead.append((*nxt, task))
            hashes = [blob[i:i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE)]
            yield Chunk(a, b, hashes, seqs)
