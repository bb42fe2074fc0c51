"""Career routes: new postings, ends of postings, badges."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit
from confianza.app.deps import ActorDep, UowDep
from confianza.core.web.schemas import Problem
from confianza.registry.schemas.officers import (
    AssignmentEndIn,
    AssignmentIn,
    AssignmentOut,
    BadgeIn,
    BadgeOut,
    LeaveIn,
)
from confianza.registry.service import assignments as assignment_service

router = APIRouter(tags=["assignments"], route_class=ContractRoute)

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": Problem, "description": "Overlaps another posting or badge"}
}


@router.post("/officers/{officer_id}/assignments", dependencies=[permit(P.ASSIGNMENT_WRITE)],
             status_code=201,
             response_model=AssignmentOut, responses=CONFLICT)
async def add_assignment(
    officer_id: int, body: AssignmentIn, actor: ActorDep, uow: UowDep, response: Response
) -> AssignmentOut:
    """Record a posting; a full-time one ends the open full-time posting that began earlier,
    the day it starts. A task force, reserve or part-time posting runs beside the others."""
    created = assignment_service.add_assignment(uow, actor, officer_id, body.to_domain())
    # A posting is read as part of its officer's profile, which is where Location points.
    response.headers["Location"] = f"/api/v1/officers/{officer_id}"
    return AssignmentOut.model_validate(created)


@router.post("/assignments/{assignment_id}/end", dependencies=[permit(P.ASSIGNMENT_WRITE)],
             response_model=AssignmentOut)
async def end_assignment(
    assignment_id: int, body: AssignmentEndIn, actor: ActorDep, uow: UowDep
) -> AssignmentOut:
    """End an open posting on a date, with the reason."""
    ended = assignment_service.end_assignment(
        uow, actor, assignment_id, body.end_date, body.reason
    )
    return AssignmentOut.model_validate(ended)


@router.post("/assignments/{assignment_id}/leave", dependencies=[permit(P.ASSIGNMENT_WRITE)],
             response_model=AssignmentOut)
async def set_leave(
    assignment_id: int, body: LeaveIn, actor: ActorDep, uow: UowDep
) -> AssignmentOut:
    """Put an open posting on leave (licencia) or bring it back; a leave is not a separation."""
    changed = assignment_service.set_leave(
        uow, actor, assignment_id, body.on_leave, body.on, body.reason
    )
    return AssignmentOut.model_validate(changed)


@router.post("/officers/{officer_id}/badges", dependencies=[permit(P.BADGE_WRITE)],
             status_code=201, response_model=BadgeOut,
             responses=CONFLICT)
async def add_badge(
    officer_id: int, body: BadgeIn, actor: ActorDep, uow: UowDep, response: Response
) -> BadgeOut:
    """Record a badge (placa) an agency issued to the officer."""
    issued = assignment_service.add_badge(
        uow, actor, officer_id, body.agency_id, body.number, body.start_date, body.end_date
    )
    response.headers["Location"] = f"/api/v1/officers/{officer_id}"
    return BadgeOut.of_record(issued.badge, agency_code=issued.agency_code)
