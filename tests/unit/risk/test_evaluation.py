"""The temporal evaluation on a tiny synthetic force: it runs, it is repeatable, the model
learns what is there to learn, and bad requests are refused with a clear message."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from confianza.core.errors import ValidationFailed
from confianza.risk.rules.evaluation import (
    COUNT,
    MODEL,
    THRESHOLD,
    Evaluation,
    Settings,
    evaluate,
)
from confianza.risk.rules.history import ComplaintEvent, OfficerHistory, Population
from confianza.risk.rules.model import Learner
from confianza.risk.rules.model_card import END, START, card, replace_card, tables
from confianza.risk.rules.training import summary

TODAY = date(2030, 1, 1)


def force(officers: int = 700, *, sustained_share: float = 0.35, seed: int = 3) -> Population:
    """Officers whose complaints, and sustained findings, follow a hidden propensity."""
    rng = np.random.default_rng(seed)
    histories = []
    for i in range(officers):
        propensity = rng.gamma(0.6, 0.8)
        events = []
        for year in range(2000, 2013):
            for n in range(rng.poisson(propensity)):
                day = date(year, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
                found = rng.random() < sustained_share * min(propensity, 1.5) / 1.5
                events.append(ComplaintEvent(
                    f"c{i}-{year}-{n}", day, day, bool(rng.random() < 0.9),
                    frozenset({"use_of_force"}), frozenset({"use_of_force"}) if found else
                    frozenset(), "sustained" if found else "not_sustained",
                    day + timedelta(days=120)))
        histories.append(OfficerHistory(
            f"o:{i}", appointed=date(1995, 1, 1), birth_year=1970,
            race="a" if i % 2 else "b", sex="M" if i % 3 else "F", complaints=tuple(events)))
    return Population.of(histories, starts=date(2000, 1, 1), ends=date(2012, 12, 31))


SETTINGS = Settings(train_until=2009, test_years=3, train_from=2003, reps=20,
                    learners=(Learner.LOGISTIC, Learner.BOOSTING))


@pytest.fixture(scope="module")
def population() -> Population:
    return force()


@pytest.fixture(scope="module")
def evaluated(population: Population) -> Evaluation:
    return evaluate(population, SETTINGS, TODAY)


def test_it_trains_on_the_past_and_scores_each_later_year(evaluated: Evaluation) -> None:
    found = evaluated
    assert [y.year for y in found.years] == [2010, 2011, 2012]
    assert set(found.chosen_by) == {Learner.LOGISTIC, Learner.BOOSTING}
    assert found.model.trained_until == date(2008, 12, 31)
    for year in found.years:
        assert year.officers == 700 and year.outcomes > 0
        assert set(year.metrics) == {MODEL, COUNT, THRESHOLD}
    auc = found.pooled[MODEL]["auc"]
    assert auc.value > 0.65 and auc.low <= auc.value <= auc.high
    assert {r.attribute for r in found.fairness[MODEL]} == {"race", "sex"}
    text = tables(found)
    assert "| all test years | 2100 |" in text and ("Promoted" in text or "Not promoted" in text)
    # The threshold rule at its own cut-off: everyone it flags, measured by group too.
    assert found.rule_flagged == sum(y.rule_flagged for y in found.years)
    assert 0 <= found.rule_hits <= found.rule_flagged
    assert {r.attribute for r in found.rule_fairness} == {"race", "sex"}
    assert "The threshold rule's fairness at its own cut-off" in text
    kept = summary(found)["rule"]
    assert (kept["count"], kept["months"], kept["flagged"], kept["hits"]) == (
        3, 12, found.rule_flagged, found.rule_hits)
    assert kept["officer_years"] == 2100
    assert [f["attribute"] for f in kept["fairness"]] == ["race", "sex"]


def test_it_repeats_with_its_seed(population: Population, evaluated: Evaluation) -> None:
    one, two = evaluated, evaluate(population, SETTINGS, TODAY)
    assert one.model.version == two.model.version
    assert one.pooled == two.pooled


def test_the_model_explains_a_score_by_its_features(evaluated: Evaluation) -> None:
    found = evaluated
    row = np.zeros(len(found.model.features))
    row[found.model.features.index("complaints_5y")] = 12
    row[found.model.features.index("sustained_5y")] = 3
    factors = found.model.explain(row)
    assert factors and factors[0].effect > 0
    assert {f.feature for f in factors} & {"complaints_5y", "sustained_5y"}


def test_the_card_replaces_its_own_section_only(evaluated: Evaluation) -> None:
    found = evaluated
    text = card(found, "confianza risk model-card --data d --out f", "synthetic")
    document = f"# Title\n\nbefore\n\n{START}\nSTALE-CARD\n{END}\n\nafter\n"
    replaced = replace_card(document, text)
    assert "STALE-CARD" not in replaced and "before" in replaced and "after" in replaced
    assert replace_card(replaced, text) == replaced
    assert "#### Known limits" in replaced and "Fairness at the top 5%" in replaced


@pytest.mark.parametrize(("settings", "today", "where", "words"), [
    (Settings(train_until=2009, test_years=5), TODAY, "--test-years", "after the data ends"),
    (Settings(train_until=2009, test_years=1), date(2010, 6, 1), "--test-years",
     "not over yet"),
    (Settings(train_until=2009, test_years=1), date(2009, 6, 1), "--test-years",
     "in the future"),
    (Settings(train_until=2009, test_years=1, train_from=1998), TODAY, "--train-from",
     "before the data starts"),
    (Settings(train_until=2004, test_years=1, train_from=2003), TODAY, "--train-until",
     "training years"),
    (Settings(train_until=2009, test_years=0), TODAY, "--test-years", "at least 1"),
])
def test_bad_requests_name_what_is_wrong(population: Population, settings: Settings,
                                        today: date, where: str, words: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        evaluate(population, settings, today)
    assert raised.value.errors[0].location == where
    assert words in raised.value.errors[0].reason


def test_too_few_outcomes_to_train() -> None:
    quiet = force(200, sustained_share=0.0)
    with pytest.raises(ValidationFailed) as raised:
        evaluate(quiet, SETTINGS, TODAY)
    assert "too few outcomes to train: 0 officers" in raised.value.errors[0].reason
