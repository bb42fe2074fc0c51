"""What a model has to beat: the count of recent complaints, and a department's threshold.

Both rank every officer so that the top k% can be compared with the model's: a count has ties
(most officers have none), broken at random with a fixed seed so that a run repeats; the
threshold rule's flagged officers come first, in random order, then everyone else.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from confianza.risk.rules.features import FeatureRows

#: The count baseline: complaints in the last two years (the Crime Lab's comparison).
COUNT_FEATURE = "complaints_2y"
#: The threshold rule as departments write it: three or more complaints in twelve months.
THRESHOLD_FEATURE, THRESHOLD = "complaints_1y", 3
#: The window of THRESHOLD_FEATURE in months (a year of 365 days, as the features count it).
THRESHOLD_MONTHS = 12
SEED = 2018


def with_random_ties(values: npt.NDArray[np.float64], seed: int = SEED
                     ) -> npt.NDArray[np.float64]:
    """Scores that order as `values` do, equal values in a random order fixed by `seed`: a
    jitter below the smallest gap between two different values."""
    distinct = np.unique(values)
    gap = float(np.min(np.diff(distinct))) if len(distinct) > 1 else 1.0
    jitter = np.random.default_rng(seed).random(len(values)) * gap * 0.5
    return np.asarray(values + jitter, dtype=np.float64)


def count_scores(rows: FeatureRows, seed: int = SEED) -> npt.NDArray[np.float64]:
    return with_random_ties(rows.column(COUNT_FEATURE), seed)


def threshold_flags(rows: FeatureRows) -> npt.NDArray[np.bool_]:
    return np.asarray(rows.column(THRESHOLD_FEATURE) >= THRESHOLD)


def threshold_scores(rows: FeatureRows, seed: int = SEED) -> npt.NDArray[np.float64]:
    return with_random_ties(threshold_flags(rows).astype(np.float64), seed)
