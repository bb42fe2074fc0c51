"""An agency's roster with its former staff (issue 16 item 7), on both databases: who counts as
former, one line per person with their latest posting there, paging, counts, statements."""

from __future__ import annotations

import json
from datetime import date

import test_roster_service
from sqlalchemy import event
from test_officer_service import new_officer
from test_roster_service import Roster, trail, walk

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.registry.rules.assignments import ChangeReason, PostingKind
from confianza.registry.rules.officers import OfficerStatus, RosterLine
from confianza.registry.rules.rosters import Staff
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import assignments as assignment_service
from confianza.registry.service import officers as officer_service
from confianza.registry.service.agencies import RosterQuery
from confianza.trail.rules import AuditAction

# The roster service tests' registry, named here so pytest finds the fixture in this module.
roster = test_roster_service.roster


def lines(container: Container, who: Actor, agency: int, staff: Staff, **query: object
          ) -> list[tuple[int, date | None]]:
    page = agency_service.roster_page(container.uow(), who, agency,
                                      RosterQuery(staff=staff, **query))  # type: ignore[arg-type]
    return [(line.officer_id, line.until) for line in page.lines]


def test_former_staff_are_those_who_served_and_hold_no_posting_there_now(
    container: Container, operator: Actor, agencies: dict[str, int], roster: Roster
) -> None:
    uow = container.uow()
    # Left by separation; left, then came back (current, not former); two postings there,
    # both ended (one line, the latest).
    separated = roster.by_name["Rosa"]
    officer_service.change_status(uow, operator, separated, OfficerStatus.SEPARATED,
                                  "Renuncia voluntaria", date(2023, 3, 1))
    back = roster.by_name["Teresa"]
    assignment_service.add_assignment(uow, operator, back, assignment_service.NewAssignment(
        agencies["GN"], "Agente", date(2019, 1, 1), ChangeReason.TRANSFER))
    assignment_service.add_assignment(uow, operator, back, assignment_service.NewAssignment(
        roster.agency, "Policía", date(2022, 1, 1), ChangeReason.TRANSFER))
    twice = officer_service.register_officer(uow, operator, new_officer(
        roster.agency, given_names="Zoila", first_surname="Abad", second_surname=None,
        curp=None, badge="B-777")).officer.id
    assignment_service.add_assignment(uow, operator, twice, assignment_service.NewAssignment(
        roster.agency, "Suboficial", date(2016, 1, 1), ChangeReason.PROMOTION))
    assignment_service.add_assignment(uow, operator, twice, assignment_service.NewAssignment(
        agencies["NL-FC"], "Suboficial", date(2021, 5, 1), ChangeReason.TRANSFER))

    former = lines(container, operator, roster.agency, Staff.FORMER)
    # Roster order: ABAD ZOILA, BENITEZ CRUZ ROSA, PENA RUIZ IRMA.
    assert former == [(twice, date(2021, 5, 1)), (separated, date(2023, 3, 1)),
                      (roster.gone, date(2024, 1, 1))]
    current = lines(container, operator, roster.agency, Staff.CURRENT)
    assert back in [oid for oid, _ in current] and separated not in [oid for oid, _ in current]
    everyone = [oid for oid, _ in lines(container, operator, roster.agency, Staff.ALL,
                                        descending=False)]
    assert sorted(everyone) == sorted([oid for oid, _ in current] + [oid for oid, _ in former])
    assert len(everyone) == len(set(everyone))  # one line per person

    page = agency_service.roster_page(uow, operator, roster.agency, RosterQuery(staff=Staff.ALL))
    assert page.former == 3 and page.total == len(current)
    # A page of current staff does not count the former ones (it would read every posting).
    assert agency_service.roster_page(uow, operator, roster.agency).former is None


def test_former_staff_page_stably_and_filter_by_text(
    container: Container, operator: Actor, roster: Roster
) -> None:
    every = [i for page in walk(container, operator, roster.agency, RosterQuery(staff=Staff.ALL),
                                limit=4) for i in page]
    whole = [i for i, _ in lines(container, operator, roster.agency, Staff.ALL)]
    assert every == whole  # pages of 4 walk the one list, each person once
    assert sorted(every) == sorted(roster.ids + [roster.gone])
    assert lines(container, operator, roster.agency, Staff.FORMER, text="B-900") == [
        (roster.gone, date(2024, 1, 1))]
    assert lines(container, operator, roster.agency, Staff.CURRENT, text="B-900") == []
    # A name in any order, as in the officer search (ADR 0028).
    for typed in ("Irma Peña", "ruiz irma", "Peña Ruiz Ir"):
        assert lines(container, operator, roster.agency, Staff.FORMER, text=typed) == [
            (roster.gone, date(2024, 1, 1))], typed
    luis = [i for i, _ in lines(container, operator, roster.agency, Staff.CURRENT,
                                text="Ruiz Luis")]
    assert len(luis) == 3 and roster.by_name["Luis"] in luis  # the three twins of name


def test_a_page_of_former_staff_reads_three_statements(
    container: Container, operator: Actor, roster: Roster
) -> None:
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    for staff in (Staff.FORMER, Staff.ALL):
        statements.clear()
        event.listen(container.engine, "before_cursor_execute", count)
        try:
            agency_service.roster_page(container.uow(), operator, roster.agency,
                                       RosterQuery(staff=staff), limit=2)
        finally:
            event.remove(container.engine, "before_cursor_execute", count)
        assert len([s for s in statements if "audit" not in s and "log_" not in s]) == 3


def test_two_open_postings_in_one_agency_are_one_line_and_one_count(
    container: Container, operator: Actor, roster: Roster
) -> None:
    """A full-time officer who also does reserve duty in the same agency (issue 16 item 2) is
    one person on its roster: one line, with the full-time posting, and counted once."""
    uow = container.uow()
    before = agency_service.roster_page(uow, operator, roster.agency, RosterQuery())
    both = roster.by_name["Teresa"]
    assignment_service.add_assignment(uow, operator, both, assignment_service.NewAssignment(
        roster.agency, "Reservista", date(2024, 6, 1), ChangeReason.APPOINTMENT,
        kind=PostingKind.RESERVE))
    page = agency_service.roster_page(uow, operator, roster.agency, RosterQuery())
    ids = [line.officer_id for line in page.lines]
    assert ids.count(both) == 1
    assert [line.rank for line in page.lines if line.officer_id == both] != ["Reservista"]
    assert page.total == before.total
    everyone = [oid for oid, _ in lines(container, operator, roster.agency, Staff.ALL)]
    assert everyone.count(both) == 1


def test_the_export_follows_the_pages_filters_and_names_them_in_its_entry(
    container: Container, operator: Actor, roster: Roster
) -> None:
    """The roster's file lists what its pages list for the same query (issue 16, loose end):
    former staff, both, a status, a text, the order; each export's entry names the criteria."""
    def exported(query: RosterQuery) -> list[tuple[int, date | None]]:
        got: list[RosterLine] = []
        agency_service.export_roster(container.uow(), operator, roster.agency, got.extend,
                                     query)
        return [(line.officer_id, line.until) for line in got]

    def paged(query: RosterQuery) -> list[int]:
        return [i for page in walk(container, operator, roster.agency, query, limit=4)
                for i in page]

    assert exported(RosterQuery(staff=Staff.FORMER)) == [(roster.gone, date(2024, 1, 1))]
    everyone = RosterQuery(staff=Staff.ALL)
    assert [i for i, _ in exported(everyone)] == paged(everyone)
    assert sorted(i for i, _ in exported(everyone)) == sorted([*roster.ids, roster.gone])
    backwards = RosterQuery(staff=Staff.ALL, descending=True)
    assert [i for i, _ in exported(backwards)] == paged(backwards) == paged(everyone)[::-1]
    suspended = RosterQuery(status=OfficerStatus.SUSPENDED)
    assert [i for i, _ in exported(suspended)] == paged(suspended)
    assert {i for i, _ in exported(suspended)} == {
        roster.by_name[n] for n in ("Marta", "Pedro", "Yolanda")}
    assert [i for i, _ in exported(RosterQuery(text="ruiz irma", staff=Staff.ALL))] == [
        roster.gone]
    assert exported(RosterQuery(text="ruiz irma")) == []  # current staff only, by default
    assert [i for i, _ in exported(RosterQuery())] == roster.ids  # unchanged default

    entries = [e for e in trail(container)
               if e.action == AuditAction.AGENCY_ROSTER_READ and "export" in e.detail]
    assert [(e.detail["criteria"], e.detail["officers"]) for e in entries[-3:]] == [
        (["text", "staff:all"], 1), (["text"], 0), ([], len(roster.ids))]
    assert "ruiz" not in json.dumps([e.detail for e in entries]).lower()  # never the value
