"""The dashboard's sections made ready to draw: rows with their figures written out in the
reader's language, and the chart geometry (domain.dashboard_charts) that goes with them.

Shared by the signed-in dashboard and the public page; a withheld count (None) is written as
the word for "withheld" and gets no bar, so it is never mistaken for a zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from confianza.core.web import i18n, strings
from confianza.core.web.strings import dashboard as strings_dashboard
from confianza.dashboard.rules.charts import (
    ColumnChart,
    HBarChart,
    StackChart,
    column_chart,
    hbar_chart,
    stack_chart,
)
from confianza.dashboard.rules.public import PublicCentre, PublicExam, PublicLine
from confianza.dashboard.rules.suppression import Protected
from confianza.dashboard.rules.tallies import NO_STATE, CentreBacklog, ExamRate, OutcomeClass
from confianza.dashboard.rules.views import DashboardView
from confianza.registry.rules.geography import find_state

FIGURE = strings_dashboard.DASHBOARD_FIGURE


def text(key: str, **values: object) -> str:
    return strings.text(key, **values)


def count(value: int | None) -> str:
    return text("dashboard_withheld") if value is None else i18n.format_number(value)


def share(part: int | None, whole: int | None) -> str:
    if part is None or whole is None:
        return text("dashboard_withheld")
    return i18n.format_share(part, whole)


def state_label(code: str | None) -> str:
    if not code or code == NO_STATE:
        return text("dashboard_no_state")
    state = find_state(code)
    return state.name if state else code


@dataclass(frozen=True)
class Row:
    """One line of a chart and of its table."""

    label: str
    value: float | None  # what the bar's length shows; None: no bar
    text: str  # the figure written beside the bar
    href: str | None = None
    cells: tuple[str, ...] = ()  # the table's other columns
    current: bool = False  # the part of the force being viewed (the public page's state)


@dataclass(frozen=True)
class Chart:
    rows: tuple[Row, ...]
    geometry: HBarChart | ColumnChart | StackChart
    ticks: tuple[tuple[float, str], ...]  # (position, label)


def _share_tick(value: float) -> str:
    return i18n.format_share(round(value * 1000), 1000)


def bars(rows: Sequence[Row], *, shares: bool) -> Chart:
    geometry = hbar_chart([(r.label, r.value) for r in rows], integer=not shares)
    label: Callable[[float], str] = _share_tick if shares else i18n.format_number
    return Chart(tuple(rows), geometry, tuple((x, label(v)) for x, v in geometry.ticks))


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str
    share: str | None
    alert: bool = False


def figures(values: dict[str, int | None], officers: int | None,
            keys: Sequence[str] = strings_dashboard.DASHBOARD_FIGURES) -> list[Figure]:
    """The headline figures, each (but the total) with its share of the officers."""
    result = []
    for key in keys:
        value = values.get(key)
        ratio = (None if key == "officers" or value is None or officers is None
                 else text("dashboard_share_of", share=share(value, officers)))
        result.append(Figure(key, FIGURE[key], count(value), ratio,
                             key == "on_duty_uncertified"))
    return result


@dataclass(frozen=True)
class RankLine:
    """One state or agency of a ranking, before it is written out."""

    name: str
    uncertified: int | None
    officers: int | None
    href: str | None = None
    current: bool = False


def ranking(lines: Sequence[RankLine]) -> Chart:
    """Bars of the share on duty without valid certification, in the order given."""
    rows = []
    for line in lines:
        value: float | None = None
        if line.uncertified is not None and line.officers is not None:
            value = line.uncertified / line.officers if line.officers else 0.0
        rows.append(Row(line.name, value, share(line.uncertified, line.officers), line.href,
                        (count(line.officers), count(line.uncertified)), line.current))
    return bars(rows, shares=True)


def months(labels: Sequence[date], values: Sequence[int | None]) -> Chart:
    rows = tuple(Row(i18n.format_month(m), None if v is None else float(v), count(v))
                 for m, v in zip(labels, values, strict=True))
    geometry = column_chart(list(values))
    return Chart(rows, geometry, tuple((y, i18n.format_number(v)) for y, v in geometry.ticks))


def exams(rates: Sequence[ExamRate], withheld: Protected) -> Chart:
    """Stacked bars of exam outcomes: favourable, with reservations, adverse. A row with a
    withheld count draws no bar (its proportions would give the count back)."""
    rows, parts = [], []
    for i, rate in enumerate(rates):
        values = [None if hide else rate.part(kind)
                  for kind, hide in zip(OutcomeClass, withheld.cells[i], strict=True)]
        recorded = None if withheld.row_totals[i] else rate.recorded
        adverse_hidden = values[2] is None
        if recorded == 0:
            rate_text = "—"
        else:
            rate_text = share(None if adverse_hidden else rate.approving, recorded)
        rows.append(Row(strings.EV_EXAM_TYPE[rate.exam_type], None, rate_text, None,
                        (count(recorded), *(count(v) for v in values))))
        complete = recorded is not None and all(v is not None for v in values)
        parts.append([(kind.value, rate.part(kind)) for kind in OutcomeClass] if complete
                     else [])
    return Chart(tuple(rows), stack_chart(parts), ())


def public_exams(lines: Sequence[PublicExam]) -> Chart:
    rows, parts = [], []
    for line in lines:
        rate = line.approval_rate
        rate_text = share(line.approving, line.recorded) if line.recorded != 0 else "—"
        rows.append(Row(strings.EV_EXAM_TYPE[line.exam_type], rate, rate_text, None,
                        (count(line.recorded), count(line.approving), count(line.adverse))))
        complete = line.approving is not None and line.adverse is not None
        parts.append([("approving", line.approving or 0), ("adverse", line.adverse or 0)]
                     if complete else [])
    return Chart(tuple(rows), stack_chart(parts), ())


def _days_text(days: int | None, never: bool) -> str:
    if never:
        return text("dashboard_days_never")
    if days is None:
        return text("dashboard_withheld")
    return text("dashboard_day" if days == 1 else "dashboard_days",
                days=i18n.format_number(days))


def backlog(lines: Sequence[CentreBacklog]) -> Chart:
    rows = []
    for line in lines:
        centre = line.centre
        # The code first: centres' names share their beginnings and a chart label is cut short.
        name = f"{centre.code} {centre.name}" if centre else text("dashboard_no_centre")
        slowest = strings.EV_EXAM_TYPE[line.slowest] if line.slowest else "—"
        stages = tuple(i18n.format_number(n) for n in line.stages.values())
        rows.append(Row(name, None if line.days is None else float(line.days),
                        _days_text(line.days, line.days is None),
                        None, (*stages, i18n.format_number(line.pending_exams), slowest)))
    return bars(rows, shares=False)


def public_backlog(lines: Sequence[PublicCentre]) -> Chart:
    rows = []
    for line in lines:
        name = f"{line.code} {line.name}" if line.code else text("dashboard_no_centre")
        rows.append(Row(name, None if line.days is None else float(line.days),
                        _days_text(line.days, line.no_capacity), None, (count(line.requests),)))
    return bars(rows, shares=False)


def dashboard_headline(view: DashboardView) -> list[Figure]:
    h = view.headline
    return figures({k: getattr(h, k) for k in strings_dashboard.DASHBOARD_FIGURES}, h.officers)


def public_headline(line: PublicLine) -> list[Figure]:
    # Certified (approval and CUP in force) is not published: one more count across the
    # four groups would be one more total to protect, for little a visitor needs.
    keys = [k for k in strings_dashboard.DASHBOARD_FIGURES if k != "certified"]
    return figures({k: getattr(line, k) for k in keys}, line.officers, keys)
