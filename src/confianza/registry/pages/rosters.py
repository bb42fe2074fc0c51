"""The roster refresh's pages (ADR 0029): agency HR's pending separations and the registry
clerk's review queue. The services decide who may see and decide, and record both; these
pages ask, lay out and say what happened."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Conflict, ValidationFailed
from confianza.core.web import strings
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.service import pending_separations as separations
from confianza.registry.service import roster_conflicts as conflicts

router = APIRouter()
REASONS = sorted(r.value for r in separations.CONFIRM_REASONS)


@router.get("/pending-separations", response_class=HTMLResponse)
def separations_page(request: Request, actor: common.PageActor,
                     after: int | None = None) -> Response:
    found = separations.list_separations(deps.get_uow(request), actor, after_id=after)
    more = found[-1].id if len(found) == separations.PAGE_SIZE else None
    return common.render(request, "rosters/separations.html", {"items": found, "more": more})


def _separation_page(request: Request, actor: Any, separation_id: int, *,
                     alert: str | None = None, alert_detail: str | None = None,
                     status: int = 200) -> HTMLResponse:
    found = separations.get_separation(deps.get_uow(request), actor, separation_id)
    return common.render(request, "rosters/separation.html", {
        "s": found, "reasons": REASONS, "alert": alert, "alert_detail": alert_detail,
        "done": request.query_params.get("hecho"),
    }, status=status)


@router.get("/pending-separations/{separation_id}", response_class=HTMLResponse)
def separation_page(request: Request, actor: common.PageActor, separation_id: int
                    ) -> Response:
    return _separation_page(request, actor, separation_id)


@router.post("/pending-separations/{separation_id}", response_class=HTMLResponse)
def decide_separation(request: Request, actor: common.PageActor, separation_id: int,
                      action: str = Form(""), end_date: str = Form(""),
                      reason: str = Form(""), note: str = Form("")) -> Response:
    uow = deps.get_uow(request)
    try:
        if action == "confirm":
            try:
                day, why = date.fromisoformat(end_date), ChangeReason(reason)
            except ValueError:
                return _separation_page(request, actor, separation_id,
                                        alert=strings.TEXT["refresh_refused"],
                                        alert_detail=f"{end_date!r} / {reason!r}", status=422)
            separations.confirm_separation(uow, actor, separation_id, day, why)
            done = "confirmed"
        else:
            separations.dismiss_separation(uow, actor, separation_id, note)
            done = "dismissed"
    except (Conflict, ValidationFailed) as exc:
        return _separation_page(request, actor, separation_id,
                                alert=strings.TEXT["refresh_refused"], alert_detail=exc.detail,
                                status=exc.status)
    return RedirectResponse(f"/pending-separations/{separation_id}?hecho={done}",
                            status_code=303)


@router.get("/roster-conflicts", response_class=HTMLResponse)
def conflicts_page(request: Request, actor: common.PageActor,
                   after: int | None = None) -> Response:
    found = conflicts.list_conflicts(deps.get_uow(request), actor, after_id=after)
    more = found[-1].id if len(found) == conflicts.PAGE_SIZE else None
    return common.render(request, "rosters/conflicts.html", {"items": found, "more": more})


def _conflict_page(request: Request, actor: Any, conflict_id: int, *,
                   alert: str | None = None, alert_detail: str | None = None,
                   status: int = 200) -> HTMLResponse:
    found = conflicts.get_conflict(deps.get_uow(request), actor, conflict_id)
    return common.render(request, "rosters/conflict.html", {
        "c": found, "alert": alert, "alert_detail": alert_detail,
        "done": request.query_params.get("hecho") is not None,
    }, status=status)


@router.get("/roster-conflicts/{conflict_id}", response_class=HTMLResponse)
def conflict_page(request: Request, actor: common.PageActor, conflict_id: int) -> Response:
    return _conflict_page(request, actor, conflict_id)


@router.post("/roster-conflicts/{conflict_id}", response_class=HTMLResponse)
def decide_conflict(request: Request, actor: common.PageActor, conflict_id: int,
                    decision: str = Form(""), new_key: str = Form(""),
                    note: str = Form("")) -> Response:
    try:
        chosen = conflicts.ConflictDecision(decision)
        conflicts.decide_conflict(deps.get_uow(request), actor, conflict_id, chosen,
                                  new_key=new_key or None, note=note or None)
    except ValueError:
        return _conflict_page(request, actor, conflict_id,
                              alert=strings.TEXT["refresh_refused"], status=422)
    except (Conflict, ValidationFailed) as exc:
        return _conflict_page(request, actor, conflict_id,
                              alert=strings.TEXT["refresh_refused"], alert_detail=exc.detail,
                              status=exc.status)
    return RedirectResponse(f"/roster-conflicts/{conflict_id}?hecho=1", status_code=303)
