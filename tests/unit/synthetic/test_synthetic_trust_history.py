"""The pure trust-control generator: valid results, staffed centres, rule-keeping histories."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime

import pytest

from confianza.certification.rules.decisions import Recommendation, ValidityPolicy, integrate
from confianza.demo.rules.careers import Batch, FirstIds, build_rows
from confianza.demo.rules.evaluations import TrustBatch
from confianza.demo.rules.force import Scale, plan_force
from confianza.demo.rules.histories import HistoryMaker
from confianza.demo.rules.trust import (
    DemoStaff,
    ResultMaker,
    TrustIds,
    build_staff,
    fields_of,
)
from confianza.vetting.rules.evaluations import (
    OUTCOMES,
    BatteryPolicy,
    EvaluationKind,
    ExamType,
    RankLevel,
)
from confianza.vetting.rules.exam_results import check_result

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)


def _dump(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


@pytest.mark.parametrize("exam", list(ExamType))
def test_generated_results_are_what_check_result_keeps(exam: ExamType) -> None:
    maker = ResultMaker(random.Random(3))
    for outcome in OUTCOMES[exam]:
        if exam is ExamType.MEDICAL and outcome == "unfit":
            continue  # never generated
        for serial in range(200):
            stored = maker.result(exam, outcome, "jal", serial)
            checked = check_result(exam, fields_of(exam, outcome, stored))
            assert checked.outcome == outcome
            assert _dump(checked.data) == stored


def _history(seed: int, demo: DemoStaff = DemoStaff()) -> tuple[list[Batch], list[TrustBatch]]:
    plan = plan_force(Scale.TINY, random.Random(seed))
    staff = build_staff(plan, TrustIds(user=100), NOW, random.Random(seed), demo)
    maker = HistoryMaker(plan, staff, TrustIds(user=100), 1, TODAY, random.Random(seed), demo)
    batches, trust = [], []
    for batch in build_rows(plan, random.Random(seed), TODAY, NOW, FirstIds(), 120):
        trust.append(maker.rows(batch))
        batches.append(batch)
    return batches, trust


def test_centres_per_state_and_a_modest_staff() -> None:
    plan = plan_force(Scale.NATIONAL, random.Random(1))
    staff = build_staff(plan, TrustIds(), NOW, random.Random(1), DemoStaff())
    assert len(staff.centres) == 33
    assert {c.code for c in staff.centres} >= {"C3-JAL", "C3-NL", "C3-CDMX", "C3-FED"}
    assert all(len(c.certifiers) >= 3 and len(c.usernames) <= 15 for c in staff.centres)
    assert all(c.examiners.get(e) for c in staff.centres for e in ExamType)
    federal = next(c for c in staff.centres if c.code == "C3-FED")
    assert federal.state_code is None and federal.served == sum(
        a.officers for a in plan.agencies if a.state_code is None)
    # Everyone every three years at 250 working days fits in the daily capacity.
    assert all(c.daily[e] * 250 * 3 >= c.served for c in staff.centres for e in ExamType)
    usernames = [u[1] for u in staff.user_rows]
    assert len(set(usernames)) == len(usernames) and "examinador.jal.01" in usernames


def test_the_same_seed_draws_the_same_history() -> None:
    assert _history(4)[1] == _history(4)[1]
    assert _history(4)[1] != _history(5)[1]


def test_histories_keep_the_certification_rules() -> None:
    batches, trusts = _history(6)
    policy, validity = BatteryPolicy(), ValidityPolicy()
    evaluations = [e for t in trusts for e in t.evaluations]
    exams: dict[int, dict[str, tuple[object, ...]]] = {}
    for t in trusts:
        for x in t.exams:
            exams.setdefault(x[1], {})[x[2]] = x
    open_per_officer: dict[int, int] = {}
    for row in evaluations:
        (eid, officer, _agency, kind, _rank, level, sensitive, _reason, status, centre, _by,
         _at, recommendation, integration, verdict, decider, decided_on, grounds, confirmer,
         _confirmed, valid_until, closed_at) = row
        battery = policy.required(EvaluationKind(kind), RankLevel(level), sensitive)
        assert set(exams[eid]) == {e.value for e in battery}
        if closed_at is None:
            open_per_officer[officer] = open_per_officer.get(officer, 0) + 1
            continue
        results = {ExamType(k): v[5] for k, v in exams[eid].items()}
        made = integrate(battery, results)
        assert recommendation == made.recommendation.value
        assert json.loads(integration)["adverse"] == list(made.adverse)
        assert decider is not None and decider not in {v[3] for v in exams[eid].values()}
        if status == "approved" and verdict == "approved" and confirmer is None:
            assert made.recommendation is Recommendation.APPROVE
            assert valid_until == validity.valid_until(decided_on, RankLevel(level))
        if verdict == "not_approved":
            assert confirmer is not None and confirmer != decider
            assert made.recommendation is not Recommendation.APPROVE
            if made.adverse == (ExamType.POLYGRAPH,):
                assert grounds is not None and len(grounds) >= 30
    assert max(open_per_officer.values(), default=0) <= 1
    decided = [e for e in evaluations if e[8] in ("approved", "not_approved")]
    assert any(e[8] == "not_approved" for e in decided)
    # Officers on duty never hold a not-approved decision as their last one.
    active = {o[0] for b in batches for o in b.officers if o[9] == "active"}
    last: dict[int, tuple[object, ...]] = {}
    for e in sorted(decided, key=lambda e: (e[16], e[0])):
        last[e[1]] = e
    assert all(last[o][8] == "approved" for o in active if o in last)
