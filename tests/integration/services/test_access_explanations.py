"""Explaining reads from the trail (issue 19 §1, ADR 0037), on both databases: the reads the
trust-control workflow makes are explained by their rules; a read outside any work is not; bad
periods, unknown rules and non-auditors are refused with clear messages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from evaluation_support import OPERATOR, TODAY, World, build_world, person

from confianza.access.service.explanations import explain
from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container
from confianza.core.errors import Forbidden, NotFound, ValidationFailed
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import RecordSection
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.service import evaluations, exams
from conftest import FakeClock


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


def test_workflow_reads_are_explained_and_a_stray_read_is_not(
        world: World, clock: FakeClock) -> None:
    uow = world.container.uow()
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    clock.advance(hours=1)
    exams.get_exam(uow, world.examiner, evaluation_id, ExamType.MEDICAL)  # assigned_exam
    clock.advance(hours=1)
    world.record_all(evaluation_id)
    clock.advance(hours=1)
    evaluations.get_evaluation(uow, world.decider, evaluation_id)  # pending_decision
    clock.advance(minutes=5)
    # The second examiner opens a record that is none of their work.
    stray = world.new_officer("Berta", "Ibarra", "Luna")
    officer_service.read_record(uow, world.second_examiner, stray)
    auditor = person(world.container, Role.AUDITOR, "auditora")
    found = explain(uow, auditor, TODAY, TODAY)
    report = found.report
    examiner = report.by_role["examiner"]
    assert examiner.by_rule["assigned_exam"] >= 1
    assert report.by_role["certification_officer"].by_rule["pending_decision"] == 1
    assert report.by_role["certification_officer"].explained == 1
    assert [(r.reader, r.officer_id) for r in report.unexplained] == [
        ("examinador-dos", stray)]
    assert report.overall.reads == report.overall.explained + 1


def test_a_read_before_the_work_existed_is_not_explained_by_it(
        world: World, clock: FakeClock) -> None:
    uow = world.container.uow()
    officer_service.read_record(uow, world.decider, world.officer_id,
                                (RecordSection.EVALUATIONS,))
    clock.advance(hours=2)
    world.ready_for_decision()
    auditor = person(world.container, Role.AUDITOR, "auditora")
    report = explain(uow, auditor, TODAY, TODAY, ["pending_decision"]).report
    assert report.rules == ("pending_decision",)
    certifier = report.by_role["certification_officer"]
    assert (certifier.reads, certifier.explained) == (1, 0)


def test_bad_periods_and_rules_are_named(world: World) -> None:
    auditor = person(world.container, Role.AUDITOR, "auditora")
    uow = world.container.uow()
    with pytest.raises(ValidationFailed) as refused:
        explain(uow, auditor, TODAY, TODAY - timedelta(days=1), ["no_such_rule"])
    where = {e.location: e.reason for e in refused.value.errors}
    assert "before the period's first day" in where["to"]
    assert "no rule is named 'no_such_rule'" in where["rule"]
    with pytest.raises(NotFound, match="no read of an officer's record was written from "
                       "2020-01-01 to 2020-01-31"):
        explain(uow, auditor, date(2020, 1, 1), date(2020, 1, 31))


def test_only_those_who_read_the_trail_may_ask(world: World) -> None:
    with pytest.raises(Forbidden):
        explain(world.container.uow(), world.hr, TODAY, TODAY)


def test_asking_is_audited(world: World) -> None:
    uow = world.container.uow()
    officer_service.read_record(uow, world.hr, world.officer_id)
    explain(uow, OPERATOR, TODAY, TODAY)
    with uow.transaction() as tx:
        entries = tx.audit.by_actor(OPERATOR.username, action_prefix="audit:explanation")
    assert len(entries) == 1
    assert entries[0].detail["reads"] == 1 and entries[0].detail["from"] == TODAY.isoformat()
