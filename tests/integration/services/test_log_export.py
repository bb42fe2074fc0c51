"""Exporting the log as C2SP tlog-tiles, on both databases: what is written, only what is new,
byte for byte what a fresh export writes, public forms only, and clear refusals of a directory
or a stored log that cannot be published as it is."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from log_verify_support import ORIGIN, build_log, set_detail, tampering, write
from sqlalchemy import text

from confianza.app.bootstrap import Container
from confianza.kit.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from confianza.kit.merkle import leaf_hash
from confianza.kit.signed_note import Signer
from confianza.kit.tiles import (
    Bundle,
    TileError,
    bundles_for_size,
    parse_bundle,
    tiles_for_size,
    verify_tiles,
)
from confianza.trail.rules import PendingEntry
from confianza.transparency.service import export as log_export
from confianza.transparency.service import log as transparency
from confianza.transparency.service.export import (
    ExportRefused,
    directory_reader,
    export_tiles,
    verify_export,
)
from conftest import PUBLIC

SIGNER = Signer.generate(ORIGIN)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty directory to export into (tmp_path itself holds the SQLite database)."""
    directory = tmp_path / "out"
    directory.mkdir()
    return directory


def _export(container: Container, directory: Path) -> log_export.ExportReport:
    return export_tiles(container.uow(), PUBLIC, directory)


def _grow(container: Container, size: int) -> None:
    """Entries up to `size`, integrated and signed."""
    done = transparency.tree_head(container.uow()).size
    for start in range(done, size, 5_000):
        write(container, min(5_000, size - start), start)
    transparency.integrate(container.uow(), PUBLIC)
    transparency.sign_head(container.uow(), [SIGNER], ORIGIN)


def _files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def _verified(directory: Path) -> Checkpoint:
    report = verify_export(directory, [SIGNER.verifier], origin=ORIGIN)
    assert report.ok, report.line()
    checkpoint, _ = open_checkpoint((directory / "checkpoint").read_bytes(), [SIGNER.verifier],
                                    origin=ORIGIN)
    # And with the domain's verification directly, from the files alone.
    assert verify_tiles(checkpoint, directory_reader(directory)) == report.files - 1
    return checkpoint


def test_an_export_verifies_from_its_files_alone(container: Container, tmp_path: Path) -> None:
    build_log(container, SIGNER, sizes=(300,))
    report = _export(container, tmp_path / "log")
    assert (report.size, report.previous_size) == (300, 0)
    assert (report.tiles_written, report.bundles_written, report.checkpoint_written) == (
        3, 2, True)
    assert report.line() == "exported size 300 (previous 0): 3 tiles, 2 bundles"
    assert set(_files(tmp_path / "log")) == {
        "checkpoint", "tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1", "tile/entries/000",
        "tile/entries/001.p/44"}
    assert (tmp_path / "log" / "checkpoint").read_bytes() == (
        transparency.latest_checkpoint(container.uow()))
    checkpoint = _verified(tmp_path / "log")
    assert (checkpoint.size, checkpoint.root_hash) == (300, report.root)
    assert report.root == transparency.tree_head(container.uow()).root


def test_the_latest_signed_checkpoint_is_exported_not_the_unsigned_head(
        container: Container, out: Path) -> None:
    build_log(container, SIGNER, sizes=(10, 25), unsigned=7)
    assert transparency.tree_head(container.uow()).size == 32
    report = _export(container, out)
    assert report.size == 25
    assert set(_files(out)) == {"checkpoint", "tile/0/000.p/25", "tile/entries/000.p/25"}
    assert _verified(out).size == 25


def test_a_grown_log_writes_only_the_new_files_and_equals_a_fresh_export(
        container: Container, tmp_path: Path) -> None:
    build_log(container, SIGNER, sizes=(300,))
    incremental = tmp_path / "incremental"
    _export(container, incremental)
    before = {p: (incremental / p).stat() for p in ("tile/0/000", "tile/entries/000")}
    old = _files(incremental)

    _grow(container, 700)
    report = _export(container, incremental)
    assert (report.size, report.previous_size) == (700, 300)
    assert report.tiles_written == len(tiles_for_size(700, 300)) == 3
    assert report.bundles_written == len(bundles_for_size(700, 300)) == 2
    now = _files(incremental)
    new_paths = {t.path for t in tiles_for_size(700, 300)} | {
        b.path for b in bundles_for_size(700, 300)}
    assert set(now) == set(old) | new_paths
    # The full tiles of the first export were not touched: same file, same time.
    for path, stat in before.items():
        after = (incremental / path).stat()
        assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), path
    # The old partial files stay, unchanged, so the old checkpoint still verifies from them.
    for path in ("tile/0/001.p/44", "tile/entries/001.p/44", "tile/1/000.p/1"):
        assert now[path] == old[path]
    assert _verified(incremental).size == 700

    fresh = tmp_path / "fresh"
    again = _export(container, fresh)
    assert (again.previous_size, again.tiles_written, again.bundles_written) == (0, 4, 3)
    fresh_files = _files(fresh)
    assert {p: now[p] for p in fresh_files} == fresh_files
    assert set(now) - set(fresh_files) == {"tile/0/001.p/44", "tile/entries/001.p/44",
                                           "tile/1/000.p/1"}


def test_exporting_again_with_nothing_new_writes_nothing(container: Container,
                                                         out: Path) -> None:
    build_log(container, SIGNER, sizes=(20,))
    _export(container, out)
    stamp = (out / "checkpoint").stat().st_mtime_ns
    report = _export(container, out)
    assert (report.size, report.previous_size, report.files_written) == (20, 20, 0)
    assert report.line() == "exported size 20 (previous 20): 0 tiles, 0 bundles"
    assert (out / "checkpoint").stat().st_mtime_ns == stamp


def test_a_log_of_two_tile_levels_exports_incrementally(container: Container,
                                                        out: Path) -> None:
    size = 256 * 256 + 300
    _grow(container, 65_000)
    _export(container, out)
    _grow(container, size)
    report = _export(container, out)
    # The first level-1 tile fills up (and is checked against the stored node above it), and
    # a level-2 tile appears.
    assert "tile/1/000" in {t.path for t in tiles_for_size(size, 65_000)}
    assert report.tiles_written == len(tiles_for_size(size, 65_000))
    assert (out / "tile" / "2" / "000.p" / "1").is_file()
    assert _verified(out).size == size
    # A stored node under a full level-1 tile is not on the right edge, so the signed root does
    # not show it altered; the full level-0 tile below it does, before it is written.
    with tampering(container) as connection:
        connection.execute(text("UPDATE log_hashes SET hash = :h WHERE level = 8 AND idx = 5"),
                           {"h": leaf_hash(b"forged")})
    with pytest.raises(ExportRefused, match=r"the stored tree hash at level 8, index 5 \(entries "
                       r"1281 to 1536\) disagrees with the hashes below it"):
        _export(container, out / "again")
    assert not (out / "again" / "tile/0/005").exists()


def test_bundles_hold_public_forms_and_no_private_value(container: Container,
                                                        out: Path) -> None:
    secrets = ("inspector.garcia", "officer-77321", "summons for hearing 4411", "MEGA840101")
    with container.uow().transaction() as tx:
        tx.audit.write_many([
            PendingEntry("inspector.garcia", "user", "officer:contact:read", "officer",
                         "officer-77321", purpose="summons for hearing 4411",
                         detail={"curp_prefix": "MEGA840101", "n": n})
            for n in range(30)])
    transparency.integrate(container.uow(), PUBLIC)
    transparency.sign_head(container.uow(), [SIGNER], ORIGIN)
    _export(container, out)
    forms = parse_bundle((out / "tile/entries/000.p/30").read_bytes(), Bundle(0, 30))
    with container.uow().transaction(read_only=True) as tx:
        entries = tx.log.reader().entries_between(1, 31)
    assert forms == [PUBLIC.form(entry) for entry in entries]
    assert b'"action":"officer:contact:read"' in forms[0]
    everything = b"".join(_files(out).values())
    for value in secrets:
        assert value.encode() not in everything, value


def test_a_changed_row_is_refused_and_named(container: Container, out: Path) -> None:
    build_log(container, SIGNER, sizes=(300,))
    with tampering(container) as connection:
        set_detail(connection, 271, '{"n":1000}')
    with pytest.raises(ExportRefused, match=r"^entry 271 disagrees with the log's stored tree"
                       ) as refused:
        _export(container, out)
    assert "tile/entries/001.p/44 was not written" in refused.value.detail
    # Nothing names the files written before the refusal, and the bad bundle is not there.
    assert not (out / "checkpoint").exists()
    assert not (out / "tile/entries/001.p/44").exists()


@pytest.mark.parametrize(("leaf", "seq"), [(100, 101), (280, 281)],
                         ids=["in-a-full-tile", "in-the-partial-tile"])
def test_an_altered_stored_leaf_hash_is_refused_and_named(
        container: Container, out: Path, leaf: int, seq: int) -> None:
    build_log(container, SIGNER, sizes=(300,))
    with tampering(container) as connection:
        connection.execute(text("UPDATE log_hashes SET hash = :h WHERE level = 0 AND idx = :i"),
                           {"h": leaf_hash(b"forged"), "i": leaf})
    with pytest.raises(ExportRefused, match=rf"^entry {seq} disagrees with the log's stored"):
        _export(container, out)
    assert not (out / "checkpoint").exists()


def test_an_altered_stored_node_is_refused(container: Container, out: Path) -> None:
    build_log(container, SIGNER, sizes=(300,))
    with tampering(container) as connection:
        connection.execute(text("UPDATE log_hashes SET hash = :h WHERE level = 8 AND idx = 0"),
                           {"h": leaf_hash(b"forged")})
    with pytest.raises(ExportRefused, match="does not give the root of the signed checkpoint "
                       "at size 300: a stored hash was altered; nothing was exported"):
        _export(container, out)
    assert not any(out.iterdir())


def test_a_deleted_row_is_refused_and_named(container: Container, out: Path) -> None:
    build_log(container, SIGNER, sizes=(40,))
    with tampering(container) as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE seq = 12"))
    with pytest.raises(ExportRefused, match=r"^entry 12 is missing from the trail"):
        _export(container, out)


def test_a_log_without_a_signed_checkpoint_is_refused(container: Container,
                                                      tmp_path: Path) -> None:
    write(container, 5)
    transparency.integrate(container.uow(), PUBLIC)
    with pytest.raises(ExportRefused, match="no signed checkpoint yet"):
        _export(container, tmp_path / "log")
    assert not any((tmp_path / "log").iterdir())


def _note(origin: str, size: int, root: bytes) -> bytes:
    return sign_checkpoint(Checkpoint(origin, size, root), [Signer.generate(origin)])


@pytest.mark.parametrize(("content", "says"), [
    (lambda root: _note("other.example/log", 20, root),
     "is a checkpoint of the log 'other.example/log', not of 'confianza.test/audit-log'"),
    (lambda root: _note(ORIGIN, 21, root), "holds a tree of 21 entries but this log's latest "
     "signed checkpoint has 20"),
    (lambda root: _note(ORIGIN, 12, root), "at size 12, but this log's stored tree gives"),
    (lambda root: b"not a checkpoint\n", "is not a checkpoint of a previous export (malformed "
     "note: no blank line before the signatures): export into an empty directory"),
    (lambda root: b"\n\n\xff", "is not a checkpoint of a previous export"),
], ids=["other-origin", "larger", "other-root", "malformed", "not-utf8"])
def test_a_directory_holding_something_else_is_refused(
        container: Container, out: Path, content: object, says: str) -> None:
    build_log(container, SIGNER, sizes=(20,))
    root = transparency.tree_head(container.uow()).root
    assert callable(content)
    (out / "checkpoint").write_bytes(content(root))
    with pytest.raises(ExportRefused, match="checkpoint") as refused:
        _export(container, out)
    assert says in refused.value.detail
    assert not (out / "tile").exists()


def test_an_unreadable_checkpoint_is_refused(container: Container, out: Path) -> None:
    build_log(container, SIGNER, sizes=(20,))
    (out / "checkpoint").mkdir()
    with pytest.raises(ExportRefused, match="cannot be read .*export into an empty directory"):
        _export(container, out)


def test_a_directory_that_cannot_be_written_is_refused(container: Container,
                                                      tmp_path: Path) -> None:
    build_log(container, SIGNER, sizes=(20,))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportRefused, match="exists and is not a directory"):
        _export(container, blocker)
    with pytest.raises(ExportRefused, match="cannot be created: Not a directory"):
        _export(container, blocker / "log")
    # A directory whose tile/ is a file: the first tile cannot be written, and no checkpoint is.
    (tmp_path / "log").mkdir()
    (tmp_path / "log" / "tile").write_text("x")
    with pytest.raises(ExportRefused, match="tile/entries/000.p/20 cannot be written"):
        _export(container, tmp_path / "log")
    assert not (tmp_path / "log" / "checkpoint").exists()


def test_two_exports_into_one_directory_do_not_overlap(container: Container,
                                                       out: Path) -> None:
    build_log(container, SIGNER, sizes=(20,))
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(ExportRefused, match="another export into .* is under way"):
            _export(container, out)
    finally:
        os.close(fd)
    assert _export(container, out).size == 20


def test_a_crash_leaves_the_old_checkpoint_and_a_rerun_completes_the_same_bytes(
        container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_log(container, SIGNER, sizes=(300,))
    directory = tmp_path / "log"
    _export(container, directory)
    old_checkpoint = (directory / "checkpoint").read_bytes()
    _grow(container, 800)

    real = os.replace
    calls = {"n": 0}

    def crash_on_the_fourth(source: str | Path, target: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(5, "Input/output error")
        real(source, target)

    monkeypatch.setattr(os, "replace", crash_on_the_fourth)
    with pytest.raises(ExportRefused, match="cannot be written"):
        _export(container, directory)
    monkeypatch.setattr(os, "replace", real)
    # Readers still see the old checkpoint, and every file it needs.
    assert (directory / "checkpoint").read_bytes() == old_checkpoint
    assert _verified(directory).size == 300
    assert not [p for p in directory.rglob("*") if p.name.endswith(".tmp")]

    report = _export(container, directory)
    assert (report.previous_size, report.size) == (300, 800)
    assert _verified(directory).size == 800
    fresh = tmp_path / "fresh"
    _export(container, fresh)
    done = _files(directory)
    assert all(done[path] == data for path, data in _files(fresh).items())


def test_the_reader_refuses_paths_outside_the_directory(tmp_path: Path) -> None:
    inside = tmp_path / "log"
    (inside / "tile" / "0").mkdir(parents=True)
    (tmp_path / "secret").write_bytes(b"s" * 32)
    (inside / "tile" / "0" / "000.p").symlink_to(tmp_path)
    read = directory_reader(inside)
    for path in ("../secret", "/etc/passwd", "tile/../../secret", "tile/0/000.p/secret"):
        with pytest.raises(TileError, match="outside the export directory|not a path inside"):
            read(path)
    assert read("tile/0/001") is None
    (inside / "checkpoint").write_bytes(b"x")
    assert read("checkpoint") == b"x"
    # A hostile, huge file is not read whole.
    (inside / "tile" / "0" / "002").write_bytes(b"\0" * 100_000)
    data = read("tile/0/002")
    assert data is not None and len(data) == 256 * 32 + 1


def test_a_missing_tile_of_the_stored_tree_is_refused(container: Container,
                                                      out: Path) -> None:
    build_log(container, SIGNER, sizes=(300,))
    with tampering(container) as connection:
        connection.execute(text("DELETE FROM log_hashes WHERE level = 0 AND idx = 3"))
    with pytest.raises(ExportRefused, match=r"no stored hash at \(level, index\) \(0, 3\)"):
        _export(container, out)

