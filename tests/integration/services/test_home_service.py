"""The home's panels as each role sees them: its own panels only, its own scope's figures, the
exams assigned to the caller only, and each list read audited like the page it summarises."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import evaluation_support
import pytest
from evaluation_support import (
    APPEAL,
    GROUNDS,
    OPERATOR,
    TODAY,
    World,
    failing,
    not_approved,
    person,
)

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import appeals, decisions
from confianza.core.errors import Forbidden, Unauthenticated
from confianza.home.service import panels as home
from confianza.home.service.panels import Home, Panel
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction
from confianza.trail.service import access_history
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.service import exams

PURPOSE = "Citatorio del expediente IA-12/2026"

# What each role's home holds, written out: a role never sees another role's panels.
EXPECTED: dict[Role, set[str]] = {
    Role.REGISTRY_CLERK: {"my_changes"},
    Role.AGENCY_HR: {"alerts", "expiring", "notifications", "separations", "flags"},
    Role.CENTRE_COORDINATOR: {"to_schedule", "agenda_today"},
    Role.EXAMINER: {"exams_pending"},
    Role.CERTIFICATION_OFFICER: {"to_decide", "to_confirm", "appeals"},
    Role.INTERNAL_AFFAIRS: {"my_cases", "not_approved", "my_reserved_reads"},
    Role.INTERNAL_AFFAIRS_SUPERVISOR: {"cases_to_assign", "cases_late"},
    Role.HONOUR_COMMISSION: {"findings_due", "findings_to_confirm", "case_appeals"},
    Role.AUDITOR: {"access_alerts", "access_reports", "sensitive_reads", "refusals"},
    Role.ADMINISTRATOR: {"accounts", "agencies", "failed_sign_ins"},
}

world = evaluation_support.world  # the fixture, defined once with the world it builds


def panel(view: Home, name: str) -> Panel:
    [found] = [p for p in view.panels if p.name == name]
    return found


def entries(container: Container, action: str) -> list[Any]:
    with container.uow().transaction() as tx:
        return [e for e in tx.audit.entries(limit=10_000) if e.action == action]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_panels_and_no_other(
    container: Container, world: World, role: Role
) -> None:
    who = person(container, role, f"casa-{role.value}")
    view = home.home(container.uow(), who, policy=container.policy)
    assert {p.name.value for p in view.panels} == EXPECTED[role]
    others = set().union(*(names for r, names in EXPECTED.items() if r is not role))
    assert not others & {p.name.value for p in view.panels}


def test_an_examiner_sees_only_the_exams_assigned_to_them(
    container: Container, world: World
) -> None:
    evaluation_id = world.request()
    world.schedule(evaluation_id)  # polygraph to the second examiner, the rest to the first
    first = panel(home.home(container.uow(), world.examiner,
                            policy=container.policy), "exams_pending")
    second = panel(home.home(container.uow(), world.second_examiner,
                             policy=container.policy), "exams_pending")
    stranger = person(container, Role.EXAMINER, "examinador-ajeno")
    assert panel(home.home(container.uow(), stranger,
                           policy=container.policy), "exams_pending").count == 0
    assert (first.count, first.extra) == (4, 4)  # booked for today: all due
    assert {i.exam.examiner_id for i in first.items} == {world.examiner.user_id}
    assert ExamType.POLYGRAPH not in {i.exam.exam_type for i in first.items}
    assert [i.exam.exam_type for i in second.items] == [ExamType.POLYGRAPH]
    assert first.items[0].officer_name == "Ortega Vela, Ana Luisa"
    # Recording one takes it off the list; the read names the exams it showed.
    exams.record_exam(container.uow(), world.second_examiner, evaluation_id,
                      ExamType.POLYGRAPH, {"topics": ["drug_use"],
                                           "outcome": "no_significant_reaction"})
    assert panel(home.home(container.uow(), world.second_examiner,
                           policy=container.policy), "exams_pending").count == 0
    reads = [e for e in entries(container, AuditAction.EVALUATION_QUEUE_READ)
             if e.actor == world.examiner.username and e.detail.get("view") == "home"]
    assert reads and set(reads[-1].detail["results"]) == {i.exam.id for i in first.items}


def test_a_panel_that_names_nobody_writes_nothing(container: Container, world: World) -> None:
    home.home(container.uow(), world.examiner, policy=container.policy)  # nothing assigned yet
    clerk = person(container, Role.REGISTRY_CLERK, "capturista")
    home.home(container.uow(), clerk, policy=container.policy)
    written = [e for e in entries(container, AuditAction.EVALUATION_QUEUE_READ)]
    assert written == []


def _expiring(container: Container, officer_id: int, days: int) -> None:
    # An approval that ends soon: written as a decision would leave it.
    with container.uow().transaction() as tx:
        tx.certification.set_standing(officer_id, last_evaluation_id=None,
                                      last_verdict=Verdict.APPROVED,
                                      last_decided_on=TODAY - timedelta(days=1000),
                                      approved_until=TODAY + timedelta(days=days))


def test_agency_hr_sees_only_its_agency(
    container: Container, world: World, agencies: dict[str, int]
) -> None:
    nl_officer = world.new_officer("Jorge", "Treviño", "Garza", agency="NL-FC")
    jal_second = world.new_officer("Rosa", "Luna", "Paz")
    _expiring(container, jal_second, 40)
    _expiring(container, nl_officer, 20)
    failed = not_approved(world)  # JAL-SSP's officer: notified, separation opened
    jalisco = panel_map(home.home(container.uow(), world.hr, policy=container.policy))
    nl_hr = person(container, Role.AGENCY_HR, "rh-nl",
                   Scope(ScopeKind.AGENCY, agency_id=agencies["NL-FC"]))
    nuevo_leon = panel_map(home.home(container.uow(), nl_hr, policy=container.policy))

    # On duty without valid certification: both JAL officers (one never evaluated, one with
    # an approval but no CUP; the failed one is removed from duty); NL's one.
    assert {line.agency_code for line in jalisco["alerts"].items} == {"JAL-SSP"}
    assert [line.officer_id for line in jalisco["alerts"].items] == [jal_second]
    assert [line.officer_id for line in nuevo_leon["alerts"].items] == [nl_officer]
    assert [line.officer_id for line in jalisco["expiring"].items] == [jal_second]
    assert jalisco["expiring"].until == date(2027, 5, 20)
    assert [line.officer_id for line in nuevo_leon["expiring"].items] == [nl_officer]
    assert [n.evaluation_id for n in jalisco["notifications"].items] == [failed]
    assert [p.evaluation_id for p in jalisco["separations"].items] == [failed]
    assert nuevo_leon["notifications"].count == nuevo_leon["separations"].count == 0
    # Read like the alert and re-evaluation pages: the officers named are in the trail.
    alerts_read = [e for e in entries(container, AuditAction.ALERTS_READ)
                   if e.actor == world.hr.username]
    assert alerts_read[-1].detail == {"view": "home", "results": [jal_second]}


def panel_map(view: Home) -> dict[str, Panel]:
    return {p.name.value: p for p in view.panels}


def test_long_lists_are_counted_up_to_the_cap(
    container: Container, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for given in ("Uno", "Dos", "Tres"):
        world.new_officer(given, "Soto", "Gil")
    monkeypatch.setattr(home, "COUNT_CAP", 3)
    alerts = panel(home.home(container.uow(), world.hr, policy=container.policy), "alerts")
    assert (alerts.count, alerts.capped) == (3, True)
    monkeypatch.setattr(home, "COUNT_CAP", 100)
    alerts = panel(home.home(container.uow(), world.hr, policy=container.policy), "alerts")
    assert (alerts.count, alerts.capped) == (4, False)


def test_certification_officers_see_decisions_to_take_but_not_their_own(
    container: Container, world: World
) -> None:
    waiting = world.ready_for_decision({ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    assert [line.evaluation.id for line in
            panel(home.home(container.uow(), world.decider,
                            policy=container.policy), "to_decide").items] == [waiting]
    decisions.decide(world.uow, world.decider, waiting, Verdict.NOT_APPROVED, GROUNDS,
                     policy=container.policy, issuer=container.issuer)
    assert panel(home.home(container.uow(), world.decider,
                           policy=container.policy), "to_confirm").count == 0
    confirm = panel(home.home(container.uow(), world.confirmer,
                              policy=container.policy), "to_confirm")
    assert [line.evaluation.id for line in confirm.items] == [waiting]
    decisions.confirm(world.uow, world.confirmer, waiting, agree=True,
                      policy=container.policy, issuer=container.issuer)
    appeals.file_appeal(world.uow, world.hr, waiting, APPEAL, policy=container.policy)
    # Whoever decided or confirmed may not decide the appeal: it is not on their home.
    assert panel(home.home(container.uow(), world.decider,
                           policy=container.policy), "appeals").count == 0
    assert panel(home.home(container.uow(), world.confirmer,
                           policy=container.policy), "appeals").count == 0
    third = panel(home.home(container.uow(), world.appeals_officer,
                            policy=container.policy), "appeals")
    assert [item.appeal.evaluation_id for item in third.items] == [waiting]
    assert third.items[0].officer_name == "Ortega Vela, Ana Luisa"


def test_the_coordinator_sees_requests_and_todays_agenda(
    container: Container, world: World
) -> None:
    requested = world.request()
    other = world.request(world.new_officer("Rosa", "Luna", "Paz"))
    view = panel_map(home.home(container.uow(), world.coordinator, policy=container.policy))
    assert [line.evaluation.id for line in view["to_schedule"].items] == [requested, other]
    assert view["agenda_today"].count == 0
    world.schedule(requested)
    world.schedule(other, day=TODAY + timedelta(days=3))
    view = panel_map(home.home(container.uow(), world.coordinator, policy=container.policy))
    assert view["to_schedule"].count == 0
    assert (view["agenda_today"].count, view["agenda_today"].extra) == (5, 0)
    assert {i.exam.evaluation_id for i in view["agenda_today"].items} == {requested}
    world.record_all(requested)
    agenda = panel(home.home(container.uow(), world.coordinator,
                             policy=container.policy), "agenda_today")
    assert (agenda.count, agenda.extra, agenda.items) == (5, 5, [])
    # A coordinator of another state sees none of it.
    elsewhere = person(container, Role.CENTRE_COORDINATOR, "coordinacion-nl",
                       Scope(ScopeKind.STATE, "19"))
    assert panel(home.home(container.uow(), elsewhere,
                           policy=container.policy), "agenda_today").count == 0


def test_auditors_see_reports_and_sensitive_reads_of_their_scope(
    container: Container, world: World
) -> None:
    internal = person(container, Role.INTERNAL_AFFAIRS, "asuntos-internos")
    officer_service.reveal_contacts(container.uow(), internal, world.officer_id, PURPOSE)
    access_history.officer_report(container.uow(), world.hr, world.officer_id)
    with pytest.raises(Forbidden):
        exams.examiner_queue(container.uow(), internal)  # refused: an attempt on the trail
    national = panel_map(home.home(container.uow(), person(container, Role.AUDITOR, "auditor"),
                                   policy=container.policy))
    assert [i.officer_id for i in national["access_reports"].items] == [world.officer_id]
    assert [i.entry.actor for i in national["sensitive_reads"].items] == [internal.username]
    assert [i.entry.actor for i in national["refusals"].items] == [internal.username]
    nl_auditor = person(container, Role.AUDITOR, "auditor-nl", Scope(ScopeKind.STATE, "19"))
    nuevo_leon = panel_map(home.home(container.uow(), nl_auditor, policy=container.policy))
    # No accounts' refusals; the alerts' queue is every auditor's (the service lists it whole).
    assert set(nuevo_leon) == {"access_alerts", "access_reports", "sensitive_reads"}
    assert nuevo_leon["access_reports"].count == nuevo_leon["sensitive_reads"].count == 0
    jal_auditor = person(container, Role.AUDITOR, "auditor-jal", Scope(ScopeKind.STATE, "14"))
    assert panel(home.home(container.uow(), jal_auditor,
                           policy=container.policy), "sensitive_reads").count == 1
    read = entries(container, AuditAction.AUDIT_READ)[-1]
    assert read.actor == "auditor-jal" and read.detail["view"] == "home"


def test_own_activity_shows_what_the_caller_did(container: Container, world: World) -> None:
    clerk = person(container, Role.REGISTRY_CLERK, "capturista")
    internal = person(container, Role.INTERNAL_AFFAIRS, "asuntos-internos")
    profile = officer_service.register_officer(container.uow(), clerk, officer_service.NewOfficer(
        given_names="Rosa", first_surname="Luna", second_surname="Paz"))
    officer_service.reveal_contacts(container.uow(), internal, world.officer_id, PURPOSE)
    changes = panel(home.home(container.uow(), clerk, policy=container.policy), "my_changes")
    assert changes.count == 1
    assert [(i.entry.action, i.officer_id) for i in changes.items] == [
        (AuditAction.OFFICER_CREATE, profile.officer.id)]
    reads = panel(home.home(container.uow(), internal,
                            policy=container.policy), "my_reserved_reads")
    assert [i.officer_id for i in reads.items] == [world.officer_id]
    # Someone else's work is not one's own.
    assert panel(home.home(container.uow(), person(
        container, Role.REGISTRY_CLERK, "otra-capturista"),
                           policy=container.policy), "my_changes").items == []


def test_internal_affairs_sees_recent_not_approved_decisions(
    container: Container, world: World
) -> None:
    failed = not_approved(world)
    internal = person(container, Role.INTERNAL_AFFAIRS, "asuntos-internos")
    recent = panel(home.home(container.uow(), internal, policy=container.policy), "not_approved")
    assert [line.evaluation.id for line in recent.items] == [failed]
    assert (recent.count, recent.capped) == (1, False)


def test_the_administrator_sees_accounts_agencies_and_failed_sign_ins(
    container: Container, world: World
) -> None:
    from confianza.accounts.service import users

    admin = person(container, Role.ADMINISTRATOR, "administracion")
    with pytest.raises(Unauthenticated):
        users.sign_in(container.uow(), "administracion", "not the password", 5)
    users.set_user_active(container.uow(), OPERATOR, world.appeals_officer.user_id or 0, False)
    view = panel_map(home.home(container.uow(), admin, policy=container.policy))
    assert view["agencies"].count == 4 and view["agencies"].extra == 0
    # The world's seven people and the administrator, one of them deactivated.
    assert (view["accounts"].count, view["accounts"].extra) == (7, 1)
    assert view["accounts"].items[0].username == "administracion"
    assert [i.entry.actor for i in view["failed_sign_ins"].items] == ["administracion"]
