"""Scoring a force: every officer's score, rank and top factors, and the share flagged.

A flag is the top `share` of the officers scored (at least one when any is scored), ranked
by score with ties in the order the officers were given. Flagging decides who a supervisor
looks at first; it changes nothing else (ADR 0034).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from confianza.core.errors import FieldError, ValidationFailed
from confianza.risk.rules.features import FeatureRows
from confianza.risk.rules.model import RiskModel, top_factors
from confianza.risk.rules.words import Worded, worded

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


def score_rows(model: RiskModel, rows: FeatureRows, share: float, top: int = 3
               ) -> list[Scored]:
    check_share(share)
    n = len(rows)
    if n == 0:
        return []
    scores = model.scores(rows.values)
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(1, n + 1)
    cut = max(1, math.ceil(share * n))
    out: list[Scored] = []
    for start in range(0, n, _BATCH):
        chunk = rows.values[start:start + _BATCH]
        effects = model.effects(chunk)
        for j in range(len(chunk)):
            i = start + j
            factors = tuple(worded(top_factors(model, chunk[j], effects[j], top)))
            out.append(Scored(rows.officers[i], float(scores[i]), int(ranks[i]),
                              bool(ranks[i] <= cut), factors))
    return out
