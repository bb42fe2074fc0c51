"""What vetting's use cases need of storage, declared on their side (ADR 0022).

The repositories implement these Protocols structurally; the use cases name only them, so
a service never imports persistence, and a test double or another store can stand in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from confianza.accounts.rules.permissions import Scope
from confianza.certification.rules.decisions import Recommendation, Verdict
from confianza.core.work import ReadAhead
from confianza.vetting.rules.evaluations import (
    EvaluationKind,
    EvaluationStatus,
    ExamType,
    RankLevel,
)
from confianza.vetting.rules.records import Appeal, AppealStatus, Centre, Evaluation, Exam, Examiner


class EvaluationStore(Protocol):
    """What the use cases need of `tx.evaluations`; implemented by
    `vetting.repository.EvaluationRepository`."""

    def add(
        self,
        *,
        officer_id: int,
        agency_id: int,
        kind: EvaluationKind,
        rank: str,
        rank_level: RankLevel,
        sensitive_access: bool,
        reason: str | None,
        status: EvaluationStatus,
        requested_by: str,
        requested_at: datetime,
    ) -> int: ...

    def add_appeal(
        self,
        *,
        evaluation_id: int,
        filed_by: str,
        filed_on: date,
        grounds: str,
        status: AppealStatus,
    ) -> int: ...

    def add_attachment(
        self, sha256: str, media_type: str, content: bytes, now: datetime
    ) -> None: ...

    def add_centre(self, code: str, name: str, state_code: str | None, now: datetime) -> int: ...

    def add_exams(self, evaluation_id: int, exam_types: Sequence[ExamType]) -> None: ...

    def agenda(self, day: date, scope: Scope, *, limit: int) -> tuple[int, int, list[Exam]]:
        """The exams booked for one day in evaluations inside the scope (ix_evaluation_exams_
        schedule): (how many, how many already given, the first `limit` still to give)."""

    def appeal(self, appeal_id: int) -> Appeal | None: ...

    def appeal_of(self, evaluation_id: int) -> Appeal | None: ...

    def appeals_of_officer(self, officer_id: int) -> list[Appeal]:
        """The appeals against the officer's evaluations, in one statement (at most one per
        evaluation)."""

    def appeals(
        self, *, status: AppealStatus | None, scope: Scope, after: int | None, limit: int
    ) -> list[Appeal]: ...

    def assign_exam(self, exam_id: int, examiner_id: int, day: date) -> None: ...

    def attachment_content(self, exam_id: int, sha256: str) -> tuple[str, bytes] | None: ...

    def attachments(self, exam_id: int) -> list[tuple[str, str, str, int]]:
        """(sha256, filename, media type, size) of an exam's files."""

    def booked(
        self,
        centre_id: int,
        exam_type: ExamType,
        day: date,
        excluding_evaluation: int | None = None,
    ) -> int:
        """Exams of one type already booked at a centre on a day."""

    def centre(self, centre_id: int) -> Centre | None: ...

    def centre_by_code(self, code: str) -> Centre | None: ...

    def centre_name(self, centre_id: int) -> str | None: ...

    def centres(self, scope: Scope) -> list[Centre]: ...

    def clear_decision(self, evaluation_id: int, status: EvaluationStatus) -> None:
        """Empty the verdict, who gave it, when and on what grounds (a decision sent back), and move
        the evaluation to `status`."""

    def closed_since(
        self, status: EvaluationStatus, scope: Scope, *, since: datetime, window: int, limit: int
    ) -> tuple[int, bool, list[Evaluation]]:
        """Evaluations that closed in one status since a moment, newest first: (how many, whether
        that count stopped at `window`, the newest `limit`). Only the newest `window` of that
        status are examined (ids grow with time), so the cost does not grow with the years of
        history behind them."""

    def decide_appeal(
        self,
        appeal_id: int,
        *,
        status: AppealStatus,
        decided_by: int,
        decided_on: date,
        resolution: str,
    ) -> bool:
        """Decide an appeal still open; False when another request decided it first."""

    def exam(self, evaluation_id: int, exam_type: ExamType) -> Exam | None: ...

    def examiner(self, user_id: int) -> Examiner | None: ...

    def examiner_pending(
        self, examiner_id: int, today: date, *, limit: int
    ) -> tuple[int, int, list[Exam]]:
        """An examiner's exams still to give, in evaluations still scheduled (a withdrawn one drops
        out): (how many, how many are due today or overdue, the first `limit` by day)."""

    def examiners_of(self, centre_id: int) -> list[Examiner]: ...

    def exams(self, evaluation_id: int) -> list[Exam]: ...

    def exams_of_officer(self, officer_id: int) -> list[Exam]:
        """Every exam of the officer's evaluations, in one statement, by evaluation and type."""

    def get(self, evaluation_id: int) -> Evaluation | None: ...

    def link_attachment(self, exam_id: int, sha256: str, filename: str) -> bool: ...

    def listing(
        self,
        *,
        statuses: Sequence[EvaluationStatus] = (),
        agency_id: int | None = None,
        centre_id: int | None = None,
        scope: Scope,
        after: int | None,
        limit: int,
    ) -> list[Evaluation]:
        """Evaluations in id order (oldest first: a queue), narrowed to the caller's scope by the
        requesting agency."""

    def lock(self, evaluation_id: int) -> Evaluation | None:
        """Read an evaluation for change, serialising concurrent changes to it (a row lock on
        PostgreSQL; SQLite's single writer already serialises)."""

    def lock_centre(self, centre_id: int) -> None:
        """Serialise bookings at one centre, so two at once cannot both take its last place (a row
        lock on PostgreSQL; SQLite's single writer already serialises)."""

    def of_officer_reads(self, officer_id: int) -> ReadAhead:
        """`of_officer`'s read, to send ahead."""

    def of_officer(self, officer_id: int) -> list[Evaluation]: ...

    def open_appeals(
        self, scope: Scope, *, not_involving: int | None, limit: int
    ) -> tuple[int, list[Appeal]]:
        """Open appeals inside the scope, oldest first, without those a person may not decide
        because they examined, decided or confirmed the evaluation appealed."""

    def open_for(self, officer_id: int) -> Evaluation | None: ...

    def queue(self, examiner_id: int, *, pending: bool, limit: int) -> list[Exam]:
        """An examiner's exams: pending ones by date, or the latest recorded."""

    def record_exam(
        self, exam_id: int, outcome: str, result: dict[str, Any], notes: str | None, now: datetime
    ) -> bool:
        """Store a result once: False when the exam already had one (a double submit that slipped
        past the service's check loses here)."""

    def set_capacity(self, centre_id: int, capacity: dict[ExamType, int]) -> None: ...

    def set_examiner(
        self, user_id: int, centre_id: int, qualified: frozenset[ExamType]
    ) -> None: ...

    def update(
        self,
        evaluation_id: int,
        status: EvaluationStatus,
        *,
        centre_id: int | None = None,
        recommendation: Recommendation | None = None,
        integration: str | None = None,
        verdict: Verdict | None = None,
        decided_by: int | None = None,
        decided_on: date | None = None,
        grounds: str | None = None,
        confirmed_by: int | None = None,
        confirmed_on: date | None = None,
        valid_until: date | None = None,
        closed_at: datetime | None = None,
    ) -> None:
        """Move an evaluation to `status` with what that step sets; a field left out (None) keeps
        its value (`clear_decision` empties a decision). `integration` is JSON text."""

    def waiting(
        self,
        status: EvaluationStatus,
        scope: Scope,
        *,
        limit: int,
        not_decided_by: int | None = None,
    ) -> tuple[int, list[Evaluation]]:
        """Evaluations in one status inside the scope (ix_evaluations_status), oldest first;
        `not_decided_by` leaves out one person's own decisions (another must confirm them)."""
