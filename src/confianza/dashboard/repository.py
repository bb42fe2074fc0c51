"""The coverage dashboard's reads: small per-agency tallies, each one grouped pass.

Every method narrows to one state or one agency when asked (a scoped account, or a drill-down
without the national figures at hand) and otherwise reads the whole force. The figures follow
the coverage page's definitions (repositories.certification.coverage): officers are those
holding an open assignment, and their standing is read from `officer_standing` (ADR 0009).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from confianza.core.db.models import (
    AgencyRow,
    AssignmentRow,
    CentreCapacityRow,
    EvaluationCentreRow,
    EvaluationExamRow,
    EvaluationRow,
    OfficerRow,
    OfficerStandingRow,
)
from confianza.dashboard.rules.tallies import (
    STAGE_OF,
    AgencyInfo,
    AgencyTally,
    CentreInfo,
    Counts,
    ExamTally,
    OpenTally,
    PendingTally,
)
from confianza.registry.repository.officers import answers_for_officer
from confianza.vetting.rules.evaluations import EvaluationStatus, ExamType

# Only requests still before their exams need centre capacity; those awaiting a decision count
# in the backlog but wait on a certification officer, not on an examiner.
_EXAMS_AHEAD = (EvaluationStatus.REQUESTED.value, EvaluationStatus.SCHEDULED.value)


# Any select, whatever its columns: the narrowing below adds WHERE clauses only.
AnySelect = Select[*tuple[Any, ...]]


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


class DashboardRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @staticmethod
    def _narrow(query: AnySelect, column: Any, state_code: str | None,
                agency_id: int | None) -> AnySelect:
        """Keep the rows whose agency (`column`) is the given one, or in the given state."""
        if agency_id is not None:
            query = query.where(column == agency_id)
        if state_code is not None:
            query = query.where(column.in_(
                select(AgencyRow.id).where(AgencyRow.state_code == state_code)))
        return query

    def agencies(self, *, state_code: str | None = None, agency_id: int | None = None
                 ) -> list[AgencyInfo]:
        query = select(AgencyRow.id, AgencyRow.code, AgencyRow.name, AgencyRow.state_code)
        query = self._narrow(query, AgencyRow.id, state_code, agency_id)
        return [AgencyInfo(int(i), code, name, state)
                for i, code, name, state in self._session.execute(query.order_by(AgencyRow.id))]

    def tallies(self, *, today: date, bounds: Sequence[date], state_code: str | None = None,
                agency_id: int | None = None) -> list[AgencyTally]:
        """Per agency: officers holding a post, split by standing; those certified; those on
        active duty without certification; approvals ending in each [bounds[i], bounds[i+1])."""
        s = OfficerStandingRow
        decided = s.last_verdict.is_not(None)
        in_force = and_(decided, s.approved_until >= today)
        certified = and_(in_force, s.cup_until >= today)
        # A missing standing row (never evaluated, no certificate) makes `certified` NULL, which
        # CASE treats as false: such an officer on active duty is uncertified.
        uncertified = func.sum(case((OfficerRow.status != "active", 0), (certified, 0), else_=1))
        months = [_count(and_(decided, s.approved_until >= low, s.approved_until < high))
                  for low, high in zip(bounds, bounds[1:], strict=False)]
        query = (
            select(
                AssignmentRow.agency_id, func.count(),
                _count(in_force), _count(and_(decided, s.approved_until < today)),
                _count(and_(decided, s.approved_until.is_(None))), _count(s.last_verdict.is_(None)),
                _count(certified), uncertified, *months,
            )
            .select_from(AssignmentRow)
            .join(OfficerRow, OfficerRow.id == AssignmentRow.officer_id)
            .outerjoin(s, s.officer_id == AssignmentRow.officer_id)
            # Each officer once, in the force of the posting that answers for them
            # (ADR 0025).
            .where(answers_for_officer())
            .group_by(AssignmentRow.agency_id)
            .order_by(AssignmentRow.agency_id)
        )
        query = self._narrow(query, AssignmentRow.agency_id, state_code, agency_id)
        result = []
        for row in self._session.execute(query):
            values = [int(v or 0) for v in row[1:]]
            result.append(AgencyTally(int(row[0]), Counts(*values[:7]), tuple(values[7:])))
        return result

    def exam_tallies(self, *, since: datetime, state_code: str | None = None,
                     agency_id: int | None = None) -> list[ExamTally]:
        """Exams recorded since the instant `since`, by requesting agency, type and
        outcome."""
        start = since
        x = EvaluationExamRow
        query = (
            select(EvaluationRow.agency_id, x.exam_type, x.outcome, func.count())
            .select_from(x)
            .join(EvaluationRow, EvaluationRow.id == x.evaluation_id)
            .where(x.recorded_at >= start, x.outcome.is_not(None))
            .group_by(EvaluationRow.agency_id, x.exam_type, x.outcome)
        )
        query = self._narrow(query, EvaluationRow.agency_id, state_code, agency_id)
        return [ExamTally(int(a), ExamType(t), str(o), int(n))
                for a, t, o, n in self._session.execute(query)]

    def open_requests(self, *, state_code: str | None = None, agency_id: int | None = None
                      ) -> list[OpenTally]:
        """Requests not yet decided, by requesting agency, centre (None: not booked) and
        stage. Read through the status index, which holds the open statuses together."""
        e = EvaluationRow
        query = (
            select(e.agency_id, e.centre_id, e.status, func.count())
            .where(e.status.in_([s.value for s in STAGE_OF]))
            .group_by(e.agency_id, e.centre_id, e.status)
        )
        query = self._narrow(query, e.agency_id, state_code, agency_id)
        totals: dict[tuple[int, int | None, Any], int] = {}
        for agency, centre, status, n in self._session.execute(query):
            key = (int(agency), None if centre is None else int(centre),
                   STAGE_OF[EvaluationStatus(status)])
            totals[key] = totals.get(key, 0) + int(n)
        return [OpenTally(a, c, stage, n) for (a, c, stage), n in totals.items()]

    def pending_exams(self, *, state_code: str | None = None, agency_id: int | None = None
                      ) -> list[PendingTally]:
        """Exams not yet given of requests still before or in their exams."""
        e, x = EvaluationRow, EvaluationExamRow
        query = (
            select(e.agency_id, e.centre_id, x.exam_type, func.count())
            .select_from(e)
            .join(x, and_(x.evaluation_id == e.id, x.recorded_at.is_(None)))
            .where(e.status.in_(_EXAMS_AHEAD))
            .group_by(e.agency_id, e.centre_id, x.exam_type)
        )
        query = self._narrow(query, e.agency_id, state_code, agency_id)
        return [PendingTally(int(a), None if c is None else int(c), ExamType(t), int(n))
                for a, c, t, n in self._session.execute(query)]

    def centres(self) -> list[CentreInfo]:
        capacity: dict[int, dict[ExamType, int]] = {}
        for centre_id, exam_type, daily in self._session.execute(
            select(CentreCapacityRow.centre_id, CentreCapacityRow.exam_type,
                   CentreCapacityRow.daily)
        ):
            capacity.setdefault(int(centre_id), {})[ExamType(exam_type)] = int(daily)
        c = EvaluationCentreRow
        rows = self._session.execute(
            select(c.id, c.code, c.name, c.state_code, c.active).order_by(c.id))
        return [CentreInfo(int(i), code, name, state, bool(active), capacity.get(int(i), {}))
                for i, code, name, state, active in rows]
