"""`confianza access simulate` and `access plant` refuse, before any work, a period that would
begin before the registry's last audit entry: the trail is written in time order, and work
dated before what it holds would be found nowhere (simulate used to do the whole quarter and
then say "no read of an officer's record was written ...: nothing to explain")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from confianza.app.console import main


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A registry file whose trail's last entry was written on 7 December 2026 (only what the
    check reads: the commands stop before they open it as a registry)."""
    path = tmp_path / "demo.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE audit_entries (id INTEGER PRIMARY KEY, at TEXT)")
        db.executemany("INSERT INTO audit_entries (at) VALUES (?)",
                       [("2026-12-06 23:10:00.000000",), ("2026-12-07 05:50:09.532786",)])
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    monkeypatch.setenv("CONFIANZA_TIME_ZONE", "America/Mexico_City")
    return path


@pytest.mark.parametrize("command", ["simulate", "plant"])
def test_a_period_before_the_trails_last_entry_is_refused_before_any_work(
        command: str, registry: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.db"
    assert main(["access", command, "--from", "2026-09-01", "--days", "91",
                 "--into", str(copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --from: 2026-09-01 is not after the registry's last audit "
                          "entry (2026-12-07 05:50 UTC)")
    assert "Traceback" not in err
    with sqlite3.connect(registry) as db:  # the registry itself is left as it was
        assert db.execute("SELECT count(*) FROM audit_entries").fetchone() == (2,)
