"""The early-intervention review queue over HTTP (ADR 0034): the flags of the caller's scope,
one flag with the history behind it, the review, and the report of flags found useful.

Each route names the role's permission (checked before the body is read, ADR 0018); the
service then checks the flag's scope and audits every read. Training and scoring stay in the
console: no route makes or changes a score.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, PolicyDep, UowDep
from confianza.risk.schemas import FlagDetailOut, QueueOut, ReviewIn, ReviewOut, UsefulnessOut
from confianza.risk.service import reviews

router = APIRouter(tags=["early intervention"], route_class=ContractRoute)
FLAG = "/risk/flags/{score_id}"


@router.get("/risk/flags", dependencies=[permit(P.RISK_REVIEW)], response_model=QueueOut)
def queue(actor: ActorDep, uow: UowDep) -> QueueOut:
    """The latest run's flags the caller's scope covers, highest score first, with the
    factors in words and the review once made (the read is audited)."""
    return QueueOut.of(reviews.queue(uow, actor))


@router.get(FLAG, dependencies=[permit(P.RISK_REVIEW)], response_model=FlagDetailOut)
def read_flag(score_id: int, actor: ActorDep, uow: UowDep) -> FlagDetailOut:
    """One flag: why (the factors), the run that made it and the officer's history behind it
    as the registry holds it today (the read is audited)."""
    return FlagDetailOut.of_view(reviews.flag(uow, actor, score_id))


@router.post(f"{FLAG}/review", dependencies=[permit(P.RISK_REVIEW)], status_code=201,
             response_model=ReviewOut, responses=problems(409))
def review(score_id: int, body: ReviewIn, actor: ActorDep, uow: UowDep, policy: PolicyDep,
           response: Response) -> ReviewOut:
    """What was done about the flag and whether it was useful. A flag is reviewed once; a
    special trust-control evaluation is requested in the same transaction."""
    found = reviews.review(uow, actor, score_id, body.outcome, body.useful, body.note,
                           policy=policy)
    response.headers["Location"] = f"/api/v1/risk/flags/{score_id}"
    return ReviewOut.of(found)


@router.get("/risk/report", dependencies=[permit(P.RISK_REPORT)],
            response_model=UsefulnessOut)
def report(actor: ActorDep, uow: UowDep) -> UsefulnessOut:
    """How many flags were reviewed and found useful, by outcome, over every run and by the
    method that raised them (a model or the threshold rule), with the rule's own evaluation
    and fairness figures once it has flagged."""
    return UsefulnessOut.of_report(reviews.report(uow, actor))
