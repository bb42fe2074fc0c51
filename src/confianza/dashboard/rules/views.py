"""The dashboard as a signed-in reader sees it: the view of one part of the force (the
nation, a state, an agency), put together from a `Summary` without touching the database.
The public view, whose counts pass through small-count suppression, is domain.dashboard_public.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from confianza.dashboard.rules.suppression import THRESHOLD, Protected, protect
from confianza.dashboard.rules.tallies import (
    AgencyInfo,
    CentreBacklog,
    Counts,
    ExamRate,
    GroupLine,
    MonthCount,
    OutcomeClass,
    Summary,
    backlog,
    by_agency,
    by_state,
    exam_rates,
    expiries,
    ranked,
    total,
)
from confianza.registry.rules.geography import find_state


class Level(StrEnum):
    NATIONAL = "national"
    STATE = "state"
    AGENCY = "agency"


def state_lines(summary: Summary) -> list[GroupLine]:
    """One line per state with officers (NO_STATE: the federal forces, named by the page)."""
    lines = []
    for code, counts in by_state(summary).items():
        state = find_state(code)
        lines.append(GroupLine(code, state.name if state else "", counts))
    return lines


@dataclass(frozen=True)
class DashboardView:
    """One part of the force: the nation, a state, or an agency."""

    level: Level
    state_code: str | None
    agency: AgencyInfo | None
    as_of: datetime
    headline: Counts
    groups: tuple[GroupLine, ...]  # ranked: states (national), agencies (state), none (agency)
    months: tuple[MonthCount, ...]
    exams: tuple[ExamRate, ...]
    exams_withheld: Protected  # rows: exam types; cells: favourable, reservations, adverse
    backlog: tuple[CentreBacklog, ...]
    #: The civil day of `as_of` where the system is deployed.
    today: date

    def rate_withheld(self, index: int) -> bool:
        """An approval rate gives the adverse count back when the number recorded is shown."""
        return (self.exams_withheld.cells[index][2]
                or self.exams_withheld.row_totals[index])


def exam_mask(rates: Sequence[ExamRate], in_full: bool) -> Protected:
    """Which exam-outcome counts to withhold from a reader who may not see exam results:
    small counts could name the one officer of an agency who failed a polygraph."""
    cells = [[r.part(k) for k in OutcomeClass] for r in rates]
    if in_full:
        return Protected(tuple(tuple(False for _ in row) for row in cells),
                         tuple(False for _ in cells), tuple(False for _ in OutcomeClass), False)
    return protect(cells, THRESHOLD)


def compose(summary: Summary, level: Level, state_code: str | None, agency: AgencyInfo | None,
            *, exams_in_full: bool) -> DashboardView:
    """The view of the agencies in `summary` (already narrowed to the part shown)."""
    if level is Level.NATIONAL:
        groups = ranked(state_lines(summary))
    elif level is Level.STATE:
        groups = ranked(by_agency(summary))
    else:
        groups = []
    rates = exam_rates(summary.exams)
    return DashboardView(
        level, state_code, agency, summary.as_of, total(summary.tallies), tuple(groups),
        tuple(expiries(summary)), tuple(rates), exam_mask(rates, exams_in_full),
        tuple(backlog(summary)), summary.today,
    )
