"""The "Accesos" section of auditors: find an officer (by number or CURP) and read who touched
their record; read one account's history; print the officer's due-process report. The services
decide who may read what, and record every read; these pages only ask, lay out and page."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.rules.permissions import Permission
from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import NotFound, ValidationFailed
from confianza.core.web import strings
from confianza.trail.rules import acts_of
from confianza.trail.service import access_history as access_service

router = APIRouter()
PAGE_SIZE = 50
REPORT_SIZE = 200


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    """Render one of these pages with the access label tables at hand (`al.`), and what an
    entry records as done (`acts_of`: each section of a combined read)."""
    return common.render(request, name, {"al": strings.AccessLabels, "acts_of": acts_of,
                                         **context}, status=status)


def _next(base: str, values: dict[str, str], cursor: str | None) -> str | None:
    if cursor is None:
        return None
    filled = {k: v for k, v in values.items() if v}
    return base + "?" + urlencode({**filled, "cursor": cursor})


@router.get("/access", response_class=HTMLResponse)
def access_page(request: Request, actor: common.PageActor, elemento: str = "",
                usuario: str = "") -> Response:
    uow = deps.get_uow(request)
    key = elemento.strip()[:40]
    if key:
        try:
            officer_id = access_service.find_officer(uow, actor, key)
        except NotFound:
            return render(request, "access/index.html", {
                "form": {"elemento": key, "usuario": ""},
                "errors": {"elemento": strings.TEXT["acc_officer_not_found"]}}, status=404)
        return RedirectResponse(f"/access/officers/{officer_id}", status_code=303)
    if usuario.strip():
        query = urlencode({"usuario": usuario.strip()[:64]})
        return RedirectResponse(f"/access/users?{query}", status_code=303)
    access_service.open_access(uow, actor)
    return render(request, "access/index.html",
                  {"form": {"elemento": "", "usuario": ""}, "errors": {}})


@router.get("/access/officers/{officer_id}", response_class=HTMLResponse)
def officer_page(request: Request, actor: common.PageActor, officer_id: int,
                 cursor: str | None = None) -> Response:
    page = access_service.officer_access(deps.get_uow(request), actor, officer_id,
                                         cursor=cursor, limit=PAGE_SIZE)
    return render(request, "access/officer.html", {
        "page": page,
        "next_url": _next(f"/access/officers/{officer_id}", {}, page.next_cursor),
        # Offered by role to spare a dead end; the service decides and records.
        "can_report": actor.has(Permission.ACCESS_REPORT),
    })


@router.get("/access/officers/{officer_id}/report", response_class=HTMLResponse)
def report_page(request: Request, actor: common.PageActor, officer_id: int,
                cursor: str | None = None) -> Response:
    report = access_service.officer_report(deps.get_uow(request), actor, officer_id,
                                           cursor=cursor, limit=REPORT_SIZE)
    return render(request, "access/report.html", {
        "report": report,
        "next_url": _next(f"/access/officers/{officer_id}/report", {}, report.next_cursor),
    })


def _day(value: str, field: str, errors: dict[str, str]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors[field] = strings.TEXT["acc_bad_date"]
        return None


@router.get("/access/users", response_class=HTMLResponse)
def user_page(
    request: Request, actor: common.PageActor, usuario: str = "", accion: str = "",
    desde: str = "", hasta: str = "", cursor: str | None = None,
) -> Response:
    uow = deps.get_uow(request)
    form = {"usuario": usuario.strip()[:64], "accion": accion.strip()[:98],
            "desde": desde.strip()[:10], "hasta": hasta.strip()[:10]}
    errors: dict[str, str] = {}
    since, until = _day(desde, "desde", errors), _day(hasta, "hasta", errors)
    if not form["usuario"] or errors:
        access_service.open_access(uow, actor)
        return render(request, "access/user.html", {"form": form, "errors": errors,
                                                    "page": None, "next_url": None},
                      status=422 if errors else 200)
    where = access_service.HistoryFilter(action=form["accion"] or None, since=since,
                                         until=until)
    try:
        page = access_service.user_history(uow, actor, form["usuario"], where, cursor=cursor,
                                           limit=PAGE_SIZE)
    except ValidationFailed as exc:
        # The service's locations, and what each means on this form, in Spanish.
        fields = {"action": ("accion", "acc_bad_action"), "since": ("desde", "acc_bad_range"),
                  "username": ("usuario", "acc_bad_user"), "cursor": ("usuario", "acc_bad_cursor")}
        errors = {}
        for e in exc.errors:
            field, message = fields.get(e.location, ("usuario", "acc_bad_user"))
            errors[field] = strings.TEXT[message]
        return render(request, "access/user.html", {"form": form, "errors": errors,
                                                    "page": None, "next_url": None},
                      status=422)
    return render(request, "access/user.html", {
        "form": form, "errors": {}, "page": page,
        "next_url": _next("/access/users", form, page.next_cursor),
    })
