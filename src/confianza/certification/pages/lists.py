"""Trust-control lists for agency HR and supervisors: alerts (and their CSV file),
re-evaluations due, and coverage figures. The services decide who sees what; these pages only
ask, lay out and page."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from confianza.accounts.rules.permissions import Actor, Permission, ScopeKind
from confianza.app import deps
from confianza.app import rendering as common
from confianza.certification.rules.coverage import AlertLine, total_row
from confianza.certification.service import coverage as coverage_service
from confianza.core.web import strings
from confianza.core.web.spreadsheet import Columns, csv_bytes
from confianza.dashboard.web import kept_summary
from confianza.registry.rules.agencies import Agency
from confianza.registry.rules.geography import STATES, find_state
from confianza.registry.service import agencies as agency_service

router = APIRouter()
PAGE_SIZE = 50
AGENCY_CHOICES = 500
ALERT_RESULTS = "alert-results"


def render(request: Request, name: str, context: dict[str, Any], status: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render one of these pages with the trust-control label tables at hand."""
    return common.render(request, name, {"tl": strings.TrustLabels, **context}, status=status,
                         headers=headers)


def state_name(code: str | None) -> str:
    if not code or code == "--":
        return strings.TEXT["tc_no_state"]
    state = find_state(code)
    return state.name if state else code


def agency_choices(request: Request, actor: Actor) -> list[Agency]:
    """The agencies a filter may name: none for an agency-scoped account (its scope is its
    filter) or a role that does not read agencies (asking would only be refused)."""
    if actor.scope.kind is ScopeKind.AGENCY or not actor.has(Permission.AGENCY_READ):
        return []
    found = agency_service.search_agencies(deps.get_uow(request), actor, limit=AGENCY_CHOICES)
    return sorted(found, key=lambda a: a.name)


def list_filter(actor: Actor, corporacion: str, estado: str
                ) -> tuple[coverage_service.ListFilter, dict[str, str]]:
    """The typed filter and the form values to echo; a state only for national accounts."""
    agency_id = common.record_number(corporacion, "agency_id")
    state = estado if actor.scope.kind is ScopeKind.NATIONAL and find_state(estado) else None
    form = {"corporacion": str(agency_id) if agency_id else "", "estado": state or ""}
    return coverage_service.ListFilter(agency_id=agency_id, state_code=state), form


def _with(base: str, values: dict[str, str]) -> str:
    filled = {k: v for k, v in values.items() if v}
    return base + ("?" + urlencode(filled) if filled else "")


def reasons_text(line: AlertLine) -> str:
    return "; ".join(strings.TC_ALERT_REASON[r] for r in line.reasons)


@router.get("/certification/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request, actor: common.PageActor, corporacion: str = "", estado: str = "",
    cursor: str | None = None,
) -> Response:
    where, form = list_filter(actor, corporacion, estado)
    page = coverage_service.alert_list(deps.get_uow(request), actor, where, cursor=cursor,
                                       limit=PAGE_SIZE)
    next_url = _with("/certification/alerts", {**form, "cursor": page.next_cursor or ""}
                     ) if page.next_cursor else None
    context: dict[str, Any] = {
        "page": page, "form": form, "next_url": next_url, "continued": bool(cursor),
        "csv_url": _with("/certification/alerts.csv", form), "reasons": reasons_text,
        "state_name": state_name,
    }
    headers = {"Vary": "HX-Request, HX-Target"}
    if common.is_htmx(request) and request.headers.get("hx-target") == ALERT_RESULTS:
        return render(request, "certification/_alerts.html", context, headers=headers)
    context.update(agencies=agency_choices(request, actor), states=STATES,
                   national=actor.scope.kind is ScopeKind.NATIONAL)
    return render(request, "certification/alerts.html", context, headers=headers)


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


#: The alert list's file, declared once: each column's header (Spanish, as the agencies' own
#: spreadsheets name them) beside how its cell is read from a line.
ALERTS_CSV: Columns[AlertLine] = (
    ("folio", lambda line: line.officer_id),
    ("nombre", lambda line: line.name),
    ("curp", lambda line: line.curp),
    ("corporacion", lambda line: line.agency_code),
    ("estado", lambda line: state_name(line.state_code)),
    ("grado", lambda line: line.rank),
    ("evaluacion_vigente_hasta", lambda line: _day(line.approved_until)),
    ("cup_vigente_hasta", lambda line: _day(line.cup_until)),
    ("motivos", reasons_text),
)


def alerts_csv_body(lines: list[AlertLine]) -> bytes:
    """The alert list as CSV for a spreadsheet (core/web/spreadsheet.py), dates in ISO form,
    reasons in words."""
    return csv_bytes(ALERTS_CSV, lines)


@router.get("/certification/alerts.csv")
def alerts_csv(
    request: Request, actor: common.PageActor, corporacion: str = "", estado: str = ""
) -> Response:
    """The whole alert list as a file. Read in full before answering, so that a refusal is
    a page and not a download cut short."""
    where, _ = list_filter(actor, corporacion, estado)
    lines = list(coverage_service.export_alerts(deps.get_uow(request), actor, where))
    today = deps.get_container(request).today().isoformat()
    parts = ["alertas"]
    if where.agency_id is not None:
        parts.append(f"corporacion-{where.agency_id}")
    if where.state_code is not None:
        parts.append(f"estado-{where.state_code}")
    filename = "-".join([*parts, today]) + ".csv"
    return Response(
        alerts_csv_body(lines), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/certification/reevaluations", response_class=HTMLResponse)
def reevaluations_page(
    request: Request, actor: common.PageActor, corporacion: str = "",
    cursor: str | None = None, aviso: str = "",
) -> Response:
    where, form = list_filter(actor, corporacion, "")
    page = coverage_service.reevaluation_list(deps.get_uow(request), actor, where,
                                              policy=deps.policy(request), cursor=cursor,
                                              limit=PAGE_SIZE)
    next_url = _with("/certification/reevaluations",
                     {**form, "cursor": page.next_cursor or ""}) if page.next_cursor else None
    here = _with("/certification/reevaluations", {**form, "cursor": cursor or ""})
    return render(request, "certification/reevaluations.html", {
        "page": page, "form": form, "next_url": next_url, "here": here,
        "agencies": agency_choices(request, actor),
        # Offered by role to spare a dead end; request_evaluation decides and records.
        "can_request": actor.has(Permission.EVALUATION_REQUEST),
        "notice": strings.TC_NOTICES.get(aviso),
    })


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else strings.TEXT["none"]


@router.get("/certification/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request, actor: common.PageActor, por: str = "", estado: str = ""
) -> Response:
    if por not in ("estado", "corporacion"):
        por = "corporacion" if actor.scope.kind is ScopeKind.AGENCY else "estado"
    where, form = list_filter(actor, "", estado)
    rows = coverage_service.coverage(deps.get_uow(request), actor,
                                     by="state" if por == "estado" else "agency", where=where,
                                     summary=kept_summary(request))
    names = {r.key: state_name(r.key) if por == "estado" else r.name for r in rows}
    total = total_row(rows, strings.TEXT["tc_cov_total"])
    return render(request, "certification/coverage.html", {
        "rows": rows, "names": names, "total": total, "por": por, "form": form,
        "fields": strings.TC_COVERAGE_FIELDS, "share": _share, "states": STATES,
        "national": actor.scope.kind is ScopeKind.NATIONAL,
    })
