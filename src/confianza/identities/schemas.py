"""API bodies for candidate pairs and decisions, built from the service's records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from confianza.identities.rules.candidates import CandidateStatus, Decision
from confianza.identities.service.decisions import Candidate, Decided


class FileSideOut(BaseModel):
    name: str
    sha256: str
    line: int
    key: str
    scheme: str | None


class CandidateOut(BaseModel):
    """A proposed pair with its evidence: both records side by side and each comparison's
    level and weight (log2 of how far it moved the odds)."""

    id: int
    left_officer_id: int
    right_officer_id: int | None
    file: FileSideOut | None
    probability: float
    weight: float
    evidence: dict[str, Any]
    status: CandidateStatus
    proposed_at: datetime
    proposed_by: str
    decided_at: datetime | None
    decided_by: str | None

    @classmethod
    def of(cls, candidate: Candidate) -> CandidateOut:
        file = None if candidate.file is None else FileSideOut(
            name=candidate.file.name, sha256=candidate.file.sha256, line=candidate.file.line,
            key=candidate.file.key, scheme=candidate.file.scheme)
        return cls(
            id=candidate.id, left_officer_id=candidate.left_officer_id,
            right_officer_id=candidate.right_officer_id, file=file,
            probability=candidate.probability, weight=candidate.weight,
            evidence=candidate.evidence, status=candidate.status,
            proposed_at=candidate.proposed_at, proposed_by=candidate.proposed_by,
            decided_at=candidate.decided_at, decided_by=candidate.decided_by)


class CandidatePage(BaseModel):
    items: list[CandidateOut]
    next_after: int | None


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Decision


class MergedOut(BaseModel):
    survivor_id: int
    merged_id: int
    moved: dict[str, int]


class DecidedOut(BaseModel):
    candidate: CandidateOut
    merged: MergedOut | None
    linked_key: str | None

    @classmethod
    def of(cls, done: Decided) -> DecidedOut:
        merged = None if done.merged is None else MergedOut(
            survivor_id=done.merged.survivor_id, merged_id=done.merged.merged_id,
            moved=done.merged.moved)
        return cls(candidate=CandidateOut.of(done.candidate), merged=merged,
                   linked_key=done.linked_key)
