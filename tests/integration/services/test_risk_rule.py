"""The department's threshold rule flags while no model is promoted, on both databases (ADR
0034, second addendum): the run is stored as the rule's, each flag says why in words, the
review and the report work as for a model, and the report shows the rule's own evaluation."""

from __future__ import annotations

import json
from datetime import date

import pytest
from risk_support import build_history
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.db.models import AuditEntryRow, OfficerRow, RiskScoreRow
from confianza.core.errors import Forbidden, ValidationFailed
from confianza.risk.rules.features import FeatureBuilder
from confianza.risk.rules.model import Learner
from confianza.risk.rules.records import ModelSource, ReviewOutcome, ScoringMethod
from confianza.risk.rules.threshold import ThresholdRule
from confianza.risk.service import models, reviews, scoring
from conftest import actor

KEY = bytes(range(32))
NOTE = "Hablé con su mando: las quejas vienen de un mismo operativo."


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> list[int]:
    return build_history(container, agencies["JAL-SSP"])


def _hr(container: Container, agency_id: int) -> Actor:
    from evaluation_support import person

    return person(container, Role.AGENCY_HR, "rh-jalisco", Scope(ScopeKind.AGENCY,
                                                                   agency_id=agency_id))


def _entries(container: Container, action: str) -> list[AuditEntryRow]:
    with container.session_factory() as session:
        return list(session.execute(select(AuditEntryRow).where(
            AuditEntryRow.action == action)).scalars())


def test_the_rule_flags_everyone_who_meets_it_and_says_so(
        container: Container, world: list[int], operator: Actor,
        agencies: dict[str, int]) -> None:
    run = scoring.score(container.uow(), operator, key=KEY, share=0.02, rule=ThresholdRule())
    assert run.method is ScoringMethod.THRESHOLD and run.by_rule
    assert (run.model_id, run.model_version, run.rule_count, run.rule_months) == (
        None, None, 3, 12)
    assert run.officers == len(world)
    # The same officers as the evaluation's threshold baseline on the same history.
    today = container.uow().today()
    population = models.registry_population(container.uow(), operator, today, "test")
    rows = FeatureBuilder(population).rows(today, population.officers)
    expected = {int(k[2:]) for k, n in zip(rows.officers,
                                          rows.column("complaints_1y"), strict=True) if n >= 3}
    with container.session_factory() as session:
        flagged = set(session.execute(select(RiskScoreRow.officer_id).where(
            RiskScoreRow.flagged.is_(True))).scalars())
        statuses = set(session.execute(select(OfficerRow.status)).scalars())
    assert flagged == expected and 0 < run.flagged == len(expected) < run.officers
    assert run.share == pytest.approx(run.flagged / run.officers)
    assert statuses == {"active"}  # a flag changes no status
    [entry] = _entries(container, "risk:score:create")
    detail = json.loads(entry.detail)
    assert detail["method"] == "threshold" and detail["rule_count"] == 3
    # HR's queue: the rule's flags, most complaints first, each with its reasons in words.
    hr = _hr(container, agencies["JAL-SSP"])
    queue = reviews.queue(container.uow(), hr)
    assert queue.run is not None and queue.run.by_rule and queue.model is None
    assert len(queue.flags) == run.flagged
    assert [f.score for f in queue.flags] == sorted((f.score for f in queue.flags),
                                                    reverse=True)
    first = queue.flags[0]
    assert first.factors[0].es.startswith(f"{int(first.score)} quejas en 12 meses")
    assert first.factors[0].en.startswith(f"{int(first.score)} complaints in 12 months")
    # Reviewed as a model's flag is; the report counts it under the rule.
    view = reviews.flag(container.uow(), hr, first.score_id)
    assert view.run.by_rule and view.history.complaints
    reviews.review(container.uow(), hr, first.score_id, ReviewOutcome.CONVERSATION, True,
                   NOTE, policy=container.policy)
    found = reviews.report(container.uow(), hr)
    rule_part = found.by_method[ScoringMethod.THRESHOLD]
    assert (rule_part.flagged, rule_part.reviewed, rule_part.useful) == (run.flagged, 1, 1)
    assert found.by_method[ScoringMethod.MODEL].flagged == 0
    assert found.rule_run is not None and found.rule_run.id == run.id
    assert found.rule_evaluation is None  # no model kept has measured the rule yet


def test_scoring_by_the_rule_stays_the_console_s_and_never_with_a_model(
        container: Container, world: list[int], operator: Actor,
        agencies: dict[str, int]) -> None:
    with pytest.raises(ValidationFailed) as raised:
        scoring.score(container.uow(), operator, key=KEY, share=0.02, version="abc",
                      rule=ThresholdRule())
    assert raised.value.errors[0].location == "--rule"
    with pytest.raises(Forbidden):
        scoring.score(container.uow(), _hr(container, agencies["JAL-SSP"]), key=KEY,
                      share=0.02, rule=ThresholdRule())
    assert len(_entries(container, "authz:permission:denied")) == 1
    assert _entries(container, "risk:score:create") == []
    with pytest.raises(ValidationFailed) as raised:
        scoring.score(container.uow(), operator, key=KEY, share=0.02, rule=ThresholdRule(),
                      as_of=date(2026, 11, 21))
    assert raised.value.errors[0].location == "--as-of"
    assert "in the future" in raised.value.errors[0].reason


def test_the_rule_scores_the_registry_as_it_stood_on_an_earlier_day(
        container: Container, world: list[int], operator: Actor) -> None:
    day = date(2020, 6, 30)
    run = scoring.score(container.uow(), operator, key=KEY, share=0.02, rule=ThresholdRule(),
                        as_of=day)
    assert run.as_of == day
    population = models.registry_population(container.uow(), operator, day, "test")
    rows = FeatureBuilder(population).rows(day)  # those serving on the day
    expected = {int(k[2:]) for k, n in zip(rows.officers,
                                          rows.column("complaints_1y"), strict=True) if n >= 3}
    with container.session_factory() as session:
        flagged = set(session.execute(select(RiskScoreRow.officer_id).where(
            RiskScoreRow.run_id == run.id, RiskScoreRow.flagged.is_(True))).scalars())
    assert flagged == expected and run.officers == len(rows)


def test_the_report_shows_the_rule_s_own_evaluation_beside_it(
        container: Container, world: list[int], operator: Actor,
        agencies: dict[str, int]) -> None:
    trained = models.train(container.uow(), operator, key=KEY, as_of=date(2026, 6, 30),
                           source=ModelSource.REGISTRY, learners=(Learner.LOGISTIC,), reps=20)
    scoring.score(container.uow(), operator, key=KEY, share=0.02, rule=ThresholdRule())
    found = reviews.report(container.uow(), actor(Role.AUDITOR))
    e = found.rule_evaluation
    assert e is not None and found.rule_measured
    assert e.model_version == trained.stored.version and (e.count, e.months) == (3, 12)
    assert e.test_years == (2025,) and e.officer_years == len(world)
    assert 0 <= e.hits <= e.flagged and e.outcomes > 0
    assert {g.attribute for g in e.groups} == {"race", "sex"}
    assert {g.group for g in e.groups if g.attribute == "sex"} == {"H", "M"}
    assert [r.attribute for r in e.ratios] == ["race", "sex"]
    # Another rule than the one evaluated: its figures are not claimed for it.
    scoring.score(container.uow(), operator, key=KEY, share=0.02, rule=ThresholdRule(2, 6))
    again = reviews.report(container.uow(), actor(Role.AUDITOR))
    assert again.rule_evaluation is not None and not again.rule_measured


def test_the_database_holds_a_run_to_one_method(container: Container, world: list[int],
                                                operator: Actor) -> None:
    scoring.score(container.uow(), operator, key=KEY, share=0.02, rule=ThresholdRule())
    insert = ("INSERT INTO risk_runs (model_id, method, rule_count, rule_months, as_of, "
              "officers, flagged, share, scored_by, scored_at) VALUES "
              "(NULL, :method, :count, 12, '2026-01-01', 1, 0, 0, 't', :at)")
    for method, count in (("model", None), ("threshold", None), ("other", 3)):
        with pytest.raises(IntegrityError), container.engine.begin() as connection:
            connection.execute(text(insert), {"method": method, "count": count,
                                              "at": "2026-01-01 00:00:00+00:00"})
