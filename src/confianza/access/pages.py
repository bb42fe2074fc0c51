"""The auditors' pages of alerts on unexplained reads (issue 19 §3, ADR 0037 addendum): the
queue, filtered by outcome and paged by id, with the share of decided alerts confirmed as
misuse; one alert, why it was raised, the reads behind it in the reader's civil time and every
mark; and the form that marks it justified, misuse or needing an interview, with a note.

The services decide who may see and mark an alert (auditors) and record every list, alert
opened, mark and refusal; these pages ask, lay out and page. Nobody is told of an alert by
them: not the reader, not the reader's manager.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_datetime
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.access.rules.alerts import MARKS, NOTE_MAX, Outcome
from confianza.access.service import alerts
from confianza.access.service import review as review_service
from confianza.accounts.rules.permissions import Actor
from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import ValidationFailed
from confianza.core.web import i18n, strings
from confianza.core.web.strings.access_alerts import AccessAlertLabels

router = APIRouter()
PAGE_SIZE = alerts.PAGE_SIZE
#: The list's filter: an outcome, or every alert.
ALL = "all"
FILTERS: tuple[str, ...] = (*(o.value for o in Outcome), ALL)
#: A read's moment in the reader's zone, with the weekday (the off-hours signal's question).
MOMENT = {"es": "EEE dd/MM/yyyy HH:mm", "en": "EEE MMM d, yyyy, h:mm a"}


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    return common.render(request, name, {
        "aal": AccessAlertLabels, "al": strings.AccessLabels, "marks": MARKS,
        "english": i18n.current() == "en", "note_max": NOTE_MAX, **context}, status=status)


def read_at(moment: datetime, zone: tzinfo) -> str:
    """An instant as the wall clock of `zone` shows it, weekday first, in the page's language."""
    language = i18n.current()
    return str(format_datetime(moment, MOMENT[language], tzinfo=zone,
                               locale=i18n.LOCALES[language]))


@router.get("/access/alerts", response_class=HTMLResponse)
def queue_page(request: Request, actor: common.PageActor, estado: str = Outcome.OPEN.value,
               despues: str = "") -> Response:
    shown = estado.strip()[:16] or Outcome.OPEN.value
    error = None
    if shown not in FILTERS:
        # Said beside the filter; every alert is listed meanwhile (the service still decides
        # whether the caller may see them, and records the list).
        error, shown = strings.TEXT["aa_bad_filter"], ALL
    outcome = None if shown == ALL else Outcome(shown)
    after = int(despues) if despues.isdigit() and len(despues) < 19 else None
    page = alerts.list_alerts(deps.get_uow(request), actor, outcome=outcome, after=after,
                              limit=PAGE_SIZE)
    next_url = None
    if len(page.items) == PAGE_SIZE:
        next_url = "/access/alerts?" + urlencode({"estado": shown,
                                                  "despues": page.items[-1].id})
    return render(request, "access_alerts/queue.html", {
        "page": page, "shown": shown, "filters": FILTERS, "error": error,
        "next_url": next_url,
    }, status=422 if error else 200)


def _alert_page(request: Request, actor: Actor, alert_id: int, *,
                refusals: list[str] | None = None, form: dict[str, str] | None = None,
                status: int = 200) -> HTMLResponse:
    view = review_service.alert_review(deps.get_uow(request), actor, alert_id)
    rows = [(read, read_at(read.at, view.zone)) for read in view.alert.read_list]
    return render(request, "access_alerts/alert.html", {
        "v": view, "a": view.alert, "rows": rows, "refusals": refusals or [],
        "form": form or {}, "done": request.query_params.get("hecho") == "1",
    }, status=status)


@router.get("/access/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, actor: common.PageActor, alert_id: int) -> Response:
    return _alert_page(request, actor, alert_id)


def _refusal(location: str, reason: str, note: str) -> str:
    """The service's refusal of a mark in the page's words."""
    if location == "outcome":
        return strings.TEXT["aa_bad_outcome"]
    if location == "note":
        text = note.strip()
        if len(text) > NOTE_MAX:
            return strings.TEXT["aa_note_too_long"].format(n=i18n.format_number(len(text)))
        return strings.TEXT["aa_note_missing"]
    return reason


@router.post("/access/alerts/{alert_id}", response_class=HTMLResponse)
def mark(request: Request, actor: common.PageActor, alert_id: int,
         outcome: str = Form(""), note: str = Form("")) -> Response:
    form = {"outcome": outcome, "note": note}
    try:
        # Whatever was chosen goes to the service, which refuses (and records the refusal of)
        # an unknown outcome or a missing note as it refuses a caller who is no auditor.
        alerts.mark_alert(deps.get_uow(request), actor, alert_id, outcome[:32], note)
    except ValidationFailed as exc:
        return _alert_page(request, actor, alert_id, form=form, status=exc.status,
                           refusals=[_refusal(e.location, e.reason, note) for e in exc.errors])
    return RedirectResponse(f"/access/alerts/{alert_id}?hecho=1", status_code=303)
