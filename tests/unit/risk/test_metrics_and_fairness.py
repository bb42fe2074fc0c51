"""Metrics against hand-computed values, the bootstrap's determinism, fairness on a toy set."""

from __future__ import annotations

import math

import numpy as np
import pytest

from confianza.risk.rules.fairness import FairnessLimits, report
from confianza.risk.rules.metrics import flagged, point_metrics, with_intervals

# Ten officers, scores descending by index; outcomes at positions 0, 3 and 8.
Y = np.array([1, 0, 0, 1, 0, 0, 0, 0, 1, 0], dtype=bool)
S = np.linspace(1.0, 0.1, 10)


def test_top_shares_round_up() -> None:
    assert flagged(S, 0.10).tolist() == [True] + [False] * 9
    assert int(flagged(S, 0.25).sum()) == 3  # ceil(2.5)
    assert int(flagged(np.zeros(200), 0.05).sum()) == 10


def test_precision_recall_auc_and_ap_by_hand() -> None:
    got = point_metrics(Y, S, shares=(0.1, 0.5))
    assert got["precision_0.1"] == 1.0 and got["recall_0.1"] == pytest.approx(1 / 3)
    # Top five: positions 0-4 hold two of the three outcomes.
    assert got["precision_0.5"] == pytest.approx(2 / 5)
    assert got["recall_0.5"] == pytest.approx(2 / 3)
    # AUC: of 3 x 7 pairs, a positive outranks a negative in 7 + 5 + 1 = 13.
    assert got["auc"] == pytest.approx(13 / 21)
    # AP: precision at each outcome's rank, averaged: (1/1 + 2/4 + 3/9) / 3.
    assert got["ap"] == pytest.approx((1 + 0.5 + 1 / 3) / 3)


def test_without_outcomes_the_rates_are_undefined_not_zero() -> None:
    got = point_metrics(np.zeros(10, dtype=bool), S, shares=(0.1,))
    assert math.isnan(got["recall_0.1"]) and math.isnan(got["auc"]) and math.isnan(got["ap"])


def test_the_bootstrap_repeats_with_its_seed_and_brackets_the_value() -> None:
    rng = np.random.default_rng(0)
    y = rng.random(400) < 0.1
    s = y * 0.5 + rng.random(400)
    first = with_intervals(y, s, reps=50, seed=11)
    assert first == with_intervals(y, s, reps=50, seed=11)
    assert first != with_intervals(y, s, reps=50, seed=12)
    auc = first["auc"]
    assert auc.low <= auc.value <= auc.high and auc.high - auc.low < 0.3


def test_fairness_rates_and_ratios_on_a_toy_set() -> None:
    # Group a: 4 officers, 2 outcomes; flags hit 1 outcome and 1 non-outcome.
    # Group b: 4 officers, 2 outcomes; flags hit 2 outcomes and no non-outcome.
    y = np.array([1, 1, 0, 0, 1, 1, 0, 0], dtype=bool)
    flags = np.array([1, 0, 1, 0, 1, 1, 0, 0], dtype=bool)
    groups = ["a"] * 4 + ["b"] * 4
    limits = FairnessLimits(min_group_officers=1, min_group_outcomes=1)
    found = report("race", y, flags, groups, limits)
    by = {g.group: g for g in found.groups}
    assert by["a"].flag_rate == 0.5 and by["b"].flag_rate == 0.5
    assert by["a"].false_positive_rate == 0.5 and by["b"].false_positive_rate == 0.0
    assert by["a"].recall == 0.5 and by["b"].recall == 1.0
    assert found.ratios == {"flag_rate": 1.0, "false_positive_rate": 0.0, "recall": 0.5}
    assert found.breaches(limits) == [
        "false positive rate ratio by race 0.00 is below 0.80",
        "recall ratio by race 0.50 is below 0.80"]


def test_small_and_unknown_groups_are_shown_not_compared() -> None:
    y = np.array([1, 0] * 5 + [1, 0], dtype=bool)
    flags = np.array([1, 0] * 5 + [0, 1], dtype=bool)
    groups: list[str | None] = ["a"] * 10 + [None, "c"]
    found = report("sex", y, flags, groups, FairnessLimits(min_group_officers=5,
                                                           min_group_outcomes=2))
    assert [(g.group, g.compared) for g in found.groups] == [
        ("a", True), ("c", False), ("unknown", False)]
    assert all(math.isnan(v) for v in found.ratios.values())  # one group: nothing to compare
