"""Early intervention's pages (ADR 0034): agency HR's queue of flagged officers, one flag
with the history behind it and the review form, and the report of flags found useful.

The services decide who may see a flag and record every read; these pages lay out what the
service returns. A score is only ever shown inside a flag, beside its reasons and the review:
no page puts a number on an officer out of that context, and no page is the officer's.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Conflict, ValidationFailed
from confianza.core.web import strings
from confianza.core.web.strings.integrity import IntegrityLabels
from confianza.core.web.strings.risk import RiskLabels
from confianza.risk.rules.records import ReviewOutcome
from confianza.risk.service import reviews

router = APIRouter()
#: The service's refusals of a review, by field or by code, in the page's words.
_FIELD_REFUSALS = {"note": "rk_note_help", "outcome": "rk_no_single_posting"}
_CONFLICTS = {"already_reviewed": "rk_already_reviewed"}


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    return common.render(request, name, {"rl": RiskLabels, "il": IntegrityLabels,
                                         "outcomes": list(ReviewOutcome), **context},
                         status=status)


@router.get("/risk", response_class=HTMLResponse)
def queue_page(request: Request, actor: common.PageActor) -> Response:
    found = reviews.queue(deps.get_uow(request), actor)
    return render(request, "risk/queue.html", {
        "run": found.run, "flags": found.flags, "model": found.model,
        "waiting": sum(1 for f in found.flags if f.review is None)})


def _flag_page(request: Request, actor: Any, score_id: int, *, refusals: list[str] | None = None,
               form: dict[str, str] | None = None, status: int = 200) -> HTMLResponse:
    view = reviews.flag(deps.get_uow(request), actor, score_id)
    return render(request, "risk/flag.html", {
        "v": view, "refusals": refusals or [], "form": form or {},
        "done": request.query_params.get("hecho") == "1"}, status=status)


@router.get("/risk/flags/{score_id}", response_class=HTMLResponse)
def flag_page(request: Request, actor: common.PageActor, score_id: int) -> Response:
    return _flag_page(request, actor, score_id)


@router.post("/risk/flags/{score_id}", response_class=HTMLResponse)
def review(request: Request, actor: common.PageActor, score_id: int,
           outcome: str = Form(""), useful: str = Form(""), note: str = Form("")) -> Response:
    form = {"outcome": outcome, "useful": useful, "note": note}
    refusals = []
    try:
        chosen: ReviewOutcome | None = ReviewOutcome(outcome)
    except ValueError:
        chosen = None
        refusals.append(strings.TEXT["rk_bad_outcome"])
    if useful not in ("yes", "no"):
        refusals.append(strings.TEXT["rk_bad_useful"])
    if chosen is None or refusals:
        return _flag_page(request, actor, score_id, refusals=refusals, form=form, status=422)
    try:
        reviews.review(deps.get_uow(request), actor, score_id, chosen, useful == "yes", note,
                       policy=deps.policy(request))
    except ValidationFailed as exc:
        # In the page's words, kept with what was typed so nothing is lost.
        return _flag_page(request, actor, score_id, form=form, status=exc.status,
                          refusals=[strings.TEXT[_FIELD_REFUSALS[e.location]]
                                    if e.location in _FIELD_REFUSALS else e.reason
                                    for e in exc.errors])
    except Conflict as exc:
        key = _CONFLICTS.get(exc.code or "")
        return _flag_page(request, actor, score_id, form=form, status=exc.status,
                          refusals=[strings.TEXT[key] if key else exc.detail])
    return RedirectResponse(f"/risk/flags/{score_id}?hecho=1", status_code=303)


@router.get("/risk/report", response_class=HTMLResponse)
def report_page(request: Request, actor: common.PageActor) -> Response:
    return render(request, "risk/report.html",
                  {"r": reviews.report(deps.get_uow(request), actor)})
