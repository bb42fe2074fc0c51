"""The public coverage page's figures: national and per state, small counts withheld.

Every published measure is one national table with a row per state (the federal forces as a row
of their own), published with its totals. What to withhold is decided once per table, over the
whole table (domain.dashboard_suppression, ADR 0016): the national page and each state's page
show the same table's cells, so no two pages can be set side by side to undo a withheld count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from confianza.dashboard.rules.suppression import Protected, protect, shown
from confianza.dashboard.rules.tallies import (
    NO_STATE,
    CentreBacklog,
    Summary,
    backlog,
    exam_rates,
    expiries,
    total,
)
from confianza.dashboard.rules.views import state_lines
from confianza.registry.rules.geography import find_state
from confianza.vetting.rules.evaluations import ExamType

STANDING = ("approved", "expired", "not_approved", "never_evaluated")


@dataclass(frozen=True)
class PublicLine:
    """A state's (or the nation's) published figures; None where a count is withheld."""

    key: str
    name: str
    officers: int | None
    approved: int | None
    expired: int | None
    not_approved: int | None
    never_evaluated: int | None
    on_duty_uncertified: int | None

    @property
    def evaluated(self) -> int | None:
        if self.officers is None or self.never_evaluated is None:
            return None
        return self.officers - self.never_evaluated

    @property
    def uncertified_share(self) -> float | None:
        if self.officers is None or self.on_duty_uncertified is None or not self.officers:
            return None
        return self.on_duty_uncertified / self.officers


@dataclass(frozen=True)
class PublicExam:
    exam_type: ExamType
    recorded: int | None
    approving: int | None
    adverse: int | None

    @property
    def approval_rate(self) -> float | None:
        if self.recorded is None or self.approving is None or not self.recorded:
            return None
        return self.approving / self.recorded


@dataclass(frozen=True)
class PublicCentre:
    code: str | None  # None: requests that no centre can take
    name: str | None
    state_code: str | None
    requests: int | None
    days: int | None  # working days at the centre's capacity; None if withheld or never
    no_capacity: bool  # a pending exam type the centre gives none of


@dataclass(frozen=True)
class PublicTables:
    """The national tables of the public page, with the counts to withhold applied."""

    as_of: datetime
    lines: tuple[PublicLine, ...]  # one per state with officers, NO_STATE last
    national: PublicLine
    months: tuple[date, ...]
    month_rows: tuple[tuple[int | None, ...], ...]  # parallel to lines
    month_totals: tuple[int | None, ...]
    exams: tuple[tuple[PublicExam, ...], ...]  # parallel to lines: one per exam type
    exam_totals: tuple[PublicExam, ...]
    centres: tuple[PublicCentre, ...]
    requests: int | None  # open requests in the whole country


def _masked(values: Sequence[int], withheld: Sequence[bool]) -> list[int | None]:
    return [shown(v, h) for v, h in zip(values, withheld, strict=True)]


def linked(tables: Sequence[Sequence[Sequence[int]]]) -> list[Protected]:
    """Tables that share their row totals and grand total (the officers of each state and of
    the nation): whatever total one of them withholds, all of them withhold."""
    rows: set[int] = set()
    grand = False
    while True:
        results = [protect(t, withhold_rows=rows, withhold_grand=grand) for t in tables]
        now_rows = {i for p in results for i, h in enumerate(p.row_totals) if h}
        now_grand = any(p.grand_total for p in results)
        if now_rows == rows and now_grand == grand:
            return results
        rows, grand = now_rows, now_grand


def _line(key: str, name: str, officers: int | None, standing: Sequence[int | None],
          uncertified: int | None) -> PublicLine:
    approved, expired, not_approved, never = standing
    return PublicLine(key, name, officers, approved, expired, not_approved, never, uncertified)


def _lines(summary: Summary) -> tuple[tuple[PublicLine, ...], PublicLine, list[str]]:
    states = sorted(state_lines(summary), key=lambda g: (g.key == NO_STATE, g.key))
    standing = [[getattr(g.counts, f) for f in STANDING] for g in states]
    duty = [[g.counts.on_duty_uncertified, g.counts.officers - g.counts.on_duty_uncertified]
            for g in states]
    whole = total(summary.tallies)
    if not states:
        return (), PublicLine("", "", 0, 0, 0, 0, 0, 0), []
    kept, on_duty = linked([standing, duty])
    lines = tuple(
        _line(g.key, g.name, shown(g.counts.officers, kept.row_totals[i]),
              _masked(standing[i], kept.cells[i]), shown(duty[i][0], on_duty.cells[i][0]))
        for i, g in enumerate(states)
    )
    national = _line("", "", shown(whole.officers, kept.grand_total),
                     _masked([getattr(whole, f) for f in STANDING], kept.column_totals),
                     shown(whole.on_duty_uncertified, on_duty.column_totals[0]))
    return lines, national, [g.key for g in states]


def _exams(summary: Summary, parts: list[Summary]
           ) -> tuple[tuple[tuple[PublicExam, ...], ...], tuple[PublicExam, ...]]:
    rates = [exam_rates(p.exams) for p in parts]
    national = exam_rates(summary.exams)
    per_state: list[list[PublicExam]] = [[] for _ in parts]
    totals = []
    for t, exam_type in enumerate(ExamType):
        cells = [[r[t].approving, r[t].adverse] for r in rates]
        kept = protect(cells) if cells else Protected((), (), (False, False), False)
        for i, row in enumerate(cells):
            per_state[i].append(PublicExam(exam_type, shown(sum(row), kept.row_totals[i]),
                                           *_masked(row, kept.cells[i])))
        whole = national[t]
        totals.append(PublicExam(exam_type, shown(whole.recorded, kept.grand_total),
                                 *_masked([whole.approving, whole.adverse], kept.column_totals)))
    return tuple(tuple(p) for p in per_state), tuple(totals)


def public_centres(lines: Sequence[CentreBacklog]
                   ) -> tuple[tuple[PublicCentre, ...], int | None]:
    """Each centre's open requests beside the national total, and the working days they
    take; a withheld count withholds its days too."""
    counts = [line.requests for line in lines]
    requests = sum(counts)
    if not lines:
        return (), 0
    kept = protect([counts], column_totals=False)
    result = []
    for line, hidden in zip(lines, kept.cells[0], strict=True):
        centre = line.centre
        result.append(PublicCentre(
            centre.code if centre else None, centre.name if centre else None,
            centre.state_code if centre else None, shown(line.requests, hidden),
            None if hidden else line.days, line.days is None and not hidden,
        ))
    return tuple(result), shown(requests, kept.row_totals[0])


def public_tables(summary: Summary) -> PublicTables:
    """Every published table of the whole country, small counts withheld."""
    lines, national, keys = _lines(summary)
    parts = [summary.within(summary.agency_ids(key)) for key in keys]
    series = [[m.count for m in expiries(p)] for p in parts]
    nation = expiries(summary)
    kept = (protect(series, row_totals=False) if series
            else Protected((), (), tuple(False for _ in nation), False))
    exams, exam_totals = _exams(summary, parts)
    centres, requests = public_centres(backlog(summary))
    return PublicTables(
        summary.as_of, lines, national, tuple(m.month for m in nation),
        tuple(tuple(_masked(row, kept.cells[i])) for i, row in enumerate(series)),
        tuple(_masked([m.count for m in nation], kept.column_totals)),
        exams, exam_totals, centres, requests,
    )


@dataclass(frozen=True)
class PublicView:
    as_of: datetime
    state_code: str | None  # None: the nation
    headline: PublicLine
    states: tuple[PublicLine, ...]  # ranked by share on duty without certification
    months: tuple[date, ...]
    month_counts: tuple[int | None, ...]
    exams: tuple[PublicExam, ...]
    centres: tuple[PublicCentre, ...]
    requests: int | None  # open requests of the centres shown (national: the total)


def public_ranking(lines: Sequence[PublicLine]) -> tuple[PublicLine, ...]:
    """Largest published share first; the withheld last, by name."""
    shown_lines = [x for x in lines if x.uncertified_share is not None]
    withheld = [x for x in lines if x.uncertified_share is None]
    shown_lines.sort(key=lambda x: (-(x.uncertified_share or 0.0), x.name, x.key))
    withheld.sort(key=lambda x: (x.name, x.key))
    return tuple(shown_lines + withheld)


def public_view(tables: PublicTables, state_code: str | None) -> PublicView:
    """The nation's figures, or one state's row of every table."""
    ranking = public_ranking(tables.lines)
    if state_code is None:
        return PublicView(tables.as_of, None, tables.national, ranking, tables.months,
                          tables.month_totals, tables.exam_totals, tables.centres,
                          tables.requests)
    index = next((i for i, x in enumerate(tables.lines) if x.key == state_code), None)
    centres = tuple(c for c in tables.centres if c.state_code == state_code)
    # A centre's count stands on its own (no state total of requests is published).
    requests = None
    if index is None:  # no officers of this state in the registry: nothing to withhold
        state = find_state(state_code)
        empty = PublicLine(state_code, state.name if state else "", 0, 0, 0, 0, 0, 0)
        return PublicView(tables.as_of, state_code, empty, ranking, tables.months,
                          tuple(0 for _ in tables.months),
                          tuple(PublicExam(t, 0, 0, 0) for t in ExamType), centres, requests)
    return PublicView(tables.as_of, state_code, tables.lines[index], ranking, tables.months,
                      tables.month_rows[index], tables.exams[index], centres, requests)
