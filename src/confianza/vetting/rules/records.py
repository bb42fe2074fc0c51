"""The records of the trust-control workflow as the services see them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from confianza.certification.rules.cup import CupComponent
from confianza.certification.rules.decisions import Recommendation, Verdict
from confianza.vetting.rules.evaluations import (
    EvaluationKind,
    EvaluationStatus,
    ExamType,
    RankLevel,
)


@dataclass(frozen=True)
class Centre:
    id: int
    code: str
    name: str
    state_code: str | None
    active: bool
    capacity: dict[ExamType, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Examiner:
    user_id: int
    username: str
    display_name: str
    centre_id: int
    qualifications: frozenset[ExamType]


@dataclass(frozen=True)
class Exam:
    id: int
    evaluation_id: int
    exam_type: ExamType
    examiner_id: int | None
    scheduled_on: date | None
    outcome: str | None
    result: dict[str, Any] | None
    notes: str | None
    recorded_at: datetime | None

    @property
    def recorded(self) -> bool:
        return self.recorded_at is not None


@dataclass(frozen=True)
class Evaluation:
    id: int
    officer_id: int
    agency_id: int
    kind: EvaluationKind
    rank: str
    rank_level: RankLevel
    sensitive_access: bool
    reason: str | None
    status: EvaluationStatus
    centre_id: int | None
    requested_by: str
    requested_at: datetime
    recommendation: Recommendation | None
    integration: dict[str, Any] | None
    verdict: Verdict | None
    decided_by: int | None
    decided_on: date | None
    grounds: str | None
    confirmed_by: int | None
    confirmed_on: date | None
    valid_until: date | None
    closed_at: datetime | None


class AppealStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the not-approved decision stands
    OVERTURNED = "overturned"  # the decision is set aside: the officer counts as approved


@dataclass(frozen=True)
class Appeal:
    id: int
    evaluation_id: int
    filed_by: str
    filed_on: date
    grounds: str
    status: AppealStatus
    decided_by: int | None
    decided_on: date | None
    resolution: str | None


class SeparationStatus(StrEnum):
    OPEN = "open"
    SEPARATED = "separated"
    WITHDRAWN = "withdrawn"  # the appeal overturned the decision


@dataclass(frozen=True)
class SeparationProcess:
    id: int
    officer_id: int
    agency_id: int
    # What opened it: a not-approved evaluation, or a dismissal in an integrity case (ADR 0030).
    evaluation_id: int | None
    opened_on: date
    status: SeparationStatus
    closed_on: date | None
    outcome: str | None
    integrity_case_id: int | None = None


@dataclass(frozen=True)
class Notification:
    id: int
    agency_id: int
    officer_id: int
    evaluation_id: int | None
    kind: str
    message: str
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True)
class Component:
    id: int
    officer_id: int
    component: CupComponent
    completed_on: date
    valid_until: date | None
    hours: int | None
    score: int | None
    evaluation_id: int | None
    recorded_by: str


@dataclass(frozen=True)
class Certificate:
    id: int
    number: str
    officer_id: int
    issued_on: date
    valid_until: date
    ended_on: date | None
    end_reason: str | None


@dataclass(frozen=True)
class Standing:
    """An officer's certification standing (see persistence.models.OfficerStandingRow)."""

    officer_id: int
    last_evaluation_id: int | None
    last_verdict: Verdict | None
    last_decided_on: date | None
    approved_until: date | None
    cup_until: date | None


def dump(value: Any) -> str:
    """Compact, key-sorted JSON: the same result always stores the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
