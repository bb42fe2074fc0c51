"""Careers as they are (ADR 0025): which postings may run together, and the status a person's
postings make."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from confianza.registry.rules.assignments import (
    SEPARATION_REASONS,
    ChangeReason,
    PostingKind,
    excludes,
    first_clash,
)
from confianza.registry.rules.officers import (
    SET_APART,
    STATUS_TRANSITIONS,
    OfficerStatus,
    status_from_postings,
)

FT, TF, RES, PT = (PostingKind.FULL_TIME, PostingKind.TASK_FORCE, PostingKind.RESERVE,
                   PostingKind.PART_TIME)


def test_only_two_full_time_postings_exclude_each_other() -> None:
    assert excludes(FT, FT)
    assert not any(excludes(a, b) for a in PostingKind for b in PostingKind
                   if PostingKind.FULL_TIME not in (a, b) or a is not b)


def test_a_task_force_beside_a_full_time_posting_is_no_clash_and_two_full_times_are() -> None:
    postings = [(date(2010, 1, 1), None, FT), (date(2015, 1, 1), None, TF),
                (date(2016, 1, 1), date(2018, 1, 1), RES)]
    assert first_clash(postings) is None
    # The clash names the postings by their place in the list given, not among the full-time.
    assert first_clash([*postings, (date(2017, 1, 1), None, FT)]) == (0, 3)
    # A full-time posting that ends the day the next begins does not overlap it.
    assert first_clash([(date(2010, 1, 1), date(2012, 1, 1), FT),
                        (date(2012, 1, 1), None, FT)]) is None


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 200) | st.none(),
                          st.sampled_from(list(PostingKind))), max_size=8))
def test_a_clash_is_always_two_overlapping_full_time_postings(
    raw: list[tuple[int, int | None, PostingKind]]
) -> None:
    base = date(2010, 1, 1).toordinal()
    postings = [(date.fromordinal(base + start),
                 None if length is None else date.fromordinal(base + start + length), kind)
                for start, length, kind in raw]
    spans = [(base + start, base + start + length if length else 10**9, kind)
             for start, length, kind in raw]
    full = [(a, b) for a, b, kind in spans if kind is FT]
    overlapping = any(a[0] < b[1] and b[0] < a[1]
                      for i, a in enumerate(full) for b in full[i + 1:])
    clash = first_clash(postings)
    assert (clash is not None) == overlapping
    if clash is not None:
        assert postings[clash[0]][2] is FT and postings[clash[1]][2] is FT


def test_the_person_follows_the_postings_unless_set_apart() -> None:
    for status in OfficerStatus:
        for posted in (False, True):
            for open_posting in (False, True) if posted else (False,):
                derived = status_from_postings(status, posted=posted, open_posting=open_posting)
                if status in SET_APART or not posted:
                    assert derived is status  # a suspension, a death, an applicant stay
                else:
                    assert derived is (OfficerStatus.ACTIVE if open_posting
                                       else OfficerStatus.SEPARATED)
                # Whatever the postings say, a derived status is one the person may reach.
                assert derived is status or derived in STATUS_TRANSITIONS[status]


def test_dismissal_and_resignation_in_lieu_of_it_are_separations() -> None:
    assert {ChangeReason.DISMISSAL, ChangeReason.IN_LIEU_OF_DISMISSAL} <= SEPARATION_REASONS
    assert not {ChangeReason.TRANSFER, ChangeReason.PROMOTION,
                ChangeReason.REASSIGNMENT} & SEPARATION_REASONS
