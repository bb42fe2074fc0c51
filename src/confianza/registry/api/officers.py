"""Officer routes: register, search, profile, identity changes, status, contact data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, ContainerDep, UowDep
from confianza.core.errors import ErrorCollector
from confianza.core.web.errors import problem
from confianza.core.web.schemas import Problem, check_limit
from confianza.registry.rules.officers import ExternalId, OfficerStatus
from confianza.registry.schemas.officers import (
    ContactsIn,
    ContactsOut,
    OfficerIn,
    OfficerPage,
    OfficerPatch,
    OfficerProfileOut,
    StatusIn,
)
from confianza.registry.service import officers as officer_service

router = APIRouter(prefix="/officers", tags=["officers"], route_class=ContractRoute)


@router.post("", dependencies=[permit(P.OFFICER_WRITE)],
             status_code=201, response_model=OfficerProfileOut,
             responses={409: {"model": Problem, "description": "CURP or id already registered"}})
async def register_officer(
    body: OfficerIn, actor: ActorDep, uow: UowDep, response: Response
) -> OfficerProfileOut:
    """Register an officer, optionally with a first assignment, a badge and external ids."""
    profile = officer_service.register_officer(uow, actor, body.to_domain())
    response.headers["Location"] = f"/api/v1/officers/{profile.officer.id}"
    return OfficerProfileOut.of_profile(profile)


@router.get("", dependencies=[permit(P.OFFICER_SEARCH)], response_model=OfficerPage,
            responses=problems(404))
async def search_officers(
    actor: ActorDep,
    uow: UowDep,
    container: ContainerDep,
    name: Annotated[str | None, Query(
        min_length=1, max_length=120,
        description="The name's words in any order, accents and case ignored; the last "
                    "word may be the start of one ('fuller aud', 'García López Juan')")] = None,
    curp: Annotated[str | None, Query(min_length=18, max_length=18)] = None,
    badge: Annotated[str | None, Query(min_length=1, max_length=20)] = None,
    agency_id: Annotated[int | None, Query(
        ge=1, description="Currently assigned to (with ever_served: assigned to at any "
                          "time)")] = None,
    ever_served: Annotated[bool, Query(
        description="agency_id means served there at any time, former staff included")] = False,
    key: Annotated[str | None, Query(
        min_length=1, max_length=128,
        description="Any identity key: a CURP, a badge number or an external id's value")] = None,
    status: OfficerStatus | None = None,
    id_scheme: Annotated[str | None, Query(min_length=2, max_length=64)] = None,
    id_value: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1)] = 50,
) -> OfficerPage:
    """Officers matching every criterion given, in surname order, a page at a time."""
    limit = check_limit(limit, container.settings.page_size_max)
    errors = ErrorCollector()
    if (id_scheme is None) != (id_value is None):
        errors.add("query.id_scheme", "id_scheme and id_value go together")
    if ever_served and agency_id is None:
        errors.add("query.ever_served", "names no agency: give agency_id too")
    errors.raise_if_any()
    identifier = ExternalId(id_scheme, id_value) if id_scheme and id_value else None
    query = officer_service.OfficerQuery(
        name=name, curp=curp, badge=badge, agency_id=agency_id, status=status,
        identifier=identifier, key=key, ever_served=ever_served,
    )
    page = officer_service.search_officers(uow, actor, query, cursor=cursor, limit=limit)
    return OfficerPage(items=page.items, next_cursor=page.next_cursor)


@router.get("/{officer_id}", dependencies=[permit(P.OFFICER_READ)],
            response_model=OfficerProfileOut, responses=problems(308))
async def get_officer(
    officer_id: int, actor: ActorDep, uow: UowDep, request: Request
) -> OfficerProfileOut | JSONResponse:
    """An officer's identity, assignments, badges and external ids (the read is audited).
    The id of a record merged into another answers 308 to the survivor (ADR 0027), for a
    reader who may read the survivor; following it is the survivor's read, audited as any."""
    try:
        return OfficerProfileOut.of_profile(officer_service.get_officer(uow, actor, officer_id))
    except officer_service.OfficerMerged as moved:
        merge = moved.merge
        answer = problem(308, "Merged", moved.detail, request, code=moved.code,
                         survivor_id=merge.survivor_id,
                         merged_at=merge.merged_at.isoformat(), merged_by=merge.merged_by)
        answer.headers["Location"] = (
            f"{request.url.path.rsplit('/', 1)[0]}/{merge.survivor_id}")
        answer.headers["Cache-Control"] = "no-store"
        return answer


@router.patch("/{officer_id}", dependencies=[permit(P.OFFICER_WRITE)],
              response_model=OfficerProfileOut, responses=problems(409))
async def update_officer(
    officer_id: int, body: OfficerPatch, actor: ActorDep, uow: UowDep
) -> OfficerProfileOut:
    """Correct an officer's identity fields; the CURP must still agree with them."""
    profile = officer_service.update_officer(uow, actor, officer_id, body.to_domain())
    return OfficerProfileOut.of_profile(profile)


@router.post("/{officer_id}/status", dependencies=[permit(P.OFFICER_WRITE)],
             response_model=OfficerProfileOut, responses=problems(409))
async def change_status(
    officer_id: int, body: StatusIn, actor: ActorDep, uow: UowDep
) -> OfficerProfileOut:
    """Change an officer's status (written to their status history); separation or death
    also ends the open assignments, a separation with its `separation_reason`."""
    profile = officer_service.change_status(
        uow, actor, officer_id, body.status, body.reason, body.on, body.separation_reason
    )
    return OfficerProfileOut.of_profile(profile)


@router.get(
    "/{officer_id}/contacts", dependencies=[permit(P.OFFICER_SENSITIVE_READ)],
    response_model=ContactsOut,
    responses={428: {"model": Problem, "description": "No purpose was declared"}},
)
async def reveal_contacts(
    officer_id: int,
    actor: ActorDep,
    uow: UowDep,
    x_purpose: Annotated[str | None, Header(max_length=500)] = None,
    purpose: Annotated[str | None, Query(max_length=500)] = None,
) -> ContactsOut:
    """An officer's phones and addresses. Declare why in `X-Purpose` (or `?purpose=`): the
    purpose is written to the audit trail with the read. HTTP headers carry ASCII only, so a
    purpose with accents goes in the query string."""
    contacts = officer_service.reveal_contacts(uow, actor, officer_id, x_purpose or purpose)
    return ContactsOut(officer_id=officer_id, contacts=contacts)


@router.put("/{officer_id}/contacts", dependencies=[permit(P.OFFICER_SENSITIVE_WRITE)],
            response_model=ContactsOut)
async def set_contacts(
    officer_id: int, body: ContactsIn, actor: ActorDep, uow: UowDep
) -> ContactsOut:
    """Replace an officer's contact data with the list given (an empty list clears it)."""
    contacts = body.to_domain()
    officer_service.set_contacts(uow, actor, officer_id, contacts)
    # The caller sent these values, so echoing them discloses nothing new.
    return ContactsOut(officer_id=officer_id, contacts=contacts)
