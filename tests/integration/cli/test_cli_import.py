"""`confianza officers import` and `agencies load` on bad and foreign input: what the user
reads, and the exit status."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from confianza.app.console import main

EVERGREEN = Path(__file__).parents[2] / "data" / "evergreen"
ROSTER = EVERGREEN / "employment-history.csv"
MAPPING = EVERGREEN / "evergreen-history.toml"


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CONFIANZA_DATABASE_URL", database_url)
    monkeypatch.setenv("CONFIANZA_ENVIRONMENT", "test")
    return dict(os.environ)


def test_a_foreign_history_imports_its_good_rows_and_says_what_it_left(
    cli_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rejects = tmp_path / "rejects.csv"
    code = main(["officers", "import", str(ROSTER), "--mapping", str(MAPPING), "--skip-invalid",
                 "--create-agencies", "--rejects", str(rejects)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    out = captured.out.splitlines()
    assert out[0].startswith("imported 14 officers (23 assignments, 0 badges, 0 new units) from "
                             "34 rows of employment-history.csv; 8 rows rejected; 3 rows "
                             "skipped;")
    assert "  skipped       2  civilian staff" in out
    assert ("4 people imported without their rejected rows: 10002, 10006, 10007, 10011"
            in out)
    assert "  US-EV-ECPD: EVERGREEN CITY POLICE DEPARTMENT" in out
    assert "rejected employment-history.csv:7:start_date: '01/01/1901' stands for an " \
        "unknown date" in captured.err
    assert len(rejects.read_bytes().splitlines()) == 9


def test_the_same_history_per_person_imports_fewer(
    cli_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["officers", "import", str(ROSTER), "--mapping", str(MAPPING), "--skip-invalid",
                 "--create-agencies", "--per-person", "all-or-none", "--dry-run"])
    assert code == 0
    assert capsys.readouterr().out.startswith("would import 10 officers")


def test_a_misspelt_mapping_key_stops_the_import_with_its_line(
    cli_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(MAPPING.read_text(encoding="utf-8").replace("placeholders =",
                                                               "placeholder ="),
                   encoding="utf-8")
    assert main(["officers", "import", str(ROSTER), "--mapping", str(bad)]) == 1
    line = next(n for n, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("placeholder ="))
    assert capsys.readouterr().err.startswith(
        f"error: bad.toml:{line}:dates.placeholder: unknown key 'placeholder' (did you mean "
        "'placeholders'?)")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (ROSTER.read_bytes().splitlines(keepends=True)[0],
         "error: roster.csv:2: the file has a header line and no rows: nothing to import"),
        (ROSTER.read_bytes().replace(b"person_nbr,last_name", b"person_nbr,surname"),
         "error: roster.csv:1:last_name: column named by the mapping is missing from the header"),
    ],
)
def test_a_file_of_the_wrong_shape_is_one_line(
    cli_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    content: bytes, message: str,
) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    assert main(["officers", "import", str(path), "--mapping", str(MAPPING)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and "Traceback" not in err


def test_a_file_in_the_wrong_encoding_names_line_and_column(
    cli_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(ROSTER.read_bytes().replace(b"DIAZ,ROSA", "DÍAZ,ROSA".encode("latin-1")))
    rejects = tmp_path / "rejects.csv"
    assert main(["officers", "import", str(path), "--mapping", str(MAPPING), "--skip-invalid",
                 "--create-agencies", "--rejects", str(rejects)]) == 0
    # Line 8 (the Records Clerk row) is skipped on purpose before its bytes matter.
    assert ("rejected latin.csv:9:last_name: holds bytes that are not valid utf-8 (the "
            "mapping's [csv] encoding)" in capsys.readouterr().err)
    # The rejects file has the line's bytes as they were, not a repaired copy.
    assert "DÍAZ,ROSA".encode("latin-1") in rejects.read_bytes()


def test_agencies_load_names_the_line_of_a_bad_agency(
    cli_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup = tmp_path / "agencies.csv"
    setup.write_text("code,name,level\nUS-EV-A,Agency A,foreign\nUS-EV-B,Agency B,foriegn\n",
                     encoding="utf-8")
    assert main(["agencies", "load", str(setup)]) == 1
    assert capsys.readouterr().err.startswith(
        "error: agencies.csv:3:level: 'foriegn' is not one of federal, state, municipal, foreign")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("agencies.csv", "code,name,level,state_code\nJAL-A,A,state,14\nJAL-B,B,state,99\n",
         "agencies.csv:3:state_code: 99 is not an INEGI state code"),
        ("agencies.toml", '[[agencies]]\ncode = "JAL-A"\nname = "A"\nlevel = "state"\n'
         'state_code = "14"\n\n[[agencies]]\ncode = "JAL-B"\nname = "B"\nlevel = "state"\n'
         'state_code = "14"\nparent_code = "NOPE"\n',
         "agencies.toml:7:agencies[1].parent_code: no agency has code 'NOPE'"),
    ],
)
def test_agencies_load_names_the_line_of_an_agency_the_registry_refuses(
    cli_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    name: str, content: str, message: str,
) -> None:
    setup = tmp_path / name
    setup.write_text(content, encoding="utf-8")
    assert main(["agencies", "load", str(setup)]) == 1
    err = capsys.readouterr().err
    assert message in err.splitlines() or f"error: {message}" in err.splitlines()
    # All or none: the good agency before the bad one was not kept.
    assert main(["agencies", "load", str(setup)]) == 1
    assert "0 agencies created" not in capsys.readouterr().out
