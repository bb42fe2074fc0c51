"""Evaluation centres, examiners, evaluations, their exams and attachments."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session, aliased

from confianza.accounts.rules.permissions import Scope, ScopeKind
from confianza.certification.rules.decisions import Recommendation, Verdict
from confianza.core.db import plain
from confianza.core.db.models import (
    AgencyRow,
    AppealRow,
    AssignmentRow,
    AttachmentRow,
    CentreCapacityRow,
    EvaluationCentreRow,
    EvaluationExamRow,
    EvaluationRow,
    ExamAttachmentRow,
    ExaminerQualificationRow,
    ExaminerRow,
    UserRow,
)
from confianza.registry.repository.officers import held_within
from confianza.vetting.rules.evaluations import (
    EvaluationKind,
    EvaluationStatus,
    ExamType,
    RankLevel,
)
from confianza.vetting.rules.records import (
    Appeal,
    AppealStatus,
    Centre,
    Evaluation,
    Exam,
    Examiner,
    dump,
)


def _value(member: Recommendation | Verdict | None) -> str | None:
    return None if member is None else member.value


def _evaluation(row: EvaluationRow | Row[Any]) -> Evaluation:
    return Evaluation(
        id=row.id,
        officer_id=row.officer_id,
        agency_id=row.agency_id,
        kind=EvaluationKind(row.kind),
        rank=row.rank,
        rank_level=RankLevel(row.rank_level),
        sensitive_access=row.sensitive_access,
        reason=row.reason,
        status=EvaluationStatus(row.status),
        centre_id=row.centre_id,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        recommendation=Recommendation(row.recommendation) if row.recommendation else None,
        integration=json.loads(row.integration) if row.integration else None,
        verdict=Verdict(row.verdict) if row.verdict else None,
        decided_by=row.decided_by,
        decided_on=row.decided_on,
        grounds=row.grounds,
        confirmed_by=row.confirmed_by,
        confirmed_on=row.confirmed_on,
        valid_until=row.valid_until,
        closed_at=row.closed_at,
    )


def _exam(row: EvaluationExamRow | Row[Any]) -> Exam:
    return Exam(
        id=row.id,
        evaluation_id=row.evaluation_id,
        exam_type=ExamType(row.exam_type),
        examiner_id=row.examiner_id,
        scheduled_on=row.scheduled_on,
        outcome=row.outcome,
        result=json.loads(row.result) if row.result else None,
        notes=row.notes,
        recorded_at=row.recorded_at,
    )


def _appeal(row: AppealRow | Row[Any]) -> Appeal:
    return Appeal(
        id=row.id, evaluation_id=row.evaluation_id, filed_by=row.filed_by,
        filed_on=row.filed_on, grounds=row.grounds, status=AppealStatus(row.status),
        decided_by=row.decided_by, decided_on=row.decided_on, resolution=row.resolution,
    )


# Made once, like officers.held_within's: fresh aliases cost a millisecond a column.
_SHORT_WAYS = (aliased(AssignmentRow), aliased(AssignmentRow), aliased(EvaluationRow))


@lru_cache(maxsize=1024)
def _requested_within(scope: Scope, *, correlated: bool = False) -> ColumnElement[bool]:
    """Evaluations a scoped reader's lists show: asked for by an agency inside the scope, of
    an officer the scope still holds (a list is narrowed in its query). The holder test keeps
    an agency from listing the officers who have left it; the requesting agency comes first
    because it is a column of the row and cuts a national status list to the scope's share
    before the holder is probed. A list may so leave out an evaluation another agency asked
    for before the officer came (their record and timeline still show it): the safe side.
    `correlated` tests a state's agencies from the row rather than as a list, where a list
    would lead the planner to start from everything those agencies asked for. Built once per
    scope and kept: the scope's values are bound parameters of an immutable expression, and
    building it took longer than running it."""
    if scope.kind is ScopeKind.NATIONAL:
        return true()
    asked: ColumnElement[bool]
    if scope.kind is ScopeKind.AGENCY:
        asked = EvaluationRow.agency_id == scope.agency_id
    elif correlated:
        asked = exists().where(AgencyRow.id == EvaluationRow.agency_id,
                               AgencyRow.state_code == scope.state_code)
    else:
        asked = EvaluationRow.agency_id.in_(
            select(AgencyRow.id).where(AgencyRow.state_code == scope.state_code))
    # The two common cases first, each a probe or two of a covering index: the officer still
    # serves where the evaluation was asked for; or an applicant (never posted) whose latest
    # request this is, since an applicant is held by the agency that last asked. Only the
    # others (transferred, separated) take the holder's whole test.
    posting, anyone, later = _SHORT_WAYS
    still_there = exists().where(posting.agency_id == EvaluationRow.agency_id,
                                 posting.end_date.is_(None),
                                 posting.officer_id == EvaluationRow.officer_id)
    latest_applicant = and_(
        ~exists().where(anyone.officer_id == EvaluationRow.officer_id),
        ~exists().where(later.officer_id == EvaluationRow.officer_id,
                        later.id > EvaluationRow.id))
    return and_(asked, or_(still_there, latest_applicant,
                           held_within(EvaluationRow.officer_id, scope)))


# An officer's evaluations, read on every profile: built once (so compiled once) and run on the
# session's connection, whose plain rows `_evaluation` reads by name.
_OF_OFFICER = plain.Statement(
    select(EvaluationRow.__table__)
    .where(EvaluationRow.__table__.c.officer_id == bindparam("officer_id"))
    .order_by(EvaluationRow.__table__.c.id.desc())
)
# ... and, for the timeline, every exam and appeal of theirs, each in one statement.
_EXAMS_OF_OFFICER = plain.Statement(
    select(EvaluationExamRow.__table__)
    .join_from(EvaluationExamRow.__table__, EvaluationRow.__table__,
               EvaluationRow.__table__.c.id == EvaluationExamRow.__table__.c.evaluation_id)
    .where(EvaluationRow.__table__.c.officer_id == bindparam("officer_id"))
    .order_by(EvaluationExamRow.__table__.c.evaluation_id, EvaluationExamRow.__table__.c.exam_type)
)
_APPEALS_OF_OFFICER = plain.Statement(
    select(AppealRow.__table__)
    .join_from(AppealRow.__table__, EvaluationRow.__table__,
               EvaluationRow.__table__.c.id == AppealRow.__table__.c.evaluation_id)
    .where(EvaluationRow.__table__.c.officer_id == bindparam("officer_id"))
    .order_by(AppealRow.__table__.c.id)
)


class EvaluationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Centres and examiners ----------------------------------------------------------------

    def centre(self, centre_id: int) -> Centre | None:
        row = self._session.get(EvaluationCentreRow, centre_id)
        if row is None:
            return None
        capacity = {
            ExamType(t): int(d)
            for t, d in self._session.execute(
                select(CentreCapacityRow.exam_type, CentreCapacityRow.daily).where(
                    CentreCapacityRow.centre_id == centre_id
                )
            )
        }
        return Centre(row.id, row.code, row.name, row.state_code, row.active, capacity)

    def lock_centre(self, centre_id: int) -> None:
        """Serialise bookings at one centre, so two at once cannot both take its last place
        (a row lock on PostgreSQL; SQLite's single writer already serialises)."""
        self._session.execute(
            select(EvaluationCentreRow.id).where(EvaluationCentreRow.id == centre_id)
            .with_for_update()
        )

    def centre_name(self, centre_id: int) -> str | None:
        return self._session.scalar(
            select(EvaluationCentreRow.name).where(EvaluationCentreRow.id == centre_id)
        )

    def centre_by_code(self, code: str) -> Centre | None:
        centre_id = self._session.scalar(
            select(EvaluationCentreRow.id).where(EvaluationCentreRow.code == code)
        )
        return None if centre_id is None else self.centre(centre_id)

    def centres(self, scope: Scope) -> list[Centre]:
        query = select(EvaluationCentreRow.id).order_by(EvaluationCentreRow.code)
        if scope.kind is ScopeKind.STATE:
            query = query.where(EvaluationCentreRow.state_code == scope.state_code)
        ids = list(self._session.scalars(query))
        return [c for i in ids if (c := self.centre(i)) is not None]

    def add_centre(self, code: str, name: str, state_code: str | None, now: datetime) -> int:
        result = self._session.execute(
            insert(EvaluationCentreRow).returning(EvaluationCentreRow.id),
            {"code": code, "name": name, "state_code": state_code, "active": True,
             "created_at": now},
        )
        return int(result.scalar_one())

    def set_capacity(self, centre_id: int, capacity: dict[ExamType, int]) -> None:
        self._session.execute(
            delete(CentreCapacityRow).where(
                CentreCapacityRow.centre_id == centre_id,
                CentreCapacityRow.exam_type.in_([t.value for t in capacity]),
            )
        )
        self._session.execute(
            insert(CentreCapacityRow),
            [{"centre_id": centre_id, "exam_type": t.value, "daily": d}
             for t, d in capacity.items()],
        )

    def examiner(self, user_id: int) -> Examiner | None:
        row = self._session.execute(
            select(ExaminerRow.centre_id, UserRow.username, UserRow.display_name)
            .join(UserRow, UserRow.id == ExaminerRow.user_id)
            .where(ExaminerRow.user_id == user_id)
        ).first()
        if row is None:
            return None
        qualified = frozenset(
            ExamType(t) for t in self._session.scalars(
                select(ExaminerQualificationRow.exam_type).where(
                    ExaminerQualificationRow.user_id == user_id
                )
            )
        )
        return Examiner(user_id, row[1], row[2], int(row[0]), qualified)

    def examiners_of(self, centre_id: int) -> list[Examiner]:
        ids = self._session.scalars(
            select(ExaminerRow.user_id).where(ExaminerRow.centre_id == centre_id)
            .order_by(ExaminerRow.user_id)
        )
        return [e for i in list(ids) if (e := self.examiner(i)) is not None]

    def set_examiner(self, user_id: int, centre_id: int, qualified: frozenset[ExamType]) -> None:
        self._session.execute(
            delete(ExaminerQualificationRow).where(ExaminerQualificationRow.user_id == user_id)
        )
        if self._session.get(ExaminerRow, user_id) is None:
            self._session.execute(insert(ExaminerRow), {"user_id": user_id,
                                                        "centre_id": centre_id})
        else:
            self._session.execute(
                update(ExaminerRow).where(ExaminerRow.user_id == user_id)
                .values(centre_id=centre_id)
            )
        if qualified:
            self._session.execute(
                insert(ExaminerQualificationRow),
                [{"user_id": user_id, "exam_type": t.value} for t in sorted(qualified)],
            )

    def booked(self, centre_id: int, exam_type: ExamType, day: date,
               excluding_evaluation: int | None = None) -> int:
        """Exams of one type already booked at a centre on a day."""
        query = (
            select(func.count())
            .select_from(EvaluationExamRow)
            .join(EvaluationRow, EvaluationRow.id == EvaluationExamRow.evaluation_id)
            .where(
                EvaluationExamRow.scheduled_on == day,
                EvaluationExamRow.exam_type == exam_type.value,
                EvaluationRow.centre_id == centre_id,
                EvaluationRow.status != EvaluationStatus.CANCELLED.value,
            )
        )
        if excluding_evaluation is not None:
            query = query.where(EvaluationRow.id != excluding_evaluation)
        return int(self._session.scalar(query) or 0)

    # Evaluations --------------------------------------------------------------------------

    def get(self, evaluation_id: int) -> Evaluation | None:
        row = self._session.get(EvaluationRow, evaluation_id)
        return None if row is None else _evaluation(row)

    def lock(self, evaluation_id: int) -> Evaluation | None:
        """Read an evaluation for change, serialising concurrent changes to it (a row lock on
        PostgreSQL; SQLite's single writer already serialises)."""
        row = self._session.execute(
            select(EvaluationRow).where(EvaluationRow.id == evaluation_id)
            .with_for_update().execution_options(populate_existing=True)
        ).scalar_one_or_none()
        return None if row is None else _evaluation(row)

    def open_for(self, officer_id: int) -> Evaluation | None:
        row = self._session.execute(
            select(EvaluationRow).where(
                EvaluationRow.officer_id == officer_id, EvaluationRow.closed_at.is_(None)
            )
        ).scalar_one_or_none()
        return None if row is None else _evaluation(row)

    def of_officer_reads(self, officer_id: int) -> plain.Ahead:
        return plain.Ahead(((_OF_OFFICER, {"officer_id": officer_id}),))

    def of_officer(self, officer_id: int) -> list[Evaluation]:
        rows = plain.connection(self._session).execute(_OF_OFFICER, {"officer_id": officer_id})
        return [_evaluation(r) for r in rows]

    def add(
        self, *, officer_id: int, agency_id: int, kind: EvaluationKind, rank: str,
        rank_level: RankLevel, sensitive_access: bool, reason: str | None,
        status: EvaluationStatus, requested_by: str, requested_at: datetime,
    ) -> int:
        result = self._session.execute(insert(EvaluationRow).returning(EvaluationRow.id), {
            "officer_id": officer_id, "agency_id": agency_id, "kind": kind.value,
            "rank": rank, "rank_level": rank_level.value, "sensitive_access": sensitive_access,
            "reason": reason, "status": status.value, "requested_by": requested_by,
            "requested_at": requested_at,
        })
        return int(result.scalar_one())

    def update(
        self, evaluation_id: int, status: EvaluationStatus, *, centre_id: int | None = None,
        recommendation: Recommendation | None = None, integration: str | None = None,
        verdict: Verdict | None = None, decided_by: int | None = None,
        decided_on: date | None = None, grounds: str | None = None,
        confirmed_by: int | None = None, confirmed_on: date | None = None,
        valid_until: date | None = None, closed_at: datetime | None = None,
    ) -> None:
        """Move an evaluation to `status` with what that step sets; a field left out (None)
        keeps its value (`clear_decision` empties a decision). `integration` is JSON text."""
        given: dict[str, object] = {
            "centre_id": centre_id, "recommendation": _value(recommendation),
            "integration": integration, "verdict": _value(verdict), "decided_by": decided_by,
            "decided_on": decided_on, "grounds": grounds, "confirmed_by": confirmed_by,
            "confirmed_on": confirmed_on, "valid_until": valid_until, "closed_at": closed_at,
        }
        values = {column: value for column, value in given.items() if value is not None}
        self._session.execute(
            update(EvaluationRow).where(EvaluationRow.id == evaluation_id)
            .values(status=status.value, **values)
        )
        self._session.expire_all()

    def clear_decision(self, evaluation_id: int, status: EvaluationStatus) -> None:
        """Empty the verdict, who gave it, when and on what grounds (a decision sent back),
        and move the evaluation to `status`."""
        self._session.execute(
            update(EvaluationRow).where(EvaluationRow.id == evaluation_id)
            .values(status=status.value, verdict=None, decided_by=None, decided_on=None,
                    grounds=None)
        )
        self._session.expire_all()

    def listing(
        self,
        *,
        statuses: Sequence[EvaluationStatus] = (),
        agency_id: int | None = None,
        centre_id: int | None = None,
        scope: Scope,
        after: int | None,
        limit: int,
    ) -> list[Evaluation]:
        """Evaluations in id order (oldest first: a queue), narrowed to the caller's scope by
        the requesting agency."""
        query = select(EvaluationRow).order_by(EvaluationRow.id).limit(limit)
        if statuses:
            query = query.where(EvaluationRow.status.in_([s.value for s in statuses]))
        if agency_id is not None:
            query = query.where(EvaluationRow.agency_id == agency_id)
        if centre_id is not None:
            query = query.where(EvaluationRow.centre_id == centre_id)
        if after is not None:
            query = query.where(EvaluationRow.id > after)
        query = query.where(_requested_within(scope))
        return [_evaluation(r) for r in self._session.scalars(query)]

    # Exams --------------------------------------------------------------------------------

    def exams(self, evaluation_id: int) -> list[Exam]:
        rows = self._session.scalars(
            select(EvaluationExamRow).where(EvaluationExamRow.evaluation_id == evaluation_id)
            .order_by(EvaluationExamRow.exam_type)
        )
        return [_exam(r) for r in rows]

    def exams_of_officer(self, officer_id: int) -> list[Exam]:
        """Every exam of the officer's evaluations, in one statement, by evaluation and type."""
        rows = plain.connection(self._session).execute(_EXAMS_OF_OFFICER,
                                                       {"officer_id": officer_id})
        return [_exam(r) for r in rows]

    def exam(self, evaluation_id: int, exam_type: ExamType) -> Exam | None:
        row = self._session.execute(
            select(EvaluationExamRow).where(
                EvaluationExamRow.evaluation_id == evaluation_id,
                EvaluationExamRow.exam_type == exam_type.value,
            )
        ).scalar_one_or_none()
        return None if row is None else _exam(row)

    def add_exams(self, evaluation_id: int, exam_types: Sequence[ExamType]) -> None:
        self._session.execute(
            insert(EvaluationExamRow),
            [{"evaluation_id": evaluation_id, "exam_type": t.value} for t in exam_types],
        )

    def assign_exam(self, exam_id: int, examiner_id: int, day: date) -> None:
        self._session.execute(
            update(EvaluationExamRow).where(EvaluationExamRow.id == exam_id)
            .values(examiner_id=examiner_id, scheduled_on=day)
        )

    def record_exam(self, exam_id: int, outcome: str, result: dict[str, Any],
                    notes: str | None, now: datetime) -> bool:
        """Store a result once: False when the exam already had one (a double submit that
        slipped past the service's check loses here)."""
        done = self._session.execute(
            update(EvaluationExamRow)
            .where(EvaluationExamRow.id == exam_id, EvaluationExamRow.recorded_at.is_(None))
            .values(outcome=outcome, result=dump(result), notes=notes, recorded_at=now)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def queue(self, examiner_id: int, *, pending: bool, limit: int) -> list[Exam]:
        """An examiner's exams: pending ones by date, or the latest recorded."""
        query = select(EvaluationExamRow).where(EvaluationExamRow.examiner_id == examiner_id)
        if pending:
            query = query.where(EvaluationExamRow.recorded_at.is_(None)).order_by(
                EvaluationExamRow.scheduled_on, EvaluationExamRow.id
            )
        else:
            query = query.where(EvaluationExamRow.recorded_at.is_not(None)).order_by(
                EvaluationExamRow.recorded_at.desc()
            )
        return [_exam(r) for r in self._session.scalars(query.limit(limit))]

    # Attachments --------------------------------------------------------------------------

    def add_attachment(self, sha256: str, media_type: str, content: bytes,
                       now: datetime) -> None:
        if self._session.get(AttachmentRow, sha256) is None:
            self._session.execute(
                insert(AttachmentRow),
                {"sha256": sha256, "media_type": media_type, "size": len(content),
                 "content": content, "created_at": now},
            )

    def link_attachment(self, exam_id: int, sha256: str, filename: str) -> bool:
        exists = self._session.get(ExamAttachmentRow, (exam_id, sha256))
        if exists is not None:
            return False
        self._session.execute(
            insert(ExamAttachmentRow),
            {"exam_id": exam_id, "sha256": sha256, "filename": filename},
        )
        return True

    def attachments(self, exam_id: int) -> list[tuple[str, str, str, int]]:
        """(sha256, filename, media type, size) of an exam's files."""
        rows = self._session.execute(
            select(ExamAttachmentRow.sha256, ExamAttachmentRow.filename,
                   AttachmentRow.media_type, AttachmentRow.size)
            .join(AttachmentRow, AttachmentRow.sha256 == ExamAttachmentRow.sha256)
            .where(ExamAttachmentRow.exam_id == exam_id)
            .order_by(ExamAttachmentRow.filename)
        )
        return [(str(a), str(b), str(c), int(d)) for a, b, c, d in rows]

    def attachment_content(self, exam_id: int, sha256: str) -> tuple[str, bytes] | None:
        row = self._session.execute(
            select(AttachmentRow.media_type, AttachmentRow.content)
            .join(ExamAttachmentRow, ExamAttachmentRow.sha256 == AttachmentRow.sha256)
            .where(ExamAttachmentRow.exam_id == exam_id, AttachmentRow.sha256 == sha256)
        ).first()
        return None if row is None else (str(row[0]), bytes(row[1]))

    # Appeals ------------------------------------------------------------------------------

    def appeal(self, appeal_id: int) -> Appeal | None:
        row = self._session.get(AppealRow, appeal_id)
        return None if row is None else _appeal(row)

    def appeals_of_officer(self, officer_id: int) -> list[Appeal]:
        """The appeals against the officer's evaluations, in one statement (at most one per
        evaluation)."""
        rows = plain.connection(self._session).execute(_APPEALS_OF_OFFICER,
                                                       {"officer_id": officer_id})
        return [_appeal(r) for r in rows]

    def appeal_of(self, evaluation_id: int) -> Appeal | None:
        row = self._session.execute(
            select(AppealRow).where(AppealRow.evaluation_id == evaluation_id)
        ).scalar_one_or_none()
        return None if row is None else _appeal(row)

    def add_appeal(self, *, evaluation_id: int, filed_by: str, filed_on: date, grounds: str,
                   status: AppealStatus) -> int:
        result = self._session.execute(insert(AppealRow).returning(AppealRow.id), {
            "evaluation_id": evaluation_id, "filed_by": filed_by, "filed_on": filed_on,
            "grounds": grounds, "status": status.value,
        })
        return int(result.scalar_one())

    def decide_appeal(self, appeal_id: int, *, status: AppealStatus, decided_by: int,
                      decided_on: date, resolution: str) -> bool:
        """Decide an appeal still open; False when another request decided it first."""
        done = self._session.execute(
            update(AppealRow)
            .where(AppealRow.id == appeal_id, AppealRow.status == AppealStatus.OPEN.value)
            .values(status=status.value, decided_by=decided_by, decided_on=decided_on,
                    resolution=resolution)
        )
        self._session.expire_all()
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def appeals(self, *, status: AppealStatus | None, scope: Scope, after: int | None,
                limit: int) -> list[Appeal]:
        query = (
            select(AppealRow)
            .join(EvaluationRow, EvaluationRow.id == AppealRow.evaluation_id)
            .order_by(AppealRow.id).limit(limit)
        )
        if status is not None:
            query = query.where(AppealRow.status == status.value)
        if after is not None:
            query = query.where(AppealRow.id > after)
        query = query.where(_requested_within(scope))
        return [_appeal(r) for r in self._session.scalars(query)]

    # Home: what needs attention now ---------------------------------------------------------
    # Each returns how many and the first few: the home shows both and links to the full list.

    def waiting(
        self, status: EvaluationStatus, scope: Scope, *, limit: int,
        not_decided_by: int | None = None,
    ) -> tuple[int, list[Evaluation]]:
        """Evaluations in one status inside the scope (ix_evaluations_status), oldest first;
        `not_decided_by` leaves out one person's own decisions (another must confirm them)."""
        where = [EvaluationRow.status == status.value, _requested_within(scope)]
        if not_decided_by is not None:
            where.append(or_(EvaluationRow.decided_by.is_(None),
                             EvaluationRow.decided_by != not_decided_by))
        count = self._session.scalar(select(func.count()).select_from(EvaluationRow)
                                     .where(*where))
        rows = self._session.scalars(select(EvaluationRow).where(*where)
                                     .order_by(EvaluationRow.id).limit(limit))
        return int(count or 0), [_evaluation(r) for r in rows]

    def closed_since(
        self, status: EvaluationStatus, scope: Scope, *, since: datetime, window: int,
        limit: int,
    ) -> tuple[int, bool, list[Evaluation]]:
        """Evaluations that closed in one status since a moment, newest first: (how many,
        whether that count stopped at `window`, the newest `limit`). Only the newest `window`
        of that status are examined (ids grow with time), so the cost does not grow with the
        years of history behind them."""
        newest = (
            select(EvaluationRow.id, EvaluationRow.closed_at)
            .where(EvaluationRow.status == status.value, _requested_within(scope))
            .order_by(EvaluationRow.id.desc()).limit(window).subquery()
        )
        ids = list(self._session.scalars(
            select(newest.c.id).where(newest.c.closed_at >= since).order_by(newest.c.id.desc())
        ))
        rows = list(self._session.scalars(
            select(EvaluationRow).where(EvaluationRow.id.in_(ids[:limit]))
            .order_by(EvaluationRow.id.desc())
        )) if ids else []
        return len(ids), len(ids) >= window, [_evaluation(r) for r in rows]

    def examiner_pending(
        self, examiner_id: int, today: date, *, limit: int
    ) -> tuple[int, int, list[Exam]]:
        """An examiner's exams still to give, in evaluations still scheduled (a withdrawn one
        drops out): (how many, how many are due today or overdue, the first `limit` by day)."""
        where = (EvaluationExamRow.examiner_id == examiner_id,
                 EvaluationExamRow.recorded_at.is_(None),
                 EvaluationRow.status == EvaluationStatus.SCHEDULED.value)
        joined = (EvaluationRow, EvaluationRow.id == EvaluationExamRow.evaluation_id)
        total, due = self._session.execute(
            select(func.count(),
                   func.sum(case((EvaluationExamRow.scheduled_on <= today, 1), else_=0)))
            .select_from(EvaluationExamRow).join(*joined).where(*where)
        ).one()
        rows = self._session.scalars(
            select(EvaluationExamRow).join(*joined).where(*where)
            .order_by(EvaluationExamRow.scheduled_on, EvaluationExamRow.id).limit(limit))
        return int(total or 0), int(due or 0), [_exam(r) for r in rows]

    def agenda(self, day: date, scope: Scope, *, limit: int) -> tuple[int, int, list[Exam]]:
        """The exams booked for one day in evaluations inside the scope (ix_evaluation_exams_
        schedule): (how many, how many already given, the first `limit` still to give)."""
        where = (EvaluationExamRow.scheduled_on == day,
                 EvaluationRow.status != EvaluationStatus.CANCELLED.value,
                 _requested_within(scope))
        joined = (EvaluationRow, EvaluationRow.id == EvaluationExamRow.evaluation_id)
        total, given = self._session.execute(
            select(func.count(),
                   func.sum(case((EvaluationExamRow.recorded_at.is_not(None), 1), else_=0)))
            .select_from(EvaluationExamRow).join(*joined).where(*where)
        ).one()
        rows = self._session.scalars(
            select(EvaluationExamRow).join(*joined)
            .where(*where, EvaluationExamRow.recorded_at.is_(None))
            .order_by(EvaluationExamRow.evaluation_id, EvaluationExamRow.exam_type).limit(limit))
        return int(total or 0), int(given or 0), [_exam(r) for r in rows]

    def open_appeals(
        self, scope: Scope, *, not_involving: int | None, limit: int
    ) -> tuple[int, list[Appeal]]:
        """Open appeals inside the scope, oldest first, without those a person may not decide
        because they examined, decided or confirmed the evaluation appealed."""
        # The scope as a correlated test, not a list of agencies: a list lets the planner
        # start from every evaluation those agencies asked for, where the (few) appeals are
        # the short way in.
        within = _requested_within(scope, correlated=True)
        where: list[ColumnElement[bool]] = [AppealRow.status == AppealStatus.OPEN.value, within]
        if not_involving is not None:
            examined = exists().where(EvaluationExamRow.evaluation_id == EvaluationRow.id,
                                      EvaluationExamRow.examiner_id == not_involving)
            where += [or_(EvaluationRow.decided_by.is_(None),
                          EvaluationRow.decided_by != not_involving),
                      or_(EvaluationRow.confirmed_by.is_(None),
                          EvaluationRow.confirmed_by != not_involving),
                      ~examined]
        joined = (EvaluationRow, EvaluationRow.id == AppealRow.evaluation_id)
        count = self._session.scalar(select(func.count()).select_from(AppealRow).join(*joined)
                                     .where(*where))
        rows = self._session.scalars(select(AppealRow).join(*joined).where(*where)
                                     .order_by(AppealRow.id).limit(limit))
        return int(count or 0), [_appeal(r) for r in rows]
