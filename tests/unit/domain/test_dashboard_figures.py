"""The dashboard's pure rules: month buckets, roll-ups, exam outcome classes, working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confianza.dashboard.rules.tallies import (
    MONTHS_AHEAD,
    AgencyInfo,
    AgencyTally,
    CentreInfo,
    Counts,
    ExamTally,
    OpenTally,
    OutcomeClass,
    PendingTally,
    Stage,
    Summary,
    backlog,
    bucket_of,
    by_state,
    exam_rates,
    expiries,
    expiry_bounds,
    outcome_class,
    ranked,
    serving_centre,
    total,
    window_start,
    working_days,
)
from confianza.dashboard.rules.views import Level, compose
from confianza.vetting.rules.evaluations import OUTCOMES, ExamType

NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
TODAY = NOW.date()
ALL = dict.fromkeys(ExamType, 4)


def counts(officers: int, approved: int, uncertified: int) -> Counts:
    rest = officers - approved
    return Counts(officers, approved, rest // 2, 0, rest - rest // 2, approved // 2, uncertified)


def summary(**parts: object) -> Summary:
    values: dict[str, object] = {"as_of": NOW, "today": TODAY, "agencies": (), "tallies": (),
                                 "exams": (),
                                 "open": (), "pending": (), "centres": ()}
    values.update(parts)
    return Summary(**values)  # type: ignore[arg-type]


# Months ---------------------------------------------------------------------------------


def test_the_buckets_run_from_today_to_the_first_day_of_the_thirteenth_month() -> None:
    bounds = expiry_bounds(TODAY)
    assert len(bounds) == MONTHS_AHEAD + 1
    assert bounds[0] == TODAY
    assert bounds[1] == date(2026, 12, 1)
    assert bounds[2] == date(2027, 1, 1)
    assert bounds[-1] == date(2027, 11, 1)


@given(st.dates(date(2020, 1, 1), date(2035, 12, 31)), st.integers(-400, 800))
def test_a_day_falls_in_the_bucket_whose_bounds_hold_it(today: date, offset: int) -> None:
    day = today + timedelta(days=offset)
    bounds = expiry_bounds(today)
    index = bucket_of(today, day)
    if index is None:
        assert day < bounds[0] or day >= bounds[-1]
    else:
        assert bounds[index] <= day < bounds[index + 1]


def test_an_approval_that_ended_yesterday_is_expired_not_expiring() -> None:
    assert bucket_of(TODAY, TODAY - timedelta(days=1)) is None
    assert bucket_of(TODAY, TODAY) == 0
    assert bucket_of(TODAY, date(2026, 11, 30)) == 0
    assert bucket_of(TODAY, date(2026, 12, 1)) == 1


def test_the_exam_window_is_the_same_day_a_year_before() -> None:
    assert window_start(TODAY) == date(2025, 11, 20)
    assert window_start(date(2024, 2, 29)) == date(2023, 2, 28)


def test_expiries_add_the_agencies_month_by_month() -> None:
    first = AgencyTally(1, counts(10, 8, 2), tuple(range(12)))
    second = AgencyTally(2, counts(5, 5, 0), (1,) * 12)
    months = expiries(summary(tallies=(first, second)))
    assert [m.month for m in months[:3]] == [date(2026, 11, 1), date(2026, 12, 1),
                                             date(2027, 1, 1)]
    assert [m.count for m in months] == [i + 1 for i in range(12)]


# Counts and roll-ups ------------------------------------------------------------------------


def test_the_four_groups_must_add_up_to_the_officers() -> None:
    with pytest.raises(ValueError, match="add up"):
        Counts(10, 5, 2, 1, 1, 0, 0)


def test_totals_and_states_roll_up_the_agencies() -> None:
    agencies = (AgencyInfo(1, "JAL-SSP", "Jalisco SSP", "14"),
                AgencyInfo(2, "GDL", "Guadalajara", "14"), AgencyInfo(3, "GN", "GN", None))
    tallies = (AgencyTally(1, counts(10, 8, 3), (0,) * 12),
               AgencyTally(2, counts(20, 10, 12), (0,) * 12),
               AgencyTally(3, counts(7, 7, 1), (0,) * 12))
    whole = summary(agencies=agencies, tallies=tallies)
    assert total(tallies).officers == 37
    states = by_state(whole)
    assert states["14"].officers == 30 and states["14"].on_duty_uncertified == 15
    assert states["--"].officers == 7
    assert whole.agency_ids("14") == frozenset({1, 2})
    assert whole.within(frozenset({3})).tallies == (tallies[2],)


def test_the_ranking_puts_the_largest_share_first() -> None:
    agencies = tuple(AgencyInfo(i, f"A{i}", name, "14") for i, name in
                     ((1, "Zapopan"), (2, "Tonalá"), (3, "Tlaquepaque")))
    tallies = (AgencyTally(1, counts(100, 90, 10), (0,) * 12),
               AgencyTally(2, counts(10, 5, 5), (0,) * 12),
               AgencyTally(3, counts(20, 10, 10), (0,) * 12))
    view = compose(summary(agencies=agencies, tallies=tallies), Level.STATE, "14", None,
                   exams_in_full=True)
    # 50 % twice (ties by name), then 10 %.
    assert [g.name for g in view.groups] == ["Tlaquepaque", "Tonalá", "Zapopan"]
    assert [g.name for g in ranked(view.groups)] == [g.name for g in view.groups]


# Exams ------------------------------------------------------------------------------------


@pytest.mark.parametrize("exam_type", list(ExamType))
def test_the_first_outcome_is_favourable_the_last_adverse(exam_type: ExamType) -> None:
    values = OUTCOMES[exam_type]
    assert outcome_class(exam_type, values[0]) is OutcomeClass.FAVOURABLE
    assert outcome_class(exam_type, values[-1]) is OutcomeClass.ADVERSE
    for middle in values[1:-1]:
        assert outcome_class(exam_type, middle) is OutcomeClass.RESERVATIONS


def test_an_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="not an outcome"):
        outcome_class(ExamType.MEDICAL, "negative")


def test_exam_rates_count_reservations_as_approving() -> None:
    rates = exam_rates([
        ExamTally(1, ExamType.POLYGRAPH, "no_significant_reaction", 80),
        ExamTally(2, ExamType.POLYGRAPH, "inconclusive", 10),
        ExamTally(1, ExamType.POLYGRAPH, "significant_reaction", 10),
    ])
    polygraph = next(r for r in rates if r.exam_type is ExamType.POLYGRAPH)
    assert (polygraph.recorded, polygraph.approving, polygraph.adverse) == (100, 90, 10)
    assert polygraph.approval_rate == pytest.approx(0.9)
    assert [r.exam_type for r in rates] == list(ExamType)
    assert next(r for r in rates if r.exam_type is ExamType.MEDICAL).approval_rate is None


def test_a_reader_without_exam_results_sees_small_outcome_counts_withheld() -> None:
    tallies = (ExamTally(1, ExamType.TOXICOLOGY, "negative", 40),
               ExamTally(1, ExamType.TOXICOLOGY, "positive", 1))
    whole = summary(exams=tallies)
    full = compose(whole, Level.AGENCY, "14", None, exams_in_full=True)
    kept = compose(whole, Level.AGENCY, "14", None, exams_in_full=False)
    assert not any(any(row) for row in full.exams_withheld.cells)
    toxicology = list(ExamType).index(ExamType.TOXICOLOGY)
    assert kept.exams_withheld.cells[toxicology][2]  # the one positive
    assert kept.rate_withheld(toxicology)


# Backlog ----------------------------------------------------------------------------------


def test_working_days_follow_the_slowest_exam() -> None:
    pending = {ExamType.TOXICOLOGY: 9, ExamType.POLYGRAPH: 9}
    capacity = {ExamType.TOXICOLOGY: 10, ExamType.POLYGRAPH: 2}
    assert working_days(pending, capacity) == (5, ExamType.POLYGRAPH)
    assert working_days({}, capacity) == (0, None)


def test_a_pending_exam_the_centre_never_gives_never_clears() -> None:
    assert working_days({ExamType.MEDICAL: 1}, {ExamType.MEDICAL: 0}) == (None, ExamType.MEDICAL)


def test_a_request_not_yet_booked_waits_at_its_state_centre() -> None:
    centres = (CentreInfo(1, "C3-JAL", "Jalisco", "14", True, ALL),
               CentreInfo(2, "C3-FED", "Federal", None, True, ALL),
               CentreInfo(3, "C3-NL", "Nuevo León", "19", False, ALL))
    assert serving_centre("14", centres) == centres[0]
    assert serving_centre(None, centres) == centres[1]
    assert serving_centre("19", centres) is None  # closed
    agencies = (AgencyInfo(10, "JAL", "Jalisco", "14"), AgencyInfo(11, "NL", "NL", "19"))
    whole = summary(
        agencies=agencies, centres=centres,
        open=(OpenTally(10, None, Stage.AWAITING_SCHEDULE, 6),
              OpenTally(10, 1, Stage.IN_EXAMS, 2),
              OpenTally(11, None, Stage.AWAITING_SCHEDULE, 1)),
        pending=(PendingTally(10, None, ExamType.MEDICAL, 6),
                 PendingTally(10, 1, ExamType.MEDICAL, 2),
                 PendingTally(11, None, ExamType.MEDICAL, 1)),
    )
    lines = backlog(whole)
    # The request nobody can take comes first: it never clears.
    assert lines[0].centre is None and lines[0].days is None and lines[0].requests == 1
    jalisco = lines[1]
    assert jalisco.centre == centres[0]
    assert jalisco.stages[Stage.AWAITING_SCHEDULE] == 6 and jalisco.requests == 8
    assert jalisco.pending == {ExamType.MEDICAL: 8}
    assert (jalisco.days, jalisco.slowest) == (2, ExamType.MEDICAL)
