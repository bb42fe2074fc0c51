"""Bodies of the dashboard route: the same figures as the /dashboard page, as JSON. A count the
reader may not see (exam outcomes, for a role that does not read exam results) is null."""

from __future__ import annotations

from datetime import date

from confianza.core.web.schemas import Instant, Output
from confianza.dashboard.rules.tallies import CentreBacklog, Counts, ExamRate, GroupLine, Stage
from confianza.dashboard.rules.views import DashboardView
from confianza.vetting.rules.evaluations import ExamType


class CountsOut(Output):
    officers: int
    evaluated: int
    approved: int
    expired: int
    not_approved: int
    never_evaluated: int
    certified: int
    on_duty_uncertified: int
    uncertified_share: float

    @classmethod
    def of(cls, c: Counts) -> CountsOut:
        return cls(officers=c.officers, evaluated=c.evaluated, approved=c.approved,
                   expired=c.expired, not_approved=c.not_approved,
                   never_evaluated=c.never_evaluated, certified=c.certified,
                   on_duty_uncertified=c.on_duty_uncertified,
                   uncertified_share=round(c.uncertified_share, 4))


class GroupOut(CountsOut):
    key: str
    name: str

    @classmethod
    def of_group(cls, g: GroupLine) -> GroupOut:
        return cls(key=g.key, name=g.name, **CountsOut.of(g.counts).model_dump())


class MonthOut(Output):
    month: date
    expiring: int


class ExamOut(Output):
    exam_type: ExamType
    recorded: int | None
    favourable: int | None
    reservations: int | None
    adverse: int | None
    approval_rate: float | None

    @classmethod
    def of(cls, view: DashboardView, index: int) -> ExamOut:
        rate: ExamRate = view.exams[index]
        hidden = view.exams_withheld.cells[index]
        parts = [None if h else v for v, h in zip(
            (rate.favourable, rate.reservations, rate.adverse), hidden, strict=True)]
        shown = rate.approval_rate if not view.rate_withheld(index) else None
        return cls(exam_type=rate.exam_type,
                   recorded=None if view.exams_withheld.row_totals[index] else rate.recorded,
                   favourable=parts[0], reservations=parts[1], adverse=parts[2],
                   approval_rate=None if shown is None else round(shown, 4))


class BacklogOut(Output):
    centre_code: str | None
    centre_name: str | None
    requests: int
    stages: dict[Stage, int]
    pending_exams: dict[ExamType, int]
    capacity: dict[ExamType, int]
    working_days: int | None
    slowest_exam: ExamType | None

    @classmethod
    def of(cls, line: CentreBacklog) -> BacklogOut:
        centre = line.centre
        return cls(centre_code=centre.code if centre else None,
                   centre_name=centre.name if centre else None, requests=line.requests,
                   stages=dict(line.stages), pending_exams=dict(sorted(line.pending.items())),
                   capacity=dict(sorted(centre.capacity.items())) if centre else {},
                   working_days=line.days, slowest_exam=line.slowest)


class AgencyRef(Output):
    id: int
    code: str
    name: str


class DashboardOut(Output):
    level: str
    state_code: str | None
    agency: AgencyRef | None
    as_of: Instant
    headline: CountsOut
    groups: list[GroupOut]
    expiring_by_month: list[MonthOut]
    exams: list[ExamOut]
    backlog: list[BacklogOut]

    @classmethod
    def of(cls, view: DashboardView) -> DashboardOut:
        agency = view.agency
        return cls(
            level=view.level.value, state_code=view.state_code,
            agency=AgencyRef(id=agency.id, code=agency.code, name=agency.name) if agency else None,
            as_of=view.as_of, headline=CountsOut.of(view.headline),
            groups=[GroupOut.of_group(g) for g in view.groups],
            expiring_by_month=[MonthOut(month=m.month, expiring=m.count) for m in view.months],
            exams=[ExamOut.of(view, i) for i in range(len(view.exams))],
            backlog=[BacklogOut.of(b) for b in view.backlog],
        )
