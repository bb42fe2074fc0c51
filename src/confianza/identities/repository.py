"""Candidate pairs, the registry's people as the matcher reads them, and merges."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Column, Table, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from confianza.core.db import plain
from confianza.core.db.models import (
    AgencyRow,
    AssignmentRow,
    Base,
    CupCertificateRow,
    EvaluationRow,
    IdentityCandidateRow,
    OfficerIdentifierRow,
    OfficerMergeRow,
    OfficerNameTokenRow,
    OfficerRow,
    OfficerStandingRow,
)
from confianza.identities.contracts import (
    Candidate,
    FileSide,
    Merged,
    MergeRecord,
    NewCandidate,
)
from confianza.identities.rules.candidates import (
    CandidateStatus,
    MergeFacts,
    Posting,
    later_standing,
)
from confianza.identities.rules.people import Person, officer_key, person
from confianza.registry.repository.officers import OfficerRepository
from confianza.registry.rules.officers import OfficerStatus

_C = IdentityCandidateRow


#: Tables whose rows are worked out from the officer's own row (the words of the name, ADR
#: 0028): a merge drops the merged record's rows rather than move them, as the survivor keeps
#: its own name, and moving them would give it a second record's words (and collide with its
#: own where the two names share one).
DERIVED = (OfficerNameTokenRow.__tablename__,)


@cache
def officer_references() -> tuple[tuple[Table, Column[Any]], ...]:
    """Every column that names an officer, found from the schema itself: a table a later
    feature adds is merged too, without a change here."""
    found: list[tuple[Table, Column[Any]]] = []
    for table in Base.metadata.sorted_tables:
        if table.name in ("officers", OfficerMergeRow.__tablename__):
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "officers":
                found.append((table, fk.parent))
    return tuple(found)


class IdentityRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # The people the model compares -------------------------------------------------------

    def people(self) -> list[Person]:
        db = plain.connection(self._session)
        careers: dict[int, tuple[set[str], date, date | None, bool]] = {}
        rows = db.execute(
            select(AssignmentRow.officer_id, AgencyRow.code, AssignmentRow.start_date,
                   AssignmentRow.end_date)
            .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id))
        for officer_id, code, start, end in rows:
            seen = careers.get(officer_id)
            if seen is None:
                careers[officer_id] = ({code}, start, end, end is None)
                continue
            codes, began, last, open_ = seen
            codes.add(code)
            careers[officer_id] = (
                codes, min(began, start),
                last if end is None or (last is not None and last >= end) else end,
                open_ or end is None)
        people = []
        officers = db.execute(select(
            OfficerRow.id, OfficerRow.given_names, OfficerRow.first_surname,
            OfficerRow.second_surname, OfficerRow.birth_date, OfficerRow.birth_year,
            OfficerRow.sex, OfficerRow.curp))
        for oid, given, surname, second, born, year, sex, curp in officers:
            career = careers.get(oid)
            if career is None:
                people.append(person(officer_key(oid), given, surname, second, born, year, sex,
                                     curp))
                continue
            codes, began, last, open_ = career
            people.append(person(officer_key(oid), given, surname, second, born, year, sex, curp,
                                 codes, began, None if open_ else last))
        return people

    # Candidates ---------------------------------------------------------------------------

    def known_pairs(self) -> set[tuple[int, int]]:
        rows = plain.connection(self._session).execute(
            select(_C.left_officer_id, _C.right_officer_id)
            .where(_C.right_officer_id.is_not(None)))
        return {(int(a), int(b)) for a, b in rows if b is not None}

    def known_file_keys(self, sha256: str) -> set[tuple[int, str]]:
        rows = plain.connection(self._session).execute(
            select(_C.left_officer_id, _C.file_key).where(
                _C.file_key.is_not(None),
                or_(_C.status == CandidateStatus.REJECTED.value, _C.file_sha256 == sha256)))
        return {(int(a), str(k)) for a, k in rows}

    def add_candidates(self, candidates: Sequence[NewCandidate], *, at: datetime,
                       by: str) -> int:
        if not candidates:
            return 0
        self._session.execute(insert(_C), [{
            "left_officer_id": c.left_officer_id, "right_officer_id": c.right_officer_id,
            "file_name": c.file.name if c.file else None,
            "file_sha256": c.file.sha256 if c.file else None,
            "file_line": c.file.line if c.file else None,
            "file_key": c.file.key if c.file else None,
            "file_scheme": c.file.scheme if c.file else None,
            "probability": c.probability, "weight": c.weight,
            "evidence": json.dumps(c.evidence, ensure_ascii=False, sort_keys=True),
            "status": CandidateStatus.PROPOSED.value, "proposed_at": at, "proposed_by": by,
        } for c in candidates])
        return len(candidates)

    def candidates(self, status: CandidateStatus | None, limit: int,
                   after_id: int | None) -> list[Candidate]:
        query = select(_C).order_by(_C.id).limit(limit)
        if status is not None:
            query = query.where(_C.status == status.value)
        if after_id is not None:
            query = query.where(_C.id > after_id)
        return [_candidate(row) for row in self._session.scalars(query)]

    def candidate(self, candidate_id: int, *, lock: bool = False) -> Candidate | None:
        query = select(_C).where(_C.id == candidate_id)
        if lock:
            query = query.with_for_update()
        row = self._session.scalars(query).first()
        return None if row is None else _candidate(row)

    def decide(self, candidate_id: int, status: CandidateStatus, *, at: datetime,
               by: str) -> None:
        self._session.execute(update(_C).where(_C.id == candidate_id).values(
            status=status.value, decided_at=at, decided_by=by))

    # Merges -------------------------------------------------------------------------------

    def merge_facts(self, officer_id: int) -> MergeFacts | None:
        db = plain.connection(self._session)
        officer = db.execute(select(OfficerRow.curp, OfficerRow.created_at)
                             .where(OfficerRow.id == officer_id).with_for_update()).first()
        if officer is None:
            return None
        postings = db.execute(
            select(AgencyRow.code, AssignmentRow.start_date, AssignmentRow.end_date)
            .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id)
            .where(AssignmentRow.officer_id == officer_id)
            .order_by(AssignmentRow.start_date))
        evaluations = db.execute(select(func.count()).select_from(EvaluationRow).where(
            EvaluationRow.officer_id == officer_id, EvaluationRow.closed_at.is_(None))).scalar()
        certificates = db.execute(select(func.count()).select_from(CupCertificateRow).where(
            CupCertificateRow.officer_id == officer_id,
            CupCertificateRow.ended_on.is_(None))).scalar()
        return MergeFacts(
            officer_id, officer.curp, officer.created_at,
            tuple(Posting(code, start, end) for code, start, end in postings),
            int(evaluations or 0), int(certificates or 0))

    def merge(self, survivor: MergeFacts, merged: MergeFacts, candidate_id: int, *,
              at: datetime, today: date, by: str) -> Merged:
        """Move every row that names `merged` to `survivor`, keep `merged`'s identity and id in
        the merge table, and remove its officer row."""
        session = self._session
        keep, gone = survivor.officer_id, merged.officer_id
        identity = session.execute(select(OfficerRow).where(OfficerRow.id == gone)).scalar_one()
        snapshot = {
            "curp": identity.curp, "given_names": identity.given_names,
            "first_surname": identity.first_surname, "second_surname": identity.second_surname,
            "birth_date": None if identity.birth_date is None else identity.birth_date.isoformat(),
            "birth_year": identity.birth_year, "sex": identity.sex, "status": identity.status,
            "created_at": identity.created_at.isoformat(),
        }
        self._merge_standing(keep, gone)
        moved: dict[str, int] = {}
        for table, column in officer_references():
            if table.name in DERIVED:
                session.execute(delete(table).where(column == gone))
                continue
            result = session.execute(
                update(table).where(column == gone).values({column.name: keep}))
            count = int(getattr(result, "rowcount", 0) or 0)
            if count:
                moved[table.name] = moved.get(table.name, 0) + count
        # Proposals that name the merged record are moot: a new run proposes the survivor.
        session.execute(update(_C).where(
            _C.status == CandidateStatus.PROPOSED.value, _C.id != candidate_id,
            or_(_C.left_officer_id == gone, _C.right_officer_id == gone),
        ).values(status=CandidateStatus.WITHDRAWN.value, decided_at=at, decided_by=by))
        # Ids merged into `gone` before now lead to `keep`: an old reference takes one step.
        session.execute(update(OfficerMergeRow).where(OfficerMergeRow.survivor_id == gone)
                        .values(survivor_id=keep))
        session.execute(insert(OfficerMergeRow).values(
            merged_id=gone, survivor_id=keep, candidate_id=candidate_id,
            merged_identity=json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
            moved=json.dumps(moved, sort_keys=True), merged_at=at, merged_by=by))
        session.execute(delete(OfficerRow).where(OfficerRow.id == gone))
        if survivor.curp is None and identity.curp is not None:
            # Only now: the merged row held the CURP, which is unique, until it went.
            session.execute(update(OfficerRow).where(OfficerRow.id == keep)
                            .values(curp=identity.curp, updated_at=at))
        if any(p.end_date is None for p in merged.postings):
            # The person serves where the merged record said; its status says how, and the
            # status history says since when and why (ADR 0025).
            before = session.execute(
                select(OfficerRow.status).where(OfficerRow.id == keep)).scalar_one()
            session.execute(update(OfficerRow).where(OfficerRow.id == keep)
                            .values(status=identity.status, updated_at=at))
            if before != identity.status:
                OfficerRepository(session).add_status_change(
                    keep, OfficerStatus(identity.status), today,
                    f"records merged: officer {gone} into {keep}", by, at)
        return Merged(keep, gone, moved)

    def _merge_standing(self, keep: int, gone: int) -> None:
        """One certification standing per officer: the one whose last decision is later."""
        rows = dict(self._session.execute(
            select(OfficerStandingRow.officer_id, OfficerStandingRow.last_decided_on)
            .where(OfficerStandingRow.officer_id.in_((keep, gone)))).all())
        if keep in rows and gone in rows:
            drop = gone if later_standing(rows[keep], rows[gone]) else keep
            self._session.execute(
                delete(OfficerStandingRow).where(OfficerStandingRow.officer_id == drop))

    def merge_of(self, merged_id: int) -> MergeRecord | None:
        row = self._session.execute(
            select(OfficerMergeRow.survivor_id, OfficerMergeRow.merged_at,
                   OfficerMergeRow.merged_by).where(OfficerMergeRow.merged_id == merged_id)
        ).first()
        if row is None:
            return None
        return MergeRecord(merged_id, int(row[0]), row[1], str(row[2]))

    def link_file_key(self, officer_id: int, scheme: str, key: str) -> int | None:
        holder = self._session.execute(
            select(OfficerIdentifierRow.officer_id).where(
                OfficerIdentifierRow.scheme == scheme, OfficerIdentifierRow.value == key)
        ).scalar()
        if holder is not None:
            return int(holder)
        self._session.execute(insert(OfficerIdentifierRow).values(
            officer_id=officer_id, scheme=scheme, value=key))
        return None


def _candidate(row: IdentityCandidateRow) -> Candidate:
    file = None
    if row.file_line is not None:
        file = FileSide(row.file_name or "", row.file_sha256 or "", row.file_line,
                        row.file_key or "", row.file_scheme)
    return Candidate(
        id=row.id, left_officer_id=row.left_officer_id, right_officer_id=row.right_officer_id,
        file=file, probability=row.probability, weight=row.weight,
        evidence=json.loads(row.evidence), status=CandidateStatus(row.status),
        proposed_at=row.proposed_at, proposed_by=row.proposed_by, decided_at=row.decided_at,
        decided_by=row.decided_by,
    )
