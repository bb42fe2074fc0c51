"""What the demo trains its early-intervention model on (issue 18, item 6; ADR 0034).

The demo trains on whatever complaints the registry holds (the Chicago complaints, when
`--chicago` imported them) as a deployment would, with `confianza risk train`, and never on
figures it has seen: the day and the years come from the span of the complaints alone.

- **As of the last imported complaint's day**: every finding the source recorded is known
  then (the demo's own open cases, opened today, do not move it). The officers are scored
  as of the same day: a rule or a model as of today would find no complaint within a year.
- **Test years: the three years ending four years before that day**, so their findings had
  time to close (a Chicago case takes a year or more; the years after are undercounted, a
  known limit of the model card). On the Chicago files this is 2017–2019, the split of the
  model card in docs/early-intervention.md, which was chosen for the file evaluation before
  any registry model existed.
- **Training from the third year of the complaints** (the features look back two years);
  earlier postings make officer-years with nothing to learn from.
- **Lighter than the command's defaults, and said so**: one learner (logistic regression,
  which the model card's validation years chose on the same files) and 20 bootstrap
  resamples instead of 200 (the intervals are a little rougher; the point figures the model
  is promoted on do not change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from confianza.risk.rules.evaluation import VALIDATION_YEARS
from confianza.risk.rules.model import Learner

TEST_YEARS = 3
#: Years left between the last test year and the day trained as of, for findings to close.
SETTLING_YEARS = 4
DEMO_LEARNERS = (Learner.LOGISTIC,)
DEMO_RESAMPLES = 20


@dataclass(frozen=True)
class DemoTraining:
    as_of: date
    train_from: int
    test_until: int
    test_years: int = TEST_YEARS
    learners: tuple[Learner, ...] = DEMO_LEARNERS
    reps: int = DEMO_RESAMPLES


def demo_training(span: tuple[date, date] | None, today: date) -> DemoTraining | None:
    """The training the demo runs on complaints received from `span[0]` to `span[1]`, or
    None when they are too few years to train and test on (the synthetic registry alone)."""
    if span is None:
        return None
    first, last = span
    as_of = min(last, today)
    train_from = first.year + 2
    test_until = as_of.year - SETTLING_YEARS
    if test_until - TEST_YEARS - train_from < VALIDATION_YEARS:
        return None
    return DemoTraining(as_of, train_from, test_until)
