"""The review queue (ADR 0029): facts a roster gave for a known identity key that contradict
the registry's (another name beyond accents and case, another birth date or year, another sex
or CURP). The registry clerk decides each: take the file's values, keep the registry's, or
split the file's rows off as another person (with a new key the clerk gives, or, when the
source reused its key, handing the key to the new person). The person's other changes in that
file wait with the conflict and are applied by the next import of the roster once it is
decided. Every list, read and decision is audited.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import (
    Conflict,
    FieldError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from confianza.kit.curp import InvalidCurp, validate_curp

# Re-exported: API bodies are built from it (schemas read services).
from confianza.registry.contracts import QueuedConflict as QueuedConflict
from confianza.registry.rules.assignments import (
    ChangeReason,
    EmploymentKind,
    PostingKind,
)
from confianza.registry.rules.officers import (
    ExternalId,
    OfficerStatus,
    Sex,
    status_from_postings,
)
from confianza.trail.rules import AuditAction
from confianza.work import Transaction, UnitOfWork

PAGE_SIZE = 50


class ConflictDecision(StrEnum):
    ACCEPT = "accept"  # the file is right: the registry takes its values
    KEEP = "keep"  # the registry is right: the difference is settled, the rest applies
    SPLIT = "split"  # two people: the file's rows become a new person with a new key
    REUSED = "reused"  # two people, and the source reused its key: the key goes to the new one


_STATUS = {ConflictDecision.ACCEPT: "accepted", ConflictDecision.KEEP: "kept",
           ConflictDecision.SPLIT: "split", ConflictDecision.REUSED: "reused"}


def list_conflicts(uow: UnitOfWork, actor: Actor, *, status: str | None = "open",
                   after_id: int | None = None, limit: int = PAGE_SIZE) -> list[QueuedConflict]:
    if not 1 <= limit <= 500:
        raise ValidationFailed(FieldError("limit", "must be between 1 and 500"))
    if status not in (None, "open", *_STATUS.values()):
        raise ValidationFailed(FieldError("status", "must be open, accepted, kept, split or "
                                          "reused"))
    with uow.transaction() as tx:
        require(actor, Permission.IDENTITY_MATCH, resource_type="roster_conflict")
        found = tx.rosters.conflicts(status, after=after_id, limit=limit)
        tx.audit.record(actor, AuditAction.CONFLICTS_READ, "roster_conflict", None,
                        detail={"status": status, "ids": [c.id for c in found],
                                "officers": [c.officer_id for c in found],
                                **actor.attribution()})
    return found


def get_conflict(uow: UnitOfWork, actor: Actor, conflict_id: int) -> QueuedConflict:
    with uow.transaction() as tx:
        found = _get(tx, actor, conflict_id)
        tx.audit.record(actor, AuditAction.CONFLICTS_READ, "roster_conflict", conflict_id,
                        detail={"officers": [found.officer_id], **actor.attribution()})
    return found


def _get(tx: Transaction, actor: Actor, conflict_id: int) -> QueuedConflict:
    require(actor, Permission.IDENTITY_MATCH, resource_type="roster_conflict",
            resource_id=conflict_id)
    found = tx.rosters.conflict(conflict_id)
    if found is None:
        raise NotFound(f"conflict {conflict_id} does not exist")
    return found


def decide_conflict(
    uow: UnitOfWork, actor: Actor, conflict_id: int, decision: ConflictDecision, *,
    new_key: str | None = None, note: str | None = None,
) -> QueuedConflict:
    """Decide a queued conflict (one transaction, one audit entry on the officer, and one more
    for a person a split registers)."""
    with uow.transaction() as tx:
        found = _get(tx, actor, conflict_id)
        if found.status != "open":
            raise InvalidTransition(f"conflict {conflict_id} was already {found.status} by "
                                    f"{found.decided_by}")
        detail: dict[str, object] = {"conflict": conflict_id, "decision": decision.value,
                                     "fields": [f["field"] for f in found.facts],
                                     "file": found.file_name, "line": found.file_line}
        new_officer = None
        if decision is ConflictDecision.ACCEPT:
            _accept(tx, found)
        elif decision in (ConflictDecision.SPLIT, ConflictDecision.REUSED):
            new_officer = _split(tx, actor, found, decision, new_key)
            detail["new_officer_id"] = new_officer
        if note:
            detail["note"] = note.strip()[:300]
        tx.rosters.decide_conflict(conflict_id, status=_STATUS[decision], by=actor.username,
                                   at=tx.now, new_officer_id=new_officer,
                                   note=note.strip()[:300] if note else None)
        tx.audit.record(actor, AuditAction.CONFLICT_DECIDE, "officer", found.officer_id,
                        detail={**detail, **actor.attribution()})
        done = tx.rosters.conflict(conflict_id)
        assert done is not None
        return done


def _accept(tx: Transaction, found: QueuedConflict) -> None:
    """The registry takes the file's identity facts (its name as the file spells it)."""
    officer = tx.officers.get(found.officer_id)
    assert officer is not None
    head = found.file_rows[0]
    fields = {f["field"] for f in found.facts}
    birth = _day(head.get("birth_date")) if "birth_date" in fields else officer.birth_date
    tx.officers.lock(officer.id)
    tx.officers.update(
        officer.id,
        curp=str(head["curp"]) if "curp" in fields else officer.curp,
        given_names=str(head["given_names"]) if "name" in fields else officer.given_names,
        first_surname=str(head["first_surname"]) if "name" in fields
        else officer.first_surname,
        second_surname=(_text(head.get("second_surname")) if "name" in fields
                        else officer.second_surname),
        birth_date=birth,
        sex=Sex(str(head["sex"])) if "sex" in fields else officer.sex,
        now=tx.now)
    if "birth_year" in fields and birth is None:
        year = head.get("birth_year")
        tx.rosters.update_identities([{
            "b_id": officer.id, "curp": str(head["curp"]) if "curp" in fields else officer.curp,
            "birth_date": None, "birth_year": int(str(year)) if year is not None else None,
            "sex": str(head["sex"]) if "sex" in fields else (
                officer.sex.value if officer.sex else None),
            "status": officer.status.value, "updated_at": tx.now}])


def _split(tx: Transaction, actor: Actor, found: QueuedConflict, decision: ConflictDecision,
           new_key: str | None) -> int:
    """Register the file's rows as another person: under the new key the clerk gives, or,
    when the source reused its key, under that key, taken from the registry's person."""
    head = found.file_rows[0]
    curp = _text(head.get("curp"))
    if decision is ConflictDecision.REUSED:
        if found.scheme is None:
            raise ValidationFailed(FieldError("decision", "a CURP is never reused: split "
                                              "with the new person's CURP instead"))
    else:
        key = (new_key or "").strip()
        if not key or len(key) > 128:
            raise ValidationFailed(FieldError("new_key", "give the new person's identity key "
                                              "(1 to 128 characters)"))
        if found.scheme is None:
            try:
                curp = validate_curp(key.upper())
            except InvalidCurp as exc:
                raise ValidationFailed(FieldError("new_key", str(exc))) from exc
        elif tx.officers.id_by_identifier(ExternalId(found.scheme, key)) is not None:
            raise Conflict(f"{found.scheme} {key} already belongs to an officer")
    if curp is not None and tx.officers.id_by_curp(curp) is not None:
        if found.scheme is None:
            raise Conflict(f"CURP {curp} is already registered")
        curp = None  # the registry's person holds it: the new person is registered without
    postings = found.file_rows
    status = status_from_postings(OfficerStatus.ACTIVE, posted=True,
                                  open_posting=any(p.get("end_date") is None for p in postings))
    birth = _day(head.get("birth_date"))
    year = head.get("birth_year")
    officer_id = tx.officers.add(
        curp=curp, given_names=str(head["given_names"]),
        first_surname=str(head["first_surname"]),
        second_surname=_text(head.get("second_surname")), birth_date=birth,
        birth_year=birth.year if birth else (int(str(year)) if year is not None else None),
        sex=Sex(str(head["sex"])) if head.get("sex") else None, status=status, now=tx.now)
    if found.scheme is not None:
        if decision is ConflictDecision.REUSED:
            tx.rosters.move_identifier(found.scheme, found.identity_key, officer_id)
        else:
            tx.officers.add_identifier(officer_id, ExternalId(found.scheme, (new_key or "")
                                                              .strip()))
    starts: list[date] = []
    for n, row in enumerate(sorted(postings, key=lambda p: str(p["start_date"]))):
        agency_id = int(str(row["agency_id"]))
        unit = tx.agencies.unit_by_code(agency_id, str(row["unit_code"])) \
            if row.get("unit_code") else None
        start = _day(row["start_date"])
        assert start is not None
        starts.append(start)
        end = _day(row.get("end_date"))
        tx.officers.add_assignment(
            officer_id=officer_id, agency_id=agency_id, unit_id=unit.id if unit else None,
            rank=str(row["rank"]), start_date=start, end_date=end,
            start_reason=ChangeReason(str(row.get("start_reason") or (
                "appointment" if n == 0 else "import"))),
            end_reason=ChangeReason(str(row["end_reason"])) if end is not None else None,
            kind=PostingKind(str(row.get("posting_kind") or "full_time")),
            employment=EmploymentKind(str(row.get("employment") or "sworn")),
            on_leave=row.get("posting_status") == "on_leave")
        for number in row.get("badges") or []:  # type: ignore[attr-defined]
            tx.officers.add_badge(officer_id=officer_id, agency_id=agency_id,
                                  number=str(number), start_date=None, end_date=None)
    tx.officers.add_status_change(officer_id, status, min(starts), f"split from officer "
                                  f"{found.officer_id} (conflict {found.id})", actor.username,
                                  tx.now)
    tx.audit.record(actor, AuditAction.OFFICER_CREATE, "officer", officer_id, detail={
        "source": "roster conflict", "conflict": found.id, "split_from": found.officer_id,
        "key_reused": decision is ConflictDecision.REUSED, **actor.attribution()})
    return officer_id


def _day(value: object) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value))


def _text(value: object) -> str | None:
    return None if value in (None, "") else str(value)
