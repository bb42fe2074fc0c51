"""The Merkle log over the stored trail, on both databases: integration in batches, proofs that
verify against the recomputed tree, signed checkpoints, and clear refusals of bad requests."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from confianza.app.bootstrap import Container
from confianza.core.errors import NotFound, ValidationFailed
from confianza.kit.checkpoint import open_checkpoint
from confianza.kit.merkle import EMPTY_ROOT, MemoryTree
from confianza.kit.merkle_proofs import verify_consistency, verify_inclusion
from confianza.kit.signed_note import Signer
from confianza.trail.rules import PendingEntry
from confianza.transparency.service import log as transparency
from conftest import PUBLIC

ORIGIN = "confianza.test/audit-log"


def _write(container: Container, count: int) -> None:
    with container.uow().transaction() as tx:
        tx.audit.write_many([
            PendingEntry("tester", "user", "officer:identity:read", "officer", str(n),
                         detail={"n": n})
            for n in range(count)
        ])


def _expected(container: Container) -> MemoryTree:
    """The tree recomputed from the stored entries' canonical bytes, independently."""
    with container.uow().transaction() as tx:
        entries = tx.log.entries(1, 10**6)
    return MemoryTree([PUBLIC.leaf(e) for e in entries])


def test_integration_in_batches_gives_the_tree_of_the_entries(container: Container) -> None:
    assert transparency.tree_head(container.uow()).root == EMPTY_ROOT
    for count in (1, 6, 30):
        _write(container, count)
    head = transparency.integrate(container.uow(), PUBLIC, batch=7)
    expected = _expected(container)
    assert (head.size, head.root) == (37, expected.root())
    assert transparency.integrate(container.uow(), PUBLIC) == head  # nothing new: unchanged
    _write(container, 3)
    assert transparency.integrate(container.uow(), PUBLIC).size == 40


def test_integrations_racing_each_other_and_the_writers_build_one_tree(
    container: Container,
) -> None:
    # Integration hashes outside the write lock and writes only if the head did not move; two
    # integrators at once must neither lose nor repeat a leaf.
    errors: list[BaseException] = []
    writing = threading.Event()

    def guarded(work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as exc:  # a thread's failure must fail the test
            errors.append(exc)

    def writers() -> None:
        for _ in range(25):
            _write(container, 3)
        writing.set()

    def integrator() -> None:
        while not writing.is_set():
            transparency.integrate(container.uow(), PUBLIC, batch=4)

    threads = [threading.Thread(target=guarded, args=(work,))
               for work in (writers, integrator, integrator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    head = transparency.integrate(container.uow(), PUBLIC)
    assert errors == []
    assert (head.size, head.root) == (75, _expected(container).root())
    with container.uow().transaction() as tx:
        rows = tx.session.execute(text("SELECT count(*) FROM log_hashes WHERE level = 0"))
        assert rows.scalar_one() == 75  # each leaf stored once


def test_every_inclusion_and_consistency_proof_verifies(container: Container) -> None:
    _write(container, 21)
    head = transparency.integrate(container.uow(), PUBLIC, batch=5)
    for seq in range(1, head.size + 1):
        proof = transparency.prove_inclusion(container.uow(), seq)
        verify_inclusion(proof.leaf_hash, proof.leaf_index, proof.tree_size, proof.hashes,
                         head.root)
    older = transparency.prove_inclusion(container.uow(), 3, size=8)
    verify_inclusion(older.leaf_hash, 2, 8, older.hashes, older.root)
    for size1 in range(1, head.size + 1):
        proof = transparency.prove_consistency(container.uow(), size1)
        verify_consistency(size1, head.size, proof.hashes, proof.root1, head.root)


def test_bad_proof_requests_are_refused_clearly(container: Container) -> None:
    _write(container, 4)
    transparency.integrate(container.uow(), PUBLIC)
    with pytest.raises(NotFound, match="entry 9 is not in the log of 4 entries"):
        transparency.prove_inclusion(container.uow(), 9)
    with pytest.raises(ValidationFailed, match="size"):
        transparency.prove_inclusion(container.uow(), 1, size=5)
    with pytest.raises(ValidationFailed, match="size1"):
        transparency.prove_consistency(container.uow(), 3, 2)


def test_a_signed_checkpoint_opens_with_the_published_key(container: Container) -> None:
    signer = Signer.generate(ORIGIN)
    _write(container, 9)
    head = transparency.integrate(container.uow(), PUBLIC)
    note = transparency.sign_head(container.uow(), [signer], ORIGIN)
    checkpoint, names = open_checkpoint(note, [signer.verifier], origin=ORIGIN)
    assert (checkpoint.size, checkpoint.root_hash, names) == (9, head.root, [ORIGIN])
    assert transparency.sign_head(container.uow(), [signer], ORIGIN) == note
    assert transparency.latest_checkpoint(container.uow()) == note


def test_the_stored_tree_is_append_only(container: Container) -> None:
    _write(container, 2)
    transparency.integrate(container.uow(), PUBLIC)
    with pytest.raises(DBAPIError, match="append-only"), container.engine.begin() as connection:
        connection.execute(text("UPDATE log_hashes SET idx = idx + 10"))
