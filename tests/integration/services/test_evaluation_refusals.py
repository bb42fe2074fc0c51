"""Issue 3's bad input: each step refused with its reason, and nothing written but the audit
entry of the refused attempt (every other table is compared row by row)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from evaluation_support import OPERATOR, PASS, World, build_world, failing
from sqlalchemy import text

from confianza.app.bootstrap import Container
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import appeals, decisions
from confianza.core.db.models import Base
from confianza.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import EvaluationKind, ExamType
from confianza.vetting.service import exams

GROUNDS = "Positive toxicology for cocaine confirmed by the second sample in the lab."


def snapshot(container: Container) -> tuple[dict[str, list[tuple[Any, ...]]], int]:
    """Every row of every table but the trail, and the trail's length."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with container.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in ("audit_entries", "sessions", "log_state"):  # the trail's own
                continue
            rows[table.name] = sorted(
                (tuple(r) for r in connection.execute(table.select())), key=repr
            )
        count = connection.execute(text("SELECT count(*) FROM audit_entries")).scalar_one()
    return rows, int(count)


def refused(container: Container, attempt: Callable[[], object],
            error: type[DomainError], match: str) -> dict[str, Any]:
    """Run the attempt, expect the refusal, and return the one audit entry it wrote."""
    before, entries = snapshot(container)
    with pytest.raises(error, match=match):
        attempt()
    after, entries_after = snapshot(container)
    assert after == before, "a refused step changed the registry"
    assert entries_after == entries + 1, "a refused step must write exactly one audit entry"
    with container.engine.connect() as connection:
        action, detail = connection.execute(
            text("SELECT action, detail FROM audit_entries ORDER BY id DESC LIMIT 1")
        ).one()
    return {"action": action, "detail": detail}


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


def test_a_result_for_an_exam_not_in_the_battery(world: World) -> None:
    evaluation_id = world.request(kind=EvaluationKind.SPECIAL,
                                  reason="Complaint 2026/118 alleges a bribe at a checkpoint.")
    world.schedule(evaluation_id)
    entry = refused(world.container, lambda: exams.record_exam(
        world.uow, world.examiner, evaluation_id, ExamType.MEDICAL, PASS[ExamType.MEDICAL]),
        NotFound, "not in evaluation .* battery")
    assert entry["action"] == "workflow:request:refused"


def test_an_examiner_recording_an_exam_not_assigned_to_them(world: World) -> None:
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    entry = refused(world.container, lambda: exams.record_exam(
        world.uow, world.examiner, evaluation_id, ExamType.POLYGRAPH,
        PASS[ExamType.POLYGRAPH]), Forbidden, "not assigned to you")
    assert entry["action"] == "authz:permission:denied"


def test_a_decision_before_all_exams_are_in(world: World) -> None:
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    exams.record_exam(world.uow, world.examiner, evaluation_id, ExamType.MEDICAL,
                      PASS[ExamType.MEDICAL])
    entry = refused(world.container, lambda: decisions.decide(
        world.uow, world.decider, evaluation_id, Verdict.APPROVED, "",
                                                              policy=world.container.policy,
                                                              issuer=world.container.issuer),
        InvalidTransition, "missing: polygraph, psychological, socioeconomic, toxicology")
    assert '"attempted":"evaluation:decision:create"' in entry["detail"]


def test_an_examiner_deciding_an_evaluation_they_examined(world: World) -> None:
    evaluation_id = world.ready_for_decision()
    refused(world.container, lambda: decisions.decide(
        world.uow, world.examiner, evaluation_id, Verdict.APPROVED, "",
                                                      policy=world.container.policy,
                                                      issuer=world.container.issuer),
        Forbidden, "does not allow evaluation:decision:write")


def test_the_same_person_deciding_and_confirming(world: World) -> None:
    evaluation_id = world.ready_for_decision({ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    refused(world.container, lambda: decisions.confirm(
        world.uow, world.decider, evaluation_id, agree=True,
                                                       policy=world.container.policy,
                                                       issuer=world.container.issuer),
        ValidationFailed, "may not also confirm")


def test_a_decision_about_a_separated_officer(world: World) -> None:
    evaluation_id = world.ready_for_decision()
    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SEPARATED, "resigned on 19 November")
    refused(world.container, lambda: decisions.decide(
        world.uow, world.decider, evaluation_id, Verdict.APPROVED, "",
                                                      policy=world.container.policy,
                                                      issuer=world.container.issuer),
        Conflict, "is separated")


def test_an_appeal_after_its_deadline(world: World, container: Container) -> None:
    evaluation_id = world.ready_for_decision({ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=container.policy, issuer=container.issuer)
    decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                      policy=container.policy, issuer=container.issuer)
    container.clock.advance(days=16)  # type: ignore[attr-defined]
    refused(container, lambda: appeals.file_appeal(
        world.uow, world.hr, evaluation_id, "The laboratory mixed up two samples that day.",
                                                   policy=container.policy),
        Conflict, "appeal period ended on 2026-12-05")


def test_double_submits_are_refused_by_state(world: World) -> None:
    evaluation_id = world.request()
    refused(world.container, world.request, Conflict, "already has evaluation .* under way")
    world.schedule(evaluation_id)
    exams.record_exam(world.uow, world.examiner, evaluation_id, ExamType.MEDICAL,
                      PASS[ExamType.MEDICAL])
    refused(world.container, lambda: exams.record_exam(
        world.uow, world.examiner, evaluation_id, ExamType.MEDICAL, PASS[ExamType.MEDICAL]),
        Conflict, "never overwritten")
    for exam_type in (ExamType.POLYGRAPH, ExamType.PSYCHOLOGICAL, ExamType.SOCIOECONOMIC,
                      ExamType.TOXICOLOGY):
        exams.record_exam(world.uow, world.examiner_for(exam_type), evaluation_id, exam_type,
                          PASS[exam_type])
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.APPROVED, "",
                     policy=world.container.policy, issuer=world.container.issuer)
    refused(world.container, lambda: decisions.decide(
        world.uow, world.decider, evaluation_id, Verdict.APPROVED, "",
                                                      policy=world.container.policy,
                                                      issuer=world.container.issuer),
        InvalidTransition, "already decided")


def test_a_bad_result_names_every_field_and_writes_nothing(world: World) -> None:
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    entry = refused(world.container, lambda: exams.record_exam(
        world.uow, world.examiner, evaluation_id, ExamType.SOCIOECONOMIC,
        {"declared_income": "lots", "assets": -5, "outcome": "fine"}),
        ValidationFailed, "result.declared_income")
    assert "lots" not in entry["detail"]  # the trail names fields, never typed values
    assert "result.household_size" in entry["detail"]
