"""Training a model to keep: the years a training as of one day uses, and what of its
evaluation is kept beside it.

`confianza risk train --as-of D` evaluates as `evaluate` does (ADR 0032) with the years the
day allows: the test years are the last whole calendar years whose outcome is over by D, the
training years run from the third year of the history to the year before them. The model
kept is the one trained on the training years, and the figures kept with it are those of
the test years it never saw: what it is promoted on (ADR 0034).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from confianza.core.errors import FieldError, ValidationFailed
from confianza.risk.rules import baselines
from confianza.risk.rules.evaluation import THRESHOLD, VALIDATION_YEARS, Evaluation, Settings
from confianza.risk.rules.fairness import FairnessReport
from confianza.risk.rules.history import Population
from confianza.risk.rules.metrics import Estimate
from confianza.risk.rules.model import Learner


def settings_for(population: Population, as_of: date, today: date, *, test_years: int = 1,
                 cut: float = 0.05, reps: int = 200, seed: int = 2018,
                 learners: tuple[Learner, ...] = tuple(Learner),
                 train_from: int | None = None, test_until: int | None = None) -> Settings:
    """The evaluation's settings for a training as of `as_of`; ValidationFailed on `--as-of`
    (or `--test-years`) when the day is in the future, before the history starts, or leaves
    too few years to train and test on."""
    if as_of > today:
        raise ValidationFailed(FieldError("--as-of", f"{as_of} is in the future (today is "
                                          f"{today})"))
    if as_of < population.starts:
        raise ValidationFailed(FieldError("--as-of", f"{as_of} is before the history starts "
                                          f"({population.starts})"))
    if test_years < 1:
        raise ValidationFailed(FieldError("--test-years", "must be at least 1"))
    last_test = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    if test_until is not None:
        # Earlier test years: the findings of the last years before the day are mostly not
        # known yet on it (cases take years to close), so their outcomes are undercounted.
        if test_until > last_test:
            raise ValidationFailed(FieldError("--test-until", (
                f"{test_until} is after {last_test}, the last whole year whose outcome is "
                f"over by {as_of}")))
        last_test = test_until
    train_until = last_test - test_years
    first = population.starts.year + 2
    if train_from is not None:
        if train_from < first:
            raise ValidationFailed(FieldError("--train-from", (
                f"{train_from} is before {first}, the third year of the history (which "
                f"starts on {population.starts}): the features need two years behind them")))
        first = train_from
    if train_until - first < VALIDATION_YEARS:
        earliest = first + VALIDATION_YEARS + test_years + 1
        raise ValidationFailed(FieldError("--as-of", (
            f"the history runs from {population.starts} to {as_of}: training needs "
            f"{VALIDATION_YEARS + 1} years from {first} (the first training year) and "
            f"{test_years} test year(s) after them, so an as-of day in {earliest} or later")))
    return Settings(train_until=train_until, test_years=test_years, train_from=train_from,
                    cut=cut, reps=reps, seed=seed, learners=learners)


def _estimate(e: Estimate) -> list[float | None]:
    return [None if math.isnan(v) else round(v, 6) for v in (e.value, e.low, e.high)]


def _rate(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def _fairness(r: FairnessReport) -> dict[str, Any]:
    return {"attribute": r.attribute,
            "ratios": {k: None if math.isnan(v) else round(v, 4) for k, v in r.ratios.items()},
            "groups": [{"group": g.group, "officers": g.officers, "outcomes": g.outcomes,
                        "flag_rate": _rate(g.flag_rate),
                        "false_positive_rate": _rate(g.false_positive_rate),
                        "recall": _rate(g.recall), "compared": g.compared}
                       for g in r.groups]}


def rule_summary(evaluation: Evaluation) -> dict[str, Any]:
    """The threshold rule as the evaluation measured it, at its own cut-off (everyone it
    flags) on the test years: kept with the model, shown beside the rule when it flags."""
    cut = evaluation.settings.cut
    at_cut = evaluation.pooled[THRESHOLD].get(f"recall_{cut:g}")
    return {"count": baselines.THRESHOLD, "months": baselines.THRESHOLD_MONTHS,
            "officer_years": sum(y.officers for y in evaluation.years),
            "outcomes": sum(y.outcomes for y in evaluation.years),
            "flagged": evaluation.rule_flagged, "hits": evaluation.rule_hits,
            "recall_at_cut": _estimate(at_cut) if at_cut is not None else None,
            "fairness": [_fairness(r) for r in evaluation.rule_fairness]}


def summary(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as JSON-ready values, kept with the model (and shown by `models`)."""
    s = evaluation.settings
    return {
        "train_years": [evaluation.model.trained_from.year + 1, s.train_until],
        "test_years": [y.year for y in evaluation.years],
        "cut": s.cut,
        "chosen_by": {str(k): round(v, 6) for k, v in evaluation.chosen_by.items()},
        "pooled": {method: {metric: _estimate(e) for metric, e in figures.items()}
                   for method, figures in evaluation.pooled.items()},
        "fairness": {method: [{"attribute": r.attribute,
                               "ratios": {k: None if math.isnan(v) else round(v, 4)
                                          for k, v in r.ratios.items()}}
                              for r in reports]
                     for method, reports in evaluation.fairness.items()},
        "test_officers": sum(y.officers for y in evaluation.years),
        "test_outcomes": sum(y.outcomes for y in evaluation.years),
        "rule": rule_summary(evaluation),
    }
