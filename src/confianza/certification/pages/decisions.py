"""Certification pages: the "Dictámenes" queue, an evaluation with every result and the forms
to decide, confirm or return a decision, and the appeals to decide.

The services keep the rules (who examined does not decide, a second officer confirms, who took
part does not decide the appeal); these pages show each refusal where it happened, in Spanish.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.app import deps
from confianza.app import rendering as common
from confianza.certification.rules.decisions import GROUNDS_MIN, Recommendation, Verdict
from confianza.certification.service import appeals as appeal_service
from confianza.certification.service import decisions as decision_service
from confianza.core.errors import Conflict, FieldError, Forbidden, ValidationFailed
from confianza.core.web import strings
from confianza.vetting.pages.forms import (
    FieldMessage,
    PostedForm,
    Translator,
    field_messages,
    render,
    text_of,
)
from confianza.vetting.rules.evaluations import EvaluationStatus
from confianza.vetting.rules.records import AppealStatus
from confianza.vetting.service import evaluations as evaluation_service

router = APIRouter()
PAGE_SIZE = 50
TEXT_MAX = 8000
VIEWS = {"decision": EvaluationStatus.AWAITING_DECISION,
         "confirmacion": EvaluationStatus.AWAITING_CONFIRMATION}
DONE = {"decision": "dec_done_decision", "aprobada": "dec_done_approved",
        "confirmada": "dec_done_confirmed", "devuelta": "dec_done_returned",
        "apelacion": "dec_done_appeal"}


@router.get("/decisions", response_class=HTMLResponse)
def queue_page(
    request: Request, actor: common.PageActor, vista: str = "decision",
    cursor: str | None = None,
) -> Response:
    view_name = vista if vista in VIEWS else "decision"
    page = evaluation_service.list_evaluations(
        deps.get_uow(request), actor, statuses=(VIEWS[view_name],), cursor=cursor,
        limit=PAGE_SIZE)
    # A not-approved decision is confirmed by someone else: its author only sees it waiting.
    mine = [line for line in page.items
            if actor.user_id is not None and line.evaluation.decided_by == actor.user_id]
    others = [line for line in page.items if all(line is not m for m in mine)]
    next_url = None
    if page.next_cursor:
        next_url = "/decisions?" + urlencode({"vista": view_name, "cursor": page.next_cursor})
    return render(request, "decisions/queue.html", {
        "view": view_name, "lines": others, "mine": mine, "next_url": next_url,
    })


@router.get("/decisions/appeals", response_class=HTMLResponse)
def appeals_page(
    request: Request, actor: common.PageActor, cursor: str | None = None
) -> Response:
    page = appeal_service.list_appeals(deps.get_uow(request), actor, status=AppealStatus.OPEN,
                                       cursor=cursor, limit=PAGE_SIZE)
    next_url = "/decisions/appeals?" + urlencode({"cursor": page.next_cursor}) \
        if page.next_cursor else None
    return render(request, "decisions/appeals.html", {
        "view": "apelaciones", "appeals": page.items, "next_url": next_url,
    })


def _context(request: Request, actor: Actor, evaluation_id: int, **extra: Any) -> dict[str, Any]:
    view = evaluation_service.get_evaluation(deps.get_uow(request), actor, evaluation_id)
    evaluation = view.evaluation
    me = actor.user_id
    examiners = {e.examiner_id for e in view.exams if e.examiner_id is not None}
    took_part = me is not None and me in (
        examiners | {evaluation.decided_by, evaluation.confirmed_by})
    may_decide = actor.has(Permission.EVALUATION_DECIDE)
    status = evaluation.status
    context: dict[str, Any] = {
        "view": view, "evaluation": evaluation, "officer": view.officer,
        "exams": sorted(view.exams, key=lambda e: e.exam_type),
        "integration": evaluation.integration or {},
        "needs_grounds": evaluation.recommendation is Recommendation.NEEDS_GROUNDS,
        "may_decide": may_decide, "grounds_min": GROUNDS_MIN, "note_min": decision_service.NOTE_MIN,
        # Forms are offered by role and state only to spare dead ends; the services decide.
        "can_decide": may_decide and status is EvaluationStatus.AWAITING_DECISION,
        "can_confirm": may_decide and status is EvaluationStatus.AWAITING_CONFIRMATION
        and evaluation.decided_by != me,
        "waiting_second": status is EvaluationStatus.AWAITING_CONFIRMATION
        and me is not None and evaluation.decided_by == me,
        "appeal": view.appeal,
        "can_decide_appeal": actor.has(Permission.APPEAL_DECIDE) and view.appeal is not None
        and view.appeal.status is AppealStatus.OPEN and not took_part,
        "took_part": took_part,
        "typed": {"verdict": "", "grounds": "", "note": "", "outcome": "", "resolution": ""},
        "errors": {}, "alert": None, "alert_detail": None, "notice": None,
    }
    context.update(extra)
    return context


@router.get("/decisions/{evaluation_id}", response_class=HTMLResponse)
def evaluation_page(
    request: Request, actor: common.PageActor, evaluation_id: int, hecho: str = ""
) -> Response:
    notice = strings.TEXT[DONE[hecho]] if hecho in DONE else None
    return render(request, "decisions/evaluation.html",
                  _context(request, actor, evaluation_id, notice=notice))


def _done(evaluation_id: int, what: str) -> Response:
    return RedirectResponse(f"/decisions/{evaluation_id}?hecho={what}", status_code=303)


def _refused(request: Request, actor: Actor, evaluation_id: int, exc: Conflict | Forbidden,
             alert: str, typed: dict[str, str]) -> Response:
    return render(request, "decisions/evaluation.html", _context(
        request, actor, evaluation_id, alert=alert, alert_detail=exc.detail,
        typed=typed), status=exc.status)


def _invalid(request: Request, actor: Actor, evaluation_id: int,
             errors: dict[str, list[FieldMessage]], typed: dict[str, str]) -> Response:
    return render(request, "decisions/evaluation.html", _context(
        request, actor, evaluation_id, errors=errors, typed=typed,
        alert=strings.TEXT["ev_fix_fields"]), status=422)


def _blank(**typed: str) -> dict[str, str]:
    return {"verdict": "", "grounds": "", "note": "", "outcome": "", "resolution": "", **typed}


def _decision_translator(verdict: str) -> Translator:
    def translate(where: str, reason: str) -> str | None:
        if where == "verdict":
            return strings.TEXT["dec_err_verdict"]
        if where == "decider":
            return strings.TEXT["dec_err_examiner_decides"]
        if where == "grounds":
            if "longer than" in reason:
                return strings.TEXT["dec_err_grounds_long"]
            if "polygraph" in reason:
                return strings.text("dec_err_grounds_polygraph", min=GROUNDS_MIN)
            if verdict == Verdict.APPROVED:
                return strings.text("dec_err_grounds_adverse", min=GROUNDS_MIN)
            return strings.text("dec_err_grounds_no_failure", min=GROUNDS_MIN)
        return None
    return translate


@router.post("/decisions/{evaluation_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request, actor: common.PageActor, evaluation_id: int, form: PostedForm
) -> Response:
    verdict_text = text_of(form, "verdict", 40)
    grounds = text_of(form, "grounds", TEXT_MAX)
    typed = _blank(verdict=verdict_text, grounds=grounds)
    translate = _decision_translator(verdict_text)
    if verdict_text not in Verdict.__members__.values():
        errors = field_messages([_missing("verdict")], translate)
        return _invalid(request, actor, evaluation_id, errors, typed)
    verdict = Verdict(verdict_text)
    try:
        decision_service.decide(deps.get_uow(request), actor, evaluation_id, verdict, grounds,
                                policy=deps.policy(request), issuer=deps.issuer(request))
    except ValidationFailed as exc:
        return _invalid(request, actor, evaluation_id, field_messages(exc.errors, translate),
                        typed)
    except Conflict as exc:
        return _refused(request, actor, evaluation_id, exc, _decide_conflict(exc), typed)
    return _done(evaluation_id, "aprobada" if verdict is Verdict.APPROVED else "decision")


def _missing(where: str) -> FieldError:
    return FieldError(where, "is required")


def _decide_conflict(exc: Conflict) -> str:
    if exc.code == "exams_missing":
        return strings.TEXT["dec_err_exams_missing"]
    if exc.code == "already_decided":
        return strings.TEXT["dec_err_already_decided"]
    return strings.TEXT["dec_err_state"]


def _confirm_translator(where: str, reason: str) -> str | None:
    if where == "note":
        if "longer than" in reason:
            return common.too_long(decision_service.NOTE_MAX)
        return strings.text("dec_err_note", min=decision_service.NOTE_MIN)
    if where == "confirmer":
        if "decided" in reason:
            return strings.TEXT["dec_err_same_person"]
        return strings.TEXT["dec_err_examiner_confirms"]
    if where == "action":
        return strings.TEXT["dec_err_action"]
    return None


@router.post("/decisions/{evaluation_id}/confirmation", response_class=HTMLResponse)
def confirm(
    request: Request, actor: common.PageActor, evaluation_id: int, form: PostedForm
) -> Response:
    action = text_of(form, "accion", 20)
    note = text_of(form, "note", TEXT_MAX)
    typed = _blank(note=note)
    if action not in ("confirmar", "devolver"):
        errors = field_messages([_missing("action")], _confirm_translator)
        return _invalid(request, actor, evaluation_id, errors, typed)
    agree = action == "confirmar"
    try:
        decision_service.confirm(deps.get_uow(request), actor, evaluation_id, agree=agree,
                                 note=note, policy=deps.policy(request),
                                 issuer=deps.issuer(request))
    except ValidationFailed as exc:
        return _invalid(request, actor, evaluation_id,
                        field_messages(exc.errors, _confirm_translator), typed)
    except Conflict as exc:
        return _refused(request, actor, evaluation_id, exc, strings.TEXT["dec_err_no_pending"],
                        typed)
    return _done(evaluation_id, "confirmada" if agree else "devuelta")


def _appeal_translator(where: str, reason: str) -> str | None:
    if where == "outcome":
        return strings.TEXT["dec_err_appeal_outcome"]
    if where == "resolution":
        if "longer than" in reason:  # not "write at least 30 characters" to a long text
            return common.too_long(appeal_service.TEXT_MAX)
        return strings.text("dec_err_resolution", min=appeal_service.GROUNDS_MIN)
    return None


@router.post("/decisions/{evaluation_id}/appeals/{appeal_id}", response_class=HTMLResponse)
def decide_appeal(
    request: Request, actor: common.PageActor, evaluation_id: int, appeal_id: int,
    form: PostedForm,
) -> Response:
    outcome_text = text_of(form, "outcome", 20)
    resolution = text_of(form, "resolution", TEXT_MAX)
    typed = _blank(outcome=outcome_text, resolution=resolution)
    outcome = {"upheld": AppealStatus.UPHELD,
               "overturned": AppealStatus.OVERTURNED}.get(outcome_text, AppealStatus.OPEN)
    try:
        decided = appeal_service.decide_appeal(deps.get_uow(request), actor, appeal_id,
                                               outcome, resolution,
                                               policy=deps.policy(request),
                                               issuer=deps.issuer(request))
    except ValidationFailed as exc:
        return _invalid(request, actor, evaluation_id,
                        field_messages(exc.errors, _appeal_translator), typed)
    except Forbidden as exc:
        # Taking part in the evaluation is the one refusal the page can explain in place; any
        # other (a scope) falls to the error page, which says as much as the user may know.
        if exc.code != "took_part":
            raise
        return _refused(request, actor, evaluation_id, exc, strings.TEXT["dec_err_took_part"],
                        typed)
    except Conflict as exc:
        return _refused(request, actor, evaluation_id, exc,
                        strings.TEXT["dec_err_appeal_closed"], typed)
    return _done(decided.evaluation_id, "apelacion")
