"""The stored side of early intervention as plain values: models, runs, scores, reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class ModelSource(StrEnum):
    REGISTRY = "registry"  # the registry's own history (cases, postings, trust control)
    CHICAGO = "chicago"  # the Chicago public records (ADR 0032)


class ScoringMethod(StrEnum):
    """What flagged the officers of a run: a promoted model, or the department's threshold
    rule while no model is promoted (ADR 0034, second addendum)."""

    MODEL = "model"
    THRESHOLD = "threshold"


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
    """One scoring of the active officers: by a model (its id and version), or by the
    threshold rule (its count and months; no model). `share` is the share flagged: the
    setting for a model, what the rule came to for a rule."""

    id: int
    model_id: int | None
    model_version: str | None
    as_of: date
    officers: int
    flagged: int
    share: float
    scored_by: str
    scored_at: datetime
    method: ScoringMethod = ScoringMethod.MODEL
    rule_count: int | None = None
    rule_months: int | None = None

    @property
    def by_rule(self) -> bool:
        return self.method is ScoringMethod.THRESHOLD


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


@dataclass(frozen=True)
class RuleGroup:
    """One group's figures under the threshold rule at its own cut-off."""

    attribute: str  # "race", "sex"
    group: str
    officer_years: int
    outcomes: int
    flag_rate: float | None
    false_positive_rate: float | None
    recall: float | None
    compared: bool


@dataclass(frozen=True)
class RuleRatios:
    """The smallest compared group's figure over the largest's (1 is parity)."""

    attribute: str
    flag_rate: float | None
    false_positive_rate: float | None
    recall: float | None


@dataclass(frozen=True)
class RuleEvaluation:
    """What the temporal evaluation kept with a model said of the threshold rule, on the same
    test years: how many it flags at its own cut-off, how many of them had the outcome,
    and its fairness by group (ADR 0034, second addendum). No promotion applies to a rule:
    it is shown so that nobody mistakes the rule for a model."""

    model_version: str  # the model whose evaluation measured it
    count: int
    months: int
    test_years: tuple[int, ...]
    officer_years: int
    outcomes: int
    flagged: int
    hits: int
    cut: float
    recall_at_cut: float | None  # the model's cut-off (top k%), the rule's flagged first
    model_recall_at_cut: float | None
    groups: tuple[RuleGroup, ...]
    ratios: tuple[RuleRatios, ...]

    @property
    def precision(self) -> float | None:
        return self.hits / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        return self.hits / self.outcomes if self.outcomes else None

    @property
    def flag_rate(self) -> float | None:
        return self.flagged / self.officer_years if self.officer_years else None

    def measures(self, count: int | None, months: int | None) -> bool:
        """Whether this is the evaluation of the rule with these parameters."""
        return (count, months) == (self.count, self.months)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def rule_evaluation(model: StoredModel | None) -> RuleEvaluation | None:
    """The threshold rule as the model's evaluation measured it (models kept before the
    evaluation measured the rule's fairness have none)."""
    if model is None:
        return None
    evaluation = model.evaluation
    rule = evaluation.get("rule")
    if not isinstance(rule, dict):
        return None
    cut = float(evaluation.get("cut", 0.05))  # type: ignore[arg-type]
    key = f"recall_{cut:g}"
    pooled = evaluation.get("pooled", {})
    model_at_cut = pooled.get("model", {}).get(key) if isinstance(pooled, dict) else None
    groups: list[RuleGroup] = []
    ratios: list[RuleRatios] = []
    for report_ in rule.get("fairness", []):
        attribute = report_["attribute"]
        ratios.append(RuleRatios(attribute, *(_number(report_["ratios"].get(m)) for m in (
            "flag_rate", "false_positive_rate", "recall"))))
        groups.extend(RuleGroup(attribute, g["group"], g["officers"], g["outcomes"],
                                _number(g["flag_rate"]), _number(g["false_positive_rate"]),
                                _number(g["recall"]), bool(g["compared"]))
                      for g in report_["groups"])
    at_cut = rule.get("recall_at_cut")
    return RuleEvaluation(
        model.version, int(rule["count"]), int(rule["months"]),
        tuple(int(y) for y in evaluation.get("test_years", [])),  # type: ignore[attr-defined]
        int(rule["officer_years"]), int(rule["outcomes"]), int(rule["flagged"]),
        int(rule["hits"]), cut, _number(at_cut[0]) if at_cut else None,
        _number(model_at_cut[0]) if model_at_cut else None, tuple(groups), tuple(ratios))
