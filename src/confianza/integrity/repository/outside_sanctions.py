"""Another authority's sanctions as stored: imports, records, the review queue (ADR 0036)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from confianza.core.db.models import AgencyRow, OutsideSanctionImportRow, OutsideSanctionRow
from confianza.integrity.rules.outside_sanctions import LinkedBy, OutsideSanction, OutsideStatus
from confianza.integrity.rules.outside_sanctions_match import (
    Match,
    StoredOutsideSanction,
    candidates_of,
)
from confianza.registry.rules.officers import fold

_R = OutsideSanctionRow
#: Digests asked about per statement (a list of 50,000 rows asks in a few round trips).
_CHUNK = 5_000


def _cut(text: str | None, most: int) -> str | None:
    return None if text is None else text[:most]


def _record(row: OutsideSanctionRow) -> StoredOutsideSanction:
    return StoredOutsideSanction(
        id=row.id, import_id=row.import_id, line=row.line, authority=row.authority,
        file_number=row.file_number, kind=row.kind, name=row.name, curp=row.curp,
        birth_date=row.birth_date, birth_year=row.birth_year, employer=row.employer,
        agency_code=row.agency_code, position=row.position, start_date=row.start_date,
        end_date=row.end_date, finding=row.finding, status=OutsideStatus(row.status),
        officer_id=row.officer_id,
        linked_by=None if row.linked_by is None else LinkedBy(row.linked_by),
        candidates=candidates_of(json.loads(row.candidates)), reason=row.reason,
        reviewed_by=row.reviewed_by, reviewed_at=row.reviewed_at, review_note=row.review_note)


class OutsideSanctionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def held_digests(self, digests: Collection[str]) -> set[str]:
        wanted = list(digests)
        held: set[str] = set()
        for at in range(0, len(wanted), _CHUNK):
            held.update(self._session.scalars(
                select(_R.digest).where(_R.digest.in_(wanted[at:at + _CHUNK]))))
        return held

    def agency_codes_by_name(self) -> dict[str, str]:
        return {fold(name): code for name, code in self._session.execute(
            select(AgencyRow.name, AgencyRow.code))}

    def add_import(self, *, file_name: str, sha256: str, mapping: str, at: datetime, by: str,
                   rows: int, added: int, already_held: int) -> int:
        row = OutsideSanctionImportRow(
            file_name=file_name[:200], sha256=sha256, mapping=mapping[:200], imported_at=at,
            imported_by=by, rows=rows, added=added, already_held=already_held)
        self._session.add(row)
        self._session.flush()
        return row.id

    def add_sanctions(self, import_id: int,
                      items: Sequence[tuple[OutsideSanction, Match]]) -> None:
        if not items:
            return
        values: list[dict[str, Any]] = [{
            "import_id": import_id, "line": r.line, "digest": r.digest,
            "authority": r.authority[:200], "file_number": _cut(r.file_number, 100),
            "kind": r.kind, "name": r.name[:300], "curp": r.curp, "birth_date": r.birth_date,
            "birth_year": r.birth_year, "employer": _cut(r.employer, 300),
            "agency_code": r.agency_code, "position": _cut(r.position, 200),
            "start_date": r.start_date, "end_date": r.end_date, "finding": r.finding,
            "status": m.status.value, "officer_id": m.officer_id,
            "linked_by": None if m.linked_by is None else m.linked_by.value,
            "candidates": json.dumps([c.evidence() for c in m.candidates]),
            "reason": m.reason[:200], "reviewed_by": None, "reviewed_at": None,
            "review_note": None,
        } for r, m in items]
        self._session.execute(insert(_R), values)

    def queue(self, statuses: Collection[OutsideStatus], *, after: int | None,
              limit: int) -> list[StoredOutsideSanction]:
        statement = select(_R).where(_R.status.in_([s.value for s in statuses]))
        if after is not None:
            statement = statement.where(_R.id > after)
        rows = self._session.scalars(statement.order_by(_R.id).limit(limit))
        return [_record(r) for r in rows]

    def get(self, sanction_id: int, *, lock: bool = False) -> StoredOutsideSanction | None:
        statement = select(_R).where(_R.id == sanction_id)
        if lock:
            statement = statement.with_for_update()
        row = self._session.scalars(statement).first()
        return None if row is None else _record(row)

    def decide(self, sanction_id: int, *, status: OutsideStatus, officer_id: int | None,
               linked_by: LinkedBy | None, by: str, at: datetime, note: str | None) -> None:
        self._session.execute(update(_R).where(_R.id == sanction_id).values(
            status=status.value, officer_id=officer_id,
            linked_by=None if linked_by is None else linked_by.value, reviewed_by=by,
            reviewed_at=at, review_note=note))

    def of_officer(self, officer_id: int) -> list[StoredOutsideSanction]:
        rows = self._session.scalars(
            select(_R).where(_R.officer_id == officer_id)
            .order_by(_R.start_date.desc(), _R.id.desc()))
        return [_record(r) for r in rows]
