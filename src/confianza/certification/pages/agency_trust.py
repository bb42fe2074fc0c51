"""What a not-approved decision leaves an agency to do: read its notifications, file the
appeal, and complete (or wait on) the separation process. Every action is a form post checked
against the session's CSRF token, answered with a redirect when it succeeds (post-redirect-get)
and with the page and a message in words when the service refuses."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.app import deps
from confianza.app import rendering as common
from confianza.certification.pages.lists import render
from confianza.certification.rules.decisions import appeal_open
from confianza.certification.service import appeals as appeal_service
from confianza.core.civil_time import civil_date
from confianza.core.errors import Conflict, ValidationFailed
from confianza.core.web import strings
from confianza.registry.rules.officers import OfficerStatus
from confianza.vetting.rules.evaluations import EvaluationStatus
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.vetting.rules.records import AppealStatus, Notification
from confianza.vetting.service import evaluations as evaluation_service

router = APIRouter()
LIST_LIMIT = 100
NOTICES_TARGET = "notices"


def _policy(request: Request) -> WorkflowPolicy:
    return deps.get_container(request).policy or WorkflowPolicy()


def _today(request: Request) -> date:
    return deps.get_container(request).today()


# Notifications -----------------------------------------------------------------------------

def _notifications_context(request: Request, actor: Actor) -> dict[str, Any]:
    rows = appeal_service.list_notifications(deps.get_uow(request), actor, limit=LIST_LIMIT)
    # Unread first; newest first within each group (the service's order, kept by a stable sort).
    rows = sorted(rows, key=lambda n: n.read_at is not None)
    days = _policy(request).appeal_days
    zone = deps.get_container(request).zone

    def appeal_until(notification: Notification) -> date:
        # A not-approved notice is written the (civil) day the decision takes effect.
        return civil_date(notification.created_at, zone) + timedelta(days=days)

    return {
        "notices": rows, "unread": sum(1 for n in rows if n.read_at is None),
        "appeal_until": appeal_until,
        # Offered by role to spare a dead end; the services decide and record.
        "can_mark": actor.has(Permission.SEPARATION_MANAGE),
        "can_appeal": actor.has(Permission.APPEAL_FILE),
    }


@router.get("/certification/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, actor: common.PageActor, aviso: str = "") -> Response:
    context = _notifications_context(request, actor)
    context["notice"] = strings.TC_NOTICES.get(aviso)
    return render(request, "certification/notifications.html", context)


@router.post("/certification/notifications/{notification_id}/read",
             response_class=HTMLResponse)
def mark_read(request: Request, actor: common.PageActor, notification_id: int) -> Response:
    appeal_service.mark_notification_read(deps.get_uow(request), actor, notification_id)
    if common.is_htmx(request):
        return render(request, "certification/_notifications.html",
                      _notifications_context(request, actor))
    return RedirectResponse("/certification/notifications?aviso=aviso_leido", status_code=303)


# Separations (and the appeals filed) -------------------------------------------------------

def _separations_context(request: Request, actor: Actor) -> dict[str, Any]:
    uow = deps.get_uow(request)
    processes = appeal_service.list_separations(uow, actor, open_only=True, limit=LIST_LIMIT)
    filed = (appeal_service.list_appeals(uow, actor, limit=LIST_LIMIT).items
             if actor.has(Permission.APPEAL_FILE) else [])
    return {"processes": processes, "appeals": filed, "notes": {}, "errors": {},
            "messages": {}, "details": {}, "can_appeal": actor.has(Permission.APPEAL_FILE)}


@router.get("/certification/separations", response_class=HTMLResponse)
def separations_page(request: Request, actor: common.PageActor, aviso: str = "") -> Response:
    context = _separations_context(request, actor)
    context["notice"] = strings.TC_NOTICES.get(aviso)
    return render(request, "certification/separations.html", context)


def _separation_refusal(request: Request, actor: Actor, evaluation_id: int | None) -> str:
    """Why a separation must wait, in words: read from the evaluation and its appeal."""
    if evaluation_id is None:  # no longer among the open processes
        return strings.TEXT["tc_sep_not_open"]
    view = evaluation_service.get_evaluation(deps.get_uow(request), actor, evaluation_id)
    if view.appeal is not None and view.appeal.status is AppealStatus.OPEN:
        return strings.TEXT["tc_sep_appeal_pending"]
    confirmed = view.evaluation.confirmed_on
    if view.appeal is None and confirmed is not None:
        until = confirmed + timedelta(days=_policy(request).appeal_days)
        return strings.text("tc_sep_appeal_may_be_filed", date=common.format_date(until))
    return strings.TEXT["tc_refused"]


@router.post("/certification/separations/{process_id}/close", response_class=HTMLResponse)
def close_separation(
    request: Request, actor: common.PageActor, process_id: int,
    note: Annotated[str, Form()] = "",
) -> Response:
    try:
        appeal_service.close_separation(deps.get_uow(request), actor, process_id, note,
                                        policy=deps.policy(request))
        return RedirectResponse("/certification/separations?aviso=separacion_concluida",
                                status_code=303)
    except ValidationFailed:
        context = _separations_context(request, actor)
        typed = note.strip()
        context["errors"] = {process_id: common.too_long(appeal_service.NOTE_MAX)
                             if len(typed) > appeal_service.NOTE_MAX
                             else strings.TEXT["tc_sep_note_short"]}
        status = 422
    except Conflict as refused:
        context = _separations_context(request, actor)
        evaluation_id = next((p.evaluation_id for p in context["processes"]
                              if p.id == process_id), None)
        message = _separation_refusal(request, actor, evaluation_id)
        if evaluation_id is None:
            # No longer listed (closed by a first submit, or by someone else): said on top.
            context.update(alert=message, alert_detail=refused.detail)
        context["messages"] = {process_id: message}
        context["details"] = {process_id: refused.detail}
        status = 409
    context["notes"] = {process_id: note}
    return render(request, "certification/separations.html", context, status=status)


# Appeals -----------------------------------------------------------------------------------

def _appeal_context(request: Request, actor: Actor, evaluation_id: int) -> dict[str, Any]:
    # Read as the caller may see it: agency HR gets no exam result, and this page shows none.
    view = evaluation_service.get_evaluation(deps.get_uow(request), actor, evaluation_id)
    evaluation = view.evaluation
    days = _policy(request).appeal_days
    appealable = (evaluation.status is EvaluationStatus.NOT_APPROVED
                  and evaluation.confirmed_on is not None)
    deadline = (evaluation.confirmed_on + timedelta(days=days)
                if appealable and evaluation.confirmed_on else None)
    in_time = bool(appealable and evaluation.confirmed_on
                   and appeal_open(evaluation.confirmed_on, _today(request), days))
    return {
        "view": view, "evaluation": evaluation, "officer": view.officer, "agency": view.agency,
        "appeal": view.appeal, "deadline": deadline, "appealable": appealable,
        "in_time": in_time, "days": days, "grounds": "", "error": None, "message": None,
        "detail": None, "can_appeal": actor.has(Permission.APPEAL_FILE),
        "grounds_min": appeal_service.GROUNDS_MIN,
    }


@router.get("/certification/evaluations/{evaluation_id}/appeal", response_class=HTMLResponse)
def appeal_page(
    request: Request, actor: common.PageActor, evaluation_id: int, aviso: str = ""
) -> Response:
    context = _appeal_context(request, actor, evaluation_id)
    context["notice"] = strings.TC_NOTICES.get(aviso)
    return render(request, "certification/appeal.html", context)


def _appeal_refusal(context: dict[str, Any]) -> str:
    """Why the appeal was refused, in words, from the evaluation as it now stands."""
    if context["appeal"] is not None:
        return strings.text("tc_appeal_already",
                            date=common.format_date(context["appeal"].filed_on))
    if not context["appealable"]:
        return strings.TEXT["tc_appeal_not_appealable"]
    if context["officer"].status is OfficerStatus.DECEASED:
        return strings.TEXT["tc_appeal_deceased"]
    if not context["in_time"]:
        return strings.text("tc_appeal_closed", date=common.format_date(context["deadline"]),
                            days=context["days"])
    return strings.TEXT["tc_refused"]


@router.post("/certification/evaluations/{evaluation_id}/appeal", response_class=HTMLResponse)
def file_appeal(
    request: Request, actor: common.PageActor, evaluation_id: int,
    grounds: Annotated[str, Form()] = "",
) -> Response:
    try:
        appeal_service.file_appeal(deps.get_uow(request), actor, evaluation_id, grounds,
                                   policy=deps.policy(request))
        return RedirectResponse(
            f"/certification/evaluations/{evaluation_id}/appeal?aviso=apelacion_presentada",
            status_code=303)
    except ValidationFailed:
        context = _appeal_context(request, actor, evaluation_id)
        too_long = len(grounds.strip()) > 4000
        key = "tc_appeal_grounds_long" if too_long else "tc_appeal_grounds_short"
        context["error"] = strings.text(key, min=appeal_service.GROUNDS_MIN)
        status = 422
    except Conflict as refused:
        context = _appeal_context(request, actor, evaluation_id)
        context["message"] = _appeal_refusal(context)
        context["detail"] = refused.detail
        status = 409
    context["grounds"] = grounds
    return render(request, "certification/appeal.html", context, status=status)
