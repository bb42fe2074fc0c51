"""Insider detection and the auditors' queue (issue 19 §2-3), on both databases: a stray
examiner's burst of unrelated records is scored into an alert listing its reads; ordinary
assigned work is not; the trail must verify first; only auditors see and mark alerts, every
step audited; bad input is named."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from evaluation_support import TODAY, World, build_world, person
from log_verify_support import ORIGIN, set_detail, tampering

from confianza.access.rules.alerts import Outcome
from confianza.access.service import alerts, review
from confianza.access.service.detection import TrailUnverified, detect
from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import Forbidden, NotFound, ValidationFailed
from confianza.kit.signed_note import Signer
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction
from confianza.transparency.service import log as transparency
from confianza.transparency.service.verify import VerifyReport, verify_log
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.service import exams
from conftest import PUBLIC, FakeClock

SIGNER = Signer.generate(ORIGIN)
SURNAMES = ["Ibarra", "Luna", "Soto", "Campos", "Mejía", "Rivas", "Paredes", "Galindo",
            "Quiroz", "Salas", "Toledo", "Urrutia"]


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


def _verify(container: Container) -> VerifyReport:
    return verify_log(container.uow(), [SIGNER.verifier], PUBLIC, origin=ORIGIN)


def _detect(world: World, actor: Actor, day: date = TODAY) -> list[int]:
    container = world.container
    transparency.integrate(container.uow(), PUBLIC)
    found = detect(container.uow(), actor, day, day, threshold=10,
                   verify=lambda: _verify(container))
    return [a.id for a in found.alerts]


def _stray_burst(world: World, clock: FakeClock) -> list[int]:
    """The second examiner opens twelve records that are none of their work, minutes apart."""
    officers = [world.new_officer("Berta", surname, "Luna") for surname in SURNAMES]
    for officer in officers:
        clock.advance(minutes=3)
        officer_service.read_record(world.container.uow(), world.second_examiner, officer)
    return officers


def test_a_burst_of_unrelated_records_becomes_an_alert_and_assigned_work_does_not(
        world: World, clock: FakeClock) -> None:
    uow = world.container.uow()
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    clock.advance(hours=1)
    exams.get_exam(uow, world.examiner, evaluation_id, ExamType.MEDICAL)  # assigned work
    officers = _stray_burst(world, clock)
    auditor = person(world.container, Role.AUDITOR, "auditora")
    raised = _detect(world, auditor)
    assert len(raised) == 1
    page = alerts.list_alerts(uow, auditor)
    [alert] = page.items
    assert alert.reader == world.second_examiner.username and alert.reads == 12
    assert alert.outcome is Outcome.OPEN and alert.points >= 10
    assert {s["name"] for s in alert.signals} >= {"burst", "unfamiliar"}
    assert "12 records opened within an hour" in alert.why("en")
    assert "12 expedientes abiertos en menos de una hora" in alert.why("es")
    opened = alerts.get_alert(uow, auditor, alert.id)
    assert sorted(r.officer_id for r in opened.read_list) == sorted(officers)
    assert all("burst" in r.signals for r in opened.read_list)
    # Run again over the same day: the reads are already behind an alert.
    assert _detect(world, auditor) == []


def test_the_auditor_marks_an_alert_and_the_outcomes_are_reported(
        world: World, clock: FakeClock) -> None:
    _stray_burst(world, clock)
    auditor = person(world.container, Role.AUDITOR, "auditora")
    [alert_id] = _detect(world, auditor)
    uow = world.container.uow()
    clock.advance(days=1)
    alerts.mark_alert(uow, auditor, alert_id, "interview", "Citado a entrevista el lunes.")
    clock.advance(days=3)
    marked = alerts.mark_alert(uow, auditor, alert_id, "misuse",
                               "Admitió consultar expedientes por encargo de un tercero.")
    assert marked.outcome is Outcome.MISUSE
    assert [m.outcome for m in marked.marks] == [Outcome.INTERVIEW, Outcome.MISUSE]
    report = alerts.list_alerts(uow, auditor).report
    assert (report.total, report.decided, report.confirmed_share) == (1, 1, 1.0)
    with uow.transaction() as tx:
        done = [e.action for e in tx.audit.by_actor("auditora", action_prefix="audit:access")]
    assert done.count(AuditAction.ACCESS_ALERT_MARK) == 2
    assert AuditAction.ACCESS_DETECT in done and AuditAction.ACCESS_ALERTS_READ in done


def test_only_auditors_see_and_mark_alerts_and_bad_marks_are_named(
        world: World, clock: FakeClock) -> None:
    _stray_burst(world, clock)
    auditor = person(world.container, Role.AUDITOR, "auditora")
    [alert_id] = _detect(world, auditor)
    uow = world.container.uow()
    with pytest.raises(Forbidden):
        alerts.mark_alert(uow, world.hr, alert_id, "justified", "Era su trabajo.")
    with pytest.raises(Forbidden):
        alerts.list_alerts(uow, world.decider)
    with pytest.raises(Forbidden):
        _detect(world, world.hr)
    with pytest.raises(ValidationFailed) as refused:
        alerts.mark_alert(uow, auditor, alert_id, "closed", "  ")
    where = {e.location: e.reason for e in refused.value.errors}
    assert "'closed' is not a mark" in where["outcome"] and "needs a note" in where["note"]
    with pytest.raises(NotFound, match="there is no alert 999"):
        alerts.mark_alert(uow, auditor, 999, "misuse", "Nota.")
    assert alerts.get_alert(uow, auditor, alert_id).outcome is Outcome.OPEN  # nothing lost
    with uow.transaction() as tx:
        refusals = tx.audit.by_actor(world.hr.username, action_prefix="authz")
        invalid = tx.audit.by_actor("auditora", action_prefix="workflow")
    assert any(e.detail["permission"] == "audit:access_alert:review" for e in refusals)
    assert {e.detail["attempted"] for e in invalid} == {AuditAction.ACCESS_ALERT_MARK.value}


def test_a_state_auditor_reviews_the_alerts_on_its_own_state_staff_only(
        world: World, clock: FakeClock) -> None:
    """The burst is by Jalisco's examiner: Jalisco's auditor and the national one see and mark
    the alert; Nuevo León's auditor sees no alert, and opening or marking it is refused as
    outside their scope, with the refusal in the trail."""
    _stray_burst(world, clock)
    national = person(world.container, Role.AUDITOR, "auditora")
    [alert_id] = _detect(world, national)
    jalisco = person(world.container, Role.AUDITOR, "auditor-jal", Scope(ScopeKind.STATE, "14"))
    nuevo_leon = person(world.container, Role.AUDITOR, "auditor-nl",
                        Scope(ScopeKind.STATE, "19"))
    uow = world.container.uow()
    assert [a.id for a in alerts.list_alerts(uow, jalisco).items] == [alert_id]
    assert [a.id for a in alerts.list_alerts(uow, national).items] == [alert_id]
    other = alerts.list_alerts(uow, nuevo_leon)
    assert other.items == [] and other.report.total == 0
    for attempt in (lambda: alerts.get_alert(uow, nuevo_leon, alert_id),
                    lambda: review.alert_review(uow, nuevo_leon, alert_id),
                    lambda: alerts.mark_alert(uow, nuevo_leon, alert_id, "justified",
                                              "Era su trabajo.")):
        with pytest.raises(Forbidden, match="outside your scope"):
            attempt()
    assert alerts.get_alert(uow, jalisco, alert_id).outcome is Outcome.OPEN  # nothing marked
    marked = alerts.mark_alert(uow, jalisco, alert_id, "interview", "Citado a entrevista.")
    assert marked.outcome is Outcome.INTERVIEW
    with uow.transaction() as tx:
        refused = tx.audit.by_actor("auditor-nl", action_prefix="authz")
    assert len(refused) == 3 and all("outside your scope" in e.detail["reason"]
                                     for e in refused)


def test_a_trail_that_fails_verification_is_not_scored(
        world: World, clock: FakeClock) -> None:
    _stray_burst(world, clock)
    container = world.container
    transparency.integrate(container.uow(), PUBLIC)
    transparency.sign_head(container.uow(), [SIGNER], ORIGIN)
    with tampering(container) as connection:
        set_detail(connection, 3, '{"n": 1}')
    auditor = person(container, Role.AUDITOR, "auditora")
    with pytest.raises(TrailUnverified, match="fails verification.*entry 3 was changed"):
        detect(container.uow(), auditor, TODAY, TODAY, threshold=10,
               verify=lambda: _verify(container))
    assert alerts.list_alerts(container.uow(), auditor).items == []


def test_entries_not_yet_in_the_log_and_empty_periods_are_refused(
        world: World, clock: FakeClock) -> None:
    _stray_burst(world, clock)
    container = world.container
    auditor = person(container, Role.AUDITOR, "auditora")
    with pytest.raises(TrailUnverified, match="no place in the tamper-evident log yet"):
        detect(container.uow(), auditor, TODAY, TODAY, threshold=10,
               verify=lambda: _verify(container))
    with pytest.raises(NotFound, match="from 2020-01-01 to 2020-01-31: nothing to score"):
        detect(container.uow(), auditor, date(2020, 1, 1), date(2020, 1, 31), threshold=10,
               verify=lambda: _verify(container))
    with pytest.raises(ValidationFailed) as refused:
        detect(container.uow(), auditor, TODAY, TODAY - timedelta(days=1), threshold=0,
               verify=lambda: _verify(container))
    assert {e.location for e in refused.value.errors} == {"to", "threshold"}
    with container.uow().transaction() as tx:
        refusals = tx.audit.by_actor("auditora", action_prefix="workflow")
    assert len(refusals) == 3  # the unverified trail, the empty period, the bad request
