"""Integration of exam results and the rules a certification decision must keep.

Pure rules, the second part of the evaluation workflow (issue 3):
- who examines does not decide, and a not-approved decision takes a second, different officer;
- a polygraph result alone never makes a not-approved (a court held it insufficient in 2013):
  another failing exam, or grounds recorded in the decision, are required;
- an approval lasts 3 years, 2 for middle and senior commanders (configurable), and
  re-evaluation is due in the 6 months before it ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from confianza.core.errors import ErrorCollector, FieldError, ValidationFailed
from confianza.vetting.rules.evaluations import (
    ExamType,
    RankLevel,
    check_outcome,
    has_reservation,
    is_adverse,
)


class Recommendation(StrEnum):
    APPROVE = "approve"
    NOT_APPROVE = "not_approve"
    # Only the polygraph is adverse: the decider may not approve it away silently nor fail the
    # officer on it alone; grounds must be recorded either way.
    NEEDS_GROUNDS = "needs_grounds"


class Verdict(StrEnum):
    APPROVED = "approved"  # aprobado
    NOT_APPROVED = "not_approved"  # no aprobado


@dataclass(frozen=True)
class Integration:
    """The integrated result (resultado integral): a recommendation and its reasons."""

    recommendation: Recommendation
    adverse: tuple[ExamType, ...]
    reservations: tuple[ExamType, ...]
    reasons: tuple[str, ...]


def integrate(required: frozenset[ExamType], results: Mapping[ExamType, str]) -> Integration:
    """Integrate the results of every required exam; refuses while any is missing or extra."""
    errors = ErrorCollector()
    for exam in sorted(required - set(results)):
        errors.add(f"results.{exam}", "the exam has no result yet")
    for exam in sorted(set(results) - required):
        errors.add(f"results.{exam}", "the exam is not in this evaluation's battery")
    for exam, outcome in results.items():
        try:
            check_outcome(exam, outcome)
        except ValueError as exc:
            errors.add(f"results.{exam}", str(exc))
    errors.raise_if_any()
    ordered = sorted(required)
    adverse = tuple(e for e in ordered if is_adverse(e, results[e]))
    reservations = tuple(e for e in ordered if has_reservation(e, results[e]))
    reasons = [f"{e}: {results[e]}" for e in adverse]
    reasons += [f"{e}: {results[e]} (reservation)" for e in reservations]
    if not adverse:
        recommendation = Recommendation.APPROVE
    elif adverse == (ExamType.POLYGRAPH,):
        recommendation = Recommendation.NEEDS_GROUNDS
        reasons.append("a polygraph result alone is not enough to not approve; record grounds")
    else:
        recommendation = Recommendation.NOT_APPROVE
    return Integration(recommendation, adverse, reservations, tuple(reasons))


GROUNDS_MIN = 30


def check_decision(
    integration: Integration,
    verdict: Verdict,
    decider: str,
    examiners: frozenset[str],
    grounds: str,
) -> None:
    """Refuse a decision that breaks the separation of duties or the integration's evidence.

    The confirmation of a not-approved decision is checked by `check_confirmation`.
    """
    errors = ErrorCollector()
    if decider in examiners:
        errors.add("decider", "who examined in this evaluation may not decide it")
    text = grounds.strip()
    if verdict is Verdict.NOT_APPROVED:
        if integration.recommendation is Recommendation.APPROVE and len(text) < GROUNDS_MIN:
            errors.add("grounds", "no exam failed: a not-approved decision needs grounds of at "
                       f"least {GROUNDS_MIN} characters")
        if integration.recommendation is Recommendation.NEEDS_GROUNDS and len(text) < GROUNDS_MIN:
            errors.add("grounds", "only the polygraph is adverse, which alone cannot justify "
                       f"not approving: record grounds of at least {GROUNDS_MIN} characters")
    elif integration.recommendation is not Recommendation.APPROVE and len(text) < GROUNDS_MIN:
        failed = ", ".join(integration.adverse)
        errors.add("grounds", f"approving despite adverse results ({failed}) needs grounds of "
                   f"at least {GROUNDS_MIN} characters")
    errors.raise_if_any()


def check_confirmation(decider: str, confirmer: str, examiners: frozenset[str]) -> None:
    """A not-approved decision takes effect only when a second, independent officer confirms."""
    errors = ErrorCollector()
    if confirmer == decider:
        errors.add("confirmer", "the officer who decided may not also confirm")
    if confirmer in examiners:
        errors.add("confirmer", "who examined in this evaluation may not confirm its decision")
    errors.raise_if_any()


@dataclass(frozen=True)
class ValidityPolicy:
    """How long an approval lasts, by rank level, and when re-evaluation is due."""

    years: Mapping[RankLevel, int] | None = None
    reevaluation_months: int = 6

    def years_for(self, level: RankLevel) -> int:
        table = self.years or {
            RankLevel.BASIC: 3,
            RankLevel.MIDDLE_COMMAND: 2,
            RankLevel.SENIOR_COMMAND: 2,
        }
        return table[level]

    def valid_until(self, decided_on: date, level: RankLevel) -> date:
        return add_months(decided_on, 12 * self.years_for(level))

    def reevaluation_from(self, valid_until: date) -> date:
        return add_months(valid_until, -self.reevaluation_months)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's end (31 Jan + 1 = 28/29
    Feb), so that an approval never lasts longer than its years."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def appeal_open(decided_on: date, today: date, days: int) -> bool:
    """Whether an appeal filed today is in time (the deadline day included)."""
    if days < 1:
        raise ValidationFailed(FieldError("appeal_days", "must be at least 1"))
    return (today - decided_on).days <= days
