"""`audit verify`: re-derive the Merkle log from the database and hold it to its signed checkpoints.

Trust comes only from the signatures. Every kept checkpoint is opened with the configured
verifier keys (a signature by an unknown key is ignored, as the signed-note spec says; a
checkpoint no known key signed, or whose signature fails, is forged). Then every entry is hashed
again from its stored columns into its public form (under the log's pseudonym key), in number
order, and the tree folded
over them must give each genuine checkpoint's root at its size.

When a root differs, the entries between the last checkpoint that held and this one hold the
change. The stored leaf hashes name the entry, but only once they are shown authentic: folded on
from the last good tree they must give the signed root. Because each leaf encodes its own number,
the kind of change shows: a number missing is a deleted entry; an entry that hashes to the
signed leaf of the next number is a deletion with the later entries renumbered, one that hashes
to the previous number's leaf an insertion; two entries that match each other's signed leaves a
swap. The stored tree itself (every complete-subtree hash and the head) is compared with the
recomputed one on the way, so an altered hash, which would break proofs, is reported too.

The first disagreement in the order of the log is reported; the walk stops at the first entry
that contradicts a signed checkpoint, since everything after it is suspect.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from confianza.kit.checkpoint import Checkpoint, CheckpointError, open_checkpoint
from confianza.kit.merkle import EMPTY_ROOT, Frontier
from confianza.kit.signed_note import NoteError, Verifier
from confianza.transparency.contracts import LogReader, ReaderOpener
from confianza.transparency.rules import PublicLog
from confianza.transparency.service.leaves import Chunk, LeafSource
from confianza.work import UnitOfWork

#: Leaves per chunk: small enough to keep worker processes busy in step, large enough that
#: the per-chunk queries (one per tree level) cost little.
CHUNK = 1 << 14


class Kind(StrEnum):
    CHANGED = "changed"
    MISSING = "missing"
    INSERTED = "inserted"
    REORDERED = "reordered"
    FORGED_CHECKPOINT = "forged_checkpoint"
    TREE_HASH_ALTERED = "tree_hash_altered"
    ALTERED_RANGE = "altered_range"
    """Entries in a range contradict a checkpoint and the stored tree was rewritten to match
    them: the change is proven, the exact entry cannot be named."""
    UNSIGNED_MISMATCH = "unsigned_mismatch"
    """An entry and its stored hash differ where no signed checkpoint can say which is right."""


@dataclass(frozen=True)
class Disagreement:
    kind: Kind
    message: str
    seq: int | None = None
    checkpoint: int | None = None
    """The size of the signed checkpoint contradicted (or, when forged, claimed)."""
    other_seq: int | None = None
    """The other entry of a swap, or the last entry of an altered range."""
    node: tuple[int, int] | None = None
    """(level, index) of an altered stored hash."""

    def position(self) -> int:
        """Where in the log the problem sits, to report the first one."""
        if self.seq is not None:
            return self.seq
        return self.checkpoint if self.checkpoint is not None else 1 << 64


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    checkpoints: int
    """Genuine checkpoints held against the entries."""
    latest_size: int
    latest_root: bytes
    integrated: int
    problem: Disagreement | None
    waiting: int = 0
    """Committed entries the integrator has not placed in the log yet: not covered by any
    check until it does (ADR 0023)."""

    @property
    def ok(self) -> bool:
        return self.problem is None

    def line(self) -> str:
        if self.problem is not None:
            return f"tampered: {self.problem.message}"
        root = base64.b64encode(self.latest_root).decode("ascii")
        waiting = (f"; {self.waiting} newer entries not yet placed in the log"
                   if self.waiting else "")
        return (f"ok: {self.entries} entries, {self.checkpoints} checkpoints verified, "
                f"latest size {self.latest_size} root {root}{waiting}")

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "ok": self.ok, "entries": self.entries, "checkpoints": self.checkpoints,
            "latest_size": self.latest_size,
            "latest_root": base64.b64encode(self.latest_root).decode("ascii"),
            "integrated": self.integrated, "waiting": self.waiting,
        }
        if self.problem is not None:
            p = self.problem
            document["problem"] = {
                "kind": p.kind.value, "seq": p.seq, "checkpoint": p.checkpoint,
                "other_seq": p.other_seq,
                "node": None if p.node is None else {"level": p.node[0], "index": p.node[1]},
                "message": p.message,
            }
        return document


@dataclass(frozen=True)
class _Checkpoint:
    size: int
    root: bytes
    forged: Disagreement | None


def _open(size: int, root: bytes, note: bytes, verifiers: Sequence[Verifier],
          origin: str | None) -> _Checkpoint:
    def forged(why: str) -> _Checkpoint:
        return _Checkpoint(size, root, Disagreement(
            Kind.FORGED_CHECKPOINT, f"the checkpoint kept at size {size} is forged: {why}",
            checkpoint=size))

    try:
        checkpoint: Checkpoint = open_checkpoint(note, verifiers, origin=origin)[0]
    except (NoteError, CheckpointError) as exc:
        return forged(str(exc))
    if (checkpoint.size, checkpoint.root_hash) != (size, root):
        return forged(f"its stored size and root differ from its signed body "
                      f"(size {checkpoint.size})")
    return _Checkpoint(size, root, None)


def verify_log(uow: UnitOfWork, verifiers: Iterable[Verifier], public: PublicLog, *,
               origin: str | None = None, workers: int = 0,
               open_reader: ReaderOpener | None = None, chunk: int = CHUNK) -> VerifyReport:
    """Verify the whole log against its signed checkpoints; report the first disagreement.

    Runs as the system, like integration: it reads entries only to hash them, prints nothing of
    their content and writes no audit entry. `workers` > 0 (with `open_reader`, which each
    worker calls for a connection of its own) hashes entries in that many processes.
    """
    keys = list(verifiers)
    with uow.transaction(read_only=True) as tx:
        reader = tx.log.reader()
        count, low, high = reader.entry_bounds()
        waiting = tx.log.waiting()
        head_size, head_root = tx.log.head()
        kept = [_open(size, root, note, keys, origin) for size, root, note in reader.checkpoints()]
        with LeafSource(reader, public, chunk=chunk, workers=workers,
                        open_reader=open_reader) as leaves:
            problem = _Walk(reader, leaves, kept, head_size, head_root).run(count, low, high)
    genuine = [c for c in kept if c.forged is None]
    latest = genuine[-1] if genuine else _Checkpoint(0, EMPTY_ROOT, None)
    return VerifyReport(count, len(genuine), latest.size, latest.root, head_size, problem,
                        waiting)


class _Walk:
    """One pass over the leaves, checkpoint by checkpoint; keeps the last tree that held."""

    def __init__(self, reader: LogReader, leaves: LeafSource, kept: list[_Checkpoint],
                 head_size: int, head_root: bytes) -> None:
        self.reader = reader
        self.leaves = leaves
        self.kept = kept
        self.head_size = head_size
        self.head_root = head_root
        self.frontier = Frontier()
        self.good_size = 0
        self.good = Frontier()
        self.found: list[Disagreement] = []
        self.stopped = False  # an entry contradicts a signed checkpoint: nothing after counts
        self.pending_leaf: int | None = None  # first leaf index whose stored hash differs
        self.high = 0

    def run(self, count: int, low: int, high: int) -> Disagreement | None:
        if count and low < 1:
            return Disagreement(Kind.INSERTED, f"entry {low} was inserted: the log numbers its "
                                f"entries from 1", seq=low)
        self.high = high
        events = self._events()
        for chunk in self.leaves.chunks(0, high):
            if chunk.seqs is not None:
                missing = _first_missing(chunk)
                self._append(chunk.hashes[:missing - 1 - chunk.start], events)
                if not self.stopped:
                    self._stop(self._gap(missing))
                return self._first()
            self._append_chunk(chunk, events)
            if self.stopped:
                return self._first()
        # What is left claims more entries than there are (or is the empty tree's).
        for size, checkpoint in events:
            if size <= self.frontier.size:
                self._event(size, checkpoint)
            elif checkpoint is None:
                self.found.append(Disagreement(
                    Kind.MISSING, f"entry {high + 1} is missing: the stored tree holds {size} "
                    "entries (no signed checkpoint covers them)", seq=high + 1))
            elif checkpoint.forged is not None:
                self.found.append(checkpoint.forged)
            else:
                self._stop(self._localize(checkpoint))
            if self.stopped:
                break
        if self.pending_leaf is not None:
            self.found.append(self._unsigned(self.pending_leaf))
        return self._first()

    # --- the pass ---------------------------------------------------------------------------

    def _events(self) -> list[tuple[int, _Checkpoint | None]]:
        """Sizes at which a root is checked, in order: checkpoints and (None) the stored head."""
        events: list[tuple[int, _Checkpoint | None]] = [(c.size, c) for c in self.kept]
        events.append((self.head_size, None))
        events.sort(key=lambda e: (e[0], e[1] is None))
        return events

    def _append(self, hashes: Sequence[bytes], events: list[tuple[int, _Checkpoint | None]],
                out: list[tuple[int, int, bytes]] | None = None) -> None:
        """Adds leaves, checking the root at every event size reached (events are consumed)."""
        position = 0
        end = self.frontier.size + len(hashes)
        while events and events[0][0] <= end:
            size, checkpoint = events.pop(0)
            take = size - self.frontier.size
            self.frontier.append(hashes[position:position + take], out)
            position += take
            self._event(size, checkpoint)
            if self.stopped:
                return
        self.frontier.append(hashes[position:], out)

    def _event(self, size: int, checkpoint: _Checkpoint | None) -> None:
        root = self.frontier.root()
        if checkpoint is None:
            if root != self.head_root:
                self.found.append(Disagreement(
                    Kind.TREE_HASH_ALTERED, f"the stored tree head (size {size}) has a root the "
                    "entries do not give", checkpoint=None, seq=None, node=None))
            return
        if checkpoint.forged is not None:
            self.found.append(checkpoint.forged)
        elif root == checkpoint.root:
            self.good_size, self.good = size, copy.deepcopy(self.frontier)
            if self.pending_leaf is not None and self.pending_leaf < size:
                # The entry is vouched for by the signature, so its stored hash was altered.
                self.found.append(_altered_node(0, self.pending_leaf, size))
                self.pending_leaf = None
        else:
            self._stop(self._localize(checkpoint))

    def _stop(self, problem: Disagreement) -> None:
        self.found.append(problem)
        self.stopped = True

    def _append_chunk(self, chunk: Chunk, events: list[tuple[int, _Checkpoint | None]]) -> None:
        out: list[tuple[int, int, bytes]] = []
        self._append(chunk.hashes, events, out)
        if self.stopped:
            return
        self._compare_stored(chunk.start, chunk.end, out)

    def _compare_stored(self, start: int, end: int, out: list[tuple[int, int, bytes]]) -> None:
        """Compares every stored subtree hash completed by leaves [start, end) within the head."""
        end = min(end, self.head_size)
        if end <= start or self.pending_leaf is not None:
            return
        levels: list[list[bytes]] = []
        for level, index, value in out:
            if index < end >> level:
                while len(levels) <= level:
                    levels.append([])
                levels[level].append(value)
        for level, mine in enumerate(levels):
            if not mine:
                continue
            first = start >> level
            stored = self.reader.hash_range(level, first, first + len(mine))
            # Indexes are unique and ordered, so equal ends and length mean none is missing.
            if (len(stored) == len(mine) and stored[0][0] == first
                    and stored[-1][0] == first + len(mine) - 1
                    and [h for _, h in stored] == mine):
                continue
            have = dict(stored)
            bad = next((first + n for n, h in enumerate(mine) if have.get(first + n) != h), first)
            if level == 0 and bad >= self.good_size:
                # The entry or its stored hash: the next signed checkpoint tells which.
                self.pending_leaf = bad
            elif level == 0:
                # A signed checkpoint already vouched for the entry.
                self.found.append(_altered_node(0, bad, self.good_size))
            else:
                # The stored leaves below agree with the entries (level 0 came first), so only
                # the stored node can be wrong.
                self.found.append(_altered_node(level, bad, None))
            return

    def _gap(self, missing: int) -> Disagreement:
        for size, checkpoint in ((c.size, c) for c in self.kept):
            if size >= missing and checkpoint.forged is None:
                return self._localize(checkpoint)
        return Disagreement(Kind.MISSING, f"entry {missing} is missing: the numbering jumps over "
                            "it (no signed checkpoint covers it yet)", seq=missing)

    def _unsigned(self, leaf: int) -> Disagreement:
        return Disagreement(
            Kind.UNSIGNED_MISMATCH, f"entry {leaf + 1} disagrees with its stored hash and no "
            "signed checkpoint covers it yet, so either may have been altered", seq=leaf + 1)

    def _first(self, last: Disagreement | None = None) -> Disagreement | None:
        found = [*self.found, *([last] if last is not None else [])]
        if not found:
            return None
        # Entries before checkpoints before stored hashes, where they sit at the same place.
        rank = {Kind.FORGED_CHECKPOINT: 1, Kind.TREE_HASH_ALTERED: 2}
        return min(found, key=lambda d: (d.position(), rank.get(d.kind, 0)))

    # --- naming the entry -------------------------------------------------------------------

    def _localize(self, checkpoint: _Checkpoint) -> Disagreement:
        """The first entry after the last good tree that differs from the signed leaves."""
        begin, end = self.good_size, checkpoint.size
        stored_tree = copy.deepcopy(self.good)
        anomalies: list[int] = []  # numbers of entries that differ, the first and a few more
        window = self.leaves.chunk
        for a in range(begin, end, window):
            b = min(a + window, end)
            stored = self.reader.hash_range(0, a, b)
            if [i for i, _ in stored] != list(range(a, b)):
                return self._range(checkpoint, "the stored tree lacks leaf hashes there")
            signed = [h for _, h in stored]
            stored_tree.append(signed)
            if len(anomalies) < 8:
                mine = self._recomputed(a, b)
                anomalies.extend(a + 1 + n for n, h in enumerate(signed)
                                 if mine.get(a + 1 + n) != h)
        if stored_tree.root() != checkpoint.root:
            return self._range(checkpoint, "the stored tree was rewritten to match them")
        if not anomalies:
            return self._range(checkpoint, "the difference could not be located")
        if len(anomalies) == 1:
            # A lone difference may be half of a swap with an entry a later checkpoint covers.
            anomalies += self._differences(end, min(self.head_size, self.high))
        return self._classify(anomalies[0], anomalies[1:8], checkpoint.size)

    def _differences(self, begin: int, end: int) -> list[int]:
        """The first few entries in leaves [begin, end) that differ from their stored hash."""
        found: list[int] = []
        for a in range(begin, end, self.leaves.chunk):
            b = min(a + self.leaves.chunk, end)
            mine = self._recomputed(a, b)
            found += [i + 1 for i, h in self.reader.hash_range(0, a, b) if mine.get(i + 1) != h]
            if found:
                return found[:7]
        return found

    def _recomputed(self, a: int, b: int) -> dict[int, bytes]:
        """Recomputed leaf hashes by entry number for leaves [a, b) (absent numbers absent)."""
        mine: dict[int, bytes] = {}
        for chunk in self.leaves.chunks(a, min(b, max(a, self.high))):
            seqs = chunk.seqs or range(chunk.start + 1, chunk.end + 1)
            mine.update(zip(seqs, chunk.hashes, strict=True))
        return mine

    def _range(self, checkpoint: _Checkpoint, why: str) -> Disagreement:
        first, last = self.good_size + 1, checkpoint.size
        return Disagreement(
            Kind.ALTERED_RANGE, f"entries {first} to {last} disagree with the signed checkpoint "
            f"at size {last}, and {why}, so the exact entry cannot be named",
            seq=first, other_seq=last, checkpoint=last)

    def _classify(self, seq: int, later: list[int], size: int) -> Disagreement:
        where = f"the signed checkpoint at size {size}"
        leaf = self.leaves.public.stored_leaf
        rows = {e.seq: e for e in self.reader.stored_between(seq, seq + 2)}
        signed = dict(self.reader.hash_range(0, seq - 1, seq + 1))
        entry = rows.get(seq)
        if entry is None:
            return Disagreement(Kind.MISSING, f"entry {seq} is missing (deleted): {where} "
                                "includes it", seq=seq, checkpoint=size)
        # A swap first: each entry must match the other's signed leaf (a renumbering after a
        # deletion or insertion matches one way only).
        for other in later:
            partner = self.reader.stored_between(other, other + 1)
            theirs = dict(self.reader.hash_range(0, other - 1, other))
            if partner and (signed.get(seq - 1) == leaf(partner[0]._replace(seq=seq))
                            and theirs.get(other - 1) == leaf(entry._replace(seq=other))):
                return Disagreement(Kind.REORDERED, f"entries {seq} and {other} were swapped: "
                                    f"{where} has them the other way round", seq=seq,
                                    other_seq=other, checkpoint=size)
        if signed.get(seq) == leaf(entry._replace(seq=seq + 1)):
            return Disagreement(Kind.MISSING, f"entry {seq} is missing (deleted, and the entries "
                                f"after it renumbered): {where} includes it", seq=seq,
                                checkpoint=size)
        following = rows.get(seq + 1)
        if following is not None and signed.get(seq - 1) == leaf(following._replace(seq=seq)):
            return Disagreement(Kind.INSERTED, f"entry {seq} was inserted (the entries after it "
                                f"renumbered): {where} has another entry there", seq=seq,
                                checkpoint=size)
        return Disagreement(Kind.CHANGED, f"entry {seq} was changed: it disagrees with {where}",
                            seq=seq, checkpoint=size)


def _altered_node(level: int, index: int, size: int | None) -> Disagreement:
    first = (index << level) + 1
    vouched = "" if size is None else f", which the signed checkpoint at size {size} confirms"
    what = f"entry {first}" if level == 0 else f"entries from {first}"
    return Disagreement(
        Kind.TREE_HASH_ALTERED, f"the stored tree hash at level {level}, index {index} ({what}) "
        f"was altered: it disagrees with the entries{vouched}", seq=first, checkpoint=size,
        node=(level, index))


def _first_missing(chunk: Chunk) -> int:
    assert chunk.seqs is not None
    for expected, seq in enumerate(chunk.seqs, chunk.start + 1):
        if seq != expected:
            return expected
    return chunk.start + 1 + len(chunk.seqs)

