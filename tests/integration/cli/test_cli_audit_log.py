"""`confianza audit`: integrate, checkpoints that verify with the printed key, proofs, keygen, and
one-line refusals (no signing key, bad numbers), on both databases."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest

from confianza.app.bootstrap import build
from confianza.app.console import main
from confianza.app.settings import Environment, Settings
from confianza.kit.checkpoint import open_checkpoint
from confianza.kit.merkle_proofs import verify_consistency, verify_inclusion
from confianza.kit.signed_note import Signer, Verifier
from confianza.trail.rules import PendingEntry
from confianza.transparency.rules import parse_key

ORIGIN = "confianza.test/audit-log"


@pytest.fixture
def log_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Signer:
    """A test database holding 9 entries, and a signing key in the environment."""
    signer = Signer.generate(ORIGIN)
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    monkeypatch.setenv("CONFIANZA_LOG_ORIGIN", ORIGIN)
    monkeypatch.setenv("CONFIANZA_LOG_SIGNING_KEY", signer.key_string())
    built = build(Settings(environment=Environment.TEST, database_url=database_url))
    try:
        with built.uow().transaction() as tx:
            tx.audit.write_many([PendingEntry("tester", "user", "officer:identity:read",
                                              "officer", str(n)) for n in range(9)])
    finally:
        built.dispose()
    return signer


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def test_a_checkpoint_verifies_with_the_printed_key(
    log_env: Signer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "integrate"]) == 0
    assert capsys.readouterr().out.startswith("tree size 9, root ")
    assert main(["audit", "key"]) == 0
    verifier = Verifier.parse(capsys.readouterr().out.strip())
    assert verifier == log_env.verifier
    assert main(["audit", "checkpoint"]) == 0
    note = capsys.readouterr().out.encode("utf-8")
    checkpoint, names = open_checkpoint(note, [verifier], origin=ORIGIN)
    assert (checkpoint.size, names) == (9, [ORIGIN])


def test_proofs_print_as_json_and_verify(log_env: Signer,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "checkpoint"]) == 0
    checkpoint, _ = open_checkpoint(capsys.readouterr().out.encode(), [log_env.verifier])
    for seq in (1, 5, 9):
        assert main(["audit", "prove", str(seq), "--json"]) == 0
        proof = json.loads(capsys.readouterr().out)
        verify_inclusion(_b64(proof["leaf_hash"]), seq - 1, 9,
                         [_b64(h) for h in proof["hashes"]], checkpoint.root_hash)
    assert main(["audit", "prove", "2", "--size", "4"]) == 0
    printed = capsys.readouterr().out
    assert "entry 2 (leaf 1) is in the tree of 4 entries" in printed and "path 1" in printed
    assert main(["audit", "consistency", "3", "--json"]) == 0
    proof = json.loads(capsys.readouterr().out)
    verify_consistency(3, 9, [_b64(h) for h in proof["hashes"]], _b64(proof["root1"]),
                       checkpoint.root_hash)
    assert main(["audit", "consistency", "3", "7"]) == 0
    assert "the tree of 7 entries extends the tree of 3" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "status", "says"), [
    (["audit", "prove", "10"], 1, "entry 10 is not in the log of 9 entries"),
    (["audit", "prove", "1", "--size", "12"], 1, "size: the log holds 9"),
    (["audit", "prove", "0"], 2, "seq"),
    (["audit", "prove", "abc"], 2, "seq"),
    (["audit", "consistency", "5", "2"], 1, "size1: 5 is larger than size2"),
    (["audit", "consistency", "20"], 1, "size1: the log holds 9"),
])
def test_bad_numbers_are_one_line_errors(
    log_env: Signer, capsys: pytest.CaptureFixture[str], args: list[str], status: int, says: str
) -> None:
    assert main(["audit", "integrate"]) == 0
    capsys.readouterr()
    assert main(args) == status
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: ") and says in error and "\n" not in error, error


@pytest.mark.parametrize("environment", ["test", "production"])
@pytest.mark.parametrize("command", [["audit", "checkpoint"], ["serve"]])
def test_signing_without_a_key_is_a_one_line_error(
    log_env: Signer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    environment: str, command: list[str],
) -> None:
    monkeypatch.delenv("CONFIANZA_LOG_SIGNING_KEY")
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", environment)
    assert main(command) == 1  # `serve` stops before it listens
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: the audit log has no signing key: set "
                            "CONFIANZA_LOG_SIGNING_KEY") and "\n" not in error, error


def test_a_malformed_key_is_refused_without_being_echoed(
    log_env: Signer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = log_env.key_string()[:-8] + "AAAAAAA="
    monkeypatch.setenv("CONFIANZA_LOG_SIGNING_KEY", secret)
    assert main(["audit", "checkpoint"]) == 1
    error = capsys.readouterr().err.strip()
    assert "CONFIANZA_LOG_SIGNING_KEY" in error and secret.split("+")[-1] not in error


def test_keygen_prints_a_key_for_the_origin(log_env: Signer,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "keygen"]) == 0
    printed = capsys.readouterr()
    signer = Signer.parse(printed.out.strip())
    assert signer.name == ORIGIN and signer.verifier.key_string() in printed.err
    assert main(["audit", "keygen", "--pseudonym"]) == 0
    made = capsys.readouterr().out.strip()
    assert len(parse_key(made)) == 32
    # What it printed is accepted as the setting.
    assert Settings(log_pseudonym_key=made).log_pseudonym_key is not None


def test_development_keeps_its_key_across_runs(
    log_env: Signer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONFIANZA_LOG_SIGNING_KEY")
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "development")
    assert main(["audit", "checkpoint"]) == 0
    first = capsys.readouterr().out.encode()
    key_file = tmp_path / "var" / "log-signing.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert main(["audit", "key"]) == 0
    verifier = Verifier.parse(capsys.readouterr().out.strip())
    assert main(["audit", "checkpoint"]) == 0
    assert capsys.readouterr().out.encode() == first
    assert open_checkpoint(first, [verifier], origin=ORIGIN)[0].size == 9


def test_serve_signs_while_it_runs_and_stops_its_process(
    log_env: Signer, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    import multiprocessing

    import uvicorn

    seen: dict[str, object] = {}
    children: list[str] = []

    def fake_run(target: object, **options: object) -> None:
        # Stands in for the server: the checkpoint process runs beside it until it returns.
        seen.update(options)
        children.extend(p.name for p in multiprocessing.active_children())

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("CONFIANZA_LOG_CHECKPOINT_SECONDS", "3600")
    assert main(["serve"]) == 0
    assert seen["factory"] is False and seen["workers"] is None
    assert "confianza-checkpoints" in children
    assert "confianza-checkpoints" not in [p.name for p in multiprocessing.active_children()]
    built = build(Settings(environment=Environment.TEST, database_url=database_url))
    try:
        with built.uow().transaction(read_only=True) as tx:
            assert tx.log.checkpoint() is not None  # the first tick ran at start
    finally:
        built.dispose()


def test_serve_runs_several_workers_from_the_factory(
    log_env: Signer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    seen: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: seen.append((target, options)))
    monkeypatch.setenv("CONFIANZA_LOG_CHECKPOINT_SECONDS", "0")
    assert main(["serve", "--workers", "4"]) == 0
    target, options = seen[0]
    # Each worker process builds its own app and container from the settings (and watches
    # the server: tests/integration/cli/test_cli_serve_workers.py).
    assert target == "confianza.app.serve:worker_app"
    assert (options["factory"], options["workers"]) == (True, 4)
    assert options["timeout_worker_healthcheck"] == 30  # a busy machine starts them slowly
    assert main(["serve", "--workers", "2", "--reload"]) == 2
    assert "exclude each other" in capsys.readouterr().err


def test_serve_refuses_to_issue_certificates_nobody_can_verify(
    log_env: Signer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(a))
    monkeypatch.delenv("CONFIANZA_CREDENTIAL_KEY")
    assert main(["serve"]) == 2
    assert started == []
    assert "set CONFIANZA_CREDENTIAL_KEY" in capsys.readouterr().err
