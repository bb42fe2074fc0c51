"""A case's records as the use cases see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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
from confianza.integrity.rules.safeguards import Support
from confianza.integrity.rules.stages import Stage
from confianza.integrity.rules.standing import SourceFacts


@dataclass(frozen=True)
class Case:
    id: int
    agency_id: int
    stage: Stage
    stage_since: date
    summary: str
    opened_at: datetime
    opened_by: str
    closed_on: date | None = None
    closing_note: str | None = None


@dataclass(frozen=True)
class Source:
    id: int
    case_id: int
    channel: SourceChannel
    reliability: Reliability
    credibility: Credibility
    protected: bool
    benefit: bool
    coercion_claimed: bool
    reporter_name: str | None
    reporter_user_id: int | None
    reporter_officer_id: int | None
    account: str
    received_on: date
    relayed_by: str
    relayed_by_id: int | None

    @property
    def facts(self) -> SourceFacts:
        return SourceFacts(self.id, self.channel, self.reliability, self.credibility,
                           self.protected, self.benefit, self.coercion_claimed)


@dataclass(frozen=True)
class Allegation:
    id: int
    case_id: int
    kind: AllegationKind
    officer_id: int | None  # None: an accused kept as given, not (yet) a registry officer
    accused_name: str | None
    accused_badge: str | None
    occurred_on: date | None
    place: str | None
    summary: str
    source_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Evidence:
    id: int
    case_id: int
    sha256: str
    filename: str
    media_type: str
    size: int
    description: str
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class Link:
    id: int
    allegation_id: int
    evidence_id: int | None
    other_allegation_id: int | None
    kind: LinkKind


@dataclass(frozen=True)
class CaseAssignment:
    id: int
    case_id: int
    user_id: int
    duty: Duty
    officer_id: int | None
    assigned_by: str
    assigned_at: datetime


@dataclass(frozen=True)
class Notice:
    id: int
    case_id: int
    issued_on: date
    issued_by: str
    served_on: date | None
    content: str  # JSON


@dataclass(frozen=True)
class Answer:
    id: int
    case_id: int
    received_on: date
    text: str
    coerced_source_ids: tuple[int, ...]
    recorded_by: str


@dataclass(frozen=True)
class Finding:
    id: int
    allegation_id: int
    finding: FindingKind
    grounds: str
    relied_on: tuple[Support, ...]
    decided_by_id: int
    decided_by: str
    decided_at: datetime
    needs_second: bool
    confirmed_by_id: int | None
    confirmed_at: datetime | None
    special_evaluation_id: int | None = None

    @property
    def in_effect(self) -> bool:
        """A finding that needs a second person is not in effect until confirmed."""
        return not self.needs_second or self.confirmed_by_id is not None


@dataclass(frozen=True)
class Sanction:
    id: int
    case_id: int
    officer_id: int
    kind: SanctionKind
    days: int | None
    grounds: str
    decided_by_id: int
    decided_by: str
    decided_on: date


@dataclass(frozen=True)
class CaseAppeal:
    id: int
    case_id: int
    filed_on: date
    filed_by: str
    grounds: str
    outcome: AppealOutcome | None
    decided_by_id: int | None
    decided_on: date | None
    resolution: str | None
