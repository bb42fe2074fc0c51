"""`confianza access detect` keeps the lookback between runs and says where it came from: the
first run explains it from the trail, the next takes the state the first kept, `--rebuild`
explains it from the trail again, and a run over a day the state already holds rebuilds it
and says why (issue 19, ADR 0037 addendum)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from confianza.app.bootstrap import Container
from confianza.app.console import main
from confianza.kit.signed_note import Signer
from confianza.registry.service import officers as officer_service
from confianza.transparency.service import log as transparency

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import build_world  # noqa: E402
from log_verify_support import ORIGIN  # noqa: E402

from conftest import PUBLIC, FakeClock  # noqa: E402

SIGNER = Signer.generate(ORIGIN)
MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    monkeypatch.setenv("CONFIANZA_LOG_ORIGIN", ORIGIN)
    monkeypatch.setenv("CONFIANZA_LOG_VERIFIER_KEYS", SIGNER.verifier.key_string())
    monkeypatch.delenv("CONFIANZA_LOG_SIGNING_KEY", raising=False)
    return dict(os.environ)


def _lookback(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["access", "detect", *args]) == 0
    [line] = [x for x in capsys.readouterr().err.splitlines() if x.startswith("lookback: ")]
    return line


def test_detect_keeps_the_lookback_and_says_where_it_came_from(
        container: Container, agencies: dict[str, int], clock: FakeClock,
        cli_env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    world = build_world(container, agencies)
    for day in (MONDAY, TUESDAY):
        clock.now = datetime.combine(day, time(10), container.zone).astimezone(UTC)
        officer_service.read_record(container.uow(), world.hr, world.officer_id)
    transparency.integrate(container.uow(), PUBLIC)
    capsys.readouterr()
    monday = ("--from", MONDAY.isoformat(), "--to", MONDAY.isoformat())
    tuesday = ("--from", TUESDAY.isoformat(), "--to", TUESDAY.isoformat())
    assert _lookback(capsys, *monday) == "lookback: rebuilt from the trail: no state was kept yet"
    assert _lookback(capsys, *tuesday).startswith(
        "lookback: kept state used: 2026-10-21 to 2026-11-23 (1 day with reads, ")
    assert _lookback(capsys, *tuesday, "--rebuild") == (
        "lookback: rebuilt from the trail, as asked (--rebuild)")
    assert _lookback(capsys, *tuesday) == (
        "lookback: rebuilt from the trail: the state already holds 2026-11-24, on or after the "
        "period's first day 2026-11-24: it was built knowing what came after the period")
