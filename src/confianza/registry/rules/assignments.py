"""Assignments (adscripciones): where an officer served, with which rank, from when to when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from confianza.core.errors import ErrorCollector


class ChangeReason(StrEnum):
    """Why an assignment began or ended; the registry keeps the reason for every change."""

    APPOINTMENT = "appointment"  # ingreso
    TRANSFER = "transfer"  # cambio de adscripción
    PROMOTION = "promotion"  # ascenso
    DEMOTION = "demotion"
    REASSIGNMENT = "reassignment"  # same agency, another unit
    MERGER = "merger"  # the agency was merged into another
    SEPARATION = "separation"  # baja
    RETIREMENT = "retirement"
    RESIGNATION = "resignation"
    DEATH = "death"
    CORRECTION = "correction"
    IMPORT = "import"  # taken from another system without a stated reason


@dataclass(frozen=True)
class Assignment:
    id: int
    officer_id: int
    agency_id: int
    unit_id: int | None
    rank: str
    start_date: date
    end_date: date | None
    start_reason: ChangeReason
    end_reason: ChangeReason | None

    def overlaps(self, start: date, end: date | None) -> bool:
        return periods_overlap(self.start_date, self.end_date, start, end)


def holding_postings(assignments: Sequence[Assignment]) -> list[Assignment]:
    """The postings whose agencies hold an officer's record: the open ones, or else the latest
    (a separated officer stays with the agency that separated them); none for an applicant,
    who was never posted and is held by the agency that asked to evaluate them."""
    open_now = [a for a in assignments if a.end_date is None]
    if open_now or not assignments:
        return open_now
    return [max(assignments, key=lambda a: (a.start_date, a.id))]


def periods_overlap(
    a_start: date, a_end: date | None, b_start: date, b_end: date | None
) -> bool:
    """Whether two periods share a day. End dates are exclusive: the day a transfer takes effect
    is the first day of the new assignment and no longer a day of the old one."""
    a_stop = a_end or date.max
    b_stop = b_end or date.max
    return a_start < b_stop and b_start < a_stop


def check_period(
    start: date, end: date | None, today: date, errors: ErrorCollector, prefix: str = ""
) -> None:
    if start > today:
        errors.add(f"{prefix}start_date", f"{start.isoformat()} is in the future")
    if end is not None:
        if end <= start:
            errors.add(f"{prefix}end_date", "must be after the start date")
        if end > today:
            errors.add(f"{prefix}end_date", f"{end.isoformat()} is in the future")


def first_overlap(
    periods: list[tuple[date, date | None]],
) -> tuple[int, int] | None:
    """Indexes of the first two periods that overlap, or None; O(n log n)."""
    order = sorted(range(len(periods)), key=lambda i: periods[i][0])
    for left, right in zip(order, order[1:], strict=False):
        if periods_overlap(*periods[left], *periods[right]):
            return (left, right)
    return None
