"""What the matching use cases need of storage, declared on their side (ADR 0022)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from confianza.identities.rules.candidates import CandidateStatus, MergeFacts
from confianza.identities.rules.people import Person


@dataclass(frozen=True)
class FileSide:
    """The right side of a candidate that is a row of an imported file."""

    name: str
    sha256: str
    line: int
    key: str
    scheme: str | None  # None: the file's key is the CURP


@dataclass(frozen=True)
class NewCandidate:
    left_officer_id: int
    right_officer_id: int | None
    file: FileSide | None
    probability: float
    weight: float
    evidence: dict[str, Any]


@dataclass(frozen=True)
class Candidate:
    id: int
    left_officer_id: int
    right_officer_id: int | None
    file: FileSide | None
    probability: float
    weight: float
    evidence: dict[str, Any]
    status: CandidateStatus
    proposed_at: datetime
    proposed_by: str
    decided_at: datetime | None
    decided_by: str | None


@dataclass(frozen=True)
class Merged:
    """What a merge did: who survived, and how many rows of each table moved to them."""

    survivor_id: int
    merged_id: int
    moved: dict[str, int]


@dataclass(frozen=True)
class MergeRecord:
    """An officer record that a merge folded into another: the id it had, the record that now
    holds its history (after later merges, the last one), when and by whom."""

    merged_id: int
    survivor_id: int
    merged_at: datetime
    merged_by: str


class IdentityStore(Protocol):
    """`tx.identities`: implemented by `identities.repository.IdentityRepository`."""

    def people(self) -> list[Person]:
        """Every officer of the registry, as the matcher compares them."""

    def known_pairs(self) -> set[tuple[int, int]]:
        """Officer pairs (smaller id first) already proposed, whatever became of them."""

    def known_file_keys(self, sha256: str) -> set[tuple[int, str]]:
        """(officer, file key) pairs rejected for any file, or already proposed for this one."""

    def add_candidates(self, candidates: Sequence[NewCandidate], *, at: datetime,
                       by: str) -> int: ...

    def candidates(self, status: CandidateStatus | None, limit: int,
                   after_id: int | None) -> list[Candidate]: ...

    def candidate(self, candidate_id: int, *, lock: bool = False) -> Candidate | None: ...

    def decide(self, candidate_id: int, status: CandidateStatus, *, at: datetime,
               by: str) -> None: ...

    def merge_facts(self, officer_id: int) -> MergeFacts | None: ...

    def merge(self, survivor: MergeFacts, merged: MergeFacts, candidate_id: int, *,
              at: datetime, today: date, by: str) -> Merged: ...

    def merge_of(self, merged_id: int) -> MergeRecord | None:
        """Where a merged officer's id leads (one primary-key read), or None for an id that
        no merge folded."""

    def link_file_key(self, officer_id: int, scheme: str, key: str) -> int | None:
        """Record a file's key as one of the officer's identifiers; if some officer already
        holds it, nothing is written and that officer's id is returned."""
