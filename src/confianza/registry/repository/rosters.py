"""The roster refresh's storage: the registry's state of a file's people, read set-wise, the
changes written in bulk, and the two queues it fills (pending separations, conflicts)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, bindparam, insert, select, update
from sqlalchemy.orm import Session

from confianza.accounts.rules.permissions import Scope, ScopeKind
from confianza.core.db.models import (
    AgencyRow,
    AssignmentRow,
    BadgeRow,
    Base,
    OfficerIdentifierRow,
    OfficerRow,
    RosterConflictRow,
    RosterSeparationRow,
    UnitRow,
)
from confianza.registry.contracts import PendingSeparation, QueuedConflict
from confianza.registry.rules.roster_refresh import KnownPerson, KnownPosting

#: Ids per IN list. Past `WHOLE_TABLE` ids (a national roster) one pass over the whole table
#: costs less than the lists: the rows are filtered in Python.
CHUNK = 5_000
_TABLES = Base.metadata.tables
WHOLE_TABLE = 50_000


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start:start + CHUNK])


class RosterRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _rows(self, query: Select[Any], column: Any, ids: Sequence[int]) -> Iterator[Any]:
        """The rows of `query` whose `column` is one of `ids`: by IN lists, or one pass."""
        connection = self._session.connection()
        if len(ids) > WHOLE_TABLE:
            wanted = set(ids)
            for row in connection.execute(query):
                if row[0] in wanted:
                    yield row
            return
        for chunk in _chunks(ids):
            yield from connection.execute(query.where(column.in_(chunk)))

    def ids_by_keys(self, keys: Sequence[str], scheme: str | None) -> dict[str, int]:
        o, x = OfficerRow.__table__.c, OfficerIdentifierRow.__table__.c
        query = (select(o.curp, o.id).where(o.curp.is_not(None)) if scheme is None
                 else select(x.value, x.officer_id).where(x.scheme == scheme))
        column = o.curp if scheme is None else x.value
        connection = self._session.connection()
        found: dict[str, int] = {}
        if len(keys) > WHOLE_TABLE:
            wanted = set(keys)
            for key, officer_id in connection.execute(query):
                if key in wanted:
                    found[str(key)] = int(officer_id)
            return found
        for start in range(0, len(keys), CHUNK):
            chunk = list(keys[start:start + CHUNK])
            found.update({str(k): int(i) for k, i in connection.execute(
                query.where(column.in_(chunk)))})
        return found

    def known_people(self, officer_ids: Sequence[int], *, badges: bool = True,
                     open_only: bool = False) -> dict[int, KnownPerson]:
        self._session.flush()
        if len(officer_ids) > WHOLE_TABLE:
            return self._everyone(set(officer_ids), badges, open_only)
        postings: dict[int, list[KnownPosting]] = defaultdict(list)
        a = AssignmentRow.__table__.c
        query = (select(a.officer_id, a.id, a.agency_id, UnitRow.code, a.rank, a.start_date,
                        a.end_date, a.end_reason, a.status, a.kind, a.employment,
                        a.status_since)
                 .outerjoin(UnitRow, UnitRow.id == a.unit_id))
        if open_only:
            query = query.where(a.end_date.is_(None))
        for row in self._rows(query, a.officer_id, officer_ids):
            postings[int(row[0])].append(KnownPosting(
                int(row[1]), int(row[2]), row[3], row[4], row[5], row[6], row[7], row[8],
                row[9], row[10], row[11]))
        held: dict[int, set[tuple[int, str]]] = defaultdict(set)
        b = BadgeRow.__table__.c
        for row in self._rows(select(b.officer_id, b.agency_id, b.number), b.officer_id,
                              officer_ids) if badges else ():
            held[int(row[0])].add((int(row[1]), str(row[2])))
        o = OfficerRow.__table__.c
        people: dict[int, KnownPerson] = {}
        query = select(o.id, o.curp, o.given_names, o.first_surname, o.second_surname,
                       o.search_name, o.birth_date, o.birth_year, o.sex, o.status)
        for row in self._rows(query, o.id, officer_ids):
            officer_id = int(row[0])
            people[officer_id] = KnownPerson(
                officer_id, row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                row[9], tuple(sorted(postings.get(officer_id, ()),
                                     key=lambda p: (p.start_date, p.id))),
                frozenset(held.get(officer_id, ())))
        return people

    def _everyone(self, wanted: set[int], badges: bool, open_only: bool
                  ) -> dict[int, KnownPerson]:
        """`known_people` for a national file: one pass over each table on the driver's own
        cursor (SQLAlchemy's row handling cost more than the reads), dates converted here
        (SQLite hands back text)."""
        raw: Any = self._session.connection().connection.driver_connection
        text_dates = self._session.get_bind().dialect.name == "sqlite"

        def day(value: Any) -> date | None:
            return date.fromisoformat(value) if text_dates and value is not None else value

        cursor = raw.cursor()
        postings: dict[int, list[KnownPosting]] = defaultdict(list)
        cursor.execute(_ALL_POSTINGS + (" WHERE a.end_date IS NULL" if open_only else ""))
        for (officer_id, posting_id, agency_id, unit, rank, start, end, end_reason, status,
             kind, employment, since) in cursor.fetchall():
            if officer_id in wanted:
                begun = date.fromisoformat(start) if text_dates else start
                postings[officer_id].append(KnownPosting(
                    posting_id, agency_id, unit, rank, begun, day(end), end_reason, status, kind,
                    employment, day(since)))
        held: dict[int, set[tuple[int, str]]] = defaultdict(set)
        if badges:
            cursor.execute("SELECT officer_id, agency_id, number FROM badges")
            for officer_id, agency_id, number in cursor.fetchall():
                if officer_id in wanted:
                    held[officer_id].add((agency_id, number))
        cursor.execute(_ALL_OFFICERS)
        people: dict[int, KnownPerson] = {}
        nothing: frozenset[tuple[int, str]] = frozenset()
        for (officer_id, curp, given, first, second, search_name, birth, year, sex,
             status) in cursor.fetchall():
            if officer_id in wanted:
                mine = postings.get(officer_id, [])
                if len(mine) > 1:
                    mine.sort(key=lambda p: (p.start_date, p.id))
                people[officer_id] = KnownPerson(
                    officer_id, curp, given, first, second, search_name, day(birth), year, sex,
                    status, tuple(mine),
                    frozenset(held[officer_id]) if officer_id in held else nothing)
        cursor.close()
        return people

    def unit_ids(self, agency_ids: Sequence[int]) -> dict[tuple[int, str], int]:
        u = UnitRow.__table__.c
        found: dict[tuple[int, str], int] = {}
        for chunk in _chunks(agency_ids):
            rows = self._session.connection().execute(
                select(u.agency_id, u.code, u.id).where(u.agency_id.in_(chunk)))
            found.update({(int(a), str(c)): int(i) for a, c, i in rows})
        return found

    def open_postings_at(self, agency_ids: Sequence[int]
                         ) -> list[tuple[int, int, int, date]]:
        if len(agency_ids) > 100:
            # Most of the country's agencies: one pass over the open postings, on the driver's
            # cursor (dates as SQLite's text are converted here).
            wanted = set(agency_ids)
            raw: Any = self._session.connection().connection.driver_connection
            text_dates = self._session.get_bind().dialect.name == "sqlite"
            cursor = raw.cursor()
            cursor.execute("SELECT id, officer_id, agency_id, start_date FROM assignments "
                           "WHERE end_date IS NULL")
            rows = cursor.fetchall()
            cursor.close()
            return [(i, o, g, date.fromisoformat(s) if text_dates else s)
                    for i, o, g, s in rows if g in wanted]
        a = AssignmentRow.__table__.c
        found: list[tuple[int, int, int, date]] = []
        for chunk in _chunks(agency_ids):
            rows = self._session.connection().execute(
                select(a.id, a.officer_id, a.agency_id, a.start_date)
                .where(a.agency_id.in_(chunk), a.end_date.is_(None)))
            found.extend((int(i), int(o), int(g), s) for i, o, g, s in rows)
        return found

    def keys_of(self, officer_ids: Sequence[int], scheme: str | None) -> dict[int, str]:
        if scheme is None:
            o = OfficerRow.__table__.c
            return {int(i): str(c) for i, c in self._rows(select(o.id, o.curp), o.id,
                                                             officer_ids) if c is not None}
        x = OfficerIdentifierRow.__table__.c
        query = select(x.officer_id, x.value).where(x.scheme == scheme)
        return {int(i): str(v) for i, v in self._rows(query, x.officer_id, officer_ids)}

    def separations_known(self, assignment_ids: Sequence[int], sha256: str) -> set[int]:
        s = RosterSeparationRow.__table__.c
        query = select(s.assignment_id).where(
            (s.status == "pending") | (s.file_sha256 == sha256))
        return {int(row[0]) for row in self._rows(query, s.assignment_id, assignment_ids)}

    def conflict_statuses(self, officer_ids: Sequence[int]) -> dict[tuple[int, str], str]:
        c = RosterConflictRow.__table__.c
        query = select(c.officer_id, c.facts_key, c.status)
        return {(int(o), str(k)): str(s) for o, k, s in self._rows(query, c.officer_id,
                                                                    officer_ids)}

    def update_postings(self, rows: Sequence[dict[str, object]]) -> None:
        if not rows:
            return
        a = _TABLES["assignments"]
        statement = update(a).where(a.c.id == bindparam("b_id")).values(
            rank=bindparam("rank"), unit_id=bindparam("unit_id"),
            end_date=bindparam("end_date"), end_reason=bindparam("end_reason"),
            status=bindparam("status"), kind=bindparam("kind"),
            employment=bindparam("employment"), status_since=bindparam("status_since"))
        self._session.connection().execute(statement, list(rows))

    def update_identities(self, rows: Sequence[dict[str, object]]) -> None:
        if not rows:
            return
        o = _TABLES["officers"]
        statement = update(o).where(o.c.id == bindparam("b_id")).values(
            curp=bindparam("curp"), birth_date=bindparam("birth_date"),
            birth_year=bindparam("birth_year"), sex=bindparam("sex"),
            status=bindparam("status"), updated_at=bindparam("updated_at"))
        self._session.connection().execute(statement, list(rows))

    def add_separations(self, rows: Sequence[dict[str, object]]) -> None:
        if rows:
            self._session.connection().execute(insert(_TABLES["roster_separations"]), list(rows))

    def add_conflicts(self, rows: Sequence[dict[str, object]]) -> None:
        if rows:
            self._session.connection().execute(insert(_TABLES["roster_conflicts"]), list(rows))

    # The queues ----------------------------------------------------------------------------

    def separations(self, scope: Scope, status: str | None, *,
                    after: int | None, limit: int) -> list[PendingSeparation]:
        query = _SEPARATIONS
        s = RosterSeparationRow.__table__.c
        if scope.kind is ScopeKind.AGENCY:
            query = query.where(s.agency_id == scope.agency_id)
        elif scope.kind is ScopeKind.STATE:
            query = query.where(AgencyRow.state_code == scope.state_code)
        if status is not None:
            query = query.where(s.status == status)
        if after is not None:
            query = query.where(s.id > after)
        rows = self._session.execute(query.order_by(s.id).limit(limit))
        return [_separation(r) for r in rows]

    def separation(self, separation_id: int) -> PendingSeparation | None:
        s = RosterSeparationRow.__table__.c
        row = self._session.execute(_SEPARATIONS.where(s.id == separation_id)).first()
        return None if row is None else _separation(row)

    def decide_separation(self, separation_id: int, *, status: str, by: str, at: datetime,
                          end_date: date | None, end_reason: str | None, note: str | None
                          ) -> None:
        s = _TABLES["roster_separations"]
        self._session.execute(update(s).where(s.c.id == separation_id).values(
            status=status, decided_by=by, decided_at=at, end_date=end_date,
            end_reason=end_reason, note=note))

    def conflicts(self, status: str | None, *, after: int | None, limit: int
                  ) -> list[QueuedConflict]:
        c = RosterConflictRow.__table__.c
        query = _CONFLICTS
        if status is not None:
            query = query.where(c.status == status)
        if after is not None:
            query = query.where(c.id > after)
        return [_conflict(r) for r in self._session.execute(query.order_by(c.id).limit(limit))]

    def conflict(self, conflict_id: int) -> QueuedConflict | None:
        c = RosterConflictRow.__table__.c
        row = self._session.execute(_CONFLICTS.where(c.id == conflict_id)).first()
        return None if row is None else _conflict(row)

    def decide_conflict(self, conflict_id: int, *, status: str, by: str, at: datetime,
                        new_officer_id: int | None, note: str | None) -> None:
        c = _TABLES["roster_conflicts"]
        self._session.execute(update(c).where(c.c.id == conflict_id).values(
            status=status, decided_by=by, decided_at=at, new_officer_id=new_officer_id,
            note=note))

    def move_identifier(self, scheme: str, value: str, officer_id: int) -> None:
        x = _TABLES["officer_identifiers"]
        self._session.execute(update(x).where(x.c.scheme == scheme, x.c.value == value)
                              .values(officer_id=officer_id))


# The statements of `_everyone`: fixed text, valid on both databases.
_ALL_POSTINGS = (
    "SELECT a.officer_id, a.id, a.agency_id, u.code, a.rank, a.start_date, a.end_date, "
    "a.end_reason, a.status, a.kind, a.employment, a.status_since "
    "FROM assignments a LEFT JOIN units u ON u.id = a.unit_id")
_ALL_OFFICERS = (
    "SELECT id, curp, given_names, first_surname, second_surname, search_name, birth_date, "
    "birth_year, sex, status FROM officers")
_O = OfficerRow.__table__.c
_NAME = (_O.first_surname, _O.second_surname, _O.given_names)
_S = RosterSeparationRow.__table__.c
_A = AssignmentRow.__table__.c
_SEPARATIONS = (
    select(_S.id, _S.officer_id, *_NAME, _S.assignment_id, _S.agency_id, AgencyRow.code,
           _A.rank, _A.start_date, _S.file_name, _S.file_sha256, _S.status, _S.proposed_at,
           _S.proposed_by, _S.decided_at, _S.decided_by, _S.end_date, _S.end_reason, _S.note)
    .join(OfficerRow, OfficerRow.id == _S.officer_id)
    .join(AssignmentRow, AssignmentRow.id == _S.assignment_id)
    .join(AgencyRow, AgencyRow.id == _S.agency_id)
)
_C = RosterConflictRow.__table__.c
_CONFLICTS = (
    select(_C.id, _C.officer_id, *_NAME, _C.identity_key, _C.scheme, _C.facts, _C.file_rows,
           _C.file_name, _C.file_sha256, _C.file_line, _C.status, _C.proposed_at,
           _C.proposed_by, _C.decided_at, _C.decided_by, _C.new_officer_id, _C.note)
    .join(OfficerRow, OfficerRow.id == _C.officer_id)
)


def _name(first: str, second: str | None, given: str) -> str:
    return f"{first} {second}, {given}" if second else f"{first}, {given}"


def _separation(r: Any) -> PendingSeparation:
    return PendingSeparation(
        int(r[0]), int(r[1]), _name(r[2], r[3], r[4]), int(r[5]), int(r[6]), r[7], r[8], r[9],
        r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[17], r[18], r[19])


def _conflict(r: Any) -> QueuedConflict:
    return QueuedConflict(
        int(r[0]), int(r[1]), _name(r[2], r[3], r[4]), r[5], r[6], json.loads(r[7]),
        json.loads(r[8]), r[9], r[10], int(r[11]), r[12], r[13], r[14], r[15], r[16],
        None if r[17] is None else int(r[17]), r[18])
