"""The log wired to its configuration: keys from the settings, checkpoints now and periodically,
and an auditor's look at one entry, on both databases."""

from __future__ import annotations

import logging
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container, SigningKeyProblem, log_keys
from confianza.app.serve import CheckpointProcess, CheckpointTask
from confianza.app.settings import Environment, Settings
from confianza.core.errors import Forbidden, NotFound
from confianza.kit.checkpoint import open_checkpoint
from confianza.kit.merkle import leaf_hash
from confianza.kit.signed_note import Signer, Verifier
from confianza.trail.rules import AuditAction, PendingEntry
from confianza.transparency.service import log as transparency
from confianza.transparency.service.log import SigningKeyMissing
from conftest import PUBLIC, actor

ORIGIN = "confianza.test/audit-log"


def write_entries(built: Container, count: int) -> None:
    with built.uow().transaction() as tx:
        tx.audit.write_many([PendingEntry("tester", "user", "officer:identity:read", "officer",
                                          str(n)) for n in range(count)])


def keyed(built: Container, signer: Signer) -> Container:
    """The container, configured to sign with `signer` under ORIGIN."""
    built.settings = built.settings.model_copy(
        update={"log_origin": ORIGIN, "log_signing_key": SecretStr(signer.key_string())})
    return built


def test_a_checkpoint_made_now_verifies_with_the_published_key(container: Container) -> None:
    signer = Signer.generate(ORIGIN)
    built = keyed(container, signer)
    write_entries(built, 12)
    keys = built.log_keys()
    note = transparency.checkpoint_now(built.uow(), keys)
    published = Verifier.parse(transparency.published_key(keys))
    checkpoint, names = open_checkpoint(note, [published], origin=ORIGIN)
    assert (checkpoint.size, names) == (12, [ORIGIN])
    assert checkpoint.root_hash == transparency.tree_head(built.uow()).root
    assert transparency.latest_checkpoint(built.uow()) == note
    # Nothing new: the same note, not a second one for the same size.
    assert transparency.checkpoint_now(built.uow(), keys) == note


def test_one_tick_of_the_periodic_task_integrates_and_signs(container: Container) -> None:
    signer = Signer.generate(ORIGIN)
    built = keyed(container, signer)
    task = CheckpointTask(built, 60)
    write_entries(built, 5)
    first = task.run_once()
    assert first is not None
    write_entries(built, 4)
    second = task.run_once()
    assert second is not None
    old, _ = open_checkpoint(first, [signer.verifier], origin=ORIGIN)
    new, _ = open_checkpoint(second, [signer.verifier], origin=ORIGIN)
    assert (old.size, new.size) == (5, 9)
    proof = transparency.prove_consistency(built.uow(), 5, 9)
    assert (proof.root1, proof.root2) == (old.root_hash, new.root_hash)


def test_between_checkpoints_the_task_places_entries_every_second_or_so(
        container: Container) -> None:
    # A checkpoint an hour; entries placed in the log (and folded into the tree) within the
    # sequencing interval all the same, without a checkpoint for each (ADR 0023).
    signer = Signer.generate(ORIGIN)
    built = keyed(container, signer)
    built.settings = built.settings.model_copy(update={"log_sequence_seconds": 0.05})
    task = CheckpointTask(built, 3600)
    write_entries(built, 2)
    stop = threading.Event()
    worker = threading.Thread(target=task.loop, args=(stop,))
    worker.start()
    try:
        _until(lambda: transparency.tree_head(built.uow()).size == 2)
        write_entries(built, 3)
        _until(lambda: transparency.tree_head(built.uow()).size == 5)
    finally:
        stop.set()
        worker.join(30)
    with built.uow().transaction(read_only=True) as tx:
        assert tx.log.waiting() == 0
    note = transparency.latest_checkpoint(built.uow())
    assert open_checkpoint(note, [signer.verifier], origin=ORIGIN)[0].size == 2


def test_a_failing_placement_is_logged_once_and_its_end_too(
    container: Container, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = CheckpointTask(container, 60)

    def down(*_: object, **__: object) -> None:
        raise ConnectionError("the database is down")

    monkeypatch.setattr(transparency, "integrate", down)
    with caplog.at_level(logging.INFO, logger="confianza.checkpoints"):
        task.place()
        task.place()
        monkeypatch.undo()
        write_entries(container, 1)
        task.place()
    assert caplog.text.count("placing audit entries in the log failed") == 1
    assert "placed in the log again" in caplog.text
    assert transparency.tree_head(container.uow()).size == 1


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "not within 30 s"
        time.sleep(0.02)


def test_a_failing_tick_is_logged_and_the_task_goes_on(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    # The test environment has no signing key: every tick fails, none raises.
    task = CheckpointTask(container, 60)
    with caplog.at_level(logging.ERROR, logger="confianza.checkpoints"):
        assert task.run_once() is None
    assert "checkpoint failed" in caplog.text and "CONFIANZA_LOG_SIGNING_KEY" in caplog.text
    keyed(container, Signer.generate(ORIGIN))
    assert task.run_once() is not None


def test_the_task_process_ticks_and_stops(container: Container) -> None:
    built = keyed(container, Signer.generate(ORIGIN))
    write_entries(built, 3)
    # Its own process, from the settings alone (as `serve` starts it).
    task = CheckpointProcess(built.settings, 3600)
    task.start()  # the first tick runs at once; the next would be an hour away
    task.stop()
    assert transparency.tree_head(built.uow()).size == 3
    note = transparency.latest_checkpoint(built.uow())
    assert open_checkpoint(note, [built.log_keys().require_signer().verifier])[0].size == 3


def test_without_a_key_test_and_production_refuse_to_sign(tmp_path: Path) -> None:
    for environment in (Environment.TEST, Environment.PRODUCTION):
        keys = log_keys(Settings(environment=environment), dev_key_file=tmp_path / "k")
        assert keys.signer is None and keys.verifiers == ()
        with pytest.raises(SigningKeyMissing, match="set CONFIANZA_LOG_SIGNING_KEY"):
            keys.require_signer()
        with pytest.raises(NotFound, match="publishes no verifier key"):
            transparency.published_key(keys)
    assert not (tmp_path / "k").exists()


def test_without_a_pseudonym_key_test_and_production_refuse_to_integrate(
    container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CONFIANZA_LOG_PSEUDONYM_KEY")
    for environment in (Environment.TEST, Environment.PRODUCTION):
        keys = log_keys(Settings(environment=environment), dev_key_file=tmp_path / "k",
                        dev_pseudonym_file=tmp_path / "p")
        assert keys.pseudonym_key is None
        with pytest.raises(SigningKeyMissing, match="set CONFIANZA_LOG_PSEUDONYM_KEY"):
            keys.public_log()
    assert not (tmp_path / "p").exists()
    # The periodic task says so instead of signing a tree it cannot grow.
    built = keyed(container, Signer.generate(ORIGIN))
    built.settings = built.settings.model_copy(update={"log_pseudonym_key": None})
    write_entries(built, 2)
    with pytest.raises(SigningKeyMissing, match="CONFIANZA_LOG_PSEUDONYM_KEY"):
        transparency.checkpoint_now(built.uow(), built.log_keys())
    assert transparency.tree_head(built.uow()).size == 0


def test_development_makes_its_pseudonym_key_once_and_keeps_it(tmp_path: Path) -> None:
    settings = Settings(environment=Environment.DEVELOPMENT, log_pseudonym_key=None)
    path = tmp_path / "var" / "log-pseudonym.key"
    first = log_keys(settings, dev_key_file=tmp_path / "k", dev_pseudonym_file=path)
    assert first.pseudonym_key is not None and len(first.pseudonym_key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = log_keys(settings, dev_key_file=tmp_path / "k", dev_pseudonym_file=path)
    assert again.pseudonym_key == first.pseudonym_key
    path.write_text("not hexadecimal\n")
    with pytest.raises(SigningKeyProblem, match="only while the log is empty"):
        log_keys(settings, dev_key_file=tmp_path / "k", dev_pseudonym_file=path)


def test_development_makes_its_key_once_and_keeps_it(tmp_path: Path) -> None:
    settings = Settings(environment=Environment.DEVELOPMENT)
    path = tmp_path / "var" / "log-signing.key"
    first = log_keys(settings, dev_key_file=path).require_signer()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.name == settings.log_origin
    assert log_keys(settings, dev_key_file=path).require_signer() == first
    other = Settings(environment=Environment.DEVELOPMENT, log_origin="other.example/log")
    with pytest.raises(SigningKeyProblem, match="delete the file"):
        log_keys(other, dev_key_file=path)
    path.write_text("PRIVATE+KEY+nonsense\n")
    with pytest.raises(SigningKeyProblem, match="delete the file"):
        log_keys(settings, dev_key_file=path)


def test_bad_log_settings_are_refused_when_read() -> None:
    signer = Signer.generate(ORIGIN)
    with pytest.raises(ValidationError, match="CONFIANZA_LOG_SIGNING_KEY is named") as named:
        Settings(log_signing_key=signer.key_string())  # the default origin is another name
    assert signer.key_string() not in str(named.value)
    with pytest.raises(ValidationError, match="CONFIANZA_LOG_SIGNING_KEY: ") as broken:
        Settings(log_origin=ORIGIN, log_signing_key=signer.key_string()[:-6] + "AAAAA=")
    assert "PRIVATE" not in str(broken.value)
    with pytest.raises(ValidationError, match="CONFIANZA_LOG_VERIFIER_KEYS"):
        Settings(log_verifier_keys=["not-a-key"])
    with pytest.raises(ValidationError, match="CONFIANZA_LOG_ORIGIN"):
        Settings(log_origin="two words")
    with pytest.raises(ValidationError, match="CONFIANZA_LOG_PSEUDONYM_KEY: .*hexadecimal"):
        Settings(log_pseudonym_key="secret words")
    too_short = "CONFIANZA_LOG_PSEUDONYM_KEY: .*at least 32"
    with pytest.raises(ValidationError, match=too_short) as short:
        Settings(log_pseudonym_key="ab" * 16)
    assert "ab" * 16 not in str(short.value)


def test_rotated_keys_are_accepted_beside_the_current_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    old, older, current = (Signer.generate(ORIGIN) for _ in range(3))
    monkeypatch.setenv("CONFIANZA_LOG_VERIFIER_KEYS",
                       f"{old.verifier.key_string()}, {older.verifier.key_string()}")
    monkeypatch.setenv("CONFIANZA_LOG_SIGNING_KEY", current.key_string())
    monkeypatch.setenv("CONFIANZA_LOG_ORIGIN", ORIGIN)
    keys = log_keys(Settings(), dev_key_file=tmp_path / "k")
    assert keys.verifiers == (current.verifier, old.verifier, older.verifier)
    assert transparency.published_key(keys) == current.verifier.key_string()


def test_an_auditor_reads_one_entry_with_its_leaf_and_is_audited(container: Container) -> None:
    write_entries(container, 3)
    transparency.integrate(container.uow(), PUBLIC)
    write_entries(container, 1)
    auditor = actor(Role.AUDITOR)
    keys = container.log_keys()
    logged = transparency.read_entry(container.uow(), auditor, 2, keys)
    assert (logged.entry.id, logged.entry.seq) == (2, 2) and logged.integrated
    assert logged.leaf_hash == transparency.prove_inclusion(container.uow(), 2).leaf_hash
    assert logged.canonical is not None
    assert b'"seq":2' in logged.canonical and b'"v":1' in logged.canonical
    assert logged.public_form == PUBLIC.form(logged.entry)
    assert logged.leaf_hash == PUBLIC.leaf(logged.entry) != leaf_hash(logged.canonical)
    # Written after the integration: no place in the log yet, so no encoding to show ...
    waiting = transparency.read_entry(container.uow(), auditor, 4, keys)
    assert (waiting.entry.id, waiting.entry.seq, waiting.integrated) == (4, None, False)
    assert (waiting.canonical, waiting.public_form, waiting.leaf_hash) == (None, None, None)
    # ... then placed, but not yet folded into the tree.
    transparency.sequence(container.uow())
    placed = transparency.read_entry(container.uow(), auditor, 4, keys)
    assert (placed.entry.seq, placed.integrated) == (4, False)
    assert placed.public_form == PUBLIC.form(placed.entry)
    with pytest.raises(NotFound, match="no entry 99"):
        transparency.read_entry(container.uow(), auditor, 99, keys)
    with pytest.raises(Forbidden, match="audit:entry:read"):
        # Refused before the log's keys are even needed: a server without them still says 403.
        keyless = transparency.LogKeys(ORIGIN, None, ())
        transparency.read_entry(container.uow(), actor(Role.REGISTRY_CLERK), 1, keyless)
    with container.uow().transaction() as tx:
        trail = tx.audit.entries(after_id=4)
    assert [(e.action, e.resource_id) for e in trail] == [
        (AuditAction.AUDIT_READ, "2"), (AuditAction.AUDIT_READ, "4"),
        (AuditAction.AUDIT_READ, "4"), (AuditAction.ACCESS_DENIED, "1")]

