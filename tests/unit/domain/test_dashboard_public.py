"""The public figures: no count from 1 to 9 on any page, and the national page and every
state's page withholding the same counts (so that pages cannot be set side by side)."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from typing import Any

from confianza.dashboard.rules.public import public_tables, public_view
from confianza.dashboard.rules.suppression import THRESHOLD
from confianza.dashboard.rules.tallies import (
    AgencyInfo,
    AgencyTally,
    CentreInfo,
    Counts,
    ExamTally,
    OpenTally,
    PendingTally,
    Stage,
    Summary,
)
from confianza.vetting.rules.evaluations import ExamType

NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
ALL = dict.fromkeys(ExamType, 5)


def world() -> Summary:
    """Jalisco and Nuevo León with large forces, Colima with a tiny one, and the federal
    forces; a few not-approved officers and adverse exams here and there."""
    agencies = (AgencyInfo(1, "JAL", "Jalisco SSP", "14"),
                AgencyInfo(2, "NL", "Fuerza Civil", "19"),
                AgencyInfo(3, "COL", "Colima SSP", "06"), AgencyInfo(4, "GN", "Guardia", None))
    tallies = (
        AgencyTally(1, Counts(500, 420, 40, 3, 37, 400, 90), (30,) * 6 + (4,) * 6),
        AgencyTally(2, Counts(300, 250, 30, 12, 8, 240, 60), (20,) * 12),
        AgencyTally(3, Counts(7, 5, 1, 0, 1, 5, 2), (1,) + (0,) * 11),
        AgencyTally(4, Counts(900, 800, 60, 25, 15, 780, 120), (70,) * 12),
    )
    exams = (
        ExamTally(1, ExamType.TOXICOLOGY, "negative", 200), ExamTally(1, ExamType.TOXICOLOGY,
                                                                      "positive", 4),
        ExamTally(2, ExamType.TOXICOLOGY, "negative", 150), ExamTally(2, ExamType.TOXICOLOGY,
                                                                      "positive", 20),
        ExamTally(3, ExamType.TOXICOLOGY, "negative", 3),
        ExamTally(4, ExamType.TOXICOLOGY, "negative", 400), ExamTally(4, ExamType.TOXICOLOGY,
                                                                      "positive", 30),
    )
    centres = (CentreInfo(1, "C3-JAL", "Jalisco", "14", True, ALL),
               CentreInfo(2, "C3-COL", "Colima", "06", True, ALL),
               CentreInfo(3, "C3-FED", "Federal", None, True, ALL))
    return Summary(NOW, NOW.date(), agencies, tallies, exams,
                   (OpenTally(1, None, Stage.AWAITING_SCHEDULE, 40),
                    OpenTally(3, None, Stage.AWAITING_SCHEDULE, 2),
                    OpenTally(4, 3, Stage.IN_EXAMS, 60)),
                   (PendingTally(1, None, ExamType.MEDICAL, 40),
                    PendingTally(3, None, ExamType.MEDICAL, 2),
                    PendingTally(4, 3, ExamType.MEDICAL, 60)),
                   centres)


def counts_in(value: Any, *, skip: frozenset[str] = frozenset({"days"})) -> list[int]:
    """Every int published in a view (working days are not counts of people)."""
    found: list[int] = []
    if isinstance(value, bool):
        return found
    if isinstance(value, int):
        return [value]
    if is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if f.name not in skip and f.name not in ("as_of", "months"):
                found += counts_in(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            found += counts_in(item)
    return found


def test_no_page_shows_a_count_below_the_threshold() -> None:
    tables = public_tables(world())
    for state in (None, "14", "19", "06", "01"):
        shown = counts_in(public_view(tables, state))
        assert shown, state
        assert [v for v in shown if 0 < v < THRESHOLD] == [], state


def test_the_tiny_state_is_withheld_whole_and_its_neighbours_keep_the_totals_safe() -> None:
    tables = public_tables(world())
    colima = public_view(tables, "06").headline
    assert colima.officers is None and colima.on_duty_uncertified is None
    assert colima.evaluated is None and colima.uncertified_share is None
    national = public_view(tables, None).headline
    assert national.officers == 1707
    # The national total is shown, so Colima's 7 must not be the only withheld state total.
    withheld = [line.key for line in tables.lines if line.officers is None]
    assert len(withheld) >= 2


def test_a_state_page_shows_the_cells_of_the_national_table() -> None:
    tables = public_tables(world())
    for line in tables.lines:
        if line.key == "--":
            continue
        view = public_view(tables, line.key)
        assert view.headline == line
        assert line in view.states
    ranking = public_view(tables, None).states
    shares = [x.uncertified_share for x in ranking if x.uncertified_share is not None]
    assert shares == sorted(shares, reverse=True)
    assert all(x.uncertified_share is None for x in ranking[len(shares):])


def test_small_exam_and_month_counts_are_withheld_with_their_complements() -> None:
    tables = public_tables(world())
    jalisco = public_view(tables, "14")
    toxicology = jalisco.exams[list(ExamType).index(ExamType.TOXICOLOGY)]
    assert toxicology.adverse is None and toxicology.approval_rate is None
    assert None in jalisco.month_counts  # the months with 4 expiring
    colima = public_view(tables, "06")
    assert colima.centres[0].requests is None and colima.centres[0].days is None


def test_an_empty_state_shows_zeros() -> None:
    view = public_view(public_tables(world()), "32")
    assert view.headline.officers == 0 and view.centres == ()
