"""`audit verify` as a use case, on both databases: a clean log verifies, and each way an
insider can tamper with the stored trail, tree or checkpoints is named with its entry and kind."""

from __future__ import annotations

import base64

import pytest
from log_verify_support import (
    ORIGIN,
    build_log,
    delete,
    insert_at,
    set_detail,
    swap,
    tampering,
    write,
)
from sqlalchemy import text

from confianza.app.bootstrap import Container
from confianza.kit.checkpoint import Checkpoint, sign_checkpoint
from confianza.kit.merkle import EMPTY_ROOT
from confianza.kit.signed_note import Signer
from confianza.transparency.service import log as transparency
from confianza.transparency.service.verify import Kind, VerifyReport, verify_log
from conftest import PUBLIC

SIGNER = Signer.generate(ORIGIN)


def _verify(container: Container, **options: int) -> VerifyReport:
    return verify_log(container.uow(), [SIGNER.verifier], PUBLIC, origin=ORIGIN, **options)


def _problem(container: Container, **options: int) -> tuple[Kind, int | None, int | None]:
    report = _verify(container, **options)
    assert report.problem is not None, report.line()
    assert report.line().startswith("tampered: ")
    return report.problem.kind, report.problem.seq, report.problem.checkpoint


def test_a_clean_log_verifies_against_every_checkpoint(container: Container) -> None:
    build_log(container, SIGNER, unsigned=5)
    head = transparency.tree_head(container.uow())
    for chunk in (4, 1 << 16):  # chunks that split checkpoints, and one for the whole log
        report = _verify(container, chunk=chunk)
        assert report.ok, report.line()
        latest = base64.b64encode(transparency.prove_inclusion(
            container.uow(), 1, 40).root).decode()
        assert report.line() == f"ok: 45 entries, 3 checkpoints verified, latest size 40 root " \
                                f"{latest}"
        assert (report.entries, report.integrated, head.size) == (45, 45, 45)


def test_an_empty_log_verifies(container: Container) -> None:
    report = _verify(container)
    assert report.ok and (report.entries, report.latest_size, report.latest_root) == (
        0, 0, EMPTY_ROOT)


def test_entries_not_yet_integrated_are_no_problem(container: Container) -> None:
    build_log(container, SIGNER, sizes=(10,))
    write(container, 3, 10)
    report = _verify(container)
    assert report.ok and (report.entries, report.integrated, report.waiting) == (10, 10, 3)
    assert report.line().endswith("; 3 newer entries not yet placed in the log")
    transparency.integrate(container.uow(), PUBLIC)
    report = _verify(container)
    assert report.ok and (report.entries, report.integrated, report.waiting) == (13, 13, 0)


def test_a_changed_detail_is_named(container: Container) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        set_detail(connection, 17, '{"n":1000}')
    assert _problem(container) == (Kind.CHANGED, 17, 25)
    assert _problem(container, chunk=3) == (Kind.CHANGED, 17, 25)


def test_a_change_rewritten_into_the_stored_tree_is_still_caught(container: Container) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        set_detail(connection, 17, '{"n":1000}')
        connection.execute(text("UPDATE log_hashes SET hash = :h WHERE level = 0 AND idx = 16"),
                           {"h": b"\x01" * 32})
    report = _verify(container)
    assert report.problem is not None
    assert (report.problem.kind, report.problem.seq, report.problem.other_seq) == (
        Kind.ALTERED_RANGE, 11, 25)


@pytest.mark.parametrize("renumber", [False, True])
def test_a_deleted_entry_is_named(container: Container, renumber: bool) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        delete(connection, 12, renumber=renumber)
    kind, seq, checkpoint = _problem(container)
    assert (kind, seq, checkpoint) == (Kind.MISSING, 12, 25)
    report = _verify(container)
    assert report.problem is not None
    assert ("renumbered" in report.problem.message) is renumber


def test_deleting_the_latest_entries_is_caught(container: Container) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE seq > 37"))
    assert _problem(container) == (Kind.MISSING, 38, 40)


def test_an_inserted_entry_is_named(container: Container) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        insert_at(connection, 30, container)
    assert _problem(container) == (Kind.INSERTED, 30, 40)


@pytest.mark.parametrize(("first", "second"), [(5, 8), (13, 14), (3, 33)])
def test_swapped_entries_are_named(container: Container, first: int, second: int) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        swap(connection, first, second)
    report = _verify(container)
    assert report.problem is not None
    assert (report.problem.kind, report.problem.seq, report.problem.other_seq) == (
        Kind.REORDERED, first, second)


def test_a_checkpoint_signed_by_another_key_under_our_name_is_forged(
        container: Container) -> None:
    build_log(container, SIGNER, sizes=(10,))
    write(container, 5, 10)
    head = transparency.integrate(container.uow(), PUBLIC)
    impostor = Signer.generate(ORIGIN)
    transparency.sign_head(container.uow(), [impostor], ORIGIN)
    kind, seq, checkpoint = _problem(container)
    assert (kind, seq, checkpoint) == (Kind.FORGED_CHECKPOINT, None, head.size)
    assert "no signature by a known key" in _verify(container).line()


def test_an_edited_checkpoint_note_is_forged(container: Container) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        note = connection.execute(text("SELECT note FROM log_checkpoints WHERE size = 25")
                                  ).scalar_one()
        forged = bytes(note).replace(b"\n25\n", b"\n24\n")
        connection.execute(text("UPDATE log_checkpoints SET note = :n WHERE size = 25"),
                           {"n": forged})
    assert _problem(container) == (Kind.FORGED_CHECKPOINT, None, 25)


def test_an_unknown_cosignature_is_ignored(container: Container) -> None:
    build_log(container, SIGNER, sizes=(10,))
    write(container, 5, 10)
    head = transparency.integrate(container.uow(), PUBLIC)
    witness = Signer.generate("witness.example")
    transparency.sign_head(container.uow(), [SIGNER, witness], ORIGIN)
    report = _verify(container)
    assert report.ok and (report.checkpoints, report.latest_size) == (2, head.size)


def test_a_checkpoint_whose_stored_root_was_changed_is_forged(container: Container) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        connection.execute(text("UPDATE log_checkpoints SET root = :r WHERE size = 10"),
                           {"r": b"\x02" * 32})
    assert _problem(container) == (Kind.FORGED_CHECKPOINT, None, 10)


def test_a_checkpoint_of_a_different_tree_is_a_disagreement(container: Container) -> None:
    # Genuinely signed (a stolen key, or a split view), but not the tree these entries make.
    build_log(container, SIGNER, sizes=(10,))
    with tampering(container) as connection:
        note = sign_checkpoint(Checkpoint(ORIGIN, 8, b"\x03" * 32), [SIGNER])
        connection.execute(text("INSERT INTO log_checkpoints (size, root, note, signed_at) "
                                "VALUES (8, :r, :n, :t)"),
                           {"r": b"\x03" * 32, "n": note, "t": container.clock()})
    kind, _, checkpoint = _problem(container)
    assert (kind, checkpoint) == (Kind.ALTERED_RANGE, 8)


@pytest.mark.parametrize("level", [0, 2])
def test_an_altered_stored_hash_is_named(container: Container, level: int) -> None:
    build_log(container, SIGNER, unsigned=2)
    with tampering(container) as connection:
        connection.execute(text("UPDATE log_hashes SET hash = :h WHERE level = :l AND idx = 3"),
                           {"h": b"\x04" * 32, "l": level})
    report = _verify(container)
    assert report.problem is not None
    assert (report.problem.kind, report.problem.node) == (Kind.TREE_HASH_ALTERED, (level, 3))
    assert report.problem.seq == (3 << level) + 1


def test_an_unsigned_entry_that_disagrees_with_its_stored_hash(container: Container) -> None:
    build_log(container, SIGNER, sizes=(10,), unsigned=6)
    with tampering(container) as connection:
        set_detail(connection, 13, '{"n":-1}')
    assert _problem(container) == (Kind.UNSIGNED_MISMATCH, 13, None)


def test_the_first_disagreement_is_reported(container: Container) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        set_detail(connection, 33, '{"n":-1}')
        set_detail(connection, 6, '{"n":-1}')
    assert _problem(container) == (Kind.CHANGED, 6, 10)


def test_worker_processes_give_the_same_answers(container: Container) -> None:
    build_log(container, SIGNER)
    opener = container.log_reader_opener()
    assert verify_log(container.uow(), [SIGNER.verifier], PUBLIC, workers=2, open_reader=opener,
                      chunk=4).ok
    with tampering(container) as connection:
        delete(connection, 21, renumber=False)
    report = verify_log(container.uow(), [SIGNER.verifier], PUBLIC, workers=2,
                        open_reader=opener, chunk=4)
    assert report.problem is not None
    assert (report.problem.kind, report.problem.seq) == (Kind.MISSING, 21)
