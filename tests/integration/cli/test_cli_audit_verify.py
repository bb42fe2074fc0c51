"""`confianza audit verify` from the command line: one line and exit 0 for a sound log, the
first disagreement and exit 1 for a tampered one, JSON for machines, keys from the settings or
--key, and clear refusals of a missing or malformed key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from confianza.app.bootstrap import Container
from confianza.app.console import main
from confianza.kit.signed_note import Signer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from log_verify_support import ORIGIN, build_log, set_detail, tampering  # noqa: E402

SIGNER = Signer.generate(ORIGIN)
KEY = SIGNER.verifier.key_string()


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    monkeypatch.setenv("CONFIANZA_LOG_ORIGIN", ORIGIN)
    monkeypatch.delenv("CONFIANZA_LOG_SIGNING_KEY", raising=False)
    monkeypatch.delenv("CONFIANZA_LOG_VERIFIER_KEYS", raising=False)
    return dict(os.environ)


def test_a_sound_log_prints_ok(container: Container, cli_env: dict[str, str],
                               capsys: pytest.CaptureFixture[str]) -> None:
    build_log(container, SIGNER)
    assert main(["audit", "verify", "--key", KEY, "--workers", "0"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("ok: 40 entries, 3 checkpoints verified, latest size 40 root ")


def test_keys_come_from_the_settings_too(container: Container, cli_env: dict[str, str],
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    build_log(container, SIGNER, sizes=(5,))
    monkeypatch.setenv("CONFIANZA_LOG_VERIFIER_KEYS", KEY)
    assert main(["audit", "verify", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is True and document["latest_size"] == 5


def test_a_tampered_log_prints_the_first_disagreement(
        container: Container, cli_env: dict[str, str],
        capsys: pytest.CaptureFixture[str]) -> None:
    build_log(container, SIGNER)
    with tampering(container) as connection:
        set_detail(connection, 17, '{"n":1000}')
    assert main(["audit", "verify", "--key", KEY]) == 1
    assert capsys.readouterr().out.strip() == (
        "tampered: entry 17 was changed: it disagrees with the signed checkpoint at size 25")
    assert main(["audit", "verify", "--key", KEY, "--json"]) == 1
    problem = json.loads(capsys.readouterr().out)["problem"]
    assert (problem["kind"], problem["seq"], problem["checkpoint"]) == ("changed", 17, 25)


def test_a_checkpoint_by_another_key_is_reported_forged(
        container: Container, cli_env: dict[str, str],
        capsys: pytest.CaptureFixture[str]) -> None:
    build_log(container, SIGNER, sizes=(6,))
    other = Signer.generate(ORIGIN).verifier.key_string()
    assert main(["audit", "verify", "--key", other]) == 1
    assert capsys.readouterr().out.strip() == (
        "tampered: the checkpoint kept at size 6 is forged: no signature by a known key")


def test_without_a_key_or_with_a_bad_one_it_says_so(
        cli_env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify"]) == 2
    assert "no verifier key: pass --key" in capsys.readouterr().err
    assert main(["audit", "verify", "--key", "not-a-key"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --key: 'not-a-key'") and "Traceback" not in err


def test_the_installed_command_runs(
        container: Container, cli_env: dict[str, str]) -> None:
    build_log(container, SIGNER, sizes=(30,))
    with container.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_entries")).scalar() == 30
    done = subprocess.run(
        [sys.executable, "-m", "confianza.app.console", "audit", "verify", "--key", KEY,
         "--workers", "2"], env=cli_env, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: 30 entries, 1 checkpoints verified")
