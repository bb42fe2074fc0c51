"""The `confianza` command line: exit codes, one-line errors, no traceback, no hidden prompt."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from confianza.app.console import main
from confianza.core.db import migrate

SAMPLE = Path(__file__).parents[2] / "data" / "chicago" / "roster-sample.csv"
CLI = [sys.executable, "-m", "confianza.app.console"]


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    return {**os.environ, "CONFIANZA_DATABASE_URL": database_url,
            "CONFIANZA_ENVIRONMENT": "test"}


def _run(env: dict[str, str], *args: str, stdin: str | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=120, stdin=None if stdin is not None else subprocess.DEVNULL)


def test_db_commands_report_the_schema(cli_env: dict[str, str],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert main(["db", "check"]) == 0
    printed = capsys.readouterr().out
    assert f"current: {migrate.head_revision()}" in printed and "no drift" in printed


def test_db_upgrade_creates_the_schema_on_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    assert main(["db", "current"]) == 0
    assert "current: none (empty database)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "check"]) == 0
    assert "no drift" in capsys.readouterr().out


def test_agencies_load_sets_up_a_file_once(cli_env: dict[str, str], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    setup = tmp_path / "agencies.toml"
    setup.write_text(
        '[[agencies]]\ncode = "JAL-SSP"\nname = "Seguridad Jalisco"\nlevel = "state"\n'
        'state_code = "14"\n\n[[agencies]]\ncode = "JAL-GDL"\nname = "Policía de Guadalajara"\n'
        'level = "municipal"\nstate_code = "14"\nmunicipality_key = "14039"\n'
        'parent_code = "JAL-SSP"\n', encoding="utf-8")
    assert main(["agencies", "load", str(setup)]) == 0
    assert "2 agencies created" in capsys.readouterr().out
    assert main(["agencies", "load", str(setup)]) == 0
    assert "0 agencies created, 2 already there" in capsys.readouterr().out


def test_an_import_with_bad_rows_lists_them_all_and_changes_nothing(
    cli_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["officers", "import", str(SAMPLE), "--mapping", "chicago-roster"])
    captured = capsys.readouterr()
    assert code == 1
    lines = captured.err.strip().splitlines()
    assert lines[-1] == ("error: 17 of 274 rows rejected; nothing was changed (--skip-invalid "
                         "imports the good rows)")
    assert sum(line.startswith("rejected roster-sample.csv:") for line in lines) == 17
    # The summary counts the faults by reason, the row's own values taken out.
    assert "        6  resignation_date|vacate_date: the status is separated but no end date " \
        "is given" in lines
    assert "roster-sample.csv:274:birth_year: makes the officer 0" in captured.err
    assert "Traceback" not in captured.err


def test_skip_invalid_imports_and_writes_rejects(
    cli_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rejects = tmp_path / "rejects.csv"
    code = main(["officers", "import", str(SAMPLE), "--mapping", "chicago-roster",
                 "--skip-invalid", "--rejects", str(rejects)])
    assert code == 0
    assert "imported 257 officers" in capsys.readouterr().out
    with rejects.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 18 and rows[0][-1] == "reason"
    # Applied again, the same file is a roster refresh that changes nothing (ADR 0029).
    assert main(["officers", "import", str(SAMPLE), "--mapping", "chicago-roster",
                 "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "imported 0 officers" in out
    assert "people: 0 new, 0 changed, 0 separated, 0 conflicts, 257 unchanged" in out
    # A run that imports nothing from a file with rows fails; at most 20 faults are shown
    # one by one, the rest are counted.
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("appointed_date")
    for row in rows[1:]:
        row[column] = "ayer"
    broken = tmp_path / "broken.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert main(["officers", "import", str(broken), "--mapping", "chicago-roster",
                 "--skip-invalid"]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines()[-1] == ("error: nothing imported from the 274 "
                                                     "rows of broken.csv")
    assert sum(line.startswith("rejected ") for line in captured.err.splitlines()) == 20
    assert "more problems (all " in captured.err


def test_users_create_never_prompts_without_a_terminal(cli_env: dict[str, str]) -> None:
    result = _run(cli_env, "users", "create", "ana", "--role", "auditor")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: no terminal to ask for the password: pass --password-stdin and write the "
        "password to standard input"]


def test_users_create_and_token_from_stdin(cli_env: dict[str, str]) -> None:
    created = _run(cli_env, "users", "create", "ana", "--role", "auditor", "--scope-state",
                   "14", "--password-stdin", stdin="a long enough password\n")
    assert created.returncode == 0, created.stderr
    assert "created user ana" in created.stdout and "state 14" in created.stdout
    token = _run(cli_env, "users", "token", "ana", "--name", "sync")
    assert token.returncode == 0 and token.stdout.startswith("cz_")
    again = _run(cli_env, "users", "create", "ana", "--role", "auditor", "--password-stdin",
                 stdin="a long enough password\n")
    assert (again.returncode, again.stderr) == (1, "error: user ana already exists\n")


@pytest.mark.parametrize(
    ("args", "env", "code", "start"),
    [
        (["users", "create", "ana", "--role", "king"], {}, 2, "error: Invalid value for '--role'"),
        (["no-such-command"], {}, 2, "error: No such command"),
        (["db", "current"], {"CONFIANZA_PORT": "many"}, 1, "error: bad setting: CONFIANZA_PORT"),
        (["db", "current"], {"CONFIANZA_DATABASE_URL": "postgresql+psycopg://x@127.0.0.1:1/x"},
         1, "error: OperationalError"),
        (["officers", "import", "missing.csv", "--mapping", "chicago-roster"], {}, 1,
         "error: missing.csv: cannot be read"),
        (["officers", "import", "x.csv", "--mapping", "nowhere.toml"], {}, 1,
         "error: nowhere.toml: no such mapping file"),
        (["users", "token", "ana", "--name", "x"],
         {"CONFIANZA_DATABASE_URL": "sqlite:///{tmp}/missing.db"}, 1,
         "error: there is no database at {tmp}/missing.db (CONFIANZA_DATABASE_URL): check the "
         "path, or create one there with `confianza db upgrade`"),
    ],
)
def test_failures_are_one_line_without_traceback(
    cli_env: dict[str, str], args: list[str], env: dict[str, str], code: int, start: str,
    tmp_path: Path,
) -> None:
    env = {k: v.format(tmp=tmp_path) for k, v in env.items()}
    start = start.format(tmp=tmp_path)
    result = _run({**cli_env, **env}, *args)
    assert result.returncode == code
    assert result.stderr.startswith(start), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_mistyped_database_path_is_named_and_left_uncreated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A SQLite path with no file: the command names the path and creates nothing there (it
    left an empty database behind, and said only that it had no schema). A file that is there
    but empty is still told to get its schema."""
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    missing = tmp_path / "typo" / "confianza.db"
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", f"sqlite:///{missing}")
    assert main(["access", "alerts"]) == 1
    assert capsys.readouterr().err.startswith(f"error: there is no database at {missing} ")
    assert not missing.exists() and not missing.parent.exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", f"sqlite:///{empty}")
    assert main(["access", "alerts"]) == 1
    assert "has no schema yet: run `confianza db upgrade`" in capsys.readouterr().err
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", f"sqlite:///{missing}")
    assert main(["db", "upgrade"]) == 0  # the db commands are how a database gets there
    assert missing.exists()
