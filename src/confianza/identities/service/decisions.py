"""Use cases: a clerk reads the proposed pairs and confirms or rejects each.

Confirming two registry officers merges them (every history moves to the surviving record);
confirming an officer and a file's person records the file's key among the officer's
identifiers, so that the next import of that file finds them. A rejected pair is kept, so no
later run proposes it again. Each decision is one transaction with its audit entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import (
    Conflict,
    FieldError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)

# Candidate is re-exported: API bodies are built from it (schemas read services).
from confianza.identities.contracts import Candidate as Candidate
from confianza.identities.contracts import Merged
from confianza.identities.rules.candidates import (
    CandidateStatus,
    Decision,
    merge_refusals,
    survivor,
)
from confianza.trail.rules import AuditAction
from confianza.work import Transaction, UnitOfWork

PAGE_SIZE = 50


@dataclass(frozen=True)
class Decided:
    candidate: Candidate
    merged: Merged | None = None
    linked_key: str | None = None


def list_candidates(
    uow: UnitOfWork, actor: Actor, *, status: CandidateStatus | None = CandidateStatus.PROPOSED,
    after_id: int | None = None, limit: int = PAGE_SIZE,
) -> list[Candidate]:
    """One page of candidates with their evidence (names and birth dates: an audited read)."""
    if not 1 <= limit <= 500:
        raise ValidationFailed(FieldError("limit", "must be between 1 and 500"))
    with uow.transaction() as tx:
        require(actor, Permission.IDENTITY_MATCH, resource_type="identity_candidate")
        found = tx.identities.candidates(status, limit, after_id)
        tx.audit.record(actor, AuditAction.IDENTITY_CANDIDATES_READ, "identity_candidate", None,
                        detail={"status": None if status is None else status.value,
                                "ids": [c.id for c in found], **actor.attribution()})
    return found


def get_candidate(uow: UnitOfWork, actor: Actor, candidate_id: int) -> Candidate:
    with uow.transaction() as tx:
        require(actor, Permission.IDENTITY_MATCH, resource_type="identity_candidate",
                resource_id=candidate_id)
        found = _get(tx, candidate_id)
        tx.audit.record(actor, AuditAction.IDENTITY_CANDIDATES_READ, "identity_candidate",
                        candidate_id, detail=actor.attribution())
    return found


def _get(tx: Transaction, candidate_id: int, *, lock: bool = False) -> Candidate:
    found = tx.identities.candidate(candidate_id, lock=lock)
    if found is None:
        raise NotFound(f"candidate {candidate_id} does not exist")
    return found


def decide(uow: UnitOfWork, actor: Actor, candidate_id: int, decision: Decision) -> Decided:
    """Confirm or reject a proposed pair; a confirmed pair of officers is merged at once."""
    with uow.transaction() as tx:
        require(actor, Permission.IDENTITY_MATCH, resource_type="identity_candidate",
                resource_id=candidate_id)
        candidate = _get(tx, candidate_id, lock=True)
        if candidate.status is not CandidateStatus.PROPOSED:
            raise InvalidTransition(f"candidate {candidate_id} is already {candidate.status}")
        if decision is Decision.REJECT:
            tx.identities.decide(candidate_id, CandidateStatus.REJECTED, at=tx.now,
                                 by=actor.username)
            tx.audit.record(actor, AuditAction.IDENTITY_CANDIDATE_REJECT, "identity_candidate",
                            candidate_id, detail=_names(candidate) | actor.attribution())
            return Decided(_get(tx, candidate_id))
        merged = linked = None
        if candidate.right_officer_id is not None:
            merged = _merge(tx, actor, candidate)
        else:
            linked = _link(tx, candidate)
        tx.identities.decide(candidate_id, CandidateStatus.CONFIRMED, at=tx.now,
                             by=actor.username)
        tx.audit.record(actor, AuditAction.IDENTITY_CANDIDATE_CONFIRM, "identity_candidate",
                        candidate_id, detail=_names(candidate) | actor.attribution()
                        | ({"linked_key": linked} if linked else {}))
        return Decided(_get(tx, candidate_id), merged, linked)


def _names(candidate: Candidate) -> dict[str, object]:
    detail: dict[str, object] = {"left_officer_id": candidate.left_officer_id,
                                 "probability": round(candidate.probability, 6)}
    if candidate.right_officer_id is not None:
        detail["right_officer_id"] = candidate.right_officer_id
    if candidate.file is not None:
        detail |= {"file": candidate.file.name, "line": candidate.file.line,
                   "sha256": candidate.file.sha256}
    return detail


def _merge(tx: Transaction, actor: Actor, candidate: Candidate) -> Merged:
    assert candidate.right_officer_id is not None
    a = tx.identities.merge_facts(candidate.left_officer_id)
    b = tx.identities.merge_facts(candidate.right_officer_id)
    if a is None or b is None:
        gone = candidate.left_officer_id if a is None else candidate.right_officer_id
        raise Conflict(f"officer {gone} is no longer in the registry (merged or removed); "
                       "reject this candidate")
    refusals = merge_refusals(a, b)
    if refusals:
        raise Conflict(f"officers {a.officer_id} and {b.officer_id} cannot be merged: "
                       + "; ".join(refusals))
    keep, gone_facts = survivor(a, b)
    merged = tx.identities.merge(keep, gone_facts, candidate.id, at=tx.now, today=tx.today,
                                 by=actor.username)
    tx.audit.record(actor, AuditAction.OFFICER_MERGE, "officer", merged.survivor_id, detail={
        "survivor_id": merged.survivor_id, "merged_id": merged.merged_id,
        "candidate_id": candidate.id, "moved": merged.moved, **actor.attribution()})
    return merged


def _link(tx: Transaction, candidate: Candidate) -> str | None:
    """The file's key recorded on the officer, when the file keys people by a scheme of its
    own (a CURP-keyed file needs nothing: the import matches the CURP itself)."""
    side = candidate.file
    assert side is not None
    if side.scheme is None:
        return None
    holder = tx.identities.link_file_key(candidate.left_officer_id, side.scheme, side.key)
    if holder is not None and holder != candidate.left_officer_id:
        raise Conflict(f"{side.scheme} {side.key} already belongs to officer {holder}; "
                       "reject this candidate or match that officer instead")
    return f"{side.scheme}:{side.key}"
