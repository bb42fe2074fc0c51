"""What certification's use cases need of storage, declared on their side (ADR 0022).

The repositories implement these Protocols structurally; the use cases name only them, so
a service never imports persistence, and a test double or another store can stand in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, Protocol

from confianza.accounts.rules.permissions import Scope
from confianza.certification.rules.coverage import CoverageRow
from confianza.certification.rules.cup import CupComponent
from confianza.certification.rules.decisions import Verdict
from confianza.core.work import ReadAhead
from confianza.vetting.rules.records import (
    Certificate,
    Component,
    Notification,
    SeparationProcess,
    SeparationStatus,
    Standing,
)


class CertificationStore(Protocol):
    """What the use cases need of `tx.certification`; implemented by
    `certification.repository.CertificationRepository`."""

    def add_certificate(
        self, *, number: str, officer_id: int, issued_on: date, valid_until: date
    ) -> int: ...

    def add_component(
        self,
        *,
        officer_id: int,
        component: CupComponent,
        completed_on: date,
        valid_until: date | None,
        hours: int | None,
        score: int | None,
        evaluation_id: int | None,
        recorded_by: str,
        recorded_at: datetime,
    ) -> int: ...

    def add_separation(
        self,
        *,
        officer_id: int,
        agency_id: int,
        evaluation_id: int | None,
        opened_on: date,
        status: SeparationStatus,
        integrity_case_id: int | None = None,
    ) -> int: ...

    def alerts(
        self,
        *,
        today: date,
        scope: Scope,
        agency_id: int | None,
        state_code: str | None,
        after: int | None,
        limit: int | None,
    ) -> Iterator[tuple[Any, ...]]:
        """Officers on active duty without a valid approval or a current certificate, in officer id
        order. Rows: id, first, second, given, curp, status, agency id, agency code, state, rank,
        last verdict, approved until, certificate until."""

    def alerts_sample(
        self, *, today: date, scope: Scope, cap: int, limit: int
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """How many are on the alert list (up to `cap`), and the first `limit` of those by officer
        id; rows as `alerts` gives them."""

    def certificate_count(self, officer_id: int) -> int: ...

    def certification_reads(self, officer_id: int) -> ReadAhead:
        """`certification`'s read, to send ahead."""

    def certification(
        self, officer_id: int
    ) -> tuple[Standing | None, list[Component], list[Certificate]]:
        """An officer's standing, components (newest first) and certificates (newest first),
        in one statement."""

    def certificates(self, officer_id: int) -> list[Certificate]: ...

    def close_separation(
        self, process_id: int, status: SeparationStatus, on: date, outcome: str
    ) -> bool: ...

    def components(self, officer_id: int) -> list[Component]: ...

    def coverage(
        self,
        *,
        today: date,
        scope: Scope,
        by: str,
        state_code: str | None,
        agency_id: int | None = None,
    ) -> list[CoverageRow]:
        """Figures per state (`by="state"`) or per agency (`by="agency"`), one pass over the open
        assignments."""

    def current_certificate(self, officer_id: int) -> Certificate | None: ...

    def end_certificate(self, certificate_id: int, on: date, reason: str) -> None: ...

    def lapsed_certificates(self, today: date, limit: int) -> list[Certificate]:
        """Current certificates whose end date has passed: to be recorded as expired."""

    def mark_read(self, notification_id: int, now: datetime) -> None: ...

    def notification(self, notification_id: int) -> Notification | None: ...

    def notifications(
        self, *, scope: Scope, agency_id: int | None, unread_only: bool, limit: int
    ) -> list[Notification]: ...

    def notifications_unread(self, *, scope: Scope, limit: int) -> tuple[int, list[Notification]]:
        """Unread notifications inside the scope: how many, and the newest `limit`."""

    def notify(
        self,
        *,
        agency_id: int,
        officer_id: int,
        evaluation_id: int | None,
        kind: str,
        message: str,
        created_at: datetime,
    ) -> int: ...

    def reevaluation(
        self,
        *,
        today: date,
        until: date,
        scope: Scope,
        agency_id: int | None,
        limit: int,
        after: tuple[date, int] | None,
    ) -> list[tuple[Any, ...]]:
        """Officers holding an open assignment whose approval ends between today and `until`,
        soonest first, with the id of an evaluation already under way, if any."""

    def reevaluation_sample(
        self, *, today: date, until: date, scope: Scope, cap: int, limit: int
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """How many approvals end between today and `until` (up to `cap`), and the soonest `limit`
        of those; rows as `reevaluation` gives them."""

    def separation(self, process_id: int) -> SeparationProcess | None: ...

    def separation_of(self, evaluation_id: int) -> SeparationProcess | None: ...

    def separations_of_officer(self, officer_id: int) -> list[SeparationProcess]:
        """The separation processes the officer's evaluations opened, in one statement (at most
        one per evaluation)."""

    def separations(
        self, *, open_only: bool, scope: Scope, agency_id: int | None, limit: int
    ) -> list[SeparationProcess]: ...

    def separations_open(self, *, scope: Scope, limit: int) -> tuple[int, list[SeparationProcess]]:
        """Open separation processes inside the scope: how many, and the oldest `limit`."""

    def set_cup_until(self, officer_id: int, until: date | None) -> None:
        """Record until when the officer's current certificate runs (None: none is current); the
        decision's side of the standing is kept."""

    def set_standing(
        self,
        officer_id: int,
        *,
        last_evaluation_id: int | None,
        last_verdict: Verdict,
        last_decided_on: date,
        approved_until: date | None,
    ) -> None:
        """Record the officer's last decision and the approval it leaves (the certificate's side of
        the standing is kept)."""

    def standing(self, officer_id: int) -> Standing | None: ...
