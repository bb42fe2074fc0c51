"""A roster of another shape: the synthetic Evergreen employment history (one row per job,
agencies by name, placeholders, civilian rows), on SQLite and PostgreSQL; and what a bad row
takes with it, row by row or person by person."""

from __future__ import annotations

from pathlib import Path

import pytest

from confianza.accounts.rules.permissions import Actor, Scope
from confianza.app.bootstrap import Container
from confianza.core.errors import ValidationFailed
from confianza.registry.cli.files import load_mapping, read_roster, write_rejects
from confianza.registry.contracts import SearchCriteria
from confianza.registry.rules.import_mapping import ImportMapping, parse_mapping
from confianza.registry.rules.officers import ExternalId
from confianza.registry.service.officer_import import (
    ImportReport,
    PerPerson,
    RowsRejected,
    import_officers,
)

DATA = Path(__file__).parents[2] / "data" / "evergreen"
ROSTER = DATA / "employment-history.csv"
SCHEME = "evergreen-post"


@pytest.fixture
def mapping() -> ImportMapping:
    return load_mapping(DATA / "evergreen-history.toml")


def _import(container: Container, operator: Actor, mapping: ImportMapping, path: Path = ROSTER,
            **options: object) -> ImportReport:
    roster = read_roster(path, mapping.encoding)
    return import_officers(container.uow(), operator, roster, mapping,
                           **options)  # type: ignore[arg-type]


def _career(container: Container, person: str) -> list[tuple[str, str, str | None]]:
    """(agency code, rank, end date) of each posting of one person, or [] if not imported."""
    with container.uow().transaction() as tx:
        found = tx.officers.search(SearchCriteria(identifier=ExternalId(SCHEME, person)),
                                   Scope(), after=None, limit=2)
        if not found:
            return []
        codes = {a.id: a.code for a in tx.agencies.search(include_dissolved=True, limit=100)}
        return [(codes[a.agency_id], a.rank, a.end_date and a.end_date.isoformat())
                for a in tx.officers.assignments(found[0][1].id)]


def _audit_actions(container: Container) -> list[str]:
    with container.uow().transaction() as tx:
        return [e.action for e in tx.audit.entries(limit=10_000)]


def test_the_good_rows_go_in_row_by_row_and_every_rejection_is_named(
    container: Container, operator: Actor, mapping: ImportMapping, tmp_path: Path
) -> None:
    report = _import(container, operator, mapping, skip_invalid=True, create_agencies=True)
    assert (report.rows, report.officers, report.assignments) == (34, 14, 23)
    assert (report.rejected_rows, report.rejected_officers) == (8, 3)
    assert report.skipped == {"civilian staff": 2, "private security": 1}
    assert report.partial_people == ("10002", "10006", "10007", "10011")
    reasons = report.rejected_reasons
    assert sorted(reasons) == [6, 7, 11, 14, 15, 20, 23, 24]
    # Each reason names the real cause, on the field at fault.
    assert reasons[7] == ("start_date: '01/01/1901' stands for an unknown date (a placeholder "
                          "in the mapping's [dates]): the posting's start date is needed")
    assert reasons[11].startswith("end_date: '01/01/1900' stands for an unknown date")
    assert reasons[15] == "start_date: 1965-06-01 is before the officer's birth (1970)"
    assert reasons[14] == ("person_nbr: repeats line 13: the same person and posting twice in "
                           "the file")
    assert reasons[20] == "first_name|middle_name: differs from line 19 for the same officer"
    assert reasons[6] == "start_date: overlaps the assignment on line 5"
    # A status that contradicts the postings is the person's fault: the other row says so.
    assert reasons[24] == "end_date: the status is active but the assignment has ended"
    assert reasons[23] == "*: not imported: another row of this person is rejected (line 24)"
    # Agencies by name: the mapping's table for the sheriff's two spellings, the rest created.
    assert report.agencies_created == (
        "US-EV-CCSO", "US-EV-CASCADE-COUNTY-JAIL", "US-EV-ECPD", "US-EV-EVERGREEN-STATE-PATROL",
        "US-EV-PORT-MADRONA-POLICE-DEPARTMENT")
    assert report.agencies_from_names["US-EV-ECPD"] == "EVERGREEN CITY POLICE DEPARTMENT"
    assert _career(container, "10010") == [("US-EV-CCSO", "Deputy Sheriff", None)]
    assert _career(container, "10006") == [("US-EV-CCSO", "Deputy Sheriff", None)]
    assert _career(container, "10004") == [("US-EV-EVERGREEN-STATE-PATROL", "Trooper", None)]
    assert len(_career(container, "10014")) == 6
    assert _career(container, "10003") == _career(container, "10005") == []
    actions = _audit_actions(container)
    assert actions.count("officer:identity:create") == 14
    assert actions.count("agency:record:create") == 5


def test_the_rejects_file_keeps_each_rejected_line_as_written(
    container: Container, operator: Actor, mapping: ImportMapping, tmp_path: Path
) -> None:
    report = _import(container, operator, mapping, skip_invalid=True, create_agencies=True)
    roster = read_roster(ROSTER, mapping.encoding)
    rejects = tmp_path / "rejects.csv"
    assert write_rejects(roster, mapping.delimiter, report.rejected_reasons, rejects) == 8
    original = ROSTER.read_bytes().splitlines()
    written = rejects.read_bytes().splitlines()
    assert written[0] == original[0] + b",reason"
    for line, row in zip(sorted(report.rejected_reasons), written[1:], strict=True):
        assert row.startswith(original[line - 1] + b",")


def test_all_or_none_per_person_rejects_the_persons_other_rows_by_name(
    container: Container, operator: Actor, mapping: ImportMapping
) -> None:
    report = _import(container, operator, mapping, skip_invalid=True, create_agencies=True,
                     per_person=PerPerson.ALL_OR_NONE)
    assert (report.officers, report.partial_people) == (10, ())
    reasons = report.rejected_reasons
    assert reasons[5] == "*: not imported: another row of this person is rejected (line 6)"
    assert reasons[12] == "*: not imported: another row of this person is rejected (line 11)"
    assert _career(container, "10002") == []


def test_by_default_nothing_is_written_and_every_bad_row_is_named(
    container: Container, operator: Actor, mapping: ImportMapping
) -> None:
    with pytest.raises(RowsRejected) as caught:
        _import(container, operator, mapping, create_agencies=True)
    assert sorted(caught.value.rejected_reasons) == [6, 7, 11, 14, 15, 20, 23, 24]
    assert caught.value.rows == 34
    assert _career(container, "10001") == []
    assert "agency:record:create" not in _audit_actions(container)


def test_unknown_agency_names_are_named_without_create_agencies(
    container: Container, operator: Actor, mapping: ImportMapping
) -> None:
    report = _import(container, operator, mapping, skip_invalid=True)
    # Only the sheriff's office (set up by the mapping, named by its table) is known.
    assert report.agencies_created == ("US-EV-CCSO",)
    # Only the rows at the sheriff's office go in: five people, two of them without their
    # rows at agencies the registry does not know.
    assert report.officers == 5
    assert report.partial_people == ("10002", "10006", "10012")
    assert _career(container, "10012") == [("US-EV-CCSO", "Deputy Sheriff", None)]
    assert any(e.reason.startswith("no agency is named 'CASCADE COUNTY JAIL'")
               for e in report.errors)


def test_a_dry_run_creates_no_agency(
    container: Container, operator: Actor, mapping: ImportMapping
) -> None:
    report = _import(container, operator, mapping, skip_invalid=True, create_agencies=True,
                     dry_run=True)
    assert report.officers == 14 and len(report.agencies_created) == 5
    with container.uow().transaction() as tx:
        assert tx.agencies.by_code("US-EV-ECPD") is None


def test_a_file_with_only_a_header_is_refused(
    container: Container, operator: Actor, mapping: ImportMapping, tmp_path: Path
) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(ROSTER.read_bytes().splitlines(keepends=True)[0] + b"\n")
    with pytest.raises(ValidationFailed) as caught:
        _import(container, operator, mapping, path, skip_invalid=True)
    assert caught.value.errors[0].location == "empty.csv:2"
    assert caught.value.errors[0].reason == ("the file has a header line and no rows: nothing "
                                             "to import")


def test_a_file_whose_rows_are_all_skipped_imports_nobody(
    container: Container, operator: Actor, mapping: ImportMapping, tmp_path: Path
) -> None:
    lines = ROSTER.read_bytes().splitlines(keepends=True)
    path = tmp_path / "civilians.csv"
    path.write_bytes(lines[0] + lines[7] + lines[9])
    report = _import(container, operator, mapping, path, skip_invalid=True)
    assert (report.rows, report.officers, report.rejected_rows) == (2, 0, 0)
    assert report.skipped == {"civilian staff": 1, "private security": 1}


def test_a_name_finds_the_registrys_agency_however_it_is_accented(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    mapping = parse_mapping(
        "[identity]\nscheme = 'mx-roster'\ncolumn = 'id'\n[fields]\ngiven_names = 'nombre'\n"
        "first_surname = 'paterno'\nrank = 'puesto'\nstart_date = 'alta'\n"
        "[agency]\ncolumn = 'corporacion'\nby = 'name'\n", "mx.toml")
    path = tmp_path / "mx.csv"
    path.write_text("id,nombre,paterno,puesto,alta,corporacion\n"
                    "1,ANA,RUIZ,POLICIA,2015-01-01,POLICIA DE  GUADALAJARA\n"
                    "2,LUIS,GOMEZ,POLICIA,2016-01-01,secretaria de seguridad de jalisco\n",
                    encoding="utf-8")
    report = _import(container, operator, mapping, path, create_agencies=True)
    assert (report.officers, report.agencies_created) == (2, ())
    with container.uow().transaction() as tx:
        assert tx.agencies.count_open_assignments(agencies["JAL-GDL-PM"]) == 1
        assert tx.agencies.count_open_assignments(agencies["JAL-SSP"]) == 1
