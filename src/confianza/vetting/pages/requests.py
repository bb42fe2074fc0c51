"""Asking for an evaluation: the form (from the officer profile or the re-evaluation list) and
its post, which returns to where it came from (post-redirect-get)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission, ScopeKind
from confianza.app import deps
from confianza.app import rendering as common
from confianza.certification.pages.lists import render
from confianza.core.errors import Conflict, ValidationFailed
from confianza.core.web import strings
from confianza.registry.rules.agencies import Agency
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import EvaluationKind
from confianza.vetting.service import evaluations as evaluation_service

router = APIRouter()
GONE = frozenset({OfficerStatus.SEPARATED, OfficerStatus.DECEASED})
NEXT_MAX = 2000


def with_notice(target: str, notice: str) -> str:
    """A local path with `aviso=<notice>` added, for the page a post returns to."""
    path = common.safe_next(target)
    query = urlsplit(path).query
    kept = "&".join(p for p in query.split("&") if p and not p.startswith("aviso="))
    base = path.split("?", 1)[0]
    return f"{base}?{kept + '&' if kept else ''}aviso={notice}"


def _agencies(request: Request, actor: Actor, profile: officer_service.OfficerProfile
              ) -> list[Agency]:
    """Where the evaluation may be asked from: the officer's current agencies, and the
    caller's own agency (a new entry is asked by the agency the applicant would join)."""
    chosen = {a.agency_id: profile.agencies[a.agency_id] for a in profile.current
              if a.agency_id in profile.agencies}
    own = actor.scope.agency_id if actor.scope.kind is ScopeKind.AGENCY else None
    if own is not None and own not in chosen and actor.has(Permission.AGENCY_READ):
        chosen[own], _ = agency_service.get_agency(deps.get_uow(request), actor, own)
    return sorted(chosen.values(), key=lambda a: a.name)


def _form_context(request: Request, actor: Actor, officer_id: int, form: dict[str, str]
                  ) -> dict[str, Any]:
    profile = officer_service.get_officer(deps.get_uow(request), actor, officer_id)
    agencies = _agencies(request, actor, profile)
    if not form.get("agency_id") and agencies:
        form["agency_id"] = str(agencies[0].id)
    return {
        "officer": profile.officer, "officer_id": officer_id, "agencies": agencies,
        "kinds": list(EvaluationKind), "form": form, "errors": {}, "message": None,
        "can_request": actor.has(Permission.EVALUATION_REQUEST),
        "gone": profile.officer.status in GONE, "reason_min": evaluation_service.REASON_MIN,
    }


@router.get("/certification/officers/{officer_id}/evaluation", response_class=HTMLResponse)
def request_form(
    request: Request, actor: common.PageActor, officer_id: int, tipo: str = "permanence",
    next: str = "",
) -> Response:
    form = {"kind": tipo if tipo in EvaluationKind.__members__.values() else "permanence",
            "agency_id": "", "rank": "", "reason": "", "sensitive": "",
            "next": common.safe_next(next or f"/officers/{officer_id}")}
    return render(request, "certification/request.html",
                  _form_context(request, actor, officer_id, form))


def field_message(location: str, form: dict[str, str]) -> str:
    """A refused field in the user's words; the service names the field, the form knows
    which of its rules applies."""
    if location == "rank":
        if len(form["rank"].strip()) > 80:
            return strings.TEXT["tc_req_err_rank_long"]
        if form["kind"] == EvaluationKind.PROMOTION:
            return strings.TEXT["tc_req_err_rank_promotion"]
        return strings.TEXT["tc_req_err_rank_entry"]
    if location == "reason":
        if len(form["reason"].strip()) > 2000:
            return strings.TEXT["tc_req_err_reason_long"]
        return strings.text("tc_req_err_reason", min=evaluation_service.REASON_MIN)
    if location == "officer_id":
        return strings.TEXT["tc_req_err_not_here"]
    if location == "agency_id":
        return strings.TEXT["tc_req_err_agency"]
    return strings.TEXT["tc_req_err_kind"]


@router.post("/certification/officers/{officer_id}/evaluation", response_class=HTMLResponse)
def request_evaluation(
    request: Request,
    actor: common.PageActor,
    officer_id: int,
    # No length limits here: an over-long rank or reason is refused beside its field by the
    # service's rules, with what was typed kept, rather than by a bare error page.
    kind: Annotated[str, Form()] = "",
    agency_id: Annotated[str, Form()] = "",
    rank: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    sensitive: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    back = next if len(next) <= NEXT_MAX else ""
    form = {"kind": kind[:40], "agency_id": agency_id[:20], "rank": rank, "reason": reason,
            "sensitive": "1" if sensitive else "",
            "next": common.safe_next(back or f"/officers/{officer_id}")}
    errors: dict[str, str] = {}
    message = None
    status = 422
    agency = common.record_number(agency_id, "agency_id")
    if kind not in EvaluationKind.__members__.values():
        errors["kind"] = strings.TEXT["tc_req_err_kind"]
    if agency is None:
        errors["agency_id"] = strings.TEXT["tc_req_err_agency_missing"]
    if agency is not None and not errors:
        try:
            evaluation_service.request_evaluation(
                deps.get_uow(request), actor, evaluation_service.EvaluationRequest(
                    officer_id, agency, EvaluationKind(kind), bool(sensitive),
                    rank.strip() or None, reason.strip() or None), policy=deps.policy(request))
            return RedirectResponse(with_notice(form["next"], "evaluacion_solicitada"),
                                    status_code=303)
        except ValidationFailed as refused:
            for error in refused.errors:
                place = "agency_id" if error.location == "officer_id" else error.location
                errors.setdefault(place, field_message(error.location, form))
        except Conflict:
            status = 409
    context = _form_context(request, actor, officer_id, form)
    if status == 409:
        # Two causes only: nobody left to evaluate, or an evaluation already under way (a
        # second click of the same button lands here).
        message = strings.TEXT["tc_req_gone" if context["gone"] else "tc_req_under_way"]
    context.update(errors=errors, message=message)
    return render(request, "certification/request.html", context, status=status)
