"""Access-history routes (auditors): who touched an officer's record, what one account did,
and the officer's own report for due process.

They run in the thread pool (docs/adr/0007): finding the entries that name an officer inside
their detail walks a bounded window of the trail, which is more than a few indexed statements.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit
from confianza.app.deps import ActorDep, ContainerDep, UowDep
from confianza.core.web.schemas import check_limit
from confianza.trail.schemas import OfficerAccessOut, OfficerReportOut, UserHistoryOut
from confianza.trail.service import access_history as access_service

CursorQuery = Annotated[str | None, Query(max_length=200)]
LimitQuery = Annotated[int, Query(ge=1)]

router = APIRouter(prefix="/access", tags=["access history"], route_class=ContractRoute)


@router.get("/officers/{officer_id}", dependencies=[permit(P.AUDIT_READ)],
            response_model=OfficerAccessOut)
def officer_access(
    officer_id: int, actor: ActorDep, uow: UowDep, container: ContainerDep,
    cursor: CursorQuery = None, limit: LimitQuery = 50,
) -> OfficerAccessOut:
    """Every entry about one officer, newest first: reads, contact reveals with their declared
    purpose, changes, evaluation and certificate entries that name the officer, and searches
    and lists whose results included them. A page may be short: follow `next_cursor` until it
    is absent to have examined the whole trail."""
    limit = check_limit(limit, container.settings.page_size_max)
    page = access_service.officer_access(uow, actor, officer_id, cursor=cursor, limit=limit)
    return OfficerAccessOut.of(page)


@router.get("/officers/{officer_id}/report", dependencies=[permit(P.ACCESS_REPORT)],
            response_model=OfficerReportOut)
def officer_report(
    officer_id: int, actor: ActorDep, uow: UowDep, container: ContainerDep,
    cursor: CursorQuery = None, limit: LimitQuery = 100,
) -> OfficerReportOut:
    """The officer's own access report (due process), produced on their request by an auditor
    or their agency's HR: when, what, why, and the role and agency of who acted; no usernames."""
    limit = check_limit(limit, container.settings.page_size_max)
    report = access_service.officer_report(uow, actor, officer_id, cursor=cursor, limit=limit)
    return OfficerReportOut.of(report)


@router.get("/users/{username}", dependencies=[permit(P.AUDIT_READ)], response_model=UserHistoryOut)
def user_history(
    actor: ActorDep, uow: UowDep, container: ContainerDep,
    username: Annotated[str, Path(min_length=1, max_length=64)],
    action: Annotated[str | None, Query(max_length=98, description=(
        "An action tag or its start, e.g. `officer:contact`."))] = None,
    since: Annotated[date | None, Query(description="From this day (UTC), inclusive.")] = None,
    until: Annotated[date | None, Query(description="To this day (UTC), inclusive.")] = None,
    cursor: CursorQuery = None, limit: LimitQuery = 50,
) -> UserHistoryOut:
    """Everything one account did, newest first."""
    limit = check_limit(limit, container.settings.page_size_max)
    where = access_service.HistoryFilter(action=action, since=since, until=until)
    page = access_service.user_history(uow, actor, username, where, cursor=cursor, limit=limit)
    return UserHistoryOut.of(username.strip(), page)
