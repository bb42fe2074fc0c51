"""`confianza declarations payroll import` with the Chicago samples (tests/data/chicago,
SOURCE.md), on SQLite and PostgreSQL: the salaries linked to the roster's officers through the
profiles (as the integrity import links an accused), the file refused whole with every fault
named or imported without the rows at fault, a second edition replacing its years, one audit
entry with the counts; and the salary check using the payroll over the scale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from confianza.app.bootstrap import Container
from confianza.app.console import main
from confianza.core.db.models import AuditEntryRow, PayrollRow
from confianza.core.errors import ValidationFailed
from confianza.declarations.cli import app

DATA = Path(__file__).parents[2] / "data" / "chicago"
runner = CliRunner()


@pytest.fixture
def chicago(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    assert main(["officers", "import", str(DATA / "roster-sample.csv"), "--mapping",
                 "chicago-roster", "--skip-invalid"]) == 0


def _payroll(*extra: str, salaries: Path = DATA / "salaries-sample.csv") -> Any:
    return runner.invoke(app, ["payroll", "import", str(salaries), "--mapping",
                               "chicago-salaries", "--profiles",
                               str(DATA / "profiles-sample.csv"), *extra])


def _without_blank_salary(tmp_path: Path) -> Path:
    lines = (DATA / "salaries-sample.csv").read_text("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("132525.0,")]
    path = tmp_path / "salaries.csv"
    path.write_text("".join(kept), "utf-8")
    return path


def _stored(container: Container) -> list[tuple[int, int, str, str, str]]:
    with container.session_factory() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(PayrollRow.officer_id, PayrollRow.year, PayrollRow.gross,
                   PayrollRow.currency, PayrollRow.file_name)
            .order_by(PayrollRow.officer_id, PayrollRow.year))]


def _entries(container: Container) -> list[dict[str, Any]]:
    with container.session_factory() as s:
        return [json.loads(d) if isinstance(d, str) else d for d in s.scalars(
            select(AuditEntryRow.detail).where(
                AuditEntryRow.action == "declaration:payroll:import")
            .order_by(AuditEntryRow.id))]


def test_a_faulty_row_refuses_the_file_naming_it(chicago: None, container: Container) -> None:
    result = _payroll()
    assert isinstance(result.exception, ValidationFailed)
    faults = result.exception.errors
    # The real file's row of UID 132525 for 2017 has no salary: named by line and column.
    assert [(f.location, f.reason) for f in faults] == [
        ("salaries-sample.csv:41:salary", "gross is blank")]
    assert _stored(container) == []


def test_the_salaries_link_through_the_profiles(chicago: None, container: Container,
                                                tmp_path: Path) -> None:
    result = _payroll(salaries=_without_blank_salary(tmp_path))
    assert result.exit_code == 0, result.output
    stored = _stored(container)
    officers = {o for o, *_ in stored}
    # 27 of the sample's profiles with salaries are officers of the roster sample; ARMSTEAD
    # and BURNS are not (their 8 rows are unmatched, counted and never guessed).
    assert len(officers) == 27
    assert result.stdout.startswith(f"payroll chicago-salaries from salaries.csv: "
                                    f"{len(stored)} rows stored for 27 officers (2020-2023)")
    assert {c for *_, c, _ in stored} == {"USD"}
    assert "unmatched" in result.stderr
    assert "8 unmatched" in " ".join(result.stdout.split())
    entry = _entries(container)[-1]
    assert entry["stored"] == len(stored) and entry["unmatched"] == 8
    assert entry["linked"] == len(stored) and entry["left_out"] == 0


def test_skip_invalid_leaves_the_faulty_row_out(chicago: None, container: Container) -> None:
    result = _payroll("--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "left out salaries-sample.csv:41:salary: gross is blank" in result.stderr
    assert _entries(container)[-1]["left_out"] == 1
    assert _stored(container)


def test_a_second_edition_replaces_its_years(chicago: None, container: Container,
                                             tmp_path: Path) -> None:
    first = _without_blank_salary(tmp_path)
    assert _payroll(salaries=first).exit_code == 0
    before = _stored(container)
    officer, year, gross, *_ = before[0]
    # The second edition holds 2023 only, with the first officer's pay changed.
    lines = first.read_text("utf-8").splitlines(keepends=True)
    second = tmp_path / "salaries-2023.csv"
    kept = [lines[0]] + [line for line in lines[1:] if ",2023.0," in line]
    second.write_text("".join(kept).replace(",POLICE OFFICER,", ",POLICE OFFICER,", 1),
                      "utf-8")
    result = _payroll(salaries=second)
    assert result.exit_code == 0, result.output
    after = _stored(container)
    assert [r for r in after if r[1] != 2023] == [r for r in before if r[1] != 2023]
    assert {r[4] for r in after if r[1] == 2023} == {"salaries-2023.csv"}
    assert len([r for r in after if r[1] == 2023]) == len([r for r in before if r[1] == 2023])
    assert _entries(container)[-1]["replaced"] == len([r for r in before if r[1] == 2023])
    # Importing the same edition again is no duplicate: it replaces itself.
    assert _payroll(salaries=second).exit_code == 0
    assert _stored(container) == after
    del officer, year, gross


def test_a_year_outside_the_service_and_a_repeated_year_are_faults(
        chicago: None, container: Container, tmp_path: Path) -> None:
    lines = _without_blank_salary(tmp_path).read_text("utf-8").splitlines(keepends=True)
    row = lines[1]
    uid = row.split(",", 1)[0]
    early = row.replace(",2023.0,", ",1990.0,").replace(",2022.0,", ",1990.0,")
    broken = tmp_path / "broken.csv"
    broken.write_text("".join([*lines, row, early]), "utf-8")
    result = _payroll(salaries=broken)
    assert isinstance(result.exception, ValidationFailed)
    reasons = {(f.location, f.reason.split(" ")[0]) for f in result.exception.errors}
    last = len(lines) + 2
    assert ("broken.csv:2:year", "officer") in reasons  # its year is also on the copy's line
    assert (f"broken.csv:{last - 1}:year", "officer") in reasons
    assert any(f.location == f"broken.csv:{last}:year" and "outside" in f.reason
               for f in result.exception.errors)
    assert _stored(container) == []
    del uid


def test_a_mapping_mistake_is_named(chicago: None, tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[payroll]\nsource = "x"\n[officer]\nby = "name"\n', "utf-8")
    result = runner.invoke(app, ["payroll", "import", str(DATA / "salaries-sample.csv"),
                                 "--mapping", str(mapping)])
    assert isinstance(result.exception, ValidationFailed)
    assert result.exception.errors[0].location == "m.toml:4:officer.by"
    missing = runner.invoke(app, ["payroll", "import", str(DATA / "salaries-sample.csv"),
                                  "--mapping", "chicago-salaries"])
    assert isinstance(missing.exception, ValidationFailed)
    assert missing.exception.errors[0].location == "--profiles"
