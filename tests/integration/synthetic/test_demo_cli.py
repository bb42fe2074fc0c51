"""`confianza demo` through Typer: refusals, the summary, and --replace on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from confianza.app.settings import get_settings
from confianza.demo.cli import demo_command

app = typer.Typer()
app.command("demo")(demo_command)


@app.command("version")
def _version() -> None:  # a second command, so Typer keeps `demo` as a sub-command
    """Print nothing."""


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "demo.db"
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "development")
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["demo", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_demo_builds_and_prints_accounts(env: Path) -> None:
    code, out = _run("--scale", "tiny", "--seed", "4")
    assert code == 0, out
    assert "officers" in out and "demo-agency-hr-jal" in out and "state 14" in out
    # A second edition of Jalisco's roster gives the refresh's queues something to show.
    # (Three people left out, and the planted second records that carry no CURP, which a
    # CURP-keyed roster cannot name; one resigned.)
    assert "Second edition of a roster applied (jal-ssp-segunda-edicion.csv): 1 changed, " \
        "6 separated of which 5 wait for HR (/pending-separations), 1 in the review queue" in out
    code, out = _run("--scale", "tiny")
    assert code == 1 and "not empty" in out and "--replace" in out
    code, out = _run("--scale", "tiny", "--replace")  # no terminal: refuses instead of asking
    assert code == 1 and "--yes" in out
    code, out = _run("--scale", "tiny", "--replace", "--yes", "--seed", "5")
    assert code == 0, out
    assert "demo-auditor" in out


def test_demo_refuses_in_production(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "production")
    get_settings.cache_clear()
    code, out = _run("--scale", "tiny")
    assert code == 1 and "development or test" in out and "Traceback" not in out
    assert not env.exists()


def test_demo_will_not_replace_a_postgresql_registry(
    env: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    url: str = request.getfixturevalue("postgres_url")
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", url)
    get_settings.cache_clear()
    code, out = _run("--scale", "tiny", "--replace", "--yes")
    if code == 0:  # the shared test database was empty: a second run meets a full one
        code, out = _run("--scale", "tiny", "--replace", "--yes")
    assert code == 1 and "PostgreSQL" in out
