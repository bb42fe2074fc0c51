"""Integrity cases over HTTP (ADR 0030): intake, the queue, the case file, due process, the
decision with its safeguards, the sanction and its appeal.

Each route declares the role's permission (checked before the body is read, ADR 0018); the
service then checks the scope and need-to-know, and every safeguard. A refusal is a problem
document naming the rule, and its audit entry is written after the rollback.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, PolicyDep, UowDep
from confianza.integrity.schemas.cases import (
    AnswerIn,
    AppealDecisionIn,
    AssignIn,
    CaseFileOut,
    CaseIn,
    CaseStageOut,
    EvidenceAddedOut,
    FindingIn,
    GroundsIn,
    LinkIn,
    NoteIn,
    QueueLineOut,
    QueueOut,
    SanctionIn,
    ServeIn,
    SpecialEvaluationIn,
    SpecialEvaluationOut,
)
from confianza.integrity.service import cases, decisions, process
from confianza.vetting.service.exams import ATTACHMENT_MAX

router = APIRouter(tags=["integrity"], route_class=ContractRoute)
CASE = "/integrity/cases/{case_id}"


@router.post("/integrity/cases", dependencies=[permit(P.CASE_OPEN)], status_code=201,
             response_model=CaseFileOut, responses=problems(404))
def open_case(body: CaseIn, actor: ActorDep, uow: UowDep, response: Response) -> CaseFileOut:
    """Intake: a case with its sources and allegations. An accused the registry cannot name
    for certain is kept as given (name, badge) and never attached by guess; an officer id
    that does not exist is refused naming the field."""
    found = cases.open_case(uow, actor, body.to_new())
    response.headers["Location"] = f"/api/v1/integrity/cases/{found.case.id}"
    return CaseFileOut.of(found)


@router.get("/integrity/queue", dependencies=[permit(P.CASE_READ)], response_model=QueueOut)
def queue(actor: ActorDep, uow: UowDep,
          limit: Annotated[int, Query(ge=1, le=500)] = 200) -> QueueOut:
    """What waits for the caller, oldest step first, with its deadline and whether it is
    late: an investigator's and a decider's own cases, a supervisor's whole scope."""
    lines = cases.queue(uow, actor, limit=limit)
    return QueueOut(items=[QueueLineOut.of(line) for line in lines],
                    overdue=sum(1 for line in lines if line.due.overdue))


@router.get(CASE, dependencies=[permit(P.CASE_READ)], response_model=CaseFileOut)
def read_case(case_id: int, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """The case file, for its people and the supervisors of its scope (the read is audited).
    Nobody else, whatever their role, reads it: they get 403."""
    return CaseFileOut.of(cases.read_case(uow, actor, case_id))


@router.get(f"{CASE}/stage", dependencies=[permit(P.CASE_STAGE_READ)],
            response_model=CaseStageOut)
def case_stage(case_id: int, actor: ActorDep, uow: UowDep) -> CaseStageOut:
    """That the case exists and its stage: all a role without need-to-know learns."""
    return CaseStageOut.model_validate(cases.case_stage(uow, actor, case_id))


@router.get("/officers/{officer_id}/integrity-cases", dependencies=[permit(P.CASE_STAGE_READ)],
            response_model=list[CaseStageOut])
def officer_cases(officer_id: int, actor: ActorDep, uow: UowDep) -> list[CaseStageOut]:
    """The cases in which an officer is accused, as existence and stage only."""
    return [CaseStageOut.model_validate(c) for c in cases.officer_cases(uow, actor, officer_id)]


@router.post(f"{CASE}/assignments", dependencies=[permit(P.CASE_ASSIGN)],
             response_model=CaseFileOut, responses=problems(409))
def assign(case_id: int, body: AssignIn, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """Give the case its investigator, a decider or its appeal's decider; whoever filed or
    relayed an allegation, an accused, or someone in the accused's chain of command is
    refused naming the rule."""
    return CaseFileOut.of(cases.assign(uow, actor, case_id, body.user_id, body.duty,
                                       officer_id=body.officer_id))


@router.post(f"{CASE}/close-at-intake", dependencies=[permit(P.CASE_ASSIGN)],
             response_model=CaseFileOut, responses=problems(409))
def close_at_intake(case_id: int, body: NoteIn, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """A supervisor files away a case that is not for internal affairs, before any notice."""
    return CaseFileOut.of(cases.close_at_intake(uow, actor, case_id, body.note))


@router.post(f"{CASE}/notice", dependencies=[permit(P.CASE_INVESTIGATE)],
             response_model=CaseFileOut, responses=problems(409))
def issue_notice(case_id: int, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """The notice to the officer: each allegation and, of each source, its channel (a
    protected source is only "a protected witness")."""
    return CaseFileOut.of(process.issue_notice(uow, actor, case_id))


@router.post(f"{CASE}/notice/service", dependencies=[permit(P.CASE_INVESTIGATE)],
             response_model=CaseFileOut, responses=problems(409))
def serve_notice(case_id: int, body: ServeIn, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """The day the notice reached the officer: the answer period runs from it."""
    return CaseFileOut.of(process.serve_notice(uow, actor, case_id, body.served_on))


@router.post(f"{CASE}/answers", dependencies=[permit(P.CASE_INVESTIGATE)],
             response_model=CaseFileOut, responses=problems(409))
def record_answer(case_id: int, body: AnswerIn, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """The officer's answer, and the statements they say were coerced."""
    return CaseFileOut.of(process.record_answer(uow, actor, case_id, body.text,
                                                body.coerced_source_ids))


@router.post(f"{CASE}/evidence", dependencies=[permit(P.CASE_INVESTIGATE)], status_code=201,
             response_model=EvidenceAddedOut, responses=problems(409))
def add_evidence(
    case_id: int, actor: ActorDep, uow: UowDep,
    file: Annotated[UploadFile, File(description="PDF, JPEG, PNG or plain text, up to 10 MiB; "
                                     "its part's Content-Type is its media type.")],
    description: Annotated[str, Form(max_length=4000)],
) -> EvidenceAddedOut:
    """A document of the case (multipart/form-data: `file`, `description`), kept by the
    SHA-256 of its content with the limits exam files have."""
    # One byte more than allowed is enough for the service to refuse an oversized file.
    content = file.file.read(ATTACHMENT_MAX + 1)
    media_type = (file.content_type or "").split(";")[0].strip().lower()
    filename = file.filename or ""
    evidence_id = process.add_evidence(uow, actor, case_id, filename, media_type, content,
                                       description)
    return EvidenceAddedOut(evidence_id=evidence_id, sha256=hashlib.sha256(content).hexdigest(),
                            filename=filename, media_type=media_type, size=len(content))


@router.post(f"{CASE}/links", dependencies=[permit(P.CASE_INVESTIGATE)],
             response_model=CaseFileOut, responses=problems(409))
def add_link(case_id: int, body: LinkIn, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """Evidence, or another allegation, supports or contradicts an allegation; its standing
    follows."""
    return CaseFileOut.of(process.add_link(
        uow, actor, case_id, body.allegation_id, body.kind, evidence_id=body.evidence_id,
        other_allegation_id=body.other_allegation_id))


@router.post(f"{CASE}/submission", dependencies=[permit(P.CASE_INVESTIGATE)],
             response_model=CaseFileOut, responses=problems(409))
def submit(case_id: int, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """The investigation is done: the case goes to its deciders."""
    return CaseFileOut.of(process.submit_for_decision(uow, actor, case_id))


@router.post(f"{CASE}/findings", dependencies=[permit(P.CASE_DECIDE)],
             response_model=CaseFileOut, responses=problems(409))
def record_finding(case_id: int, body: FindingIn, actor: ActorDep,
                   uow: UowDep) -> CaseFileOut:
    """A finding on one allegation, by one of the case's deciders. A sustained finding that
    rests on nothing, or only on sources that cannot stand alone, is refused (409, naming
    the rule); one resting on a statement said to be coerced waits for a second decider."""
    return CaseFileOut.of(decisions.record_finding(
        uow, actor, case_id, body.allegation_id, body.finding, body.grounds,
        [r.to_relied() for r in body.relied_on]))


@router.post(f"{CASE}/findings/{{finding_id}}/confirmation",
             dependencies=[permit(P.CASE_DECIDE)], response_model=CaseFileOut,
             responses=problems(409))
def confirm_finding(case_id: int, finding_id: int, actor: ActorDep,
                    uow: UowDep) -> CaseFileOut:
    """The second person: another decider confirms a finding that waits for one."""
    return CaseFileOut.of(decisions.confirm_finding(uow, actor, case_id, finding_id))


@router.post(f"{CASE}/special-evaluation", dependencies=[permit(P.CASE_DECIDE)],
             status_code=201, response_model=SpecialEvaluationOut, responses=problems(409))
def special_evaluation(case_id: int, body: SpecialEvaluationIn, actor: ActorDep, uow: UowDep,
                       policy: PolicyDep) -> SpecialEvaluationOut:
    """A sustained finding of a kind the trust-control law names asks for a special
    trust-control evaluation of the officer."""
    return SpecialEvaluationOut(evaluation_id=decisions.request_special_evaluation(
        uow, actor, case_id, body.allegation_id, policy=policy))


@router.post(f"{CASE}/sanctions", dependencies=[permit(P.CASE_DECIDE)],
             response_model=CaseFileOut, responses=problems(409))
def record_sanction(case_id: int, body: SanctionIn, actor: ActorDep,
                    uow: UowDep) -> CaseFileOut:
    """The sanction of an officer with a sustained finding in effect."""
    return CaseFileOut.of(decisions.record_sanction(uow, actor, case_id, body.officer_id,
                                                    body.kind, body.grounds, body.days))


@router.post(f"{CASE}/appeal", dependencies=[permit(P.CASE_APPEAL_FILE)],
             response_model=CaseFileOut, responses=problems(409))
def file_appeal(case_id: int, body: GroundsIn, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """The officer's appeal against the sanction, filed by their agency's HR in time."""
    return CaseFileOut.of(decisions.file_appeal(uow, actor, case_id, body.grounds))


@router.post(f"{CASE}/appeal/decision", dependencies=[permit(P.CASE_DECIDE)],
             response_model=CaseFileOut, responses=problems(409))
def decide_appeal(case_id: int, body: AppealDecisionIn, actor: ActorDep,
                  uow: UowDep) -> CaseFileOut:
    """A third person decides the appeal; an upheld dismissal opens the separation."""
    return CaseFileOut.of(decisions.decide_appeal(uow, actor, case_id, body.outcome,
                                                  body.resolution))


@router.post(f"{CASE}/closing", dependencies=[permit(P.CASE_DECIDE)],
             response_model=CaseFileOut, responses=problems(409))
def close_case(case_id: int, body: NoteIn, actor: ActorDep, uow: UowDep) -> CaseFileOut:
    """A decider closes the case: nothing sustained, or the appeal period over."""
    return CaseFileOut.of(decisions.close_case(uow, actor, case_id, body.note))
