"""Careers as the file gives them (issue 16 item 2, ADR 0025), on SQLite and PostgreSQL: each
row's posting carries its own status, separation reason, kind and employment; postings of
kinds that allow it run at the same time; the person's status follows from the postings when
the file gives none, and starts the status history."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.core.errors import ValidationFailed
from confianza.registry.cli.files import read_roster
from confianza.registry.rules.assignments import (
    ChangeReason,
    EmploymentKind,
    PostingKind,
    PostingStatus,
)
from confianza.registry.rules.import_mapping import parse_mapping
from confianza.registry.rules.officers import ExternalId, OfficerStatus
from confianza.registry.service.officer_import import ImportReport, import_officers

# A jurisdiction's employment history: one row per job, no person-level status, coded values.
MAPPING = parse_mapping("""
[identity]
scheme = "post-history"
column = "person"
[fields]
given_names = "first"
first_surname = "last"
rank = "title"
start_date = "hired"
end_date = "left"
[fields.posting_status]
column = "job_status"
values = { A = "active", L = "on_leave", S = "separated" }
[fields.separation_reason]
column = "why"
values = { TERM = "dismissal", RIL = "in_lieu_of_dismissal", RET = "retirement" }
[fields.posting_kind]
column = "job_kind"
values = { FT = "full_time", TF = "task_force", RES = "reserve", PT = "part_time" }
[fields.employment_kind]
column = "staff"
values = { LE = "sworn", CO = "custody", CIV = "civilian" }
[agency]
column = "agency"
""", "history.toml")
HEADER = ["person", "first", "last", "title", "hired", "left", "job_status", "why", "job_kind",
          "staff", "agency"]


def _row(person: str, hired: str, left: str = "", status: str = "A", why: str = "",
         kind: str = "FT", staff: str = "LE", agency: str = "JAL-SSP") -> list[str]:
    return [person, "Audra", f"Fuller{person}", "Officer", hired, left, status, why, kind,
            staff, agency]


def _import(container: Container, operator: Actor, tmp_path: Path,
            rows: list[list[str]]) -> ImportReport:
    path = tmp_path / "history.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return import_officers(container.uow(), operator, read_roster(path, MAPPING.encoding),
                           MAPPING)


def _officer(container: Container, person: str) -> int:
    with container.uow().transaction() as tx:
        found = tx.officers.id_by_identifier(ExternalId("post-history", person))
        assert found is not None
        return found


def test_concurrent_postings_and_per_job_status_are_kept(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    report = _import(container, operator, tmp_path, [
        # 1: dismissed from one force, then full time in another with a task force beside it
        # and reserve duty on leave: four postings, three open at once.
        _row("1", "2005-01-01", "2010-06-01", "S", "TERM", agency="NL-FC"),
        _row("1", "2011-01-01", agency="JAL-SSP"),
        _row("1", "2015-03-01", kind="TF", agency="GN"),
        _row("1", "2016-01-01", status="L", kind="RES", staff="CO", agency="JAL-GDL-PM"),
        # 2: every job ended, the last by a resignation in lieu of dismissal: separated.
        _row("2", "2001-01-01", "2009-01-01", "S", "RET"),
        _row("2", "2009-01-01", "2019-05-01", "S", "RIL", agency="GN"),
    ])
    assert (report.officers, report.assignments, report.rejected_rows) == (2, 6, 0)
    first, second = _officer(container, "1"), _officer(container, "2")
    with container.uow().transaction() as tx:
        one = tx.officers.career(first)
        two = tx.officers.career(second)
        history_one = tx.officers.status_history(first)
        history_two = tx.officers.status_history(second)
    assert one is not None and two is not None
    assert one.officer.status is OfficerStatus.ACTIVE
    assert [(a.status, a.kind, a.employment, a.separation_reason) for a in one.assignments] == [
        (PostingStatus.SEPARATED, PostingKind.FULL_TIME, EmploymentKind.SWORN,
         ChangeReason.DISMISSAL),
        (PostingStatus.ACTIVE, PostingKind.FULL_TIME, EmploymentKind.SWORN, None),
        (PostingStatus.ACTIVE, PostingKind.TASK_FORCE, EmploymentKind.SWORN, None),
        (PostingStatus.ON_LEAVE, PostingKind.RESERVE, EmploymentKind.CUSTODY, None),
    ]
    assert two.officer.status is OfficerStatus.SEPARATED
    assert two.assignments[-1].separation_reason is ChangeReason.IN_LIEU_OF_DISMISSAL
    # The history begins with what the import found, by the importing user.
    assert [(h.status, h.effective_on, h.actor) for h in history_one] == [
        (OfficerStatus.ACTIVE, date(2005, 1, 1), operator.username)]
    assert [(h.status, h.effective_on) for h in history_two] == [
        (OfficerStatus.SEPARATED, date(2019, 5, 1))]
    assert history_two[0].reason == "import of history.csv"


def test_two_full_time_postings_at_once_and_contradicting_statuses_are_named(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _import(container, operator, tmp_path, [
            _row("1", "2011-01-01"),
            _row("1", "2015-03-01", agency="GN"),  # a second full-time job, both open
            _row("2", "2011-01-01", status="S"),  # separated, but no end date
            _row("3", "2011-01-01", "2012-01-01", status="L"),  # on leave from an ended job
            _row("4", "2011-01-01", kind="SECONDED"),  # a kind the mapping does not know
            _row("5", "2011-01-01", status="X"),
        ])
    found = {(e.location, e.reason) for e in caught.value.errors}
    assert ("history.csv:3:hired", "overlaps the assignment on line 2") in found
    assert ("history.csv:4:left", "is required: the posting's status is separated") in found
    assert ("history.csv:5:job_status",
            "is on_leave, but the posting ended on 2012-01-01") in found
    kinds = [r for loc, r in found if loc == "history.csv:6:job_kind"]
    assert len(kinds) == 1 and "'SECONDED' is not among the mapped values" in kinds[0]
    assert any(loc == "history.csv:7:job_status" for loc, _ in found)


def test_a_roster_without_posting_columns_reads_as_before(
    container: Container, operator: Actor, agencies: dict[str, int], tmp_path: Path
) -> None:
    """No posting field mapped: a full-time posting of a sworn officer, separated when it has
    an end (its end reason as before), active otherwise."""
    plain = parse_mapping("""
[identity]
scheme = "post-history"
column = "person"
[fields]
given_names = "first"
first_surname = "last"
rank = "title"
start_date = "hired"
end_date = "left"
[agency]
column = "agency"
""", "plain.toml")
    path = tmp_path / "plain.csv"
    path.write_text("person,first,last,title,hired,left,agency\n"
                    "9,Ana,Luna,Policía,2010-01-01,2014-01-01,NL-FC\n"
                    "9,Ana,Luna,Policía,2014-01-01,,JAL-SSP\n", encoding="utf-8")
    import_officers(container.uow(), operator, read_roster(path, "utf-8"), plain)
    officer_id = _officer(container, "9")
    with container.uow().transaction() as tx:
        career = tx.officers.career(officer_id)
    assert career is not None and career.officer.status is OfficerStatus.ACTIVE
    assert [(a.status, a.kind, a.end_reason) for a in career.assignments] == [
        (PostingStatus.SEPARATED, PostingKind.FULL_TIME, ChangeReason.SEPARATION),
        (PostingStatus.ACTIVE, PostingKind.FULL_TIME, None)]
