"""The learner, chosen by measurement inside the training years, and the model it makes.

Three candidates, all well-kept libraries: scikit-learn's histogram gradient boosting and
logistic regression (imputed, scaled), and LightGBM. `choose` fits each on the training
years but the last two and keeps the one with the best average precision on those (the
validation years): the test years are never looked at. The chosen learner is then fitted on
every training year. A `RiskModel` carries what a stored model needs beside its estimator
(version, features, outcome, training span, validation figures), so that item 4 of the issue
can save it as it is.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from confianza.core.errors import FieldError, ValidationFailed
from confianza.risk.rules.features import FEATURES
from confianza.risk.rules.outcome import OutcomeDefinition

SEED = 2018
#: Fewer outcomes than this in the training rows (or in the validation year) and a model
#: learns noise: refused with the count.
MIN_OUTCOMES = 30
MIN_VALIDATION_OUTCOMES = 20


class Learner(StrEnum):
    BOOSTING = "boosting"  # scikit-learn HistGradientBoostingClassifier
    LOGISTIC = "logistic"  # scikit-learn LogisticRegression on imputed, scaled features
    LIGHTGBM = "lightgbm"  # LightGBM's LGBMClassifier


def make(learner: Learner, seed: int = SEED) -> Any:
    """A fresh estimator; parameters fixed here, never tuned on the test years.

    The learning libraries are imported here, when a model is made, not with the module: every
    process of the product imports this one (a stored model's type, through the unit of work),
    and scikit-learn alone takes a second and a half and tens of megabytes to load."""
    if learner is Learner.BOOSTING:
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=50,
            l2_regularization=1.0, early_stopping=False, random_state=seed)
    if learner is Learner.LOGISTIC:
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
                             StandardScaler(),
                             LogisticRegression(C=0.1, max_iter=2000))
    from lightgbm import LGBMClassifier  # imported when asked: it loads a native library

    return LGBMClassifier(n_estimators=200, learning_rate=0.05, num_leaves=15,
                          min_child_samples=50, reg_lambda=1.0, random_state=seed,
                          verbose=-1, n_jobs=1)


def require_outcomes(y: npt.NDArray[np.bool_], where: str, least: int = MIN_OUTCOMES) -> None:
    found = int(np.sum(y))
    if found < least:
        raise ValidationFailed(FieldError(where, f"too few outcomes to train: {found} "
                                          f"officers with the outcome, at least {least}"
                                          " are needed (train on more years)"))


class _Fitted:
    """An estimator with the columns no training row had (all missing) read as zero: the
    histogram booster cannot bin a column without a value, and such a column says nothing."""

    def __init__(self, estimator: Any, empty: npt.NDArray[np.bool_]) -> None:
        self.estimator, self.empty = estimator, empty

    def _filled(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if not self.empty.any():
            return x
        x = x.copy()
        x[:, self.empty] = 0.0
        return x

    def fit(self, x: npt.NDArray[np.float64], y: npt.NDArray[np.bool_]) -> _Fitted:
        self.estimator.fit(self._filled(x), y)
        return self

    def predict_proba(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(self.estimator.predict_proba(self._filled(x)), dtype=np.float64)

    def get_params(self) -> dict[str, Any]:
        return dict(self.estimator.get_params())


def fit(learner: Learner, x: npt.NDArray[np.float64], y: npt.NDArray[np.bool_],
        seed: int = SEED) -> Any:
    return _Fitted(make(learner, seed), np.all(np.isnan(x), axis=0)).fit(x, y)


def scores_of(estimator: Any, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.asarray(estimator.predict_proba(x)[:, 1], dtype=np.float64)


def choose(learners: tuple[Learner, ...], train: tuple[npt.NDArray[np.float64],
           npt.NDArray[np.bool_]], valid: tuple[npt.NDArray[np.float64],
           npt.NDArray[np.bool_]], seed: int = SEED) -> tuple[Learner, dict[Learner, float]]:
    """The learner with the best average precision on the validation rows (ties: the first
    listed), and every candidate's figure."""
    from sklearn.metrics import average_precision_score

    require_outcomes(train[1], "training years")
    require_outcomes(valid[1], "validation years", MIN_VALIDATION_OUTCOMES)
    figures = {}
    for learner in learners:
        estimator = fit(learner, *train, seed=seed)
        figures[learner] = float(average_precision_score(valid[1], scores_of(estimator,
                                                                             valid[0])))
    best = max(learners, key=lambda k: (figures[k], -learners.index(k)))
    return best, figures


@dataclass(frozen=True)
class Factor:
    """One feature's part in one officer's score: how much the score falls when the feature
    takes the population's typical value instead of the officer's."""

    feature: str
    value: float
    effect: float


@dataclass
class RiskModel:
    learner: Learner
    estimator: Any
    outcome: OutcomeDefinition
    trained_from: date
    trained_until: date  # the last as-of day of the training rows
    rows: int
    outcomes: int
    validation: dict[str, float] = field(default_factory=dict)
    features: tuple[str, ...] = FEATURES
    reference: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    @property
    def version(self) -> str:
        """What makes two models the same: learner, parameters, features, outcome, training
        span and size. A stored model keeps it; a file from another version shows."""
        described = json.dumps({
            "learner": str(self.learner), "params": repr(sorted(
                self.estimator.get_params().items())),
            "features": self.features, "outcome": sorted(self.outcome.categories),
            "months": self.outcome.months, "from": self.trained_from.isoformat(),
            "until": self.trained_until.isoformat(), "rows": self.rows,
            "outcomes": self.outcomes}, sort_keys=True)
        return hashlib.sha256(described.encode()).hexdigest()[:12]

    def scores(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return scores_of(self.estimator, x)

    def explain(self, row: npt.NDArray[np.float64], top: int = 3) -> list[Factor]:
        """The features that raise this officer's score most: each replaced in turn by the
        reference (the training rows' medians), all in one call to the estimator."""
        trials = np.repeat(row[np.newaxis, :], len(self.features) + 1, axis=0)
        for i in range(len(self.features)):
            trials[i + 1, i] = self.reference[i]
        scored = self.scores(trials)
        effects = np.where(np.isnan(row), 0.0, scored[0] - scored[1:])  # see `top_factors`
        order = np.argsort(-effects, kind="stable")[:top]
        return [Factor(self.features[i], float(row[i]), float(effects[i]))
                for i in order if effects[i] > 0 and not math.isnan(row[i])]

    def effects(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Every officer's every feature's effect at once (rows x features): what `explain`
        computes, one estimator call per feature over all the rows instead of one call per
        officer, which is what scoring a whole force needs."""
        base = self.scores(x)
        out = np.empty_like(x)
        for i in range(len(self.features)):
            trial = x.copy()
            trial[:, i] = self.reference[i]
            out[:, i] = base - self.scores(trial)
        return out


def top_factors(model: RiskModel, row: npt.NDArray[np.float64],
                effects: npt.NDArray[np.float64], top: int = 3) -> list[Factor]:
    """The `top` features raising one officer's score, from their row of `effects`. A
    feature the officer has no value for is never one of them ("salary = ?" explains
    nothing), so it does not take the place of one they have."""
    effects = np.where(np.isnan(row), 0.0, effects)
    order = np.argsort(-effects, kind="stable")[:top]
    return [Factor(model.features[i], float(row[i]), float(effects[i]))
            for i in order if effects[i] > 0 and not math.isnan(row[i])]


def train(learner: Learner, x: npt.NDArray[np.float64], y: npt.NDArray[np.bool_], *,
          outcome: OutcomeDefinition, trained_from: date, trained_until: date,
          validation: dict[str, float] | None = None, seed: int = SEED) -> RiskModel:
    require_outcomes(y, "training years")
    # The reference an explanation compares with: each column's median where it has values.
    known = ~np.all(np.isnan(x), axis=0)
    reference = np.zeros(x.shape[1])
    reference[known] = np.nanmedian(x[:, known], axis=0)
    return RiskModel(learner, fit(learner, x, y, seed), outcome, trained_from, trained_until,
                     len(y), int(np.sum(y)), dict(validation or {}),
                     reference=reference)
