"""Officers, their identity keys, contacts, assignments and badges."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    delete,
    distinct,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.orm import Session, aliased

from confianza.accounts.rules.permissions import Holder, Scope, ScopeKind
from confianza.core.db import plain
from confianza.core.db.models import (
    AgencyRow,
    AssignmentRow,
    BadgeRow,
    EvaluationRow,
    OfficerContactRow,
    OfficerIdentifierRow,
    OfficerNameTokenRow,
    OfficerRow,
    OfficerStatusChangeRow,
    UnitRow,
)
from confianza.registry.contracts import Career, RosterCounts, RosterCriteria, SearchCriteria
from confianza.registry.rules.agencies import Agency, AgencyLevel
from confianza.registry.rules.assignments import (
    Assignment,
    ChangeReason,
    EmploymentKind,
    PostingKind,
    PostingStatus,
)
from confianza.registry.rules.name_search import NameQuery, token_rows
from confianza.registry.rules.officers import (
    Badge,
    Contact,
    ContactKind,
    ExternalId,
    Officer,
    OfficerStatus,
    RosterLine,
    Sex,
    StatusChange,
    search_key,
)
from confianza.registry.rules.rosters import Staff

_OFFICER_COLUMNS = (
    OfficerRow.id,
    OfficerRow.curp,
    OfficerRow.given_names,
    OfficerRow.first_surname,
    OfficerRow.second_surname,
    OfficerRow.birth_date,
    OfficerRow.birth_year,
    OfficerRow.sex,
    OfficerRow.status,
)


def _officer(row: Sequence[Any]) -> Officer:
    (oid, curp, given, first, second, birth, year, sex, status) = row
    return Officer(
        id=int(oid),
        curp=curp,
        given_names=given,
        first_surname=first,
        second_surname=second,
        birth_date=birth,
        birth_year=year,
        sex=Sex(sex) if sex else None,
        status=OfficerStatus(status),
    )


def _assignment(row: AssignmentRow) -> Assignment:
    return Assignment(
        id=row.id,
        officer_id=row.officer_id,
        agency_id=row.agency_id,
        unit_id=row.unit_id,
        rank=row.rank,
        start_date=row.start_date,
        end_date=row.end_date,
        start_reason=ChangeReason(row.start_reason),
        end_reason=ChangeReason(row.end_reason) if row.end_reason else None,
        status=PostingStatus(row.status),
        kind=PostingKind(row.kind),
        employment=EmploymentKind(row.employment),
        status_since=row.status_since,
    )


# The profile's reads, built once: a statement made anew costs more to build than to run, and
# one built once is compiled once (SQLAlchemy keeps its compiled form under a key it computes
# once per statement object). Run on the session's connection, below the ORM: they read plain
# rows, which the ORM's loading would only slow down.
_OFFICERS = OfficerRow.__table__.c
_POSTINGS = AssignmentRow.__table__.c
_AGENCIES = AgencyRow.__table__.c
_UNITS = UnitRow.__table__.c
_BADGES = BadgeRow.__table__.c
_AGENCY_COLUMNS = (_AGENCIES.id, _AGENCIES.code, _AGENCIES.name, _AGENCIES.level,
                   _AGENCIES.state_code, _AGENCIES.municipality_key, _AGENCIES.parent_id,
                   _AGENCIES.merged_into_id, _AGENCIES.dissolved_on)
_CAREER = plain.Statement(
    select(_OFFICERS.id, _OFFICERS.curp, _OFFICERS.given_names, _OFFICERS.first_surname,
           _OFFICERS.second_surname, _OFFICERS.birth_date, _OFFICERS.birth_year, _OFFICERS.sex,
           _OFFICERS.status,
           _POSTINGS.id, _POSTINGS.agency_id, _POSTINGS.unit_id, _POSTINGS.rank,
           _POSTINGS.start_date, _POSTINGS.end_date, _POSTINGS.start_reason,
           _POSTINGS.end_reason, *_AGENCY_COLUMNS, _UNITS.name, _POSTINGS.status,
           _POSTINGS.kind, _POSTINGS.employment, _POSTINGS.status_since)
    .select_from(OfficerRow.__table__
                 .outerjoin(AssignmentRow.__table__, _POSTINGS.officer_id == _OFFICERS.id)
                 .outerjoin(AgencyRow.__table__, _AGENCIES.id == _POSTINGS.agency_id)
                 .outerjoin(UnitRow.__table__, _UNITS.id == _POSTINGS.unit_id))
    .where(_OFFICERS.id == bindparam("officer_id"))
    .order_by(_POSTINGS.start_date, _POSTINGS.id)
)
_OFFICER = plain.Statement(select(*(_OFFICERS[c.key] for c in _OFFICER_COLUMNS)).where(
    _OFFICERS.id == bindparam("officer_id")))
_IDENTIFIERS = plain.Statement(
    select(OfficerIdentifierRow.__table__.c.scheme, OfficerIdentifierRow.__table__.c.value)
    .where(OfficerIdentifierRow.__table__.c.officer_id == bindparam("officer_id"))
    .order_by(OfficerIdentifierRow.__table__.c.scheme)
)
_HISTORY = OfficerStatusChangeRow.__table__.c
_STATUS_HISTORY = plain.Statement(
    select(_HISTORY.id, _HISTORY.status, _HISTORY.effective_on, _HISTORY.reason,
           _HISTORY.actor, _HISTORY.recorded_at)
    .where(_HISTORY.officer_id == bindparam("officer_id"))
    .order_by(_HISTORY.effective_on, _HISTORY.id)
)
_CAREER_BADGES = plain.Statement(
    select(_BADGES.id, _BADGES.agency_id, _BADGES.number, _BADGES.start_date,
           _BADGES.end_date, *_AGENCY_COLUMNS)
    .join_from(BadgeRow.__table__, AgencyRow.__table__, _AGENCIES.id == _BADGES.agency_id)
    .where(_BADGES.officer_id == bindparam("officer_id"))
    .order_by(_BADGES.id)
)


def _agency_of(row: Sequence[Any]) -> Agency:
    (aid, code, name, level, state, municipality, parent, merged, dissolved) = row
    return Agency(int(aid), code, name, AgencyLevel(level), state, municipality, parent, merged,
                  dissolved)


class OfficerRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record_reads(self, officer_id: int, *, history: bool) -> plain.Ahead:
        params = {"officer_id": officer_id}
        reads = [(_CAREER, params), (_CAREER_BADGES, params), (_IDENTIFIERS, params)]
        if history:
            reads.append((_STATUS_HISTORY, params))
        return plain.Ahead(tuple(reads))

    def career(self, officer_id: int) -> Career | None:
        """The officer with their postings (each with its agency and unit) in one statement,
        and their badges (each with its agency) in another; None when there is no such
        officer."""
        connection = plain.connection(self._session)
        rows = connection.execute(_CAREER, {"officer_id": officer_id}).all()
        if not rows:
            return None
        agencies: dict[int, Agency] = {}
        units: dict[int, str] = {}
        assignments = []
        for row in rows:
            if row[9] is None:
                break  # never posted: the one row holds the officer alone
            (aid, agency_id, unit_id, rank, start, end, start_reason, end_reason) = row[9:17]
            (status, kind, employment, since) = row[27:31]
            assignments.append(Assignment(
                int(aid), officer_id, int(agency_id), unit_id, rank, start, end,
                ChangeReason(start_reason), ChangeReason(end_reason) if end_reason else None,
                PostingStatus(status), PostingKind(kind), EmploymentKind(employment), since))
            if agency_id not in agencies:
                agencies[agency_id] = _agency_of(row[17:26])
            if unit_id is not None:
                units[unit_id] = row[26]
        badges = []
        for row in connection.execute(_CAREER_BADGES, {"officer_id": officer_id}):
            (bid, agency_id, number, start, end) = row[:5]
            badges.append(Badge(int(bid), officer_id, int(agency_id), number, start, end))
            if agency_id not in agencies:
                agencies[agency_id] = _agency_of(row[5:])
        return Career(_officer(rows[0][:9]), assignments, badges, agencies, units)

    # Identity -----------------------------------------------------------------------------

    def get(self, officer_id: int) -> Officer | None:
        row = plain.connection(self._session).execute(
            _OFFICER, {"officer_id": officer_id}).first()
        return None if row is None else _officer(row)

    def many(self, ids: list[int]) -> list[Officer]:
        rows = self._session.execute(select(*_OFFICER_COLUMNS).where(OfficerRow.id.in_(ids)))
        by_id = {int(r[0]): _officer(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def id_by_curp(self, curp: str) -> int | None:
        return self._session.scalar(select(OfficerRow.id).where(OfficerRow.curp == curp))

    def ids_by_curps(self, curps: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(curps), 500):
            chunk = curps[start : start + 500]
            rows = self._session.execute(
                select(OfficerRow.curp, OfficerRow.id).where(OfficerRow.curp.in_(chunk))
            )
            found.update({str(c): int(i) for c, i in rows})
        return found

    def id_by_identifier(self, key: ExternalId) -> int | None:
        return self._session.scalar(
            select(OfficerIdentifierRow.officer_id).where(
                OfficerIdentifierRow.scheme == key.scheme,
                OfficerIdentifierRow.value == key.value,
            )
        )

    def ids_by_identifiers(self, scheme: str, values: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            rows = self._session.execute(
                select(OfficerIdentifierRow.value, OfficerIdentifierRow.officer_id).where(
                    OfficerIdentifierRow.scheme == scheme, OfficerIdentifierRow.value.in_(chunk)
                )
            )
            found.update({str(v): int(i) for v, i in rows})
        return found

    def identifiers(self, officer_id: int) -> list[ExternalId]:
        rows = plain.connection(self._session).execute(
            _IDENTIFIERS, {"officer_id": officer_id})
        return [ExternalId(s, v) for s, v in rows]

    def add(
        self, *, curp: str | None, given_names: str, first_surname: str,
        second_surname: str | None, birth_date: date | None, birth_year: int | None,
        sex: Sex | None, status: OfficerStatus, now: datetime,
    ) -> int:
        """Register an identity (names already cleaned); its search key is made here, from the
        names, so that it always matches them."""
        result = self._session.execute(insert(OfficerRow).returning(OfficerRow.id), {
            "curp": curp, "given_names": given_names, "first_surname": first_surname,
            "second_surname": second_surname,
            "search_name": search_key(first_surname, second_surname, given_names),
            "birth_date": birth_date, "birth_year": birth_year,
            "sex": sex.value if sex is not None else None, "status": status.value,
            "created_at": now, "updated_at": now,
        })
        officer_id = int(result.scalar_one())
        self._index_name(officer_id, search_key(first_surname, second_surname, given_names),
                         replace=False)
        return officer_id

    def _index_name(self, officer_id: int, search_name: str, *, replace: bool = True) -> None:
        """Write the words of the officer's name (ADR 0028), replacing any there were."""
        if replace:
            self._session.execute(delete(OfficerNameTokenRow)
                                  .where(OfficerNameTokenRow.officer_id == officer_id))
        rows = token_rows(officer_id, search_name)
        if rows:
            self._session.execute(insert(OfficerNameTokenRow), [
                {"officer_id": o, "token": t, "search_name": n, "words": w}
                for o, t, n, w in rows])

    def add_identifier(self, officer_id: int, key: ExternalId) -> None:
        self._session.execute(
            insert(OfficerIdentifierRow),
            {"officer_id": officer_id, "scheme": key.scheme, "value": key.value},
        )

    def update(
        self, officer_id: int, *, curp: str | None, given_names: str, first_surname: str,
        second_surname: str | None, birth_date: date | None, sex: Sex | None, now: datetime,
    ) -> None:
        """Replace an identity's fields (its search key follows the names); the birth year
        follows a known birth date and is kept otherwise (it may be all a record says)."""
        values: dict[str, object] = {
            "curp": curp, "given_names": given_names, "first_surname": first_surname,
            "second_surname": second_surname,
            "search_name": search_key(first_surname, second_surname, given_names),
            "birth_date": birth_date, "sex": sex.value if sex is not None else None,
            "updated_at": now,
        }
        if birth_date is not None:
            values["birth_year"] = birth_date.year
        self._session.execute(update(OfficerRow).where(OfficerRow.id == officer_id).values(values))
        self._index_name(officer_id, str(values["search_name"]))

    def lock(self, officer_id: int) -> None:
        """Serialise changes to one officer (a row lock on PostgreSQL; SQLite has one writer)."""
        self._session.execute(
            select(OfficerRow.id).where(OfficerRow.id == officer_id).with_for_update()
        )

    # Contacts (sensitive) -----------------------------------------------------------------

    def contacts(self, officer_id: int) -> list[Contact]:
        rows = self._session.execute(
            select(OfficerContactRow.kind, OfficerContactRow.value, OfficerContactRow.label)
            .where(OfficerContactRow.officer_id == officer_id)
            .order_by(OfficerContactRow.id)
        )
        return [Contact(ContactKind(k), v, label) for k, v, label in rows]

    def replace_contacts(self, officer_id: int, contacts: list[Contact]) -> None:
        self._session.execute(
            delete(OfficerContactRow).where(OfficerContactRow.officer_id == officer_id)
        )
        if contacts:
            self._session.execute(
                insert(OfficerContactRow),
                [
                    {"officer_id": officer_id, "kind": c.kind.value, "value": c.value,
                     "label": c.label}
                    for c in contacts
                ],
            )

    # Assignments and badges ---------------------------------------------------------------

    def assignments(self, officer_id: int) -> list[Assignment]:
        rows = self._session.scalars(
            select(AssignmentRow)
            .where(AssignmentRow.officer_id == officer_id)
            .order_by(AssignmentRow.start_date, AssignmentRow.id)
        )
        return [_assignment(r) for r in rows]

    def assignment(self, assignment_id: int) -> Assignment | None:
        row = self._session.get(AssignmentRow, assignment_id)
        return None if row is None else _assignment(row)

    def add_assignment(
        self, *, officer_id: int, agency_id: int, unit_id: int | None, rank: str,
        start_date: date, end_date: date | None, start_reason: ChangeReason,
        end_reason: ChangeReason | None, kind: PostingKind = PostingKind.FULL_TIME,
        employment: EmploymentKind = EmploymentKind.SWORN,
        on_leave: bool = False,
    ) -> int:
        status = (PostingStatus.SEPARATED if end_date is not None
                  else PostingStatus.ON_LEAVE if on_leave else PostingStatus.ACTIVE)
        result = self._session.execute(insert(AssignmentRow).returning(AssignmentRow.id), {
            "officer_id": officer_id, "agency_id": agency_id, "unit_id": unit_id, "rank": rank,
            "start_date": start_date, "end_date": end_date, "start_reason": start_reason.value,
            "end_reason": end_reason.value if end_reason is not None else None,
            "status": status.value, "kind": kind.value, "employment": employment.value,
        })
        return int(result.scalar_one())

    def close_assignment(self, assignment_id: int, end: date, reason: ChangeReason) -> None:
        self._session.execute(
            update(AssignmentRow)
            .where(AssignmentRow.id == assignment_id)
            .values(end_date=end, end_reason=reason.value,
                    status=PostingStatus.SEPARATED.value)
        )

    def set_posting_status(self, assignment_id: int, status: PostingStatus, since: date
                           ) -> None:
        """An open posting goes on leave or comes back from it."""
        self._session.execute(
            update(AssignmentRow)
            .where(AssignmentRow.id == assignment_id, AssignmentRow.end_date.is_(None))
            .values(status=status.value, status_since=since)
        )

    def open_assignments_of_agency(self, agency_id: int) -> list[Assignment]:
        rows = self._session.scalars(
            select(AssignmentRow).where(
                AssignmentRow.agency_id == agency_id, AssignmentRow.end_date.is_(None)
            )
        )
        return [_assignment(r) for r in rows]

    def badges(self, officer_id: int) -> list[Badge]:
        rows = self._session.scalars(
            select(BadgeRow).where(BadgeRow.officer_id == officer_id).order_by(BadgeRow.id)
        )
        return [
            Badge(r.id, r.officer_id, r.agency_id, r.number, r.start_date, r.end_date)
            for r in rows
        ]

    def badge_holder(self, agency_id: int, number: str, on: date) -> int | None:
        """Who holds this badge number in this agency on a date (None if nobody)."""
        return self._session.scalar(
            select(BadgeRow.officer_id).where(
                BadgeRow.agency_id == agency_id,
                BadgeRow.number == number,
                or_(BadgeRow.start_date.is_(None), BadgeRow.start_date <= on),
                or_(BadgeRow.end_date.is_(None), BadgeRow.end_date > on),
            )
        )

    def add_badge(self, *, officer_id: int, agency_id: int, number: str,
                  start_date: date | None, end_date: date | None) -> int:
        result = self._session.execute(insert(BadgeRow).returning(BadgeRow.id), {
            "officer_id": officer_id, "agency_id": agency_id, "number": number,
            "start_date": start_date, "end_date": end_date,
        })
        return int(result.scalar_one())

    # Scope --------------------------------------------------------------------------------

    def holder(self, officer_id: int) -> Holder:
        """The agencies that hold an officer's record: those of open assignments, or else of the
        latest one (a separated officer stays with the agency that separated them), or else,
        for an applicant, those that asked for their evaluation."""
        rows = self._session.execute(
            select(AssignmentRow.agency_id, AgencyRow.state_code, AssignmentRow.end_date)
            .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id)
            .where(AssignmentRow.officer_id == officer_id)
            .order_by(AssignmentRow.start_date.desc(), AssignmentRow.id.desc())
        ).all()
        open_rows = [r for r in rows if r[2] is None] or rows[:1]
        if not open_rows:
            return self.applicant_holder(officer_id)
        return Holder(
            agency_ids=frozenset(int(r[0]) for r in open_rows),
            state_codes=frozenset(str(r[1]) for r in open_rows if r[1]),
        )

    def applicant_holder(self, officer_id: int) -> Holder:
        """Who holds a record never posted (an applicant): the agency that last asked to
        evaluate them (one that asked before and was passed over no longer sees them)."""
        rows = self._session.execute(
            select(EvaluationRow.agency_id, AgencyRow.state_code)
            .join(AgencyRow, AgencyRow.id == EvaluationRow.agency_id)
            .where(EvaluationRow.officer_id == officer_id)
            .order_by(EvaluationRow.id.desc()).limit(1)
        ).all()
        return Holder(
            agency_ids=frozenset(int(r[0]) for r in rows),
            state_codes=frozenset(str(r[1]) for r in rows if r[1]),
        )

    def within(self, officer_ids: Sequence[int], scope: Scope) -> set[int]:
        """Which of these officers hold an open assignment inside the scope (all of them for
        a national scope): one query for a list, where `holder` is one per officer."""
        if scope.kind is ScopeKind.NATIONAL:
            return set(officer_ids)
        if not officer_ids:
            return set()
        query = _scope_officers(scope).where(AssignmentRow.officer_id.in_(sorted(officer_ids)))
        return {int(i) for i in self._session.scalars(query)}

    # Search and rosters -------------------------------------------------------------------

    def search(
        self,
        criteria: SearchCriteria,
        scope: Scope,
        *,
        after: tuple[str, int] | None,
        limit: int,
    ) -> list[tuple[str, Officer]]:
        """Officers matching every criterion, in (search_name, id) order, after a keyset."""
        if criteria.name is not None:
            return self._search_by_name(criteria, criteria.name, scope, after=after,
                                        limit=limit)
        query = select(OfficerRow.search_name, *_OFFICER_COLUMNS)
        if criteria.curp:
            query = query.where(OfficerRow.curp == criteria.curp)
        if criteria.status is not None:
            query = query.where(OfficerRow.status == criteria.status.value)
        query = query.where(*_held_conditions(criteria, scope, OfficerRow.id))
        query = _after(query, after, OfficerRow.search_name, OfficerRow.id)
        query = query.order_by(OfficerRow.search_name, OfficerRow.id).limit(limit)
        return [(str(r[0]), _officer(tuple(r[1:]))) for r in self._session.execute(query)]

    def _search_by_name(
        self, criteria: SearchCriteria, name: NameQuery, scope: Scope, *,
        after: tuple[str, int] | None, limit: int,
    ) -> list[tuple[str, Officer]]:
        """The search driven by the words of the name (ADR 0028): the page's keys are found in
        the words' table alone (each other criterion tested on the officer of a row), and
        only the page's officers are read. One statement."""
        words = OfficerNameTokenRow
        keys = select(words.search_name, words.officer_id)
        if name.lead is not None:
            # One whole word's rows come in (search_name, id) order from its index: the page is
            # the first rows that match, the other words tested on each row's word list.
            keys = keys.where(words.token == name.lead,
                              *(words.words.like(pattern) for pattern in name.filters()))
        else:
            # The start of one word: its words' rows (JUAN, JUANA, JUANITA), made distinct (an
            # officer may have two of them) and sorted. Kept to the words' index: joining the
            # officers before the sort cost a row read per match (0.5 s for a one-letter start
            # at national scale, against 17 ms). Taken only when the start is rare enough.
            keys = keys.where(words.token >= name.start,
                              words.token < name.start + "\uffff").distinct()
        if criteria.curp:
            keys = keys.where(words.officer_id.in_(
                select(OfficerRow.id).where(OfficerRow.curp == criteria.curp)))
        if criteria.status is not None:
            keys = keys.where(exists().where(_STATUS_OF.id == words.officer_id,
                                             _STATUS_OF.status == criteria.status.value))
        keys = keys.where(*_held_conditions(criteria, scope, words.officer_id))
        keys = _after(keys, after, words.search_name, words.officer_id)
        keys = keys.order_by(words.search_name, words.officer_id)
        if name.lead is not None:
            page: Any = keys.limit(limit).subquery()
        else:
            # A dense start ("J", "MA": tens of thousands of rows to sort) walks the officers
            # in page order instead and probes each one's words, and stops at the page's size;
            # whichever way the count decides, the other branch reads nothing.
            dense = _dense(name.start)
            walk = select(OfficerRow.search_name.label("search_name"),
                          OfficerRow.id.label("officer_id")).where(
                exists().where(_START_WORDS.officer_id == OfficerRow.id,
                               _START_WORDS.token >= name.start,
                               _START_WORDS.token < name.start + "\uffff"))
            if criteria.curp:
                walk = walk.where(OfficerRow.curp == criteria.curp)
            if criteria.status is not None:
                walk = walk.where(OfficerRow.status == criteria.status.value)
            walk = walk.where(*_held_conditions(criteria, scope, OfficerRow.id))
            walk = _after(walk, after, OfficerRow.search_name, OfficerRow.id)
            walk = walk.order_by(OfficerRow.search_name, OfficerRow.id)
            if self._session.get_bind().dialect.name == "sqlite":
                # SQLite tests a WHERE term that names no row on every row it walks (17 ms
                # for nothing); a LIMIT of 0 ends the branch before it starts.
                walk = walk.limit(case((dense, limit), else_=0))
                keys = keys.limit(case((dense, 0), else_=limit))
            else:
                # PostgreSQL runs a WHERE term that names no row once, before the branch (a
                # one-time filter), and plans for the LIMIT it knows.
                walk = walk.where(dense).limit(limit)
                keys = keys.where(~dense).limit(limit)
            page = union_all(select(walk.subquery()), select(keys.subquery())).subquery()
        query = (select(page.c.search_name, *_OFFICER_COLUMNS)
                 .join_from(page, OfficerRow, OfficerRow.id == page.c.officer_id)
                 .order_by(page.c.search_name, page.c.officer_id))
        return [(str(r[0]), _officer(tuple(r[1:]))) for r in self._session.execute(query)]

    def roster_counts(self, agency_id: int, *, former: bool = False) -> RosterCounts:
        query: Any = (
            # People, not postings: one may hold two open postings there (reserve duty
            # beside a full-time one).
            select(OfficerRow.status, func.count(distinct(OfficerRow.id)))
            .join(AssignmentRow, AssignmentRow.officer_id == OfficerRow.id)
            .where(AssignmentRow.agency_id == agency_id, AssignmentRow.end_date.is_(None))
            .group_by(OfficerRow.status)
        )
        if former:
            # Former staff are counted as people (one may have held several postings there).
            query = union_all(query, select(
                literal(_FORMER), func.count(distinct(AssignmentRow.officer_id))).where(
                AssignmentRow.agency_id == agency_id, AssignmentRow.end_date.is_not(None),
                ~_open_here(agency_id)))
        counts = {str(s): int(n) for s, n in self._session.execute(query)}
        return RosterCounts(current={s: n for s, n in counts.items() if s != _FORMER},
                            former=counts.get(_FORMER, 0) if former else None)

    def roster_page(
        self, agency_id: int, criteria: RosterCriteria, *, after: tuple[str, int] | None,
        descending: bool, limit: int,
    ) -> list[tuple[str, RosterLine]]:
        query = _roster_filtered(agency_id, criteria).add_columns(OfficerRow.search_name)
        if after is not None:
            name, oid = after
            if descending:
                query = query.where(or_(OfficerRow.search_name < name,
                                        and_(OfficerRow.search_name == name, OfficerRow.id < oid)))
            else:
                query = query.where(or_(OfficerRow.search_name > name,
                                        and_(OfficerRow.search_name == name, OfficerRow.id > oid)))
        if descending:
            query = query.order_by(OfficerRow.search_name.desc(), OfficerRow.id.desc())
        else:
            query = query.order_by(OfficerRow.search_name, OfficerRow.id)
        rows = self._session.execute(query.limit(limit))
        return [(str(row[-1]), _roster_line(row)) for row in rows]

    def roster_stream(
        self, agency_id: int, criteria: RosterCriteria = RosterCriteria(), *,
        descending: bool = False, chunk: int,
    ) -> Generator[RosterLine, None, None]:
        """Every line a roster's pages would show for `criteria`, in the pages' order."""
        query = _roster_filtered(agency_id, criteria)
        if descending:
            query = query.order_by(OfficerRow.search_name.desc(), OfficerRow.id.desc())
        else:
            query = query.order_by(OfficerRow.search_name, OfficerRow.id)
        if self._session.get_bind().dialect.name == "postgresql":
            # A named cursor is planned for its first tenth by default: for an agency of 41,000
            # among 400,000 officers that walked the whole name index (3.9 s against 0.5 s).
            # Every row is read here, so the plan is for all of them (this transaction only).
            self._session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
        # yield_per: rows come in batches (a named cursor on PostgreSQL) instead of all at once.
        result = self._session.execute(query.execution_options(yield_per=chunk))
        try:
            for row in result:
                yield _roster_line(row)
        finally:
            result.close()

    def set_status(self, officer_id: int, status: OfficerStatus, now: datetime) -> None:
        self._session.execute(
            update(OfficerRow)
            .where(OfficerRow.id == officer_id)
            .values(status=status.value, updated_at=now)
        )

    # Status history -----------------------------------------------------------------------

    def add_status_change(
        self, officer_id: int, status: OfficerStatus, effective_on: date, reason: str,
        actor: str, now: datetime,
    ) -> None:
        self._session.execute(insert(OfficerStatusChangeRow), {
            "officer_id": officer_id, "status": status.value, "effective_on": effective_on,
            "reason": reason[:300], "actor": actor[:64], "recorded_at": now,
        })

    def status_history(self, officer_id: int) -> list[StatusChange]:
        """The officer's status history, oldest first (one statement)."""
        rows = plain.connection(self._session).execute(
            _STATUS_HISTORY, {"officer_id": officer_id})
        return [StatusChange(int(i), officer_id, OfficerStatus(s), on, reason, actor, at)
                for i, s, on, reason, actor, at in rows]


# The officer a words' row names, when a search asks for a status (a primary-key probe).
_STATUS_OF = aliased(OfficerRow)
# The words an officer's walk probes for a typed start (ADR 0028).
_START_WORDS = aliased(OfficerNameTokenRow)
#: Rows of words beginning with a typed start from which walking the officers in page order
#: costs less than sorting the rows: about where the two cost the same at national scale on
#: both databases (ADR 0028).
DENSE_START = 10_000


def _dense(start: str) -> ColumnElement[bool]:
    """Whether at least DENSE_START words' rows begin with `start`: a count of the index's
    entries that stops there, made once per statement (it names no row of the query)."""
    first = (select(literal(1)).select_from(OfficerNameTokenRow)
             .where(OfficerNameTokenRow.token >= start,
                    OfficerNameTokenRow.token < start + "\uffff")
             .limit(DENSE_START).subquery())
    return select(func.count()).select_from(first).scalar_subquery() >= DENSE_START


def _held_conditions(criteria: SearchCriteria, scope: Scope, officer_id: Any
                     ) -> list[ColumnElement[bool]]:
    """The criteria that other tables decide (badge, external id, identity key, agency, the
    reader's scope), each a test of the officer in `officer_id`."""
    conditions: list[ColumnElement[bool]] = []
    if criteria.badge:
        conditions.append(officer_id.in_(
            select(BadgeRow.officer_id).where(BadgeRow.number == criteria.badge)))
    if criteria.identifier is not None:
        conditions.append(officer_id.in_(
            select(OfficerIdentifierRow.officer_id).where(
                OfficerIdentifierRow.scheme == criteria.identifier.scheme,
                OfficerIdentifierRow.value == criteria.identifier.value)))
    if criteria.key:
        conditions.append(officer_id.in_(_by_key(criteria.key)))
    if criteria.agency_id is not None:
        postings = select(AssignmentRow.officer_id).where(
            AssignmentRow.agency_id == criteria.agency_id)
        if not criteria.ever_served:
            postings = postings.where(AssignmentRow.end_date.is_(None))
        conditions.append(officer_id.in_(postings))
    if scope.kind is not ScopeKind.NATIONAL:
        if criteria.ever_served:
            # Former staff are asked for: the holder rule decides who is seen (a separated
            # officer stays with the agency that separated them), not an open posting.
            conditions.append(held_within(officer_id, scope))
        else:
            conditions.append(officer_id.in_(_scope_officers(scope)))
    return conditions


def _after(query: Any, after: tuple[str, int] | None, sort_name: Any, sort_id: Any) -> Any:
    """The rows after a keyset, in (search_name, id) order."""
    if after is None:
        return query
    name, oid = after
    return query.where(or_(sort_name > name, and_(sort_name == name, sort_id > oid)))


def _named(name: NameQuery) -> Select[Any]:
    """The officers whose names hold the typed words, in any order (ADR 0028): a set, for a
    list that is already narrowed by other means (an agency's roster)."""
    words = OfficerNameTokenRow
    if name.lead is not None:
        return select(words.officer_id).where(
            words.token == name.lead, *(words.words.like(p) for p in name.filters()))
    return select(words.officer_id).where(words.token >= name.start,
                                          words.token < name.start + "\uffff")


def _by_key(key: str) -> Any:
    """Officers one typed text names as an identity key: a CURP, a badge number (of any
    agency) or an external id's value (of any scheme), each found through its own index."""
    return union_all(
        select(OfficerRow.id).where(OfficerRow.curp == key.upper()),
        select(BadgeRow.officer_id).where(BadgeRow.number == key),
        select(OfficerIdentifierRow.officer_id).where(OfficerIdentifierRow.value == key),
    )


#: The key of the former staff's count among the counts by status (no status is empty).
_FORMER = ""
# The postings a roster line's posting is compared with, made once (see `_HELD_POSTINGS`).
_OPEN_HERE = aliased(AssignmentRow)
_LATER_HERE = aliased(AssignmentRow)
_BETTER_HERE = aliased(AssignmentRow)


def _open_here(agency_id: int) -> ColumnElement[bool]:
    """The posting's officer holds an open posting in the agency."""
    return exists().where(_OPEN_HERE.officer_id == AssignmentRow.officer_id,
                          _OPEN_HERE.agency_id == agency_id, _OPEN_HERE.end_date.is_(None))


def _better_open_here(agency_id: int) -> ColumnElement[bool]:
    """The posting's officer holds another open posting in the agency that the roster shows
    instead: a full-time one beside reserve or part-time duty there, else the earlier one. So
    an officer with two open postings in one agency is one line (ADR 0025)."""
    full_time = PostingKind.FULL_TIME.value
    return exists().where(
        _BETTER_HERE.officer_id == AssignmentRow.officer_id,
        _BETTER_HERE.agency_id == agency_id, _BETTER_HERE.end_date.is_(None),
        or_(and_(_BETTER_HERE.kind == full_time, AssignmentRow.kind != full_time),
            and_(or_(and_(_BETTER_HERE.kind == full_time, AssignmentRow.kind == full_time),
                     and_(_BETTER_HERE.kind != full_time, AssignmentRow.kind != full_time)),
                 _BETTER_HERE.id < AssignmentRow.id)))


def _staff_posting(agency_id: int, staff: Staff) -> ColumnElement[bool]:
    """Whether a posting in the agency is the one that puts its officer on the roster: an
    open one (current staff), or for someone with none open there, their latest one there
    (former staff); so that each person is one line."""
    current = and_(AssignmentRow.end_date.is_(None), ~_better_open_here(agency_id))
    if staff is Staff.CURRENT:
        return current
    later = exists().where(
        _LATER_HERE.officer_id == AssignmentRow.officer_id, _LATER_HERE.agency_id == agency_id,
        or_(_LATER_HERE.start_date > AssignmentRow.start_date,
            and_(_LATER_HERE.start_date == AssignmentRow.start_date,
                 _LATER_HERE.id > AssignmentRow.id)))
    former = and_(AssignmentRow.end_date.is_not(None), ~_open_here(agency_id), ~later)
    return former if staff is Staff.FORMER else or_(current, former)


def _roster_query(agency_id: int, staff: Staff = Staff.CURRENT) -> Select[Any]:
    """An agency's current officers (or former staff, or both) with the posting that puts
    them there."""
    columns: list[Any] = [
        OfficerRow.id, OfficerRow.curp, OfficerRow.first_surname, OfficerRow.second_surname,
        OfficerRow.given_names, OfficerRow.status, AssignmentRow.rank, UnitRow.code,
        UnitRow.name, AssignmentRow.start_date, AssignmentRow.end_date, AssignmentRow.end_reason,
    ]
    return (
        select(*columns)
        .join(AssignmentRow, AssignmentRow.officer_id == OfficerRow.id)
        .outerjoin(UnitRow, UnitRow.id == AssignmentRow.unit_id)
        .where(AssignmentRow.agency_id == agency_id, _staff_posting(agency_id, staff))
    )


def _roster_filtered(agency_id: int, criteria: RosterCriteria) -> Select[Any]:
    """The roster's lines that meet every criterion (the pages and the file alike)."""
    query = _roster_query(agency_id, criteria.staff)
    if criteria.status is not None:
        query = query.where(OfficerRow.status == criteria.status.value)
    if criteria.name is not None or criteria.curp or criteria.key:
        # The text's officers, gathered from an index per meaning and unioned, rather than
        # an OR tested on every row: an OR of subqueries has no estimate, and PostgreSQL
        # then walked the national name index for an agency's dozen matches (0.8 s).
        found: list[Select[Any]] = []
        if criteria.name is not None:
            found.append(_named(criteria.name))
        if criteria.curp:
            found.append(select(OfficerRow.id).where(OfficerRow.curp == criteria.curp))
        if criteria.key:
            found.append(select(BadgeRow.officer_id).where(
                BadgeRow.number == criteria.key, BadgeRow.agency_id == agency_id))
            found.append(select(OfficerIdentifierRow.officer_id).where(
                OfficerIdentifierRow.value == criteria.key))
        query = query.where(OfficerRow.id.in_(union_all(*found)))
    return query


def _roster_line(row: Sequence[Any]) -> RosterLine:
    """A roster row as people write the name ('Peña Ruiz, María'); extra columns are ignored."""
    (oid, curp, first, second, given, status, rank, unit_code, unit_name, since, until,
     end_reason) = row[:12]
    name = f"{first} {second}, {given}" if second else f"{first}, {given}"
    return RosterLine(int(oid), curp, name, status, rank, unit_code, unit_name, since, until,
                      end_reason)


_OTHER_OPEN = aliased(AssignmentRow)


def answers_for_officer(posting: Any = AssignmentRow) -> ColumnElement[bool]:
    """Whether `posting` (the postings table or an alias of it) is the open posting that answers
    for its officer in the lists that name each officer once (trust-control alerts, coverage,
    the dashboard, the credentials' holders): the full-time one, of which there is at most one
    (uq_assignments_one_full_time); for an officer with none, the earliest other open one (a
    reservist, part-time duty). A task force beside a full-time posting never lists the officer
    twice, and an officer with reserve duty only is still listed (ADR 0025).

    The test of the other postings runs only for a posting that is not full time: the databases
    stop at the first true branch of the OR, so the common row costs nothing more."""
    full_time = PostingKind.FULL_TIME.value
    return and_(posting.end_date.is_(None), or_(posting.kind == full_time, ~exists().where(
        _OTHER_OPEN.officer_id == posting.officer_id, _OTHER_OPEN.end_date.is_(None),
        or_(_OTHER_OPEN.kind == full_time, _OTHER_OPEN.id < posting.id))))


# The aliases `held_within` builds its test from, made once: an alias's columns are adapted the
# first time they are read, which costs about a millisecond each, so fresh aliases on every
# request cost more than the query itself (measured: 27 ms a call). One test per statement,
# so one set of aliases serves every statement.
_HELD_POSTINGS = tuple(aliased(AssignmentRow) for _ in range(4))
_HELD_REQUESTS = tuple(aliased(EvaluationRow) for _ in range(2))
_HELD_AGENCIES = tuple(aliased(AgencyRow) for _ in range(3))


@lru_cache(maxsize=1024)
def held_within(officer_id: Any, scope: Scope) -> ColumnElement[bool]:
    """Whether the officer in `officer_id` (a column of the enclosing query) is held inside
    the scope, by the rule of `OfficerRepository.holder`: an open assignment there; else, with
    none open, their latest assignment there; else, never posted (an applicant), the latest
    evaluation request made by an agency there. Records that show an officer (evaluations,
    appeals, exams) are listed only while this holds: an agency stops seeing them when the
    officer leaves it, as it stops seeing the officer.

    Each test is driven by the officer (one probe of the one-open-assignment index, then the
    agency's row), never by the scope's agencies: a state's hundred agencies as the way in
    cost a probe each, per row listed (measured: a state certification officer's home went
    from 24 ms to 565 ms). The nested subqueries name the enclosing query's officer
    explicitly (`correlate_except`): left to SQLAlchemy's automatic correlation, a subquery
    two levels down took the outer table into its own FROM and compared against every row."""
    if scope.kind is ScopeKind.NATIONAL:
        return true()

    def inside(table: Any, agency: Any) -> ColumnElement[bool]:
        """The row's agency is inside the scope, tested from the row (a primary-key probe)."""
        if scope.kind is ScopeKind.AGENCY:
            return table.agency_id == scope.agency_id  # type: ignore[no-any-return]
        return exists().where(agency.id == table.agency_id,
                              agency.state_code == scope.state_code)

    posting, any_open, latest, any_posting = _HELD_POSTINGS
    request, newest = _HELD_REQUESTS
    agency_of_posting, agency_of_latest, agency_of_request = _HELD_AGENCIES
    open_here = exists().where(posting.officer_id == officer_id, posting.end_date.is_(None),
                               inside(posting, agency_of_posting))
    none_open = ~exists().where(any_open.officer_id == officer_id, any_open.end_date.is_(None))
    last_start = (select(func.max(any_posting.start_date))
                  .where(any_posting.officer_id == officer_id)
                  .correlate_except(any_posting).scalar_subquery())
    last_here = exists().where(latest.officer_id == officer_id,
                               latest.start_date == last_start,
                               inside(latest, agency_of_latest))
    never_posted = ~exists().where(any_posting.officer_id == officer_id)
    last_request = (select(func.max(newest.id)).where(newest.officer_id == officer_id)
                    .correlate_except(newest).scalar_subquery())
    asked_here = exists().where(request.id == last_request, inside(request, agency_of_request))
    return or_(open_here, and_(none_open, or_(last_here, and_(never_posted, asked_here))))


def _scope_officers(scope: Scope) -> Select[int]:
    """Officers with an open assignment inside the scope (a subquery)."""
    query = select(AssignmentRow.officer_id).where(AssignmentRow.end_date.is_(None))
    if scope.kind is ScopeKind.AGENCY:
        return query.where(AssignmentRow.agency_id == scope.agency_id)
    return query.join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id).where(
        AgencyRow.state_code == scope.state_code
    )

