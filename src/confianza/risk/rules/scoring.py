"""Scoring a force: every officer's score, rank and top factors, and the share flagged.

A flag is the top `share` of the officers scored (at least one when any is scored), ranked
by score with ties in the order the officers were given. Every score keeps its top factors,
flagged or not: an unflagged score read later (why was this officer not flagged?) says what
the model saw as plainly as a flag does. Flagging decides who a supervisor looks at first; it
changes nothing else (ADR 0034).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from confianza.core.errors import FieldError, ValidationFailed
from confianza.risk.rules.features import FeatureRows
from confianza.risk.rules.model import RiskModel
from confianza.risk.rules.words import Worded, words

#: Rows explained per batch: bounds the memory the feature-by-feature trials take.
_BATCH = 20_000


@dataclass(frozen=True)
class Scored:
    officer: str
    score: float
    rank: int  # 1 = the highest
    flagged: bool
    factors: tuple[Worded, ...]


def check_share(share: float) -> None:
    if not 0 < share < 1:
        raise ValidationFailed(FieldError("risk_flag_share", f"{share} is not a share "
                                          "between 0 and 1"))


def effects(model: RiskModel, x: npt.NDArray[np.float64],
            base: npt.NDArray[np.float64] | None = None) -> npt.NDArray[np.float64]:
    """Every row's every feature's effect (`RiskModel.effects`), trying each feature only on
    the rows whose value is not already the reference's: on the others the trial is the row
    itself and the effect is nil. Most officers have no complaint in most windows, so most
    trials are skipped; so are missing values, which `top_factors` never picks (their effect
    is left nil here, where `RiskModel.effects` computes it)."""
    # scikit-learn's own dependency; imported when scoring, as the learners are.
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    if base is None:  # the rows' own scores, when the caller has not already made them
        base = model.scores(x)
    out = np.zeros_like(x)
    # Many small calls: one thread each. Starting the learner's threads for a few thousand
    # rows cost more than the rows (milliseconds a tree on a busy machine).
    with threadpool_limits(1):
        for i, reference in enumerate(model.reference[:len(model.features)]):
            # A missing value is never a factor (`top_factors`): not tried, its effect nil.
            # At national scale pay is missing for everyone: a model call over the force saved.
            column = x[:, i]
            differs = np.flatnonzero((column != reference) & ~np.isnan(column))
            if len(differs) == 0:
                continue
            trial = x[differs]
            trial[:, i] = reference
            out[differs, i] = base[differs] - model.scores(trial)
    return out


#: One batch's top factors: (feature index, effect, value) of the `top` largest effects.
Top = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]
#: How batches are handed out: the built-in `map`, or a process pool's (the service's).
Batch = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]  # rows and their scores
Mapper = Callable[[Callable[[Batch], Top], Iterable[Batch]], Iterable[Top]]


@dataclass(frozen=True)
class TopEffects:
    """One batch's `top` largest effects per row, as `top_factors` orders them: a callable
    object rather than a closure so that a process pool can send it to its workers."""

    model: RiskModel
    top: int = 3

    def __call__(self, batch: Batch) -> Top:
        chunk, base = batch
        found = effects(self.model, chunk, base)
        firsts = np.argsort(-found, axis=1, kind="stable")[:, :self.top]
        return (firsts, np.take_along_axis(found, firsts, axis=1),
                np.take_along_axis(chunk, firsts, axis=1))


def score_rows(model: RiskModel, rows: FeatureRows, share: float, top: int = 3,
               mapper: Mapper = map) -> list[Scored]:
    """Every officer's score, rank, flag and top factors. `mapper` hands the batches of
    factors out (the service passes a process pool's for a large force); the result is the
    same whichever runs them."""
    check_share(share)
    n = len(rows)
    if n == 0:
        return []
    scores = model.scores(rows.values)
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(1, n + 1)
    cut = max(1, math.ceil(share * n))
    said: dict[tuple[str, float], tuple[str, str]] = {}  # a feature's value in words, once
    features = model.features
    factors: list[tuple[Worded, ...]] = []
    # Every officer's factors, flagged or not, a batch at a time. `effects` tries a feature
    # only on the rows whose value is not the reference's, so the counts most officers do
    # not have cost little; the features every officer has (age, tenure...) cost a model call
    # over the force each, which is why a large force's batches go to several processes
    # (ADR 0034, addendum "every score keeps its factors").
    starts = range(0, n, _BATCH)
    batches = mapper(TopEffects(model, top), ((rows.values[s:s + _BATCH], scores[s:s + _BATCH])
                                              for s in starts))
    for firsts, picked, values in batches:
        # Kept when they raise the score and the officer has a value (`top_factors`).
        kept = (picked > 0) & ~np.isnan(values)
        for j in range(len(firsts)):
            worded = []
            for k in np.flatnonzero(kept[j]).tolist():
                feature, value = features[int(firsts[j, k])], float(values[j, k])
                words_of = said.get((feature, value))
                if words_of is None:
                    words_of = said[(feature, value)] = words(feature, value)
                worded.append(Worded(feature, value, float(picked[j, k]), *words_of))
            factors.append(tuple(worded))
    return [Scored(officer, float(score), int(rank), bool(rank <= cut), factors[i])
            for i, (officer, score, rank) in enumerate(zip(
                rows.officers, scores.tolist(), ranks.tolist(), strict=True))]
