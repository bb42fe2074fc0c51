"""`confianza access alerts` and `access alert` on the command line (issue 19 §3, bad input): the
console acts as a named account with `--as`, so an auditor's mark names the auditor, and an
account that is not an auditor is refused with a clear message and nothing marked; a note with
no outcome says the outcome is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from confianza.access.rules.alerts import Outcome
from confianza.access.service import alerts
from confianza.access.service.detection import detect
from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container
from confianza.app.console import main
from confianza.kit.signed_note import Signer
from confianza.registry.service import officers as officer_service
from confianza.transparency.service import log as transparency
from confianza.transparency.service.verify import verify_log

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import TODAY, build_world, person  # noqa: E402
from log_verify_support import ORIGIN  # noqa: E402

from conftest import PUBLIC, FakeClock  # noqa: E402

SIGNER = Signer.generate(ORIGIN)
SURNAMES = ["Ibarra", "Luna", "Soto", "Campos", "Mejía", "Rivas", "Paredes", "Galindo",
            "Quiroz", "Salas", "Toledo", "Urrutia"]


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    monkeypatch.setenv("CONFIANZA_LOG_ORIGIN", ORIGIN)
    monkeypatch.setenv("CONFIANZA_LOG_VERIFIER_KEYS", SIGNER.verifier.key_string())
    monkeypatch.delenv("CONFIANZA_LOG_SIGNING_KEY", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def test_marks_on_the_command_line_are_an_auditors_and_refused_to_anyone_else(
        container: Container, agencies: dict[str, int], clock: FakeClock, cli_env: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    world = build_world(container, agencies)
    for surname in SURNAMES:  # the second examiner opens twelve records none of their work
        officer = world.new_officer("Berta", surname, "Luna")
        clock.advance(minutes=3)
        officer_service.read_record(container.uow(), world.second_examiner, officer)
    auditor = person(container, Role.AUDITOR, "auditora")
    transparency.integrate(container.uow(), PUBLIC)
    [alert] = detect(container.uow(), auditor, TODAY, TODAY, threshold=10, verify=lambda:
                     verify_log(container.uow(), [SIGNER.verifier], PUBLIC,
                                origin=ORIGIN)).alerts
    capsys.readouterr()
    mark = ["access", "alert", str(alert.id), "--outcome", "misuse", "--note", "Lo admitió."]

    assert main([*mark, "--as", world.hr.username]) == 1
    captured = capsys.readouterr()
    assert "error: your role (agency_hr) does not allow audit:access_alert:review" in captured.err
    assert "Traceback" not in captured.err
    assert main(["access", "alerts", "--as", world.hr.username]) == 1
    assert "does not allow audit:access_alert:review" in capsys.readouterr().err
    assert main(["access", "alert", str(alert.id), "--note", "Sin resultado."]) == 1
    assert "error: --outcome: a mark needs an outcome: justified, misuse, interview" in (
        capsys.readouterr().err)
    assert alerts.get_alert(container.uow(), auditor, alert.id).outcome is Outcome.OPEN

    assert main([*mark, "--as", "auditora"]) == 0
    assert "misuse — Lo admitió." in capsys.readouterr().out
    [done] = alerts.get_alert(container.uow(), auditor, alert.id).marks
    assert (done.outcome, done.by) == (Outcome.MISUSE, "auditora")
    assert main(["access", "alerts", "--as", "auditora"]) == 0
    assert "confirmed misuse 100% of 1 decided" in capsys.readouterr().err
