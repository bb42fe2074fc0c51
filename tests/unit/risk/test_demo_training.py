"""The demo's choice of what to train its early-intervention model on: from the span of the
complaints alone (never from figures), and nothing when the years are too few."""

from __future__ import annotations

from datetime import date

from confianza.demo.rules.risk import demo_training
from confianza.risk.rules.model import Learner

TODAY = date(2026, 12, 6)


def test_on_the_chicago_span_the_test_years_are_the_model_card_s() -> None:
    plan = demo_training((date(2000, 1, 1), date(2023, 8, 21)), TODAY)
    assert plan is not None
    assert plan.as_of == date(2023, 8, 21)
    assert (plan.train_from, plan.test_until, plan.test_years) == (2002, 2019, 3)
    assert plan.learners == (Learner.LOGISTIC,)


def test_a_span_ending_after_today_trains_as_of_today() -> None:
    plan = demo_training((date(2000, 1, 1), date(2027, 3, 1)), TODAY)
    assert plan is not None and plan.as_of == TODAY


def test_no_complaints_or_too_few_years_train_nothing() -> None:
    assert demo_training(None, TODAY) is None
    assert demo_training((date(2014, 1, 1), date(2023, 8, 21)), TODAY) is None
