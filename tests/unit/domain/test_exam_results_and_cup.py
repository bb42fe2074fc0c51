"""Structured exam results, CUP components and the alert reasons: pure rules."""

from __future__ import annotations

from datetime import date

import pytest

from confianza.certification.rules.coverage import AlertReason, alert_reasons
from confianza.certification.rules.cup import (
    ComponentRecord,
    CupComponent,
    CupPolicy,
    certificate_number,
    certificate_until,
)
from confianza.certification.rules.decisions import Verdict
from confianza.core.errors import ValidationFailed
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.rules.exam_results import REQUIRED_SUBSTANCES, check_result

TODAY = date(2026, 11, 20)
PANEL = dict.fromkeys(REQUIRED_SUBSTANCES, "negative")


def locations(error: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return {e.location for e in error.value.errors}


def test_toxicology_outcome_follows_the_panel() -> None:
    clean = check_result(ExamType.TOXICOLOGY, {"chain_of_custody_id": "cc-2026-1",
                                               "panel": PANEL})
    assert clean.outcome == "negative"
    assert clean.data["chain_of_custody_id"] == "CC-2026-1"
    dirty = check_result(ExamType.TOXICOLOGY, {"chain_of_custody_id": "CC-1",
                                               "panel": {**PANEL, "fentanyl": "positive"}})
    assert dirty.outcome == "positive"


def test_toxicology_refuses_a_partial_panel_and_a_contradicting_outcome() -> None:
    with pytest.raises(ValidationFailed) as error:
        check_result(ExamType.TOXICOLOGY, {"panel": {"cocaine": "positive", "tea": "negative"},
                                           "outcome": "negative"})
    assert locations(error) >= {
        "result.chain_of_custody_id", "result.panel.tea", "result.panel.cannabinoids",
        "result.outcome",
    }


def test_each_exam_demands_its_own_fields() -> None:
    with pytest.raises(ValidationFailed) as error:
        check_result(ExamType.POLYGRAPH, {"topics": [], "outcome": "fine"})
    assert locations(error) == {"result.topics", "result.outcome"}
    with pytest.raises(ValidationFailed) as error:
        check_result(ExamType.MEDICAL, {"outcome": "fit_with_restrictions"})
    assert locations(error) == {"result.restrictions"}
    with pytest.raises(ValidationFailed) as error:
        check_result(ExamType.SOCIOECONOMIC, {"declared_income": "1,200", "assets": True,
                                              "debts": -1, "outcome": "consistent"})
    assert locations(error) == {"result.assets", "result.debts", "result.monthly_spending",
                                "result.household_size"}


def test_socioeconomic_accepts_thousands_separators() -> None:
    checked = check_result(ExamType.SOCIOECONOMIC, {
        "declared_income": "18,000", "assets": 0, "debts": 0, "monthly_spending": 9000,
        "household_size": "3", "outcome": "consistent"})
    assert checked.data["declared_income"] == 18000 and checked.data["household_size"] == 3


def test_a_certificate_lasts_as_long_as_its_earliest_component() -> None:
    policy = CupPolicy()
    components = {
        CupComponent.TRUST_CONTROL: ComponentRecord(CupComponent.TRUST_CONTROL, TODAY,
                                                    date(2029, 11, 20)),
        CupComponent.SKILLS: ComponentRecord(CupComponent.SKILLS, date(2026, 1, 31),
                                             policy.valid_until(CupComponent.SKILLS,
                                                                date(2026, 1, 31))),
        CupComponent.PERFORMANCE: ComponentRecord(CupComponent.PERFORMANCE, TODAY,
                                                  date(2029, 11, 20)),
    }
    assert certificate_until(components, TODAY) is None  # training missing
    components[CupComponent.INITIAL_TRAINING] = ComponentRecord(
        CupComponent.INITIAL_TRAINING, date(2010, 1, 1), None)
    assert certificate_until(components, TODAY) == date(2029, 1, 31)
    assert certificate_until(components, date(2029, 2, 1)) is None


def test_components_are_checked_before_they_are_recorded() -> None:
    policy = CupPolicy()
    with pytest.raises(ValidationFailed) as error:
        policy.check_component(CupComponent.INITIAL_TRAINING, date(2027, 1, 1), TODAY, 600,
                               101)
    assert locations(error) == {"completed_on", "hours", "score"}
    with pytest.raises(ValidationFailed):
        policy.check_component(CupComponent.TRUST_CONTROL, TODAY, TODAY, None, None)
    policy.check_component(CupComponent.INITIAL_TRAINING, TODAY, TODAY, 972, None)


def test_certificate_numbers_are_readable_and_unique_per_officer() -> None:
    assert certificate_number(4521, TODAY, 2) == "CUP-2026-0004521-02"


@pytest.mark.parametrize(("verdict", "approved_until", "cup_until", "reasons"), [
    (None, None, None, {AlertReason.NEVER_EVALUATED, AlertReason.NO_CERTIFICATE}),
    (Verdict.NOT_APPROVED, None, None, {AlertReason.NOT_APPROVED, AlertReason.NO_CERTIFICATE}),
    (Verdict.APPROVED, date(2026, 11, 19), date(2027, 1, 1),
     {AlertReason.EVALUATION_EXPIRED}),
    (Verdict.APPROVED, TODAY, date(2026, 1, 1), {AlertReason.NO_CERTIFICATE}),
    (Verdict.APPROVED, TODAY, TODAY, set()),
])
def test_alert_reasons(verdict: Verdict | None, approved_until: date | None,
                       cup_until: date | None, reasons: set[AlertReason]) -> None:
    assert set(alert_reasons(verdict, approved_until, cup_until, TODAY)) == reasons
