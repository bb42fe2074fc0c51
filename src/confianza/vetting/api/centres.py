"""Centre routes: the evaluation centres, their daily capacity and their examiners.

A handful of rows each, so all run inline (docs/adr/0007).
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit
from confianza.app.deps import ActorDep, UowDep
from confianza.certification.schemas import (
    CapacityIn,
    CentreDetailOut,
    CentreIn,
    CentreList,
    CentreOut,
    ExaminerOut,
    QualificationsIn,
)
from confianza.core.web.schemas import Problem
from confianza.vetting.service import centres as centre_service

router = APIRouter(prefix="/centres", tags=["centres"], route_class=ContractRoute)


@router.get("", dependencies=[permit(P.CENTRE_READ)], response_model=CentreList)
async def list_centres(actor: ActorDep, uow: UowDep) -> CentreList:
    """The centres in the caller's scope, by code."""
    return CentreList(items=[CentreOut.of(c) for c in centre_service.list_centres(uow, actor)])


@router.post("", dependencies=[permit(P.CENTRE_MANAGE)],
             status_code=201, response_model=CentreDetailOut,
             responses={409: {"model": Problem, "description": "The code is taken."}})
async def create_centre(
    body: CentreIn, actor: ActorDep, uow: UowDep, response: Response
) -> CentreDetailOut:
    """Open an evaluation centre (state, or federal without a state) with its capacity."""
    detail = centre_service.create_centre(uow, actor, body.code, body.name, body.state_code,
                                          body.capacity)
    response.headers["Location"] = f"/api/v1/centres/{detail.centre.id}"
    return CentreDetailOut.of_detail(detail)


@router.get("/{centre_id}", dependencies=[permit(P.CENTRE_READ)], response_model=CentreDetailOut)
async def get_centre(centre_id: int, actor: ActorDep, uow: UowDep) -> CentreDetailOut:
    """One centre with its capacity and examiners."""
    return CentreDetailOut.of_detail(centre_service.get_centre(uow, actor, centre_id))


@router.put("/{centre_id}/capacity", dependencies=[permit(P.CENTRE_MANAGE)],
            response_model=CentreDetailOut)
async def set_capacity(
    centre_id: int, body: CapacityIn, actor: ActorDep, uow: UowDep
) -> CentreDetailOut:
    """Set how many exams of each type the centre gives a day (types not named keep theirs)."""
    return CentreDetailOut.of_detail(
        centre_service.set_capacity(uow, actor, centre_id, body.capacity))


@router.put("/{centre_id}/examiners/{user_id}", dependencies=[permit(P.CENTRE_MANAGE)],
            response_model=ExaminerOut,
            responses={409: {"model": Problem, "description": "The account is not an "
                             "examiner's."}})
async def set_examiner(
    centre_id: int, user_id: int, body: QualificationsIn, actor: ActorDep, uow: UowDep
) -> ExaminerOut:
    """Place an examiner at the centre with the exam types they are qualified for."""
    examiner = centre_service.set_examiner(uow, actor, centre_id, user_id,
                                           frozenset(body.qualifications))
    return ExaminerOut.of(examiner)
