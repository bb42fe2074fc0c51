"""Coordinator pages: the "Agenda" of requested evaluations and the form that books one.

The form asks for the centre first, then, per exam, one of that centre's examiners qualified for
it and a day. Choosing the centre reloads the exam rows (a fragment with htmx, the whole page
without it); the service checks qualifications and capacity and the page shows each refusal
beside its exam.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from confianza.core.web import strings
from confianza.vetting.pages.forms import (
    FieldMessage,
    PostedForm,
    field_messages,
    render,
    text_of,
)
from confianza.vetting.rules.evaluations import EvaluationStatus, ExamType
from confianza.vetting.rules.records import Centre, Examiner
from confianza.vetting.service import centres as centre_service
from confianza.vetting.service import evaluations as evaluation_service

router = APIRouter()
PAGE_SIZE = 50
BOOKINGS_TARGET = "bookings"
VIEWS = {"solicitadas": EvaluationStatus.REQUESTED, "programadas": EvaluationStatus.SCHEDULED}
BOOKABLE = (EvaluationStatus.REQUESTED, EvaluationStatus.SCHEDULED)
CAPACITY = re.compile(r"\((\d+) of (\d+) booked\)")


@router.get("/scheduling", response_class=HTMLResponse)
def agenda_page(
    request: Request, actor: common.PageActor, vista: str = "solicitadas",
    cursor: str | None = None, programada: str = "",
) -> Response:
    view_name = vista if vista in VIEWS else "solicitadas"
    page = evaluation_service.list_evaluations(
        deps.get_uow(request), actor, statuses=(VIEWS[view_name],), cursor=cursor,
        limit=PAGE_SIZE)
    next_url = None
    if page.next_cursor:
        next_url = "/scheduling?" + urlencode({"vista": view_name, "cursor": page.next_cursor})
    return render(request, "scheduling/agenda.html", {
        "lines": page.items, "view": view_name, "next_url": next_url,
        "scheduled": common.record_number(programada, "evaluation_id"),
    })


def _centres(request: Request, actor: Actor) -> list[Centre]:
    # Offered by role only to spare a dead end; schedule_evaluation decides and records.
    if not actor.has(Permission.EVALUATION_SCHEDULE):
        return []
    return [c for c in centre_service.list_centres(deps.get_uow(request), actor) if c.active]


def _form_context(
    request: Request, actor: Actor, evaluation_id: int, centre_choice: str,
    typed: dict[str, dict[str, str]] | None = None,
    errors: dict[str, list[FieldMessage]] | None = None, alert: str | None = None,
    alert_detail: str | None = None,
) -> dict[str, Any]:
    view = evaluation_service.get_evaluation(deps.get_uow(request), actor, evaluation_id)
    evaluation = view.evaluation
    bookable = evaluation.status in BOOKABLE
    centres = _centres(request, actor) if bookable else []
    chosen = common.record_number(centre_choice, "centre_id")
    centre_id = chosen if chosen is not None else evaluation.centre_id
    if centre_id is None and len(centres) == 1:
        centre_id = centres[0].id
    centre = next((c for c in centres if c.id == centre_id), None)
    examiners: list[Examiner] = []
    if centre is not None:
        examiners = centre_service.get_centre(deps.get_uow(request), actor, centre.id).examiners
    booked = centre is not None and centre.id == evaluation.centre_id
    rows = []
    for exam in sorted(view.exams, key=lambda e: e.exam_type):
        kept = (typed or {}).get(exam.exam_type.value)
        rows.append({
            "exam": exam,
            "type": exam.exam_type.value,
            "given": exam.recorded,
            "examiners": [e for e in examiners if exam.exam_type in e.qualifications],
            # What was typed, else the booking already held at this centre.
            "examiner_id": kept["examiner"] if kept else (
                str(exam.examiner_id) if booked and exam.examiner_id else ""),
            "day": kept["day"] if kept else (
                exam.scheduled_on.isoformat() if booked and exam.scheduled_on else ""),
            "capacity": centre.capacity.get(exam.exam_type, 0) if centre else None,
        })
    return {
        "view": view, "evaluation": evaluation, "officer": view.officer, "bookable": bookable,
        "can_schedule": actor.has(Permission.EVALUATION_SCHEDULE), "centres": centres,
        "centre": centre, "rows": rows, "errors": errors or {}, "alert": alert,
        "alert_detail": alert_detail, "today": deps.get_container(request).today(),
        "action": f"/scheduling/{evaluation_id}",
    }


@router.get("/scheduling/{evaluation_id}", response_class=HTMLResponse)
def schedule_page(
    request: Request, actor: common.PageActor, evaluation_id: int, centro: str = ""
) -> Response:
    context = _form_context(request, actor, evaluation_id, centro)
    headers = {"Vary": "HX-Request, HX-Target"}
    if common.is_htmx(request) and request.headers.get("hx-target") == BOOKINGS_TARGET:
        return render(request, "scheduling/_bookings.html", context, headers=headers)
    return render(request, "scheduling/form.html", context, headers=headers)


def _translate(where: str, reason: str) -> str | None:
    if where == "centre_id":
        return strings.TEXT["sch_err_centre"]
    if where.endswith(".examiner_id"):
        return strings.TEXT["sch_err_examiner"]
    if where.endswith(".day"):
        if "in the past" in reason:
            return strings.TEXT["sch_err_day_past"]
        if "year ahead" in reason:
            return strings.TEXT["sch_err_day_far"]
        if (found := CAPACITY.search(reason)) is not None:
            return strings.text("sch_err_capacity", taken=found[1], room=found[2])
        return strings.TEXT["sch_err_day"]
    if where.startswith("exams."):
        if "already been given" in reason:
            return strings.TEXT["sch_err_given"]
        return strings.TEXT["sch_err_missing"]
    return None


def _bookings(
    form: Any, exam_types: list[ExamType]
) -> tuple[dict[ExamType, evaluation_service.ExamBooking], dict[str, dict[str, str]],
           list[FieldError]]:
    """The bookings the form asks for, what was typed (to show it again), and the faults the
    page itself can see (a day that is no date). An exam left blank is left to the service,
    which names it as missing."""
    bookings: dict[ExamType, evaluation_service.ExamBooking] = {}
    typed: dict[str, dict[str, str]] = {}
    problems: list[FieldError] = []
    for exam_type in exam_types:
        examiner = text_of(form, f"examiner.{exam_type.value}", 20).strip()
        day_text = text_of(form, f"day.{exam_type.value}", 20).strip()
        typed[exam_type.value] = {"examiner": examiner, "day": day_text}
        if not examiner and not day_text:
            continue
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            problems.append(FieldError(f"exams.{exam_type.value}.day", "is not a date"))
            continue
        examiner_id = common.record_number(examiner, "user_id")
        if examiner_id is None:
            problems.append(FieldError(f"exams.{exam_type.value}.examiner_id", "is required"))
            continue
        bookings[exam_type] = evaluation_service.ExamBooking(examiner_id, day)
    return bookings, typed, problems


@router.post("/scheduling/{evaluation_id}", response_class=HTMLResponse)
def schedule(
    request: Request, actor: common.PageActor, evaluation_id: int, form: PostedForm
) -> Response:
    centre_text = text_of(form, "centre_id", 20).strip()
    centre_id = common.record_number(centre_text, "centre_id") or 0
    exam_types = [t for t in ExamType if f"day.{t.value}" in form]
    bookings, typed, problems = _bookings(form, exam_types)
    try:
        # The service is asked even when the page already sees a fault: it decides first
        # whether the caller may book at all, and it names the faults the page cannot see.
        try:
            evaluation_service.schedule_evaluation(
                deps.get_uow(request), actor, evaluation_id, centre_id, bookings)
        except NotFound:
            # A centre no form could name (or none chosen); a missing evaluation is a 404
            # when the page is rendered again below.
            raise ValidationFailed([*problems, FieldError("centre_id", "is required")]) from None
        except ValidationFailed as exc:
            raise ValidationFailed([*problems, *exc.errors]) from None
    except ValidationFailed as exc:
        return render(request, "scheduling/form.html", _form_context(
            request, actor, evaluation_id, centre_text, typed,
            field_messages(exc.errors, _translate), strings.TEXT["ev_fix_fields"]), status=422)
    except Conflict as exc:
        # A second submit of the same booking is refused as such: nothing was changed.
        alert = strings.TEXT["form_booking_unchanged" if exc.code == "already_booked"
                             else "sch_conflict"]
        return render(request, "scheduling/form.html", _form_context(
            request, actor, evaluation_id, centre_text, typed,
            alert=alert, alert_detail=exc.detail), status=exc.status)
    return RedirectResponse(f"/scheduling?vista=programadas&programada={evaluation_id}",
                            status_code=303)
