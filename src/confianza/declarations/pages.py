"""Asset declarations' pages (issue 20, item 3; ADR 0038): one officer's declarations with
what the rules find (and, for internal affairs, a case opened from a finding), agency HR's
list of missing and late declarations, and the panel the socio-economic exam shows.

The services decide who may see what and record every read; these pages lay it out.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Conflict, ValidationFailed
from confianza.core.web.strings.declarations import DeclarationLabels
from confianza.declarations.rules.checks import Rule
from confianza.declarations.service.findings import (
    ALLEGEABLE,
    allege,
    due_list,
    exam_checks,
    officer_checks,
)
from confianza.declarations.service.settings import check_settings

router = APIRouter()
PAGE = 100


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    return common.render(request, name, {"dl": DeclarationLabels,
                                         "allegeable": {r.value for r in ALLEGEABLE},
                                         **context}, status=status)


def _officer_page(request: Request, actor: Any, officer_id: int, *,
                  refusal: str | None = None, status: int = 200) -> HTMLResponse:
    settings = check_settings(deps.get_container(request).settings)
    checks = officer_checks(deps.get_uow(request), actor, officer_id, settings)
    return render(request, "declarations/officer.html", {
        "c": checks, "officer_id": officer_id, "refusal": refusal,
        "opened": request.query_params.get("expediente")}, status=status)


@router.get("/declarations/officers/{officer_id}", response_class=HTMLResponse)
def officer_page(request: Request, actor: common.PageActor, officer_id: int) -> Response:
    return _officer_page(request, actor, officer_id)


@router.post("/declarations/officers/{officer_id}/checks/{rule}/case",
             response_class=HTMLResponse)
def open_case(request: Request, actor: common.PageActor, officer_id: int,
              rule: Rule) -> Response:
    settings = check_settings(deps.get_container(request).settings)
    try:
        done = allege(deps.get_uow(request), actor, officer_id, rule, settings)
    except (Conflict, ValidationFailed) as exc:
        return _officer_page(request, actor, officer_id, refusal=exc.detail,
                             status=exc.status)
    return RedirectResponse(f"/integrity/cases/{done.case_id}", status_code=303)


@router.get("/declarations/due", response_class=HTMLResponse)
def due_page(request: Request, actor: common.PageActor, desde: int = 0) -> Response:
    settings = check_settings(deps.get_container(request).settings)
    found = due_list(deps.get_uow(request), actor, settings, offset=max(desde, 0), limit=PAGE)
    return render(request, "declarations/due.html", {
        "found": found, "offset": max(desde, 0), "page": PAGE})


def exam_panel(request: Request, actor: Any, evaluation_id: int) -> dict[str, Any]:
    """What the socio-economic exam's page shows beside its form (vetting's exam page
    includes `exams/_declarations.html` with this in its context)."""
    settings = check_settings(deps.get_container(request).settings)
    checks = exam_checks(deps.get_uow(request), actor, evaluation_id, settings)
    return {"declaration_checks": checks, "dl": DeclarationLabels, "allegeable": set()}
