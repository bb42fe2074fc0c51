"""Precision and recall at the top k%, ROC AUC and average precision, with bootstrap intervals.

The top k% of n officers is the ceil(k * n) highest scores (ties in the order of the rows:
the baselines break theirs beforehand, at random). The interval resamples officers with
replacement, `reps` times from a seeded generator, and takes the 2.5th and 97.5th
percentiles; a resample without any outcome (or without any non-outcome, for the AUC) is left
out of that metric's interval rather than counted as zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SHARES = (0.01, 0.02, 0.05, 0.10)
REPS = 200
SEED = 2018


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float
    low: float = math.nan
    high: float = math.nan

    def __str__(self) -> str:
        if math.isnan(self.value):
            return "—"
        if math.isnan(self.low):
            return f"{self.value:.3f}"
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


def flagged(scores: npt.NDArray[np.float64], share: float) -> npt.NDArray[np.bool_]:
    """The top `share` of the scores, as a mask."""
    n = len(scores)
    k = min(n, math.ceil(share * n - 1e-9))
    mask = np.zeros(n, dtype=bool)
    if k:
        mask[np.argsort(-scores, kind="stable")[:k]] = True
    return mask


def precision_recall(y: npt.NDArray[np.bool_], flags: npt.NDArray[np.bool_]
                     ) -> tuple[float, float]:
    hits = float(np.sum(y & flags))
    chosen, positives = float(np.sum(flags)), float(np.sum(y))
    return (hits / chosen if chosen else math.nan, hits / positives if positives else math.nan)


def point_metrics(y: npt.NDArray[np.bool_], scores: npt.NDArray[np.float64],
                  shares: Sequence[float] = SHARES) -> dict[str, float]:
    """Every metric once: precision_K and recall_K for each share (K in percent), auc, ap."""
    from sklearn.metrics import average_precision_score, roc_auc_score  # loaded when used

    found: dict[str, float] = {}
    for share in shares:
        p, r = precision_recall(y, flagged(scores, share))
        found[f"precision_{share:g}"], found[f"recall_{share:g}"] = p, r
    both = 0 < int(np.sum(y)) < len(y)
    found["auc"] = float(roc_auc_score(y, scores)) if both else math.nan
    found["ap"] = float(average_precision_score(y, scores)) if np.any(y) else math.nan
    return found


def with_intervals(y: npt.NDArray[np.bool_], scores: npt.NDArray[np.float64], *,
                   shares: Sequence[float] = SHARES, reps: int = REPS, seed: int = SEED
                   ) -> dict[str, Estimate]:
    """Every metric with its bootstrap interval (see the module's docstring)."""
    point = point_metrics(y, scores, shares)
    if reps <= 0:
        return {k: Estimate(v) for k, v in point.items()}
    rng = np.random.default_rng(seed)
    samples: dict[str, list[float]] = {k: [] for k in point}
    n = len(y)
    for _ in range(reps):
        pick = rng.integers(0, n, n)
        for k, v in point_metrics(y[pick], scores[pick], shares).items():
            if not math.isnan(v):
                samples[k].append(v)
    return {k: Estimate(point[k], *_percentiles(samples[k])) for k in point}


def _percentiles(values: list[float]) -> tuple[float, float]:
    if not values:
        return math.nan, math.nan
    low, high = np.percentile(np.asarray(values), [2.5, 97.5])
    return float(low), float(high)
