"""Evaluation routes: request, queues, read, schedule, withdraw, decide and confirm.

Each route is a handful of indexed statements (a confirmed not-approved decision, the longest,
writes a few dozen rows), so all run inline on the event loop (docs/adr/0007). The exam, appeal,
centre and certification routes live in their own modules.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, ContainerDep, IssuerDep, PolicyDep, UowDep
from confianza.certification.service import decisions as decision_service
from confianza.core.web.schemas import Problem, check_limit
from confianza.vetting.rules.evaluations import EvaluationStatus
from confianza.vetting.schemas.evaluations import (
    ApplicantEvaluationIn,
    CancelIn,
    Cancelled,
    ConfirmationIn,
    DecisionIn,
    EvaluationIn,
    EvaluationLineOut,
    EvaluationList,
    EvaluationOut,
    EvaluationPage,
    ScheduleIn,
)
from confianza.vetting.service import evaluations as evaluation_service

CONFLICT: dict[int | str, dict[str, Any]] = {409: {
    "model": Problem,
    "description": "The evaluation is not in a state that "
                   "allows this step, or the step was already taken.",
}}

router = APIRouter(tags=["evaluations"], route_class=ContractRoute)


@router.post("/evaluations", dependencies=[permit(P.EVALUATION_REQUEST)],
             status_code=201, response_model=EvaluationOut,
             responses={**CONFLICT, **problems(404)})
async def request_evaluation(
    body: EvaluationIn, actor: ActorDep, uow: UowDep, policy: PolicyDep, response: Response,
) -> EvaluationOut:
    """Ask for an officer's evaluation; the battery of exams follows from kind, rank and access
    to sensitive information. An officer has one evaluation under way at a time."""
    view = evaluation_service.request_evaluation(uow, actor, body.to_domain(), policy=policy)
    response.headers["Location"] = f"/api/v1/evaluations/{view.evaluation.id}"
    return EvaluationOut.of(view)


@router.post("/evaluations/applicants", dependencies=[permit(P.EVALUATION_REQUEST)],
             status_code=201, response_model=EvaluationOut,
             responses={**CONFLICT, **problems(404)})
async def request_applicant_evaluation(
    body: ApplicantEvaluationIn, actor: ActorDep, uow: UowDep, policy: PolicyDep,
    response: Response,
) -> EvaluationOut:
    """Register an applicant (without a post: they are appointed only once approved) and ask
    for their new-entry evaluation, together."""
    view = evaluation_service.request_applicant_evaluation(
        uow, actor, body.applicant.to_domain(), body.agency_id, body.rank,
        sensitive_access=body.sensitive_access, policy=policy,
    )
    response.headers["Location"] = f"/api/v1/evaluations/{view.evaluation.id}"
    return EvaluationOut.of(view)


@router.get("/evaluations", dependencies=[permit(P.EVALUATION_READ)],
            response_model=EvaluationPage, responses=problems(404))
async def list_evaluations(
    actor: ActorDep,
    uow: UowDep,
    container: ContainerDep,
    status: Annotated[list[EvaluationStatus] | None,
                      Query(description="Repeat for several; all when omitted.")] = None,
    agency_id: Annotated[int | None, Query(ge=1)] = None,
    centre_id: Annotated[int | None, Query(ge=1)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1)] = 50,
) -> EvaluationPage:
    """Evaluations in the caller's scope, oldest first: requests to book, decisions to take,
    decisions awaiting confirmation."""
    limit = check_limit(limit, container.settings.page_size_max)
    page = evaluation_service.list_evaluations(
        uow, actor, statuses=tuple(dict.fromkeys(status or ())), agency_id=agency_id,
        centre_id=centre_id, cursor=cursor, limit=limit,
    )
    return EvaluationPage(items=[EvaluationLineOut.of_line(x) for x in page.items],
                          next_cursor=page.next_cursor)


@router.get("/evaluations/{evaluation_id}", dependencies=[permit(P.EVALUATION_READ)],
            response_model=EvaluationOut)
async def get_evaluation(evaluation_id: int, actor: ActorDep, uow: UowDep) -> EvaluationOut:
    """One evaluation; exam results, the integration and the grounds only for those who read
    results (certification officers)."""
    return EvaluationOut.of(evaluation_service.get_evaluation(uow, actor, evaluation_id))


@router.post("/evaluations/{evaluation_id}/schedule", dependencies=[permit(P.EVALUATION_SCHEDULE)],
             response_model=EvaluationOut,
             responses=CONFLICT)
async def schedule_evaluation(
    evaluation_id: int, body: ScheduleIn, actor: ActorDep, uow: UowDep
) -> EvaluationOut:
    """Book the evaluation at a centre: each exam still to give with a qualified examiner of
    that centre, on a day the centre has room for it."""
    view = evaluation_service.schedule_evaluation(uow, actor, evaluation_id, body.centre_id,
                                                  body.to_domain())
    return EvaluationOut.of(view)


@router.post("/evaluations/{evaluation_id}/cancel", dependencies=[permit(P.EVALUATION_REQUEST)],
             response_model=Cancelled,
             responses=CONFLICT)
async def cancel_evaluation(
    evaluation_id: int, body: CancelIn, actor: ActorDep, uow: UowDep
) -> Cancelled:
    """Withdraw a request before its exams are all in, saying why."""
    evaluation_service.cancel_evaluation(uow, actor, evaluation_id, body.reason)
    return Cancelled(id=evaluation_id, status=EvaluationStatus.CANCELLED)


@router.get("/officers/{officer_id}/evaluations", dependencies=[permit(P.EVALUATION_READ)],
            response_model=EvaluationList)
async def officer_evaluations(officer_id: int, actor: ActorDep, uow: UowDep) -> EvaluationList:
    """An officer's evaluations, newest first: kinds, dates, verdicts and validity."""
    found = evaluation_service.officer_evaluations(uow, actor, officer_id)
    return EvaluationList(items=found)


@router.post("/evaluations/{evaluation_id}/decision", dependencies=[permit(P.EVALUATION_DECIDE)],
             response_model=EvaluationOut,
             responses=CONFLICT)
async def decide(
    evaluation_id: int, body: DecisionIn, actor: ActorDep, uow: UowDep, policy: PolicyDep,
    issuer: IssuerDep,
) -> EvaluationOut:
    """Approve, or propose not to approve (which waits for a second officer's confirmation).
    Who examined may not decide."""
    view = decision_service.decide(uow, actor, evaluation_id, body.verdict, body.grounds,
                                   policy=policy, issuer=issuer)
    return EvaluationOut.of(view)


@router.post("/evaluations/{evaluation_id}/confirmation",
             dependencies=[permit(P.EVALUATION_DECIDE)], response_model=EvaluationOut,
             responses=CONFLICT)
async def confirm(
    evaluation_id: int, body: ConfirmationIn, actor: ActorDep, uow: UowDep, policy: PolicyDep,
    issuer: IssuerDep,
) -> EvaluationOut:
    """A second certification officer confirms a not-approved decision (it takes effect at
    once: removal from duty, notice to the agency, separation process, certificate revoked)
    or sends it back with a note."""
    view = decision_service.confirm(uow, actor, evaluation_id, agree=body.agree, note=body.note,
                                    policy=policy, issuer=issuer)
    return EvaluationOut.of(view)
