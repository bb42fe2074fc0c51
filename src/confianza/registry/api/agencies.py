"""Agency routes: create, search, read with units, rename, merge, roster, add units."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, ContainerDep, UowDep
from confianza.core.web.schemas import (
    check_limit,
    decode_id_cursor,
    encode_id_cursor,
)
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.rules.rosters import Staff
from confianza.registry.schemas.agencies import (
    STATE_CODE,
    AgencyDetail,
    AgencyIn,
    AgencyOut,
    AgencyPage,
    AgencyPatch,
    MergeIn,
    MergeOut,
    RosterOut,
    UnitIn,
    UnitOut,
)
from confianza.registry.service import agencies as agency_service

router = APIRouter(prefix="/agencies", tags=["agencies"], route_class=ContractRoute)


@router.post("", dependencies=[permit(P.AGENCY_WRITE)], status_code=201, response_model=AgencyOut,
             responses=problems(409))
async def create_agency(
    body: AgencyIn, actor: ActorDep, uow: UowDep, response: Response
) -> AgencyOut:
    """Register an agency (corporación) at its level, under an optional parent."""
    agency = agency_service.create_agency(
        uow, actor,
        agency_service.NewAgency(body.code, body.name, body.level, body.state_code,
                                 body.municipality_key, body.parent_code),
    )
    response.headers["Location"] = f"/api/v1/agencies/{agency.id}"
    return AgencyOut.model_validate(agency)


@router.get("", dependencies=[permit(P.AGENCY_READ)], response_model=AgencyPage)
async def search_agencies(
    actor: ActorDep,
    uow: UowDep,
    container: ContainerDep,
    q: Annotated[str | None, Query(max_length=100, description="Part of name or code")] = None,
    level: AgencyLevel | None = None,
    state_code: Annotated[str | None, Query(pattern=STATE_CODE)] = None,
    include_dissolved: bool = False,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1)] = 50,
) -> AgencyPage:
    """Agencies in id order, a page at a time; a state-scoped account sees only its state."""
    limit = check_limit(limit, container.settings.page_size_max)
    after_id = decode_id_cursor(cursor)
    # One row more than asked tells whether another page exists without a count query.
    found = agency_service.search_agencies(
        uow, actor, text=q, level=level, state_code=state_code,
        include_dissolved=include_dissolved, after_id=after_id, limit=limit + 1,
    )
    page = found[:limit]
    next_cursor = encode_id_cursor(page[-1].id) if len(found) > limit and page else None
    return AgencyPage(items=page, next_cursor=next_cursor)


@router.get("/{agency_id}", dependencies=[permit(P.AGENCY_READ)], response_model=AgencyDetail)
async def get_agency(agency_id: int, actor: ActorDep, uow: UowDep) -> AgencyDetail:
    """One agency with its units."""
    agency, units = agency_service.get_agency(uow, actor, agency_id)
    return AgencyDetail.of_record(agency, units=units)


@router.patch("/{agency_id}", dependencies=[permit(P.AGENCY_WRITE)], response_model=AgencyOut)
async def update_agency(
    agency_id: int, body: AgencyPatch, actor: ActorDep, uow: UowDep
) -> AgencyOut:
    """Rename an agency or move it under another parent."""
    agency = agency_service.update_agency(
        uow, actor, agency_id, name=body.name, parent_code=body.parent_code
    )
    return AgencyOut.model_validate(agency)


@router.post("/{agency_id}/merge", dependencies=[permit(P.AGENCY_MERGE)], response_model=MergeOut,
             responses=problems(409))
def merge_agency(agency_id: int, body: MergeIn, actor: ActorDep, uow: UowDep) -> MergeOut:
    """Merge this agency into `target_id` on a date; open assignments move with their units."""
    result = agency_service.merge_agency(uow, actor, agency_id, body.target_id, body.on)
    return MergeOut.model_validate(result)


@router.get("/{agency_id}/roster", dependencies=[permit(P.OFFICER_SEARCH)],
            response_model=RosterOut)
def agency_roster(
    agency_id: int,
    actor: ActorDep,
    uow: UowDep,
    container: ContainerDep,
    status: OfficerStatus | None = None,
    q: Annotated[str | None, Query(
        max_length=agency_service.ROSTER_TEXT_MAX,
        description="A name's words in any order (the last may be cut short), a CURP, a badge "
                    "number the agency issued or an external id's value")] = None,
    descending: bool = False,
    staff: Annotated[Staff, Query(
        description="current: open postings there; former: served there and hold none there "
                    "now (each with their latest posting there); all: both")] = Staff.CURRENT,
    cursor: Annotated[str | None, Query(max_length=agency_service.ROSTER_CURSOR_MAX)] = None,
    limit: Annotated[int, Query(ge=1)] = agency_service.ROSTER_PAGE,
) -> RosterOut:
    """The officers currently assigned to the agency (or its former staff, or both), a page at
    a time, by surnames, names and id, with the whole agency's counts by status (each page is
    an audited read). The page `/agencies/{id}/roster` reads the same use case."""
    limit = check_limit(limit, container.settings.page_size_max)
    page = agency_service.roster_page(
        uow, actor, agency_id, agency_service.RosterQuery(status, q, descending, staff),
        cursor=cursor, limit=limit,
    )
    return RosterOut.of_record(page, items=page.lines)


@router.post("/{agency_id}/units", dependencies=[permit(P.UNIT_WRITE)],
             status_code=201, response_model=UnitOut, responses=problems(409))
async def create_unit(
    agency_id: int, body: UnitIn, actor: ActorDep, uow: UowDep, response: Response
) -> UnitOut:
    """Add a unit (área) to an agency."""
    unit = agency_service.create_unit(
        uow, actor, agency_id, body.code, body.name, body.parent_unit_id
    )
    # Units have no page of their own: they are read as part of their agency.
    response.headers["Location"] = f"/api/v1/agencies/{agency_id}"
    return UnitOut.model_validate(unit)
