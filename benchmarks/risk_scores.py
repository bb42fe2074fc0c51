"""Early intervention at national scale: features and scores of every serving officer, and
one officer's explanation (issue 18's figures).

A synthetic force of 401,607 officers (2018's national count) is generated, not timed: each
officer with a hidden propensity, complaints over the last eight years (some shared with a
partner, so the co-accusal network has edges), findings closed months later, one to four
postings and the last two years' pay. Then, timed:

1. the network index (built once);
2. the features of every officer serving on the as-of day;
3. the scores of all of them by a model trained on a 60,000-officer labelled sample of the
   same force (training printed apart: in the product it happens once, not per scoring);
4. one officer's explanation (top factors) for --explain officers chosen at random: p50, p95,
   max.

With --chicago DIR the model is the one trained on the Chicago files (to --train-until, the
learner given) instead of the synthetic sample: the features are the same.

    .venv/bin/python benchmarks/risk_scores.py [--officers 401607] [--explain 1000]
        [--learner boosting] [--chicago /work/shared/data/chicago --train-until 2016]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from confianza.risk.rules.evaluation import as_of_for, labelled
from confianza.risk.rules.features import FeatureBuilder
from confianza.risk.rules.history import (
    ComplaintEvent,
    OfficerHistory,
    PayYear,
    Population,
    Posting,
)
from confianza.risk.rules.model import Learner, RiskModel, train
from confianza.risk.rules.outcome import OutcomeDefinition

AS_OF = date(2023, 12, 31)
CATEGORIES = ("use_of_force", "abuse_of_authority", "other")


def synthetic(officers: int, seed: int = 2018) -> Population:
    rng = np.random.default_rng(seed)
    propensity = rng.gamma(0.5, 0.5, officers)
    counts = rng.poisson(propensity * 8)
    days = (AS_OF + timedelta(days=365) - date(2016, 1, 1)).days
    histories = []
    serial = 0
    pending: list[tuple[int, ComplaintEvent]] = []  # a complaint to share with the next officer
    for i in range(officers):
        events = []
        for _ in range(int(counts[i])):
            if pending and rng.random() < 0.3:
                _, shared = pending.pop()
                events.append(shared)
                continue
            serial += 1
            day = date(2016, 1, 1) + timedelta(days=int(rng.integers(0, days)))
            category = CATEGORIES[int(rng.integers(0, 3))]
            sustained = rng.random() < 0.08 * min(propensity[i], 2.0)
            event = ComplaintEvent(
                f"c{serial}", day, day, bool(rng.random() < 0.95), frozenset({category}),
                frozenset({category}) if sustained else frozenset(),
                "sustained" if sustained else "not_sustained",
                day + timedelta(days=int(rng.integers(60, 400))))
            events.append(event)
            if rng.random() < 0.2:
                pending.append((i, event))
        appointed = date(1990, 1, 1) + timedelta(days=int(rng.integers(0, 12000)))
        starts = sorted(appointed + timedelta(days=int(d)) for d in
                        rng.integers(0, max((AS_OF - appointed).days, 1), int(rng.integers(1, 5))))
        histories.append(OfficerHistory(
            f"o:{i}", appointed, None, 1960 + int(rng.integers(0, 40)),
            complaints=tuple(events),
            postings=tuple(Posting(str(int(rng.integers(1, 400))), d) for d in
                           [appointed, *starts[1:]]),
            pay=tuple(PayYear(y, float(40_000 + rng.integers(0, 60_000)), "POLICE OFFICER")
                      for y in (2021, 2022, 2023))))
    return Population.of(histories, starts=date(2016, 1, 1), ends=date(2025, 12, 31))


def _synthetic_model(population: Population, learner: Learner, sample: int) -> RiskModel:
    small = Population.of(population.officers[:sample], starts=population.starts,
                          ends=population.ends)
    builder = FeatureBuilder(small)
    outcome = OutcomeDefinition()
    parts = [labelled(builder, year, outcome, date(2030, 1, 1), "benchmark")
             for year in (2021, 2022)]
    x = np.vstack([p.rows.values for p in parts])
    y = np.concatenate([p.y for p in parts])
    return train(learner, x, y, outcome=outcome, trained_from=as_of_for(2021),
                 trained_until=as_of_for(2022))


def _chicago_model(folder: Path, learner: Learner, until: int) -> RiskModel:
    from confianza.risk.cli import load  # the command's own reading of the files

    population = load(folder).population
    builder = FeatureBuilder(population)
    outcome = OutcomeDefinition()
    parts = [labelled(builder, y, outcome, date(2030, 1, 1), "benchmark")
             for y in range(population.starts.year + 2, until + 1)]
    return train(learner, np.vstack([p.rows.values for p in parts]),
                 np.concatenate([p.y for p in parts]), outcome=outcome,
                 trained_from=as_of_for(population.starts.year + 2),
                 trained_until=as_of_for(until))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officers", type=int, default=401_607)
    parser.add_argument("--explain", type=int, default=1000)
    parser.add_argument("--learner", default="boosting", choices=[str(k) for k in Learner])
    parser.add_argument("--chicago", type=Path, default=None)
    parser.add_argument("--train-until", type=int, default=2016)
    args = parser.parse_args()
    learner = Learner(args.learner)

    started = time.perf_counter()
    population = synthetic(args.officers)
    events = sum(len(o.complaints) for o in population.officers)
    print(f"generated {len(population.officers)} officers, {events} complaint records "
          f"({time.perf_counter() - started:.1f} s, not counted)")

    started = time.perf_counter()
    model = (_chicago_model(args.chicago, learner, args.train_until) if args.chicago
             else _synthetic_model(population, learner, 60_000))
    print(f"training ({learner}, {model.rows} rows, {model.outcomes} outcomes): "
          f"{time.perf_counter() - started:.1f} s (once per model, not counted)")

    started = time.perf_counter()
    builder = FeatureBuilder(population)
    indexed = time.perf_counter()
    rows = builder.rows(AS_OF)
    featured = time.perf_counter()
    scores = model.scores(rows.values)
    scored = time.perf_counter()
    print(f"network index: {indexed - started:.1f} s")
    print(f"features of {len(rows)} serving officers: {featured - indexed:.1f} s")
    print(f"scores: {scored - featured:.1f} s")
    print(f"features and scores, index included: {scored - started:.1f} s (target < 120 s); "
          f"top 5% from {np.quantile(scores, 0.95):.4f}")

    rng = np.random.default_rng(7)
    timings = []
    by_key = {o.officer: o for o in population.officers}
    for index in rng.integers(0, len(rows), args.explain):
        began = time.perf_counter()
        officer = by_key[rows.officers[int(index)]]
        row = np.asarray(builder.row(officer, AS_OF), dtype=np.float64)
        model.explain(row)
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"one officer's explanation (features + top factors), {args.explain} officers: "
          f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} "
          "ms (target p95 < 300 ms)")


if __name__ == "__main__":
    main()
