"""Another authority's sanctions over HTTP (issue 17, item 6; ADR 0036): the review queue, one
record with its candidates, and the reviewer's link or rejection. The import is the command's
(`confianza integrity sanctions import`): a list is a file an operator receives."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, UowDep
from confianza.integrity.schemas.outside_sanctions import (
    OutsideLinkIn,
    OutsideQueueOut,
    OutsideRejectIn,
    OutsideSanctionOut,
    ReviewItemOut,
)
from confianza.integrity.service import outside_sanctions as service

router = APIRouter(tags=["integrity"], route_class=ContractRoute)
BASE = "/integrity/outside-sanctions"


@router.get(BASE, dependencies=[permit(P.OUTSIDE_SANCTIONS_REVIEW)],
            response_model=OutsideQueueOut)
def queue(
    actor: ActorDep, uow: UowDep,
    unmatched: Annotated[bool, Query(description="Also the records matched to nobody")] = False,
    after: Annotated[int | None, Query(ge=0, description="The last id of the previous page")]
    = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> OutsideQueueOut:
    """The records waiting for review in the caller's scope, oldest first, each with its
    candidates and each fact's level (audited)."""
    found = service.review_queue(uow, actor, unmatched=unmatched, after=after, limit=limit)
    return OutsideQueueOut(items=[OutsideSanctionOut.of(s) for s in found],
                           next_after=found[-1].id if len(found) == limit else None)


@router.get(BASE + "/{sanction_id}", dependencies=[permit(P.OUTSIDE_SANCTIONS_REVIEW)],
            response_model=ReviewItemOut, responses=problems(404))
def item(sanction_id: int, actor: ActorDep, uow: UowDep) -> ReviewItemOut:
    """One record, with its candidates' registry records beside it (audited)."""
    return ReviewItemOut.of(service.read_review_item(uow, actor, sanction_id))


@router.post(BASE + "/{sanction_id}/link", dependencies=[permit(P.OUTSIDE_SANCTIONS_REVIEW)],
             response_model=OutsideSanctionOut, responses=problems(404, 409))
def link(sanction_id: int, body: OutsideLinkIn, actor: ActorDep,
         uow: UowDep) -> OutsideSanctionOut:
    """Link a record waiting for review (or matched to nobody) to an officer; 409 if it was
    decided already."""
    return OutsideSanctionOut.of(service.link_outside_sanction(
        uow, actor, sanction_id, body.officer_id, note=body.note))


@router.post(BASE + "/{sanction_id}/reject",
             dependencies=[permit(P.OUTSIDE_SANCTIONS_REVIEW)],
             response_model=OutsideSanctionOut, responses=problems(404, 409))
def reject(sanction_id: int, body: OutsideRejectIn, actor: ActorDep,
           uow: UowDep) -> OutsideSanctionOut:
    """Find a record to be none of the registry's officers, with the reason; 409 if it was
    decided already."""
    return OutsideSanctionOut.of(service.reject_outside_sanction(uow, actor, sanction_id,
                                                                 body.reason))
