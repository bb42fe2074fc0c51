"""Assignment periods: the overlap rule that keeps an officer in one place at a time."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from confianza.core.errors import ErrorCollector
from confianza.registry.rules.assignments import check_period, first_overlap, periods_overlap

D = date(2020, 1, 1)


def test_end_date_is_exclusive() -> None:
    # A transfer effective 1 July ends the old posting that day and starts the new one.
    assert not periods_overlap(D, date(2020, 7, 1), date(2020, 7, 1), None)
    assert periods_overlap(D, date(2020, 7, 2), date(2020, 7, 1), None)
    assert periods_overlap(D, None, date(2030, 1, 1), None)


periods = st.lists(
    st.tuples(st.integers(0, 400), st.one_of(st.none(), st.integers(1, 100))), max_size=8
).map(lambda xs: [(D + timedelta(s), None if n is None else D + timedelta(s + n)) for s, n in xs])


@given(periods)
def test_first_overlap_agrees_with_the_pairwise_rule(ps: list[tuple[date, date | None]]) -> None:
    brute = any(
        periods_overlap(*ps[i], *ps[j]) for i in range(len(ps)) for j in range(i + 1, len(ps))
    )
    found = first_overlap(ps)
    assert (found is not None) == brute
    if found is not None:
        assert periods_overlap(*ps[found[0]], *ps[found[1]])


def test_check_period_names_every_problem() -> None:
    errors = ErrorCollector()
    check_period(date(2027, 1, 1), date(2026, 1, 1), date(2026, 11, 20), errors, "a.")
    assert [e.location for e in errors.errors] == ["a.start_date", "a.end_date"]
    errors = ErrorCollector()
    check_period(D, date(2030, 1, 1), date(2026, 11, 20), errors)
    assert [e.reason for e in errors.errors] == ["2030-01-01 is in the future"]
