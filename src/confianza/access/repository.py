"""The trail and the registry's facts, read set-based for explanation (ADR 0037).

Every query takes the whole set of officers (in chunks the databases' parameter limits allow),
never one officer per read: a day of national traffic names hundreds of thousands of officers,
and explanation must stay a handful of scans.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, func, or_, select, text, true
from sqlalchemy.orm import Session

from confianza.access.rules.alerts import Alert, AlertRead, Mark, NewAlert, Outcome
from confianza.access.rules.facts import (
    GRACE,
    CaseFact,
    Facts,
    Posting,
    Reader,
    Span,
    Task,
    TaskKind,
)
from confianza.access.rules.kept import KeptHeader, PackedDay
from confianza.access.rules.reads import Entry, Ref, Resolved, TrailLine
from confianza.accounts.rules.permissions import Holder, Role, Scope, ScopeKind
from confianza.core.db.models import (
    AccessAlertOutcomeRow,
    AccessAlertReadRow,
    AccessAlertRow,
    AccessLookbackDayRow,
    AccessLookbackRow,
    AgencyNotificationRow,
    AgencyRow,
    AppealRow,
    AssignmentRow,
    AuditEntryRow,
    EvaluationExamRow,
    EvaluationRow,
    IntegrityAllegationRow,
    IntegrityAssignmentRow,
    IntegrityCaseRow,
    OfficerRow,
    RiskReviewRow,
    RiskRunRow,
    RiskScoreRow,
    RosterConflictRow,
    RosterSeparationRow,
    SeparationProcessRow,
    UserRow,
)

CHUNK = 5_000  # ids per IN list: well inside SQLite's and PostgreSQL's parameter limits
TRAIL_BATCH = 80_000  # trail ids fetched at a time
WHOLE = 100_000  # officers beyond which the facts' tables are read whole, not by id lists


def _readers_in(scope: Scope) -> Any:
    """The alerts whose reader's account works inside `scope` (as `reader_holder` and
    `Scope.covers` judge it): every alert for a national scope; for a state, the readers
    scoped to that state or to one of its agencies; for an agency, its own readers."""
    if scope.kind is ScopeKind.NATIONAL:
        return true()
    if scope.kind is ScopeKind.STATE:
        inside = or_(
            (UserRow.scope_kind == ScopeKind.STATE.value)
            & (UserRow.scope_state_code == scope.state_code),
            (UserRow.scope_kind == ScopeKind.AGENCY.value)
            & UserRow.scope_agency_id.in_(select(AgencyRow.id).where(
                AgencyRow.state_code == scope.state_code)))
    else:
        inside = ((UserRow.scope_kind == ScopeKind.AGENCY.value)
                  & (UserRow.scope_agency_id == scope.agency_id))
    return AccessAlertRow.reader.in_(select(UserRow.username).where(inside))


T = TypeVar("T")


def _chunks(values: Collection[T]) -> Iterator[list[T]]:
    ordered = sorted(values)  # type: ignore[type-var]
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i:i + CHUNK]


def _in(column: Any, ids: Sequence[int] | None) -> Any:
    """Every row when `ids` is None (the whole registry is asked about); else `column IN (1,
    2, ...)` with the ids written into the statement: they are integers (nothing to quote),
    and 5,000 bound parameters cost SQLAlchemy more to name and compile than the database
    takes to run the query."""
    if ids is None:
        return true()
    return column.op("IN")(text("(" + ",".join(str(int(n)) for n in ids) + ")"))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _day_end(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day + timedelta(days=1), time(), UTC)


def _fetched(driver: Any, low: int, high: int, actions: Collection[str]) -> Iterator[list[Any]]:
    """The driver's own rows of the trail, `TRAIL_BATCH` ids at a time, in id order. The
    actions are the code's own constants, written into the statement."""
    listed = ", ".join("'" + a.replace("'", "''") + "'" for a in sorted(actions))
    sql = ("SELECT id, at, actor, action, resource_type, resource_id, purpose, detail "
           f"FROM audit_entries WHERE id >= {{low}} AND id < {{high}} AND action IN ({listed}) "
           "ORDER BY id")
    start = low
    while start < high:
        stop = min(start + TRAIL_BATCH, high)
        cursor = driver.cursor()
        try:
            cursor.execute(sql.format(low=int(start), high=int(stop)))
            rows = cursor.fetchall()
        finally:
            cursor.close()
        if rows:
            yield rows
        start = stop


class AccessRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # The trail -------------------------------------------------------------------------

    def first_entry_at(self, instant: datetime) -> int:
        """Bisection over the primary key: ids follow the time entries were written (each
        transaction's clock), so about log2(n) look-ups find the first entry of an instant."""
        top = self._session.scalar(select(func.max(AuditEntryRow.id))) or 0
        low, high = 1, top + 1  # the answer lies in [low, high]
        while low < high:
            middle = (low + high) // 2
            row = self._session.execute(
                select(AuditEntryRow.id, AuditEntryRow.at).where(AuditEntryRow.id >= middle)
                .order_by(AuditEntryRow.id).limit(1)).first()
            if row is None or row.at >= instant:
                high = middle
            else:
                low = row.id + 1
        return low

    def trail(self, low: int, high: int, actions: Collection[str]) -> Iterator[TrailLine]:
        """The entries as `TrailLine`s, each detail parsed (`trail_rows` without the batches)."""
        loads = json.loads
        for rows in self.trail_rows(low, high, actions):
            for number, at, who, action, kind, resource, purpose, detail in rows:
                yield TrailLine(number, at, who, action, kind, resource, purpose,
                                loads(detail) if detail and detail != "{}" else {})

    def trail_rows(self, low: int, high: int, actions: Collection[str]) -> Iterator[list[Entry]]:
        """Read straight from the driver's cursor, a range of ids at a time: a day of national
        traffic is two million rows, and SQLAlchemy's row machinery cost more than the rest of
        reading them. The instant is parsed here; the detail is left as its text, for the
        caller to parse only where it names what it needs (most reads name the officer as
        their resource and need none)."""
        driver: Any = self._session.connection().connection.driver_connection
        sqlite = isinstance(driver, sqlite3.Connection)
        parse = datetime.fromisoformat
        for rows in _fetched(driver, low, high, actions):
            if sqlite:
                yield [(n, parse(at + "+00:00"), who, action, kind, resource, purpose, detail)
                       for n, at, who, action, kind, resource, purpose, detail in rows]
            else:
                yield [(n, at.astimezone(UTC), who, action, kind, resource, purpose, detail)
                       for n, at, who, action, kind, resource, purpose, detail in rows]

    def trail_fetch(self, low: int, high: int, actions: Collection[str]) -> int:
        """The rows `trail_rows` reads, fetched by the driver and dropped (nothing parsed):
        the ceiling the benchmark sets the reading against. How many rows."""
        driver: Any = self._session.connection().connection.driver_connection
        return sum(len(rows) for rows in _fetched(driver, low, high, actions))

    def resolve(self, refs: Collection[tuple[Ref, int]]) -> Resolved:
        by_kind: dict[Ref, set[int]] = defaultdict(set)
        for kind, number in refs:
            by_kind[kind].add(number)
        found: dict[tuple[Ref, int], tuple[int, ...]] = {}
        queries: dict[Ref, Any] = {
            Ref.EVALUATION: (EvaluationRow.id, EvaluationRow.officer_id, None),
            Ref.EXAM: (EvaluationExamRow.id, EvaluationRow.officer_id,
                       EvaluationExamRow.evaluation_id == EvaluationRow.id),
            Ref.APPEAL: (AppealRow.id, EvaluationRow.officer_id,
                         AppealRow.evaluation_id == EvaluationRow.id),
            Ref.SEPARATION: (SeparationProcessRow.id, SeparationProcessRow.officer_id, None),
            Ref.NOTIFICATION: (AgencyNotificationRow.id, AgencyNotificationRow.officer_id, None),
            Ref.CASE: (IntegrityAllegationRow.case_id, IntegrityAllegationRow.officer_id, None),
        }
        for kind, numbers in by_kind.items():
            key, officer, join = queries[kind]
            gathered: dict[int, set[int]] = defaultdict(set)
            for chunk in _chunks(numbers):
                statement = select(key, officer).where(_in(key, chunk))
                if join is not None:
                    statement = statement.where(join)
                for number, officer_id in self._session.execute(statement):
                    if officer_id is not None:
                        gathered[number].add(officer_id)
            for number, officers in gathered.items():
                found[(kind, number)] = tuple(sorted(officers))
        return found

    # The registry's facts --------------------------------------------------------------

    def facts(self, officers: Collection[int], since: datetime, until: datetime) -> Facts:
        facts = Facts()
        self._readers(facts)
        facts.agency_states = {row.id: row.state_code for row in self._session.execute(
            select(AgencyRow.id, AgencyRow.state_code))}
        early = since - GRACE
        self._leaving(facts, until.date())
        # A national day reads most of the registry: then each table is read once, whole for
        # the period, rather than through a hundred lists of 5,000 ids (facts of officers
        # nobody read cost memory, never an answer: the rules look up the officers read).
        groups: list[Sequence[int] | None] = (
            [None] if len(officers) > WHOLE else list(_chunks(officers)))
        for chunk in groups:
            self._postings(facts, chunk, since.date() - GRACE)
            self._evaluations(facts, chunk, early, until)
            self._tasks(facts, chunk, early, until)
            self._cases(facts, chunk, early, until)
        return facts

    def _readers(self, facts: Facts) -> None:
        own: dict[int, set[int]] = defaultdict(set)
        for user_id, officer_id in self._session.execute(
                select(IntegrityAssignmentRow.user_id, IntegrityAssignmentRow.officer_id)
                .where(IntegrityAssignmentRow.officer_id.is_not(None)).distinct()):
            if officer_id is not None:
                own[user_id].add(officer_id)
        for row in self._session.execute(select(UserRow.id, UserRow.username, UserRow.role,
                                                UserRow.scope_kind, UserRow.scope_state_code,
                                                UserRow.scope_agency_id)):
            try:
                role: Role | None = Role(row.role)
                scope = Scope(ScopeKind(row.scope_kind), row.scope_state_code,
                              row.scope_agency_id)
            except ValueError:
                role, scope = None, Scope()
            facts.readers[row.username] = Reader(row.username, row.id, role, scope,
                                                 frozenset(own.get(row.id, ())))

    def _leaving(self, facts: Facts, until: date) -> None:
        """Readers whose own registry record (where the registry links one) has a separation
        under way or a posting ending ahead of the period's end."""
        mine: dict[int, str] = {}
        for reader in facts.readers.values():
            for officer in reader.officers:
                mine[officer] = reader.username
        if not mine:
            return
        for chunk in _chunks(mine):
            for officer_id, opened in self._session.execute(
                    select(SeparationProcessRow.officer_id, SeparationProcessRow.opened_on)
                    .where(_in(SeparationProcessRow.officer_id, chunk),
                           SeparationProcessRow.closed_on.is_(None))):
                facts.leaving[mine[officer_id]] = f"separación abierta desde {opened}"
            for officer_id, ends in self._session.execute(
                    select(AssignmentRow.officer_id, AssignmentRow.end_date)
                    .where(_in(AssignmentRow.officer_id, chunk),
                           AssignmentRow.end_date.is_not(None),
                           AssignmentRow.end_date >= until - timedelta(days=30))):
                facts.leaving.setdefault(mine[officer_id], f"adscripción que termina el {ends}")

    def _postings(self, facts: Facts, chunk: Sequence[int] | None, since: date) -> None:
        for officer_id, agency_id, start, end, unit_id in self._session.execute(
                select(AssignmentRow.officer_id, AssignmentRow.agency_id,
                       AssignmentRow.start_date, AssignmentRow.end_date,
                       AssignmentRow.unit_id)
                .where(_in(AssignmentRow.officer_id, chunk),
                       or_(AssignmentRow.end_date.is_(None), AssignmentRow.end_date >= since))):
            facts.postings.setdefault(officer_id, []).append(
                Posting(agency_id, start, end, unit_id))

    def _evaluations(self, facts: Facts, chunk: Sequence[int] | None, early: datetime,
                     until: datetime) -> None:
        alive = (_in(EvaluationRow.officer_id, chunk), EvaluationRow.requested_at <= until,
                 or_(EvaluationRow.closed_at.is_(None), EvaluationRow.closed_at >= early))
        # Rows unpacked as tuples: a national day's facts are hundreds of thousands of rows,
        # and a row's attributes by name cost more than the rest of their handling.
        evaluations: dict[int, tuple[int, int, str, datetime, datetime | None]] = {
            number: (officer_id, agency_id, status, requested, closed)
            for number, officer_id, agency_id, status, requested, closed in self._session.execute(
                select(EvaluationRow.id, EvaluationRow.officer_id, EvaluationRow.agency_id,
                       EvaluationRow.status, EvaluationRow.requested_at,
                       EvaluationRow.closed_at).where(*alive))}
        results: dict[int, list[datetime | None]] = defaultdict(list)
        exams = facts.exams
        # The exams of the evaluations alive, found through them (`IN`, not a join): SQLite
        # then looks each one's exams up by its index instead of walking every exam ever
        # taken (four million nationally) to its evaluation.
        for number, examiner_id, recorded_at in self._session.execute(
                select(EvaluationExamRow.evaluation_id, EvaluationExamRow.examiner_id,
                       EvaluationExamRow.recorded_at)
                .where(EvaluationExamRow.evaluation_id.in_(
                    select(EvaluationRow.id).where(*alive)))):
            officer_id, _, _, requested, closed = evaluations[number]
            results[number].append(recorded_at)
            if examiner_id is not None:
                key = (examiner_id, officer_id)
                span = Span(requested, recorded_at or closed)
                held = exams.get(key)
                if held is None:
                    exams[key] = [span]
                else:
                    held.append(span)
        for number, (officer_id, agency_id, _, requested, closed) in evaluations.items():
            recorded = results.get(number, [])
            first = min((r for r in recorded if r is not None), default=None)
            facts.bookings.setdefault(officer_id, []).append(Span(requested, first or closed))
            if recorded and all(r is not None for r in recorded):
                last = max(r for r in recorded if r is not None)
                facts.decisions.setdefault(officer_id, []).append(Span(last, closed))
            facts.tasks.setdefault(officer_id, []).append(
                Task(TaskKind.EVALUATION, agency_id, Span(requested, closed)))
        for officer_id, agency_id, filed, decided in self._session.execute(
                select(EvaluationRow.officer_id, EvaluationRow.agency_id, AppealRow.filed_on,
                       AppealRow.decided_on)
                .join(EvaluationRow, EvaluationRow.id == AppealRow.evaluation_id)
                .where(_in(EvaluationRow.officer_id, chunk),
                       or_(AppealRow.decided_on.is_(None),
                           AppealRow.decided_on >= early.date()))):
            span = Span(_day_start(filed), _day_end(decided))
            facts.appeals.setdefault(officer_id, []).append(span)
            facts.tasks.setdefault(officer_id, []).append(Task(TaskKind.APPEAL, agency_id, span))

    def _tasks(self, facts: Facts, chunk: Sequence[int] | None, early: datetime,
               until: datetime) -> None:
        def add(officer_id: int, kind: TaskKind, agency_id: int, span: Span) -> None:
            facts.tasks.setdefault(officer_id, []).append(Task(kind, agency_id, span))

        for row in self._session.execute(
                select(AgencyNotificationRow.officer_id, AgencyNotificationRow.agency_id,
                       AgencyNotificationRow.created_at, AgencyNotificationRow.read_at)
                .where(_in(AgencyNotificationRow.officer_id, chunk),
                       AgencyNotificationRow.created_at <= until,
                       or_(AgencyNotificationRow.read_at.is_(None),
                           AgencyNotificationRow.read_at >= early))):
            add(row.officer_id, TaskKind.NOTIFICATION, row.agency_id,
                Span(row.created_at, row.read_at))
        for sep in self._session.execute(
                select(SeparationProcessRow.officer_id, SeparationProcessRow.agency_id,
                       SeparationProcessRow.opened_on, SeparationProcessRow.closed_on)
                .where(_in(SeparationProcessRow.officer_id, chunk),
                       or_(SeparationProcessRow.closed_on.is_(None),
                           SeparationProcessRow.closed_on >= early.date()))):
            add(sep.officer_id, TaskKind.SEPARATION, sep.agency_id,
                Span(_day_start(sep.opened_on), _day_end(sep.closed_on)))
        for pending in self._session.execute(
                select(RosterSeparationRow.officer_id, RosterSeparationRow.agency_id,
                       RosterSeparationRow.proposed_at, RosterSeparationRow.decided_at)
                .where(_in(RosterSeparationRow.officer_id, chunk),
                       or_(RosterSeparationRow.decided_at.is_(None),
                           RosterSeparationRow.decided_at >= early))):
            add(pending.officer_id, TaskKind.PENDING_SEPARATION, pending.agency_id,
                Span(pending.proposed_at, pending.decided_at))
        for conflict in self._session.execute(
                select(RosterConflictRow.officer_id, RosterConflictRow.proposed_at,
                       RosterConflictRow.decided_at)
                .where(_in(RosterConflictRow.officer_id, chunk),
                       or_(RosterConflictRow.decided_at.is_(None),
                           RosterConflictRow.decided_at >= early))):
            facts.conflicts.setdefault(conflict.officer_id, []).append(
                Span(conflict.proposed_at, conflict.decided_at))
        # A flag is the agency's task from its run until it is reviewed; its agency is the
        # officer's (a flag names no agency of its own).
        for flag in self._session.execute(
                select(RiskScoreRow.officer_id, RiskRunRow.scored_at, RiskReviewRow.reviewed_at)
                .join(RiskRunRow, RiskRunRow.id == RiskScoreRow.run_id)
                .outerjoin(RiskReviewRow, RiskReviewRow.score_id == RiskScoreRow.id)
                .where(_in(RiskScoreRow.officer_id, chunk), RiskScoreRow.flagged.is_(True),
                       RiskRunRow.scored_at <= until)):
            for posting in facts.postings.get(flag.officer_id, ()):
                add(flag.officer_id, TaskKind.RISK_FLAG, posting.agency_id,
                    Span(flag.scored_at, flag.reviewed_at))

    def _cases(self, facts: Facts, chunk: Sequence[int] | None, early: datetime,
               until: datetime) -> None:
        named: dict[int, set[int]] = defaultdict(set)
        for case_id, officer_id in self._session.execute(
                select(IntegrityAllegationRow.case_id, IntegrityAllegationRow.officer_id)
                .join(IntegrityCaseRow, IntegrityCaseRow.id == IntegrityAllegationRow.case_id)
                .where(_in(IntegrityAllegationRow.officer_id, chunk),
                       IntegrityCaseRow.opened_at <= until,
                       or_(IntegrityCaseRow.closed_on.is_(None),
                           IntegrityCaseRow.closed_on >= early.date()))):
            if officer_id is not None:
                named[case_id].add(officer_id)
        for numbers in _chunks(named):
            cases = {row.id: row for row in self._session.execute(
                select(IntegrityCaseRow.id, IntegrityCaseRow.agency_id,
                       IntegrityCaseRow.opened_at, IntegrityCaseRow.opened_by,
                       IntegrityCaseRow.closed_on).where(_in(IntegrityCaseRow.id, numbers)))}
            people: dict[int, dict[int, Span]] = defaultdict(dict)
            for row in self._session.execute(
                    select(IntegrityAssignmentRow.case_id, IntegrityAssignmentRow.user_id,
                           IntegrityAssignmentRow.assigned_at)
                    .where(_in(IntegrityAssignmentRow.case_id, numbers))):
                closed = _day_end(cases[row.case_id].closed_on)
                people[row.case_id][row.user_id] = Span(row.assigned_at, closed)
            for number, case in cases.items():
                fact = CaseFact(number, case.agency_id,
                                Span(case.opened_at, _day_end(case.closed_on)),
                                case.opened_by, people.get(number, {}))
                for officer_id in named[number]:
                    facts.cases.setdefault(officer_id, []).append(fact)

    # The auditor's queue ------------------------------------------------------------------

    def unplaced(self, low: int, high: int) -> int:
        return self._session.scalar(
            select(func.count()).select_from(AuditEntryRow)
            .where(AuditEntryRow.id >= low, AuditEntryRow.id < high,
                   AuditEntryRow.seq.is_(None))) or 0

    def alerted(self, low: int) -> set[tuple[int, int]]:
        return {(entry, officer) for entry, officer in self._session.execute(
            select(AccessAlertReadRow.entry_id, AccessAlertReadRow.officer_id)
            .where(AccessAlertReadRow.entry_id >= low))}

    def add_alert(self, alert: NewAlert, by: str, at: datetime) -> int:
        row = AccessAlertRow(
            reader=alert.reader, reader_role=alert.reader_role, first_day=alert.first_day,
            day=alert.day, points=alert.points, threshold=alert.threshold,
            signals=json.dumps([dict(s) for s in alert.signals], ensure_ascii=False),
            created_at=at, created_by=by, outcome=Outcome.OPEN.value)
        self._session.add(row)
        self._session.flush()
        self._session.add_all([AccessAlertReadRow(
            alert_id=row.id, entry_id=r.entry_id, officer_id=r.officer_id, at=r.at,
            action=r.action, signals=",".join(r.signals)[:200]) for r in alert.reads])
        self._session.flush()
        return row.id

    def _counts(self, ids: Sequence[int]) -> dict[int, int]:
        if not ids:
            return {}
        return {alert: n for alert, n in self._session.execute(
            select(AccessAlertReadRow.alert_id, func.count())
            .where(AccessAlertReadRow.alert_id.in_(ids))
            .group_by(AccessAlertReadRow.alert_id))}

    @staticmethod
    def _alert(row: AccessAlertRow, reads: int, marks: tuple[Mark, ...] = (),
               read_list: tuple[AlertRead, ...] = ()) -> Alert:
        return Alert(row.id, row.reader, row.reader_role, row.first_day, row.day, row.points,
                     row.threshold, tuple(json.loads(row.signals)), row.created_at,
                     Outcome(row.outcome), reads, marks, read_list)

    def alerts(self, outcome: Outcome | None, after: int | None, limit: int,
               scope: Scope) -> list[Alert]:
        statement = (select(AccessAlertRow).where(_readers_in(scope))
                     .order_by(AccessAlertRow.id.desc()).limit(limit))
        if outcome is not None:
            statement = statement.where(AccessAlertRow.outcome == outcome.value)
        if after is not None:
            statement = statement.where(AccessAlertRow.id < after)
        rows = list(self._session.scalars(statement))
        counts = self._counts([r.id for r in rows])
        return [self._alert(r, counts.get(r.id, 0)) for r in rows]

    def reader_alerts(self, reader: str, limit: int) -> list[Alert]:
        statement = (select(AccessAlertRow).where(AccessAlertRow.reader == reader)
                     .order_by(AccessAlertRow.day.desc(), AccessAlertRow.id.desc()).limit(limit))
        rows = list(self._session.scalars(statement))
        counts = self._counts([r.id for r in rows])
        return [self._alert(r, counts.get(r.id, 0)) for r in rows]

    def alert(self, alert_id: int) -> Alert | None:
        row = self._session.get(AccessAlertRow, alert_id)
        if row is None:
            return None
        reads = tuple(AlertRead(r.entry_id, r.officer_id, r.at, r.action,
                                tuple(n for n in r.signals.split(",") if n))
                      for r in self._session.scalars(
                          select(AccessAlertReadRow).where(AccessAlertReadRow.alert_id == row.id)
                          .order_by(AccessAlertReadRow.at, AccessAlertReadRow.id)))
        marks = tuple(Mark(Outcome(m.outcome), m.note, m.decided_by, m.decided_at)
                      for m in self._session.scalars(
                          select(AccessAlertOutcomeRow)
                          .where(AccessAlertOutcomeRow.alert_id == row.id)
                          .order_by(AccessAlertOutcomeRow.id)))
        return self._alert(row, len(reads), marks, reads)

    def mark(self, alert_id: int, mark: Mark) -> None:
        row = self._session.get(AccessAlertRow, alert_id)
        assert row is not None
        row.outcome, row.outcome_at, row.outcome_by = mark.outcome.value, mark.at, mark.by
        self._session.add(AccessAlertOutcomeRow(alert_id=alert_id, outcome=mark.outcome.value,
                                                note=mark.note, decided_by=mark.by,
                                                decided_at=mark.at))
        self._session.flush()

    def outcome_counts(self, scope: Scope) -> dict[Outcome, int]:
        return {Outcome(o): n for o, n in self._session.execute(
            select(AccessAlertRow.outcome, func.count()).where(_readers_in(scope))
            .group_by(AccessAlertRow.outcome))}

    def reader_holder(self, reader: str) -> Holder:
        row = self._session.execute(
            select(UserRow.scope_kind, UserRow.scope_state_code, UserRow.scope_agency_id,
                   AgencyRow.state_code)
            .outerjoin(AgencyRow, AgencyRow.id == UserRow.scope_agency_id)
            .where(UserRow.username == reader)).first()
        if row is None or row.scope_kind == ScopeKind.NATIONAL.value:
            return Holder()
        if row.scope_kind == ScopeKind.STATE.value:
            return Holder(state_codes=frozenset({row.scope_state_code} - {None}))
        return Holder(frozenset({row.scope_agency_id}), frozenset({row.state_code} - {None}))

    def officer_ids(self) -> list[int]:
        return list(self._session.scalars(select(OfficerRow.id).order_by(OfficerRow.id)))

    # The detection's running state, kept between runs (ADR 0037 addendum) -------------------

    def accounts(self) -> dict[str, Reader]:
        """Every account as a reader (role and scope as they stand now)."""
        facts = Facts()
        self._readers(facts)
        return facts.readers

    def kept_header(self, *, lock: bool = False) -> KeptHeader | None:
        query = select(AccessLookbackRow).where(AccessLookbackRow.id == 1)
        if lock:
            query = query.with_for_update()
        row = self._session.scalars(query).first()
        if row is None:
            return None
        return KeptHeader(row.version, row.zone, row.first_day, row.last_day,
                          tuple(date.fromisoformat(d) for d in json.loads(row.days)),
                          row.built_to, row.log_size, bytes(row.log_root), row.generation,
                          bytes(row.readers), bytes(row.touchers), row.saved_at, row.saved_by)

    def kept_days(self) -> list[PackedDay]:
        return [PackedDay(row.day, bytes(row.pairs), bytes(row.rates), bytes(row.suspects),
                          row.pair_count, row.suspect_count)
                for row in self._session.execute(
                    select(AccessLookbackDayRow.day, AccessLookbackDayRow.pairs,
                           AccessLookbackDayRow.rates, AccessLookbackDayRow.suspects,
                           AccessLookbackDayRow.pair_count, AccessLookbackDayRow.suspect_count)
                    .order_by(AccessLookbackDayRow.day))]

    def keep(self, header: KeptHeader, written: Sequence[PackedDay]) -> None:
        """Replace the kept state: the header, the days `written` (new or re-explained), and
        no row for a day the header does not list."""
        listed = set(header.days)
        fresh = {d.day for d in written}
        held = set(self._session.scalars(select(AccessLookbackDayRow.day)))
        gone = [d for d in held if d not in listed or d in fresh]
        if gone:
            self._session.execute(delete(AccessLookbackDayRow)
                                  .where(AccessLookbackDayRow.day.in_(gone)))
        self._session.add_all([AccessLookbackDayRow(
            day=d.day, pairs=d.pairs, rates=d.rates, suspects=d.suspects,
            pair_count=d.pair_count, suspect_count=d.suspect_count) for d in written])
        values = {"version": header.version, "zone": header.zone,
                  "first_day": header.first_day, "last_day": header.last_day,
                  "days": json.dumps([d.isoformat() for d in header.days]),
                  "built_to": header.built_to, "log_size": header.log_size,
                  "log_root": header.log_root, "generation": header.generation,
                  "readers": header.readers, "touchers": header.touchers,
                  "saved_at": header.saved_at, "saved_by": header.saved_by}
        row = self._session.get(AccessLookbackRow, 1)
        if row is None:
            self._session.add(AccessLookbackRow(id=1, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
        self._session.flush()
