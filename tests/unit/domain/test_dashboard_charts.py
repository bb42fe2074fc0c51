"""Chart geometry: round axes, bars in proportion, labels that fit, 100 % stacks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confianza.dashboard.rules.charts import (
    LABEL_CHARACTERS,
    WIDTH,
    axis,
    column_chart,
    hbar_chart,
    shorten,
    stack_chart,
)


@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False))
def test_the_axis_top_is_round_and_covers_the_largest_value(largest: float) -> None:
    scale = axis(largest)
    assert scale.top >= largest * (1 - 1e-9)
    assert scale.top < largest * 2.5 + 1e-9
    assert scale.ticks[0] == 0 and scale.ticks[-1] == pytest.approx(scale.top)
    assert 4 <= len(scale.ticks) - 1 <= 5


@pytest.mark.parametrize(("largest", "top"), [(0.37, 0.5), (0.2, 0.2), (7, 10), (3, 5),
                                              (1234, 2000), (0, 1.0)])
def test_axis_tops(largest: float, top: float) -> None:
    assert axis(largest, integer=largest >= 1).top == pytest.approx(top)


def test_an_integer_axis_never_has_fractional_ticks() -> None:
    assert axis(3, integer=True).ticks == (0, 1, 2, 3, 4, 5)


def test_bars_are_in_proportion_and_a_withheld_value_draws_none() -> None:
    chart = hbar_chart([("Jalisco", 0.5), ("Colima", 0.25), ("Nayarit", None)], top=1.0)
    jalisco, colima, nayarit = chart.bars
    assert jalisco.width == pytest.approx(2 * colima.width)
    assert jalisco.width == pytest.approx(chart.plot_width / 2)
    assert nayarit.value is None and nayarit.width == 0
    assert [b.y for b in chart.bars] == sorted(b.y for b in chart.bars)
    assert chart.plot_x + chart.plot_width < WIDTH
    assert all(b.text_x > chart.plot_x + b.width for b in chart.bars)


@pytest.mark.parametrize("name", [
    "Centro Estatal de Evaluación y Control de Confianza de Aguascalientes",
    "Policía Municipal de San Pedro Tlaquepaque del Estado de Jalisco",
])
def test_long_names_keep_both_ends_and_their_whole_name(name: str) -> None:
    chart = hbar_chart([(name, 1.0)])
    bar = chart.bars[0]
    assert len(bar.label) <= LABEL_CHARACTERS and "…" in bar.label
    assert bar.label.startswith(name.split()[0]) and bar.label.endswith(name.split()[-1])
    assert bar.title == name


def test_names_that_share_a_beginning_stay_apart() -> None:
    prefix = "Centro Estatal de Evaluación y Control de Confianza de "
    assert shorten(prefix + "Baja California") != shorten(prefix + "Baja California Sur")
    assert shorten("Colima") == "Colima"
    assert len(shorten("X" * 80)) == LABEL_CHARACTERS


def test_columns_stand_on_the_baseline_in_proportion() -> None:
    chart = column_chart([10, 20, 0, None])
    first, second, empty, withheld = chart.columns
    assert second.height == pytest.approx(2 * first.height)
    assert first.y + first.height == pytest.approx(chart.baseline)
    assert empty.height == 0 and withheld.value is None
    assert chart.ticks[0][1] == 0 and chart.ticks[-1][1] >= 20


def test_a_stack_fills_the_bar_with_its_parts_in_order() -> None:
    chart = stack_chart([[("favourable", 60), ("reservations", 30), ("adverse", 10)],
                         [], [("favourable", 0), ("adverse", 5)]])
    first, empty, only_adverse = chart.rows
    assert [s.kind for s in first.segments] == ["favourable", "reservations", "adverse"]
    assert sum(s.width for s in first.segments) == pytest.approx(chart.plot_width, abs=0.2)
    assert first.segments[1].x == pytest.approx(first.segments[0].x + first.segments[0].width,
                                                abs=0.1)
    assert empty.segments == ()
    assert [s.kind for s in only_adverse.segments] == ["adverse"]
