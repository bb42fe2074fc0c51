"""`risk evaluate` on bad input: a missing folder, file or column, too few outcomes — each a
message naming what and where, no traceback. The complaint files are the Chicago samples in
tests/data/chicago (SOURCE.md there); the profile, unit and salary files are written here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from confianza.core.errors import ValidationFailed
from confianza.risk.cli import FILES, app, main

DATA = Path(__file__).parents[2] / "data" / "chicago"
runner = CliRunner()
PROFILES = ("UID,first_name,last_name,middle_initial,middle_initial2,suffix_name,birth_year,"
            "race,gender,appointed_date,resignation_date,current_star\n"
            "100001,JOHN,ALEQUIN,,,,1971,White,M,9/26/05,,1234\n"
            "100002,ANA,SMITH,,,,1980,Black,F,not a date,,\n")
UNITS = "UID,unit,unit_start_date,unit_end_date\n100001,16.0,2005-09-26,\n"
SALARIES = "UID,year,salary,rank\n100001.0,2015.0,80000.0,POLICE OFFICER\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(DATA / "complaints-sample.csv", tmp_path / FILES["complaints"][:-3])
    shutil.copy(DATA / "accused-sample.csv", tmp_path / FILES["accused"][:-3])
    (tmp_path / FILES["profiles"][:-3]).write_text(PROFILES, "utf-8")
    (tmp_path / FILES["units"][:-3]).write_text(UNITS, "utf-8")
    (tmp_path / FILES["salaries"][:-3]).write_text(SALARIES, "utf-8")
    return tmp_path


def _refusal(args: list[str]) -> ValidationFailed:
    result = runner.invoke(app, args)
    assert isinstance(result.exception, ValidationFailed), result.output
    return result.exception


def test_too_few_outcomes_is_a_message(folder: Path) -> None:
    refused = _refusal(["evaluate", "--data", str(folder), "--train-until", "2008",
                        "--test-years", "1", "--bootstrap", "0", "--learner", "logistic"])
    assert refused.errors[0].location == "training years"
    assert "too few outcomes to train" in refused.errors[0].reason


def test_a_missing_file_is_named(folder: Path) -> None:
    (folder / FILES["units"][:-3]).unlink()
    refused = _refusal(["evaluate", "--data", str(folder), "--train-until", "2008"])
    assert refused.errors[0].location.endswith(FILES["units"])
    assert "the units file is missing" in refused.errors[0].reason


def test_a_missing_column_is_named_with_its_file(folder: Path) -> None:
    (folder / FILES["salaries"][:-3]).write_text("UID,year,rank\n1,2015,PO\n", "utf-8")
    refused = _refusal(["evaluate", "--data", str(folder), "--train-until", "2008"])
    assert refused.errors[0].location == "salaries.csv:1:salary"


def test_an_unknown_learner_and_a_missing_folder(folder: Path) -> None:
    assert _refusal(["evaluate", "--data", str(folder), "--train-until", "2008",
                     "--learner", "forest"]).errors[0].location == "--learner"
    assert "is not a folder" in _refusal(["evaluate", "--data", str(folder / "nope"),
                                          "--train-until", "2008"]).errors[0].reason


def test_run_as_a_module_it_prints_the_message_not_a_traceback(
        folder: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["risk", "evaluate", "--data", str(folder / "nope"),
                                     "--train-until", "2008"])
    assert main() == 1
    printed = capsys.readouterr().err
    assert "is not a folder" in printed and "Traceback" not in printed
    monkeypatch.setattr("sys.argv", ["risk", "evaluate", "--no-such-option"])
    assert main() == 2
    assert "Traceback" not in capsys.readouterr().err
