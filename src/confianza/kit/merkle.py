"""The Merkle tree of the audit log (RFC 9162 2.1, RFC 6962 hashing), independent of storage.

The tree over leaves d[0:n] is the RFC's MTH: a leaf hashes as SHA-256(0x00 || data), an inner node
as SHA-256(0x01 || left || right), and a tree of n > 1 leaves splits at k, the largest power of two
below n. The empty tree's root is SHA-256("").

Storage model: a log stores only *complete subtrees*. The node at (level L, index K) is the hash of
the perfect subtree over leaves [K * 2^L, (K + 1) * 2^L); it exists once the log holds
(K + 1) * 2^L leaves and never changes afterwards, so rows are written once and never updated. Level
0 holds the leaf hashes. Because the RFC splits at powers of two, every subtree the RFC ever hashes
covers a range [b, e) with b a multiple of a power of two at least e - b; its hash is the fold, from
the right, of at most log2(n) complete subtrees (`range_nodes`). Roots and proofs for any size n up
to the stored size therefore come from stored rows alone, fetched in one batch.

This module holds the hashing, the range decomposition (roots), appending, and a small in-memory
store; `merkle_proofs` builds and verifies inclusion and consistency proofs on top of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeId = tuple[int, int]
"""(level, index) of a complete subtree: leaves [index * 2**level, (index + 1) * 2**level)."""

GetMany = Callable[[Sequence[NodeId]], Sequence[bytes]]
"""Returns the stored hashes of the given complete subtrees, in the same order."""

_sha256 = hashlib.sha256


class MerkleError(ValueError):
    """A request the tree cannot answer: a size or index out of range, a missing stored hash."""


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962 / RFC 9162 leaf hash: SHA-256(0x00 || data)."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 / RFC 9162 interior node hash: SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def range_nodes(begin: int, end: int) -> list[NodeId]:
    """The complete subtrees that make up leaves [begin, end), largest (leftmost) first.

    Valid for the ranges the RFC hashes: `begin` a multiple of a power of two >= end - begin. Then
    the blocks follow the binary digits of end - begin from the top, each aligned at its start.
    """
    nodes: list[NodeId] = []
    while begin < end:
        level = (end - begin).bit_length() - 1
        nodes.append((level, begin >> level))
        begin += 1 << level
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """The RFC hash of a range from the hashes of its `range_nodes`, largest first.

    Folding from the right reproduces the RFC's split at the largest power of two: each block is
    the left child, the fold of the smaller blocks after it the right child.
    """
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for i in range(len(hashes) - 2, -1, -1):
        result = _sha256(b"\x01" + hashes[i] + result).digest()
    return result


def root_nodes(size: int) -> list[NodeId]:
    """The stored hashes the root of tree `size` needs: at most one per set bit of `size`."""
    _check_size(size)
    return range_nodes(0, size)


def root(size: int, get_many: GetMany) -> bytes:
    """The root hash (RFC 9162 MTH) of the first `size` leaves, from stored complete subtrees."""
    nodes = root_nodes(size)
    return fold(fetch_hashes(get_many, nodes))


# --- appending ---------------------------------------------------------------------------------


def append_needs(size: int) -> list[NodeId]:
    """What `append` needs from storage: the right edge of the current tree, = `root_nodes(size)`.

    These are the complete subtrees still waiting for a right sibling; every new node combines
    only them and new leaves.
    """
    return root_nodes(size)


@dataclass(frozen=True, slots=True)
class Appended:
    """The outcome of an append: the rows to store and the new tree head."""

    nodes: list[tuple[int, int, bytes]]
    """New complete subtrees (level, index, hash), leaves (level 0) included, in creation order."""
    size: int
    root: bytes


class Frontier:
    """The right edge of a tree of `size` leaves: one pending hash per set bit of `size`.

    Enough to append and to know the root at every size on the way, in O(log n) memory; used by
    `append` and by verifiers that stream all leaves (e.g. re-deriving checkpoints from entries).
    """

    __slots__ = ("_size", "_pending")

    def __init__(self, size: int = 0, edge: Sequence[bytes] = ()) -> None:
        """`edge` holds the hashes of `root_nodes(size)`, in that order (largest first)."""
        nodes = root_nodes(size)
        if len(edge) != len(nodes):
            raise MerkleError(
                f"the right edge of a tree of size {size} has {len(nodes)} hashes, got {len(edge)}"
            )
        # _pending[level] is the hash of the complete subtree at that level waiting for a right
        # sibling, or None where the size has a zero bit.
        self._pending: list[bytes | None] = [None] * size.bit_length()
        for (level, _), value in zip(nodes, edge, strict=True):
            _check_hash(value, f"right-edge hash at level {level}")
            self._pending[level] = value
        self._size = size

    @property
    def size(self) -> int:
        return self._size

    def root(self) -> bytes:
        return fold([h for h in reversed(self._pending) if h is not None])

    def append(
        self, leaf_hashes: Iterable[bytes], out: list[tuple[int, int, bytes]] | None = None
    ) -> None:
        """Adds leaves; when `out` is given, appends to it every new complete subtree."""
        pending = self._pending
        size = self._size
        sha256 = _sha256
        for value in leaf_hashes:
            if len(value) != HASH_SIZE:
                raise MerkleError(
                    f"leaf {size}: a leaf hash is {HASH_SIZE} bytes, not {len(value)}"
                )
            if out is not None:
                out.append((0, size, value))
            # Each trailing one bit of `size` is a pending left sibling that the new node completes.
            level = 0
            index = size
            while index & 1:
                left = pending[level]
                assert left is not None
                pending[level] = None
                value = sha256(b"\x01" + left + value).digest()
                level += 1
                index >>= 1
                if out is not None:
                    out.append((level, index, value))
            if level == len(pending):
                pending.append(value)
            else:
                pending[level] = value
            size += 1
        self._size = size


def append(size: int, edge: Sequence[bytes], leaf_hashes: Iterable[bytes]) -> Appended:
    """Appends leaves to a stored tree of `size` leaves.

    `edge` holds the stored hashes of `append_needs(size)`, in that order. Returns the complete
    subtrees to store (about two per leaf; none already stored) and the new size and root.
    """
    frontier = Frontier(size, edge)
    nodes: list[tuple[int, int, bytes]] = []
    frontier.append(leaf_hashes, nodes)
    return Appended(nodes=nodes, size=frontier.size, root=frontier.root())


# --- an in-memory store ------------------------------------------------------------------------


class MemoryTree:
    """Complete subtree hashes kept in lists, one per level: for tests and for verifiers that
    rebuild a whole log in memory (e.g. from exported tiles)."""

    __slots__ = ("levels", "_frontier")

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self.levels: list[list[bytes]] = []
        self._frontier = Frontier()
        self.append(leaf_hashes)

    @property
    def size(self) -> int:
        return self._frontier.size

    def append(self, leaf_hashes: Iterable[bytes]) -> None:
        new: list[tuple[int, int, bytes]] = []
        self._frontier.append(leaf_hashes, new)
        self.store(new)

    def store(self, nodes: Iterable[tuple[int, int, bytes]]) -> None:
        """Stores rows as `append` returns them (each level fills strictly left to right)."""
        levels = self.levels
        for level, index, value in nodes:
            while len(levels) <= level:
                levels.append([])
            if index != len(levels[level]):
                raise MerkleError(f"node ({level}, {index}) is not the next one at its level")
            levels[level].append(value)

    def root(self) -> bytes:
        return self._frontier.root()

    def get_many(self, nodes: Sequence[NodeId]) -> list[bytes]:
        levels = self.levels
        try:
            return [levels[level][index] for level, index in nodes]
        except IndexError:
            missing = [(lv, ix) for lv, ix in nodes if lv >= len(levels) or ix >= len(levels[lv])]
            raise MerkleError(f"no stored hash for node(s) {missing}") from None


# --- helpers -----------------------------------------------------------------------------------


def fetch_hashes(get_many: GetMany, nodes: Sequence[NodeId]) -> Sequence[bytes]:
    """Calls `get_many` once (not at all for no nodes) and checks it answered every node."""
    if not nodes:
        return []
    hashes = get_many(nodes)
    if len(hashes) != len(nodes):
        raise MerkleError(f"asked storage for {len(nodes)} hashes, got {len(hashes)}")
    return hashes


def _check_size(size: int) -> None:
    if size < 0:
        raise MerkleError(f"a tree size cannot be negative, got {size}")


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise MerkleError(f"{what} must be {HASH_SIZE} bytes, got {len(value)}")
