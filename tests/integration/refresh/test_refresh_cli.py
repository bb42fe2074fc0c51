"""`confianza officers import` on a newer edition: the summary by kind, --dry-run, --diff."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from refresh_support import MAPPING_PATH as MAPPING
from refresh_support import apply, curp, line, write

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.app.console import main


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    return dict(os.environ)


def test_a_dry_run_prints_the_difference_and_writes_it_as_csv(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path,
    cli_env: dict[str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    apply(container, operator, write(tmp_path, [line(0), line(1)]))
    edition = write(tmp_path, [line(0, grado="=CMD()"), line(1), line(2)], "second.csv")
    target = tmp_path / "diff.csv"
    code = main(["officers", "import", str(edition), "--mapping", str(MAPPING), "--dry-run",
                 "--diff", str(target)])
    assert code == 0
    out = capsys.readouterr().out
    assert "people: 1 new, 1 changed, 0 separated, 0 conflicts, 1 unchanged; 2 would " \
        "change" in out
    assert "  changed         1  rank" in out
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["kind", "identity_key", "field", "registry_value", "file_value", "line"]
    assert ["changed", curp(0), "rank", "POLICÍA", "'=CMD()", "2"] in rows
    assert rows[-1][:3] == ["new", curp(2), "posting"] and rows[-1][-1] == "4"
    # Without --dry-run the same file is applied, and the diff says what was done.
    assert main(["officers", "import", str(edition), "--mapping", str(MAPPING), "--diff",
                 str(target)]) == 0
    assert "2 changed" in capsys.readouterr().out
    # Applied again: nothing changes, and that is not a failure.
    assert main(["officers", "import", str(edition), "--mapping", str(MAPPING)]) == 0
    assert "0 changed" in capsys.readouterr().out


def test_a_changed_name_goes_to_the_review_queue_and_exits_zero(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path,
    cli_env: dict[str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    apply(container, operator, write(tmp_path, [line(0)]))
    edition = write(tmp_path, [line(0, nombres="ROSALINDA", grado="CABO")], "second.csv")
    assert main(["officers", "import", str(edition), "--mapping", str(MAPPING)]) == 0
    out = capsys.readouterr().out
    assert "1 conflicts" in out and "  conflict        1  name" in out
