"""Certification routes: an officer's standing and CUP, and the lists the force acts on.

An officer's certification is a few indexed reads or one component written, inline. The alert
list, the re-evaluation list and the coverage figures scan the force (the whole nation for a
national account) and run in the thread pool (docs/adr/0007).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, ContainerDep, IssuerDep, PolicyDep, UowDep
from confianza.certification.schemas import (
    AlertPage,
    CertificationOut,
    ComponentIn,
    CoverageOut,
    ReevaluationPage,
)
from confianza.certification.service import certificates as certificate_service
from confianza.certification.service import coverage as coverage_service
from confianza.core.web.schemas import check_limit
from confianza.dashboard.web import kept_summary
from confianza.registry.schemas.agencies import STATE_CODE

AgencyQuery = Annotated[int | None, Query(ge=1)]
StateQuery = Annotated[str | None, Query(pattern=STATE_CODE, description="INEGI state, 01-32")]
CursorQuery = Annotated[str | None, Query(max_length=200)]
LimitQuery = Annotated[int, Query(ge=1)]

router = APIRouter(tags=["certification"], route_class=ContractRoute)


@router.get("/officers/{officer_id}/certification", dependencies=[permit(P.CUP_READ)],
            response_model=CertificationOut)
async def officer_certification(officer_id: int, actor: ActorDep,
                                uow: UowDep) -> CertificationOut:
    """An officer's trust-control standing, CUP components and certificates."""
    return CertificationOut.of(certificate_service.officer_certification(uow, actor, officer_id))


@router.post("/officers/{officer_id}/certification/components", dependencies=[permit(P.CUP_WRITE)],
             status_code=201, response_model=CertificationOut, responses=problems(409))
async def record_component(
    officer_id: int, body: ComponentIn, actor: ActorDep, uow: UowDep, policy: PolicyDep,
    issuer: IssuerDep,
) -> CertificationOut:
    """Record a skills test, a performance evaluation or the initial training; the
    certificate is issued, replaced or ended to agree with the components."""
    view = certificate_service.record_component(
        uow, actor, officer_id, body.component, body.completed_on, hours=body.hours,
        score=body.score, policy=policy, issuer=issuer,
    )
    return CertificationOut.of(view)


@router.get("/certification/alerts", dependencies=[permit(P.COVERAGE_READ)],
            response_model=AlertPage, responses=problems(404))
def alert_list(
    actor: ActorDep, uow: UowDep, container: ContainerDep, agency_id: AgencyQuery = None,
    state: StateQuery = None, cursor: CursorQuery = None, limit: LimitQuery = 100,
) -> AlertPage:
    """Officers on active duty without a valid approved evaluation or a current CUP, with
    every reason that applies."""
    limit = check_limit(limit, container.settings.page_size_max)
    page = coverage_service.alert_list(
        uow, actor, coverage_service.ListFilter(agency_id, state), cursor=cursor, limit=limit)
    return AlertPage(items=page.items, next_cursor=page.next_cursor)


@router.get("/certification/reevaluations", dependencies=[permit(P.COVERAGE_READ)],
            response_model=ReevaluationPage, responses=problems(404))
def reevaluation_list(
    actor: ActorDep, uow: UowDep, policy: PolicyDep, container: ContainerDep,
    agency_id: AgencyQuery = None,
    cursor: CursorQuery = None, limit: LimitQuery = 100,
) -> ReevaluationPage:
    """Officers whose approval ends within the re-evaluation window, soonest first."""
    limit = check_limit(limit, container.settings.page_size_max)
    page = coverage_service.reevaluation_list(
        uow, actor, coverage_service.ListFilter(agency_id=agency_id), cursor=cursor,
        limit=limit, policy=policy)
    return ReevaluationPage(items=page.items, next_cursor=page.next_cursor)


@router.get("/certification/coverage", dependencies=[permit(P.COVERAGE_READ)],
            response_model=CoverageOut, responses=problems(404))
def coverage(
    request: Request, actor: ActorDep, uow: UowDep, by: Literal["state", "agency"] = "state",
    state: StateQuery = None,
) -> CoverageOut:
    """Per state (or per agency): officers, evaluated, approved, expired, not approved, never
    evaluated, certified, and on duty without valid certification (at most a minute old)."""
    rows = coverage_service.coverage(uow, actor, by=by,
                                     where=coverage_service.ListFilter(state_code=state),
                                     summary=kept_summary(request))
    return CoverageOut(by=by, state_code=state, items=rows)
