"""`confianza demo --chicago DIR` with the Chicago samples (tests/data/chicago, SOURCE.md), on
SQLite and PostgreSQL: after the roster, the salaries are imported as a payroll linked through
the profiles, a few of its officers file a declaration in dollars, and the record of one who
declares under the payroll shows the payroll and the salary check's finding against it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import build
from confianza.app.settings import get_settings
from confianza.declarations.rules.checks import CheckSettings, Rule
from confianza.declarations.service.findings import officer_checks
from confianza.demo.cli import demo_command
from conftest import actor

DATA = Path(__file__).parents[2] / "data" / "chicago"
app = typer.Typer()
app.command("demo")(demo_command)


@app.command("version")
def _version() -> None:  # a second command, so Typer keeps `demo` as a sub-command
    """Print nothing."""


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "development")
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def test_the_demo_imports_the_salaries_and_shows_them(env: str) -> None:
    result = CliRunner().invoke(app, ["demo", "--scale", "tiny", "--seed", "4", "--chicago",
                                      str(DATA)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert ("Chicago payroll (salaries-sample.csv): 103 of 112 salary rows linked to registry "
            "officers through profiles-sample.csv (0 ambiguous, 8 unmatched, 1 left out with "
            "faults); 103 stored for 27 officers.") in said
    found = re.search(r"declaring well under the payroll \(officers (\d+), (\d+)\)", said)
    assert found is not None, said
    container = build(get_settings())
    try:
        checks = officer_checks(container.uow(), actor(Role.CERTIFICATION_OFFICER),
                                int(found.group(1)), CheckSettings())
    finally:
        container.dispose()
    assert checks.payroll and {p.currency for p in checks.payroll} == {"USD"}
    mismatch = [f.es for f in checks.findings if f.rule is Rule.SALARY_MISMATCH]
    assert len(mismatch) == 1
    assert "el registro conoce nómina importada 2023 (salaries-sample.csv): USD " in mismatch[0]
