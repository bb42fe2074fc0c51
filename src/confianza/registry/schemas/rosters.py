"""API bodies for the roster refresh's two queues: pending separations and conflicts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.service.pending_separations import PendingSeparation
from confianza.registry.service.roster_conflicts import ConflictDecision, QueuedConflict


class SeparationOut(BaseModel):
    """A pending separation (baja pendiente): the posting a complete roster left out."""

    id: int
    officer_id: int
    officer_name: str
    assignment_id: int
    agency_id: int
    agency_code: str
    rank: str
    start_date: date
    file_name: str
    file_sha256: str
    status: str
    proposed_at: datetime
    proposed_by: str
    decided_at: datetime | None
    decided_by: str | None
    end_date: date | None
    end_reason: str | None
    note: str | None

    @classmethod
    def of(cls, found: PendingSeparation) -> SeparationOut:
        return cls.model_validate(found, from_attributes=True)


class SeparationPage(BaseModel):
    items: list[SeparationOut]
    next_after: int | None


class SeparationConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    end_date: date
    reason: ChangeReason = Field(description="resignation, retirement, dismissal, "
                                 "in_lieu_of_dismissal or separation")


class SeparationDismissIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(min_length=1, max_length=300, description="Why the person still serves")


class ConflictOut(BaseModel):
    """A review-queue entry: the facts that differ and the person's rows as the file gave
    them (held until decided)."""

    id: int
    officer_id: int
    officer_name: str
    identity_key: str
    scheme: str | None
    facts: list[dict[str, str]]
    file_rows: list[dict[str, Any]]
    file_name: str
    file_sha256: str
    file_line: int
    status: str
    proposed_at: datetime
    proposed_by: str
    decided_at: datetime | None
    decided_by: str | None
    new_officer_id: int | None
    note: str | None

    @classmethod
    def of(cls, found: QueuedConflict) -> ConflictOut:
        return cls.model_validate(found, from_attributes=True)


class ConflictPage(BaseModel):
    items: list[ConflictOut]
    next_after: int | None


class ConflictDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: ConflictDecision
    new_key: str | None = Field(None, max_length=128, description="With split: the new "
                                "person's identity key (their CURP for a CURP-keyed roster)")
    note: str | None = Field(None, max_length=300)
