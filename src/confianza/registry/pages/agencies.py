"""Agency pages: the list of agencies in the caller's scope and each agency's roster, paged,
filtered and as a CSV file. The service decides who may read a roster and records each read."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import IO
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import ErrorCollector, ValidationFailed
from confianza.core.web import strings
from confianza.core.web.spreadsheet import Columns, write_csv
from confianza.registry.rules.geography import find_state
from confianza.registry.rules.officers import OfficerStatus, RosterLine
from confianza.registry.rules.rosters import Staff
from confianza.registry.service import agencies as agency_service

router = APIRouter()
PAGE_SIZE = 100
ROSTER_PAGE_SIZE = agency_service.ROSTER_PAGE
#: The roster file is made before the answer starts (so a refusal is a page, not a download cut
#: short, and the transaction does not wait on a slow client): in memory up to this size, on
#: disk beyond it, never whole in memory for a large agency.
CSV_IN_MEMORY = 2 * 1024 * 1024
CSV_READ = 64 * 1024
STATUSES = frozenset(s.value for s in OfficerStatus)
#: The roster's staff filter as its link spells it (Spanish, as the page's other parameters).
STAFF = {"": Staff.CURRENT, "anterior": Staff.FORMER, "todos": Staff.ALL}
STAFF_PARAM = {staff: param for param, staff in STAFF.items()}
_FILE_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

#: The roster's file, declared once: each column's header (Spanish, as the agencies' own
#: spreadsheets name them) beside how its cell is read from a line.
ROSTER_CSV: Columns[RosterLine] = (
    ("folio", lambda line: line.officer_id),
    ("nombre", lambda line: line.name),
    ("curp", lambda line: line.curp),
    ("situacion", lambda line: strings.OFFICER_STATUS.get(line.status, line.status)),
    ("grado", lambda line: line.rank),
    ("clave_unidad", lambda line: line.unit_code),
    ("unidad", lambda line: line.unit_name),
    ("adscrito_desde", lambda line: line.since.isoformat()),
)
#: Former staff's file (or both): the same columns and how their posting there ended.
ROSTER_CSV_FORMER: Columns[RosterLine] = (
    *ROSTER_CSV,
    ("baja", lambda line: line.until.isoformat() if line.until else None),
    ("motivo_baja", lambda line: line.end_reason),
)


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


def _roster_url(agency_id: int, values: dict[str, str]) -> str:
    filled = {k: v for k, v in values.items() if v}
    return f"/agencies/{agency_id}/roster" + ("?" + urlencode(filled) if filled else "")


def _csv_url(agency_id: int, form: dict[str, str]) -> str:
    """The file of what the page lists: the same filters, every page of them."""
    filled = {k: v for k, v in form.items() if v}
    return f"/agencies/{agency_id}/roster.csv" + ("?" + urlencode(filled) if filled else "")


@router.get("/agencies/{agency_id}/roster", response_class=HTMLResponse)
def roster_page(
    request: Request, actor: common.PageActor, agency_id: int, situacion: str = "",
    texto: str = "", orden: str = "nombre", personal: str = "", cursor: str | None = None,
) -> Response:
    """A page of officers currently assigned (or of former staff, or both: `personal`), by
    surnames and names, with the agency's counts by status above and a filter; input the page
    cannot use is said on the page, and the rest of the request is still answered."""
    refused: list[str] = []
    status = None
    if situacion in STATUSES:
        status = OfficerStatus(situacion)
    elif situacion:
        refused.append(strings.text("roster_bad_status", value=situacion[:40]))
    text = texto.strip()
    if len(text) > agency_service.ROSTER_TEXT_MAX or not text.isprintable():
        refused.append(strings.text("roster_bad_text", max=agency_service.ROSTER_TEXT_MAX))
        text = ""
    descending = orden == "-nombre"
    staff = STAFF.get(personal)
    if staff is None:
        refused.append(strings.text("roster_bad_staff", value=personal[:40]))
        staff = Staff.CURRENT
    query = agency_service.RosterQuery(status, text or None, descending, staff)
    uow = deps.get_uow(request)
    try:
        page = agency_service.roster_page(uow, actor, agency_id, query, cursor=cursor,
                                          limit=ROSTER_PAGE_SIZE)
    except ValidationFailed as error:
        # Only the cursor is left to refuse (the rest was checked above): a link this server
        # did not make, or one made before a change of format. The first page is shown.
        if any(e.location != "cursor" for e in error.errors):
            raise
        refused.append(strings.TEXT["roster_bad_cursor"])
        cursor = None
        page = agency_service.roster_page(uow, actor, agency_id, query, limit=ROSTER_PAGE_SIZE)
    form = {"situacion": status.value if status else "", "texto": text,
            "orden": "-nombre" if descending else "", "personal": STAFF_PARAM[staff]}
    state = find_state(page.agency.state_code) if page.agency.state_code else None
    counts = [(s.value, page.counts[s.value]) for s in OfficerStatus if page.counts.get(s.value)]
    return common.render(request, "agencies/roster.html", {
        "agency": page.agency, "page": page, "counts": counts, "form": form,
        "statuses": [s.value for s in OfficerStatus],
        "refused": refused,
        # A link followed after the roster changed can lead past its last officer.
        "stale": cursor is not None and not page.lines,
        "filtered": bool(status or text or staff is not Staff.CURRENT),
        "staff": staff.value,
        "staff_choices": list(STAFF.items()),
        "staff_url": lambda value: _roster_url(agency_id, {**form, "personal": value,
                                                           "situacion": ""}),
        "descending": descending,
        "first_url": _roster_url(agency_id, form) if cursor else None,
        "next_url": _roster_url(agency_id, {**form, "cursor": page.next_cursor})
        if page.next_cursor else None,
        "previous_url": _roster_url(agency_id, {**form, "cursor": page.previous_cursor})
        if page.previous_cursor else None,
        "sort_url": _roster_url(agency_id, {**form, "orden": "" if descending else "-nombre"}),
        "status_url": lambda value: _roster_url(agency_id, {**form, "situacion": value}),
        "csv_url": _csv_url(agency_id, form),
        "text_max": agency_service.ROSTER_TEXT_MAX,
        "state_name": state.name if state else None,
    }, status=422 if refused else 200)


def _blocks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        while block := spool.read(CSV_READ):
            yield block
    finally:
        spool.close()


@router.get("/agencies/{agency_id}/roster.csv")
def roster_csv(
    request: Request, actor: common.PageActor, agency_id: int, situacion: str = "",
    texto: str = "", orden: str = "nombre", personal: str = "",
) -> Response:
    """What the roster page lists with the same filters (current staff by default, former
    staff or both, a status, a text, the order), every page of it, as a CSV file read from the
    database a thousand rows at a time. The file is made before the answer starts: a refusal
    is the 403 page, a filter it cannot use the 422 page naming it (a file of something else
    than was asked for is never sent), and the transaction that reads and records it never
    waits on the client's download."""
    errors = ErrorCollector()
    status = None
    if situacion in STATUSES:
        status = OfficerStatus(situacion)
    elif situacion:
        errors.add("situacion", strings.text("roster_csv_bad_status", value=situacion[:40]))
    staff = STAFF.get(personal)
    if staff is None:
        errors.add("personal", strings.text("roster_csv_bad_staff", value=personal[:40]))
    errors.raise_if_any()
    query = agency_service.RosterQuery(status, texto.strip() or None, orden == "-nombre",
                                       staff or Staff.CURRENT)
    columns = ROSTER_CSV if query.staff is Staff.CURRENT else ROSTER_CSV_FORMER
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=CSV_IN_MEMORY)  # noqa: SIM115
    try:
        export = agency_service.export_roster(
            deps.get_uow(request), actor, agency_id,
            lambda lines: write_csv(spool, columns, lines), query,
        )
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    code = _FILE_NAME_UNSAFE.sub("-", export.agency.code).strip("-") or str(agency_id)
    today = deps.get_container(request).today().isoformat()
    return StreamingResponse(_blocks(spool), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="estado-de-fuerza-{code}-{today}.csv"',
        "Content-Length": str(size),
    })
