"""Roster imports into a real registry, on SQLite and PostgreSQL: all valid or nothing."""

from __future__ import annotations

import csv
import gzip
import shutil
from datetime import date
from pathlib import Path

import pytest

from confianza.accounts.rules.permissions import Actor, Scope
from confianza.app.bootstrap import Container
from confianza.core.errors import ValidationFailed
from confianza.kit.curp import build_curp
from confianza.registry.cli.files import load_mapping, read_roster, write_rejects
from confianza.registry.contracts import SearchCriteria
from confianza.registry.rules.import_mapping import parse_mapping
from confianza.registry.rules.officers import ExternalId
from confianza.registry.service.officer_import import ImportReport, import_officers

SAMPLE = Path(__file__).parents[2] / "data" / "chicago" / "roster-sample.csv"
MAPPING = parse_mapping("""
[fields]
curp = "curp"
given_names = "nombres"
first_surname = "paterno"
second_surname = "materno"
sex = { column = "sexo", values = { H = "H", M = "M" } }
status = { column = "estatus", values = { ACTIVO = "active", BAJA = "separated" } }
rank = "grado"
start_date = "ingreso"
end_date = "baja"
[agency]
column = "corporacion"
[unit]
code_column = "unidad"
name_column = "unidad_nombre"
create_units = true
[badges]
columns = ["placa"]
""", "roster.toml")
HEADER = ["curp", "nombres", "paterno", "materno", "sexo", "estatus", "grado", "ingreso", "baja",
          "corporacion", "unidad", "unidad_nombre", "placa"]
PEOPLE = [("ROSA", "PÉREZ", "MUÑOZ", date(1980, 1, 2), "M"),
          ("LUIS", "GÓMEZ", "RUIZ", date(1979, 5, 6), "H"),
          ("ANA MARÍA", "DÍAZ", "LUNA", date(1990, 7, 8), "M")]


def _curp(i: int) -> str:
    given, first, second, born, sex = PEOPLE[i]
    return build_curp(first, second, given, born, sex, "JC")


def _line(i: int, **changes: str) -> list[str]:
    given, first, second, _, sex = PEOPLE[i]
    values = {"curp": _curp(i), "nombres": given, "paterno": first, "materno": second,
              "sexo": sex, "estatus": "ACTIVO", "grado": "POLICÍA", "ingreso": "2015-02-01",
              "baja": "", "corporacion": "JAL-SSP", "unidad": "Z1", "unidad_nombre": "Zona 1",
              "placa": str(500 + i)}
    values.update(changes)
    return [values[h] for h in HEADER]


def _import(container: Container, operator: Actor, path: Path,
            **options: bool) -> ImportReport:
    """Import a roster file under MAPPING as the command does: the file read, then imported."""
    return import_officers(container.uow(), operator, read_roster(path, MAPPING.encoding),
                           MAPPING, **options)


def _write(tmp_path: Path, rows: list[list[str]], name: str = "roster.csv",
           header: list[str] = HEADER) -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _officer_count(container: Container) -> int:
    with container.uow().transaction() as tx:
        return len(tx.officers.search(SearchCriteria(), Scope(), after=None, limit=1000))


def _audit_actions(container: Container) -> list[str]:
    with container.uow().transaction() as tx:
        return [e.action for e in tx.audit.entries(limit=10_000)]


def test_a_valid_roster_is_imported_with_its_audit_entries(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    path = _write(tmp_path, [
        _line(0, baja="2018-03-01", estatus="BAJA"),
        _line(1),
        # Two rows of one CURP: one career, two postings one after the other.
        _line(2, ingreso="2012-01-01", baja="2016-01-01", corporacion="NL-FC", unidad="C"),
        _line(2, ingreso="2016-01-01", grado="SUBOFICIAL"),
    ])
    report = _import(container, operator, path)
    assert (report.rows, report.officers, report.assignments) == (4, 3, 4)
    assert (report.badges, report.units_created, report.rejected_rows) == (4, 2, 0)
    assert len(report.sha256) == 64
    actions = _audit_actions(container)
    assert actions.count("officer:roster:import") == 1
    assert actions.count("officer:identity:create") == 3
    with container.uow().transaction() as tx:
        officer_id = tx.officers.id_by_curp(_curp(2))
        assert officer_id is not None
        career = tx.officers.assignments(officer_id)
        assert [(a.agency_id, a.rank, a.end_date) for a in career] == [
            (agencies["NL-FC"], "POLICÍA", date(2016, 1, 1)),
            (agencies["JAL-SSP"], "SUBOFICIAL", None)]
        assert career[0].start_reason.value == "appointment"
        separated = tx.officers.get(tx.officers.id_by_curp(_curp(0)) or 0)
        assert separated is not None and separated.status.value == "separated"


def test_one_bad_row_imports_nothing_and_every_fault_is_named(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    path = _write(tmp_path, [
        _line(0),
        _line(1, curp=_curp(1)[:17] + ("1" if _curp(1)[17] != "1" else "2")),
        _line(2, corporacion="NOPE"),
        _line(0, ingreso="2030-01-01", nombres="ROSA ELENA"),
        _line(1, curp=_curp(2), nombres="ANA MARÍA", paterno="DÍAZ", materno="LUNA",
              sexo="M", ingreso="ayer"),
    ])
    with pytest.raises(ValidationFailed) as caught:
        _import(container, operator, path)
    found = {(e.location, e.reason) for e in caught.value.errors}
    locations = {loc for loc, _ in found}
    assert "roster.csv:3:curp" in locations  # bad check digit
    assert ("roster.csv:4:corporacion", "no agency has code NOPE") in found
    assert "roster.csv:5:ingreso" in locations  # in the future
    assert "roster.csv:6:ingreso" in locations  # not a date
    assert _officer_count(container) == 0
    assert "officer:roster:import" not in _audit_actions(container)


def test_conflicting_duplicates_and_overlaps_are_named(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    path = _write(tmp_path, [
        _line(0, ingreso="2010-01-01", baja="2014-01-01"),
        _line(0, ingreso="2013-01-01", nombres="ROSALÍA"),
    ])
    with pytest.raises(ValidationFailed) as caught:
        _import(container, operator, path)
    found = {(e.location, e.reason) for e in caught.value.errors}
    assert ("roster.csv:3:nombres", "differs from line 2 for the same officer") in found
    assert ("roster.csv:3:ingreso", "overlaps the assignment on line 2") in found


def test_a_wrong_header_and_broken_encoding_are_named(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    path = _write(tmp_path, [_line(0)], header=[h if h != "grado" else "rango" for h in HEADER])
    with pytest.raises(ValidationFailed) as caught:
        _import(container, operator, path)
    assert [e.location for e in caught.value.errors] == ["roster.csv:1:grado"]

    good = _write(tmp_path, [_line(0), _line(1)], name="latin.csv")
    good.write_bytes(good.read_bytes().replace("GÓMEZ".encode(), "GÓMEZ".encode("latin-1")))
    with pytest.raises(ValidationFailed) as caught:
        _import(container, operator, good)
    assert "latin.csv:3:paterno" in {e.location for e in caught.value.errors}


def test_skip_invalid_imports_the_rest_and_writes_the_rejects(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    path = _write(tmp_path, [_line(0), _line(1, corporacion="NOPE"), _line(2)])
    rejects = tmp_path / "rejects.csv"
    roster = read_roster(path, MAPPING.encoding)
    report = import_officers(container.uow(), operator, roster, MAPPING, skip_invalid=True)
    write_rejects(roster, MAPPING.delimiter, report.rejected_reasons, rejects)
    assert (report.officers, report.rejected_rows, report.rejected_officers) == (2, 1, 1)
    with rejects.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*HEADER, "reason"]
    assert rows[1][:-1] == _line(1, corporacion="NOPE")
    assert rows[1][-1] == "corporacion: no agency has code NOPE"
    assert _officer_count(container) == 2


def test_importing_the_same_roster_twice_changes_nothing_the_second_time(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    path = _write(tmp_path, [_line(0), _line(1)])
    _import(container, operator, path)
    before = len(_audit_actions(container))
    again = _import(container, operator, path)
    assert (again.officers, again.changes) == (0, 0)
    assert again.kinds["unchanged"] == 2 and again.diff == ()
    # One entry says the file was applied and changed nothing (ADR 0029).
    assert _audit_actions(container)[before:] == ["officer:roster:import"]
    assert _officer_count(container) == 2


def test_a_dry_run_counts_but_writes_nothing(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    path = _write(tmp_path, [_line(0), _line(1)])
    report = _import(container, operator, path, dry_run=True)
    assert report.dry_run and report.officers == 2
    assert _officer_count(container) == 0


def test_the_chicago_sample_imports_through_the_shipped_mapping(
    container: Container, operator: Actor, tmp_path: Path
) -> None:
    compressed = tmp_path / "roster-sample.csv.gz"
    with SAMPLE.open("rb") as source, gzip.open(compressed, "wb") as target:
        shutil.copyfileobj(source, target)
    rejects = tmp_path / "rejects.csv"
    chicago = load_mapping("chicago-roster")
    roster = read_roster(compressed, chicago.encoding)
    report = import_officers(container.uow(), operator, roster, chicago, skip_invalid=True)
    write_rejects(roster, chicago.delimiter, report.rejected_reasons, rejects)
    assert report.agencies_created == ("US-IL-CPD",)
    assert (report.rows, report.officers, report.rejected_rows) == (274, 257, 17)
    assert report.badges == 360 and report.units_created == 64
    reasons = [e.reason for e in report.errors]
    assert reasons.count("the status is separated but no end date is given") == 6
    assert reasons.count("the status is active but the assignment has ended") == 4
    assert sum("not after the start date" in r for r in reasons) == 6
    assert "roster-sample.csv.gz:274:birth_year" in {e.location for e in report.errors}
    with container.uow().transaction() as tx:
        found = tx.officers.search(
            SearchCriteria(identifier=ExternalId("chicago-roster-2023", "1")), Scope(),
            after=None, limit=5)
        assert [o.full_name for _, o in found] == ["JEFFERY M AARON"]
        officer = found[0][1]
        assert officer.birth_year == 1971 and officer.sex is not None
        assert [b.number for b in tx.officers.badges(officer.id)] == ["13001", "1424", "596"]
        assert [a.rank for a in tx.officers.assignments(officer.id)] == ["LIEUTENANT OF POLICE"]
        blank_year = tx.officers.search(
            SearchCriteria(identifier=ExternalId("chicago-roster-2023", "11860")), Scope(),
            after=None, limit=5)
        assert blank_year and blank_year[0][1].birth_year is None


def test_an_import_leaves_the_planner_statistics_of_what_it_wrote(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    """On PostgreSQL the bulk writer analyses the tables it loaded, in the load's transaction
    (core/db/bulk.py): the planner knows the rows at once instead of when autovacuum comes
    round. SQLite keeps no statistics of its own unless asked; there the import is simply
    whole."""
    from sqlalchemy import text

    path = _write(tmp_path, [_line(i) for i in range(len(PEOPLE))])
    report = _import(container, operator, path)
    assert report.officers == len(PEOPLE)
    if container.engine.dialect.name != "postgresql":
        assert _officer_count(container) == len(PEOPLE)
        return
    with container.engine.connect() as connection:
        counted = dict(connection.execute(text(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('officers', 'assignments', 'badges', 'officer_name_tokens')")).all())
    assert counted["officers"] == len(PEOPLE)
    assert counted["assignments"] == len(PEOPLE)
    assert counted["badges"] == len(PEOPLE)
    assert counted["officer_name_tokens"] > len(PEOPLE)  # every word of every name
