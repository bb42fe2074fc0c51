"""The department's threshold rule as a flagging method: who it flags, in what order, and
why in words; the same officers as the evaluation's threshold baseline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from confianza.core.errors import ValidationFailed
from confianza.integrity.rules.network import Involvement
from confianza.risk.rules.baselines import threshold_flags
from confianza.risk.rules.features import FeatureBuilder
from confianza.risk.rules.history import ComplaintEvent, OfficerHistory, Population
from confianza.risk.rules.threshold import ThresholdRule, reasons, score_by_rule

DAY = date(2024, 6, 30)


def complaint(key: str, days_before: int, *categories: str, finding: str = "no_finding",
              closed_days_before: int | None = None) -> ComplaintEvent:
    known = DAY - timedelta(days=days_before)
    closed = None if closed_days_before is None else DAY - timedelta(days=closed_days_before)
    sustained = frozenset(categories) if finding == "sustained" else frozenset()
    return ComplaintEvent(key, known, known, True, frozenset(categories), sustained, finding,
                          closed)


def officer(key: str, *complaints: ComplaintEvent) -> OfficerHistory:
    return OfficerHistory(key, appointed=date(2010, 1, 1), complaints=complaints)


def population(*officers: OfficerHistory, others: tuple[tuple[Involvement, date | None], ...]
               = ()) -> Population:
    return Population.of(officers, starts=date(2010, 1, 1), ends=DAY, others=others)


def test_the_rule_counts_complaints_made_in_its_window_and_nothing_later() -> None:
    rule = ThresholdRule()
    assert (rule.count, rule.months, rule.days) == (3, 12, 365)
    o = officer("o:1", complaint("a", 0, "use_of_force"), complaint("b", 364, "other"),
                complaint("c", 365, "other"), complaint("d", -1, "other"))
    # (day − 365 days, day]: the complaint of exactly a year ago and tomorrow's are out.
    assert rule.complaints(o, DAY) == 2
    assert not rule.meets(o, DAY)
    assert ThresholdRule(2, 12).meets(o, DAY)
    assert ThresholdRule(3, 13).complaints(o, DAY) == 3


@pytest.mark.parametrize(("count", "months", "where"), [
    (0, 12, "risk_rule_count"), (3, 0, "risk_rule_months"), (3, 61, "risk_rule_months")])
def test_a_rule_out_of_bounds_is_refused_naming_the_setting(count: int, months: int,
                                                           where: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        ThresholdRule(count, months)
    assert raised.value.errors[0].location == where


def test_the_rule_flags_everyone_who_meets_it_most_complaints_first() -> None:
    heavy = officer("o:1", *(complaint(f"h{i}", 10 * i, "use_of_force") for i in range(5)))
    three = officer("o:2", complaint("t1", 1, "other"), complaint("t2", 2, "other"),
                    complaint("t3", 3, "abuse_of_authority"))
    two = officer("o:3", complaint("w1", 1, "other"), complaint("w2", 2, "other"))
    none = officer("o:4")
    people = [none, two, three, heavy]
    scored = score_by_rule(ThresholdRule(), FeatureBuilder(population(*people)), people, DAY)
    by = {s.officer: s for s in scored}
    assert [k for k in ("o:1", "o:2", "o:3", "o:4") if by[k].flagged] == ["o:1", "o:2"]
    assert (by["o:1"].rank, by["o:2"].rank, by["o:3"].rank, by["o:4"].rank) == (1, 2, 3, 4)
    assert (by["o:1"].score, by["o:3"].score) == (5.0, 2.0)
    # Not flagged: only the count, in words.
    assert [f.es for f in by["o:3"].factors] == ["2 quejas en 12 meses: 2 de otras categorías"]


def test_the_rule_flags_the_same_officers_as_the_evaluation_s_threshold_baseline() -> None:
    people = [officer(f"o:{n}", *(complaint(f"{n}-{i}", 40 * i + n, "other")
                                  for i in range(n % 6))) for n in range(1, 30)]
    builder = FeatureBuilder(population(*people))
    rows = builder.rows(DAY, people)
    by_rule = [s.flagged for s in score_by_rule(ThresholdRule(), builder, people, DAY)]
    assert by_rule == list(threshold_flags(rows))
    assert any(by_rule) and not all(by_rule)


def test_a_flag_says_why_in_words_with_findings_and_co_accusal() -> None:
    flagged = officer("o:1",
                      complaint("k1", 5, "use_of_force", finding="sustained",
                                closed_days_before=1),
                      complaint("k2", 50, "use_of_force", "other"),
                      complaint("k3", 100, "abuse_of_authority"),
                      complaint("k4", 200, "other", finding="not_sustained",
                                closed_days_before=150))
    # Co-accused in k2 with an officer whose sustained finding was known 30 days ago, and
    # in k3 with someone outside the registry.
    partner = officer("o:2", complaint("k2", 50, "other", finding="sustained",
                                       closed_days_before=30))
    outsider = Involvement("k3", DAY - timedelta(days=100), True, "x:9", "no_finding")
    people = [flagged, partner]
    [first, _] = score_by_rule(ThresholdRule(), FeatureBuilder(population(
        *people, others=((outsider, None),))), people, DAY)
    assert first.flagged and first.score == 4.0
    assert [f.es for f in first.factors] == [
        "4 quejas en 12 meses: 2 por uso excesivo de la fuerza, 1 por abuso de autoridad, "
        "2 de otras categorías",
        "de ellas, 1 resuelta como fundada y 2 en trámite",
        "coacusado con 2 elementos, 1 con una queja fundada"]
    assert [f.en for f in first.factors] == [
        "4 complaints in 12 months: 2 of excessive force, 1 of abuse of authority, "
        "2 of other categories",
        "of them, 1 sustained and 2 pending",
        "co-accused with 2 officers, 1 with a sustained complaint"]


def test_words_for_one_complaint_and_nothing_pending() -> None:
    o = officer("o:1", complaint("k", 3, "abuse_of_authority", finding="unfounded",
                                 closed_days_before=1))
    [only] = reasons(ThresholdRule(1, 6), o, DAY)
    assert (only.es, only.en) == ("1 queja en 6 meses: 1 por abuso de autoridad",
                                  "1 complaint in 6 months: 1 of abuse of authority")
    assert ThresholdRule(1, 6).es == "regla de umbral: 1 o más quejas en 6 meses"
