"""The rules of integration and decision: separation of duties and the polygraph-alone rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confianza.certification.rules.decisions import (
    GROUNDS_MIN,
    Recommendation,
    ValidityPolicy,
    Verdict,
    add_months,
    appeal_open,
    check_confirmation,
    check_decision,
    integrate,
)
from confianza.core.errors import ValidationFailed
from confianza.vetting.rules.evaluations import OUTCOMES, ExamType, RankLevel

ALL = frozenset(ExamType)
PASSING = {e: OUTCOMES[e][0] for e in ExamType}
GROUNDS = "Inconsistencias patrimoniales documentadas en el expediente 44/2026 y testigos."


def failing(*exams: ExamType) -> dict[ExamType, str]:
    return {**PASSING, **{e: OUTCOMES[e][-1] for e in exams}}


def test_all_passing_recommends_approval() -> None:
    result = integrate(ALL, PASSING)
    assert result.recommendation is Recommendation.APPROVE
    assert result.adverse == () and result.reasons == ()


def test_integration_refuses_missing_extra_and_impossible_results() -> None:
    with pytest.raises(ValidationFailed) as caught:
        integrate(frozenset({ExamType.POLYGRAPH, ExamType.MEDICAL}),
                  {ExamType.POLYGRAPH: "maybe", ExamType.TOXICOLOGY: "negative"})
    assert {e.location: e.reason.split(" (")[0] for e in caught.value.errors} == {
        "results.medical": "the exam has no result yet",
        "results.toxicology": "the exam is not in this evaluation's battery",
        "results.polygraph": "'maybe' is not an outcome of the polygraph exam",
    }


def test_polygraph_alone_never_makes_a_not_approved_without_grounds() -> None:
    result = integrate(ALL, failing(ExamType.POLYGRAPH))
    assert result.recommendation is Recommendation.NEEDS_GROUNDS
    with pytest.raises(ValidationFailed, match="polygraph"):
        check_decision(result, Verdict.NOT_APPROVED, "ana", frozenset({"poli"}), "reacción")
    check_decision(result, Verdict.NOT_APPROVED, "ana", frozenset({"poli"}), GROUNDS)


def test_polygraph_with_another_failing_exam_recommends_not_approved() -> None:
    result = integrate(ALL, failing(ExamType.POLYGRAPH, ExamType.SOCIOECONOMIC))
    assert result.recommendation is Recommendation.NOT_APPROVE
    assert result.adverse == (ExamType.POLYGRAPH, ExamType.SOCIOECONOMIC)
    check_decision(result, Verdict.NOT_APPROVED, "ana", frozenset({"poli"}), "")


def test_reservations_are_reported_but_do_not_fail() -> None:
    results = {**PASSING, ExamType.MEDICAL: "fit_with_restrictions"}
    result = integrate(ALL, results)
    assert result.recommendation is Recommendation.APPROVE
    assert result.reservations == (ExamType.MEDICAL,)


def test_who_examines_does_not_decide_nor_confirm() -> None:
    result = integrate(ALL, failing(ExamType.TOXICOLOGY))
    with pytest.raises(ValidationFailed, match="examined"):
        check_decision(result, Verdict.NOT_APPROVED, "tox", frozenset({"tox"}), "")
    with pytest.raises(ValidationFailed, match="also confirm"):
        check_confirmation("ana", "ana", frozenset({"tox"}))
    with pytest.raises(ValidationFailed, match="examined"):
        check_confirmation("ana", "tox", frozenset({"tox"}))
    check_confirmation("ana", "luis", frozenset({"tox"}))


def test_approving_against_the_evidence_needs_grounds() -> None:
    result = integrate(ALL, failing(ExamType.MEDICAL))
    with pytest.raises(ValidationFailed, match="medical"):
        check_decision(result, Verdict.APPROVED, "ana", frozenset(), "")
    check_decision(result, Verdict.APPROVED, "ana", frozenset(), GROUNDS)


outcomes = st.fixed_dictionaries({e: st.sampled_from(OUTCOMES[e]) for e in ExamType})


@given(outcomes, st.sampled_from(list(Verdict)), st.text(max_size=60))
def test_a_not_approved_always_rests_on_more_than_the_polygraph(
    results: dict[ExamType, str], verdict: Verdict, grounds: str
) -> None:
    result = integrate(ALL, results)
    try:
        check_decision(result, verdict, "ana", frozenset({"poli"}), grounds)
    except ValidationFailed:
        return
    if verdict is Verdict.NOT_APPROVED:
        others = [e for e in result.adverse if e is not ExamType.POLYGRAPH]
        assert others or len(grounds.strip()) >= GROUNDS_MIN


def test_validity_by_rank_level_and_reevaluation_window() -> None:
    policy = ValidityPolicy()
    assert policy.valid_until(date(2026, 11, 20), RankLevel.BASIC) == date(2029, 11, 20)
    assert policy.valid_until(date(2026, 11, 20), RankLevel.MIDDLE_COMMAND) == date(2028, 11, 20)
    assert policy.valid_until(date(2024, 2, 29), RankLevel.BASIC) == date(2027, 2, 28)
    assert policy.reevaluation_from(date(2029, 11, 20)) == date(2029, 5, 20)
    custom = ValidityPolicy(years={RankLevel.BASIC: 1, RankLevel.MIDDLE_COMMAND: 1,
                                   RankLevel.SENIOR_COMMAND: 1}, reevaluation_months=3)
    assert custom.valid_until(date(2026, 1, 31), RankLevel.SENIOR_COMMAND) == date(2027, 1, 31)
    assert custom.reevaluation_from(date(2027, 1, 31)) == date(2026, 10, 31)


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.integers(-240, 240))
def test_add_months_stays_in_the_target_month(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    if result.day < day.day:  # clamped: it is the last day of its month
        assert (result + timedelta(days=1)).month != result.month


def test_appeal_deadline_includes_its_last_day() -> None:
    decided = date(2026, 11, 2)
    assert appeal_open(decided, date(2026, 11, 17), 15)
    assert not appeal_open(decided, date(2026, 11, 18), 15)
    with pytest.raises(ValidationFailed):
        appeal_open(decided, decided, 0)
