"""The outcome's window and categories; the count baseline's random ties; the threshold rule."""

from __future__ import annotations

from datetime import date

import numpy as np

from confianza.risk.rules.baselines import count_scores, threshold_flags, with_random_ties
from confianza.risk.rules.features import FEATURES, FeatureRows
from confianza.risk.rules.history import ComplaintEvent, OfficerHistory
from confianza.risk.rules.outcome import OutcomeDefinition, add_months

AS_OF = date(2016, 12, 31)


def sustained(day: date, category: str = "use_of_force") -> ComplaintEvent:
    return ComplaintEvent("k" + day.isoformat(), day, day, True, frozenset({category}),
                          frozenset({category}), "sustained", day)


def test_the_outcome_starts_the_day_after_and_lasts_twelve_months() -> None:
    outcome = OutcomeDefinition()
    assert outcome.window(AS_OF) == (date(2017, 1, 1), date(2017, 12, 31))
    for day, expected in ((AS_OF, False), (date(2017, 1, 1), True),
                          (date(2017, 12, 31), True), (date(2018, 1, 1), False)):
        assert outcome.happens(OfficerHistory("o:1", complaints=(sustained(day),)),
                               AS_OF) is expected, day


def test_only_sustained_serious_categories_count() -> None:
    outcome = OutcomeDefinition()
    other = OfficerHistory("o:1", complaints=(sustained(date(2017, 5, 1), "other"),))
    assert not outcome.happens(other, AS_OF)
    not_sustained = ComplaintEvent("k", date(2017, 5, 1), date(2017, 5, 1), True,
                                   frozenset({"use_of_force"}), frozenset(), "not_sustained")
    assert not outcome.happens(OfficerHistory("o:1", complaints=(not_sustained,)), AS_OF)
    wider = OutcomeDefinition(categories=frozenset({"other"}))
    assert wider.happens(other, AS_OF)


def test_the_outcome_dates_by_when_it_happened_not_when_it_was_made() -> None:
    made_later = ComplaintEvent("k", date(2018, 2, 1), date(2017, 11, 1), True,
                                frozenset({"theft"}), frozenset({"theft"}), "sustained")
    assert OutcomeDefinition().happens(OfficerHistory("o:1", complaints=(made_later,)), AS_OF)


def test_add_months_keeps_the_day_or_takes_the_last() -> None:
    assert add_months(date(2016, 2, 29), 12) == date(2017, 2, 28)
    assert add_months(date(2015, 11, 30), 3) == date(2016, 2, 29)
    assert add_months(date(2015, 12, 31), 12) == date(2016, 12, 31)


def _rows(counts_2y: list[float], counts_1y: list[float]) -> FeatureRows:
    values = np.zeros((len(counts_2y), len(FEATURES)))
    values[:, FEATURES.index("complaints_2y")] = counts_2y
    values[:, FEATURES.index("complaints_1y")] = counts_1y
    n = len(counts_2y)
    return FeatureRows(AS_OF, tuple(f"o:{i}" for i in range(n)), values, (None,) * n,
                       (None,) * n)


def test_count_ties_are_broken_at_random_but_repeatably() -> None:
    rows = _rows([0, 2, 2, 2, 5, 0, 2], [0] * 7)
    first, again, other = count_scores(rows, 1), count_scores(rows, 1), count_scores(rows, 2)
    np.testing.assert_array_equal(first, again)
    order = list(np.argsort(-first))
    assert order[0] == 4  # the most complaints first, whatever the ties
    assert set(order[1:5]) == {1, 2, 3, 6} and set(order[5:]) == {0, 5}
    assert list(np.argsort(-other)) != order  # another seed orders the ties otherwise


def test_random_ties_never_reorder_different_values() -> None:
    values = np.array([0.0, 0.5, 0.5, 1.0, 3.0])
    scored = with_random_ties(values, 7)
    assert list(np.argsort(scored)[[0, 3, 4]]) == [0, 3, 4]


def test_threshold_rule_is_three_in_twelve_months() -> None:
    flags = threshold_flags(_rows([5, 5, 5], [2, 3, 4]))
    assert flags.tolist() == [False, True, True]
