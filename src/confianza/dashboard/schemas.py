"""Bodies of the dashboard route: the same figures as the /dashboard page, as JSON. A count the
reader may not see (exam outcomes, for a role that does not read exam results) is null."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator

from confianza.core.web.schemas import Instant, Output
from confianza.dashboard.rules.tallies import CentreBacklog, ExamRate, GroupLine, Stage
from confianza.dashboard.rules.views import DashboardView
from confianza.vetting.rules.evaluations import ExamType


def _four_places(share: float) -> float:
    return round(share, 4)


#: A share of officers (0 to 1), answered to four decimal places.
Share = Annotated[float, AfterValidator(_four_places)]


class FiguresOut(Output):
    """The coverage counts every answer shows (dashboard.rules.tallies.Figures, with the
    evaluated it derives), declared once for the dashboard and the coverage list. Not a body
    of its own: the bodies that show figures derive from it."""

    officers: int
    evaluated: int
    approved: int
    expired: int
    not_approved: int
    never_evaluated: int
    certified: int
    on_duty_uncertified: int


class CountsOut(FiguresOut):
    uncertified_share: Share


class GroupOut(CountsOut):
    key: str
    name: str

    @classmethod
    def of_group(cls, g: GroupLine) -> GroupOut:
        """The group's counts, beside its key and name."""
        return cls.of_record(g.counts, key=g.key, name=g.name)


class MonthOut(Output):
    month: date
    expiring: int


class ExamOut(Output):
    exam_type: ExamType
    recorded: int | None
    favourable: int | None
    reservations: int | None
    adverse: int | None
    approval_rate: Share | None

    @classmethod
    def of(cls, view: DashboardView, index: int) -> ExamOut:
        """The exam type's rate with every count the reader may not see withheld (null)."""
        rate: ExamRate = view.exams[index]
        hidden = view.exams_withheld.cells[index]
        parts = [None if h else v for v, h in zip(
            (rate.favourable, rate.reservations, rate.adverse), hidden, strict=True)]
        return cls.of_record(
            rate, recorded=None if view.exams_withheld.row_totals[index] else rate.recorded,
            favourable=parts[0], reservations=parts[1], adverse=parts[2],
            approval_rate=None if view.rate_withheld(index) else rate.approval_rate)


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
        """The backlog with its centre flattened into it and its exams in exam-type order."""
        centre = line.centre
        return cls.of_record(
            line, centre_code=centre.code if centre else None,
            centre_name=centre.name if centre else None,
            pending_exams=dict(sorted(line.pending.items())),
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
        """The view, with its lists under the API's names and what each line shows mapped."""
        return cls.of_record(
            view, level=view.level.value, groups=[GroupOut.of_group(g) for g in view.groups],
            expiring_by_month=[MonthOut.of_record(m, expiring=m.count) for m in view.months],
            exams=[ExamOut.of(view, i) for i in range(len(view.exams))],
            backlog=[BacklogOut.of(b) for b in view.backlog],
        )
