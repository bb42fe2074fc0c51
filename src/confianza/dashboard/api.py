"""The coverage dashboard as JSON: the same service, and the same summary kept by the app, as
the /dashboard page. It can read the whole country's figures when the kept summary is stale, so
it runs in the thread pool (docs/adr/0007)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, UowDep
from confianza.dashboard.schemas import DashboardOut
from confianza.dashboard.service import figures as dashboard_service
from confianza.dashboard.web import summary_cache
from confianza.registry.schemas.agencies import STATE_CODE

router = APIRouter(tags=["dashboard"], route_class=ContractRoute)


@router.get("/dashboard", dependencies=[permit(P.COVERAGE_READ)], response_model=DashboardOut,
            responses=problems(404))
def dashboard(
    request: Request, actor: ActorDep, uow: UowDep,
    state: Annotated[str | None, Query(pattern=STATE_CODE,
                                       description="INEGI state, 01-32")] = None,
    agency_id: Annotated[int | None, Query(ge=1)] = None,
) -> DashboardOut:
    """Coverage figures of the nation, a state or an agency (the caller's scope when neither
    is given): headline counts, the share on duty without valid certification by state or by
    agency, approvals ending month by month, exam outcomes of the last twelve months, and the
    evaluation backlog against each centre's capacity."""
    view = dashboard_service.dashboard(
        uow, actor, dashboard_service.DashboardFilter(state, agency_id),
        cache=summary_cache(request))
    return DashboardOut.of(view)
