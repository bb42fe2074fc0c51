"""After the findings (ADR 0030): the commission's sanction, a sustained finding's request for a
special trust-control evaluation, the appeal agency HR files for its officer, and the appeal's
decision by a third person.

The sanction, special-evaluation and appeal-decision forms live on the case file (their people
read it); agency HR, who files the appeal, may learn no more of a case than that it exists and
its stage, so its form is a page of its own that shows just that and the appeal's deadline.
A refusal — a decider the safeguards bar, a period that is over, grounds too short, a value no
form offers — comes back beside its form, in words, with what was typed still in place; the
services record every refusal in the trail.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require_role
from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Conflict, Forbidden, ValidationFailed
from confianza.core.web import strings
from confianza.core.web.strings.integrity import IntegrityLabels
from confianza.core.web.strings.integrity_decisions import IN_APPEAL_OUTCOME
from confianza.integrity.pages import decisions as forms
from confianza.integrity.pages.cases import case_view
from confianza.integrity.rules.stages import Stage
from confianza.integrity.service import cases, decisions
from confianza.vetting.pages.forms import PostedForm, field_messages

router = APIRouter()
CASE = "/integrity/cases/{case_id}"


@router.post(f"{CASE}/sanction", response_class=HTMLResponse)
def sanction(request: Request, actor: common.PageActor, case_id: int,
             form: PostedForm) -> Response:
    require_role(deps.get_uow(request), actor, Permission.CASE_DECIDE)
    typed = forms.TypedSanction.read(form)
    try:
        decisions.record_sanction(deps.get_uow(request), actor, case_id,
                                  typed.officer_id or 0, typed.sanction, typed.grounds,
                                  typed.day_count())
    except ValidationFailed as exc:
        return case_view(request, actor, case_id, sanction_typed=typed,
                         sanction_errors=field_messages(exc.errors, forms.translate),
                         status=422)
    except (Conflict, Forbidden) as exc:
        return case_view(request, actor, case_id, sanction_typed=typed,
                         refused=forms.refusal(exc, stage="in_ref_stage_sanction"),
                         refused_detail=exc.detail, refused_at="sanction", status=exc.status)
    return RedirectResponse(f"/integrity/cases/{case_id}?hecho=sancion#sancion",
                            status_code=303)


@router.post(f"{CASE}/allegations/{{allegation_id}}/special-evaluation",
             response_class=HTMLResponse)
def special_evaluation(request: Request, actor: common.PageActor, case_id: int,
                       allegation_id: int) -> Response:
    require_role(deps.get_uow(request), actor, Permission.CASE_DECIDE)
    try:
        decisions.request_special_evaluation(deps.get_uow(request), actor, case_id,
                                             allegation_id, policy=deps.policy(request))
    except (Conflict, Forbidden) as exc:
        return case_view(request, actor, case_id, refused=forms.refusal(exc),
                         refused_detail=exc.detail, refused_at=f"special-{allegation_id}",
                         status=exc.status)
    return RedirectResponse(f"/integrity/cases/{case_id}?hecho=evaluacion"
                            f"#allegation-{allegation_id}", status_code=303)


@router.post(f"{CASE}/appeal/decision", response_class=HTMLResponse)
def decide_appeal(request: Request, actor: common.PageActor, case_id: int,
                  form: PostedForm) -> Response:
    require_role(deps.get_uow(request), actor, Permission.CASE_DECIDE)
    typed = forms.TypedGrounds.read(form, "resolution")
    try:
        decisions.decide_appeal(deps.get_uow(request), actor, case_id, typed.appeal_outcome,
                                typed.text)
    except ValidationFailed as exc:
        return case_view(request, actor, case_id, appeal_typed=typed,
                         appeal_errors=field_messages(exc.errors, forms.translate),
                         status=422)
    except (Conflict, Forbidden) as exc:
        return case_view(request, actor, case_id, appeal_typed=typed,
                         refused=forms.refusal(exc, stage="in_ref_stage_appeal"),
                         refused_detail=exc.detail, refused_at="appeal", status=exc.status)
    return RedirectResponse(f"/integrity/cases/{case_id}?hecho=recurso#recurso",
                            status_code=303)


def _appeal_page(request: Request, actor: Actor, case_id: int, *, status: int = 200,
                 **extra: Any) -> HTMLResponse:
    """HR's appeal form: the case's number and stage (all HR may know of it, read and
    recorded by the service), the deadline while an appeal may be filed, and the grounds."""
    stage = cases.case_stage(deps.get_uow(request), actor, case_id)
    today = deps.get_uow(request).today()
    until = forms.appeal_until(stage.stage_since) if stage.stage is Stage.SANCTION else None
    context: dict[str, Any] = {
        "c": stage, "until": until, "open": until is not None and today <= until,
        "late": until is not None and today > until, "grounds_min": decisions.GROUNDS_MIN,
        "typed": forms.TypedGrounds(), "errors": {}, "refused": None, "refused_detail": None,
        "done": None, "il": IntegrityLabels, "outcome": IN_APPEAL_OUTCOME}
    context.update(extra)
    return common.render(request, "integrity/appeal.html", context, status=status)


@router.get(f"{CASE}/appeal", response_class=HTMLResponse)
def appeal_page(request: Request, actor: common.PageActor, case_id: int,
                hecho: str = "") -> Response:
    require_role(deps.get_uow(request), actor, Permission.CASE_APPEAL_FILE)
    done = strings.TEXT["in_done_appeal_filed"] if hecho == "recurso" else None
    return _appeal_page(request, actor, case_id, done=done)


@router.post(f"{CASE}/appeal", response_class=HTMLResponse)
def file_appeal(request: Request, actor: common.PageActor, case_id: int,
                form: PostedForm) -> Response:
    require_role(deps.get_uow(request), actor, Permission.CASE_APPEAL_FILE)
    typed = forms.TypedGrounds.read(form, "grounds")
    try:
        decisions.file_appeal(deps.get_uow(request), actor, case_id, typed.text)
    except ValidationFailed as exc:
        return _appeal_page(request, actor, case_id, typed=typed,
                            errors=field_messages(exc.errors, forms.translate), status=422)
    except (Conflict, Forbidden) as exc:
        return _appeal_page(request, actor, case_id, typed=typed,
                            refused=forms.refusal(exc, stage="in_ref_stage_appeal_file"),
                            refused_detail=exc.detail, status=exc.status)
    return RedirectResponse(f"/integrity/cases/{case_id}/appeal?hecho=recurso",
                            status_code=303)
