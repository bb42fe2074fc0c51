"""The temporal evaluation: train on the past, score later years the model never saw.

Rows are officer-years: the officers serving on 1 January of a year, their features as of
the day before (31 December, so the year's complaints are all outcome), their outcome in
that year. Training years run from `train_from` to `train_until`; the last two of them are the
validation years on which the learner is chosen; the chosen learner is refitted on them all.
Test years follow `train_until` and are only scored. Every outcome window must end inside
the data, and no as-of day may lie before the data starts or after today.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from confianza.core.errors import FieldError, ValidationFailed
from confianza.risk.rules import baselines
from confianza.risk.rules.fairness import LIMITS, FairnessLimits, FairnessReport, report
from confianza.risk.rules.features import FeatureBuilder, FeatureRows
from confianza.risk.rules.history import Population
from confianza.risk.rules.metrics import SHARES, Estimate, flagged, with_intervals
from confianza.risk.rules.model import Learner, RiskModel, choose, train
from confianza.risk.rules.outcome import OutcomeDefinition

MODEL, COUNT, THRESHOLD = "model", "count (complaints, 2 years)", "threshold (3+ in 12 months)"
#: The promoted model must find at least as many at the cut-off as the count baseline.
MIN_GAIN_OVER_COUNT = 0.0
#: The last training years, on which the learner is chosen before it is refitted on them all:
#: two, because one year of Chicago holds too few sustained serious findings (25 in 2016).
VALIDATION_YEARS = 2


@dataclass(frozen=True)
class Settings:
    train_until: int
    test_years: int
    train_from: int | None = None  # default: the third year the data covers
    cut: float = 0.05
    reps: int = 200
    seed: int = 2018
    learners: tuple[Learner, ...] = (Learner.BOOSTING, Learner.LOGISTIC, Learner.LIGHTGBM)
    outcome: OutcomeDefinition = field(default_factory=OutcomeDefinition)
    limits: FairnessLimits = LIMITS


@dataclass(frozen=True)
class Labelled:
    rows: FeatureRows
    y: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class YearResult:
    year: int
    officers: int
    outcomes: int
    metrics: dict[str, dict[str, Estimate]]  # method -> metric -> estimate
    rule_flagged: int  # officers the threshold rule flags by itself
    rule_precision: float
    rule_recall: float


@dataclass
class Evaluation:
    settings: Settings
    model: RiskModel
    chosen_by: dict[Learner, float]
    train_rows: int
    years: list[YearResult]
    fairness: dict[str, list[FairnessReport]]  # method -> by race, by sex
    pooled: dict[str, dict[str, Estimate]]  # method -> metric over every test year
    reasons: list[str]
    #: The threshold rule at its own cut-off (everyone it flags), every test year pooled:
    #: its fairness by race and by sex, how many it flagged and how many of those had the
    #: outcome. Shown beside the rule when it flags in the product; no limit applies to it.
    rule_fairness: list[FairnessReport] = field(default_factory=list)
    rule_flagged: int = 0
    rule_hits: int = 0

    @property
    def promoted(self) -> bool:
        return not self.reasons


def as_of_for(year: int) -> date:
    """The as-of day of a year's rows: the day before it starts."""
    return date(year - 1, 12, 31)


def check_as_of(population: Population, as_of: date, today: date, what: str) -> None:
    if as_of > today:
        raise ValidationFailed(FieldError(what, f"the as-of day {as_of} is in the future "
                                          f"(today is {today})"))
    if as_of < population.starts:
        raise ValidationFailed(FieldError(what, f"the as-of day {as_of} is before the data "
                                          f"starts ({population.starts})"))


def labelled(builder: FeatureBuilder, year: int, outcome: OutcomeDefinition, today: date,
             what: str) -> Labelled:
    population = builder.population
    as_of = as_of_for(year)
    check_as_of(population, as_of, today, what)
    _check_outcome_ends(population, outcome, year, today, what)
    rows = builder.rows(as_of)
    by_key = {o.officer: o for o in population.officers}
    y = np.array([outcome.happens(by_key[k], as_of) for k in rows.officers], dtype=bool)
    return Labelled(rows, y)


def _check_outcome_ends(population: Population, outcome: OutcomeDefinition, year: int,
                        today: date, what: str) -> None:
    last = outcome.window(as_of_for(year))[1]
    if last >= today:
        raise ValidationFailed(FieldError(what, f"the outcome of {year} runs to {last}, which "
                                          f"is not over yet (today is {today})"))
    if last > population.ends:
        raise ValidationFailed(FieldError(what, f"the outcome of {year} runs to {last}, after "
                                          f"the data ends ({population.ends})"))


def _stack(parts: list[Labelled]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    return (np.vstack([p.rows.values for p in parts]), np.concatenate([p.y for p in parts]))


def evaluate(population: Population, settings: Settings, today: date,
             progress: Callable[[str], None] = lambda _: None) -> Evaluation:
    first = settings.train_from or population.starts.year + 2
    if settings.test_years < 1:
        raise ValidationFailed(FieldError("--test-years", "must be at least 1"))
    if settings.train_until - first < VALIDATION_YEARS:
        raise ValidationFailed(FieldError("--train-until", f"needs more than "
                                          f"{VALIDATION_YEARS} training years from {first} "
                                          f"(the last {VALIDATION_YEARS} choose the learner)"))
    if not 0 < settings.cut < 1:
        raise ValidationFailed(FieldError("--cut", "must be a share between 0 and 1"))
    builder = FeatureBuilder(population)
    tests = range(settings.train_until + 1, settings.train_until + 1 + settings.test_years)
    # The test years are checked first, so that a bad request fails before any training.
    for year in tests:
        check_as_of(population, as_of_for(year), today, "--test-years")
        _check_outcome_ends(population, settings.outcome, year, today, "--test-years")
    check_as_of(population, as_of_for(first), today, "--train-from")
    training = []
    for year in range(first, settings.train_until + 1):
        progress(f"features of {year}")
        training.append(labelled(builder, year, settings.outcome, today, "--train-from"))
    progress("choosing the learner on the validation years")
    chosen, figures = choose(settings.learners, _stack(training[:-VALIDATION_YEARS]),
                             _stack(training[-VALIDATION_YEARS:]), settings.seed)
    progress(f"training {chosen}")
    x, y = _stack(training)
    model = train(chosen, x, y, outcome=settings.outcome, trained_from=as_of_for(first),
                  trained_until=as_of_for(settings.train_until),
                  validation={str(k): v for k, v in figures.items()}, seed=settings.seed)
    years, held = [], []
    for year in tests:
        progress(f"scoring {year}")
        part = labelled(builder, year, settings.outcome, today, "--test-years")
        held.append(part)
        years.append(_year(year, part, model, settings))
    all_rows = _pooled_scores(held, model, settings)
    y_all = np.concatenate([p.y for p in held])
    pooled = {name: with_intervals(y_all, s, reps=settings.reps, seed=settings.seed)
              for name, s in all_rows.items()}
    race = [r for p in held for r in p.rows.race]
    sex = [s for p in held for s in p.rows.sex]
    fairness = {name: [report("race", y_all, flagged(s, settings.cut), race, settings.limits),
                       report("sex", y_all, flagged(s, settings.cut), sex, settings.limits)]
                for name, s in all_rows.items() if name != THRESHOLD}
    rule_flags = np.concatenate([baselines.threshold_flags(p.rows) for p in held])
    rule_fairness = [report("race", y_all, rule_flags, race, settings.limits),
                     report("sex", y_all, rule_flags, sex, settings.limits)]
    reasons = [b for r in fairness[MODEL] for b in r.breaches(settings.limits)]
    key = f"recall_{settings.cut:g}"
    gain = _gain(pooled[MODEL].get(key), pooled[COUNT].get(key))
    if gain is not None and gain <= MIN_GAIN_OVER_COUNT:
        reasons.append(f"recall at the top {settings.cut:.0%} does not beat the count "
                       f"baseline ({pooled[MODEL][key].value:.3f} against "
                       f"{pooled[COUNT][key].value:.3f})")
    return Evaluation(settings, model, figures, len(y), years, fairness, pooled, reasons,
                      rule_fairness, int(np.sum(rule_flags)), int(np.sum(rule_flags & y_all)))


def _gain(model: Estimate | None, count: Estimate | None) -> float | None:
    if model is None or count is None or math.isnan(count.value) or count.value == 0:
        return None
    return model.value / count.value - 1


def _scores(part: Labelled, model: RiskModel, seed: int) -> dict[str, npt.NDArray[np.float64]]:
    return {MODEL: model.scores(part.rows.values),
            COUNT: baselines.count_scores(part.rows, seed),
            THRESHOLD: baselines.threshold_scores(part.rows, seed)}


def _pooled_scores(parts: list[Labelled], model: RiskModel, settings: Settings
                   ) -> dict[str, npt.NDArray[np.float64]]:
    """Each year's scores side by side; the cut-offs are then over the pooled officer-years.
    Ranks within a year are what a department would act on, so each year's scores are turned
    into their rank share within the year first (1 = the highest)."""
    out: dict[str, list[npt.NDArray[np.float64]]] = {MODEL: [], COUNT: [], THRESHOLD: []}
    for part in parts:
        for name, s in _scores(part, model, settings.seed).items():
            order = np.argsort(np.argsort(s, kind="stable"), kind="stable")
            out[name].append((order + 1) / len(s))
    return {k: np.concatenate(v) for k, v in out.items()}


def _year(year: int, part: Labelled, model: RiskModel, settings: Settings) -> YearResult:
    metrics = {name: with_intervals(part.y, s, shares=SHARES, reps=settings.reps,
                                    seed=settings.seed)
               for name, s in _scores(part, model, settings.seed).items()}
    flags = baselines.threshold_flags(part.rows)
    hits = int(np.sum(flags & part.y))
    return YearResult(year, len(part.y), int(np.sum(part.y)), metrics, int(np.sum(flags)),
                      hits / max(int(np.sum(flags)), 1),
                      hits / max(int(np.sum(part.y)), 1))
