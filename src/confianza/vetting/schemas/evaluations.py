"""Request and response bodies of the trust-control routes: requests, scheduling, the read of
an evaluation, decisions and appeals.

What a reader may see is decided by the services (`EvaluationView.results_visible`); these
models keep to it: exam outcomes, results, notes, the integration and the grounds of a decision
are filled in only for a reader entitled to results, and are null for everyone else.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, StrictBool

from confianza.certification.rules.decisions import Recommendation, Verdict
from confianza.core.errors import FieldError, ValidationFailed
from confianza.core.web.schemas import Input, Instant, Output, fields_of
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.schemas.officers import OfficerIn
from confianza.vetting.rules.evaluations import (
    EvaluationKind,
    EvaluationStatus,
    ExamType,
    RankLevel,
)
from confianza.vetting.rules.records import (
    Appeal,
    AppealStatus,
    Exam,
    Notification,
    SeparationProcess,
)
from confianza.vetting.service import evaluations as evaluation_service
from confianza.vetting.service.evaluations import EvaluationLine, EvaluationView

EXAM_TYPES = [t.value for t in ExamType]


def parse_exam_type(value: str, location: str = "path.exam_type") -> ExamType:
    """The exam type a path names; a 422 naming the value and the allowed ones otherwise."""
    try:
        return ExamType(value)
    except ValueError:
        raise ValidationFailed(FieldError(
            location, f"{value!r} is not an exam type (one of: {', '.join(EXAM_TYPES)})"
        )) from None


# --- requests -------------------------------------------------------------------------------


class EvaluationIn(Input):
    officer_id: int = Field(ge=1)
    agency_id: int = Field(ge=1, description="The agency asking (the officer's, or the one "
                           "an applicant would join).")
    kind: EvaluationKind
    sensitive_access: StrictBool = False
    rank: str | None = Field(None, max_length=80, description="Rank sought (promotion) or to "
                             "be held (new entry); the current one when omitted.")
    reason: str | None = Field(None, max_length=2000,
                               description="Why a special evaluation is asked for.")

    def to_domain(self) -> evaluation_service.EvaluationRequest:
        return evaluation_service.EvaluationRequest(
            self.officer_id, self.agency_id, self.kind, self.sensitive_access, self.rank,
            self.reason,
        )


class ApplicantEvaluationIn(Input):
    """A new-entry evaluation of someone not yet in the force, registered with it (no post)."""

    applicant: OfficerIn
    agency_id: int = Field(ge=1, description="The agency the applicant would join.")
    rank: str = Field(min_length=1, max_length=80, description="The rank they would enter at.")
    sensitive_access: StrictBool = False


class BookingIn(Input):
    examiner_id: int = Field(ge=1)
    day: date


class ScheduleIn(Input):
    centre_id: int = Field(ge=1)
    exams: dict[ExamType, BookingIn] = Field(
        max_length=len(ExamType),
        description="For each exam still to give, its examiner and day.",
        examples=[{"toxicology": {"examiner_id": 12, "day": "2026-11-20"}}],
    )

    def to_domain(self) -> dict[ExamType, evaluation_service.ExamBooking]:
        return {t: evaluation_service.ExamBooking(b.examiner_id, b.day)
                for t, b in self.exams.items()}


class CancelIn(Input):
    reason: str = Field(min_length=1, max_length=2000)


class DecisionIn(Input):
    verdict: Verdict
    grounds: str = Field("", max_length=4000, description="Required to not approve, and when "
                         "only the polygraph is adverse.")


class ConfirmationIn(Input):
    agree: StrictBool = Field(description="true confirms the not-approved decision (it takes "
                              "effect at once); false sends it back to be decided again.")
    note: str = Field("", max_length=2000, description="Why it goes back (when agree is "
                      "false).")


class AppealIn(Input):
    grounds: str = Field(min_length=1, max_length=4000)


class AppealDecisionIn(Input):
    outcome: Literal["upheld", "overturned"]
    resolution: str = Field(min_length=1, max_length=4000)

    @property
    def status(self) -> AppealStatus:
        return AppealStatus(self.outcome)


class CloseSeparationIn(Input):
    note: str = Field(min_length=1, max_length=2000, description="How the process ended.")


# --- responses ------------------------------------------------------------------------------


class PersonOut(Output):
    id: int
    name: str | None


def _person(user_id: int | None, people: dict[int, str]) -> PersonOut | None:
    return None if user_id is None else PersonOut(id=user_id, name=people.get(user_id))


class OfficerRef(Output):
    id: int
    full_name: str
    curp: str | None
    status: OfficerStatus


class NamedRef(Output):
    id: int
    code: str
    name: str


# What only a reader of results sees, shown as null to everyone else.
_HIDDEN_EXAM = dict.fromkeys(("outcome", "result", "notes"))
_HIDDEN_EVALUATION = dict.fromkeys(("recommendation", "integration", "grounds"))


class ExamOut(Output):
    exam_type: ExamType
    examiner: PersonOut | None
    scheduled_on: date | None
    recorded: bool
    recorded_at: Instant | None
    outcome: str | None = Field(description="Only for readers of results.")
    result: dict[str, Any] | None = Field(description="Only for readers of results.")
    notes: str | None = Field(description="Only for readers of results.")

    @classmethod
    def of(cls, e: Exam, people: dict[int, str], results: bool) -> ExamOut:
        """The exam with its examiner named, and its findings only for readers of results."""
        return cls.of_record(e, examiner=_person(e.examiner_id, people),
                             **({} if results else _HIDDEN_EXAM))


class AppealOut(Output):
    # The appeal as recorded: the fields of vetting.rules.records.Appeal, declared there.
    __annotations__ = fields_of(Appeal)


class AppealPage(Output):
    items: list[AppealOut]
    next_cursor: str | None


class SeparationOut(Output):
    # The process as recorded: the fields of vetting.rules.records.SeparationProcess.
    __annotations__ = fields_of(SeparationProcess)


class SeparationList(Output):
    items: list[SeparationOut]


class NotificationOut(Output):
    # The notification as recorded: the fields of vetting.rules.records.Notification.
    __annotations__ = fields_of(Notification)


class NotificationList(Output):
    items: list[NotificationOut]


class EvaluationSummary(Output):
    """An evaluation without its exams: kind, state, verdict and validity."""

    id: int
    officer_id: int
    agency_id: int
    kind: EvaluationKind
    rank: str
    status: EvaluationStatus
    centre_id: int | None
    requested_at: Instant
    verdict: Verdict | None
    decided_on: date | None
    confirmed_on: date | None
    valid_until: date | None
    closed_at: Instant | None


class EvaluationList(Output):
    items: list[EvaluationSummary]


class EvaluationLineOut(EvaluationSummary):
    officer_name: str
    agency_code: str

    @classmethod
    def of_line(cls, line: EvaluationLine) -> EvaluationLineOut:
        """The evaluation's summary with the names the list line carries beside it."""
        return cls.of_record(line.evaluation, officer_name=line.officer_name,
                             agency_code=line.agency_code)


class EvaluationPage(Output):
    items: list[EvaluationLineOut]
    next_cursor: str | None


class EvaluationOut(Output):
    """One evaluation as the caller may see it."""

    id: int
    officer: OfficerRef
    agency: NamedRef
    centre: NamedRef | None
    kind: EvaluationKind
    rank: str
    rank_level: RankLevel
    sensitive_access: bool
    reason: str | None
    status: EvaluationStatus
    requested_by: str
    requested_at: Instant
    results_visible: bool = Field(description="Whether outcomes, results, notes, the "
                                  "integration and the grounds are shown to this caller.")
    recommendation: Recommendation | None
    integration: dict[str, Any] | None
    verdict: Verdict | None
    decided_by: PersonOut | None
    decided_on: date | None
    grounds: str | None
    confirmed_by: PersonOut | None
    confirmed_on: date | None
    valid_until: date | None
    closed_at: Instant | None
    exams: list[ExamOut]
    appeal: AppealOut | None
    separation: SeparationOut | None

    @classmethod
    def of(cls, v: EvaluationView) -> EvaluationOut:
        """The evaluation's own fields, with its officer, agency, centre, exams and what
        followed nested, people named, and what only readers of results see hidden."""
        e, people, results = v.evaluation, v.people, v.results_visible
        return cls.of_record(
            e, officer=v.officer, agency=v.agency, centre=v.centre, results_visible=results,
            decided_by=_person(e.decided_by, people),
            confirmed_by=_person(e.confirmed_by, people),
            exams=[ExamOut.of(x, people, results) for x in v.exams], appeal=v.appeal,
            separation=v.separation, **({} if results else _HIDDEN_EVALUATION),
        )


class Cancelled(Output):
    id: int
    status: EvaluationStatus


class Done(Output):
    id: int
