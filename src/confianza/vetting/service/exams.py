"""Use cases of the examiner: the queue, one exam, its result and its files.

An examiner sees only the exams assigned to them, and of each evaluation only what the exam
needs: who is examined (identity, age, sex), for which agency and rank, when and where. Never
another exam's result, never the decision. The last result in integrates the evaluation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require, require_assigned
from confianza.certification.rules.decisions import integrate
from confianza.core.errors import (
    Conflict,
    FieldError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from confianza.registry.rules.officers import Officer
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.vetting.rules.evaluations import EvaluationKind, EvaluationStatus, ExamType
from confianza.vetting.rules.exam_results import check_notes, check_result
from confianza.vetting.rules.records import Evaluation, Exam, dump
from confianza.vetting.service.evaluations import evaluation_holder, load, officer_of
from confianza.work import Transaction, UnitOfWork

ATTACHMENT_MAX = 10 * 1024 * 1024
MEDIA_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "text/plain"})


@dataclass(frozen=True)
class ExamTask:
    """One exam as its examiner sees it."""

    exam: Exam
    evaluation_id: int
    kind: EvaluationKind
    evaluation_status: EvaluationStatus
    officer: Officer
    agency_name: str
    rank: str
    centre_name: str | None
    attachments: list[tuple[str, str, str, int]]


def _task(tx: Transaction, evaluation: Evaluation, exam: Exam) -> ExamTask:
    agency = tx.agencies.get(evaluation.agency_id)
    centre = tx.evaluations.centre_name(evaluation.centre_id) if evaluation.centre_id else None
    return ExamTask(
        exam, evaluation.id, evaluation.kind, evaluation.status, officer_of(tx, evaluation),
        agency.name if agency else "", evaluation.rank, centre,
        tx.evaluations.attachments(exam.id),
    )


def _exam(tx: Transaction, evaluation: Evaluation, exam_type: ExamType) -> Exam:
    exam = tx.evaluations.exam(evaluation.id, exam_type)
    if exam is None:
        raise NotFound(f"the {exam_type} exam is not in evaluation {evaluation.id}'s battery")
    return exam


def examiner_queue(uow: UnitOfWork, actor: Actor, *, pending: bool = True,
                   limit: int = 100) -> list[ExamTask]:
    """The exams assigned to the caller: still to give (by day), or the latest given."""
    with uow.transaction() as tx:
        require(actor, Permission.EXAM_RECORD, resource_type="evaluation_exam")
        if actor.user_id is None:
            return []
        exams = tx.evaluations.queue(actor.user_id, pending=pending, limit=limit)
        tasks = []
        for exam in exams:
            evaluation = load(tx, exam.evaluation_id)
            if pending and evaluation.status is not EvaluationStatus.SCHEDULED:
                continue  # withdrawn since it was booked
            tasks.append(_task(tx, evaluation, exam))
        tx.audit.record(actor, AuditAction.EVALUATION_QUEUE_READ, "evaluation_exam", None,
                        detail={"pending": pending, "results": [t.exam.id for t in tasks]})
        return tasks


def get_exam(uow: UnitOfWork, actor: Actor, evaluation_id: int, exam_type: ExamType) -> ExamTask:
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EXAM_READ, "evaluation", evaluation_id
    ):
        evaluation = load(tx, evaluation_id)
        exam = _exam(tx, evaluation, exam_type)
        require_assigned(actor, Permission.EXAM_RECORD, exam.examiner_id,
                         resource_type="evaluation_exam", resource_id=exam.id)
        tx.audit.record(actor, AuditAction.EXAM_READ, "evaluation_exam", exam.id,
                        detail={"evaluation_id": evaluation_id, "officer_id":
                                evaluation.officer_id})
        return _task(tx, evaluation, exam)


def record_exam(
    uow: UnitOfWork, actor: Actor, evaluation_id: int, exam_type: ExamType,
    fields: Mapping[str, Any], notes: str | None = None,
) -> ExamTask:
    """Record the result of one exam, once. When it is the last one, the evaluation is
    integrated and waits for a certification officer's decision."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EXAM_RECORD, "evaluation", evaluation_id
    ):
        evaluation = load(tx, evaluation_id, lock=True)
        exam = _exam(tx, evaluation, exam_type)
        require_assigned(actor, Permission.EXAM_RECORD, exam.examiner_id,
                         resource_type="evaluation_exam", resource_id=exam.id)
        if exam.recorded:
            raise Conflict(f"the {exam_type} exam of evaluation {evaluation_id} was recorded at "
                           f"{exam.recorded_at:%Y-%m-%d %H:%M}; a result is never overwritten",
                           code="already_recorded")
        if evaluation.status is not EvaluationStatus.SCHEDULED:
            raise InvalidTransition(f"evaluation {evaluation_id} is {evaluation.status}; results "
                                    "are recorded only while it is scheduled")
        if exam.scheduled_on is not None and exam.scheduled_on > tx.today:
            raise InvalidTransition(f"the exam is booked for {exam.scheduled_on.isoformat()}; "
                                    "it cannot be recorded before that day", code="exam_not_due")
        checked = check_result(exam_type, fields)
        try:
            kept_notes = check_notes(notes)
        except ValueError as exc:
            raise ValidationFailed(FieldError("notes", str(exc))) from None
        if not tx.evaluations.record_exam(exam.id, checked.outcome, checked.data, kept_notes,
                                          tx.now):
            raise Conflict(f"the {exam_type} exam was recorded by another request just now",
                           code="already_recorded")
        # The type, never the outcome: the trail will be public in pseudonymous form.
        tx.audit.record(actor, AuditAction.EXAM_RECORD, "evaluation_exam", exam.id,
                        detail={"evaluation_id": evaluation_id, "exam": exam_type.value})
        status = _integrate_when_complete(tx, actor, evaluation)
        # Built from what this transaction wrote, not read back: recording is the examiner's
        # most frequent act and every statement counts (benchmarks/record_exam.py).
        recorded = replace(exam, outcome=checked.outcome, result=checked.data,
                           notes=kept_notes, recorded_at=tx.now)
        return _task(tx, replace(evaluation, status=status), recorded)


def _integrate_when_complete(
    tx: Transaction, actor: Actor, evaluation: Evaluation
) -> EvaluationStatus:
    """Integrate the evaluation if every exam is in; returns its status afterwards."""
    exams = tx.evaluations.exams(evaluation.id)
    if not all(e.recorded for e in exams):
        return evaluation.status
    results = {e.exam_type: e.outcome or "" for e in exams}
    integration = integrate(frozenset(results), results)
    tx.evaluations.update(
        evaluation.id, EvaluationStatus.AWAITING_DECISION,
        recommendation=integration.recommendation,
        integration=_integration_json(integration.adverse, integration.reservations,
                                      integration.reasons),
    )
    tx.audit.record(actor, AuditAction.EVALUATION_INTEGRATE, "evaluation", evaluation.id,
                    detail={"exams": len(exams)})
    return EvaluationStatus.AWAITING_DECISION


def _integration_json(adverse: tuple[ExamType, ...], reservations: tuple[ExamType, ...],
                      reasons: tuple[str, ...]) -> str:
    return dump({"adverse": list(adverse), "reservations": list(reservations),
                 "reasons": list(reasons)})


def attach_file(
    uow: UnitOfWork, actor: Actor, evaluation_id: int, exam_type: ExamType, filename: str,
    media_type: str, content: bytes,
) -> str:
    """Keep a file of an exam (a lab report, a chart) by the SHA-256 of its content; returns
    the hash. The same file twice is kept once."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EXAM_ATTACH, "evaluation", evaluation_id
    ):
        evaluation = load(tx, evaluation_id, lock=True)
        exam = _exam(tx, evaluation, exam_type)
        require_assigned(actor, Permission.EXAM_RECORD, exam.examiner_id,
                         resource_type="evaluation_exam", resource_id=exam.id)
        if evaluation.status is not EvaluationStatus.SCHEDULED:
            raise InvalidTransition(f"evaluation {evaluation_id} is {evaluation.status}; files "
                                    "are added only while its exams are being given")
        name = filename.strip().replace("/", "_").replace("\\", "_")
        problems = []
        if not name or len(name) > 200:
            problems.append(FieldError("filename", "must be 1 to 200 characters"))
        if media_type not in MEDIA_TYPES:
            problems.append(FieldError("media_type", f"{media_type!r} is not accepted (one "
                                       "of: " + ", ".join(sorted(MEDIA_TYPES)) + ")"))
        if not content:
            problems.append(FieldError("file", "is empty"))
        if len(content) > ATTACHMENT_MAX:
            problems.append(FieldError("file", f"is larger than {ATTACHMENT_MAX // 2**20} MiB"))
        if problems:
            raise ValidationFailed(problems)
        digest = hashlib.sha256(content).hexdigest()
        tx.evaluations.add_attachment(digest, media_type, content, tx.now)
        if not tx.evaluations.link_attachment(exam.id, digest, name):
            raise Conflict(f"this file is already attached to the exam (sha256 {digest})",
                           code="already_attached")
        tx.audit.record(actor, AuditAction.EXAM_ATTACH, "evaluation_exam", exam.id,
                        detail={"sha256": digest, "size": len(content)})
        return digest


def read_attachment(
    uow: UnitOfWork, actor: Actor, evaluation_id: int, exam_type: ExamType, sha256: str
) -> tuple[str, bytes]:
    """A file of an exam: for its examiner, or for whoever reads the results."""
    with uow.transaction() as tx:
        evaluation = load(tx, evaluation_id)
        exam = _exam(tx, evaluation, exam_type)
        if actor.has(Permission.EVALUATION_RESULTS_READ):
            require(actor, Permission.EVALUATION_RESULTS_READ, evaluation_holder(tx, evaluation),
                    resource_type="evaluation", resource_id=evaluation_id)
        else:
            require_assigned(actor, Permission.EXAM_RECORD, exam.examiner_id,
                             resource_type="evaluation_exam", resource_id=exam.id)
        found = tx.evaluations.attachment_content(exam.id, sha256)
        if found is None:
            raise NotFound(f"exam {exam.id} has no file {sha256}")
        tx.audit.record(actor, AuditAction.EXAM_READ, "evaluation_exam", exam.id,
                        detail={"sha256": sha256})
        return found
