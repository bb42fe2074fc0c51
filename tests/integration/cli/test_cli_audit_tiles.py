"""`confianza audit export` and `confianza audit verify --tiles` from the command line, and the
server's periodic export: one line for a sound copy, one line naming the file and the entry for
each way a published copy can be damaged or forged, never a traceback, and no database needed to
verify."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr

from confianza.app.bootstrap import Container
from confianza.app.console import main
from confianza.app.serve import CheckpointTask
from confianza.kit.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from confianza.kit.signed_note import Signer, sign_note, split_note
from confianza.kit.tiles import Bundle, bundle_bytes, parse_bundle
from confianza.trail.rules import PendingEntry
from confianza.transparency.service import log as transparency
from confianza.transparency.service.export import verify_export

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from log_verify_support import ORIGIN, build_log, write  # noqa: E402

from conftest import PUBLIC  # noqa: E402

SIGNER = Signer.generate(ORIGIN)
KEY = SIGNER.verifier.key_string()


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    monkeypatch.setenv("CONFIANZA_LOG_ORIGIN", ORIGIN)
    for name in ("CONFIANZA_LOG_SIGNING_KEY", "CONFIANZA_LOG_VERIFIER_KEYS",
                 "CONFIANZA_LOG_EXPORT_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def exported(container: Container, cli_env: None, tmp_path: Path,
             capsys: pytest.CaptureFixture[str]) -> Path:
    """A log of 300 signed entries, exported by the command into a directory."""
    build_log(container, SIGNER, sizes=(300,))
    directory = tmp_path / "published"
    assert main(["audit", "export", str(directory)]) == 0
    assert capsys.readouterr().out == "exported size 300 (previous 0): 3 tiles, 2 bundles\n"
    return directory


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _verify(directory: Path, *extra: str) -> list[str]:
    return ["audit", "verify", "--tiles", str(directory), "--key", KEY, *extra]


def test_export_then_verify_from_the_files(container: Container, exported: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = transparency.tree_head(container.uow()).root
    assert main(_verify(exported)) == 0
    assert capsys.readouterr().out == f"ok: size 300, root {_b64(root)}, 6 files\n"
    assert main(_verify(exported, "--json")) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == {"ok": True, "directory": str(exported), "size": 300,
                        "root": _b64(root), "files": 6}
    # The log grows: the next export writes only what is new, and the copy still verifies.
    write(container, 400, 300)
    transparency.integrate(container.uow(), PUBLIC)
    transparency.sign_head(container.uow(), [SIGNER], ORIGIN)
    assert main(["audit", "export", str(exported)]) == 0
    assert capsys.readouterr().out == "exported size 700 (previous 300): 3 tiles, 2 bundles\n"
    assert main(["audit", "export", str(exported)]) == 0
    assert capsys.readouterr().out == "exported size 700 (previous 700): 0 tiles, 0 bundles\n"
    assert main(_verify(exported)) == 0
    assert capsys.readouterr().out.startswith("ok: size 700, root ")


def test_verify_tiles_opens_no_database_and_needs_no_pseudonym_key(
        exported: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    nowhere = f"sqlite:///{tmp_path}/no-such-dir/none.db"
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", nowhere)
    monkeypatch.delenv("CONFIANZA_LOG_PSEUDONYM_KEY")
    monkeypatch.setenv("CONFIANZA_LOG_VERIFIER_KEYS", KEY)  # the key from the settings too
    assert main(["audit", "verify", "--tiles", str(exported)]) == 0
    assert capsys.readouterr().out.startswith("ok: size 300, root ")
    # Nothing touched the configured database (which would be made there on first use) ...
    assert not (tmp_path / "no-such-dir").exists()
    # ... which the database check does need (and finds missing, without making it).
    assert main(["audit", "verify"]) == 1
    assert "there is no database at" in capsys.readouterr().err
    assert not (tmp_path / "no-such-dir").exists()


def _truncate(directory: Path) -> None:
    tile = directory / "tile/0/000"
    tile.write_bytes(tile.read_bytes()[:100])


def _drop_bundle(directory: Path) -> None:
    (directory / "tile/entries/001.p/44").unlink()


def _alter_entry(directory: Path) -> None:
    path = directory / "tile/entries/000"
    forms = parse_bundle(path.read_bytes(), Bundle(0))
    forms[9] = forms[9].replace(b"officer:identity:read", b"officer:identity:seen")
    path.write_bytes(bundle_bytes(forms))


def _forge(directory: Path) -> None:
    """The body changed (another root) under the genuine signature."""
    path = directory / "checkpoint"
    note = path.read_bytes()
    text, _ = split_note(note)
    root = text.split("\n")[2]
    path.write_bytes(note.replace(root.encode(), _b64(hashlib.sha256(b"x").digest()).encode()))


def _resign_with_unknown_key(directory: Path) -> None:
    path = directory / "checkpoint"
    text, _ = split_note(path.read_bytes())
    path.write_bytes(sign_note(text, [Signer.generate(ORIGIN)]))


def _sign_another_root(directory: Path) -> None:
    path = directory / "checkpoint"
    path.write_bytes(sign_checkpoint(
        Checkpoint(ORIGIN, 300, hashlib.sha256(b"another tree").digest()), [SIGNER]))


def _sign_a_larger_tree(directory: Path) -> None:
    path = directory / "checkpoint"
    path.write_bytes(sign_checkpoint(
        Checkpoint(ORIGIN, 400, hashlib.sha256(b"more").digest()), [SIGNER]))


def _malform(directory: Path) -> None:
    (directory / "checkpoint").write_bytes(b"confianza.test/audit-log\n300\n")


def _remove_checkpoint(directory: Path) -> None:
    (directory / "checkpoint").unlink()


def _unchanged(directory: Path) -> None:
    return None


@pytest.mark.parametrize(("damage", "extra", "says"), [
    (_truncate, [], "tampered: tile/0/000: a tile of width 256 has 8192 bytes, got 100 "
     "(entry 4)"),
    (_drop_bundle, [], "tampered: tile/entries/001.p/44 (nor the full tile/entries/001) is "
     "missing: the entry bundle of leaf 256 (entry 257)"),
    (_alter_entry, [], "tampered: tile/entries/000: the entry of leaf 9 does not hash to leaf "
     "hash 9 of tile/0/000 (entry 10)"),
    (_forge, [], "tampered: checkpoint: bad signature by known key confianza.test/audit-log+"),
    (_resign_with_unknown_key, [], "tampered: checkpoint: no signature by a known key"),
    (_sign_another_root, [], "tampered: checkpoint: the tiles of tree size 300 agree with each "
     "other but give root "),
    (_sign_a_larger_tree, [], "tampered: tile/0/001.p/144 (nor the full tile/0/001) is "
     "missing: the hash tile of leaf 256 (entry 257)"),
    (_malform, [], "tampered: checkpoint: malformed note: no blank line before the signatures"),
    (_remove_checkpoint, [], "tampered: checkpoint is missing from "),
    (_unchanged, ["--origin", "other.example/log"], "tampered: checkpoint: checkpoint is for "
     "origin 'confianza.test/audit-log', expected 'other.example/log'"),
], ids=["truncated-tile", "missing-bundle", "altered-entry", "forged-checkpoint",
        "unknown-key-only", "other-root", "larger-tree", "malformed-checkpoint",
        "missing-checkpoint", "wrong-origin"])
def test_a_damaged_copy_is_one_line_naming_the_file_and_entry(
        exported: Path, capsys: pytest.CaptureFixture[str], damage: Callable[[Path], None],
        extra: list[str], says: str) -> None:
    damage(exported)
    assert main(_verify(exported, *extra)) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(says), captured.out
    assert captured.out.count("\n") == 1 and "Traceback" not in captured.err + captured.out
    assert main(_verify(exported, *extra, "--json")) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False
    assert document["problem"]["message"] == captured.out.strip().removeprefix("tampered: ")


def test_json_names_the_file_and_the_entry(exported: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _alter_entry(exported)
    assert main(_verify(exported, "--json")) == 1
    problem = json.loads(capsys.readouterr().out)["problem"]
    assert (problem["kind"], problem["path"], problem["seq"]) == (
        "tiles_disagree", "tile/entries/000", 10)


def test_a_link_out_of_the_directory_is_not_followed(
        exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    (exported / "tile/entries/000").rename(elsewhere)
    (exported / "tile/entries/000").symlink_to(elsewhere)
    assert main(_verify(exported)) == 1
    assert capsys.readouterr().out.startswith(
        "tampered: tile/entries/000 leads outside the export directory ")


@pytest.mark.parametrize(("args", "status", "says"), [
    (["audit", "verify", "--tiles", "{missing}", "--key", KEY], 1,
     "error: {missing} is not a directory: nothing to verify"),
    (["audit", "verify", "--tiles", "{dir}"], 2, "error: no verifier key: pass --key"),
    (["audit", "verify", "--tiles", "{dir}", "--key", KEY, "--workers", "2"], 2,
     "error: --workers is for the database check"),
    (["audit", "verify", "--tiles", "{dir}", "--key", "not-a-key"], 1,
     "error: --key: 'not-a-key'"),
    (["audit", "export"], 2, "error: name the directory to export into (DIR), or set "
     "CONFIANZA_LOG_EXPORT_DIR"),
], ids=["no-directory", "no-key", "workers", "bad-key", "export-without-directory"])
def test_wrong_calls_are_one_line_errors(
        cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        status: int, says: str) -> None:
    missing = str(tmp_path / "missing")
    filled = [a.format(missing=missing, dir=tmp_path) for a in args]
    assert main(filled) == status
    error = capsys.readouterr().err.strip()
    assert error.startswith(says.format(missing=missing)) and "\n" not in error, error


def test_export_refusals_are_one_line_errors(
        container: Container, cli_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    write(container, 5)
    target = tmp_path / "published"
    monkeypatch.setenv("CONFIANZA_LOG_EXPORT_DIR", str(target))
    assert main(["audit", "export"]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: the log has no signed checkpoint yet") and "\n" not in error
    # With a checkpoint, the setting names the directory.
    transparency.integrate(container.uow(), PUBLIC)
    transparency.sign_head(container.uow(), [SIGNER], ORIGIN)
    assert main(["audit", "export"]) == 0
    assert capsys.readouterr().out == "exported size 5 (previous 0): 1 tiles, 1 bundles\n"
    (target / "checkpoint").write_bytes(b"garbage")
    assert main(["audit", "export"]) == 1
    error = capsys.readouterr().err.strip()
    assert "is not a checkpoint of a previous export" in error and "\n" not in error
    assert "empty directory" in error


# --- the server's periodic export ------------------------------------------------------------


def _keyed(built: Container, signer: Signer, export_dir: Path | None) -> Container:
    built.settings = built.settings.model_copy(update={
        "log_origin": ORIGIN, "log_signing_key": SecretStr(signer.key_string()),
        "log_export_dir": export_dir})
    return built


def _entries(built: Container, count: int) -> None:
    with built.uow().transaction() as tx:
        tx.audit.write_many([PendingEntry("tester", "user", "officer:identity:read", "officer",
                                          str(n)) for n in range(count)])


def test_each_tick_exports_the_checkpoint_it_signed(container: Container,
                                                    tmp_path: Path) -> None:
    signer = Signer.generate(ORIGIN)
    directory = tmp_path / "published"
    built = _keyed(container, signer, directory)
    task = CheckpointTask(built, 60)
    _entries(built, 270)
    first = task.run_once()
    assert first is not None and (directory / "checkpoint").read_bytes() == first
    full_tile = (directory / "tile/0/000").stat()
    _entries(built, 30)
    second = task.run_once()
    assert second is not None and (directory / "checkpoint").read_bytes() == second
    assert (directory / "tile/0/000").stat().st_mtime_ns == full_tile.st_mtime_ns
    report = verify_export(directory, [signer.verifier], origin=ORIGIN)
    assert report.ok and report.size == 300, report.line()
    checkpoint, _ = open_checkpoint(second, [signer.verifier], origin=ORIGIN)
    assert report.root == checkpoint.root_hash


def test_without_a_directory_a_tick_exports_nothing(container: Container,
                                                    tmp_path: Path) -> None:
    built = _keyed(container, Signer.generate(ORIGIN), None)
    _entries(built, 3)
    before = set(os.listdir(tmp_path))
    assert CheckpointTask(built, 60).run_once() is not None
    assert set(os.listdir(tmp_path)) == before


def test_a_failing_export_is_logged_and_the_checkpoint_stands(
        container: Container, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    built = _keyed(container, Signer.generate(ORIGIN), blocker)
    _entries(built, 4)
    task = CheckpointTask(built, 60)
    with caplog.at_level(logging.ERROR, logger="confianza.checkpoints"):
        note = task.run_once()
    assert note is not None and note == transparency.latest_checkpoint(built.uow())
    assert f"audit log export to {blocker} failed" in caplog.text
    assert "exists and is not a directory" in caplog.text
    # The next tick, with the directory fixed, exports what is missing.
    blocker.unlink()
    assert task.run_once() == note
    assert (blocker / "checkpoint").read_bytes() == note
