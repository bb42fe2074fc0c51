"""The integrity cases' queries and writes: the only code that touches their tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.orm import Session

from confianza.accounts.rules.permissions import Scope, ScopeKind
from confianza.core.db.models import (
    AgencyRow,
    AttachmentRow,
    IntegrityAllegationRow,
    IntegrityAllegationSourceRow,
    IntegrityAnswerRow,
    IntegrityAppealRow,
    IntegrityAssignmentRow,
    IntegrityCaseRow,
    IntegrityEvidenceRow,
    IntegrityFindingRow,
    IntegrityLinkRow,
    IntegrityNoticeRow,
    IntegrityProtectedIdentityRow,
    IntegritySanctionRow,
    IntegritySourceRow,
)
from confianza.integrity.repository.imports import ComplaintImportRepository
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
from confianza.integrity.rules.safeguards import Support, SupportKind
from confianza.integrity.rules.stages import Stage


def _case(row: Any) -> Case:
    return Case(row.id, row.agency_id, Stage(row.stage), row.stage_since, row.summary,
                row.opened_at, row.opened_by, row.closed_on, row.closing_note)


def _source(row: Any) -> Source:
    return Source(row.id, row.case_id, SourceChannel(row.channel), Reliability(row.reliability),
                  Credibility(row.credibility), row.protected, row.benefit,
                  row.coercion_claimed, row.reporter_name, row.reporter_user_id,
                  row.reporter_officer_id, row.account, row.received_on, row.relayed_by,
                  row.relayed_by_id)


def _finding(row: Any) -> Finding:
    relied = tuple(Support(SupportKind(kind), int(i)) for kind, i in json.loads(row.relied_on))
    return Finding(row.id, row.allegation_id, FindingKind(row.finding), row.grounds, relied,
                   row.decided_by_id, row.decided_by, row.decided_at, row.needs_second,
                   row.confirmed_by_id, row.confirmed_at, row.special_evaluation_id)


class IntegrityRepository(ComplaintImportRepository):
    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._session = session

    def _insert(self, table: Any, values: dict[str, object]) -> int:
        result = self._session.execute(insert(table).returning(table.id), values)
        return int(result.scalar_one())

    # Cases ----------------------------------------------------------------------------------
    def add_case(self, *, agency_id: int, summary: str, opened_at: datetime, opened_by: str,
                 today: date) -> int:
        return self._insert(IntegrityCaseRow, {
            "agency_id": agency_id, "stage": Stage.INTAKE.value, "stage_since": today,
            "summary": summary, "opened_at": opened_at, "opened_by": opened_by})

    def case(self, case_id: int, *, lock: bool = False) -> Case | None:
        statement = select(IntegrityCaseRow).where(IntegrityCaseRow.id == case_id)
        if lock:
            statement = statement.with_for_update()
        row = self._session.scalars(statement).one_or_none()
        return None if row is None else _case(row)

    def set_stage(self, case_id: int, stage: Stage, since: date, *,
                  closing_note: str | None = None) -> None:
        values: dict[str, object] = {"stage": stage.value, "stage_since": since}
        if stage is Stage.CLOSED:
            values.update(closed_on=since, closing_note=closing_note)
        self._session.execute(update(IntegrityCaseRow).where(IntegrityCaseRow.id == case_id),
                              values)

    def queue(self, scope: Scope, *, user_id: int | None = None, duty: Duty | None = None,
              open_only: bool = True, limit: int = 200) -> list[Case]:
        """Cases in the scope (or assigned to `user_id` for `duty`), oldest step first."""
        statement = select(IntegrityCaseRow)
        if user_id is not None:
            assigned = select(IntegrityAssignmentRow.case_id).where(
                IntegrityAssignmentRow.user_id == user_id)
            if duty is not None:
                assigned = assigned.where(IntegrityAssignmentRow.duty == duty.value)
            statement = statement.where(IntegrityCaseRow.id.in_(assigned))
        if scope.kind is ScopeKind.AGENCY:
            statement = statement.where(IntegrityCaseRow.agency_id == scope.agency_id)
        elif scope.kind is ScopeKind.STATE:
            statement = statement.where(IntegrityCaseRow.agency_id.in_(
                select(AgencyRow.id).where(AgencyRow.state_code == scope.state_code)))
        if open_only:
            statement = statement.where(IntegrityCaseRow.stage != Stage.CLOSED.value)
        statement = statement.order_by(IntegrityCaseRow.stage_since,
                                       IntegrityCaseRow.id).limit(limit)
        return [_case(row) for row in self._session.scalars(statement)]

    def cases_of_officer(self, officer_id: int) -> list[Case]:
        """The cases in which an officer is accused (`ix_integrity_allegations_officer_id`)."""
        ids = select(IntegrityAllegationRow.case_id).where(
            IntegrityAllegationRow.officer_id == officer_id)
        rows = self._session.scalars(select(IntegrityCaseRow).where(
            IntegrityCaseRow.id.in_(ids)).order_by(IntegrityCaseRow.id))
        return [_case(row) for row in rows]

    # Sources and allegations ----------------------------------------------------------------
    def add_source(self, *, case_id: int, channel: SourceChannel, reliability: Reliability,
                   credibility: Credibility, protected: bool, benefit: bool,
                   coercion_claimed: bool, reporter_name: str | None,
                   reporter_user_id: int | None, reporter_officer_id: int | None, account: str,
                   received_on: date, relayed_by: str, relayed_by_id: int | None) -> int:
        return self._insert(IntegritySourceRow, {
            "case_id": case_id, "channel": channel.value, "reliability": reliability.value,
            "credibility": credibility.value, "protected": protected, "benefit": benefit,
            "coercion_claimed": coercion_claimed, "reporter_name": reporter_name,
            "reporter_user_id": reporter_user_id, "reporter_officer_id": reporter_officer_id,
            "account": account, "received_on": received_on, "relayed_by": relayed_by,
            "relayed_by_id": relayed_by_id})

    def add_protected_identity(self, source_id: int, identity: str, *, at: datetime,
                               by: str) -> None:
        self._session.execute(insert(IntegrityProtectedIdentityRow), {
            "source_id": source_id, "identity": identity, "recorded_at": at, "recorded_by": by})

    def sources(self, case_id: int) -> list[Source]:
        rows = self._session.scalars(select(IntegritySourceRow).where(
            IntegritySourceRow.case_id == case_id).order_by(IntegritySourceRow.id))
        return [_source(row) for row in rows]

    def claim_coercion(self, source_ids: Sequence[int]) -> None:
        if source_ids:
            self._session.execute(update(IntegritySourceRow).where(
                IntegritySourceRow.id.in_(list(source_ids))), {"coercion_claimed": True})

    def add_allegation(self, *, case_id: int, kind: AllegationKind, officer_id: int | None,
                       accused_name: str | None, accused_badge: str | None,
                       occurred_on: date | None, place: str | None, summary: str,
                       source_ids: Sequence[int]) -> int:
        allegation_id = self._insert(IntegrityAllegationRow, {
            "case_id": case_id, "kind": kind.value, "officer_id": officer_id,
            "accused_name": accused_name, "accused_badge": accused_badge,
            "occurred_on": occurred_on, "place": place, "summary": summary})
        if source_ids:
            self._session.execute(insert(IntegrityAllegationSourceRow), [
                {"allegation_id": allegation_id, "source_id": s} for s in source_ids])
        return allegation_id

    def assigned_among(self, user_id: int, case_ids: Sequence[int]) -> set[int]:
        if not case_ids:
            return set()
        return {int(case_id) for case_id in self._session.scalars(
            select(IntegrityAssignmentRow.case_id).distinct().where(
                IntegrityAssignmentRow.user_id == user_id,
                IntegrityAssignmentRow.case_id.in_(list(case_ids))))}

    def allegation_counts(self, case_ids: Sequence[int]) -> dict[int, int]:
        if not case_ids:
            return {}
        rows = self._session.execute(
            select(IntegrityAllegationRow.case_id, func.count())
            .where(IntegrityAllegationRow.case_id.in_(list(case_ids)))
            .group_by(IntegrityAllegationRow.case_id))
        return {int(case_id): int(n) for case_id, n in rows}

    def allegations(self, case_id: int) -> list[Allegation]:
        rows = self._session.scalars(select(IntegrityAllegationRow).where(
            IntegrityAllegationRow.case_id == case_id).order_by(IntegrityAllegationRow.id))
        links = self._session.execute(
            select(IntegrityAllegationSourceRow.allegation_id,
                   IntegrityAllegationSourceRow.source_id)
            .join(IntegrityAllegationRow,
                  IntegrityAllegationRow.id == IntegrityAllegationSourceRow.allegation_id)
            .where(IntegrityAllegationRow.case_id == case_id)
            .order_by(IntegrityAllegationSourceRow.source_id))
        sources: dict[int, list[int]] = {}
        for allegation_id, source_id in links:
            sources.setdefault(allegation_id, []).append(source_id)
        return [Allegation(r.id, r.case_id, AllegationKind(r.kind), r.officer_id,
                           r.accused_name, r.accused_badge, r.occurred_on, r.place, r.summary,
                           tuple(sources.get(r.id, ()))) for r in rows]

    def attach_officer(self, allegation_id: int, officer_id: int) -> None:
        self._session.execute(update(IntegrityAllegationRow).where(
            IntegrityAllegationRow.id == allegation_id), {"officer_id": officer_id})

    # Evidence and links ---------------------------------------------------------------------
    def add_evidence(self, *, case_id: int, sha256: str, filename: str, description: str,
                     added_by: str, added_at: datetime) -> int | None:
        """The new evidence's id, or None when the case already holds this file."""
        exists = self._session.scalar(select(IntegrityEvidenceRow.id).where(
            IntegrityEvidenceRow.case_id == case_id, IntegrityEvidenceRow.sha256 == sha256))
        if exists is not None:
            return None
        return self._insert(IntegrityEvidenceRow, {
            "case_id": case_id, "sha256": sha256, "filename": filename,
            "description": description, "added_by": added_by, "added_at": added_at})

    def evidence(self, case_id: int) -> list[Evidence]:
        rows = self._session.execute(
            select(IntegrityEvidenceRow, AttachmentRow.media_type, AttachmentRow.size)
            .join(AttachmentRow, AttachmentRow.sha256 == IntegrityEvidenceRow.sha256)
            .where(IntegrityEvidenceRow.case_id == case_id).order_by(IntegrityEvidenceRow.id))
        return [Evidence(e.id, e.case_id, e.sha256, e.filename, media, size, e.description,
                         e.added_by, e.added_at) for e, media, size in rows]

    def evidence_content(self, case_id: int, evidence_id: int) -> tuple[str, str, bytes] | None:
        row = self._session.execute(
            select(IntegrityEvidenceRow.filename, AttachmentRow.media_type,
                   AttachmentRow.content)
            .join(AttachmentRow, AttachmentRow.sha256 == IntegrityEvidenceRow.sha256)
            .where(IntegrityEvidenceRow.case_id == case_id,
                   IntegrityEvidenceRow.id == evidence_id)).one_or_none()
        return None if row is None else (row[0], row[1], row[2])

    def add_link(self, *, allegation_id: int, evidence_id: int | None,
                 other_allegation_id: int | None, kind: LinkKind, added_by: str,
                 added_at: datetime) -> int:
        return self._insert(IntegrityLinkRow, {
            "allegation_id": allegation_id, "evidence_id": evidence_id,
            "other_allegation_id": other_allegation_id, "kind": kind.value,
            "added_by": added_by, "added_at": added_at})

    def links(self, case_id: int) -> list[Link]:
        rows = self._session.scalars(
            select(IntegrityLinkRow)
            .join(IntegrityAllegationRow,
                  IntegrityAllegationRow.id == IntegrityLinkRow.allegation_id)
            .where(IntegrityAllegationRow.case_id == case_id).order_by(IntegrityLinkRow.id))
        return [Link(r.id, r.allegation_id, r.evidence_id, r.other_allegation_id,
                     LinkKind(r.kind)) for r in rows]

    # People ---------------------------------------------------------------------------------
    def assign(self, *, case_id: int, user_id: int, duty: Duty, officer_id: int | None,
               assigned_by: str, assigned_at: datetime) -> bool:
        exists = self._session.scalar(select(IntegrityAssignmentRow.id).where(
            IntegrityAssignmentRow.case_id == case_id, IntegrityAssignmentRow.user_id == user_id,
            IntegrityAssignmentRow.duty == duty.value))
        if exists is not None:
            return False
        self._insert(IntegrityAssignmentRow, {
            "case_id": case_id, "user_id": user_id, "duty": duty.value,
            "officer_id": officer_id, "assigned_by": assigned_by, "assigned_at": assigned_at})
        return True

    def assignments(self, case_id: int) -> list[CaseAssignment]:
        rows = self._session.scalars(select(IntegrityAssignmentRow).where(
            IntegrityAssignmentRow.case_id == case_id).order_by(IntegrityAssignmentRow.id))
        return [CaseAssignment(r.id, r.case_id, r.user_id, Duty(r.duty), r.officer_id,
                               r.assigned_by, r.assigned_at) for r in rows]

    # Due process ----------------------------------------------------------------------------
    def add_notice(self, *, case_id: int, issued_on: date, issued_by: str,
                   content: str) -> int:
        return self._insert(IntegrityNoticeRow, {
            "case_id": case_id, "issued_on": issued_on, "issued_by": issued_by,
            "content": content})

    def notice(self, case_id: int) -> Notice | None:
        row = self._session.scalars(select(IntegrityNoticeRow).where(
            IntegrityNoticeRow.case_id == case_id)).one_or_none()
        return None if row is None else Notice(row.id, row.case_id, row.issued_on,
                                               row.issued_by, row.served_on, row.content)

    def serve_notice(self, case_id: int, served_on: date) -> None:
        self._session.execute(update(IntegrityNoticeRow).where(
            IntegrityNoticeRow.case_id == case_id), {"served_on": served_on})

    def add_answer(self, *, case_id: int, received_on: date, text: str,
                   coerced_source_ids: Sequence[int], recorded_by: str) -> int:
        return self._insert(IntegrityAnswerRow, {
            "case_id": case_id, "received_on": received_on, "text": text,
            "coerced_source_ids": json.dumps(sorted(coerced_source_ids)),
            "recorded_by": recorded_by})

    def answers(self, case_id: int) -> list[Answer]:
        rows = self._session.scalars(select(IntegrityAnswerRow).where(
            IntegrityAnswerRow.case_id == case_id).order_by(IntegrityAnswerRow.id))
        return [Answer(r.id, r.case_id, r.received_on, r.text,
                       tuple(json.loads(r.coerced_source_ids)), r.recorded_by) for r in rows]

    def add_finding(self, *, allegation_id: int, finding: FindingKind, grounds: str,
                    relied_on: Sequence[Support], decided_by_id: int, decided_by: str,
                    decided_at: datetime, needs_second: bool) -> int:
        return self._insert(IntegrityFindingRow, {
            "allegation_id": allegation_id, "finding": finding.value, "grounds": grounds,
            "relied_on": json.dumps([[s.kind.value, s.id] for s in relied_on]),
            "decided_by_id": decided_by_id, "decided_by": decided_by,
            "decided_at": decided_at, "needs_second": needs_second})

    def findings(self, case_id: int) -> list[Finding]:
        rows = self._session.scalars(
            select(IntegrityFindingRow)
            .join(IntegrityAllegationRow,
                  IntegrityAllegationRow.id == IntegrityFindingRow.allegation_id)
            .where(IntegrityAllegationRow.case_id == case_id).order_by(IntegrityFindingRow.id))
        return [_finding(r) for r in rows]

    def confirm_finding(self, finding_id: int, *, by: int, at: datetime) -> None:
        self._session.execute(update(IntegrityFindingRow).where(
            IntegrityFindingRow.id == finding_id), {"confirmed_by_id": by, "confirmed_at": at})

    def set_special_evaluation(self, finding_id: int, evaluation_id: int) -> None:
        self._session.execute(update(IntegrityFindingRow).where(
            IntegrityFindingRow.id == finding_id), {"special_evaluation_id": evaluation_id})

    def add_sanction(self, *, case_id: int, officer_id: int, kind: SanctionKind,
                     days: int | None, grounds: str, decided_by_id: int, decided_by: str,
                     decided_on: date) -> int:
        return self._insert(IntegritySanctionRow, {
            "case_id": case_id, "officer_id": officer_id, "kind": kind.value, "days": days,
            "grounds": grounds, "decided_by_id": decided_by_id, "decided_by": decided_by,
            "decided_on": decided_on})

    def sanctions(self, case_id: int) -> list[Sanction]:
        rows = self._session.scalars(select(IntegritySanctionRow).where(
            IntegritySanctionRow.case_id == case_id).order_by(IntegritySanctionRow.id))
        return [Sanction(r.id, r.case_id, r.officer_id, SanctionKind(r.kind), r.days,
                         r.grounds, r.decided_by_id, r.decided_by, r.decided_on) for r in rows]

    def sanctions_in_scope(self, scope: Scope) -> list[Sanction]:
        statement = select(IntegritySanctionRow).join(
            IntegrityCaseRow, IntegrityCaseRow.id == IntegritySanctionRow.case_id)
        if scope.kind is ScopeKind.AGENCY:
            statement = statement.where(IntegrityCaseRow.agency_id == scope.agency_id)
        elif scope.kind is ScopeKind.STATE:
            statement = statement.where(IntegrityCaseRow.agency_id.in_(
                select(AgencyRow.id).where(AgencyRow.state_code == scope.state_code)))
        rows = self._session.scalars(statement.order_by(IntegritySanctionRow.id))
        return [Sanction(r.id, r.case_id, r.officer_id, SanctionKind(r.kind), r.days,
                         r.grounds, r.decided_by_id, r.decided_by, r.decided_on) for r in rows]

    def add_appeal(self, *, case_id: int, filed_on: date, filed_by: str, grounds: str) -> int:
        return self._insert(IntegrityAppealRow, {
            "case_id": case_id, "filed_on": filed_on, "filed_by": filed_by,
            "grounds": grounds})

    def appeal(self, case_id: int) -> CaseAppeal | None:
        row = self._session.scalars(select(IntegrityAppealRow).where(
            IntegrityAppealRow.case_id == case_id)).one_or_none()
        return None if row is None else _appeal(row)

    def decide_appeal(self, case_id: int, *, outcome: AppealOutcome, by: int, on: date,
                      resolution: str) -> None:
        self._session.execute(update(IntegrityAppealRow).where(
            IntegrityAppealRow.case_id == case_id), {
            "outcome": outcome.value, "decided_by_id": by, "decided_on": on,
            "resolution": resolution})


def _appeal(row: IntegrityAppealRow | Row[Any]) -> CaseAppeal:
    return CaseAppeal(row.id, row.case_id, row.filed_on, row.filed_by, row.grounds,
                      AppealOutcome(row.outcome) if row.outcome else None, row.decided_by_id,
                      row.decided_on, row.resolution)
