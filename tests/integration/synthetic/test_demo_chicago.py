"""`confianza demo --chicago DIR`, on SQLite and PostgreSQL, with the small Chicago samples
(tests/data/chicago, SOURCE.md): after the synthetic registry the roster and the complaints are
imported through the commands' use cases, and the demo's internal-affairs account reads their
co-accusal network; a folder lacking a file is refused before anything is built."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope
from confianza.app.bootstrap import build
from confianza.app.settings import get_settings
from confianza.demo.cli import demo_command
from confianza.integrity.service.network import NetworkWindow, network_groups

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


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["demo", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_the_demo_imports_chicago_and_shows_its_network(env: str) -> None:
    code, out = _run("--scale", "tiny", "--seed", "4", "--chicago", str(DATA))
    assert code == 0, out
    assert "36 complaints stored as closed cases with 280 accused" in " ".join(out.split())
    assert "/integrity/network, as demo-internal-affairs" in " ".join(out.split())
    container = build(get_settings())
    try:
        with container.engine.connect() as connection:
            chicago = connection.execute(text(
                "SELECT count(*) FROM assignments a JOIN agencies g ON g.id = a.agency_id "
                "WHERE g.code = 'US-IL-CPD'")).scalar_one()
            user = connection.execute(text(
                "SELECT id FROM users WHERE username = 'demo-internal-affairs'")).scalar_one()
        assert chicago > 200
        actor = Actor(user, "demo-internal-affairs", Role.INTERNAL_AFFAIRS, Scope(),
                      ActorKind.USER)
        groups = network_groups(container.uow(), actor, NetworkWindow(min_shared=1))
        assert groups.accused > 0 and groups.total > 0
    finally:
        container.dispose()


def test_a_folder_without_the_files_is_refused_before_anything_is_built(
        env: str, tmp_path: Path) -> None:
    shutil.copy(DATA / "roster-sample.csv", tmp_path / "roster-sample.csv")
    shutil.copy(DATA / "complaints-sample.csv", tmp_path / "complaints-sample.csv")
    code, out = _run("--scale", "tiny", "--chicago", str(tmp_path))
    assert code == 1
    assert "--chicago" in out and "accused (*accused*.csv*)" in out and "Traceback" not in out
    code, out = _run("--scale", "tiny", "--chicago", str(tmp_path / "nowhere"))
    assert code == 1 and "is not a folder" in out
    container = build(get_settings())
    try:
        with container.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM officers")).scalar_one() == 0
    finally:
        container.dispose()
