"""Which record survives a merge, and what refuses one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from confianza.identities.rules.candidates import (
    MergeFacts,
    Posting,
    later_standing,
    merge_refusals,
    survivor,
)

EARLY, LATE = datetime(2010, 1, 1, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)


def facts(officer_id: int, *postings: Posting, curp: str | None = None,
          created: datetime = EARLY, evaluations: int = 0, certificates: int = 0) -> MergeFacts:
    return MergeFacts(officer_id, curp, created, postings, evaluations, certificates)


def test_the_record_with_a_curp_survives_else_the_older() -> None:
    old, new = facts(1), facts(2, curp="HEOJ840502HJCRRS09", created=LATE)
    assert survivor(old, new) == (new, old)
    assert survivor(facts(1, created=LATE), facts(2)) == (facts(2), facts(1, created=LATE))
    assert survivor(facts(3), facts(4))[0].officer_id == 3


def test_two_open_postings_refuse_the_merge_and_name_both() -> None:
    a = facts(1, Posting("JAL-SSP", date(2010, 1, 1), None))
    b = facts(2, Posting("GN", date(2015, 1, 1), None))
    [reason] = merge_refusals(a, b)
    assert "two open full-time postings" in reason and "JAL-SSP" in reason and "GN" in reason


def test_overlapping_closed_postings_refuse_and_consecutive_ones_do_not() -> None:
    a = facts(1, Posting("JAL-SSP", date(2010, 1, 1), date(2016, 1, 1)))
    overlapping = facts(2, Posting("GN", date(2015, 1, 1), None))
    after = facts(2, Posting("GN", date(2016, 1, 1), None))
    assert any("overlap" in r for r in merge_refusals(a, overlapping))
    assert merge_refusals(a, after) == []


def test_two_open_evaluations_or_current_certificates_refuse() -> None:
    assert len(merge_refusals(facts(1, evaluations=1, certificates=1),
                              facts(2, evaluations=1, certificates=1))) == 2
    assert merge_refusals(facts(1, evaluations=1), facts(2, certificates=1)) == []


def test_the_standing_with_the_later_decision_is_kept() -> None:
    assert later_standing(date(2024, 1, 1), date(2023, 1, 1))
    assert not later_standing(date(2023, 1, 1), date(2024, 1, 1))
    assert later_standing(None, None) and later_standing(date(2020, 1, 1), None)
    assert not later_standing(None, date(2020, 1, 1))
