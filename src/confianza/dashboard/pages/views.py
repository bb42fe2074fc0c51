"""The coverage dashboard pages: /dashboard for signed-in readers (nation, state, agency) and
/public/coverage for anyone. The services decide who sees what and withhold what the public may
not read; these pages lay the figures out as charts with their tables beside them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission, ScopeKind
from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.civil_time import civil_date
from confianza.core.errors import FieldError, ValidationFailed
from confianza.core.web import i18n, strings
from confianza.core.web.strings import dashboard as strings_dashboard
from confianza.dashboard.pages import present
from confianza.dashboard.rules.public import PublicView
from confianza.dashboard.rules.tallies import OutcomeClass, Stage, window_start
from confianza.dashboard.rules.views import DashboardView, Level
from confianza.dashboard.service import figures as dashboard_service
from confianza.dashboard.web import summary_cache
from confianza.registry.rules.agencies import Agency, AgencyLevel
from confianza.registry.rules.geography import STATES
from confianza.registry.service import agencies as agency_service

router = APIRouter()
SECTIONS = "dashboard-sections"
AGENCY_CHOICES = 1000
#: The levels of the agencies that belong to no state, offered when no state is chosen.
STATELESS = (AgencyLevel.FEDERAL, AgencyLevel.FOREIGN)


def _url(path: str, **values: str) -> str:
    filled = {k: v for k, v in values.items() if v}
    return path + ("?" + urlencode(filled) if filled else "")


def agency_number(corporacion: str) -> int | None:
    if not corporacion:
        return None
    number = common.record_number(corporacion, "agency_id")
    if number is None:  # "²" or "12a", or a number no agency key can hold
        raise ValidationFailed(FieldError("corporacion", "must be an agency number"))
    return number


def _agencies_of(request: Request, actor: Actor, state_code: str | None) -> list[Agency]:
    """The agencies a drill-down may name, for an account that reads more than one agency:
    those of the state being viewed, or with no state chosen (a national account), those that
    belong to no state, the federal forces and the agencies outside Mexico."""
    if actor.scope.kind is ScopeKind.AGENCY or not actor.has(Permission.AGENCY_READ):
        return []
    uow = deps.get_uow(request)
    if state_code is not None:
        found = agency_service.search_agencies(uow, actor, state_code=state_code,
                                               limit=AGENCY_CHOICES)
    elif actor.scope.kind is ScopeKind.NATIONAL:
        found = [a for level in STATELESS
                 for a in agency_service.search_agencies(uow, actor, level=level,
                                                         limit=AGENCY_CHOICES)]
    else:
        return []
    return sorted(found, key=lambda a: a.name)


def _crumbs(view: DashboardView, actor: Actor) -> list[tuple[str, str | None]]:
    """Nation › state › agency, each a link while it is inside the reader's scope."""
    crumbs: list[tuple[str, str | None]] = []
    national = actor.scope.kind is ScopeKind.NATIONAL
    if national:
        crumbs.append((present.text("dashboard_national"),
                       "/dashboard" if view.level is not Level.NATIONAL else None))
    if view.level is not Level.NATIONAL and view.state_code is not None:
        inside = actor.scope.kind is not ScopeKind.AGENCY
        crumbs.append((present.state_label(view.state_code),
                       _url("/dashboard", estado=view.state_code)
                       if inside and view.level is Level.AGENCY else None))
    if view.agency is not None:
        crumbs.append((view.agency.name, None))
    return crumbs


def _ranking(view: DashboardView) -> present.Chart:
    lines = []
    for group in view.groups:
        counts = group.counts
        if view.level is Level.NATIONAL:
            href = _url("/dashboard", estado=group.key) if group.key.isdigit() else None
            name = present.state_label(group.key)
        else:
            href = _url("/dashboard", estado=view.state_code or "", corporacion=group.key)
            name = group.name
        lines.append(present.RankLine(name, counts.on_duty_uncertified, counts.officers, href))
    return present.ranking(lines)


def _scope_name(view: DashboardView) -> str:
    if view.agency is not None:
        return view.agency.name
    if view.level is Level.STATE:
        return present.state_label(view.state_code)
    return present.text("dashboard_national")


def sections_context(view: DashboardView, actor: Actor) -> dict[str, Any]:
    """What the sections template needs, for a full page or a partial update."""
    return {
        "view": view,
        "level": view.level.value,
        "scope_name": _scope_name(view),
        "crumbs": _crumbs(view, actor),
        "as_of": view.as_of,
        "figures": present.dashboard_headline(view),
        "ranking": _ranking(view),
        "months": present.months([m.month for m in view.months], [m.count for m in view.months]),
        "months_total": i18n.format_number(sum(m.count for m in view.months)),
        "exams": present.exams(view.exams, view.exams_withheld),
        "exams_withheld": not actor.has(Permission.EVALUATION_RESULTS_READ),
        "exam_since": present.text("dashboard_exams_caption", since=common.format_date(
            window_start(view.today))),
        "backlog": present.backlog(view.backlog),
        "outcome_kinds": [k.value for k in OutcomeClass],
        "stages": [s.value for s in Stage],
    }


def _labels() -> dict[str, Any]:
    return {"figure": strings_dashboard.DASHBOARD_FIGURE,
            "outcome": strings_dashboard.DASHBOARD_OUTCOME,
            "stage": strings_dashboard.DASHBOARD_STAGE}


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, actor: common.PageActor, estado: str = "",
                   corporacion: str = "") -> Response:
    where = dashboard_service.DashboardFilter(estado or None, agency_number(corporacion))
    view = dashboard_service.dashboard(deps.get_uow(request), actor, where,
                                       cache=summary_cache(request))
    national = actor.scope.kind is ScopeKind.NATIONAL
    context: dict[str, Any] = {
        **sections_context(view, actor), "dl": _labels(), "national": national,
        "states": STATES, "selected_state": view.state_code or "",
        "selected_agency": str(view.agency.id) if view.agency else "",
    }
    headers = {"Vary": "HX-Request, HX-Target, HX-Trigger-Name"}
    partial = common.is_htmx(request) and request.headers.get("hx-target") == SECTIONS
    # Choosing another state empties the agency list; the list comes along, swapped out of band.
    with_agencies = not partial or request.headers.get("hx-trigger-name") == "estado"
    if with_agencies:
        context["agencies"] = _agencies_of(request, actor, view.state_code)
        context["agency_field"] = national or actor.scope.kind is ScopeKind.STATE
    if partial:
        context["oob"] = with_agencies
        return common.render(request, "dashboard/_sections.html", context, headers=headers)
    return common.render(request, "dashboard/page.html", context, headers=headers)


def _public_ranking(view: PublicView) -> present.Chart:
    return present.ranking([
        present.RankLine(
            present.state_label(line.key), line.on_duty_uncertified, line.officers,
            _url("/public/coverage", estado=line.key) if line.key.isdigit() else None,
            line.key == view.state_code)
        for line in view.states
    ])


@router.get("/public/coverage", response_class=HTMLResponse)
def public_coverage_page(request: Request, estado: str = "") -> Response:
    """The public figures: no sign-in, aggregates only, small counts withheld."""
    view = dashboard_service.public_coverage(deps.get_uow(request), estado or None,
                                             cache=summary_cache(request))
    return common.render(request, "dashboard/public.html", {
        "view": view, "dl": _labels(), "states": STATES, "selected_state": estado,
        "scope_name": (present.state_label(view.state_code) if view.state_code
                       else present.text("dashboard_national")),
        "figures": present.public_headline(view.headline),
        "ranking": _public_ranking(view),
        "months": present.months(view.months, view.month_counts),
        "months_total": (i18n.format_number(sum(c for c in view.month_counts if c is not None))
                         if all(c is not None for c in view.month_counts) else None),
        "exams": present.public_exams(view.exams),
        "exam_since": present.text("dashboard_exams_caption", since=common.format_date(
            window_start(civil_date(view.as_of, i18n.zone())))),
        "backlog": present.public_backlog(view.centres),
        "requests": (None if view.requests is None else
                     strings.text("dashboard_public_requests",
                                  count=i18n.format_number(view.requests))),
        "outcome_kinds": ["approving", "adverse"],
    })
