"""The Merkle tree core against a naive, literal reading of RFC 6962 section 2.1 (MTH, PATH, PROOF).

The naive versions below recurse exactly as the RFC's definitions do; the production code works on
stored complete subtrees instead. Every size up to MAX_SIZE, every leaf and every pair of sizes.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from functools import cache

import pytest

from confianza.kit.merkle import (
    EMPTY_ROOT,
    Frontier,
    MemoryTree,
    MerkleError,
    NodeId,
    append,
    append_needs,
    leaf_hash,
    node_hash,
    root,
    root_nodes,
)
from confianza.kit.merkle_proofs import (
    ProofError,
    consistency_plan,
    consistency_proof,
    inclusion_plan,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

MAX_SIZE = 70
LEAVES = [hashlib.sha256(f"entry {i}".encode()).digest() + bytes([i % 7]) for i in range(MAX_SIZE)]
TREE = MemoryTree(leaf_hash(leaf) for leaf in LEAVES)
SIZES = range(1, MAX_SIZE + 1)


# --- RFC 6962 section 2.1, word for word --------------------------------------------------------


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@cache
def mth(begin: int, end: int) -> bytes:
    n = end - begin
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + LEAVES[begin]).digest()
    k = split(n)
    return hashlib.sha256(b"\x01" + mth(begin, begin + k) + mth(begin + k, end)).digest()


def path(m: int, begin: int, end: int) -> list[bytes]:
    n = end - begin
    if n == 1:
        return []
    k = split(n)
    if m < k:
        return path(m, begin, begin + k) + [mth(begin + k, end)]
    return path(m - k, begin + k, end) + [mth(begin, begin + k)]


def subproof(m: int, begin: int, end: int, whole: bool) -> list[bytes]:
    n = end - begin
    if m == n:
        return [] if whole else [mth(begin, end)]
    k = split(n)
    if m <= k:
        return subproof(m, begin, begin + k, whole) + [mth(begin + k, end)]
    return subproof(m - k, begin + k, end, False) + [mth(begin, begin + k)]


def proof(m: int, n: int) -> list[bytes]:
    return subproof(m, 0, n, True)


# --- hashing and roots --------------------------------------------------------------------------


def test_hashes_are_the_rfc_ones() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert (
        node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    )
    assert hashlib.sha256(b"").digest() == EMPTY_ROOT


def test_root_of_every_size() -> None:
    for size in range(MAX_SIZE + 1):
        assert root(size, TREE.get_many) == mth(0, size), size
        assert len(root_nodes(size)) == size.bit_count()


def test_root_asks_storage_once() -> None:
    calls: list[Sequence[NodeId]] = []

    def get_many(nodes: Sequence[NodeId]) -> list[bytes]:
        calls.append(nodes)
        return TREE.get_many(nodes)

    root(45, get_many)
    assert calls == [[(5, 0), (3, 4), (2, 10), (0, 44)]]


def test_stored_nodes_are_the_complete_subtrees() -> None:
    for level, hashes in enumerate(TREE.levels):
        assert len(hashes) == MAX_SIZE >> level
        for index, value in enumerate(hashes):
            assert value == mth(index << level, (index + 1) << level)


# --- proofs -------------------------------------------------------------------------------------


def test_inclusion_proofs_equal_rfc_path() -> None:
    for size in SIZES:
        for index in range(size):
            built = inclusion_proof(index, size, TREE.get_many)
            assert built == path(index, 0, size), (index, size)
            verify_inclusion(leaf_hash(LEAVES[index]), index, size, built, mth(0, size))


def test_consistency_proofs_equal_rfc_proof() -> None:
    for size2 in SIZES:
        for size1 in range(1, size2 + 1):
            built = consistency_proof(size1, size2, TREE.get_many)
            assert built == proof(size1, size2), (size1, size2)
            verify_consistency(size1, size2, built, mth(0, size1), mth(0, size2))


def test_plans_fetch_only_a_logarithmic_number_of_distinct_nodes() -> None:
    size = 2_000_000
    for index in (0, 1, 999_999, 1_048_575, 1_048_576, size - 2, size - 1):
        nodes = inclusion_plan(index, size).nodes
        assert len(nodes) == len(set(nodes)) <= 2 * size.bit_length()
    for size1 in (1, 3, 1_048_576, 1_234_567, size - 1):
        nodes = consistency_plan(size1, size).nodes
        assert len(nodes) == len(set(nodes)) <= 2 * size.bit_length()
        assert all((index + 1) << level <= size for level, index in nodes)


def test_a_proof_asks_storage_once() -> None:
    calls: list[Sequence[NodeId]] = []

    def get_many(nodes: Sequence[NodeId]) -> list[bytes]:
        calls.append(nodes)
        return TREE.get_many(nodes)

    inclusion_proof(5, 67, get_many)
    consistency_proof(13, 67, get_many)
    consistency_proof(13, 13, get_many)
    assert len(calls) == 2


def flipped(value: bytes) -> bytes:
    return bytes([value[0] ^ 1]) + value[1:]


def test_tampered_inclusion_proofs_fail() -> None:
    for size in (1, 2, 5, 8, 13, 64, 70):
        good_root = mth(0, size)
        for index in range(size):
            leaf = leaf_hash(LEAVES[index])
            built = path(index, 0, size)
            for position in range(len(built)):
                bad = list(built)
                bad[position] = flipped(bad[position])
                with pytest.raises(ProofError, match="not the given root"):
                    verify_inclusion(leaf, index, size, bad, good_root)
            with pytest.raises(ProofError):
                verify_inclusion(flipped(leaf), index, size, built, good_root)
            with pytest.raises(ProofError):
                verify_inclusion(
                    leaf, index, size, [*built, built[0] if built else leaf], good_root
                )
            if built:
                with pytest.raises(ProofError, match="hashes, got"):
                    verify_inclusion(leaf, index, size, built[:-1], good_root)
            other = (index + 1) % size
            if other != index and path(other, 0, size) != built:
                with pytest.raises(ProofError):
                    verify_inclusion(leaf, other, size, built, good_root)


def test_tampered_consistency_proofs_fail() -> None:
    for size2 in (2, 7, 8, 13, 64, 70):
        for size1 in range(1, size2):
            built = proof(size1, size2)
            root1, root2 = mth(0, size1), mth(0, size2)
            for position in range(len(built)):
                bad = list(built)
                bad[position] = flipped(bad[position])
                with pytest.raises(ProofError, match="not root"):
                    verify_consistency(size1, size2, bad, root1, root2)
            with pytest.raises(ProofError):
                verify_consistency(size1, size2, built, flipped(root1), root2)
            with pytest.raises(ProofError):
                verify_consistency(size1, size2, built, root1, flipped(root2))
            with pytest.raises(ProofError):
                verify_consistency(size1, size2, built[:-1], root1, root2)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: verify_inclusion(b"x" * 31, 0, 1, [], b"x" * 32), "leaf hash must be 32 bytes"),
        (lambda: verify_inclusion(b"x" * 32, 1, 1, [], b"x" * 32), "not within tree size 1"),
        (lambda: verify_inclusion(b"x" * 32, -1, 1, [], b"x" * 32), "not within tree size 1"),
        (lambda: verify_inclusion(b"x" * 32, 0, 2, [b"y"], b"x" * 32), "proof hash 0 must be"),
        (lambda: verify_consistency(0, 3, [], EMPTY_ROOT, EMPTY_ROOT), "size1 must be at least 1"),
        (lambda: verify_consistency(3, 2, [], EMPTY_ROOT, EMPTY_ROOT), "smaller than size1"),
        (lambda: verify_consistency(2, 2, [EMPTY_ROOT], b"a", b"a"), "need an empty proof"),
        (lambda: verify_consistency(2, 2, [], b"a", b"b"), "different roots"),
        (lambda: inclusion_plan(3, 3), "no leaf 3 in a tree of size 3"),
        (lambda: inclusion_plan(0, 0), "no leaf 0 in a tree of size 0"),
        (lambda: consistency_plan(0, 3), "non-empty tree"),
        (lambda: consistency_plan(4, 3), "smaller size 3"),
        (lambda: root(MAX_SIZE + 1, TREE.get_many), "no stored hash"),
        (lambda: root(-1, TREE.get_many), "cannot be negative"),
        (lambda: append(3, [], []), "has 2 hashes, got 0"),
        (lambda: append(0, [], [b"short"]), "leaf 0: a leaf hash is 32 bytes"),
    ],
)
def test_bad_requests_raise_clear_value_errors(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_proof_errors_are_merkle_errors() -> None:
    assert issubclass(ProofError, MerkleError)
    assert issubclass(MerkleError, ValueError)


# --- appending ----------------------------------------------------------------------------------


def stored_rows(tree: MemoryTree) -> set[tuple[int, int, bytes]]:
    return {
        (level, index, value)
        for level, hashes in enumerate(tree.levels)
        for index, value in enumerate(hashes)
    }


@pytest.mark.parametrize("seed", range(20))
def test_appending_in_random_batches_equals_one_by_one(seed: int) -> None:
    rng = random.Random(seed)
    one_by_one = MemoryTree()
    for leaf in LEAVES:
        one_by_one.append([leaf_hash(leaf)])

    batched = MemoryTree()
    size = 0
    while size < MAX_SIZE:
        count = rng.choice([1, 1, 2, 3, 5, 8, 13, 30])
        new = [leaf_hash(leaf) for leaf in LEAVES[size : size + count]]
        # A repository's view: it fetches only what append_needs names, then stores the result.
        needs = append_needs(size)
        assert len(needs) <= max(size.bit_length(), 1)
        done = append(size, batched.get_many(needs), new)
        assert all((level, index) not in needs for level, index, _ in done.nodes)
        batched.store(done.nodes)
        size = done.size
        assert done.root == mth(0, size)

    assert stored_rows(batched) == stored_rows(one_by_one) == stored_rows(TREE)


def test_append_writes_about_two_rows_per_leaf() -> None:
    done = append(0, [], (leaf_hash(leaf) for leaf in LEAVES[:64]))
    assert len(done.nodes) == 127
    assert done.size == 64
    done = append(64, [done.nodes[-1][2]], [leaf_hash(LEAVES[64])])
    assert [(level, index) for level, index, _ in done.nodes] == [(0, 64)]


def test_frontier_streams_roots() -> None:
    frontier = Frontier()
    assert frontier.root() == EMPTY_ROOT
    for size, leaf in enumerate(LEAVES, start=1):
        frontier.append([leaf_hash(leaf)])
        assert frontier.size == size
        assert frontier.root() == mth(0, size)
    resumed = Frontier(45, TREE.get_many(append_needs(45)))
    resumed.append(leaf_hash(leaf) for leaf in LEAVES[45:])
    assert resumed.root() == mth(0, MAX_SIZE)
