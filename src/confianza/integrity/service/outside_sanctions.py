"""Another authority's sanctions and decertifications: imported, matched, reviewed, shown.

A state's list of sanctioned officers, a national list of people barred from public service:
the import reads the whole list under its mapping (one bad row and nothing is written, every
fault named), leaves alone the rows an earlier import holds, and matches the new ones to the
registry's officers through the identity matching's people (`identities`' reading of the
registry, `rules.outside_sanctions_match`): linked by CURP, or by name, full birth date and
employer agreeing on one officer only; anything short of that waits for review; nobody
matched stays unmatched. Never linked on a name alone (ADR 0036).

An internal-affairs supervisor works the review queue: links a record to an officer (one of
the candidates, or another the supervisor found) or rejects it with the reason. Once linked,
the sanction shows on the officer's record to the roles that weigh it. Every read and change
writes its audit entry in its transaction; a refusal leaves its own.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from confianza.accounts.rules.permissions import Actor, Permission, ScopeKind
from confianza.accounts.service.authorization import require
from confianza.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from confianza.integrity.rules.outside_sanctions import (
    LinkedBy,
    OutsideSanction,
    OutsideStatus,
    read_sanctions,
)
from confianza.integrity.rules.outside_sanctions_mapping import SanctionMapping
from confianza.integrity.rules.outside_sanctions_match import (
    StoredOutsideSanction,
    match_records,
)
from confianza.registry.rules.officers import Officer, fold
from confianza.registry.rules.roster_file import RosterFile
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import Transaction, UnitOfWork

QUEUE_LIMIT = 200
REASON_MIN = 10
REASON_MAX = 2000
_RECORD = "integrity_outside_sanction"
#: A record can be decided while it waits for review or matched nobody.
DECIDABLE = (OutsideStatus.REVIEW, OutsideStatus.UNMATCHED)


@dataclass(frozen=True)
class OutsideImportReport:
    file: str
    rows: int  # records the list holds
    added: int
    already_held: int  # rows an earlier import holds, left as they were
    linked_by_curp: int = 0
    linked_by_facts: int = 0
    review: int = 0
    unmatched: int = 0
    import_id: int | None = None

    @property
    def linked(self) -> int:
        return self.linked_by_curp + self.linked_by_facts


def _agencies(tx: Transaction, records: tuple[OutsideSanction, ...],
              mapping: SanctionMapping) -> tuple[OutsideSanction, ...]:
    """Each record's employer as a registry agency: the mapping's alias (which must name an
    agency the registry holds), else the agency of that name."""
    by_name = tx.outside_sanctions.agency_codes_by_name()
    codes = set(by_name.values())
    wrong = sorted({code for code in mapping.employers.values() if code not in codes})
    if wrong:
        raise ValidationFailed([FieldError(f"{mapping.source}:employers", f"{code!r} is not the "
                                           "code of an agency of the registry") for code in wrong])
    return tuple(
        r if r.agency_code is not None or r.employer is None else
        dataclasses.replace(r, agency_code=by_name.get(fold(r.employer)))
        for r in records)


def import_outside_sanctions(uow: UnitOfWork, actor: Actor, file: RosterFile,
                             mapping: SanctionMapping, *, authority: str | None = None
                             ) -> OutsideImportReport:
    """Store a list's new records, each matched to an officer, sent to review or unmatched."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.OUTSIDE_SANCTIONS_IMPORT, "integrity_outside_import", None
    ):
        require(actor, Permission.OUTSIDE_SANCTIONS_IMPORT,
                resource_type="integrity_outside_import")
        records = _agencies(tx, read_sanctions(file, mapping, today=tx.today,
                                               authority=authority), mapping)
        held = tx.outside_sanctions.held_digests([r.digest for r in records])
        new = [r for r in records if r.digest not in held]
        matches = match_records(new, tx.identities.people()) if new else {}
        tally = Counter((m.status, m.linked_by) for m in matches.values())
        report = OutsideImportReport(
            file.name, len(records), len(new), len(records) - len(new),
            tally[(OutsideStatus.LINKED, LinkedBy.CURP)],
            tally[(OutsideStatus.LINKED, LinkedBy.FACTS)],
            tally[(OutsideStatus.REVIEW, None)], tally[(OutsideStatus.UNMATCHED, None)])
        import_id = tx.outside_sanctions.add_import(
            file_name=file.name, sha256=file.sha256, mapping=mapping.source, at=tx.now,
            by=actor.username, rows=report.rows, added=report.added,
            already_held=report.already_held)
        tx.outside_sanctions.add_sanctions(import_id, [(r, matches[r.digest]) for r in new])
        report = dataclasses.replace(report, import_id=import_id)
        tx.audit.record(actor, AuditAction.OUTSIDE_SANCTIONS_IMPORT, "integrity_outside_import",
                        import_id, detail={
            "file": file.name, "sha256": file.sha256, "mapping": mapping.source,
            "rows": report.rows, "added": report.added, "already_held": report.already_held,
            "linked_by_curp": report.linked_by_curp, "linked_by_facts": report.linked_by_facts,
            "review": report.review, "unmatched": report.unmatched,
            # The officers the import linked, by id: each is a change to their record.
            "officers_linked": sorted({m.officer_id for m in matches.values()
                                       if m.officer_id is not None}),
            **actor.attribution()})
        return report


# The review queue ------------------------------------------------------------------------------
def _visible(tx: Transaction, actor: Actor, items: list[StoredOutsideSanction]
             ) -> list[StoredOutsideSanction]:
    """A scoped supervisor sees the records with a candidate inside its scope, and of each
    only those candidates; a national one sees everything."""
    if actor.scope.kind is ScopeKind.NATIONAL:
        return items
    inside = tx.officers.within(sorted({i for s in items for i in s.candidate_ids}),
                                actor.scope)
    kept = []
    for item in items:
        mine = tuple(c for c in item.candidates if c.officer_id in inside)
        if mine:
            kept.append(dataclasses.replace(item, candidates=mine))
    return kept


def review_queue(uow: UnitOfWork, actor: Actor, *, unmatched: bool = False,
                 after: int | None = None, limit: int = QUEUE_LIMIT
                 ) -> list[StoredOutsideSanction]:
    """The records waiting for review (with `unmatched`, those matched to nobody too), oldest
    first, in the caller's scope (audited)."""
    statuses = DECIDABLE if unmatched else (OutsideStatus.REVIEW,)
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.OUTSIDE_SANCTIONS_REVIEW_READ, _RECORD, None
    ):
        require(actor, Permission.OUTSIDE_SANCTIONS_REVIEW, resource_type=_RECORD)
        items = _visible(tx, actor, tx.outside_sanctions.queue(
            statuses, after=after, limit=max(1, min(limit, 1000))))
        tx.audit.record(actor, AuditAction.OUTSIDE_SANCTIONS_REVIEW_READ, _RECORD, None,
                        detail={"shown": [i.id for i in items], **actor.attribution()})
        return items


@dataclass(frozen=True)
class ReviewItem:
    """One record with its candidates' registry records side by side."""

    record: StoredOutsideSanction
    officers: dict[int, Officer] = field(default_factory=dict)
    agencies: dict[int, tuple[str, ...]] = field(default_factory=dict)


def _item(tx: Transaction, actor: Actor, sanction_id: int,
          lock: bool = False) -> StoredOutsideSanction:
    found = tx.outside_sanctions.get(sanction_id, lock=lock)
    if found is None:
        raise NotFound(f"outside sanction {sanction_id} does not exist")
    if actor.scope.kind is not ScopeKind.NATIONAL:
        visible = _visible(tx, actor, [found])
        if not visible:
            require(actor, Permission.OUTSIDE_SANCTIONS_REVIEW,
                    tx.officers.holder(found.candidate_ids[0]) if found.candidate_ids
                    else None, resource_type=_RECORD, resource_id=sanction_id)
            raise NotFound(f"outside sanction {sanction_id} does not exist")
        return visible[0]
    return found


def read_review_item(uow: UnitOfWork, actor: Actor, sanction_id: int) -> ReviewItem:
    """One record and its candidates' records, for the reviewer to compare (audited)."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.OUTSIDE_SANCTIONS_REVIEW_READ, _RECORD, sanction_id
    ):
        require(actor, Permission.OUTSIDE_SANCTIONS_REVIEW, resource_type=_RECORD,
                resource_id=sanction_id)
        item = _item(tx, actor, sanction_id)
        ids = list(item.candidate_ids)
        if item.officer_id is not None and item.officer_id not in ids:
            ids.append(item.officer_id)
        officers = {o.id: o for o in tx.officers.many(ids)}
        served = {i: {a.agency_id for a in tx.officers.assignments(i)} for i in officers}
        known = tx.agencies.many({a for ids_ in served.values() for a in ids_})
        agencies = {i: tuple(sorted(known[a].code for a in ids_ if a in known))
                    for i, ids_ in served.items()}
        tx.audit.record(actor, AuditAction.OUTSIDE_SANCTIONS_REVIEW_READ, _RECORD, sanction_id,
                        detail={"shown": [sanction_id], "officers": sorted(officers),
                                **actor.attribution()})
        return ReviewItem(item, officers, agencies)


def link_outside_sanction(uow: UnitOfWork, actor: Actor, sanction_id: int, officer_id: int,
                          *, note: str | None = None) -> StoredOutsideSanction:
    """Link a record waiting for review (or matched to nobody) to an officer: one of its
    candidates, or another the reviewer found."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.OUTSIDE_SANCTION_LINK, _RECORD, sanction_id
    ):
        require(actor, Permission.OUTSIDE_SANCTIONS_REVIEW, resource_type=_RECORD,
                resource_id=sanction_id)
        item = _item(tx, actor, sanction_id, lock=True)
        _decidable(item)
        note = _text(note, "note", required=False)
        if tx.officers.get(officer_id) is None:
            raise ValidationFailed(FieldError("officer_id", f"no officer has the number "
                                              f"{officer_id}"))
        require(actor, Permission.OUTSIDE_SANCTIONS_REVIEW, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        tx.outside_sanctions.decide(sanction_id, status=OutsideStatus.LINKED,
                                    officer_id=officer_id, linked_by=LinkedBy.REVIEWER,
                                    by=actor.username, at=tx.now, note=note)
        tx.audit.record(actor, AuditAction.OUTSIDE_SANCTION_LINK, _RECORD, sanction_id, detail={
            "officer_id": officer_id, "among_candidates": officer_id in item.candidate_ids,
            "was": item.status.value, **actor.attribution()})
        found = tx.outside_sanctions.get(sanction_id)
        assert found is not None
        return found


def reject_outside_sanction(uow: UnitOfWork, actor: Actor, sanction_id: int,
                            reason: str) -> StoredOutsideSanction:
    """Find a record to be none of the registry's officers (its candidates included), saying
    why; it is linked to nobody and leaves the queue."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.OUTSIDE_SANCTION_REJECT, _RECORD, sanction_id
    ):
        require(actor, Permission.OUTSIDE_SANCTIONS_REVIEW, resource_type=_RECORD,
                resource_id=sanction_id)
        item = _item(tx, actor, sanction_id, lock=True)
        _decidable(item)
        why = _text(reason, "reason", required=True)
        tx.outside_sanctions.decide(sanction_id, status=OutsideStatus.REJECTED,
                                    officer_id=None, linked_by=None, by=actor.username,
                                    at=tx.now, note=why)
        tx.audit.record(actor, AuditAction.OUTSIDE_SANCTION_REJECT, _RECORD, sanction_id,
                        detail={"candidates": list(item.candidate_ids),
                                "was": item.status.value, **actor.attribution()})
        found = tx.outside_sanctions.get(sanction_id)
        assert found is not None
        return found


def _decidable(item: StoredOutsideSanction) -> None:
    if item.status not in DECIDABLE:
        whom = f" to officer {item.officer_id}" if item.officer_id is not None else ""
        raise Conflict(f"outside sanction {item.id} is already {item.status.value}{whom} "
                       f"(by {item.reviewed_by or 'the import'}); only a record waiting for "
                       "review or matched to nobody can be decided")


def _text(value: str | None, name: str, *, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationFailed(FieldError(name, f"say why, in at least {REASON_MIN} "
                                              "characters"))
        return None
    if required and len(text) < REASON_MIN:
        raise ValidationFailed(FieldError(name, f"say why, in at least {REASON_MIN} "
                                          f"characters (it has {len(text)})"))
    if len(text) > REASON_MAX:
        raise ValidationFailed(FieldError(name, f"at most {REASON_MAX} characters (it has "
                                          f"{len(text)})"))
    return text


# On the officer's record -----------------------------------------------------------------------
def officer_outside_sanctions(uow: UnitOfWork, actor: Actor, officer_id: int
                              ) -> list[StoredOutsideSanction]:
    """The sanctions of other authorities linked to the officer, latest first, for a reader
    holding `integrity:outside_sanction:read` over the officer (audited)."""
    with uow.transaction() as tx:
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        require(actor, Permission.OUTSIDE_SANCTIONS_READ, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        found = tx.outside_sanctions.of_officer(officer_id)
        tx.audit.record(actor, AuditAction.OUTSIDE_SANCTIONS_READ, "officer", officer_id,
                        detail={"outside_sanctions": [s.id for s in found],
                                **actor.attribution()})
        return found
