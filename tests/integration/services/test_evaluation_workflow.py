"""The trust-control workflow end to end through the services, on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from evaluation_support import OPERATOR, PASS, TODAY, World, build_world, failing

from confianza.app.bootstrap import Container
from confianza.certification.rules.coverage import AlertReason
from confianza.certification.rules.cup import CupComponent
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import appeals, certificates, coverage, decisions
from confianza.core.errors import Conflict
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import EvaluationKind, EvaluationStatus, ExamType
from confianza.vetting.rules.records import AppealStatus, SeparationStatus
from confianza.vetting.service import evaluations, exams

GROUNDS = "Positive toxicology for cocaine confirmed by the second sample in the lab."


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


def test_an_approved_evaluation_gives_validity_and_with_the_other_components_a_certificate(
    world: World,
) -> None:
    evaluation_id = world.request()
    requested = evaluations.get_evaluation(world.uow, world.hr, evaluation_id)
    assert requested.evaluation.status is EvaluationStatus.REQUESTED
    assert {e.exam_type for e in requested.exams} == set(ExamType)
    world.schedule(evaluation_id)
    world.record_all(evaluation_id)
    waiting = evaluations.get_evaluation(world.uow, world.decider, evaluation_id)
    assert waiting.evaluation.status is EvaluationStatus.AWAITING_DECISION
    assert waiting.evaluation.recommendation is not None
    assert waiting.evaluation.recommendation.value == "approve"
    assert waiting.results_visible and all(e.outcome for e in waiting.exams)

    decided = decisions.decide(world.uow, world.decider, evaluation_id, Verdict.APPROVED, "",
                               policy=world.container.policy, issuer=world.container.issuer)
    assert decided.evaluation.status is EvaluationStatus.APPROVED
    assert decided.evaluation.valid_until == date(2029, 11, 20)  # three years, basic scale

    view = certificates.officer_certification(world.uow, world.hr, world.officer_id)
    assert view.standing is not None and view.standing.approved_until == date(2029, 11, 20)
    assert view.current is None  # trust control alone is not a certificate
    on_list = coverage.alert_list(world.uow, world.hr).items
    assert [line.reasons for line in on_list] == [(AlertReason.NO_CERTIFICATE,)]

    certificates.record_component(world.uow, world.hr, world.officer_id, CupComponent.SKILLS,
                                  date(2026, 6, 1), score=88,
                                  policy=world.container.policy, issuer=world.container.issuer)
    certificates.record_component(world.uow, world.hr, world.officer_id,
                                  CupComponent.PERFORMANCE, date(2026, 3, 1), score=91,
                                  policy=world.container.policy, issuer=world.container.issuer)
    view = certificates.record_component(world.uow, world.hr, world.officer_id,
                                         CupComponent.INITIAL_TRAINING, date(2015, 1, 1),
                                         hours=972,
                                         policy=world.container.policy,
                                         issuer=world.container.issuer)
    assert view.current is not None
    assert view.current.valid_until == date(2029, 3, 1)  # the earliest component's end
    assert coverage.alert_list(world.uow, world.hr).items == []


def test_a_not_approved_decision_takes_effect_only_when_a_second_officer_confirms(
    world: World,
) -> None:
    evaluation_id = world.ready_for_decision({ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    proposed = decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED,
                                GROUNDS,
                                policy=world.container.policy, issuer=world.container.issuer)
    assert proposed.evaluation.status is EvaluationStatus.AWAITING_CONFIRMATION
    profile = officer_service.get_officer(world.uow, OPERATOR, world.officer_id)
    assert profile.officer.status is OfficerStatus.ACTIVE  # nothing happens on one word

    confirmed = decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                                  policy=world.container.policy, issuer=world.container.issuer)
    assert confirmed.evaluation.status is EvaluationStatus.NOT_APPROVED
    profile = officer_service.get_officer(world.uow, OPERATOR, world.officer_id)
    assert profile.officer.status is OfficerStatus.REMOVED_FROM_DUTY
    assert confirmed.separation is not None
    assert confirmed.separation.status is SeparationStatus.OPEN
    notices = appeals.list_notifications(world.uow, world.hr)
    assert [n.kind for n in notices] == ["not_approved"]
    assert "removed from operational duty" in notices[0].message

    # The agency may not simply put the officer back on duty.
    with pytest.raises(Conflict, match="only an appeal"):
        officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                      OfficerStatus.ACTIVE, "back to work")
    # Nor complete the separation while the officer may still appeal.
    with pytest.raises(Conflict, match="appeal may still be filed"):
        appeals.close_separation(world.uow, world.hr, confirmed.separation.id,
                                 "separated after the decision", policy=world.container.policy)


def test_the_confirmer_can_send_a_decision_back_with_reasons(world: World) -> None:
    evaluation_id = world.ready_for_decision({ExamType.MEDICAL: failing(ExamType.MEDICAL)})
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    back = decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=False,
                             note="The medical exam needs a second opinion first.",
                             policy=world.container.policy, issuer=world.container.issuer)
    assert back.evaluation.status is EvaluationStatus.AWAITING_DECISION
    assert back.evaluation.decided_by is None


def test_an_overturned_appeal_returns_the_officer_to_duty_and_withdraws_the_separation(
    world: World,
) -> None:
    evaluation_id = world.ready_for_decision(
        {ExamType.SOCIOECONOMIC: failing(ExamType.SOCIOECONOMIC)}
    )
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                      policy=world.container.policy, issuer=world.container.issuer)
    appeal = appeals.file_appeal(world.uow, world.hr, evaluation_id,
                                 "The declared debts were paid off; receipts are attached.",
                                 policy=world.container.policy)
    decided = appeals.decide_appeal(world.uow, world.appeals_officer, appeal.id,
                                    AppealStatus.OVERTURNED,
                                    "The receipts explain the difference in the declaration.",
                                    policy=world.container.policy, issuer=world.container.issuer)
    assert decided.status is AppealStatus.OVERTURNED
    profile = officer_service.get_officer(world.uow, OPERATOR, world.officer_id)
    assert profile.officer.status is OfficerStatus.ACTIVE
    view = evaluations.get_evaluation(world.uow, world.hr, evaluation_id)
    assert view.evaluation.status is EvaluationStatus.APPROVED
    assert view.separation is not None and view.separation.status is SeparationStatus.WITHDRAWN
    standing = certificates.officer_certification(world.uow, world.hr,
                                                  world.officer_id).standing
    assert standing is not None and standing.approved_until == date(2029, 11, 20)


def test_an_upheld_appeal_lets_the_separation_complete(world: World) -> None:
    evaluation_id = world.ready_for_decision(
        {ExamType.PSYCHOLOGICAL: failing(ExamType.PSYCHOLOGICAL)}
    )
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                      policy=world.container.policy, issuer=world.container.issuer)
    appeal = appeals.file_appeal(world.uow, world.hr, evaluation_id,
                                 "The officer disputes how the interview was conducted.",
                                 policy=world.container.policy)
    process = evaluations.get_evaluation(world.uow, world.hr, evaluation_id).separation
    assert process is not None
    with pytest.raises(Conflict, match="pending"):
        appeals.close_separation(world.uow, world.hr, process.id, "separated as decided",
                                 policy=world.container.policy)
    appeals.decide_appeal(world.uow, world.appeals_officer, appeal.id, AppealStatus.UPHELD,
                          "The interview followed the protocol; the result stands.",
                          policy=world.container.policy, issuer=world.container.issuer)
    appeals.close_separation(world.uow, world.hr, process.id, "separated as decided",
                             policy=world.container.policy)
    profile = officer_service.get_officer(world.uow, OPERATOR, world.officer_id)
    assert profile.officer.status is OfficerStatus.SEPARATED
    assert profile.current == []


def test_polygraph_alone_needs_recorded_grounds_to_not_approve(world: World) -> None:
    evaluation_id = world.ready_for_decision({ExamType.POLYGRAPH: failing(ExamType.POLYGRAPH)})
    view = evaluations.get_evaluation(world.uow, world.decider, evaluation_id)
    assert view.evaluation.recommendation is not None
    assert view.evaluation.recommendation.value == "needs_grounds"
    decided = decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED,
                               "Admitted in the interview to taking payments from a cartel.",
                               policy=world.container.policy, issuer=world.container.issuer)
    assert decided.evaluation.status is EvaluationStatus.AWAITING_CONFIRMATION


def test_the_examiner_sees_only_their_exams_and_nothing_of_the_others(world: World) -> None:
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    queue = exams.examiner_queue(world.uow, world.second_examiner)
    assert [(t.evaluation_id, t.exam.exam_type) for t in queue] == [
        (evaluation_id, ExamType.POLYGRAPH)
    ]
    world.record_all(evaluation_id)
    task = exams.get_exam(world.uow, world.second_examiner, evaluation_id, ExamType.POLYGRAPH)
    assert task.exam.outcome == "no_significant_reaction"
    assert not hasattr(task, "exams")  # the task carries one exam, never the battery
    assert exams.examiner_queue(world.uow, world.second_examiner) == []
    done = exams.examiner_queue(world.uow, world.second_examiner, pending=False)
    assert [t.exam.exam_type for t in done] == [ExamType.POLYGRAPH]
    hr_view = evaluations.get_evaluation(world.uow, world.hr, evaluation_id)
    assert not hr_view.results_visible
    assert all(e.outcome is None and e.result is None for e in hr_view.exams)


def test_a_special_evaluation_has_its_own_battery(world: World) -> None:
    evaluation_id = world.request(kind=EvaluationKind.SPECIAL,
                                  reason="Complaint 2026/118 alleges a bribe at a checkpoint.")
    view = evaluations.get_evaluation(world.uow, world.hr, evaluation_id)
    assert {e.exam_type for e in view.exams} == {
        ExamType.POLYGRAPH, ExamType.TOXICOLOGY, ExamType.SOCIOECONOMIC
    }


def test_attachments_are_kept_once_by_content_hash(world: World) -> None:
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    digest = exams.attach_file(world.uow, world.examiner, evaluation_id, ExamType.TOXICOLOGY,
                               "lab-report.pdf", "application/pdf", b"%PDF-1.7 report")
    assert len(digest) == 64
    media_type, content = exams.read_attachment(world.uow, world.examiner, evaluation_id,
                                                ExamType.TOXICOLOGY, digest)
    assert (media_type, content) == ("application/pdf", b"%PDF-1.7 report")
    with pytest.raises(Conflict, match="already attached"):
        exams.attach_file(world.uow, world.examiner, evaluation_id, ExamType.TOXICOLOGY,
                          "copy.pdf", "application/pdf", b"%PDF-1.7 report")


def test_reevaluation_list_holds_approvals_ending_within_six_months(
    world: World, container: Container
) -> None:
    evaluation_id = world.ready_for_decision()
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.APPROVED, "",
                     policy=container.policy, issuer=container.issuer)
    assert coverage.reevaluation_list(world.uow, world.hr, policy=container.policy).items == []
    clock = container.clock
    clock.advance(days=(date(2029, 6, 1) - TODAY).days)  # type: ignore[attr-defined]
    lines = coverage.reevaluation_list(world.uow, world.hr, policy=container.policy).items
    assert [(line.officer_id, line.approved_until) for line in lines] == [
        (world.officer_id, date(2029, 11, 20))
    ]
    rows = coverage.coverage(world.uow, world.decider)
    jalisco = next(r for r in rows if r.key == "14")
    assert (jalisco.officers, jalisco.approved, jalisco.never_evaluated) == (1, 1, 0)
    by_agency = coverage.coverage(world.uow, world.decider, by="agency",
                                  where=coverage.ListFilter(agency_id=world.agencies["JAL-GDL-PM"]))
    assert by_agency == []  # the filter narrows the figures, it is not only checked


def test_results_from_pass_fixtures_are_all_valid() -> None:
    from confianza.vetting.rules.exam_results import check_result

    for exam_type, fields in PASS.items():
        assert check_result(exam_type, fields).outcome


def test_an_applicant_is_registered_without_a_post_and_evaluated_for_new_entry(
    world: World,
) -> None:
    from confianza.kit.curp import build_curp
    from confianza.registry.rules.officers import Sex

    birth = date(2001, 2, 3)
    applicant = officer_service.NewOfficer(
        "Diego", "Ramos", "Luna", curp=build_curp("Ramos", "Luna", "Diego", birth, "H", "JC"),
        birth_date=birth, sex=Sex.MALE,
    )
    view = evaluations.request_applicant_evaluation(world.uow, world.hr, applicant,
                                                    world.agencies["JAL-SSP"], "Policía",
                                                    policy=world.container.policy)
    assert view.evaluation.kind is EvaluationKind.NEW_ENTRY
    # Held by the agency that asked: its HR can open the applicant's record.
    profile = officer_service.get_officer(world.uow, world.hr, view.officer.id)
    assert profile.current == []
    # Not on duty, so never on the alert list while being evaluated.
    assert all(line.officer_id != view.officer.id
               for line in coverage.alert_list(world.uow, world.hr).items)


def test_a_not_approved_officer_cannot_be_posted_anywhere_else(world: World) -> None:
    from confianza.registry.service import assignments

    evaluation_id = world.ready_for_decision({ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                      policy=world.container.policy, issuer=world.container.issuer)
    move = assignments.NewAssignment(world.agencies["NL-FC"], "Policía", TODAY,
                                     ChangeReason.TRANSFER)
    with pytest.raises(Conflict, match="was not approved"):
        assignments.add_assignment(world.uow, OPERATOR, world.officer_id, move)


def test_only_a_national_account_records_the_days_certificate_expiries(world: World) -> None:
    from confianza.core.errors import Forbidden

    with pytest.raises(Forbidden, match="outside your scope"):
        certificates.sweep_certificates(world.uow, world.hr)
    assert certificates.sweep_certificates(world.uow, OPERATOR) == 0
