"""The stored side of early intervention as plain values: models, runs, scores, reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ModelSource(StrEnum):
    REGISTRY = "registry"  # the registry's own history (cases, postings, trust control)
    CHICAGO = "chicago"  # the Chicago public records (ADR 0032)


class ReviewOutcome(StrEnum):
    """What the supervisor did about a flag. None of them is a sanction; a referral or a
    special evaluation opens the process that may lead to one, with its own safeguards."""

    NO_ACTION = "no_action"
    CONVERSATION = "conversation"
    TRAINING = "training"
    INTERNAL_AFFAIRS = "internal_affairs"  # referral to internal affairs
    SPECIAL_EVALUATION = "special_evaluation"  # a special trust-control evaluation (vetting)


@dataclass(frozen=True)
class StoredModel:
    """A model as kept: what describes it, and its bytes with their digest and writer."""

    id: int
    version: str
    learner: str
    source: ModelSource
    as_of: date
    trained_from: date
    trained_until: date
    rows: int
    outcomes: int
    code_version: str
    sha256: str
    seal: str
    evaluation: dict[str, object]
    promoted: bool
    reasons: tuple[str, ...]
    trained_by: str
    trained_at: datetime


@dataclass(frozen=True)
class Run:
    id: int
    model_id: int
    model_version: str
    as_of: date
    officers: int
    flagged: int
    share: float
    scored_by: str
    scored_at: datetime


@dataclass(frozen=True)
class FactorText:
    feature: str
    value: float
    es: str
    en: str


@dataclass(frozen=True)
class Review:
    id: int
    score_id: int
    officer_id: int
    outcome: ReviewOutcome
    useful: bool
    note: str
    evaluation_id: int | None
    reviewed_by: str
    reviewed_at: datetime


@dataclass(frozen=True)
class Flag:
    """A score as the queue shows it: the officer, their rank in the run, the factors, the
    agencies holding them (the scope a reviewer must cover) and the review, once made."""

    score_id: int
    run_id: int
    officer_id: int
    officer_name: str
    score: float
    rank: int
    flagged: bool
    factors: tuple[FactorText, ...]
    agency_ids: frozenset[int]
    state_codes: frozenset[str]
    review: Review | None


@dataclass(frozen=True)
class Usefulness:
    """What the reviews said of the flags: how many were reviewed and found useful."""

    flagged: int
    reviewed: int
    useful: int
    by_outcome: dict[str, int]

    @property
    def share_useful(self) -> float | None:
        return self.useful / self.reviewed if self.reviewed else None
