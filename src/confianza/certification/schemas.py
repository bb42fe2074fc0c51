"""Bodies of the centre routes and of the certification routes (standing, CUP, the lists an
agency and the nation act on)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from confianza.certification.rules.coverage import (
    AlertLine,
    AlertReason,
    CoverageRow,
    ReevaluationLine,
)
from confianza.certification.rules.cup import CupComponent
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service.certificates import CertificationView
from confianza.core.web.schemas import Input, Output
from confianza.registry.schemas.agencies import STATE_CODE
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.rules.records import (
    Centre,
    Certificate,
    Component,
    Examiner,
    Standing,
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
        return cls(id=c.id, code=c.code, name=c.name, state_code=c.state_code,
                   active=c.active, capacity=dict(sorted(c.capacity.items())))


class ExaminerOut(Output):
    user_id: int
    username: str
    display_name: str
    centre_id: int
    qualifications: list[ExamType]

    @classmethod
    def of(cls, e: Examiner) -> ExaminerOut:
        return cls(user_id=e.user_id, username=e.username, display_name=e.display_name,
                   centre_id=e.centre_id, qualifications=sorted(e.qualifications))


class CentreDetailOut(CentreOut):
    examiners: list[ExaminerOut]

    @classmethod
    def of_detail(cls, d: CentreDetail) -> CentreDetailOut:
        return cls(**CentreOut.of(d.centre).model_dump(),
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

    @classmethod
    def of(cls, s: Standing) -> StandingOut:
        return cls(last_evaluation_id=s.last_evaluation_id, last_verdict=s.last_verdict,
                   last_decided_on=s.last_decided_on, approved_until=s.approved_until,
                   cup_until=s.cup_until)


class ComponentOut(Output):
    id: int
    component: CupComponent
    completed_on: date
    valid_until: date | None
    hours: int | None
    score: int | None
    evaluation_id: int | None
    recorded_by: str

    @classmethod
    def of(cls, c: Component) -> ComponentOut:
        return cls(id=c.id, component=c.component, completed_on=c.completed_on,
                   valid_until=c.valid_until, hours=c.hours, score=c.score,
                   evaluation_id=c.evaluation_id, recorded_by=c.recorded_by)


class CertificateOut(Output):
    id: int
    number: str
    issued_on: date
    valid_until: date
    ended_on: date | None
    end_reason: str | None

    @classmethod
    def of(cls, c: Certificate) -> CertificateOut:
        return cls(id=c.id, number=c.number, issued_on=c.issued_on, valid_until=c.valid_until,
                   ended_on=c.ended_on, end_reason=c.end_reason)


class CertificationOut(Output):
    officer_id: int
    standing: StandingOut | None
    components: list[ComponentOut] = Field(description="Newest first.")
    certificates: list[CertificateOut]
    current_certificate: CertificateOut | None

    @classmethod
    def of(cls, v: CertificationView) -> CertificationOut:
        current = v.current
        return cls(
            officer_id=v.officer_id, standing=StandingOut.of(v.standing) if v.standing else None,
            components=[ComponentOut.of(c) for c in v.components],
            certificates=[CertificateOut.of(c) for c in v.certificates],
            current_certificate=CertificateOut.of(current) if current else None,
        )


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

    @classmethod
    def of(cls, a: AlertLine) -> AlertOut:
        return cls(officer_id=a.officer_id, name=a.name, curp=a.curp, agency_id=a.agency_id,
                   agency_code=a.agency_code, state_code=a.state_code, rank=a.rank,
                   approved_until=a.approved_until, cup_until=a.cup_until,
                   reasons=list(a.reasons))


class AlertPage(Output):
    items: list[AlertOut]
    next_cursor: str | None


class ReevaluationOut(Output):
    officer_id: int
    name: str
    agency_id: int
    agency_code: str
    rank: str
    approved_until: date
    open_evaluation_id: int | None

    @classmethod
    def of(cls, r: ReevaluationLine) -> ReevaluationOut:
        return cls(officer_id=r.officer_id, name=r.name, agency_id=r.agency_id,
                   agency_code=r.agency_code, rank=r.rank, approved_until=r.approved_until,
                   open_evaluation_id=r.open_evaluation_id)


class ReevaluationPage(Output):
    items: list[ReevaluationOut]
    next_cursor: str | None


class CoverageRowOut(Output):
    key: str
    name: str
    officers: int
    evaluated: int
    approved: int
    expired: int
    not_approved: int
    never_evaluated: int
    certified: int
    on_duty_uncertified: int
    approved_share: float

    @classmethod
    def of(cls, r: CoverageRow) -> CoverageRowOut:
        return cls(key=r.key, name=r.name, officers=r.officers, evaluated=r.evaluated,
                   approved=r.approved, expired=r.expired, not_approved=r.not_approved,
                   never_evaluated=r.never_evaluated, certified=r.certified,
                   on_duty_uncertified=r.on_duty_uncertified,
                   approved_share=round(r.approved_share, 4))


class CoverageOut(Output):
    by: str
    state_code: str | None
    items: list[CoverageRowOut]
