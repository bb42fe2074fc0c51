"""The roster refresh's queues over HTTP: pending separations for agency HR, conflicting
facts for the registry clerk (ADR 0029)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, UowDep
from confianza.registry.schemas.rosters import (
    ConflictDecisionIn,
    ConflictOut,
    ConflictPage,
    SeparationConfirmIn,
    SeparationDismissIn,
    SeparationOut,
    SeparationPage,
)
from confianza.registry.service import pending_separations as separations
from confianza.registry.service import roster_conflicts as conflicts

router = APIRouter(tags=["roster refresh"], route_class=ContractRoute)
After = Annotated[int | None, Query(ge=0, description="The last id of the previous page")]


@router.get("/pending-separations", dependencies=[permit(P.SEPARATION_MANAGE)],
            response_model=SeparationPage, responses=problems(422))
def list_separations(
    actor: ActorDep, uow: UowDep,
    status: Annotated[str | None, Query(pattern="^(pending|confirmed|dismissed)$")] = "pending",
    after: After = None,
    limit: Annotated[int, Query(ge=1, le=500)] = separations.PAGE_SIZE,
) -> SeparationPage:
    """The pending separations of the agencies in your scope (pending ones unless `status`
    says otherwise), a page at a time."""
    found = separations.list_separations(uow, actor, status=status, after_id=after,
                                         limit=limit)
    return SeparationPage(items=[SeparationOut.of(s) for s in found],
                          next_after=found[-1].id if len(found) == limit else None)


@router.get("/pending-separations/{separation_id}", dependencies=[permit(P.SEPARATION_MANAGE)],
            response_model=SeparationOut, responses=problems(404))
def get_separation(separation_id: int, actor: ActorDep, uow: UowDep) -> SeparationOut:
    """One pending separation."""
    return SeparationOut.of(separations.get_separation(uow, actor, separation_id))


@router.post("/pending-separations/{separation_id}/confirm",
             dependencies=[permit(P.SEPARATION_MANAGE)], response_model=SeparationOut,
             responses=problems(404, 409, 422))
def confirm_separation(separation_id: int, body: SeparationConfirmIn, actor: ActorDep,
                       uow: UowDep) -> SeparationOut:
    """End the posting with the reason and date; the person's status follows. The account
    that ran the import may not confirm (409)."""
    return SeparationOut.of(separations.confirm_separation(
        uow, actor, separation_id, body.end_date, body.reason))


@router.post("/pending-separations/{separation_id}/dismiss",
             dependencies=[permit(P.SEPARATION_MANAGE)], response_model=SeparationOut,
             responses=problems(404, 409, 422))
def dismiss_separation(separation_id: int, body: SeparationDismissIn, actor: ActorDep,
                       uow: UowDep) -> SeparationOut:
    """The person still serves: the posting stays open; the note says why."""
    return SeparationOut.of(separations.dismiss_separation(uow, actor, separation_id,
                                                           body.note))


@router.get("/roster-conflicts", dependencies=[permit(P.IDENTITY_MATCH)],
            response_model=ConflictPage, responses=problems(422))
def list_conflicts(
    actor: ActorDep, uow: UowDep,
    status: Annotated[str | None, Query(pattern="^(open|accepted|kept|split|reused)$")]
    = "open",
    after: After = None,
    limit: Annotated[int, Query(ge=1, le=500)] = conflicts.PAGE_SIZE,
) -> ConflictPage:
    """The review queue: facts a roster gave that contradict the registry's (open ones unless
    `status` says otherwise)."""
    found = conflicts.list_conflicts(uow, actor, status=status, after_id=after, limit=limit)
    return ConflictPage(items=[ConflictOut.of(c) for c in found],
                        next_after=found[-1].id if len(found) == limit else None)


@router.get("/roster-conflicts/{conflict_id}", dependencies=[permit(P.IDENTITY_MATCH)],
            response_model=ConflictOut, responses=problems(404))
def get_conflict(conflict_id: int, actor: ActorDep, uow: UowDep) -> ConflictOut:
    """One queued conflict, with the person's rows the file gave."""
    return ConflictOut.of(conflicts.get_conflict(uow, actor, conflict_id))


@router.post("/roster-conflicts/{conflict_id}/decision", dependencies=[permit(P.IDENTITY_MATCH)],
             response_model=ConflictOut, responses=problems(404, 409, 422))
def decide_conflict(conflict_id: int, body: ConflictDecisionIn, actor: ActorDep,
                    uow: UowDep) -> ConflictOut:
    """accept (the registry takes the file's values), keep (the registry's stand; the
    person's other changes apply at the next import), split (the file's rows become a new
    person under `new_key`) or reused (the source reused its key: the new person takes it)."""
    return ConflictOut.of(conflicts.decide_conflict(
        uow, actor, conflict_id, body.decision, new_key=body.new_key, note=body.note))
