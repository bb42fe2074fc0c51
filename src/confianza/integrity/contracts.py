"""What the integrity cases' use cases need of storage (ADR 0022: services own their vocabulary)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Protocol

from confianza.accounts.rules.permissions import Scope
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    AppealOutcome,
    Credibility,
    Duty,
    FindingKind,
    LinkKind,
    Reliability,
    SanctionKind,
    SourceChannel,
)
from confianza.integrity.rules.imported import (
    AccusedReview,
    StoredInvolvement,
)
from confianza.integrity.rules.outside_sanctions import (
    LinkedBy,
    OutsideSanction,
    OutsideStatus,
)
from confianza.integrity.rules.outside_sanctions_match import Match, StoredOutsideSanction
from confianza.integrity.rules.records import (
    Allegation,
    Answer,
    Case,
    CaseAppeal,
    CaseAssignment,
    Evidence,
    Finding,
    Link,
    Notice,
    Sanction,
    Source,
)
from confianza.integrity.rules.safeguards import Support
from confianza.integrity.rules.stages import Stage


class ComplaintStore(Protocol):
    """The imported complaints, the review of their accused and the network (ADR 0033)."""

    def badges(self) -> dict[str, frozenset[str]]:
        """Every officer's badge numbers, by the identity matcher's key (`o:<id>`)."""

    def imported_keys(self, source: str) -> set[str]:
        """The complaint keys of `source` already stored as cases."""

    def involvements(self, scope: Scope, *, officers: Collection[int] = (),
                     accused: Collection[str] = (), everyone: bool = False
                     ) -> list[StoredInvolvement]:
        """Each accused of each stored case in the scope: of every case when `everyone`, else
        of the cases naming one of `officers` or `accused` (unmatched network keys)."""

    def officer_labels(self, officer_ids: Collection[int]) -> dict[int, str]: ...

    def review(self, scope: Scope, *, limit: int) -> list[AccusedReview]:
        """The ambiguous accused of the scope, one entry per identity."""

    def review_item(self, accused_id: int) -> AccusedReview | None: ...

    def place(self, network_key: str, *, officer_id: int | None, by: str,
              at: datetime) -> int:
        """Attach every ambiguous row of one identity to `officer_id`, or reject (None)."""


class IntegrityStore(ComplaintStore, Protocol):
    def add_case(
        self, *, agency_id: int, summary: str, opened_at: datetime, opened_by: str, today: date
    ) -> int: ...

    def case(self, case_id: int, *, lock: bool = False) -> Case | None: ...

    def set_stage(
        self, case_id: int, stage: Stage, since: date, *, closing_note: str | None = None
    ) -> None: ...

    def queue(
        self,
        scope: Scope,
        *,
        user_id: int | None = None,
        duty: Duty | None = None,
        open_only: bool = True,
        limit: int = 200,
    ) -> list[Case]:
        """Cases in the scope (or assigned to `user_id` for `duty`), oldest step first."""

    def cases_of_officer(self, officer_id: int) -> list[Case]:
        """The cases in which an officer is accused (`ix_integrity_allegations_officer_id`)."""

    def add_source(
        self,
        *,
        case_id: int,
        channel: SourceChannel,
        reliability: Reliability,
        credibility: Credibility,
        protected: bool,
        benefit: bool,
        coercion_claimed: bool,
        reporter_name: str | None,
        reporter_user_id: int | None,
        reporter_officer_id: int | None,
        account: str,
        received_on: date,
        relayed_by: str,
        relayed_by_id: int | None,
    ) -> int: ...

    def add_protected_identity(
        self, source_id: int, identity: str, *, at: datetime, by: str
    ) -> None: ...

    def sources(self, case_id: int) -> list[Source]: ...

    def claim_coercion(self, source_ids: Sequence[int]) -> None: ...

    def add_allegation(
        self,
        *,
        case_id: int,
        kind: AllegationKind,
        officer_id: int | None,
        accused_name: str | None,
        accused_badge: str | None,
        occurred_on: date | None,
        place: str | None,
        summary: str,
        source_ids: Sequence[int],
    ) -> int: ...

    def allegations(self, case_id: int) -> list[Allegation]: ...

    def assigned_among(self, user_id: int, case_ids: Sequence[int]) -> set[int]:
        """Which of the cases give the user a duty (any), in one read."""

    def allegation_counts(self, case_ids: Sequence[int]) -> dict[int, int]:
        """How many allegations each of the cases holds (a queue's column), in one read."""

    def attach_officer(self, allegation_id: int, officer_id: int) -> None: ...

    def add_evidence(
        self,
        *,
        case_id: int,
        sha256: str,
        filename: str,
        description: str,
        added_by: str,
        added_at: datetime,
    ) -> int | None:
        """The new evidence's id, or None when the case already holds this file."""

    def evidence(self, case_id: int) -> list[Evidence]: ...

    def evidence_content(self, case_id: int, evidence_id: int) -> tuple[str, str, bytes] | None: ...

    def add_link(
        self,
        *,
        allegation_id: int,
        evidence_id: int | None,
        other_allegation_id: int | None,
        kind: LinkKind,
        added_by: str,
        added_at: datetime,
    ) -> int: ...

    def links(self, case_id: int) -> list[Link]: ...

    def assign(
        self,
        *,
        case_id: int,
        user_id: int,
        duty: Duty,
        officer_id: int | None,
        assigned_by: str,
        assigned_at: datetime,
    ) -> bool: ...

    def assignments(self, case_id: int) -> list[CaseAssignment]: ...

    def add_notice(self, *, case_id: int, issued_on: date, issued_by: str, content: str) -> int: ...

    def notice(self, case_id: int) -> Notice | None: ...

    def serve_notice(self, case_id: int, served_on: date) -> None: ...

    def add_answer(
        self,
        *,
        case_id: int,
        received_on: date,
        text: str,
        coerced_source_ids: Sequence[int],
        recorded_by: str,
    ) -> int: ...

    def answers(self, case_id: int) -> list[Answer]: ...

    def add_finding(
        self,
        *,
        allegation_id: int,
        finding: FindingKind,
        grounds: str,
        relied_on: Sequence[Support],
        decided_by_id: int,
        decided_by: str,
        decided_at: datetime,
        needs_second: bool,
    ) -> int: ...

    def findings(self, case_id: int) -> list[Finding]: ...

    def confirm_finding(self, finding_id: int, *, by: int, at: datetime) -> None: ...

    def set_special_evaluation(self, finding_id: int, evaluation_id: int) -> None: ...

    def add_sanction(
        self,
        *,
        case_id: int,
        officer_id: int,
        kind: SanctionKind,
        days: int | None,
        grounds: str,
        decided_by_id: int,
        decided_by: str,
        decided_on: date,
    ) -> int: ...

    def sanctions(self, case_id: int) -> list[Sanction]: ...

    def sanctions_in_scope(self, scope: Scope) -> list[Sanction]:
        """Every sanction of the cases held in the scope, oldest first (the S3 export)."""
        ...

    def add_appeal(self, *, case_id: int, filed_on: date, filed_by: str, grounds: str) -> int: ...

    def appeal(self, case_id: int) -> CaseAppeal | None: ...

    def decide_appeal(
        self, case_id: int, *, outcome: AppealOutcome, by: int, on: date, resolution: str
    ) -> None: ...


class OutsideSanctionStore(Protocol):
    """Another authority's sanctions as imported and reviewed (ADR 0036)."""

    def held_digests(self, digests: Collection[str]) -> set[str]:
        """Which of these rows an earlier import already holds."""

    def agency_codes_by_name(self) -> dict[str, str]:
        """Every agency's code by its folded name (the employer a list names)."""

    def add_import(self, *, file_name: str, sha256: str, mapping: str, at: datetime, by: str,
                   rows: int, added: int, already_held: int) -> int: ...

    def add_sanctions(self, import_id: int,
                      items: Sequence[tuple[OutsideSanction, Match]]) -> None: ...

    def queue(self, statuses: Collection[OutsideStatus], *, after: int | None,
              limit: int) -> list[StoredOutsideSanction]:
        """Records in these states, oldest first, after the id `after`."""

    def get(self, sanction_id: int, *, lock: bool = False) -> StoredOutsideSanction | None: ...

    def decide(self, sanction_id: int, *, status: OutsideStatus, officer_id: int | None,
               linked_by: LinkedBy | None, by: str, at: datetime, note: str | None) -> None: ...

    def of_officer(self, officer_id: int) -> list[StoredOutsideSanction]:
        """The records linked to the officer, latest sanction first."""
