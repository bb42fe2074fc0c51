"""Inclusion and consistency proofs (RFC 9162 sections 2.1.3 and 2.1.4): building and verifying.

Building is split in two so a repository answers a proof in one query: a *plan* names the stored
complete subtrees (`merkle.NodeId`) the proof needs, the repository fetches them in one batch, and
`ProofPlan.proof` folds them into the proof hashes. Each proof hash is the RFC hash of one subtree
on the path; subtrees on the right edge of the tree are not stored whole and fold from up to
log2(n) stored pieces. The lists equal the output of the RFC's PATH and PROOF algorithms.

Verification follows the RFC's algorithms step by step, plus the reference verifier's conventions
(transparency-dev/merkle): a leaf hash is 32 bytes, a leaf index is below the tree size, and a
consistency proof from the empty tree is refused. Every failure raises `ProofError` naming what
failed; success returns None.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from confianza.kit.merkle import (
    HASH_SIZE,
    GetMany,
    MerkleError,
    NodeId,
    fetch_hashes,
    fold,
    range_nodes,
)

_sha256 = hashlib.sha256


class ProofError(MerkleError):
    """A proof that does not verify, or a request for a proof that cannot exist."""


@dataclass(frozen=True, slots=True)
class ProofPlan:
    """The stored hashes a proof needs (`nodes`, to fetch in one batch) and how to fold them."""

    nodes: tuple[NodeId, ...]
    groups: tuple[int, ...]
    """How many consecutive `nodes` fold into each proof hash, in proof order."""

    def proof(self, hashes: Sequence[bytes]) -> list[bytes]:
        """The proof from the hashes of `nodes`, given in the same order."""
        if len(hashes) != len(self.nodes):
            raise MerkleError(f"the proof needs {len(self.nodes)} hashes, got {len(hashes)}")
        out: list[bytes] = []
        start = 0
        for count in self.groups:
            if count == 1:
                out.append(hashes[start])
            else:
                out.append(fold(hashes[start : start + count]))
            start += count
        return out


def _plan(ranges: list[tuple[int, int]]) -> ProofPlan:
    nodes: list[NodeId] = []
    groups: list[int] = []
    for begin, end in ranges:
        pieces = range_nodes(begin, end)
        nodes.extend(pieces)
        groups.append(len(pieces))
    return ProofPlan(nodes=tuple(nodes), groups=tuple(groups))


def _path_ranges(index: int, size: int, from_level: int) -> list[tuple[int, int]]:
    """The sibling subtrees, bottom up from `from_level`, on the path from leaf `index` to the
    root of the tree of `size` leaves, as leaf ranges [begin, end).

    Below level `inner` (where the paths to `index` and to the last leaf meet) every sibling is a
    perfect subtree, except the one at level inner - 1, which is the rest of the tree to the right
    of the path and may be cut short by `size`. Above `inner` the path runs along the right edge:
    a node there has a (complete) left sibling where `index` has a one bit, and otherwise no
    sibling at all (the RFC hashes it unchanged one level up).
    """
    last = size - 1
    inner = (index ^ last).bit_length()
    ranges: list[tuple[int, int]] = []
    for level in range(from_level, inner):
        begin = ((index >> level) ^ 1) << level
        ranges.append((begin, min(begin + (1 << level), size)))
    for level in range(max(inner, from_level), last.bit_length()):
        if (index >> level) & 1:
            begin = ((index >> level) - 1) << level
            ranges.append((begin, begin + (1 << level)))
    return ranges


def inclusion_plan(index: int, size: int) -> ProofPlan:
    """What the inclusion proof of leaf `index` in the tree of `size` leaves needs (RFC PATH)."""
    if not 0 <= index < size:
        raise ProofError(f"no leaf {index} in a tree of size {size}")
    return _plan(_path_ranges(index, size, 0))


def consistency_plan(size1: int, size2: int) -> ProofPlan:
    """What the consistency proof from tree size1 to tree size2 needs (RFC PROOF).

    The RFC's SUBPROOF descends the path to leaf size1 - 1 and stops at the largest subtree that
    ends exactly at size1: the perfect subtree of 2^k leaves, k = trailing zero bits of size1. It
    emits that subtree unless it is the whole old tree (size1 a power of two), then the siblings
    above it, bottom up, as in an inclusion proof.
    """
    if size1 <= 0:
        raise ProofError(f"a consistency proof starts from a non-empty tree, not size {size1}")
    if size1 > size2:
        raise ProofError(f"no consistency proof from size {size1} back to smaller size {size2}")
    if size1 == size2:
        return ProofPlan(nodes=(), groups=())
    level = (size1 & -size1).bit_length() - 1
    ranges = _path_ranges(size1 - 1, size2, level)
    if size1 != 1 << level:
        begin = size1 - (1 << level)
        ranges.insert(0, (begin, size1))
    return _plan(ranges)


def inclusion_proof(index: int, size: int, get_many: GetMany) -> list[bytes]:
    plan = inclusion_plan(index, size)
    return plan.proof(fetch_hashes(get_many, plan.nodes))


def consistency_proof(size1: int, size2: int, get_many: GetMany) -> list[bytes]:
    plan = consistency_plan(size1, size2)
    return plan.proof(fetch_hashes(get_many, plan.nodes))


def inclusion_proof_length(index: int, size: int) -> int:
    """The number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves."""
    last = size - 1
    inner = (index ^ last).bit_length()
    return inner + (last >> inner).bit_count()


def consistency_proof_length(size1: int, size2: int) -> int:
    """The number of hashes in the consistency proof from size1 to size2 (0 < size1 <= size2)."""
    if size1 == size2:
        return 0
    level = (size1 & -size1).bit_length() - 1
    last = size2 - 1
    index = size1 - 1
    inner = (index ^ last).bit_length()
    own = 0 if size1 == 1 << level else 1
    return own + (inner - level) + (last >> inner).bit_count()


# --- verification ------------------------------------------------------------------------------


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 2.1.3.2: does `proof` show leaf `leaf_hash` at `index` in the tree `root` of
    `size` leaves? Raises ProofError naming what failed."""
    if len(leaf_hash) != HASH_SIZE:
        raise ProofError(
            f"inclusion: the leaf hash must be {HASH_SIZE} bytes, got {len(leaf_hash)}"
        )
    if not 0 <= index < size:
        raise ProofError(f"inclusion: leaf index {index} is not within tree size {size}")
    expected = inclusion_proof_length(index, size)
    if len(proof) != expected:
        raise ProofError(
            f"inclusion: the proof for leaf {index} in tree size {size} has {expected} hashes, "
            f"got {len(proof)}"
        )
    _check_proof_hashes("inclusion", proof)
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if fn & 1 or fn == sn:
            r = _sha256(b"\x01" + p + r).digest()
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = _sha256(b"\x01" + r + p).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:  # cannot happen once the length matched; kept as the RFC's own check
        raise ProofError("inclusion: the proof does not reach the root")
    if r != root:
        raise ProofError(
            f"inclusion: leaf {index} and the proof give root {r.hex()}, not the given root"
        )


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """RFC 9162 2.1.4.2: does `proof` show the tree `root2` of size2 extends the tree `root1` of
    size1? Raises ProofError naming what failed."""
    if size1 <= 0:
        raise ProofError(
            f"consistency: size1 must be at least 1 (every tree extends the empty one), got {size1}"
        )
    if size2 < size1:
        raise ProofError(f"consistency: size2 {size2} is smaller than size1 {size1}")
    if size1 == size2:
        if proof:
            raise ProofError(f"consistency: equal sizes need an empty proof, got {len(proof)}")
        if root1 != root2:
            raise ProofError(f"consistency: both trees have size {size1} but different roots")
        return
    expected = consistency_proof_length(size1, size2)
    if len(proof) != expected:
        raise ProofError(
            f"consistency: the proof from size {size1} to {size2} has {expected} hashes, "
            f"got {len(proof)}"
        )
    _check_proof_hashes("consistency", proof)
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # a power of two: the old root is itself on the path
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:  # cannot happen once the length matched; kept as the RFC's own check
            raise ProofError("consistency: the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            fr = _sha256(b"\x01" + c + fr).digest()
            sr = _sha256(b"\x01" + c + sr).digest()
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = _sha256(b"\x01" + sr + c).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency: the proof does not reach the root of size2")
    if fr != root1:
        raise ProofError(
            f"consistency: the proof gives root {fr.hex()} for size {size1}, not root1"
        )
    if sr != root2:
        raise ProofError(
            f"consistency: the proof gives root {sr.hex()} for size {size2}, not root2"
        )


def _check_proof_hashes(kind: str, proof: Sequence[bytes]) -> None:
    for position, value in enumerate(proof):
        if len(value) != HASH_SIZE:
            raise ProofError(
                f"{kind}: proof hash {position} must be {HASH_SIZE} bytes, got {len(value)}"
            )
