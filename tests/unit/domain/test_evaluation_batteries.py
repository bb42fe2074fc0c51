"""Which exams an evaluation requires: policy by kind, rank level and sensitive access."""

from __future__ import annotations

import pytest

from confianza.vetting.rules.evaluations import (
    BatteryPolicy,
    EvaluationKind,
    ExamType,
    RankLevel,
    has_reservation,
    is_adverse,
    rank_level,
)

E = ExamType


def test_default_battery_is_all_five_but_for_special_evaluations() -> None:
    policy = BatteryPolicy()
    for kind in (EvaluationKind.NEW_ENTRY, EvaluationKind.PERMANENCE, EvaluationKind.PROMOTION):
        assert policy.required(kind, RankLevel.BASIC, False) == frozenset(ExamType)
    special = policy.required(EvaluationKind.SPECIAL, RankLevel.BASIC, False)
    assert special == {E.POLYGRAPH, E.TOXICOLOGY, E.SOCIOECONOMIC}
    assert E.PSYCHOLOGICAL in policy.required(
        EvaluationKind.SPECIAL, RankLevel.MIDDLE_COMMAND, False)


def test_policy_from_configuration() -> None:
    policy = BatteryPolicy.from_config({
        "base": {"permanence": ["toxicology", "medical"]},
        "for_sensitive_access": ["polygraph"],
    })
    assert policy.required(EvaluationKind.PERMANENCE, RankLevel.BASIC, False) == {
        E.TOXICOLOGY, E.MEDICAL}
    assert policy.required(EvaluationKind.PERMANENCE, RankLevel.BASIC, True) == {
        E.TOXICOLOGY, E.MEDICAL, E.POLYGRAPH}
    assert policy.required(EvaluationKind.PERMANENCE, RankLevel.SENIOR_COMMAND, False) == {
        E.TOXICOLOGY, E.MEDICAL, E.PSYCHOLOGICAL}
    with pytest.raises(ValueError, match="unknown exam 'dna'"):
        BatteryPolicy.from_config({"for_command": ["dna"]})
    with pytest.raises(ValueError, match="unknown evaluation kind 'random'"):
        BatteryPolicy.from_config({"base": {"random": []}})


def test_outcomes_adverse_and_reservations() -> None:
    assert is_adverse(E.TOXICOLOGY, "positive")
    assert not is_adverse(E.POLYGRAPH, "inconclusive")
    assert has_reservation(E.POLYGRAPH, "inconclusive")
    assert has_reservation(E.PSYCHOLOGICAL, "suitable_with_reservations")
    assert not has_reservation(E.SOCIOECONOMIC, "inconsistent")
    with pytest.raises(ValueError, match="not an outcome of the medical exam"):
        is_adverse(E.MEDICAL, "positive")


def test_rank_levels() -> None:
    assert rank_level("Policía Primero") is RankLevel.BASIC
    assert rank_level("  inspector   JEFE ") is RankLevel.MIDDLE_COMMAND
    assert rank_level("Comisario General") is RankLevel.SENIOR_COMMAND
    assert rank_level("LIEUTENANT OF POLICE") is RankLevel.BASIC
