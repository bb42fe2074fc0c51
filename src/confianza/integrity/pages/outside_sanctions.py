"""The internal-affairs supervisor's pages for another authority's sanctions (ADR 0036): the
review queue, one record beside its candidates, and the decision (link or reject); and the
section of the officer's record that shows the linked ones. The services decide who may see
and decide, and record both; these pages ask, lay out and say what happened."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require_role
from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Conflict, ValidationFailed
from confianza.core.web import strings
from confianza.core.web.strings.outside_sanctions import OutsideLabels
from confianza.integrity.rules.outside_sanctions_match import StoredOutsideSanction
from confianza.integrity.service import outside_sanctions as service

router = APIRouter()
BASE = "/integrity/outside-sanctions"
_DONE = {"linked", "rejected"}


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    return common.render(request, name, {"ol": OutsideLabels, **context}, status=status)


@router.get(BASE, response_class=HTMLResponse)
def queue_page(request: Request, actor: common.PageActor, sin_candidatos: bool = False,
               after: int | None = None) -> Response:
    found = service.review_queue(deps.get_uow(request), actor, unmatched=sin_candidatos,
                                 after=after)
    more = found[-1].id if len(found) == service.QUEUE_LIMIT else None
    return render(request, "integrity/outside_queue.html", {
        "items": found, "more": more, "unmatched": sin_candidatos})


def _item_page(request: Request, actor: Actor, sanction_id: int, *, alert: str | None = None,
               alert_detail: str | None = None, status: int = 200) -> HTMLResponse:
    item = service.read_review_item(deps.get_uow(request), actor, sanction_id)
    done = request.query_params.get("hecho")
    return render(request, "integrity/outside_item.html", {
        "item": item, "s": item.record, "done": done if done in _DONE else None,
        "alert": alert, "alert_detail": alert_detail,
        "decidable": item.record.status in service.DECIDABLE,
    }, status=status)


@router.get(BASE + "/{sanction_id}", response_class=HTMLResponse)
def item_page(request: Request, actor: common.PageActor, sanction_id: int) -> Response:
    return _item_page(request, actor, sanction_id)


@router.post(BASE + "/{sanction_id}/link", response_class=HTMLResponse)
def link(request: Request, actor: common.PageActor, sanction_id: int,
         officer_id: str = Form(""), note: str = Form("")) -> Response:
    require_role(deps.get_uow(request), actor, Permission.OUTSIDE_SANCTIONS_REVIEW)
    if not officer_id.strip().isdigit():
        return _item_page(request, actor, sanction_id, alert=strings.TEXT["os_bad_officer"],
                          status=422)
    try:
        service.link_outside_sanction(deps.get_uow(request), actor, sanction_id,
                                      int(officer_id), note=note)
    except (Conflict, ValidationFailed) as exc:
        return _item_page(request, actor, sanction_id, alert=strings.TEXT["os_refused"],
                          alert_detail=exc.detail, status=exc.status)
    return RedirectResponse(f"{BASE}/{sanction_id}?hecho=linked", status_code=303)


@router.post(BASE + "/{sanction_id}/reject", response_class=HTMLResponse)
def reject(request: Request, actor: common.PageActor, sanction_id: int,
           reason: str = Form("")) -> Response:
    require_role(deps.get_uow(request), actor, Permission.OUTSIDE_SANCTIONS_REVIEW)
    try:
        service.reject_outside_sanction(deps.get_uow(request), actor, sanction_id, reason)
    except (Conflict, ValidationFailed) as exc:
        return _item_page(request, actor, sanction_id, alert=strings.TEXT["os_refused"],
                          alert_detail=exc.detail, status=exc.status)
    return RedirectResponse(f"{BASE}/{sanction_id}?hecho=rejected", status_code=303)


def officer_section(found: list[StoredOutsideSanction] | None) -> dict[str, Any]:
    """What the officer's record shows of other authorities' sanctions, from what the record's
    one read returned (ADR 0024): nothing at all for a role that does not weigh them (nothing
    was read)."""
    if found is None:
        return {"outside_sanctions": None}
    return {"outside_sanctions": found, "ol": OutsideLabels}
