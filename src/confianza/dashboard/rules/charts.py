"""Where the dashboard's charts put things: pure geometry for server-drawn SVG.

The pages draw their charts as inline SVG (no script library: the CSP allows none inline, and a
chart should show without script). This module turns values into coordinates in a fixed
viewBox; the templates scale the drawing to the page's width and write the numbers (formatted in
the reader's language) beside every bar, so nothing is told by colour or length alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import floor, log10

WIDTH = 640  # the viewBox width of every chart
LABEL_WIDTH = 240  # the names column of the horizontal charts
VALUE_WIDTH = 120  # room right of the longest bar for its figure
ROW = 26  # one horizontal bar and the gap below it
BAR = 18
AXIS = 22  # the tick labels above the horizontal charts
LABEL_CHARACTERS = 34  # about what fits in LABEL_WIDTH at the chart's text size

# Nice axis tops: each mantissa and how many equal steps divide it.
_STEPS = ((1.0, 5), (2.0, 4), (2.5, 5), (5.0, 5), (10.0, 5))


def _round(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True)
class Axis:
    top: float
    ticks: tuple[float, ...]


def axis(largest: float, *, integer: bool = False) -> Axis:
    """A scale from 0 to a round number at least `largest` (1, 2, 2.5 or 5 times a power of
    ten), with four or five equal steps. An integer axis has whole steps (its top is at least
    5), so a count of 3 is not drawn against ticks of 0.6."""
    if integer:
        largest = max(largest, 5)
    if largest <= 0:
        return Axis(1.0, (0.0, 0.2, 0.4, 0.6, 0.8, 1.0))
    power = 10 ** floor(log10(largest))
    for mantissa, steps in _STEPS:
        top = mantissa * power
        if top >= largest * (1 - 1e-12):
            return Axis(top, tuple(top * i / steps for i in range(steps + 1)))
    raise AssertionError("unreachable: the last mantissa is 10")


def shorten(text: str, limit: int = LABEL_CHARACTERS) -> str:
    """A label that fits its column, cut in the middle at words: names of agencies and centres
    share their beginnings ("Policía Municipal de …", "Centro Estatal de …") and differ at
    their ends, so both ends are kept."""
    if len(text) <= limit:
        return text
    words = text.split()
    head, tail = [words[0]], [words[-1]]
    rest = words[1:-1]
    # Keep the end first (it tells names apart), then whatever of the start still fits.
    while rest and len(" ".join([*head, "…", rest[-1], *tail])) <= limit:
        tail.insert(0, rest.pop())
    while rest and len(" ".join([*head, rest[0], "…", *tail])) <= limit:
        head.append(rest.pop(0))
    shortened = " ".join([*head, "…", *tail])
    if len(shortened) > limit:  # a single long word: cut it
        return text[: limit - 1] + "…"
    return shortened


@dataclass(frozen=True)
class HBar:
    index: int  # position in the values the chart was drawn from
    label: str  # as drawn (perhaps shortened)
    title: str  # the whole label, for the tooltip and screen readers
    value: float | None  # None: not shown (a hidden count); no bar is drawn
    y: float
    width: float
    text_x: float  # where the figure beside the bar starts
    text_y: float


@dataclass(frozen=True)
class HBarChart:
    bars: tuple[HBar, ...]
    width: int
    height: float
    plot_x: int
    plot_width: int
    axis_y: float
    ticks: tuple[tuple[float, float], ...]  # (x, value)
    bar_height: int


def hbar_chart(items: Sequence[tuple[str, float | None]], *, top: float | None = None,
               integer: bool = False) -> HBarChart:
    """Horizontal bars, one per (label, value), in the order given, on a common scale."""
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    scale = axis(top if top is not None else max((v or 0 for _, v in items), default=0),
                 integer=integer)
    bars = []
    for i, (label, value) in enumerate(items):
        y = AXIS + i * ROW
        width = plot_width * (value or 0) / scale.top
        bars.append(HBar(i, shorten(label), label, value, _round(y), _round(width),
                         _round(LABEL_WIDTH + width + 6), _round(y + BAR * 0.75)))
    ticks = tuple((_round(LABEL_WIDTH + plot_width * t / scale.top), t) for t in scale.ticks)
    return HBarChart(tuple(bars), WIDTH, _round(AXIS + len(items) * ROW), LABEL_WIDTH,
                     plot_width, AXIS - 6, ticks, BAR)


@dataclass(frozen=True)
class Column:
    index: int
    value: int | None
    x: float
    width: float
    y: float
    height: float
    centre: float  # the middle of the column: its month label and its figure


@dataclass(frozen=True)
class ColumnChart:
    columns: tuple[Column, ...]
    width: int
    height: int
    plot_x: int
    plot_right: int
    baseline: int
    top_y: int
    ticks: tuple[tuple[float, float], ...]  # (y, value)


def column_chart(values: Sequence[int | None], *, height: int = 260) -> ColumnChart:
    """Vertical columns over time (a time series), on an integer scale from zero."""
    plot_x, plot_right, top_y, baseline = 56, WIDTH - 8, 28, height - 40
    scale = axis(max((v or 0 for v in values), default=0), integer=True)
    span = baseline - top_y
    slot = (plot_right - plot_x) / max(len(values), 1)
    columns = []
    for i, value in enumerate(values):
        tall = span * (value or 0) / scale.top
        x = plot_x + i * slot + slot * 0.15
        columns.append(Column(i, value, _round(x), _round(slot * 0.7), _round(baseline - tall),
                              _round(tall), _round(plot_x + (i + 0.5) * slot)))
    ticks = tuple((_round(baseline - span * t / scale.top), t) for t in scale.ticks)
    return ColumnChart(tuple(columns), WIDTH, height, plot_x, plot_right, baseline, top_y, ticks)


@dataclass(frozen=True)
class Segment:
    kind: str
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class StackRow:
    index: int
    y: float
    segments: tuple[Segment, ...]  # the parts with a value, left to right
    text_y: float


@dataclass(frozen=True)
class StackChart:
    rows: tuple[StackRow, ...]
    width: int
    height: float
    plot_x: int
    plot_width: int
    text_x: int
    bar_height: int


def stack_chart(rows: Sequence[Sequence[tuple[str, int]]]) -> StackChart:
    """One bar per row, split into its parts as shares of the row's whole (100 % bars)."""
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    drawn = []
    for i, parts in enumerate(rows):
        whole = sum(v for _, v in parts)
        x = float(LABEL_WIDTH)
        segments = []
        for kind, value in parts:
            if value <= 0 or whole <= 0:
                continue
            width = plot_width * value / whole
            segments.append(Segment(kind, value, _round(x), _round(width)))
            x += width
        y = AXIS + i * ROW
        drawn.append(StackRow(i, _round(y), tuple(segments), _round(y + BAR * 0.75)))
    return StackChart(tuple(drawn), WIDTH, _round(AXIS + len(rows) * ROW), LABEL_WIDTH,
                      plot_width, LABEL_WIDTH + plot_width + 6, BAR)
