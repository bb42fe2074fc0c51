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
    DISMISSAL = "dismissal"  # baja por destitución
    # renuncia (o jubilación) en lugar de destitución: left before a dismissal was decided
    IN_LIEU_OF_DISMISSAL = "in_lieu_of_dismissal"
    DEATH = "death"
    CORRECTION = "correction"
    IMPORT = "import"  # taken from another system without a stated reason


#: The reasons that end a person's service in a force, not only one posting of it (a transfer
#: or a promotion ends a posting and the career goes on).
SEPARATION_REASONS = frozenset({
    ChangeReason.SEPARATION, ChangeReason.RETIREMENT, ChangeReason.RESIGNATION,
    ChangeReason.DISMISSAL, ChangeReason.IN_LIEU_OF_DISMISSAL, ChangeReason.DEATH,
})


class PostingStatus(StrEnum):
    """Where a posting stands (ADR 0025). A leave keeps the posting open: the person comes
    back to it; a closed posting is separated, and its end reason says why."""

    ACTIVE = "active"  # en activo
    ON_LEAVE = "on_leave"  # licencia
    SEPARATED = "separated"  # baja (of this posting)


class PostingKind(StrEnum):
    """What sort of posting it is; only full-time postings exclude one another."""

    FULL_TIME = "full_time"  # the operational posting of a career
    TASK_FORCE = "task_force"  # comisión: a secondment to a task force, held beside it
    RESERVE = "reserve"
    PART_TIME = "part_time"


class EmploymentKind(StrEnum):
    """Whom the posting employs: rosters mix police with other staff."""

    SWORN = "sworn"  # policía
    CUSTODY = "custody"  # custodio penitenciario
    CIVILIAN = "civilian"  # personal administrativo
    PRIVATE_SECURITY = "private_security"  # seguridad privada


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
    status: PostingStatus = PostingStatus.ACTIVE
    kind: PostingKind = PostingKind.FULL_TIME
    employment: EmploymentKind = EmploymentKind.SWORN
    status_since: date | None = None  # the day a leave began or ended

    @property
    def exclusive(self) -> bool:
        """Whether the posting excludes another at the same time (a full-time one)."""
        return self.kind is PostingKind.FULL_TIME

    @property
    def separation_reason(self) -> ChangeReason | None:
        """Why the posting ended, when it has."""
        return self.end_reason if self.end_date is not None else None

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


def excludes(a: PostingKind, b: PostingKind) -> bool:
    """Whether postings of these kinds may not run at the same time: two full-time postings
    would put one officer in two forces at once; a task force, reserve or part-time posting
    runs beside anything."""
    return a is PostingKind.FULL_TIME and b is PostingKind.FULL_TIME


def first_clash(
    postings: list[tuple[date, date | None, PostingKind]],
) -> tuple[int, int] | None:
    """Indexes of the first two postings that overlap and exclude each other, or None."""
    exclusive = [i for i, p in enumerate(postings) if p[2] is PostingKind.FULL_TIME]
    pair = first_overlap([(postings[i][0], postings[i][1]) for i in exclusive])
    return None if pair is None else (exclusive[pair[0]], exclusive[pair[1]])

