"""The set-based rows of a whole force (`FeatureBuilder.rows`) say exactly what the plain,
one-officer-at-a-time rule (`FeatureBuilder.row`) says, on a force with every kind of record
and its awkward cases: complaints known on the day itself, cases closed after it or never,
findings with no count, co-accused who are no officer of ours, two postings starting the same
day, pay years with gaps and without a salary, verdicts on the day."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import numpy as np
import pytest

from confianza.integrity.rules.network import Involvement
from confianza.risk.rules.features import FEATURES, FeatureBuilder
from confianza.risk.rules.history import (
    ComplaintEvent,
    OfficerHistory,
    PayYear,
    Population,
    Posting,
    TrustControl,
)
from confianza.risk.rules.model import Learner, top_factors, train
from confianza.risk.rules.outcome import OutcomeDefinition
from confianza.risk.rules.scoring import score_rows

START = date(2008, 1, 1)
DAYS = (date(2009, 6, 30), date(2014, 12, 31), date(2016, 2, 29), date(2019, 12, 31))
FINDINGS = ("sustained", "not_sustained", "unfounded", "exonerated", "no_finding", "pending")
KINDS = ("use_of_force", "abuse_of_authority", "bribery", "other")
UNITS = ("u:1", "u:2", "u:3", "a:7")
RANKS = ("Policía", "Oficial", "Inspector", "SERGEANT", None, "unknown rank")


def _day(rng: random.Random, span: int = 4400) -> date:
    return START + timedelta(days=rng.randrange(span))


def _force(seed: int, officers: int = 300) -> Population:
    rng = random.Random(seed)
    shared: list[ComplaintEvent] = []
    histories = []
    for i in range(officers):
        complaints: list[ComplaintEvent] = []
        for n in range(rng.choice((0, 0, 1, 2, 5, 12))):
            if shared and rng.random() < 0.25:
                complaints.append(rng.choice(shared))
                continue
            known = rng.choice((*DAYS, _day(rng))) if rng.random() < 0.1 else _day(rng)
            kinds = frozenset(rng.sample(KINDS, rng.randint(1, 2)))
            finding = rng.choice(FINDINGS)
            closed = (None if rng.random() < 0.2 else
                      rng.choice(DAYS) if rng.random() < 0.1 else
                      known + timedelta(days=rng.randrange(0, 700)))
            event = ComplaintEvent(f"c{i}-{n}", known, known - timedelta(days=rng.randrange(30)),
                                   rng.random() < 0.6, kinds,
                                   kinds if finding == "sustained" else frozenset(), finding,
                                   closed)
            complaints.append(event)
            if rng.random() < 0.3:
                shared.append(event)
        appointed = None if rng.random() < 0.05 else _day(rng, 3000)
        first = appointed or _day(rng)
        starts = [first, *sorted(_day(rng) for _ in range(rng.randint(0, 4)))]
        if rng.random() < 0.1:
            starts.append(starts[-1])  # two postings starting the same day
        histories.append(OfficerHistory(
            f"o:{i}", appointed=appointed,
            left=_day(rng) if rng.random() < 0.2 else None,
            birth_year=rng.choice((None, 0, 1960 + rng.randrange(40))),
            sex=rng.choice(("H", "M", None)),
            complaints=tuple(complaints),
            postings=tuple(Posting(rng.choice(UNITS), s) for s in starts),
            pay=tuple(PayYear(y, rng.choice((None, float(rng.randrange(30_000, 90_000)))),
                              rng.choice(RANKS))
                      for y in sorted(rng.sample(range(2008, 2021), rng.randint(0, 5)))),
            trust_controls=tuple(TrustControl(rng.choice((*DAYS, _day(rng))),
                                              rng.random() < 0.8)
                                 for _ in range(rng.randint(0, 3)))))
    others = [(Involvement(e.complaint, e.known, e.civilian, f"x:{j % 40}",
                           rng.choice(FINDINGS[:4])), rng.choice((None, _day(rng))))
              for j, e in enumerate(shared)]
    return Population.of(histories, starts=START, ends=date(2021, 1, 1), others=others)


def _one_by_one(builder: FeatureBuilder, officers: list[OfficerHistory],
                as_of: date) -> np.ndarray:
    return np.array([builder.row(o, as_of) for o in officers], dtype=np.float64).reshape(
        len(officers), len(FEATURES))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_whole_force_at_once_equals_one_officer_at_a_time(seed: int) -> None:
    population = _force(seed)
    builder = FeatureBuilder(population)
    for as_of in DAYS:
        rows = builder.rows(as_of)
        serving = [o for o in population.officers if o.active(as_of)]
        assert rows.officers == tuple(o.officer for o in serving)
        np.testing.assert_array_equal(rows.values, _one_by_one(builder, serving, as_of))
        # Every officer, serving or not, in an order of our own.
        chosen = list(reversed(population.officers))
        np.testing.assert_array_equal(builder.rows(as_of, chosen).values,
                                      _one_by_one(builder, chosen, as_of))


def test_officers_of_no_population_of_ours_get_the_same_rows() -> None:
    population = _force(4)
    builder = FeatureBuilder(population)
    strangers = [OfficerHistory(o.officer, o.appointed, o.left, o.birth_year,
                                complaints=o.complaints, postings=o.postings, pay=o.pay,
                                trust_controls=o.trust_controls)
                 for o in population.officers[:50]]
    for as_of in DAYS:
        np.testing.assert_array_equal(builder.rows(as_of, strangers).values,
                                      _one_by_one(builder, strangers, as_of))


def test_nobody_makes_no_rows() -> None:
    builder = FeatureBuilder(Population.of([], starts=START, ends=date(2021, 1, 1)))
    assert builder.rows(DAYS[0]).values.shape == (0, len(FEATURES))
    assert builder.rows(DAYS[0], []).values.shape == (0, len(FEATURES))


def _labelled_force() -> tuple[FeatureBuilder, np.ndarray, np.ndarray]:
    population = _force(5, officers=1500)
    builder = FeatureBuilder(population)
    x = builder.rows(DAYS[1]).values
    # An outcome the features explain in part: force complaints and partners raise it.
    signal = x[:, FEATURES.index("force_5y")] + x[:, FEATURES.index("partners")]
    y = signal + np.random.default_rng(5).normal(0, 1.0, len(x)) > 2.5
    return builder, x, y


@pytest.mark.parametrize("learner", [Learner.BOOSTING, Learner.LOGISTIC])
def test_every_score_keeps_the_factors_of_its_officer(learner: Learner) -> None:
    """`score_rows` gives every officer, flagged or not, their factors, trying a feature only
    where the officer's value is not the reference's; they are those every feature's trial on
    the officer gives (`RiskModel.effects`, `top_factors`)."""
    builder, x, y = _labelled_force()
    model = train(Learner.LOGISTIC, x, y, outcome=OutcomeDefinition(), trained_from=DAYS[0],
                  trained_until=DAYS[1])
    if learner is Learner.BOOSTING:  # fewer trees than the product's: the same kind, faster
        from sklearn.ensemble import HistGradientBoostingClassifier

        model.learner = learner
        model.estimator = HistGradientBoostingClassifier(max_iter=25, random_state=0).fit(x, y)
    rows = builder.rows(DAYS[3])
    share = 0.2
    scored = score_rows(model, rows, share)
    flagged = [s for s in scored if s.flagged]
    assert len(flagged) == math.ceil(share * len(rows))
    assert sum(1 for s in flagged if len(s.factors) == 3) > len(flagged) // 2
    # The unflagged keep theirs too: most have some feature raising their score.
    assert sum(1 for s in scored if not s.flagged and s.factors) > len(scored) // 2
    every = model.effects(rows.values)
    for s, row, effect in zip(scored, rows.values, every, strict=True):
        expected = top_factors(model, row, effect)
        assert [f.feature for f in s.factors] == [f.feature for f in expected]
        assert [f.value for f in s.factors] == [f.value for f in expected]
        np.testing.assert_allclose([f.effect for f in s.factors],
                                   [f.effect for f in expected], rtol=1e-9, atol=1e-12)
        assert all(f.es and f.en for f in s.factors)
    ranked = sorted(scored, key=lambda s: s.rank)
    assert [s.score for s in ranked] == sorted((s.score for s in scored), reverse=True)


def test_factors_handed_to_a_process_pool_are_those_worked_out_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What the service does for a large force (`factor_mapper`): the batches of factors go to
    spawned processes; scores, ranks, flags and factors are the same, in the same order, as
    worked out here in one batch."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from confianza.risk.rules import scoring

    builder, x, y = _labelled_force()
    model = train(Learner.LOGISTIC, x, y, outcome=OutcomeDefinition(), trained_from=DAYS[0],
                  trained_until=DAYS[1])
    rows = builder.rows(DAYS[3])
    here = score_rows(model, rows, 0.2)
    monkeypatch.setattr(scoring, "_BATCH", 7)  # several batches, answered out of order
    assert len(rows) > 3 * 7
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        pooled = score_rows(model, rows, 0.2, mapper=pool.map)
    assert [(s.officer, s.score, s.rank, s.flagged) for s in pooled] == [
        (s.officer, s.score, s.rank, s.flagged) for s in here]
    # The same factors; their effects equal but for the last bits a smaller batch's
    # arithmetic may round differently.
    for a, b in zip(pooled, here, strict=True):
        assert [(f.feature, f.value, f.es, f.en) for f in a.factors] == [
            (f.feature, f.value, f.es, f.en) for f in b.factors]
        np.testing.assert_allclose([f.effect for f in a.factors],
                                   [f.effect for f in b.factors], rtol=1e-9, atol=1e-12)
    assert any(s.factors for s in here)


def test_a_value_the_officer_lacks_never_takes_a_factors_place() -> None:
    """Even when replacing a missing value would move the score most, the factors are the
    features the officer has values for, up to three of them."""
    builder, x, y = _labelled_force()
    model = train(Learner.LOGISTIC, x, y, outcome=OutcomeDefinition(), trained_from=DAYS[0],
                  trained_until=DAYS[1])
    row = x[int(np.argmax(model.scores(x)))].copy()
    effect = model.effects(row[np.newaxis, :])[0]
    strongest = int(np.argmax(effect))
    assert effect[strongest] > 0
    before = [f.feature for f in top_factors(model, row, effect)]
    assert model.features[strongest] == before[0]
    row[strongest] = np.nan  # the officer has no value for the strongest feature
    effect[strongest] = 10.0  # whatever its trial gave
    after = top_factors(model, row, effect)
    assert model.features[strongest] not in [f.feature for f in after]
    assert [f.feature for f in after][:2] == before[1:3]
    assert model.features[strongest] not in [f.feature for f in model.explain(row)]


def test_a_small_force_keeps_its_factors_in_this_process() -> None:
    """Below `PARALLEL_FROM` officers no process is started: it would cost more than it saves."""
    from confianza.risk.service.scoring import PARALLEL_FROM, factor_mapper

    with factor_mapper(PARALLEL_FROM - 1) as mapper:
        assert mapper is map
