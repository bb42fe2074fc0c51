"""The investigation: the notice, its service, the officer's answer, evidence and links, and
the hand-over to the deciders. Only the case's investigator takes these steps."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.core.errors import Conflict, ErrorCollector, FieldError, ValidationFailed
from confianza.integrity.rules.catalogue import Duty, LinkKind
from confianza.integrity.rules.records import Allegation, Case, Source
from confianza.integrity.rules.safeguards import check_may_act
from confianza.integrity.rules.stages import GATHERING, Stage, answer_closed, move
from confianza.integrity.service.access import (
    assigned_officer,
    case_people,
    load_case,
    person,
    require_file,
)
from confianza.integrity.service.cases import CaseFile, _text, case_file
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.vetting.service.exams import ATTACHMENT_MAX, MEDIA_TYPES
from confianza.work import Transaction, UnitOfWork

INVESTIGATOR = frozenset({Duty.INVESTIGATOR})


def _investigator(tx: Transaction, actor: Actor, case_id: int) -> Case:
    """The case, locked, for its investigator, who must still be allowed to investigate it."""
    case = load_case(tx, case_id, lock=True)
    require_file(tx, actor, case, Permission.CASE_INVESTIGATE, INVESTIGATOR)
    if actor.user_id is not None:
        people = case_people(tx, case_id)
        check_may_act(person(tx, actor.user_id, assigned_officer(tx, case_id, actor.user_id),
                             people), Duty.INVESTIGATOR, people)
    return case


def notice_content(case: Case, allegations: Sequence[Allegation],
                   sources: Sequence[Source]) -> dict[str, object]:
    """What the accused is told: each allegation and where it came from, by channel. A
    protected source is only "a protected witness"; an anonymous one names nobody; a named
    complainant is named, as due process requires."""
    by_id = {s.id: s for s in sources}

    def told(source: Source) -> dict[str, object]:
        if source.protected:
            return {"channel": source.channel.value, "protected": True}
        shown: dict[str, object] = {"channel": source.channel.value, "protected": False,
                                    "received_on": source.received_on.isoformat()}
        if source.reporter_name:
            shown["reporter_name"] = source.reporter_name
        return shown

    return {"case_id": case.id, "allegations": [
        {"id": a.id, "kind": a.kind.value, "officer_id": a.officer_id,
         "accused_name": a.accused_name, "accused_badge": a.accused_badge,
         "occurred_on": a.occurred_on.isoformat() if a.occurred_on else None,
         "place": a.place, "summary": a.summary,
         "sources": [told(by_id[i]) for i in a.source_ids if i in by_id]}
        for a in allegations]}


def issue_notice(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseFile:
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_NOTICE, "integrity_case", case_id
    ):
        case = _investigator(tx, actor, case_id)
        stage = move(case.stage, Stage.NOTIFIED)
        allegations = tx.integrity.allegations(case_id)
        content = notice_content(case, allegations, tx.integrity.sources(case_id))
        tx.integrity.add_notice(case_id=case_id, issued_on=tx.today, issued_by=actor.username,
                                content=json.dumps(content, ensure_ascii=False))
        tx.integrity.set_stage(case_id, stage, tx.today)
        tx.audit.record(actor, AuditAction.CASE_NOTICE, "integrity_case", case_id,
                        detail={"allegations": len(allegations)})
        return case_file(tx, load_case(tx, case_id), INVESTIGATOR)


def serve_notice(uow: UnitOfWork, actor: Actor, case_id: int, served_on: date) -> CaseFile:
    """The notice reached the officer: the answer period runs from that day."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_NOTICE_SERVE, "integrity_case", case_id
    ):
        case = _investigator(tx, actor, case_id)
        stage = move(case.stage, Stage.ANSWER_PERIOD)
        notice = tx.integrity.notice(case_id)
        if notice is None or served_on < notice.issued_on or served_on > tx.today:
            raise ValidationFailed(FieldError("served_on", "must be between the day the "
                                              "notice was issued and today"))
        tx.integrity.serve_notice(case_id, served_on)
        tx.integrity.set_stage(case_id, stage, served_on)
        tx.audit.record(actor, AuditAction.CASE_NOTICE_SERVE, "integrity_case", case_id,
                        detail={"served_on": served_on.isoformat()})
        return case_file(tx, load_case(tx, case_id), INVESTIGATOR)


def record_answer(uow: UnitOfWork, actor: Actor, case_id: int, text: str,
                  coerced_source_ids: Sequence[int] = ()) -> CaseFile:
    """The officer's answer, and the statements they say were coerced; the investigation
    then gathers evidence."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_ANSWER, "integrity_case", case_id
    ):
        case = _investigator(tx, actor, case_id)
        if case.stage not in (Stage.ANSWER_PERIOD, Stage.EVIDENCE):
            raise Conflict(f"case {case_id} is in stage {case.stage}: an answer is recorded "
                           "once the notice was served and until the case goes to its "
                           "deciders", code="stage")
        errors = ErrorCollector()
        kept = _text(errors, "text", text)
        known = {s.id for s in tx.integrity.sources(case_id)}
        for i, source_id in enumerate(coerced_source_ids):
            if source_id not in known:
                errors.add(f"coerced_source_ids[{i}]", f"source {source_id} is not in case "
                           f"{case_id}")
        errors.raise_if_any()
        tx.integrity.add_answer(case_id=case_id, received_on=tx.today, text=kept or "",
                                coerced_source_ids=coerced_source_ids,
                                recorded_by=actor.username)
        tx.integrity.claim_coercion(coerced_source_ids)
        if case.stage is Stage.ANSWER_PERIOD:
            tx.integrity.set_stage(case_id, move(case.stage, Stage.EVIDENCE), tx.today)
        tx.audit.record(actor, AuditAction.CASE_ANSWER, "integrity_case", case_id,
                        detail={"coerced_sources": sorted(coerced_source_ids)})
        return case_file(tx, load_case(tx, case_id), INVESTIGATOR)


def add_evidence(uow: UnitOfWork, actor: Actor, case_id: int, filename: str, media_type: str,
                 content: bytes, description: str) -> int:
    """Keep a document of the case by its SHA-256, with the limits exam files have."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_EVIDENCE, "integrity_case", case_id
    ):
        case = _investigator(tx, actor, case_id)
        if case.stage not in GATHERING:
            raise Conflict(f"case {case_id} is in stage {case.stage}: evidence is added "
                           "while the case is investigated", code="stage")
        name = filename.strip().replace("/", "_").replace("\\", "_")
        errors = ErrorCollector()
        if not name or len(name) > 200:
            errors.add("filename", "must be 1 to 200 characters")
        if media_type not in MEDIA_TYPES:
            errors.add("media_type", f"{media_type!r} is not accepted (one of: "
                       + ", ".join(sorted(MEDIA_TYPES)) + ")")
        if not content:
            errors.add("file", "is empty")
        if len(content) > ATTACHMENT_MAX:
            errors.add("file", f"is larger than {ATTACHMENT_MAX // 2**20} MiB")
        kept = _text(errors, "description", description)
        errors.raise_if_any()
        digest = hashlib.sha256(content).hexdigest()
        tx.evaluations.add_attachment(digest, media_type, content, tx.now)
        evidence_id = tx.integrity.add_evidence(
            case_id=case_id, sha256=digest, filename=name, description=kept or "",
            added_by=actor.username, added_at=tx.now)
        if evidence_id is None:
            raise Conflict(f"case {case_id} already holds this file (sha256 {digest})",
                           code="already_attached")
        tx.audit.record(actor, AuditAction.CASE_EVIDENCE, "integrity_case", case_id,
                        detail={"evidence_id": evidence_id, "sha256": digest,
                                "size": len(content)})
        return evidence_id


def add_link(uow: UnitOfWork, actor: Actor, case_id: int, allegation_id: int, kind: LinkKind,
             *, evidence_id: int | None = None,
             other_allegation_id: int | None = None) -> CaseFile:
    """Say that a piece of evidence, or another allegation, supports or contradicts one."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_LINK, "integrity_case", case_id
    ):
        case = _investigator(tx, actor, case_id)
        if case.stage not in GATHERING:
            raise Conflict(f"case {case_id} is in stage {case.stage}: links are made while "
                           "the case is investigated", code="stage")
        allegations = {a.id for a in tx.integrity.allegations(case_id)}
        errors = ErrorCollector()
        if allegation_id not in allegations:
            errors.add("allegation_id", f"allegation {allegation_id} is not in case {case_id}")
        if (evidence_id is None) == (other_allegation_id is None):
            errors.add("evidence_id", "link either a piece of evidence or another allegation")
        if evidence_id is not None and evidence_id not in {
                e.id for e in tx.integrity.evidence(case_id)}:
            errors.add("evidence_id", f"evidence {evidence_id} is not in case {case_id}")
        if other_allegation_id is not None and (other_allegation_id not in allegations
                                                or other_allegation_id == allegation_id):
            errors.add("other_allegation_id", f"allegation {other_allegation_id} is not "
                       "another allegation of this case")
        errors.raise_if_any()
        if any(k.allegation_id == allegation_id and k.evidence_id == evidence_id
               and k.other_allegation_id == other_allegation_id
               for k in tx.integrity.links(case_id)):
            raise Conflict("this link is already made", code="already_linked")
        link_id = tx.integrity.add_link(
            allegation_id=allegation_id, evidence_id=evidence_id,
            other_allegation_id=other_allegation_id, kind=kind, added_by=actor.username,
            added_at=tx.now)
        tx.audit.record(actor, AuditAction.CASE_LINK, "integrity_case", case_id,
                        detail={"link_id": link_id, "allegation_id": allegation_id,
                                "kind": kind.value})
        return case_file(tx, load_case(tx, case_id), INVESTIGATOR)


def submit_for_decision(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseFile:
    """The investigation is done: the case goes to its deciders. If the officer never
    answered, the answer period must be over first."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.CASE_MOVE, "integrity_case", case_id
    ):
        case = _investigator(tx, actor, case_id)
        stage = case.stage
        if stage is Stage.ANSWER_PERIOD:
            notice = tx.integrity.notice(case_id)
            served = notice.served_on if notice else None
            if served is None or not answer_closed(served, tx.today):
                raise Conflict("the officer's answer period is still running; the case waits "
                               "for their answer or the end of the period",
                               code="answer_period")
            stage = move(stage, Stage.EVIDENCE)
        stage = move(stage, Stage.FINDING)
        if not any(a.duty is Duty.DECIDER for a in tx.integrity.assignments(case_id)):
            raise Conflict("the case has no decider yet: a supervisor assigns one first",
                           code="no_decider")
        tx.integrity.set_stage(case_id, stage, tx.today)
        tx.audit.record(actor, AuditAction.CASE_MOVE, "integrity_case", case_id,
                        detail={"from": case.stage.value, "to": stage.value})
        return case_file(tx, load_case(tx, case_id), INVESTIGATOR)
