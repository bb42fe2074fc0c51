"""Certificates, standing, consequences (separations, notifications) and coverage queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Row,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from confianza.accounts.rules.permissions import Scope, ScopeKind
from confianza.certification.rules.coverage import CoverageRow
from confianza.certification.rules.cup import CupComponent
from confianza.certification.rules.decisions import Verdict
from confianza.core.db import plain
from confianza.core.db.models import (
    AgencyNotificationRow,
    AgencyRow,
    AssignmentRow,
    CupCertificateRow,
    CupComponentRow,
    EvaluationRow,
    OfficerRow,
    OfficerStandingRow,
    SeparationProcessRow,
)
from confianza.registry.repository.officers import answers_for_officer
from confianza.vetting.rules.records import (
    Certificate,
    Component,
    Notification,
    SeparationProcess,
    SeparationStatus,
    Standing,
)


def _component(row: CupComponentRow | Row[Any]) -> Component:
    return Component(
        id=row.id, officer_id=row.officer_id, component=CupComponent(row.component),
        completed_on=row.completed_on, valid_until=row.valid_until, hours=row.hours,
        score=row.score, evaluation_id=row.evaluation_id, recorded_by=row.recorded_by,
    )


def _certificate(row: CupCertificateRow | Row[Any]) -> Certificate:
    return Certificate(
        id=row.id, number=row.number, officer_id=row.officer_id, issued_on=row.issued_on,
        valid_until=row.valid_until, ended_on=row.ended_on, end_reason=row.end_reason,
    )


def _separation(row: SeparationProcessRow | Row[Any]) -> SeparationProcess:
    return SeparationProcess(
        id=row.id, officer_id=row.officer_id, agency_id=row.agency_id,
        evaluation_id=row.evaluation_id, opened_on=row.opened_on,
        status=SeparationStatus(row.status), closed_on=row.closed_on, outcome=row.outcome,
        integrity_case_id=row.integrity_case_id,
    )


def _notification(row: AgencyNotificationRow) -> Notification:
    return Notification(
        id=row.id, agency_id=row.agency_id, officer_id=row.officer_id,
        evaluation_id=row.evaluation_id, kind=row.kind, message=row.message,
        created_at=row.created_at, read_at=row.read_at,
    )


def _scoped(query: Select[Any], scope: Scope) -> Select[Any]:
    if scope.kind is ScopeKind.AGENCY:
        return query.where(AgencyRow.id == scope.agency_id)
    if scope.kind is ScopeKind.STATE:
        return query.where(AgencyRow.state_code == scope.state_code)
    return query


# Names come out as "FIRST SECOND, Given" in every list.
_NAME_COLUMNS = (OfficerRow.first_surname, OfficerRow.second_surname, OfficerRow.given_names)


# An officer's certification, read on every profile: statements built once (and so compiled once)
# and run on the session's connection, whose plain rows the mappers above read by name.
_COMPONENTS = plain.Statement(
    select(CupComponentRow.__table__)
    .where(CupComponentRow.__table__.c.officer_id == bindparam("officer_id"))
    .order_by(CupComponentRow.__table__.c.completed_on.desc(),
              CupComponentRow.__table__.c.id.desc())
)
_CERTIFICATES = plain.Statement(
    select(CupCertificateRow.__table__)
    .where(CupCertificateRow.__table__.c.officer_id == bindparam("officer_id"))
    .order_by(CupCertificateRow.__table__.c.id.desc())
)
_SEPARATIONS_OF_OFFICER = plain.Statement(
    select(SeparationProcessRow.__table__)
    .where(SeparationProcessRow.__table__.c.officer_id == bindparam("officer_id"))
    .order_by(SeparationProcessRow.__table__.c.id)
)
# The whole certification section of a profile in one statement: the standing, the components
# and the certificates, one row each, in the columns they share (a kind, an id, two texts,
# three dates, three numbers). One round trip instead of three, which on PostgreSQL is most
# of what reading them costs.
_STANDINGS, _COMPONENT_ROWS, _CERTIFICATE_ROWS = (
    OfficerStandingRow.__table__.c, CupComponentRow.__table__.c, CupCertificateRow.__table__.c)
_NO_TEXT, _NO_DATE, _NO_NUMBER = cast(null(), String), cast(null(), Date), cast(null(), Integer)
_CERTIFICATION = plain.Statement(union_all(
    select(literal_column("'standing'").label("kind"), _STANDINGS.officer_id.label("id"),
           _STANDINGS.last_verdict.label("text1"), _NO_TEXT.label("text2"),
           _STANDINGS.last_decided_on.label("date1"), _STANDINGS.approved_until.label("date2"),
           _STANDINGS.cup_until.label("date3"), _NO_NUMBER.label("number1"),
           _NO_NUMBER.label("number2"), _STANDINGS.last_evaluation_id.label("number3"))
    .where(_STANDINGS.officer_id == bindparam("officer_id")),
    select(literal_column("'component'"), _COMPONENT_ROWS.id, _COMPONENT_ROWS.component,
           _COMPONENT_ROWS.recorded_by, _COMPONENT_ROWS.completed_on,
           _COMPONENT_ROWS.valid_until, _NO_DATE, _COMPONENT_ROWS.hours,
           _COMPONENT_ROWS.score, _COMPONENT_ROWS.evaluation_id)
    .where(_COMPONENT_ROWS.officer_id == bindparam("officer_id")),
    select(literal_column("'certificate'"), _CERTIFICATE_ROWS.id, _CERTIFICATE_ROWS.number,
           _CERTIFICATE_ROWS.end_reason, _CERTIFICATE_ROWS.issued_on,
           _CERTIFICATE_ROWS.valid_until, _CERTIFICATE_ROWS.ended_on, _NO_NUMBER, _NO_NUMBER,
           _NO_NUMBER)
    .where(_CERTIFICATE_ROWS.officer_id == bindparam("officer_id")),
))
_STANDING = plain.Statement(select(OfficerStandingRow.__table__).where(
    OfficerStandingRow.__table__.c.officer_id == bindparam("officer_id")))


class CertificationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # CUP components and certificates ------------------------------------------------------

    def components(self, officer_id: int) -> list[Component]:
        rows = plain.connection(self._session).execute(_COMPONENTS,
                                                       {"officer_id": officer_id})
        return [_component(r) for r in rows]

    def add_component(
        self, *, officer_id: int, component: CupComponent, completed_on: date,
        valid_until: date | None, hours: int | None, score: int | None,
        evaluation_id: int | None, recorded_by: str, recorded_at: datetime,
    ) -> int:
        result = self._session.execute(insert(CupComponentRow).returning(CupComponentRow.id), {
            "officer_id": officer_id, "component": component.value,
            "completed_on": completed_on, "valid_until": valid_until, "hours": hours,
            "score": score, "evaluation_id": evaluation_id, "recorded_by": recorded_by,
            "recorded_at": recorded_at,
        })
        return int(result.scalar_one())

    def certification_reads(self, officer_id: int) -> plain.Ahead:
        return plain.Ahead(((_CERTIFICATION, {"officer_id": officer_id}),))

    def certification(
        self, officer_id: int
    ) -> tuple[Standing | None, list[Component], list[Certificate]]:
        """An officer's standing, components (newest first) and certificates (newest first),
        in one statement."""
        standing: Standing | None = None
        components: list[Component] = []
        certificates: list[Certificate] = []
        for kind, rid, text1, text2, date1, date2, date3, n1, n2, n3 in plain.connection(
                self._session).execute(_CERTIFICATION, {"officer_id": officer_id}):
            if kind == "component":
                components.append(Component(rid, officer_id, CupComponent(text1), date1, date2,
                                            n1, n2, n3, text2))
            elif kind == "certificate":
                certificates.append(Certificate(rid, text1, officer_id, date1, date2, date3,
                                                text2))
            else:
                standing = Standing(officer_id, n3, Verdict(text1) if text1 else None, date1,
                                    date2, date3)
        components.sort(key=lambda c: (c.completed_on, c.id), reverse=True)
        certificates.sort(key=lambda c: c.id, reverse=True)
        return standing, components, certificates

    def certificates(self, officer_id: int) -> list[Certificate]:
        rows = plain.connection(self._session).execute(_CERTIFICATES,
                                                       {"officer_id": officer_id})
        return [_certificate(r) for r in rows]

    def current_certificate(self, officer_id: int) -> Certificate | None:
        row = self._session.execute(
            select(CupCertificateRow).where(
                CupCertificateRow.officer_id == officer_id, CupCertificateRow.ended_on.is_(None)
            )
        ).scalar_one_or_none()
        return None if row is None else _certificate(row)

    def certificate_count(self, officer_id: int) -> int:
        return int(self._session.scalar(
            select(func.count()).select_from(CupCertificateRow)
            .where(CupCertificateRow.officer_id == officer_id)
        ) or 0)

    def add_certificate(self, *, number: str, officer_id: int, issued_on: date,
                        valid_until: date) -> int:
        result = self._session.execute(
            insert(CupCertificateRow).returning(CupCertificateRow.id),
            {"number": number, "officer_id": officer_id, "issued_on": issued_on,
             "valid_until": valid_until},
        )
        return int(result.scalar_one())

    def end_certificate(self, certificate_id: int, on: date, reason: str) -> None:
        self._session.execute(
            update(CupCertificateRow).where(CupCertificateRow.id == certificate_id)
            .values(ended_on=on, end_reason=reason)
        )

    def lapsed_certificates(self, today: date, limit: int) -> list[Certificate]:
        """Current certificates whose end date has passed: to be recorded as expired."""
        rows = self._session.scalars(
            select(CupCertificateRow).where(
                CupCertificateRow.ended_on.is_(None), CupCertificateRow.valid_until < today
            ).order_by(CupCertificateRow.id).limit(limit)
        )
        return [_certificate(r) for r in rows]

    # Standing -----------------------------------------------------------------------------

    def standing(self, officer_id: int) -> Standing | None:
        row = plain.connection(self._session).execute(
            _STANDING, {"officer_id": officer_id}).first()
        if row is None:
            return None
        return Standing(
            officer_id, row.last_evaluation_id,
            Verdict(row.last_verdict) if row.last_verdict else None,
            row.last_decided_on, row.approved_until, row.cup_until,
        )

    def set_standing(self, officer_id: int, *, last_evaluation_id: int | None,
                     last_verdict: Verdict, last_decided_on: date,
                     approved_until: date | None) -> None:
        """Record the officer's last decision and the approval it leaves (the certificate's
        side of the standing is kept)."""
        self._upsert_standing(officer_id, {
            "last_evaluation_id": last_evaluation_id, "last_verdict": last_verdict.value,
            "last_decided_on": last_decided_on, "approved_until": approved_until,
        })

    def set_cup_until(self, officer_id: int, until: date | None) -> None:
        """Record until when the officer's current certificate runs (None: none is current);
        the decision's side of the standing is kept."""
        self._upsert_standing(officer_id, {"cup_until": until})

    def _upsert_standing(self, officer_id: int, values: dict[str, object]) -> None:
        if self._session.get(OfficerStandingRow, officer_id) is None:
            self._session.execute(insert(OfficerStandingRow), {"officer_id": officer_id,
                                                               **values})
        else:
            self._session.execute(
                update(OfficerStandingRow).where(OfficerStandingRow.officer_id == officer_id)
                .values(values)
            )
        self._session.expire_all()

    # Consequences -------------------------------------------------------------------------

    def add_separation(self, *, officer_id: int, agency_id: int, evaluation_id: int | None,
                       opened_on: date, status: SeparationStatus,
                       integrity_case_id: int | None = None) -> int:
        result = self._session.execute(
            insert(SeparationProcessRow).returning(SeparationProcessRow.id),
            {"officer_id": officer_id, "agency_id": agency_id, "evaluation_id": evaluation_id,
             "integrity_case_id": integrity_case_id, "opened_on": opened_on,
             "status": status.value},
        )
        return int(result.scalar_one())

    def separation(self, process_id: int) -> SeparationProcess | None:
        row = self._session.get(SeparationProcessRow, process_id)
        return None if row is None else _separation(row)

    def separation_of(self, evaluation_id: int) -> SeparationProcess | None:
        row = self._session.execute(
            select(SeparationProcessRow).where(SeparationProcessRow.evaluation_id == evaluation_id)
        ).scalar_one_or_none()
        return None if row is None else _separation(row)

    def separations_of_officer(self, officer_id: int) -> list[SeparationProcess]:
        """The separation processes the officer's evaluations opened, in one statement (at most
        one per evaluation)."""
        rows = plain.connection(self._session).execute(_SEPARATIONS_OF_OFFICER,
                                                       {"officer_id": officer_id})
        return [_separation(r) for r in rows]

    def close_separation(self, process_id: int, status: SeparationStatus, on: date,
                         outcome: str) -> bool:
        done = self._session.execute(
            update(SeparationProcessRow)
            .where(SeparationProcessRow.id == process_id,
                   SeparationProcessRow.status == SeparationStatus.OPEN.value)
            .values(status=status.value, closed_on=on, outcome=outcome)
        )
        self._session.expire_all()
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def separations(self, *, open_only: bool, scope: Scope, agency_id: int | None,
                    limit: int) -> list[SeparationProcess]:
        query = (
            select(SeparationProcessRow)
            .join(AgencyRow, AgencyRow.id == SeparationProcessRow.agency_id)
            .order_by(SeparationProcessRow.id.desc()).limit(limit)
        )
        if open_only:
            query = query.where(SeparationProcessRow.status == SeparationStatus.OPEN.value)
        if agency_id is not None:
            query = query.where(SeparationProcessRow.agency_id == agency_id)
        return [_separation(r) for r in self._session.scalars(_scoped(query, scope))]

    def notify(self, *, agency_id: int, officer_id: int, evaluation_id: int | None, kind: str,
               message: str, created_at: datetime) -> int:
        result = self._session.execute(
            insert(AgencyNotificationRow).returning(AgencyNotificationRow.id),
            {"agency_id": agency_id, "officer_id": officer_id, "evaluation_id": evaluation_id,
             "kind": kind, "message": message, "created_at": created_at},
        )
        return int(result.scalar_one())

    def notifications(self, *, scope: Scope, agency_id: int | None, unread_only: bool,
                      limit: int) -> list[Notification]:
        query = (
            select(AgencyNotificationRow)
            .join(AgencyRow, AgencyRow.id == AgencyNotificationRow.agency_id)
            .order_by(AgencyNotificationRow.id.desc()).limit(limit)
        )
        if agency_id is not None:
            query = query.where(AgencyNotificationRow.agency_id == agency_id)
        if unread_only:
            query = query.where(AgencyNotificationRow.read_at.is_(None))
        return [_notification(r) for r in self._session.scalars(_scoped(query, scope))]

    def notification(self, notification_id: int) -> Notification | None:
        row = self._session.get(AgencyNotificationRow, notification_id)
        return None if row is None else _notification(row)

    def mark_read(self, notification_id: int, now: datetime) -> None:
        self._session.execute(
            update(AgencyNotificationRow)
            .where(AgencyNotificationRow.id == notification_id,
                   AgencyNotificationRow.read_at.is_(None))
            .values(read_at=now)
        )

    # Lists and coverage -------------------------------------------------------------------

    def _on_duty(self) -> Select[Any]:
        """Officers holding an open assignment, with their agency and standing."""
        columns: list[Any] = [
            OfficerRow.id, *_NAME_COLUMNS, OfficerRow.curp, OfficerRow.status,
            AssignmentRow.agency_id, AgencyRow.code, AgencyRow.state_code, AssignmentRow.rank,
            OfficerStandingRow.last_verdict, OfficerStandingRow.approved_until,
            OfficerStandingRow.cup_until,
        ]
        return (
            select(*columns)
            .select_from(AssignmentRow)
            .join(OfficerRow, OfficerRow.id == AssignmentRow.officer_id)
            .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id)
            .outerjoin(OfficerStandingRow, OfficerStandingRow.officer_id == OfficerRow.id)
            # One posting answers for each officer: a task force secondment beside a
            # full-time posting would list the officer twice (ADR 0025).
            .where(answers_for_officer())
        )

    def alerts(
        self, *, today: date, scope: Scope, agency_id: int | None, state_code: str | None,
        after: int | None, limit: int | None,
    ) -> Iterator[tuple[Any, ...]]:
        """Officers on active duty without a valid approval or a current certificate, in
        officer id order. Rows: id, first, second, given, curp, status, agency id, agency
        code, state, rank, last verdict, approved until, certificate until."""
        query = self._alerted(today).order_by(OfficerRow.id)
        if agency_id is not None:
            query = query.where(AssignmentRow.agency_id == agency_id)
        if state_code is not None:
            query = query.where(AgencyRow.state_code == state_code)
        if after is not None:
            query = query.where(OfficerRow.id > after)
        if limit is not None:
            query = query.limit(limit)
        result = self._session.execute(_scoped(query, scope).execution_options(yield_per=5000))
        for row in result:
            yield tuple(row)

    def reevaluation(
        self, *, today: date, until: date, scope: Scope, agency_id: int | None, limit: int,
        after: tuple[date, int] | None,
    ) -> list[tuple[Any, ...]]:
        """Officers holding an open assignment whose approval ends between today and `until`,
        soonest first, with the id of an evaluation already under way, if any."""
        query = (
            self._expiring(today, until)
            .order_by(OfficerStandingRow.approved_until, OfficerRow.id)
            .limit(limit)
        )
        if agency_id is not None:
            query = query.where(AssignmentRow.agency_id == agency_id)
        if after is not None:
            query = query.where(
                or_(OfficerStandingRow.approved_until > after[0],
                    and_(OfficerStandingRow.approved_until == after[0],
                         OfficerRow.id > after[1]))
            )
        return [tuple(r) for r in self._session.execute(_scoped(query, scope))]

    def _alerted(self, today: date) -> Select[Any]:
        """The alert list's rows (see `alerts`), in no order."""
        return self._on_duty().where(
            OfficerRow.status == "active",
            or_(
                OfficerStandingRow.approved_until.is_(None),
                OfficerStandingRow.approved_until < today,
                OfficerStandingRow.cup_until.is_(None),
                OfficerStandingRow.cup_until < today,
            ),
        )

    def _expiring(self, today: date, until: date) -> Select[Any]:
        """The re-evaluation list's rows (see `reevaluation`), in no order."""
        open_evaluation = (
            select(EvaluationRow.id)
            .where(EvaluationRow.officer_id == OfficerRow.id, EvaluationRow.closed_at.is_(None))
            .limit(1).scalar_subquery().label("open_evaluation_id")
        )
        return (
            select(
                OfficerRow.id, *_NAME_COLUMNS, AssignmentRow.agency_id, AgencyRow.code,
                AssignmentRow.rank, OfficerStandingRow.approved_until, open_evaluation,
            )
            .select_from(OfficerStandingRow)
            .join(OfficerRow, OfficerRow.id == OfficerStandingRow.officer_id)
            .join(AssignmentRow, and_(AssignmentRow.officer_id == OfficerRow.id,
                                      answers_for_officer()))
            .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id)
            .where(OfficerStandingRow.approved_until >= today,
                   OfficerStandingRow.approved_until <= until,
                   OfficerRow.status.in_(("active", "suspended")))
        )

    def coverage(self, *, today: date, scope: Scope, by: str, state_code: str | None,
                 agency_id: int | None = None) -> list[CoverageRow]:
        """Figures per state (`by="state"`) or per agency (`by="agency"`), one pass over the
        open assignments."""
        s = OfficerStandingRow
        valid_approval = and_(s.approved_until.is_not(None), s.approved_until >= today)
        valid_cup = and_(s.cup_until.is_not(None), s.cup_until >= today)

        def count(condition: Any) -> Any:
            return func.sum(case((condition, 1), else_=0))

        key = AgencyRow.state_code if by == "state" else AgencyRow.id
        name = (func.coalesce(AgencyRow.state_code, literal("--")) if by == "state"
                else func.min(AgencyRow.name))
        query = (
            select(
                key, name, func.count(),
                count(valid_approval),
                count(and_(s.approved_until.is_not(None), s.approved_until < today)),
                count(and_(s.last_verdict == Verdict.NOT_APPROVED.value,
                           s.approved_until.is_(None))),
                count(s.last_verdict.is_(None)),
                count(and_(valid_approval, valid_cup)),
                count(and_(OfficerRow.status == "active",
                           or_(~valid_approval, ~valid_cup,
                               s.officer_id.is_(None)))),
            )
            .select_from(AssignmentRow)
            .join(OfficerRow, OfficerRow.id == AssignmentRow.officer_id)
            .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id)
            .outerjoin(s, s.officer_id == AssignmentRow.officer_id)
            .where(answers_for_officer())
            .group_by(key)
            .order_by(key)
        )
        if state_code is not None:
            query = query.where(AgencyRow.state_code == state_code)
        if agency_id is not None:
            query = query.where(AgencyRow.id == agency_id)
        rows = self._session.execute(_scoped(query, scope))
        # The counts in the order `Figures` takes them; `evaluated` is theirs to derive (every
        # officer counted is either evaluated or never evaluated).
        return [
            CoverageRow(*(int(v or 0) for v in r[2:]),
                        key=str(r[0]) if r[0] is not None else "--", name=str(r[1]))
            for r in rows
        ]

    # Home: what needs attention now ---------------------------------------------------------
    # The lists above can run to tens of thousands of officers; the home counts at most `cap`
    # of them (it says "cap or more") and shows the first few of those counted, so its cost is
    # bounded by the cap and not by the size of the force in scope. The counted rows carry the
    # officer id and the sort key only; the few shown are then read whole.

    def alerts_sample(self, *, today: date, scope: Scope, cap: int, limit: int
                      ) -> tuple[int, list[tuple[Any, ...]]]:
        """How many are on the alert list (up to `cap`), and the first `limit` of those by
        officer id; rows as `alerts` gives them."""
        counted = _scoped(self._alerted(today), scope).with_only_columns(OfficerRow.id)
        ids = [int(i) for i in self._session.scalars(counted.limit(cap))]
        shown = sorted(ids)[:limit]
        if not shown:
            return len(ids), []
        rows = self._session.execute(
            self._alerted(today).where(OfficerRow.id.in_(shown)).order_by(OfficerRow.id))
        return len(ids), [tuple(r) for r in rows]

    def reevaluation_sample(self, *, today: date, until: date, scope: Scope, cap: int,
                            limit: int) -> tuple[int, list[tuple[Any, ...]]]:
        """How many approvals end between today and `until` (up to `cap`), and the soonest
        `limit` of those; rows as `reevaluation` gives them."""
        counted = _scoped(self._expiring(today, until), scope).with_only_columns(
            OfficerStandingRow.approved_until, OfficerRow.id)
        keys = [(r[0], int(r[1])) for r in self._session.execute(counted.limit(cap))]
        shown = [oid for _, oid in sorted(keys)[:limit]]
        if not shown:
            return len(keys), []
        rows = self._session.execute(
            self._expiring(today, until).where(OfficerRow.id.in_(shown))
            .order_by(OfficerStandingRow.approved_until, OfficerRow.id))
        return len(keys), [tuple(r) for r in rows]

    def notifications_unread(self, *, scope: Scope, limit: int
                             ) -> tuple[int, list[Notification]]:
        """Unread notifications inside the scope: how many, and the newest `limit`."""
        where = (AgencyNotificationRow.read_at.is_(None),)
        joined = (AgencyRow, AgencyRow.id == AgencyNotificationRow.agency_id)
        total = self._session.scalar(_scoped(
            select(func.count()).select_from(AgencyNotificationRow).join(*joined)
            .where(*where), scope))
        rows = self._session.scalars(_scoped(
            select(AgencyNotificationRow).join(*joined).where(*where)
            .order_by(AgencyNotificationRow.id.desc()).limit(limit), scope))
        return int(total or 0), [_notification(r) for r in rows]

    def separations_open(self, *, scope: Scope, limit: int
                         ) -> tuple[int, list[SeparationProcess]]:
        """Open separation processes inside the scope: how many, and the oldest `limit`."""
        where = (SeparationProcessRow.status == SeparationStatus.OPEN.value,)
        joined = (AgencyRow, AgencyRow.id == SeparationProcessRow.agency_id)
        total = self._session.scalar(_scoped(
            select(func.count()).select_from(SeparationProcessRow).join(*joined)
            .where(*where), scope))
        rows = self._session.scalars(_scoped(
            select(SeparationProcessRow).join(*joined).where(*where)
            .order_by(SeparationProcessRow.id).limit(limit), scope))
        return int(total or 0), [_separation(r) for r in rows]
