"""What the dashboard's use cases need of storage, declared on their side (ADR 0022).

The repositories implement these Protocols structurally; the use cases name only them, so
a service never imports persistence, and a test double or another store can stand in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from confianza.dashboard.rules.tallies import (
    AgencyInfo,
    AgencyTally,
    CentreInfo,
    ExamTally,
    OpenTally,
    PendingTally,
)


class DashboardStore(Protocol):
    """What the use cases need of `tx.dashboard`; implemented by
    `dashboard.repository.DashboardRepository`."""

    def agencies(
        self, *, state_code: str | None = None, agency_id: int | None = None
    ) -> list[AgencyInfo]: ...

    def centres(self) -> list[CentreInfo]: ...

    def exam_tallies(
        self, *, since: datetime, state_code: str | None = None, agency_id: int | None = None
    ) -> list[ExamTally]:
        """Exams recorded since the instant `since`, by requesting agency, type and outcome."""

    def open_requests(
        self, *, state_code: str | None = None, agency_id: int | None = None
    ) -> list[OpenTally]:
        """Requests not yet decided, by requesting agency, centre (None: not booked) and stage. Read
        through the status index, which holds the open statuses together."""

    def pending_exams(
        self, *, state_code: str | None = None, agency_id: int | None = None
    ) -> list[PendingTally]:
        """Exams not yet given of requests still before or in their exams."""

    def tallies(
        self,
        *,
        today: date,
        bounds: Sequence[date],
        state_code: str | None = None,
        agency_id: int | None = None,
    ) -> list[AgencyTally]:
        """Per agency: officers holding a post, split by standing; those certified; those on active
        duty without certification; approvals ending in each [bounds[i], bounds[i+1])."""
