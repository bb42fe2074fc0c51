"""Bodies of the examiner's routes: one exam as its examiner sees it, its result, its files.

An examiner's task carries the one exam assigned to them and what it needs of the evaluation
(who is examined, for which agency and rank, where): never another exam, never the decision.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from confianza.core.web.schemas import Input, Instant, Output
from confianza.registry.rules.officers import Sex
from confianza.vetting.rules.evaluations import EvaluationKind, EvaluationStatus, ExamType
from confianza.vetting.rules.exam_results import NOTES_MAX
from confianza.vetting.service.exams import ExamTask


class ResultIn(Input):
    result: dict[str, Any] = Field(
        max_length=50,
        description="The exam's result fields (see the result form of each exam type).",
        examples=[{"outcome": "fit"}],
    )
    notes: str | None = Field(None, max_length=NOTES_MAX)


class ExaminedOut(Output):
    """Who is examined: identity, birth date (age) and sex, nothing more."""

    id: int
    full_name: str
    curp: str | None
    birth_date: date | None
    birth_year: int | None
    sex: Sex | None


class AttachmentOut(Output):
    sha256: str
    filename: str
    media_type: str
    size: int


class OwnExamOut(Output):
    exam_type: ExamType
    scheduled_on: date | None
    recorded_at: Instant | None
    outcome: str | None
    result: dict[str, Any] | None
    notes: str | None


class ExamTaskOut(Output):
    evaluation_id: int
    kind: EvaluationKind
    evaluation_status: EvaluationStatus
    exam: OwnExamOut
    officer: ExaminedOut
    agency_name: str
    rank: str
    centre_name: str | None
    attachments: list[AttachmentOut]

    @classmethod
    def of(cls, t: ExamTask) -> ExamTaskOut:
        """The task as it is, its attachments (kept as tuples) named field by field."""
        return cls.of_record(t, attachments=[
            AttachmentOut(sha256=s, filename=f, media_type=m, size=n)
            for s, f, m, n in t.attachments])


class ExamQueue(Output):
    items: list[ExamTaskOut]


class AttachedOut(Output):
    sha256: str
    filename: str
    media_type: str
    size: int
    url: str
