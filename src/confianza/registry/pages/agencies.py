"""Agency pages: the list of agencies in the caller's scope and each agency's roster."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.web import strings
from confianza.registry.rules.geography import find_state
from confianza.registry.rules.officers import OfficerStatus, RosterLine
from confianza.registry.service import agencies as agency_service

router = APIRouter()
PAGE_SIZE = 100

# One roster row. The roster is the one page that renders 10,000 rows, so its rows are built
# here rather than in a Jinja loop: Jinja allocates a dict per iteration, and the garbage
# collection that churn sets off doubled the median render time (about 125 ms against 45 ms for
# 10,000 rows; benchmarks/roster_page.py). Every text value is escaped exactly as autoescape would.
ROSTER_ROW = (
    '<tr><td><a href="/officers/{id}">{name}</a></td><td class="mono">{curp}</td>'
    '<td>{rank}</td><td>{unit}</td><td class="st-{status}">{label}</td><td>{since}</td></tr>\n'
)


def roster_rows(lines: list[RosterLine]) -> Markup:
    """The roster table's body rows as one escaped HTML string."""
    labels = strings.OFFICER_STATUS
    dash = strings.TEXT["none"]
    row = ROSTER_ROW.format
    return Markup("".join([
        row(id=int(line.officer_id), name=escape(line.name), curp=escape(line.curp or dash),
            rank=escape(line.rank), unit=escape(line.unit_name or dash),
            status=escape(line.status), label=escape(labels.get(line.status, line.status)),
            since=common.format_date(line.since))
        for line in lines
    ]))


@router.get("/agencies", response_class=HTMLResponse)
def agencies_page(
    request: Request, actor: common.PageActor, texto: str = "", despues: str = ""
) -> Response:
    after_id = common.record_number(despues, "agency_id")
    text = texto.strip()[:100] or None
    # One extra row tells whether there is a next page without counting them all.
    found = agency_service.search_agencies(
        deps.get_uow(request), actor, text=text, after_id=after_id, limit=PAGE_SIZE + 1
    )
    shown = found[:PAGE_SIZE]
    next_url = None
    if len(found) > PAGE_SIZE:
        params = {"despues": str(shown[-1].id)}
        if text:
            params["texto"] = text
        next_url = "/agencies?" + urlencode(params)
    states = {a.state_code: find_state(a.state_code) for a in shown if a.state_code}
    state_names = {code: s.name if s else code for code, s in states.items()}
    return common.render(
        request, "agencies/list.html",
        {"agencies": shown, "texto": texto, "next_url": next_url, "state_names": state_names},
    )


@router.get("/agencies/{agency_id}/roster", response_class=HTMLResponse)
def roster_page(
    request: Request, actor: common.PageActor, agency_id: int, orden: str = "nombre"
) -> Response:
    """Every officer currently assigned, with counts by status; 10,000 rows in one string."""
    agency, lines = agency_service.agency_roster(
        deps.get_uow(request), actor, agency_id
    )
    descending = orden == "-nombre"
    if descending:
        lines.reverse()  # the service returns them by name already
    counted = Counter(line.status for line in lines)
    counts = [(s.value, counted[s.value]) for s in OfficerStatus if counted[s.value]]
    state = find_state(agency.state_code) if agency.state_code else None
    return common.render(
        request, "agencies/roster.html",
        {"agency": agency, "total": len(lines), "rows": roster_rows(lines), "counts": counts,
         "descending": descending,
         "state_name": state.name if state else None},
    )
