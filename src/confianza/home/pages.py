"""The home page: who is signed in, and what needs their attention now.

The panels come from `services.home`, read in one transaction. They refresh themselves every
minute and on demand with htmx (a fragment, GET /home/panels); without JavaScript the "refresh"
link reloads the page, and /home/panels asked for by a browser answers the whole page.

Each refresh counts as activity and keeps the session alive, so an unattended home stops
refreshing itself after `AUTO_REFRESHES` rounds (`?ronda=` counts them; the page and the
"refresh" link start again at the first): an abandoned screen still reaches the idle timeout,
at most that many minutes late, and does not write a list read to the trail every minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission, ScopeKind
from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.web import strings
from confianza.core.web.strings.integrity import IntegrityLabels
from confianza.home.service import panels as home_service
from confianza.home.service import trail as home_trail
from confianza.home.service.panels import PanelName
from confianza.registry.rules.agencies import Agency
from confianza.registry.rules.geography import find_state

router = APIRouter()
PANELS_URL = "/home/panels"
REFRESH_SECONDS = 60
AUTO_REFRESHES = 10
# A fragment and a whole page are both served at these addresses: caches must keep them apart.
HEADERS = {"Vary": "HX-Request"}


@dataclass(frozen=True)
class PanelLook:
    """How a panel is shown: its template under home/, its texts (keys of the catalogue), the
    page where its work is done and the address of one item (a format of its ids)."""

    template: str
    title: str
    count: str
    all_url: str | None = None
    all_label: str | None = None
    item_url: str = ""
    help: str | None = None


_N = PanelName
LOOKS: dict[PanelName, PanelLook] = {
    _N.EXAMS_PENDING: PanelLook("exams", "home_exams_title", "home_exams_pending", "/exams",
                                "home_exams_all", "/exams/{evaluation_id}/{exam_type}"),
    _N.TO_SCHEDULE: PanelLook("evaluations", "home_to_schedule_title", "home_to_schedule_count",
                              "/scheduling", "home_to_schedule_all",
                              "/scheduling/{evaluation_id}"),
    _N.AGENDA_TODAY: PanelLook("exams", "home_agenda_title", "home_agenda_count",
                               "/scheduling?vista=programadas", "home_agenda_all",
                               "/scheduling/{evaluation_id}"),
    _N.TO_DECIDE: PanelLook("evaluations", "home_to_decide_title", "home_to_decide_count",
                            "/decisions", "home_to_decide_all", "/decisions/{evaluation_id}"),
    _N.TO_CONFIRM: PanelLook("evaluations", "home_to_confirm_title", "home_to_confirm_count",
                             "/decisions?vista=confirmacion", "home_to_confirm_all",
                             "/decisions/{evaluation_id}", "home_to_confirm_help"),
    _N.APPEALS: PanelLook("appeals", "home_appeals_title", "home_appeals_count",
                          "/decisions/appeals", "home_appeals_all",
                          "/decisions/{evaluation_id}#apelacion", "home_appeals_help"),
    _N.ALERTS: PanelLook("alerts", "home_alerts_title", "home_alerts_count",
                         "/certification/alerts", "home_alerts_all", "/officers/{officer_id}"),
    _N.EXPIRING: PanelLook("expiring", "home_expiring_title", "home_expiring_count",
                           "/certification/reevaluations", "home_expiring_all",
                           "/officers/{officer_id}"),
    _N.NOTIFICATIONS: PanelLook("notifications", "home_notices_title", "home_notices_count",
                                "/certification/notifications", "home_notices_all",
                                "/officers/{officer_id}"),
    _N.SEPARATIONS: PanelLook("separations", "home_separations_title",
                              "home_separations_count", "/certification/separations",
                              "home_separations_all", "/certification/separations#proceso-{id}"),
    _N.NOT_APPROVED: PanelLook("evaluations", "home_not_approved_title",
                               "home_not_approved_count", "/certification/alerts",
                               "home_not_approved_all", "/officers/{officer_id}"),
    _N.MY_CHANGES: PanelLook("trail", "home_my_changes_title", "home_own_today",
                             item_url="/officers/{officer_id}"),
    _N.MY_RESERVED_READS: PanelLook("trail", "home_my_reads_title", "home_own_today",
                                    item_url="/officers/{officer_id}"),
    _N.ACCESS_REPORTS: PanelLook("trail", "home_reports_title", "home_reports_count", "/access",
                                 "home_trail_all", "/access/officers/{officer_id}"),
    _N.SENSITIVE_READS: PanelLook("trail", "home_sensitive_title", "home_sensitive_count",
                                  "/access", "home_trail_all", "/access/officers/{officer_id}"),
    _N.REFUSALS: PanelLook("trail", "home_refusals_title", "home_refusals_count", "/access",
                           "home_trail_all"),
    _N.FAILED_SIGN_INS: PanelLook("trail", "home_failed_title", "home_failed_count", "/access",
                                  "home_trail_all"),
    _N.ACCOUNTS: PanelLook("accounts", "home_accounts_title", "home_accounts_active",
                           "/api/docs", "home_accounts_all"),
    _N.AGENCIES: PanelLook("agencies", "home_agencies_title", "home_agencies_active",
                           "/agencies", "home_agencies_all"),
    _N.MY_CASES: PanelLook("cases", "home_my_cases_title", "home_my_cases_count", "/integrity",
                           "home_cases_all", "/integrity/cases/{id}"),
    _N.TO_ASSIGN: PanelLook("cases", "home_to_assign_title", "home_to_assign_count",
                            "/integrity", "home_cases_all", "/integrity/cases/{id}"),
    _N.CASES_LATE: PanelLook("cases", "home_cases_late_title", "home_cases_late_count",
                             "/integrity", "home_cases_all", "/integrity/cases/{id}"),
    _N.FINDINGS_DUE: PanelLook("cases", "home_findings_due_title", "home_findings_due_count",
                               "/integrity", "home_cases_all", "/integrity/cases/{id}"),
    _N.FINDINGS_TO_CONFIRM: PanelLook("cases", "home_findings_confirm_title",
                                      "home_findings_confirm_count", "/integrity",
                                      "home_cases_all",
                                      "/integrity/cases/{id}#finding-{finding_id}",
                                      "home_findings_confirm_help"),
    _N.CASE_APPEALS: PanelLook("cases", "home_case_appeals_title", "home_case_appeals_count",
                               "/integrity", "home_cases_all", "/integrity/cases/{id}#recurso"),
    _N.FLAGS: PanelLook("flags", "home_flags_title", "home_flags_count", "/risk",
                        "home_flags_all", "/risk/flags/{score_id}"),
    _N.ACCESS_ALERTS: PanelLook("access_alerts", "aa_home_title", "aa_home_count",
                                "/access/alerts", "aa_home_all", "/access/alerts/{id}"),
}
# Trail panels about accounts link each entry to the account's history.
ACCOUNT_PANELS = frozenset({_N.REFUSALS, _N.FAILED_SIGN_INS})


def describe_scope(actor: Actor, agency: Agency | None) -> str:
    """The caller's scope in words: 'Nacional', 'Estado: Jalisco', 'Corporación: GN — ...'."""
    scope = actor.scope
    if scope.kind is ScopeKind.NATIONAL:
        return strings.TEXT["scope_national"]
    if scope.kind is ScopeKind.STATE:
        state = find_state(scope.state_code or "")
        name = state.name if state else scope.state_code
        return f"{strings.TEXT['scope_state']}: {name}"
    # The agency is named only when the role reads agencies; otherwise by its number.
    label = f"{agency.code} — {agency.name}" if agency else f"#{scope.agency_id}"
    return f"{strings.TEXT['scope_agency']}: {label}"


def _context(request: Request, actor: Actor, done: int = 0) -> dict[str, Any]:
    """What the page and the fragment show; `done`: automatic refreshes so far."""
    view = home_service.home(deps.get_uow(request), actor, policy=deps.policy(request))
    return {
        "next_round": done + 1 if done < AUTO_REFRESHES else None,
        "home": view,
        "looks": LOOKS,
        "account_panels": ACCOUNT_PANELS,
        "recent_days": home_service.RECENT_DAYS,
        "scope": describe_scope(actor, view.agency),
        "refresh_seconds": REFRESH_SECONDS,
        "panels_url": PANELS_URL,
        "trail_window": home_trail.TRAIL_WINDOW,
        "tl": strings.TrustLabels,
        "el": strings.EvaluationLabels,
        "al": strings.AccessLabels,
        "il": IntegrityLabels,
        # Links are offered by role only to avoid dead ends; the services decide every access.
        "can_search": actor.has(Permission.OFFICER_SEARCH),
        "can_agencies": actor.has(Permission.AGENCY_READ),
        "can_match": actor.has(Permission.IDENTITY_MATCH),
        "can_separations": actor.has(Permission.SEPARATION_MANAGE),
    }


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, actor: common.PageActor) -> Response:
    return common.render(request, "home.html", _context(request, actor), headers=HEADERS)


@router.get(PANELS_URL, response_class=HTMLResponse)
def panels_fragment(request: Request, actor: common.PageActor, ronda: str = "") -> Response:
    """The panels alone, for htmx to swap in; a browser asking without htmx gets the page."""
    done = min(int(ronda), AUTO_REFRESHES) if ronda.isdigit() else 0
    name = "home/_panels.html" if common.is_htmx(request) else "home.html"
    return common.render(request, name, _context(request, actor, done), headers=HEADERS)
