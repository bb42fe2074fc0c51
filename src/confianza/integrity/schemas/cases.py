"""API bodies of the integrity cases (ADR 0030), read from the service's records.

A case file never carries a protected source's identity: the service does not read it, and no
body here has a field for it except the intake's `protected_identity`, which is written apart.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from confianza.core.web.schemas import Input, Instant, Output, fields_of
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
    Standing,
)
from confianza.integrity.rules.records import (
    Answer,
    CaseAppeal,
    CaseAssignment,
    Evidence,
    Link,
    Notice,
    Sanction,
)
from confianza.integrity.rules.safeguards import SupportKind
from confianza.integrity.rules.stages import Stage
from confianza.integrity.rules.standing import Weakness
from confianza.integrity.service.cases import (
    NAME_MAX,
    TEXT_MAX,
    AllegationView,
    CaseFile,
    CaseStage,
    NewAllegation,
    NewCase,
    NewSource,
    QueueLine,
)
from confianza.integrity.service.decisions import Relied

# Lists are bounded so that a body cannot ask the server to hold an unbounded case.
LIST_MAX = 50


class SourceIn(Input):
    """Where an allegation came from, its two Admiralty grades kept apart."""

    channel: SourceChannel
    reliability: Reliability = Field(description="A (completely reliable) to E (unreliable); "
                                     "F when it cannot be judged.")
    credibility: Credibility = Field(description="1 (confirmed) to 5 (improbable); 6 when it "
                                     "cannot be judged.")
    account: str = Field(max_length=TEXT_MAX, description="What the source says, in its words.")
    received_on: date
    reporter_name: str | None = Field(None, max_length=NAME_MAX)
    reporter_user_id: int | None = None
    reporter_officer_id: int | None = None
    protected: bool = False
    benefit: bool = False
    coercion_claimed: bool = False
    protected_identity: str | None = Field(
        None, max_length=TEXT_MAX,
        description="Who a protected witness is: kept apart and never shown with the case.")

    def to_new(self) -> NewSource:
        return NewSource(**self.model_dump())


class AllegationIn(Input):
    kind: AllegationKind
    summary: str = Field(max_length=TEXT_MAX)
    sources: list[int] = Field(max_length=LIST_MAX,
                               description="Positions (from 0) in the case's `sources`.")
    officer_id: int | None = Field(None, description="The registry officer; leave it out and "
                                   "give the name or badge as given to keep them unmatched.")
    accused_name: str | None = Field(None, max_length=NAME_MAX)
    accused_badge: str | None = Field(None, max_length=40)
    occurred_on: date | None = None
    place: str | None = Field(None, max_length=300)

    def to_new(self) -> NewAllegation:
        fields = self.model_dump()
        fields["sources"] = tuple(self.sources)
        return NewAllegation(**fields)


class CaseIn(Input):
    agency_id: int
    summary: str = Field(max_length=TEXT_MAX)
    sources: list[SourceIn] = Field(max_length=LIST_MAX)
    allegations: list[AllegationIn] = Field(max_length=LIST_MAX)

    def to_new(self) -> NewCase:
        return NewCase(self.agency_id, self.summary, tuple(s.to_new() for s in self.sources),
                       tuple(a.to_new() for a in self.allegations))


class AssignIn(Input):
    user_id: int
    duty: Duty
    officer_id: int | None = Field(None, description="The person's own registry record, "
                                   "declared so that the chain of command can be checked.")


class ServeIn(Input):
    served_on: date


class AnswerIn(Input):
    text: str = Field(max_length=TEXT_MAX)
    coerced_source_ids: list[int] = Field(default_factory=list, max_length=LIST_MAX,
                                          description="Statements the officer says were "
                                          "coerced.")


class LinkIn(Input):
    allegation_id: int
    kind: LinkKind
    evidence_id: int | None = None
    other_allegation_id: int | None = None


class ReliedIn(Input):
    kind: SupportKind
    id: int

    def to_relied(self) -> Relied:
        return Relied(self.kind, self.id)


class FindingIn(Input):
    allegation_id: int
    finding: FindingKind
    grounds: str = Field(max_length=TEXT_MAX)
    relied_on: list[ReliedIn] = Field(default_factory=list, max_length=LIST_MAX,
                                      description="What a sustained finding rests on: the "
                                      "allegation's sources and the evidence linked to it.")


class SanctionIn(Input):
    officer_id: int
    kind: SanctionKind
    grounds: str = Field(max_length=TEXT_MAX)
    days: int | None = None


class GroundsIn(Input):
    grounds: str = Field(max_length=TEXT_MAX)


class AppealDecisionIn(Input):
    outcome: AppealOutcome
    resolution: str = Field(max_length=TEXT_MAX)


class NoteIn(Input):
    note: str = Field(max_length=TEXT_MAX)


class SpecialEvaluationIn(Input):
    allegation_id: int


# Answers -------------------------------------------------------------------------------------

class DueOut(Output):
    stage: Stage
    due_on: date | None
    overdue: bool
    days_late: int


class ReasonOut(Output):
    code: str
    ids: list[int]
    weakness: Weakness | None


class SupportOut(Output):
    kind: SupportKind
    id: int
    weakness: Weakness | None
    coercion_claimed: bool


class FindingOut(Output):
    id: int
    finding: FindingKind
    grounds: str
    relied_on: list[SupportOut]
    decided_by: str
    decided_at: Instant
    needs_second: bool
    confirmed: bool
    in_effect: bool
    special_evaluation_id: int | None


class AllegationOut(Output):
    id: int
    kind: AllegationKind
    officer_id: int | None
    accused_name: str | None
    accused_badge: str | None
    occurred_on: date | None
    place: str | None
    summary: str
    source_ids: list[int]
    standing: Standing
    reasons: list[ReasonOut]
    finding: FindingOut | None

    @classmethod
    def of(cls, view: AllegationView) -> AllegationOut:
        a, found = view.allegation, view.finding
        finding = None if found is None else FindingOut(
            id=found.id, finding=found.finding, grounds=found.grounds,
            relied_on=[SupportOut(kind=s.kind, id=s.id, weakness=s.weakness,
                                  coercion_claimed=s.coercion_claimed)
                       for s in found.relied_on],
            decided_by=found.decided_by, decided_at=found.decided_at,
            needs_second=found.needs_second, confirmed=found.confirmed_by_id is not None,
            in_effect=found.in_effect, special_evaluation_id=found.special_evaluation_id)
        return cls(
            id=a.id, kind=a.kind, officer_id=a.officer_id, accused_name=a.accused_name,
            accused_badge=a.accused_badge, occurred_on=a.occurred_on, place=a.place,
            summary=a.summary, source_ids=list(a.source_ids),
            standing=view.assessment.standing,
            reasons=[ReasonOut(code=r.code, ids=list(r.ids), weakness=r.weakness)
                     for r in view.assessment.reasons],
            finding=finding)


class SourceOut(Output):
    """A source as the case's people see it: a protected one names nobody."""

    id: int
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


class EvidenceOut(Output):
    __annotations__ = fields_of(Evidence)


class LinkOut(Output):
    __annotations__ = fields_of(Link)


class AssignmentOut(Output):
    __annotations__ = fields_of(CaseAssignment)


class NoticeOut(Output):
    __annotations__ = fields_of(Notice)


class AnswerOut(Output):
    __annotations__ = fields_of(Answer)


class SanctionOut(Output):
    __annotations__ = fields_of(Sanction)


class AppealOut(Output):
    __annotations__ = fields_of(CaseAppeal)


class CaseOut(Output):
    id: int
    agency_id: int
    stage: Stage
    stage_since: date
    summary: str
    opened_at: Instant
    opened_by: str
    closed_on: date | None
    closing_note: str | None


class CaseFileOut(Output):
    case: CaseOut
    due: DueOut
    allegations: list[AllegationOut]
    sources: list[SourceOut]
    evidence: list[EvidenceOut]
    links: list[LinkOut]
    assignments: list[AssignmentOut]
    notice: NoticeOut | None
    answers: list[AnswerOut]
    sanctions: list[SanctionOut]
    appeal: AppealOut | None
    duties: list[Duty]

    @classmethod
    def of(cls, found: CaseFile) -> CaseFileOut:
        return cls(
            case=CaseOut.model_validate(found.case), due=DueOut.model_validate(found.due),
            allegations=[AllegationOut.of(a) for a in found.allegations],
            sources=[SourceOut.model_validate(s) for s in found.sources],
            evidence=[EvidenceOut.model_validate(e) for e in found.evidence],
            links=[LinkOut.model_validate(k) for k in found.links],
            assignments=[AssignmentOut.model_validate(a) for a in found.assignments],
            notice=None if found.notice is None else NoticeOut.model_validate(found.notice),
            answers=[AnswerOut.model_validate(a) for a in found.answers],
            sanctions=[SanctionOut.model_validate(s) for s in found.sanctions],
            appeal=None if found.appeal is None else AppealOut.model_validate(found.appeal),
            duties=sorted(found.duties))


class QueueLineOut(Output):
    case: CaseOut
    due: DueOut
    allegations: int

    @classmethod
    def of(cls, line: QueueLine) -> QueueLineOut:
        return cls(case=CaseOut.model_validate(line.case), due=DueOut.model_validate(line.due),
                   allegations=line.allegations)


class QueueOut(Output):
    items: list[QueueLineOut]
    overdue: int


class CaseStageOut(Output):
    """All a reader without need-to-know learns: the case exists, and its stage."""

    __annotations__ = fields_of(CaseStage)


class EvidenceAddedOut(Output):
    evidence_id: int
    sha256: str
    filename: str
    media_type: str
    size: int


class SpecialEvaluationOut(Output):
    evaluation_id: int

