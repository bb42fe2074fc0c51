"""Flag rate, false positive rate and recall by group at the cut-off, and the ratios between
groups (fairlearn's MetricFrame), held to named limits.

A group too small to measure (fewer officers or outcomes than the limits name) is shown but
left out of the ratios: a recall over four outcomes is noise, and a ratio made of noise would
promote or stop a model by chance. The ratio of a metric is the smallest group's value over
the largest's (1 is parity), as fairlearn's `ratio(method="between_groups")` computes it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

METRICS = ("flag_rate", "false_positive_rate", "recall")


@dataclass(frozen=True)
class FairnessLimits:
    """The settings a model is held to before it is promoted (ADR 0032 gives the reasons)."""

    #: Error rates across groups within the four-fifths rule: recall and false positives.
    min_recall_ratio: float = 0.8
    min_false_positive_ratio: float = 0.8
    #: Flag rates may differ where outcomes differ; a gap beyond this still stops the model.
    min_flag_rate_ratio: float = 0.5
    #: Groups smaller than these are shown, not compared.
    min_group_officers: int = 200
    min_group_outcomes: int = 20

    def limit(self, metric: str) -> float:
        return {"flag_rate": self.min_flag_rate_ratio,
                "false_positive_rate": self.min_false_positive_ratio,
                "recall": self.min_recall_ratio}[metric]


LIMITS = FairnessLimits()


@dataclass(frozen=True)
class GroupFigures:
    group: str
    officers: int
    outcomes: int
    flag_rate: float
    false_positive_rate: float
    recall: float
    compared: bool


@dataclass(frozen=True)
class FairnessReport:
    attribute: str  # "race", "sex"
    groups: tuple[GroupFigures, ...]
    ratios: dict[str, float]  # metric -> smallest over largest, compared groups only

    def breaches(self, limits: FairnessLimits = LIMITS) -> list[str]:
        return [f"{metric.replace('_', ' ')} ratio by {self.attribute} {value:.2f} is below "
                f"{limits.limit(metric):.2f}"
                for metric, value in self.ratios.items()
                if not math.isnan(value) and value < limits.limit(metric)]


def report(attribute: str, y: npt.NDArray[np.bool_], flags: npt.NDArray[np.bool_],
           groups: Sequence[str | None], limits: FairnessLimits = LIMITS) -> FairnessReport:
    """The figures of each group (an unknown value is its own group, "unknown")."""
    # Loaded when a report is made: fairlearn brings pandas, a second of every process's start.
    from fairlearn.metrics import (
        MetricFrame,
        false_positive_rate,
        selection_rate,
        true_positive_rate,
    )

    sensitive = np.array([g or "unknown" for g in groups], dtype=object)
    frame = MetricFrame(
        metrics={"flag_rate": selection_rate, "false_positive_rate": false_positive_rate,
                 "recall": true_positive_rate},
        y_true=np.asarray(y, dtype=int), y_pred=np.asarray(flags, dtype=int),
        sensitive_features=sensitive)
    sizes = MetricFrame(metrics={"officers": lambda t, p: len(t),
                                 "outcomes": lambda t, p: int(np.sum(t))},
                        y_true=np.asarray(y, dtype=int), y_pred=np.asarray(flags, dtype=int),
                        sensitive_features=sensitive).by_group
    by_group = frame.by_group
    found = []
    for name in sorted(by_group.index, key=lambda g: (-int(sizes.loc[g, "officers"]), str(g))):
        officers, outcomes = int(sizes.loc[name, "officers"]), int(sizes.loc[name, "outcomes"])
        rates = {m: float(by_group.loc[name, m]) for m in METRICS}
        found.append(GroupFigures(
            str(name), officers, outcomes, rates["flag_rate"], rates["false_positive_rate"],
            rates["recall"], compared=(name != "unknown" and officers >= limits.min_group_officers
                      and outcomes >= limits.min_group_outcomes)))
    compared = [g for g in found if g.compared]
    ratios = {m: _ratio([getattr(g, m) for g in compared]) for m in METRICS}
    return FairnessReport(attribute, tuple(found), ratios)


def _ratio(values: list[float]) -> float:
    known = [v for v in values if not math.isnan(v)]
    if len(known) < 2:
        return math.nan
    largest = max(known)
    return min(known) / largest if largest > 0 else 1.0
