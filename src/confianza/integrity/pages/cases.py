"""The integrity cases' pages (ADR 0030): the queue with its deadlines and who is late, the case
file, the intake form a clerk fills while taking a complaint by phone, and the commission's
decision forms. The services decide who may see a case, record every read and enforce the
safeguards; these pages lay out what the service returns, never more (a protected source's
identity never reaches them), and show each refusal beside the form, in words, with everything
typed still in place."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission, Role
from confianza.accounts.service.authorization import require_role
from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Conflict, FieldError, Forbidden, ValidationFailed
from confianza.core.web import strings
from confianza.core.web.strings.integrity import IntegrityLabels
from confianza.integrity.pages import decisions as decision_forms
from confianza.integrity.pages import intake
from confianza.integrity.pages import outside_sanctions as pages_outside_sanctions
from confianza.integrity.rules.catalogue import Duty
from confianza.integrity.rules.outside_sanctions_match import StoredOutsideSanction
from confianza.integrity.rules.stages import Stage
from confianza.integrity.service import cases, decisions
from confianza.integrity.service.officer_record import OfficerCase
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction, RecordSection
from confianza.trail.service.refusals import refuse
from confianza.vetting.pages.forms import PostedForm, field_messages

router = APIRouter()
AGENCY_CHOICES = 500
MATCHES = 10  # officers offered per search: the clerk narrows the search rather than scrolls


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    return common.render(request, name, {"il": IntegrityLabels, **context}, status=status)


@router.get("/integrity", response_class=HTMLResponse)
def queue_page(request: Request, actor: common.PageActor, recibido: str = "") -> Response:
    lines = cases.queue(deps.get_uow(request), actor)
    received = common.record_number(recibido)
    return render(request, "integrity/queue.html", {
        "lines": lines, "late": sum(1 for line in lines if line.due.overdue),
        "received": received, "may_open": actor.has(Permission.CASE_OPEN)})


def _agencies(request: Request, actor: Actor) -> list[Any]:
    found = agency_service.search_agencies(deps.get_uow(request), actor, limit=AGENCY_CHOICES)
    return sorted(found, key=lambda a: a.name)


def _intake(request: Request, actor: Actor, form: intake.IntakeForm, *,
            errors: dict[str, Any] | None = None, alert: str | None = None,
            alert_detail: str | None = None, status: int = 200) -> HTMLResponse:
    return render(request, "integrity/intake.html", {
        "form": form, "agencies": _agencies(request, actor), "errors": errors or {},
        "alert": alert, "alert_detail": alert_detail,
        "allegations_max": intake.ALLEGATIONS_MAX}, status=status)


@router.get("/integrity/cases/new", response_class=HTMLResponse)
def intake_page(request: Request, actor: common.PageActor) -> Response:
    require_role(deps.get_uow(request), actor, Permission.CASE_OPEN)
    return _intake(request, actor, intake.IntakeForm.blank(deps.get_uow(request).today()))


def _search(request: Request, actor: Actor, form: intake.IntakeForm, index: int) -> None:
    """The registry officers matching what the caller gave of allegation `index`'s accused
    (name, badge): offered to choose from, never attached by guess."""
    typed = form.allegations[index]
    query = officer_service.OfficerQuery(name=typed.accused_name.strip() or None,
                                         badge=typed.accused_badge.strip() or None)
    if query.is_empty():
        typed.searched = True
        return
    page = officer_service.search_officers(deps.get_uow(request), actor, query, limit=MATCHES)
    typed.matches = [(o.id, o.full_name) for o in page.items]
    typed.searched = True


@router.post("/integrity/cases/new", response_class=HTMLResponse)
def take_in(request: Request, actor: common.PageActor, form_data: PostedForm) -> Response:
    require_role(deps.get_uow(request), actor, Permission.CASE_OPEN)
    form = intake.IntakeForm.read(form_data)
    action = intake.action_of(form_data)
    if action.kind == "add":
        form.add_allegation()
        return _intake(request, actor, form)
    if action.kind == "remove":
        form.remove_allegation(action.index)
        return _intake(request, actor, form)
    if action.kind == "search":
        _search(request, actor, form, action.index)
        return _intake(request, actor, form)
    errors = form.errors()
    try:
        if errors:  # refused here, and audited as the service's own refusals are (ADR 0010)
            refuse(deps.get_uow(request), actor, AuditAction.CASE_OPEN, "agency",
                   common.record_number(form.agency, "agency_id"), ValidationFailed(errors))
        opened = cases.open_case(deps.get_uow(request), actor, form.to_case())
    except ValidationFailed as exc:
        return _intake(request, actor, form,
                       errors=field_messages(exc.errors, intake.translate),
                       alert=strings.TEXT["in_fix_fields"], status=422)
    except Conflict as exc:
        return _intake(request, actor, form, alert=strings.TEXT["in_intake_refused"],
                       alert_detail=exc.detail, status=exc.status)
    if actor.role is Role.INTERNAL_AFFAIRS_SUPERVISOR:
        return RedirectResponse(f"/integrity/cases/{opened.case.id}?recibido=1",
                                status_code=303)
    # Whoever took the complaint in is barred from the case and has no need to read it on.
    return RedirectResponse(f"/integrity?recibido={opened.case.id}", status_code=303)


def case_view(request: Request, actor: Actor, case_id: int, *, status: int = 200,
              **extra: Any) -> HTMLResponse:
    """The case file, with whatever a refused form brings back (`extra`)."""
    uow = deps.get_uow(request)
    found = cases.read_case(uow, actor, case_id)
    context: dict[str, Any] = {
        "f": found, "me": actor.user_id, "grounds_min": decisions.GROUNDS_MIN,
        # Forms are offered by duty and stage only to spare dead ends; the services decide.
        "deciding": Duty.DECIDER in found.duties and found.case.stage is Stage.FINDING,
        "typed": {}, "errors": {}, "refused": None, "refused_at": None, "done": None,
        "sanction_typed": None, "sanction_errors": {}, "appeal_typed": None,
        "appeal_errors": {}, **decision_forms.after_findings(found, uow.today())}
    context.update(extra)
    return render(request, "integrity/case.html", context, status=status)


@router.get("/integrity/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, actor: common.PageActor, case_id: int,
              hecho: str = "") -> Response:
    done = strings.TEXT[DONE[hecho]] if hecho in DONE else None
    return case_view(request, actor, case_id, done=done)


DONE = {"resolucion": "in_done_finding", "confirmada": "in_done_confirmed",
        "sancion": "in_done_sanction", "evaluacion": "in_done_special",
        "recurso": "in_done_appeal_decided"}


@router.post("/integrity/cases/{case_id}/allegations/{allegation_id}/finding",
             response_class=HTMLResponse)
def decide(request: Request, actor: common.PageActor, case_id: int, allegation_id: int,
           form: PostedForm) -> Response:
    require_role(deps.get_uow(request), actor, Permission.CASE_DECIDE)
    typed = decision_forms.TypedFinding.read(form, allegation_id)
    at = f"allegation-{allegation_id}"
    try:
        if typed.kind is None:  # refused here, and audited as the service's refusals are
            refuse(deps.get_uow(request), actor, AuditAction.CASE_FINDING, "integrity_case",
                   case_id, ValidationFailed(FieldError("finding", "choose one")))
        decisions.record_finding(deps.get_uow(request), actor, case_id, allegation_id,
                                 typed.kind, typed.grounds, typed.relied_on())
    except ValidationFailed as exc:
        errors = field_messages(exc.errors, decision_forms.translate)
        return case_view(request, actor, case_id, typed={allegation_id: typed},
                     errors={allegation_id: errors}, status=422)
    except (Conflict, Forbidden) as exc:
        return case_view(request, actor, case_id, typed={allegation_id: typed},
                     refused=decision_forms.refusal(exc), refused_detail=exc.detail,
                     refused_at=at, status=exc.status)
    return RedirectResponse(f"/integrity/cases/{case_id}?hecho=resolucion#{at}",
                            status_code=303)


@router.post("/integrity/cases/{case_id}/findings/{finding_id}/confirm",
             response_class=HTMLResponse)
def confirm(request: Request, actor: common.PageActor, case_id: int,
            finding_id: int) -> Response:
    require_role(deps.get_uow(request), actor, Permission.CASE_DECIDE)
    try:
        decisions.confirm_finding(deps.get_uow(request), actor, case_id, finding_id)
    except (Conflict, Forbidden) as exc:
        return case_view(request, actor, case_id, refused=decision_forms.refusal(exc),
                     refused_detail=exc.detail, refused_at=f"finding-{finding_id}",
                     status=exc.status)
    return RedirectResponse(f"/integrity/cases/{case_id}?hecho=confirmada", status_code=303)


def record_sections(actor: Actor) -> tuple[RecordSection, ...]:
    """The record's section this shows, asked for with the rest of the record in its one read
    (one entry for the page, ADR 0024); none for a role holding no case permission."""
    sections: tuple[RecordSection, ...] = (
        (RecordSection.INTEGRITY,) if actor.has(Permission.CASE_STAGE_READ) else ())
    if actor.has(Permission.OUTSIDE_SANCTIONS_READ):
        sections += (RecordSection.OUTSIDE_SANCTIONS,)
    return sections


def officer_section(actor: Actor, found: list[OfficerCase] | None,
                    outside: list[StoredOutsideSanction] | None) -> dict[str, Any]:
    """What the officer's record shows of integrity cases, from what the record's read
    returned: nothing at all for a role holding no case permission (nothing was read); the
    cases and their stages otherwise, each linked to its file only for the reader's own cases
    (the service decided)."""
    if found is None:
        return {"integrity_section": False}
    return {
        "integrity_section": True,
        "integrity_cases": found,
        # Offered by role to spare a dead end; the network's service decides and records.
        "integrity_network": actor.has(Permission.NETWORK_READ),
        # HR files its officer's appeal against a sanction (the service checks the period).
        "integrity_appeal": actor.has(Permission.CASE_APPEAL_FILE),
        "il": IntegrityLabels,
        # Other authorities' sanctions linked to the officer (ADR 0036).
        **pages_outside_sanctions.officer_section(outside),
    }
