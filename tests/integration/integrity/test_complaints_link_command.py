"""`integrity complaints link` against a registry holding the Chicago roster sample, on SQLite
and PostgreSQL: the Typer app called directly (the console mounts it later)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from confianza.app.console import main
from confianza.core.errors import ValidationFailed
from confianza.integrity.cli.complaints import app

DATA = Path(__file__).parents[2] / "data" / "chicago"
runner = CliRunner()


@pytest.fixture
def chicago(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    assert main(["officers", "import", str(DATA / "roster-sample.csv"), "--mapping",
                 "chicago-roster", "--skip-invalid"]) == 0


def test_link_counts_linked_ambiguous_and_unmatched(chicago: None) -> None:
    result = runner.invoke(app, ["link", str(DATA / "complaints-sample.csv"),
                                 str(DATA / "accused-sample.csv"), "--groups", "3"])
    assert result.exit_code == 0, result.output
    line = result.stdout.splitlines()[0]
    # The four roster-sample officers of the sample (ALEQUIN, ALI SHAHRUKH, ALCAZAR VICTOR,
    # ABDELMAJEID) are linked; their partners, absent from the roster sample, are not.
    assert "36 complaints, 280 accused rows" in line
    assert " 4 linked, 0 ambiguous (for review)" in line
    assert "group of" in result.stdout and "o:" in result.stdout and "u:ZEMAN|EDWARD" in (
        result.stdout)


def test_an_unknown_finding_refuses_the_files_naming_the_line(chicago: None,
                                                             tmp_path: Path) -> None:
    text = (DATA / "accused-sample.csv").read_text("utf-8").splitlines(keepends=True)
    text[5] = text[5].replace(",SUSTAINED,", ",HALF SUSTAINED,", 1)
    broken = tmp_path / "accused.csv"
    broken.write_text("".join(text), "utf-8")
    result = runner.invoke(app, ["link", str(DATA / "complaints-sample.csv"), str(broken)])
    assert isinstance(result.exception, ValidationFailed)
    assert result.exception.errors[0].location == "accused.csv:6:final_finding"
    skipped = runner.invoke(app, ["link", str(DATA / "complaints-sample.csv"), str(broken),
                                  "--skip-invalid"])
    assert skipped.exit_code == 0, skipped.output
    assert "279 accused rows" in skipped.stdout
