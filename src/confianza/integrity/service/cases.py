"""Taking allegations in, assigning the case's people, the queue, and reading a case.

Intake keeps everything it is given: an accused the registry cannot name for certain is kept
as given (name, badge) and never attached by guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from confianza.accounts.rules.permissions import Actor, Permission, Role
from confianza.accounts.service.authorization import require
from confianza.core.errors import Conflict, ErrorCollector, NotFound
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    Reliability,
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
from confianza.integrity.rules.safeguards import check_may_act
from confianza.integrity.rules.stages import Due, Stage, due, move
from confianza.integrity.rules.standing import AllegationLink, Assessment, EvidenceLink, assess
from confianza.integrity.service.access import (
    case_holder,
    case_people,
    load_case,
    person,
    require_file,
)
from confianza.registry.service.agencies import holder_of
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import Transaction, UnitOfWork

TEXT_MIN = 10
TEXT_MAX = 4000
NAME_MAX = 200

#: The role each duty is given to: investigators are internal affairs, deciders the commission.
DUTY_ROLES = {
    Duty.INVESTIGATOR: Role.INTERNAL_AFFAIRS,
    Duty.DECIDER: Role.HONOUR_COMMISSION,
    Duty.APPEAL_DECIDER: Role.HONOUR_COMMISSION,
}


@dataclass(frozen=True)
class NewSource:
    channel: SourceChannel
    reliability: Reliability
    credibility: Credibility
    account: str
    received_on: date
    reporter_name: str | None = None
    reporter_user_id: int | None = None
    reporter_officer_id: int | None = None
    protected: bool = False
    benefit: bool = False
    coercion_claimed: bool = False
    # Who a protected source is: kept in a table of its own, never read back with the case.
    protected_identity: str | None = None


@dataclass(frozen=True)
class NewAllegation:
    kind: AllegationKind
    summary: str
    sources: tuple[int, ...]  # positions in the case's `sources`
    officer_id: int | None = None
    accused_name: str | None = None
    accused_badge: str | None = None
    occurred_on: date | None = None
    place: str | None = None


@dataclass(frozen=True)
class NewCase:
    agency_id: int
    summary: str
    sources: tuple[NewSource, ...]
    allegations: tuple[NewAllegation, ...]


@dataclass(frozen=True)
class AllegationView:
    allegation: Allegation
    assessment: Assessment
    finding: Finding | None


@dataclass(frozen=True)
class CaseFile:
    """A case as its people see it: never a protected source's identity."""

    case: Case
    due: Due
    allegations: list[AllegationView]
    sources: list[Source]
    evidence: list[Evidence]
    links: list[Link]
    assignments: list[CaseAssignment]
    notice: Notice | None
    answers: list[Answer]
    sanctions: list[Sanction]
    appeal: CaseAppeal | None
    duties: frozenset[Duty] = field(default_factory=frozenset)


@dataclass(frozen=True)
class QueueLine:
    case: Case
    due: Due
    allegations: int


@dataclass(frozen=True)
class CaseStage:
    """All that a reader without need-to-know learns: the case exists, and its stage."""

    id: int
    stage: Stage
    stage_since: date


def _text(errors: ErrorCollector, where: str, value: str | None, *, required: bool = True,
          least: int = TEXT_MIN, most: int = TEXT_MAX) -> str | None:
    typed = (value or "").strip()
    if not typed:
        if required:
            errors.add(where, "is required")
        return None
    if len(typed) < least:
        errors.add(where, f"say more (at least {least} characters)")
    if len(typed) > most:
        errors.add(where, f"is longer than {most:,} characters")
    return typed


def _check_source(tx: Transaction, errors: ErrorCollector, at: str, source: NewSource) -> None:
    _text(errors, f"{at}.account", source.account)
    _text(errors, f"{at}.reporter_name", source.reporter_name, required=False, least=2,
          most=NAME_MAX)
    if source.received_on > tx.today:
        errors.add(f"{at}.received_on", "is after today")
    anonymous = source.channel in (SourceChannel.ANONYMOUS_LINE, SourceChannel.MEDIA_OR_BANNER)
    if anonymous and (source.reporter_name or source.reporter_user_id
                      or source.reporter_officer_id):
        errors.add(f"{at}.reporter_name", f"a {source.channel} source names nobody")
    if source.protected:
        if source.reporter_name:
            errors.add(f"{at}.reporter_name", "a protected source's identity goes in "
                       "protected_identity, never with the case")
        if not (source.protected_identity or "").strip():
            errors.add(f"{at}.protected_identity", "a protected source's identity is kept, "
                       "apart from the case")
    elif source.protected_identity:
        errors.add(f"{at}.protected_identity", "only a protected source has one")
    if (source.benefit or source.protected) and source.channel is not \
            SourceChannel.WITNESS_STATEMENT:
        errors.add(f"{at}.channel", "protection and benefits are recorded of witness "
                   "statements")
    if source.reporter_user_id is not None and tx.users.get(source.reporter_user_id) is None:
        errors.add(f"{at}.reporter_user_id", f"account {source.reporter_user_id} does not exist")
    if source.reporter_officer_id is not None and tx.officers.get(
            source.reporter_officer_id) is None:
        errors.add(f"{at}.reporter_officer_id",
                   f"officer {source.reporter_officer_id} does not exist")


def _check_allegation(tx: Transaction, errors: ErrorCollector, at: str,
                      allegation: NewAllegation, sources: int) -> None:
    _text(errors, f"{at}.summary", allegation.summary)
    _text(errors, f"{at}.accused_name", allegation.accused_name, required=False, least=2,
          most=NAME_MAX)
    _text(errors, f"{at}.place", allegation.place, required=False, least=2, most=300)
    badge = (allegation.accused_badge or "").strip()
    if len(badge) > 40:
        errors.add(f"{at}.accused_badge", "is longer than 40 characters")
    if allegation.officer_id is None and not badge and not (allegation.accused_name or "").strip():
        errors.add(f"{at}.officer_id", "name the accused: a registry officer, or the name or "
                   "badge number as given (kept unmatched until someone attaches them)")
    if allegation.officer_id is not None and tx.officers.get(allegation.officer_id) is None:
        errors.add(f"{at}.officer_id", f"officer {allegation.officer_id} does not exist; give "
                   "the accused's name or badge as given instead, to keep them unmatched")
    if allegation.occurred_on is not None and allegation.occurred_on > tx.today:
        errors.add(f"{at}.occurred_on", "is after today")
    if not allegation.sources:
        errors.add(f"{at}.sources", "say which source gave this allegation")
    for position in allegation.sources:
        if not 0 <= position < sources:
            errors.add(f"{at}.sources", f"there is no source {position}")


def open_case(uow: UnitOfWork, actor: Actor, new: NewCase) -> CaseFile:
    """Intake: a case with its sources and allegations, in one transaction."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_OPEN, "agency", new.agency_id
    ):
        require(actor, Permission.CASE_OPEN, resource_type="integrity_case")
        agency = tx.agencies.get(new.agency_id)
        if agency is None:
            raise NotFound(f"agency {new.agency_id} does not exist")
        require(actor, Permission.CASE_OPEN, holder_of(agency), resource_type="agency",
                resource_id=agency.id)
        errors = ErrorCollector()
        summary = _text(errors, "summary", new.summary)
        if not new.sources:
            errors.add("sources", "an allegation comes from somewhere: give its source")
        if not new.allegations:
            errors.add("allegations", "a case holds at least one allegation")
        for i, source in enumerate(new.sources):
            _check_source(tx, errors, f"sources[{i}]", source)
        for i, allegation in enumerate(new.allegations):
            _check_allegation(tx, errors, f"allegations[{i}]", allegation, len(new.sources))
        errors.raise_if_any()
        case_id = tx.integrity.add_case(agency_id=agency.id, summary=summary or "",
                                        opened_at=tx.now, opened_by=actor.username,
                                        today=tx.today)
        source_ids = []
        for source in new.sources:
            source_id = tx.integrity.add_source(
                case_id=case_id, channel=source.channel, reliability=source.reliability,
                credibility=source.credibility, protected=source.protected,
                benefit=source.benefit, coercion_claimed=source.coercion_claimed,
                reporter_name=(source.reporter_name or "").strip() or None,
                reporter_user_id=source.reporter_user_id,
                reporter_officer_id=source.reporter_officer_id, account=source.account.strip(),
                received_on=source.received_on, relayed_by=actor.username,
                relayed_by_id=actor.user_id)
            if source.protected and source.protected_identity:
                tx.integrity.add_protected_identity(source_id, source.protected_identity.strip(),
                                                    at=tx.now, by=actor.username)
            source_ids.append(source_id)
        for allegation in new.allegations:
            tx.integrity.add_allegation(
                case_id=case_id, kind=allegation.kind, officer_id=allegation.officer_id,
                accused_name=(allegation.accused_name or "").strip() or None,
                accused_badge=(allegation.accused_badge or "").strip() or None,
                occurred_on=allegation.occurred_on,
                place=(allegation.place or "").strip() or None,
                summary=allegation.summary.strip(),
                source_ids=sorted({source_ids[i] for i in allegation.sources}))
        officers = sorted({a.officer_id for a in new.allegations if a.officer_id is not None})
        tx.audit.record(actor, AuditAction.CASE_OPEN, "integrity_case", case_id, detail={
            "agency_id": agency.id, "allegations": len(new.allegations),
            "sources": len(new.sources), "officers": officers,
            "unmatched": sum(1 for a in new.allegations if a.officer_id is None)})
        return case_file(tx, load_case(tx, case_id), frozenset())


def assign(uow: UnitOfWork, actor: Actor, case_id: int, user_id: int, duty: Duty, *,
           officer_id: int | None = None) -> CaseFile:
    """Give a case its investigator, a decider, or its appeal's decider. The safeguards are
    checked here and again when the person acts."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_ASSIGN, "integrity_case", case_id
    ):
        case = load_case(tx, case_id, lock=True)
        require(actor, Permission.CASE_ASSIGN, case_holder(tx, case),
                resource_type="integrity_case", resource_id=case_id)
        if case.stage is Stage.CLOSED:
            raise Conflict(f"case {case_id} is closed", code="closed")
        user = tx.users.get(user_id)
        if user is None or not user.active:
            raise NotFound(f"there is no active account {user_id}")
        if user.role is not DUTY_ROLES[duty]:
            raise Conflict(f"a case's {duty} is a {DUTY_ROLES[duty]} account; {user.username} "
                           f"is {user.role}", code="role")
        if officer_id is not None and tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        people = case_people(tx, case_id)
        check_may_act(person(tx, user_id, officer_id, people), duty, people)
        if not tx.integrity.assign(case_id=case_id, user_id=user_id, duty=duty,
                                   officer_id=officer_id, assigned_by=actor.username,
                                   assigned_at=tx.now):
            raise Conflict(f"{user.username} is already this case's {duty}", code="assigned")
        if duty is Duty.INVESTIGATOR and case.stage is Stage.INTAKE:
            tx.integrity.set_stage(case_id, move(case.stage, Stage.ASSIGNED), tx.today)
        tx.audit.record(actor, AuditAction.CASE_ASSIGN, "integrity_case", case_id,
                        detail={"user_id": user_id, "duty": duty.value})
        return case_file(tx, load_case(tx, case_id), frozenset())


def case_file(tx: Transaction, case: Case, duties: frozenset[Duty]) -> CaseFile:
    allegations = tx.integrity.allegations(case.id)
    sources = tx.integrity.sources(case.id)
    links = tx.integrity.links(case.id)
    findings = {f.allegation_id: f for f in tx.integrity.findings(case.id)}
    views = [AllegationView(a, standing_of(a, allegations, sources, links), findings.get(a.id))
             for a in allegations]
    return CaseFile(
        case, due(case.stage, case.stage_since, tx.today), views, sources,
        tx.integrity.evidence(case.id), links, tx.integrity.assignments(case.id),
        tx.integrity.notice(case.id), tx.integrity.answers(case.id),
        tx.integrity.sanctions(case.id), tx.integrity.appeal(case.id), duties)


def standing_of(allegation: Allegation, allegations: list[Allegation], sources: list[Source],
                links: list[Link]) -> Assessment:
    by_id = {s.id: s for s in sources}
    mine = [by_id[i].facts for i in allegation.source_ids if i in by_id]
    own = set(allegation.source_ids)
    evidence = [EvidenceLink(k.evidence_id, k.kind) for k in links
                if k.allegation_id == allegation.id and k.evidence_id is not None]
    others = {a.id: a for a in allegations}
    linked = []
    for k in links:
        if k.allegation_id != allegation.id or k.other_allegation_id is None:
            continue
        other = others.get(k.other_allegation_id)
        if other is None:
            continue
        # Independent: it rests on a source of its own that can stand, or on evidence.
        strong = any(by_id[i].facts.weakness is None for i in other.source_ids
                     if i in by_id and i not in own)
        backed = any(e.allegation_id == other.id and e.evidence_id is not None
                     for e in links)
        linked.append(AllegationLink(other.id, k.kind, strong or backed))
    return assess(mine, evidence, linked)


def read_case(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseFile:
    """The case file, for its people and the supervisors of its scope; audited."""
    with uow.transaction() as tx:
        case = load_case(tx, case_id)
        duties = require_file(tx, actor, case)
        found = case_file(tx, case, duties)
        tx.audit.record(actor, AuditAction.CASE_READ, "integrity_case", case_id, detail={
            "officers": sorted({a.allegation.officer_id for a in found.allegations
                                if a.allegation.officer_id is not None})})
        return found


def case_stage(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseStage:
    """That a case exists and its stage: what a role without need-to-know may learn."""
    with uow.transaction() as tx:
        case = load_case(tx, case_id)
        require(actor, Permission.CASE_STAGE_READ, case_holder(tx, case),
                resource_type="integrity_case", resource_id=case_id)
        tx.audit.record(actor, AuditAction.CASE_STAGE_READ, "integrity_case", case_id)
        return CaseStage(case.id, case.stage, case.stage_since)


def officer_cases(uow: UnitOfWork, actor: Actor, officer_id: int) -> list[CaseStage]:
    """The cases in which an officer is accused, as existence and stage only."""
    with uow.transaction() as tx:
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        require(actor, Permission.CASE_STAGE_READ, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        cases = tx.integrity.cases_of_officer(officer_id)
        tx.audit.record(actor, AuditAction.CASE_STAGE_READ, "officer", officer_id,
                        detail={"cases": [c.id for c in cases]})
        return [CaseStage(c.id, c.stage, c.stage_since) for c in cases]


def queue(uow: UnitOfWork, actor: Actor, *, limit: int = 200) -> list[QueueLine]:
    """What waits for the caller, oldest step first, with what is late: an investigator's and
    a decider's own cases; a supervisor's whole scope."""
    with uow.transaction() as tx:
        require(actor, Permission.CASE_READ, resource_type="integrity_case")
        if actor.role is Role.INTERNAL_AFFAIRS_SUPERVISOR or actor.user_id is None:
            cases = tx.integrity.queue(actor.scope, limit=limit)
        else:
            cases = tx.integrity.queue(actor.scope, user_id=actor.user_id, limit=limit)
        # The allegations counted in one read for the whole list, not read case by case.
        counts = tx.integrity.allegation_counts([c.id for c in cases])
        lines = [QueueLine(c, due(c.stage, c.stage_since, tx.today), counts.get(c.id, 0))
                 for c in cases]
        tx.audit.record(actor, AuditAction.CASE_QUEUE_READ, "integrity_case", None,
                        detail={"results": [c.id for c in cases],
                                "overdue": sum(1 for line in lines if line.due.overdue)})
        return lines


def close_at_intake(uow: UnitOfWork, actor: Actor, case_id: int, note: str) -> CaseFile:
    """A supervisor files away a case that is not for internal affairs, before any notice."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_MOVE, "integrity_case", case_id
    ):
        case = load_case(tx, case_id, lock=True)
        require(actor, Permission.CASE_ASSIGN, case_holder(tx, case),
                resource_type="integrity_case", resource_id=case_id)
        errors = ErrorCollector()
        kept = _text(errors, "note", note)
        errors.raise_if_any()
        tx.integrity.set_stage(case_id, move(case.stage, Stage.CLOSED), tx.today,
                               closing_note=kept)
        tx.audit.record(actor, AuditAction.CASE_MOVE, "integrity_case", case_id,
                        detail={"from": case.stage.value, "to": Stage.CLOSED.value})
        return case_file(tx, load_case(tx, case_id), frozenset())

