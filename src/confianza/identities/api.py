"""Candidate pairs over HTTP: the clerk's list, one pair's evidence, and the decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, UowDep
from confianza.identities.rules.candidates import CandidateStatus
from confianza.identities.schemas import CandidateOut, CandidatePage, DecidedOut, DecisionIn
from confianza.identities.service import decisions

router = APIRouter(prefix="/identity-candidates", tags=["identities"],
                   route_class=ContractRoute)


@router.get("", dependencies=[permit(P.IDENTITY_MATCH)], response_model=CandidatePage)
def list_candidates(
    actor: ActorDep, uow: UowDep,
    status: CandidateStatus | None = CandidateStatus.PROPOSED,
    after: Annotated[int | None, Query(ge=0, description="The last id of the previous page")]
    = None,
    limit: Annotated[int, Query(ge=1, le=500)] = decisions.PAGE_SIZE,
) -> CandidatePage:
    """Candidate pairs in the order they were proposed, a page at a time (proposed ones
    unless `status` says otherwise)."""
    found = decisions.list_candidates(uow, actor, status=status, after_id=after, limit=limit)
    return CandidatePage(items=[CandidateOut.of(c) for c in found],
                         next_after=found[-1].id if len(found) == limit else None)


@router.get("/{candidate_id}", dependencies=[permit(P.IDENTITY_MATCH)],
            response_model=CandidateOut, responses=problems(404))
def get_candidate(candidate_id: int, actor: ActorDep, uow: UowDep) -> CandidateOut:
    """One candidate pair with its evidence."""
    return CandidateOut.of(decisions.get_candidate(uow, actor, candidate_id))


@router.post("/{candidate_id}/decision", dependencies=[permit(P.IDENTITY_MATCH)],
             response_model=DecidedOut, responses=problems(404, 409))
def decide(candidate_id: int, body: DecisionIn, actor: ActorDep, uow: UowDep) -> DecidedOut:
    """Confirm (merge the two officers, or link the file's key to the officer) or reject
    (never proposed again) a proposed pair. A merge that would break the registry's rules
    (two open postings at once) is refused with the reason."""
    return DecidedOut.of(decisions.decide(uow, actor, candidate_id, body.decision))
