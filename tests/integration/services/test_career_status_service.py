"""Careers as they are (issue 16 items 2 and 3, ADR 0025), on both databases: postings of kinds
that may run together, a leave that is not a separation, separations with their reason, and
the status history that every change of a person's status writes, with its audit entry."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.core.errors import Conflict, ValidationFailed
from confianza.kit.curp import build_curp
from confianza.registry.rules.assignments import ChangeReason, PostingKind, PostingStatus
from confianza.registry.rules.officers import OfficerStatus, Sex, StatusChange
from confianza.registry.service import assignments as assignment_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction, AuditEntry

START = date(2012, 1, 16)


def _register(container: Container, operator: Actor, agency_id: int) -> int:
    birth = date(1988, 3, 14)
    new = officer_service.NewOfficer(
        given_names="María Fernanda", first_surname="Peña", second_surname="Ruiz",
        birth_date=birth, sex=Sex.FEMALE,
        curp=build_curp("Peña", "Ruiz", "María Fernanda", birth, "M", "JC"),
        assignment=officer_service.FirstAssignment(agency_id, "Policía", START))
    return officer_service.register_officer(container.uow(), operator, new).officer.id


def _history(container: Container, officer_id: int) -> list[StatusChange]:
    with container.uow().transaction() as tx:
        return tx.officers.status_history(officer_id)


def _entries(container: Container, officer_id: int) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return [e for e in tx.audit.entries(limit=1000) if e.resource_id == str(officer_id)]


def test_a_suspension_writes_a_history_line_and_its_audit_entry(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    officer_id = _register(container, operator, agencies["JAL-SSP"])
    assert [(h.status, h.effective_on, h.reason) for h in _history(container, officer_id)] == [
        (OfficerStatus.ACTIVE, START, "registered")]
    before = len(_entries(container, officer_id))
    uow = container.uow()
    officer_service.change_status(uow, operator, officer_id, OfficerStatus.SUSPENDED,
                                  "Suspensión por investigación interna", date(2026, 3, 2))
    officer_service.change_status(uow, operator, officer_id, OfficerStatus.ACTIVE,
                                  "Reinstalación ordenada", date(2026, 6, 1))
    history = _history(container, officer_id)
    assert [(h.status, h.effective_on, h.reason, h.actor) for h in history[1:]] == [
        (OfficerStatus.SUSPENDED, date(2026, 3, 2), "Suspensión por investigación interna",
         operator.username),
        (OfficerStatus.ACTIVE, date(2026, 6, 1), "Reinstalación ordenada", operator.username)]
    # One entry per act, in the same transaction as the history's line.
    updates = [e for e in _entries(container, officer_id)[before:]
               if e.action == AuditAction.OFFICER_UPDATE]
    assert [e.detail["status"] for e in updates] == [
        {"from": "active", "to": "suspended"}, {"from": "suspended", "to": "active"}]
    # A suspension is the person's own act: the posting stays active and open.
    with container.uow().transaction() as tx:
        [posting] = tx.officers.assignments(officer_id)
    assert (posting.status, posting.end_date) == (PostingStatus.ACTIVE, None)


def test_a_dismissal_ends_the_postings_with_its_reason(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    officer_id = _register(container, operator, agencies["JAL-SSP"])
    uow = container.uow()
    with pytest.raises(ValidationFailed) as caught:
        officer_service.change_status(uow, operator, officer_id, OfficerStatus.SUSPENDED,
                                      "Suspensión temporal",
                                      separation_reason=ChangeReason.DISMISSAL)
    assert [e.location for e in caught.value.errors] == ["separation_reason"]
    profile = officer_service.change_status(
        uow, operator, officer_id, OfficerStatus.SEPARATED, "Destitución firme",
        date(2026, 2, 1), ChangeReason.DISMISSAL)
    [posting] = profile.assignments
    assert (posting.status, posting.end_date, posting.separation_reason) == (
        PostingStatus.SEPARATED, date(2026, 2, 1), ChangeReason.DISMISSAL)
    assert _history(container, officer_id)[-1].status is OfficerStatus.SEPARATED
    [entry] = [e for e in _entries(container, officer_id) if "status" in e.detail]
    assert entry.detail["separation_reason"] == "dismissal"


def test_a_task_force_runs_beside_the_full_time_posting_and_a_second_full_time_does_not(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    officer_id = _register(container, operator, agencies["JAL-SSP"])
    uow = container.uow()
    seconded = assignment_service.add_assignment(uow, operator, officer_id,
                                                 assignment_service.NewAssignment(
        agencies["GN"], "Policía", date(2020, 3, 1), ChangeReason.REASSIGNMENT,
        kind=PostingKind.TASK_FORCE))
    reserve = assignment_service.add_assignment(uow, operator, officer_id,
                                                assignment_service.NewAssignment(
        agencies["JAL-GDL-PM"], "Policía", date(2021, 3, 1), ChangeReason.APPOINTMENT,
        kind=PostingKind.RESERVE))
    with container.uow().transaction() as tx:
        open_now = [a for a in tx.officers.assignments(officer_id) if a.end_date is None]
    assert {a.kind for a in open_now} == {PostingKind.FULL_TIME, PostingKind.TASK_FORCE,
                                          PostingKind.RESERVE}
    assert seconded.id != reserve.id
    # A past full-time posting that overlaps the open one is refused, naming it.
    with pytest.raises(Conflict, match="full-time"):
        assignment_service.add_assignment(uow, operator, officer_id,
                                          assignment_service.NewAssignment(
            agencies["NL-FC"], "Policía", date(2013, 1, 1), ChangeReason.TRANSFER,
            end_date=date(2014, 1, 1)))
    # A transfer (full time) closes the full-time posting only; the others run on.
    assignment_service.add_assignment(uow, operator, officer_id, assignment_service.NewAssignment(
        agencies["NL-FC"], "Policía", date(2022, 1, 1), ChangeReason.TRANSFER))
    with container.uow().transaction() as tx:
        postings = tx.officers.assignments(officer_id)
    ended = [a for a in postings if a.end_date is not None]
    assert [(a.agency_id, a.end_date, a.kind) for a in ended] == [
        (agencies["JAL-SSP"], date(2022, 1, 1), PostingKind.FULL_TIME)]
    assert len([a for a in postings if a.end_date is None]) == 3


def test_the_database_refuses_a_second_open_full_time_posting_but_not_a_task_force(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    officer_id = _register(container, operator, agencies["JAL-SSP"])
    insert = text("INSERT INTO assignments (officer_id, agency_id, rank, start_date, "
                  "start_reason, kind) VALUES (:o, :a, 'Policía', :s, 'appointment', :k)")
    with container.engine.begin() as connection:
        connection.execute(insert, {"o": officer_id, "a": agencies["GN"],
                                    "s": date(2020, 1, 1), "k": "task_force"})
    with pytest.raises(IntegrityError), container.engine.begin() as connection:
        connection.execute(insert, {"o": officer_id, "a": agencies["GN"],
                                    "s": date(2021, 1, 1), "k": "full_time"})
    # An open posting cannot say it is separated, nor a closed one that it is active.
    with pytest.raises(IntegrityError), container.engine.begin() as connection:
        connection.execute(text("UPDATE assignments SET status = 'separated' WHERE "
                                "officer_id = :o AND kind = 'task_force'"), {"o": officer_id})


def test_a_leave_keeps_the_posting_open_and_the_person_active(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    officer_id = _register(container, operator, agencies["JAL-SSP"])
    uow = container.uow()
    with container.uow().transaction() as tx:
        [posting] = tx.officers.assignments(officer_id)
    on_leave = assignment_service.set_leave(uow, operator, posting.id, True, date(2026, 5, 4),
                                            "Licencia médica")
    assert (on_leave.status, on_leave.status_since, on_leave.end_date) == (
        PostingStatus.ON_LEAVE, date(2026, 5, 4), None)
    with pytest.raises(ValidationFailed) as caught:
        assignment_service.set_leave(uow, operator, posting.id, True, date(2026, 5, 5),
                                     "Otra licencia")
    assert [e.location for e in caught.value.errors] == ["on_leave"]
    back = assignment_service.set_leave(uow, operator, posting.id, False, date(2026, 8, 1),
                                        "Alta médica")
    assert (back.status, back.status_since) == (PostingStatus.ACTIVE, date(2026, 8, 1))
    profile = officer_service.get_officer(uow, operator, officer_id)
    assert profile.officer.status is OfficerStatus.ACTIVE
    assert [h.status for h in profile.status_history or []] == [OfficerStatus.ACTIVE]
    leaves = [e.detail for e in _entries(container, officer_id)
              if e.action == AuditAction.ASSIGNMENT_UPDATE]
    assert [d["status"] for d in leaves] == [{"from": "active", "to": "on_leave"},
                                             {"from": "on_leave", "to": "active"}]


def test_the_last_posting_ended_by_a_resignation_in_lieu_of_dismissal_separates_the_person(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    officer_id = _register(container, operator, agencies["JAL-SSP"])
    uow = container.uow()
    seconded = assignment_service.add_assignment(uow, operator, officer_id,
                                                 assignment_service.NewAssignment(
        agencies["GN"], "Policía", date(2020, 3, 1), ChangeReason.REASSIGNMENT,
        kind=PostingKind.TASK_FORCE))
    with container.uow().transaction() as tx:
        main = next(a for a in tx.officers.assignments(officer_id)
                    if a.kind is PostingKind.FULL_TIME)
    # The task force ends (a career move): the person stays active.
    assignment_service.end_assignment(uow, operator, seconded.id, date(2021, 3, 1),
                                      ChangeReason.REASSIGNMENT)
    assert len(_history(container, officer_id)) == 1
    assignment_service.end_assignment(uow, operator, main.id, date(2026, 1, 10),
                                      ChangeReason.IN_LIEU_OF_DISMISSAL)
    history = _history(container, officer_id)
    assert [(h.status, h.effective_on) for h in history] == [
        (OfficerStatus.ACTIVE, START), (OfficerStatus.SEPARATED, date(2026, 1, 10))]
    [entry] = [e for e in _entries(container, officer_id)
               if e.action == AuditAction.ASSIGNMENT_UPDATE and "status" in e.detail]
    assert entry.detail["status"] == {"from": "active", "to": "separated"}
    # Posted again, the person is active again, and the history says so.
    assignment_service.add_assignment(uow, operator, officer_id, assignment_service.NewAssignment(
        agencies["NL-FC"], "Policía", date(2026, 6, 1), ChangeReason.APPOINTMENT))
    assert [h.status for h in _history(container, officer_id)][-1] is OfficerStatus.ACTIVE


def test_trust_control_lists_each_officer_once_and_a_reservist_too(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    """The lists that name each officer once (alerts, coverage) take the posting that answers
    for the officer (ADR 0025): the full-time one beside a task force and reserve duty, and
    for an officer with reserve duty only, that posting: a reservist is vetted too."""
    from confianza.certification.service import coverage

    both = _register(container, operator, agencies["JAL-SSP"])
    uow = container.uow()
    for agency, kind in (("GN", PostingKind.TASK_FORCE), ("JAL-GDL-PM", PostingKind.RESERVE)):
        assignment_service.add_assignment(uow, operator, both, assignment_service.NewAssignment(
            agencies[agency], "Policía", date(2021, 3, 1), ChangeReason.APPOINTMENT, kind=kind))
    birth = date(1990, 5, 6)
    reservist = officer_service.register_officer(uow, operator, officer_service.NewOfficer(
        given_names="Luis", first_surname="Gómez", second_surname="Ruiz", birth_date=birth,
        sex=Sex.MALE, curp=build_curp("Gómez", "Ruiz", "Luis", birth, "H", "JC"),
        assignment=officer_service.FirstAssignment(
            agencies["JAL-GDL-PM"], "Policía", START, kind=PostingKind.RESERVE))).officer.id

    alerted = [line for line in coverage.alert_list(uow, operator, limit=1000).items
               if line.officer_id in (both, reservist)]
    assert sorted((line.officer_id, line.agency_id) for line in alerted) == sorted(
        [(both, agencies["JAL-SSP"]), (reservist, agencies["JAL-GDL-PM"])])
