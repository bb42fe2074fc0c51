"""Officer pages: the search (live with HTMX, plain without), the profile, and contact data."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.app import deps
from confianza.app import rendering as common
from confianza.certification.pages import profile as certification_profile
from confianza.core.errors import PurposeRequired
from confianza.core.web import strings
from confianza.integrity.pages import cases as integrity_pages
from confianza.registry.rules.agencies import Agency
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import RecordSection

router = APIRouter()
PAGE_SIZE = 25
AGENCY_CHOICES = 500  # the agency drop-down; larger forces filter by name on the agencies page
RESULTS_TARGET = "results"
KEY_MAX = 128  # the longest identity key kept (an external id's value)


def _agencies(request: Request, actor: Actor) -> list[Agency]:
    if not actor.has(Permission.AGENCY_READ):
        return []
    agencies = agency_service.search_agencies(
        deps.get_uow(request), actor, limit=AGENCY_CHOICES
    )
    return sorted(agencies, key=lambda a: a.name)


def _query(
    name: str, curp: str, badge: str, agency: str, status: str, key: str = "",
    ever_served: str = "",
) -> officer_service.OfficerQuery:
    """The typed criteria; blanks and values no form could send are simply not criteria."""
    agency_id = common.record_number(agency, "agency_id")
    known = status if status in OfficerStatus.__members__.values() else None
    return officer_service.OfficerQuery(
        name=name.strip() or None,
        curp=curp.strip() or None,
        badge=badge.strip() or None,
        agency_id=agency_id,
        status=OfficerStatus(known) if known else None,
        key=key.strip()[:KEY_MAX] or None,
        ever_served=bool(ever_served) and agency_id is not None,
    )


@router.get("/officers", response_class=HTMLResponse)
def search_page(
    request: Request,
    actor: common.PageActor,
    nombre: str = "",
    curp: str = "",
    placa: str = "",
    corporacion: str = "",
    situacion: str = "",
    clave: str = "",
    historial: str = "",
    cursor: str | None = None,
) -> Response:
    form = {"nombre": nombre, "curp": curp, "placa": placa, "clave": clave,
            "corporacion": corporacion, "historial": "1" if historial else "",
            "situacion": situacion}
    query = _query(nombre, curp, placa, corporacion, situacion, clave, historial)
    page = None
    next_url = None
    if not query.is_empty():
        page = officer_service.search_officers(
            deps.get_uow(request), actor, query, cursor=cursor, limit=PAGE_SIZE
        )
        if page.next_cursor:
            filled = {k: v for k, v in form.items() if v}
            next_url = "/officers?" + urlencode({**filled, "cursor": page.next_cursor})
    context: dict[str, object] = {
        "form": form, "page": page, "next_url": next_url, "continued": bool(cursor)
    }
    headers = {"Vary": "HX-Request, HX-Target"}
    if common.is_htmx(request) and request.headers.get("hx-target") == RESULTS_TARGET:
        return common.render(request, "officers/_results.html", context, headers=headers)
    context["agencies"] = _agencies(request, actor)
    context["statuses"] = list(OfficerStatus)
    return common.render(request, "officers/search.html", context, headers=headers)


def _read(request: Request, actor: Actor, officer_id: int,
          purpose: str | None = None) -> officer_service.OfficerRecord:
    """The page's one read of the record: the profile, the certification and integrity
    sections the role reads, and the contact data when a purpose is declared (one audit entry
    for it all)."""
    wanted = (RecordSection.STATUS_HISTORY, *certification_profile.sections(actor),
              *integrity_pages.record_sections(actor))
    if purpose is not None:
        wanted += (RecordSection.CONTACTS,)
    return officer_service.read_record(deps.get_uow(request), actor, officer_id, wanted,
                                       purpose=purpose)


def _profile_context(
    request: Request, actor: Actor, record: officer_service.OfficerRecord
) -> dict[str, object]:
    profile = record.profile
    officer_id = profile.officer.id
    past = [a for a in profile.assignments if a.end_date is not None]
    past.sort(key=lambda a: a.start_date, reverse=True)
    return {
        "profile": profile,
        "officer_id": officer_id,
        "officer": profile.officer,
        "current": profile.current,
        "past": past,
        # Newest first, as the page reads down from the present.
        "status_history": list(reversed(profile.status_history or [])),
        # Offered by role only to spare a dead end; reveal_contacts decides and records.
        "can_reveal": actor.has(Permission.OFFICER_SENSITIVE_READ),
        "purpose_min": officer_service.PURPOSE_MIN,
        "purpose": "",
        "purpose_error": None,
        "contacts": None,
        # Trust control: the certification section, for roles that read it.
        **certification_profile.section(request, actor, record.certification,
                                        record.evaluations),
        # Integrity cases: nothing read or shown for a role holding no case permission.
        **integrity_pages.officer_section(actor, record.integrity,
                                         record.outside_sanctions),
    }


# A coroutine: the page is a few indexed statements and a template, which the event loop runs
# in less time than a hop to the thread pool and back takes (ADR 0007).
@router.get("/officers/{officer_id}", response_class=HTMLResponse)
async def profile_page(
    request: Request, actor: common.PageActor, officer_id: int, fusionado: str = ""
) -> Response:
    """The officer's page. The id of a record merged into another leads to the survivor's
    page (ADR 0027), which then says which record was merged into it, when and by whom."""
    try:
        record = _read(request, actor, officer_id)
    except officer_service.OfficerMerged as moved:
        survivor = moved.merge.survivor_id
        return RedirectResponse(f"/officers/{survivor}?fusionado={officer_id}", status_code=303,
                                headers={"Cache-Control": "no-store"})
    context = _profile_context(request, actor, record)
    if fusionado.isdigit() and len(fusionado) < 19:
        context["merged"] = officer_service.merge_into(
            deps.get_uow(request), actor, int(fusionado), officer_id)
    return common.render(request, "officers/profile.html", context)


def _purpose_error(purpose: str) -> str | None:
    stripped = purpose.strip()
    if len(stripped) < officer_service.PURPOSE_MIN:
        return strings.text("contacts_purpose_short", min=officer_service.PURPOSE_MIN)
    if len(purpose) > 500:
        return strings.TEXT["contacts_purpose_long"]
    return None


@router.post("/officers/{officer_id}/contacts", response_class=HTMLResponse)
def reveal_contacts(
    request: Request,
    actor: common.PageActor,
    officer_id: int,
    purpose: Annotated[str, Form()] = "",
) -> Response:
    """Show contact data for a declared purpose: a fragment for htmx, the whole page otherwise."""
    context: dict[str, object] = {
        "officer_id": officer_id, "purpose_min": officer_service.PURPOSE_MIN,
        "purpose": purpose, "purpose_error": None, "contacts": None, "can_reveal": True,
    }
    status = 200
    record = None
    try:
        if common.is_htmx(request):
            # The fragment: the contact data alone, as its own act.
            context["contacts"] = officer_service.reveal_contacts(
                deps.get_uow(request), actor, officer_id, purpose
            )
        else:
            # The whole page again, with the contact data: one act, one entry.
            record = _read(request, actor, officer_id, purpose)
            context["contacts"] = record.contacts
        context["declared"] = purpose.strip()
    except PurposeRequired:
        # The service decides; the page says it in the user's words, beside the field.
        context["purpose_error"] = _purpose_error(purpose) or strings.text(
            "contacts_purpose_short", min=officer_service.PURPOSE_MIN
        )
        status = 422
    if common.is_htmx(request):
        return common.render(request, "officers/_contacts.html", context, status=status)
    full = _profile_context(request, actor, record or _read(request, actor, officer_id))
    full.update({k: v for k, v in context.items() if k != "can_reveal"})
    return common.render(request, "officers/profile.html", full, status=status)
