"""Refused trust-control steps over HTTP: each is a problem document saying why, and leaves
nothing behind but the one audit entry of the attempt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from api_support import assert_problem, client, error_locations
from trust_api_support import (
    APPEAL,
    GROUNDS,
    OPERATOR,
    PASS,
    V1,
    World,
    audit_mark,
    build_world,
    entries_since,
    failing,
    snapshot,
    tokens,
)

from confianza.app.bootstrap import Container
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import decisions
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction
from confianza.vetting.rules.evaluations import EvaluationKind, ExamType
from confianza.vetting.service import exams

REFUSED = AuditAction.REQUEST_REFUSED.value
DENIED = AuditAction.ACCESS_DENIED.value


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


def refused_alone(world: World, attempt: Callable[[], httpx.Response], status: int,
                  action: str, *fragments: str) -> dict[str, Any]:
    """Run the attempt; it must be refused as said, change no workflow row, and add exactly
    one audit entry, of the refusal."""
    before, mark = snapshot(world.container), audit_mark(world.container)
    body = assert_problem(attempt(), status, *fragments)
    assert snapshot(world.container) == before
    added = entries_since(world.container, mark)
    assert [e.action for e in added] == [action], added
    return body


def not_approved(world: World) -> int:
    evaluation_id = world.ready_for_decision({ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)})
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                      policy=world.container.policy, issuer=world.container.issuer)
    return evaluation_id


def test_a_result_for_an_exam_not_in_the_battery_is_a_404(world: World) -> None:
    http = client(world.container)
    (examiner,) = tokens(world.container, world.examiner)
    evaluation_id = world.request(kind=EvaluationKind.SPECIAL,
                                  reason="Complaint 2026/118 alleges a bribe at a checkpoint.")
    world.schedule(evaluation_id)
    refused_alone(world, lambda: http.post(
        f"{V1}/evaluations/{evaluation_id}/exams/medical/result", headers=examiner,
        json={"result": PASS[ExamType.MEDICAL]},
    ), 404, REFUSED, "the medical exam is not in evaluation", "battery")


def test_an_examiner_may_not_record_an_exam_assigned_to_another(world: World) -> None:
    http = client(world.container)
    (polygraphist,) = tokens(world.container, world.second_examiner)
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    for path, kwargs in (
        ("result", {"json": {"result": PASS[ExamType.TOXICOLOGY]}}),
        ("attachments", {"files": {"file": ("a.txt", b"notes", "text/plain")}}),
    ):
        refused_alone(world, lambda p=path, k=kwargs: http.post(
            f"{V1}/evaluations/{evaluation_id}/exams/toxicology/{p}", headers=polygraphist,
            **k,
        ), 403, DENIED, "not assigned to you")
    refused_alone(world, lambda: http.get(
        f"{V1}/evaluations/{evaluation_id}/exams/toxicology", headers=polygraphist,
    ), 403, DENIED, "not assigned to you")


def test_no_decision_before_every_exam_is_in(world: World) -> None:
    http = client(world.container)
    (decider,) = tokens(world.container, world.decider)
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    exams.record_exam(world.uow, world.examiner, evaluation_id, ExamType.MEDICAL,
                      PASS[ExamType.MEDICAL])
    body = refused_alone(world, lambda: http.post(
        f"{V1}/evaluations/{evaluation_id}/decision", headers=decider,
        json={"verdict": "approved"},
    ), 409, REFUSED, "before every exam is in", "polygraph")
    assert body["code"] == "exams_missing"  # a stable name clients may branch on


def test_an_examiner_may_not_decide(world: World) -> None:
    http = client(world.container)
    (examiner,) = tokens(world.container, world.examiner)
    evaluation_id = world.ready_for_decision()
    refused_alone(world, lambda: http.post(
        f"{V1}/evaluations/{evaluation_id}/decision", headers=examiner,
        json={"verdict": "approved"},
    ), 403, DENIED, "does not allow evaluation:decision:write")


def test_who_decided_may_not_confirm(world: World) -> None:
    http = client(world.container)
    (decider,) = tokens(world.container, world.decider)
    evaluation_id = world.ready_for_decision({ExamType.MEDICAL: failing(ExamType.MEDICAL)})
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    body = refused_alone(world, lambda: http.post(
        f"{V1}/evaluations/{evaluation_id}/confirmation", headers=decider,
        json={"agree": True},
    ), 422, REFUSED, "may not also confirm")
    assert "confirmer" in error_locations(body)


def test_no_decision_about_a_separated_officer(world: World) -> None:
    http = client(world.container)
    (decider,) = tokens(world.container, world.decider)
    evaluation_id = world.ready_for_decision()
    officer_service.change_status(world.uow, OPERATOR, world.officer_id,
                                  OfficerStatus.SEPARATED, "Resigned before the decision")
    refused_alone(world, lambda: http.post(
        f"{V1}/evaluations/{evaluation_id}/decision", headers=decider,
        json={"verdict": "approved"},
    ), 409, REFUSED, "is separated", "no decision can be taken")


def test_no_appeal_after_its_deadline(world: World, container: Container) -> None:
    http = client(world.container)
    (hr,) = tokens(world.container, world.hr)
    evaluation_id = not_approved(world)
    container.clock.advance(days=16)  # type: ignore[attr-defined]
    refused_alone(world, lambda: http.post(
        f"{V1}/evaluations/{evaluation_id}/appeal", headers=hr, json={"grounds": APPEAL},
    ), 409, REFUSED, "the appeal period ended on 2026-12-05")


def test_the_same_result_form_submitted_twice_is_kept_once(world: World) -> None:
    http = client(world.container)
    (examiner,) = tokens(world.container, world.examiner)
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    url = f"{V1}/evaluations/{evaluation_id}/exams/medical/result"
    form = {"result": PASS[ExamType.MEDICAL], "notes": "Blood pressure normal."}
    assert http.post(url, headers=examiner, json=form).status_code == 200
    refused_alone(world, lambda: http.post(url, headers=examiner, json=form), 409, REFUSED,
                  "a result is never overwritten")


def test_the_same_decision_submitted_twice_is_taken_once(world: World) -> None:
    http = client(world.container)
    (decider,) = tokens(world.container, world.decider)
    evaluation_id = world.ready_for_decision()
    url = f"{V1}/evaluations/{evaluation_id}/decision"
    assert http.post(url, headers=decider, json={"verdict": "approved"}).status_code == 200
    refused_alone(world, lambda: http.post(url, headers=decider, json={"verdict": "approved"}),
                  409, REFUSED, "already decided")


def test_the_same_request_submitted_twice_opens_one_evaluation(world: World) -> None:
    http = client(world.container)
    (hr,) = tokens(world.container, world.hr)
    body = {"officer_id": world.officer_id, "agency_id": world.agencies["JAL-SSP"],
            "kind": "permanence"}
    first = http.post(f"{V1}/evaluations", headers=hr, json=body)
    assert first.status_code == 201
    refused_alone(world, lambda: http.post(f"{V1}/evaluations", headers=hr, json=body), 409,
                  REFUSED, f"already has evaluation {first.json()['id']} under way")


def test_the_same_appeal_filed_twice_is_kept_once(world: World) -> None:
    http = client(world.container)
    (hr,) = tokens(world.container, world.hr)
    evaluation_id = not_approved(world)
    url = f"{V1}/evaluations/{evaluation_id}/appeal"
    assert http.post(url, headers=hr, json={"grounds": APPEAL}).status_code == 201
    refused_alone(world, lambda: http.post(url, headers=hr, json={"grounds": APPEAL}), 409,
                  REFUSED, "was already appealed")


@pytest.mark.parametrize(
    ("path", "role", "body", "location", "words"),
    [
        ("decision", "decider", {"verdict": "maybe"}, "body.verdict", "approved"),
        ("decision", "decider", {"verdict": "approved", "grounds": 7}, "body.grounds",
         "valid string"),
        ("decision", "decider", {"verdict": "approved", "by": "me"}, "body.by", "Extra"),
        ("confirmation", "confirmer", {"agree": "yes"}, "body.agree", "valid boolean"),
        ("confirmation", "confirmer", {}, "body.agree", "Field required"),
        ("exams/medical/result", "examiner", {"result": "fit"}, "body.result",
         "valid dictionary"),
        ("exams/medical/result", "examiner", {"result": {"outcome": "fit"}, "notes": 5},
         "body.notes", "valid string"),
        ("exams/medical/result", "examiner", {"result": {"outcome": "fine"}},
         "result.outcome", "'fine' is not an outcome of the medical exam"),
        ("exams/dentistry/result", "examiner", {"result": {"outcome": "fit"}},
         "path.exam_type", "'dentistry' is not an exam type"),
        ("schedule", "coordinator", {"centre_id": "first", "exams": {}}, "body.centre_id",
         "valid integer"),
        ("schedule", "coordinator", {"centre_id": 1, "exams": {"dentistry": {
            "examiner_id": 1, "day": "2026-11-20"}}}, "body.exams.dentistry.[key]",
         "toxicology"),
        ("schedule", "coordinator", {"centre_id": 1, "exams": {"medical": {
            "examiner_id": 1, "day": "20/11/2026"}}}, "body.exams.medical.day", "date"),
        ("appeal", "hr", {"grounds": ["a", "b"]}, "body.grounds", "valid string"),
    ],
)
def test_malformed_bodies_are_a_422_naming_the_field(
    world: World, path: str, role: str, body: dict[str, Any], location: str, words: str,
) -> None:
    http = client(world.container)
    (headers,) = tokens(world.container, getattr(world, role))
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    before = snapshot(world.container)
    response = http.post(f"{V1}/evaluations/{evaluation_id}/{path}", headers=headers,
                         json=body)
    problem = assert_problem(response, 422, words)
    assert location in error_locations(problem), problem
    assert snapshot(world.container) == before


def test_a_malformed_request_names_each_fault(world: World) -> None:
    http = client(world.container)
    (hr,) = tokens(world.container, world.hr)
    response = http.post(f"{V1}/evaluations", headers=hr, json={
        "officer_id": "seven", "agency_id": world.agencies["JAL-SSP"], "kind": "annual",
        "sensitive_access": "sometimes"})
    problem = assert_problem(response, 422)
    assert error_locations(problem) == {"body.officer_id", "body.kind",
                                        "body.sensitive_access"}
    # A special evaluation without its reason is refused by the service, naming the field.
    special = http.post(f"{V1}/evaluations", headers=hr, json={
        "officer_id": world.officer_id, "agency_id": world.agencies["JAL-SSP"],
        "kind": "special"})
    assert "reason" in error_locations(assert_problem(special, 422, "reason"))


def test_an_oversized_or_foreign_file_is_refused(world: World) -> None:
    http = client(world.container)
    (examiner,) = tokens(world.container, world.examiner)
    evaluation_id = world.request()
    world.schedule(evaluation_id)
    url = f"{V1}/evaluations/{evaluation_id}/exams/medical/attachments"
    body = refused_alone(world, lambda: http.post(url, headers=examiner, files={
        "file": ("run.sh", b"#!/bin/sh\nrm -rf /", "application/x-sh")}),
        422, REFUSED, "media_type")
    assert "media_type" in error_locations(body)
    refused_alone(world, lambda: http.post(url, headers=examiner, files={
        "file": ("big.txt", b"x" * (exams.ATTACHMENT_MAX + 1), "text/plain")}),
        422, REFUSED, "larger than 10 MiB")
    missing = http.post(url, headers=examiner, data={"other": "x"})
    assert "body.file" in error_locations(assert_problem(missing, 422))
