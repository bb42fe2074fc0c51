"""Appeal, separation and notification routes: what follows a not-approved decision.

Each is a few indexed statements (lists are capped), so all run inline (docs/adr/0007).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit
from confianza.app.deps import ActorDep, ContainerDep, IssuerDep, PolicyDep, UowDep
from confianza.certification.service import appeals as appeal_service
from confianza.core.web.schemas import Problem, check_limit
from confianza.vetting.rules.records import AppealStatus
from confianza.vetting.schemas.evaluations import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    AppealPage,
    CloseSeparationIn,
    Done,
    NotificationList,
    SeparationList,
)

CONFLICT: dict[int | str, dict[str, Any]] = {409: {
    "model": Problem,
    "description": "The step is not open (already taken, "
                   "out of time, or waiting for an appeal).",
}}
LIST_MAX = 500  # separations and notifications come as one list, capped

router = APIRouter(tags=["appeals"], route_class=ContractRoute)


@router.post("/evaluations/{evaluation_id}/appeal", dependencies=[permit(P.APPEAL_FILE)],
             status_code=201, response_model=AppealOut,
             responses=CONFLICT)
async def file_appeal(
    evaluation_id: int, body: AppealIn, actor: ActorDep, uow: UowDep, policy: PolicyDep,
    response: Response,
) -> AppealOut:
    """Appeal a confirmed not-approved decision within the appeal period."""
    appeal = appeal_service.file_appeal(uow, actor, evaluation_id, body.grounds, policy=policy)
    response.headers["Location"] = f"/api/v1/evaluations/{evaluation_id}"
    return AppealOut.model_validate(appeal)


@router.get("/appeals", dependencies=[permit(P.APPEAL_DECIDE, P.APPEAL_FILE)],
            response_model=AppealPage)
async def list_appeals(
    actor: ActorDep,
    uow: UowDep,
    container: ContainerDep,
    status: AppealStatus | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1)] = 50,
) -> AppealPage:
    """Appeals in the caller's scope, oldest first."""
    limit = check_limit(limit, container.settings.page_size_max)
    page = appeal_service.list_appeals(uow, actor, status=status, cursor=cursor, limit=limit)
    return AppealPage(items=page.items, next_cursor=page.next_cursor)


@router.post("/appeals/{appeal_id}/decision", dependencies=[permit(P.APPEAL_DECIDE)],
             response_model=AppealOut, responses=CONFLICT)
async def decide_appeal(
    appeal_id: int, body: AppealDecisionIn, actor: ActorDep, uow: UowDep, policy: PolicyDep,
    issuer: IssuerDep,
) -> AppealOut:
    """Uphold or overturn; only someone who took no part in the evaluation may decide."""
    return AppealOut.model_validate(appeal_service.decide_appeal(
        uow, actor, appeal_id, body.status, body.resolution, policy=policy, issuer=issuer))


@router.get("/separations", dependencies=[permit(P.SEPARATION_MANAGE)],
            response_model=SeparationList)
async def list_separations(
    actor: ActorDep,
    uow: UowDep,
    open_only: bool = True,
    agency_id: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=LIST_MAX)] = 100,
) -> SeparationList:
    """Separation processes in the caller's scope (open ones unless `open_only=false`)."""
    found = appeal_service.list_separations(uow, actor, open_only=open_only,
                                            agency_id=agency_id, limit=limit)
    return SeparationList(items=found)


@router.post("/separations/{process_id}/close", dependencies=[permit(P.SEPARATION_MANAGE)],
             response_model=Done, responses=CONFLICT)
async def close_separation(
    process_id: int, body: CloseSeparationIn, actor: ActorDep, uow: UowDep, policy: PolicyDep
) -> Done:
    """Complete a separation once no appeal may be filed or is pending: the officer is
    separated and their assignments end."""
    appeal_service.close_separation(uow, actor, process_id, body.note, policy=policy)
    return Done(id=process_id)


@router.get("/notifications", dependencies=[permit(P.EVALUATION_READ)],
            response_model=NotificationList)
async def list_notifications(
    actor: ActorDep,
    uow: UowDep,
    agency_id: Annotated[int | None, Query(ge=1)] = None,
    unread_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=LIST_MAX)] = 100,
) -> NotificationList:
    """Notices to agencies in the caller's scope (decisions, appeals), newest first."""
    found = appeal_service.list_notifications(uow, actor, agency_id=agency_id,
                                              unread_only=unread_only, limit=limit)
    return NotificationList(items=found)


@router.post("/notifications/{notification_id}/read", dependencies=[permit(P.SEPARATION_MANAGE)],
             response_model=Done)
async def mark_notification_read(notification_id: int, actor: ActorDep, uow: UowDep) -> Done:
    """Mark a notice as read by the agency."""
    appeal_service.mark_notification_read(uow, actor, notification_id)
    return Done(id=notification_id)
