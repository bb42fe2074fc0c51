"""Bodies of the centre routes and of the certification routes (standing, CUP, the lists an
agency and the nation act on)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from confianza.certification.rules.coverage import (
    AlertReason,
    ReevaluationLine,
)
from confianza.certification.rules.cup import CupComponent
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service.certificates import CertificationView
from confianza.core.web.schemas import Input, Output, fields_of
from confianza.dashboard.schemas import FiguresOut, Share
from confianza.registry.schemas.agencies import STATE_CODE
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.rules.records import (
    Centre,
    Examiner,
)
from confianza.vetting.service.centres import CAPACITY_MAX, CentreDetail

# --- centres --------------------------------------------------------------------------------

Capacity = dict[ExamType, int]


class CentreIn(Input):
    code: str = Field(min_length=2, max_length=40, examples=["C3-JAL"])
    name: str = Field(min_length=3, max_length=200)
    state_code: str | None = Field(None, pattern=STATE_CODE,
                                   description="INEGI state; none for a federal centre.")
    capacity: Capacity = Field(default_factory=dict, max_length=len(ExamType),
                               description=f"Exams a day per type, 0 to {CAPACITY_MAX:,}.")


class CapacityIn(Input):
    capacity: Capacity = Field(min_length=1, max_length=len(ExamType))


class QualificationsIn(Input):
    qualifications: list[ExamType] = Field(max_length=len(ExamType),
                                           description="The exam types the examiner gives.")


class CentreOut(Output):
    id: int
    code: str
    name: str
    state_code: str | None
    active: bool
    capacity: Capacity

    @classmethod
    def of(cls, c: Centre) -> CentreOut:
        """The centre with its capacity in exam-type order."""
        return cls.of_record(c, capacity=dict(sorted(c.capacity.items())))


class ExaminerOut(Output):
    user_id: int
    username: str
    display_name: str
    centre_id: int
    qualifications: list[ExamType]

    @classmethod
    def of(cls, e: Examiner) -> ExaminerOut:
        """The examiner with the set of their qualifications as a sorted list."""
        return cls.of_record(e, qualifications=sorted(e.qualifications))


class CentreDetailOut(CentreOut):
    examiners: list[ExaminerOut]

    @classmethod
    def of_detail(cls, d: CentreDetail) -> CentreDetailOut:
        """The centre as `CentreOut` shows it, with its examiners."""
        return cls.of_record(CentreOut.of(d.centre),
                             examiners=[ExaminerOut.of(e) for e in d.examiners])


class CentreList(Output):
    items: list[CentreOut]


# --- an officer's certification -------------------------------------------------------------


class ComponentIn(Input):
    component: CupComponent
    completed_on: date
    hours: int | None = Field(None, ge=0, le=100_000,
                              description="Initial training only: the hours completed.")
    score: int | None = Field(None, ge=0, le=100)


class StandingOut(Output):
    last_evaluation_id: int | None
    last_verdict: Verdict | None
    last_decided_on: date | None
    approved_until: date | None
    cup_until: date | None


class ComponentOut(Output):
    id: int
    component: CupComponent
    completed_on: date
    valid_until: date | None
    hours: int | None
    score: int | None
    evaluation_id: int | None
    recorded_by: str


class CertificateOut(Output):
    id: int
    number: str
    issued_on: date
    valid_until: date
    ended_on: date | None
    end_reason: str | None


class CertificationOut(Output):
    officer_id: int
    standing: StandingOut | None
    components: list[ComponentOut] = Field(description="Newest first.")
    certificates: list[CertificateOut]
    current_certificate: CertificateOut | None

    @classmethod
    def of(cls, v: CertificationView) -> CertificationOut:
        """The view as it is, its current certificate under the name the API gives it."""
        return cls.of_record(v, current_certificate=v.current)


# --- lists and figures ----------------------------------------------------------------------


class AlertOut(Output):
    officer_id: int
    name: str
    curp: str | None
    agency_id: int
    agency_code: str
    state_code: str | None
    rank: str
    approved_until: date | None
    cup_until: date | None
    reasons: list[AlertReason]


class AlertPage(Output):
    items: list[AlertOut]
    next_cursor: str | None


class ReevaluationOut(Output):
    # The line as the list gives it: the fields of certification.rules.coverage.ReevaluationLine.
    __annotations__ = fields_of(ReevaluationLine)


class ReevaluationPage(Output):
    items: list[ReevaluationOut]
    next_cursor: str | None


class _Group(Output):
    # What a coverage row is the row of. A base of its own so that its fields come first: a
    # model's fields follow its bases from the last one listed.
    key: str
    name: str


class CoverageRowOut(FiguresOut, _Group):
    approved_share: Share


class CoverageOut(Output):
    by: str
    state_code: str | None
    items: list[CoverageRowOut]
