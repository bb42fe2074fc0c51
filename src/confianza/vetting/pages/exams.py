"""Examiner pages: "Mis exámenes", one exam with its result form, and the exam's files.

The examiner sees what the exam needs and nothing more (the service decides what that is);
every result is posted once, answered with a redirect, and refused beside its field when wrong.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Conflict, ValidationFailed
from confianza.core.web import strings
from confianza.declarations import pages as declarations_pages
from confianza.vetting.pages.forms import (
    FieldMessage,
    PostedForm,
    field_messages,
    render,
    text_of,
    texts_of,
)
from confianza.vetting.rules.evaluations import OUTCOMES, ExamType
from confianza.vetting.rules.exam_results import (
    OPTIONAL_SUBSTANCES,
    POLYGRAPH_TOPICS,
    PSYCHOLOGICAL_INSTRUMENTS,
    REQUIRED_SUBSTANCES,
)
from confianza.vetting.service import exams as exam_service

router = APIRouter()
RECENT = 20
MONEY_FIELDS = ("declared_income", "assets", "debts", "monthly_spending")


def exam_url(evaluation_id: int, exam_type: ExamType) -> str:
    return f"/exams/{evaluation_id}/{exam_type.value}"


def age_on(birth: date | None, birth_year: int | None, day: date) -> int | None:
    if birth is not None:
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return day.year - birth_year if birth_year else None


@router.get("/exams", response_class=HTMLResponse)
def queue_page(request: Request, actor: common.PageActor) -> Response:
    pending = exam_service.examiner_queue(deps.get_uow(request), actor, pending=True)
    recent = exam_service.examiner_queue(deps.get_uow(request), actor, pending=False,
                                         limit=RECENT)
    return render(request, "exams/queue.html",
                  {"pending": pending, "recent": recent, "exam_url": exam_url})


def _result_fields(exam_type: ExamType, form: FormData) -> dict[str, Any]:
    """The result as the domain takes it, from the form's fields (kept as typed)."""
    if exam_type is ExamType.TOXICOLOGY:
        panel = {s: v for s in REQUIRED_SUBSTANCES + OPTIONAL_SUBSTANCES
                 if (v := text_of(form, f"panel.{s}", 20))}
        return {"chain_of_custody_id": text_of(form, "chain_of_custody_id", 100),
                "panel": panel}
    fields: dict[str, Any] = {"outcome": text_of(form, "outcome", 50)}
    if exam_type is ExamType.POLYGRAPH:
        fields["topics"] = texts_of(form, "topics")
    elif exam_type is ExamType.PSYCHOLOGICAL:
        fields["instruments"] = texts_of(form, "instruments")
    elif exam_type is ExamType.MEDICAL:
        fields["restrictions"] = text_of(form, "restrictions", 1000)
    else:
        for name in (*MONEY_FIELDS, "household_size"):
            fields[name] = text_of(form, name, 40).strip()
    return fields


_RESULT_MESSAGES = {
    "result.chain_of_custody_id": "ex_err_custody",
    "result.panel": "ex_err_panel",
    "result.topics": "ex_err_topics",
    "result.instruments": "ex_err_instruments",
    "result.outcome": "ex_err_outcome",
    "result.restrictions": "ex_err_restrictions",
    "result.household_size": "ex_err_household",
    "notes": "ex_err_notes",
    "file": "ex_err_file",
    "filename": "ex_err_filename",
    "media_type": "ex_err_media_type",
}


def _translate(where: str, reason: str) -> str | None:
    if where.startswith("result.panel."):
        return strings.TEXT["ex_err_substance"]
    if where.removeprefix("result.") in MONEY_FIELDS:
        return strings.TEXT["ex_err_money"]
    key = _RESULT_MESSAGES.get(where)
    return strings.TEXT[key] if key else None


def _exam_context(
    request: Request, actor: Any, evaluation_id: int, exam_type: ExamType, **extra: Any
) -> dict[str, Any]:
    task = exam_service.get_exam(deps.get_uow(request), actor, evaluation_id, exam_type)
    today = deps.get_container(request).today()
    context: dict[str, Any] = {
        "task": task,
        "officer": task.officer,
        "exam": task.exam,
        "exam_type": exam_type.value,
        "action": exam_url(evaluation_id, exam_type),
        "age": age_on(task.officer.birth_date, task.officer.birth_year, today),
        "outcomes": OUTCOMES[exam_type],
        "required_substances": REQUIRED_SUBSTANCES,
        "optional_substances": OPTIONAL_SUBSTANCES,
        "topics": POLYGRAPH_TOPICS,
        "instruments": PSYCHOLOGICAL_INSTRUMENTS,
        "money_fields": MONEY_FIELDS,
        "typed": {"panel": {}, "topics": [], "instruments": []},
        "notes": "",
        "errors": {},
        "upload_errors": {},
        "alert": None,
        "alert_detail": None,
        "notice": None,
        # Files are accepted only while the evaluation's exams are being given.
        "can_upload": task.evaluation_status == "scheduled",
    }
    if exam_type is ExamType.SOCIOECONOMIC:  # the declaration checks beside the form
        context.update(declarations_pages.exam_panel(request, actor, evaluation_id))
    context.update(extra)
    return context


@router.get("/exams/{evaluation_id}/{exam_type}", response_class=HTMLResponse)
def exam_page(
    request: Request, actor: common.PageActor, evaluation_id: int, exam_type: ExamType,
    registrado: str = "", archivo: str = "",
) -> Response:
    notice = None
    if registrado:
        notice = strings.TEXT["ex_recorded"]
    elif archivo:
        notice = strings.TEXT["ex_file_attached"]
    return render(request, "exams/exam.html",
                  _exam_context(request, actor, evaluation_id, exam_type, notice=notice))


@router.post("/exams/{evaluation_id}/{exam_type}", response_class=HTMLResponse)
def record_result(
    request: Request, actor: common.PageActor, evaluation_id: int, exam_type: ExamType,
    form: PostedForm,
) -> Response:
    fields = _result_fields(exam_type, form)
    notes = text_of(form, "notes", 8000)
    try:
        exam_service.record_exam(deps.get_uow(request), actor, evaluation_id, exam_type,
                                 fields, notes)
    except ValidationFailed as exc:
        typed = {"panel": {}, "topics": [], "instruments": [], **fields}
        return render(request, "exams/exam.html", _exam_context(
            request, actor, evaluation_id, exam_type, typed=typed, notes=notes,
            errors=field_messages(exc.errors, _translate),
            alert=strings.TEXT["ev_fix_fields"]), status=422)
    except Conflict as exc:
        # A second submit (or a stale page) meets a result already recorded, or an evaluation
        # that moved on: say so on the exam's own page.
        return render(request, "exams/exam.html", _exam_context(
            request, actor, evaluation_id, exam_type, alert=_conflict_text(exc),
            alert_detail=exc.detail), status=exc.status)
    return RedirectResponse(exam_url(evaluation_id, exam_type) + "?registrado=1",
                            status_code=303)


def _conflict_text(exc: Conflict) -> str:
    if exc.code == "already_recorded":
        return strings.TEXT["ex_already_recorded"]
    if exc.code == "exam_not_due":
        return strings.TEXT["ex_too_early"]
    if exc.code == "already_attached":
        return strings.TEXT["ex_file_duplicate"]
    return strings.TEXT["ex_not_open"]


@router.post("/exams/{evaluation_id}/{exam_type}/files", response_class=HTMLResponse)
def attach_file(
    request: Request, actor: common.PageActor, evaluation_id: int, exam_type: ExamType,
    form: PostedForm,
) -> Response:
    upload = form.get("file")
    name, media_type, content = "", "", b""
    if isinstance(upload, UploadFile):
        name = upload.filename or ""
        media_type = (upload.content_type or "").split(";")[0].strip().lower()
        # One byte past the limit is enough for the service to refuse the size.
        content = upload.file.read(exam_service.ATTACHMENT_MAX + 1)
    try:
        exam_service.attach_file(deps.get_uow(request), actor, evaluation_id, exam_type, name,
                                 media_type, content)
    except ValidationFailed as exc:
        errors: dict[str, list[FieldMessage]] = {}
        for messages in field_messages(exc.errors, _translate).values():
            errors.setdefault("file", []).extend(messages)
        return render(request, "exams/exam.html", _exam_context(
            request, actor, evaluation_id, exam_type, upload_errors=errors), status=422)
    except Conflict as exc:
        return render(request, "exams/exam.html", _exam_context(
            request, actor, evaluation_id, exam_type, alert=_conflict_text(exc),
            alert_detail=exc.detail), status=exc.status)
    return RedirectResponse(exam_url(evaluation_id, exam_type) + "?archivo=1", status_code=303)


@router.get("/exams/{evaluation_id}/{exam_type}/files/{sha256}")
def download_file(
    request: Request, actor: common.PageActor, evaluation_id: int, exam_type: ExamType,
    sha256: str,
) -> Response:
    media_type, content = exam_service.read_attachment(
        deps.get_uow(request), actor, evaluation_id, exam_type, sha256[:64])
    # Always a download, never rendered in the application's origin.
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{sha256[:16]}"'})
