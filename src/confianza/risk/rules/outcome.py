"""The adverse outcome the model predicts, and the span it looks at.

By default: a sustained finding, in a serious category of the allegation catalogue, in a
complaint about something that happened in the 12 months after the as-of day (the day itself
excluded: the features end on it, the outcome starts the day after, so the two never overlap).
The label reads the final finding whenever the case closed: it is what we want to foresee, and
it is only ever read for days the data covers to the end of the window.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from confianza.risk.rules.history import OfficerHistory

#: The serious categories: every key of the allegation catalogue but "other" (operational
#: violations, traffic, notifications, pending allegations and the like). Chicago's file maps
#: its own categories onto these keys (integrity/mappings/chicago-accused.toml).
SERIOUS = frozenset({
    "use_of_force", "abuse_of_authority", "bribery", "extortion", "organised_crime", "theft",
    "drug_use", "leaking_information",
})


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class OutcomeDefinition:
    """What counts as the adverse outcome, and over how many months after the as-of day."""

    categories: frozenset[str] = SERIOUS
    months: int = 12

    def window(self, as_of: date) -> tuple[date, date]:
        """The outcome's days, both inclusive: the day after `as_of` to `months` later."""
        return as_of + timedelta(days=1), add_months(as_of, self.months)

    def happens(self, officer: OfficerHistory, as_of: date) -> bool:
        first, last = self.window(as_of)
        return any(first <= c.happened <= last and c.sustained_categories & self.categories
                   for c in officer.complaints)

    def describe(self) -> str:
        return (f"a sustained finding in a complaint of a serious category "
                f"({', '.join(sorted(self.categories))}) about something that happened in "
                f"the {self.months} months after the as-of day")
