"""The integrity cases' pages (ADR 0030): the queue with its deadlines and who is late, and the
case file. The services decide who may see a case and record every read; these pages lay out
what the service returns, never more (a protected source's identity never reaches them)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.web.strings.integrity import IntegrityLabels
from confianza.integrity.service import cases

router = APIRouter()


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    return common.render(request, name, {"il": IntegrityLabels, **context}, status=status)


@router.get("/integrity", response_class=HTMLResponse)
def queue_page(request: Request, actor: common.PageActor) -> Response:
    lines = cases.queue(deps.get_uow(request), actor)
    return render(request, "integrity/queue.html", {
        "lines": lines, "late": sum(1 for line in lines if line.due.overdue)})


@router.get("/integrity/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, actor: common.PageActor, case_id: int) -> Response:
    found = cases.read_case(deps.get_uow(request), actor, case_id)
    return render(request, "integrity/case.html", {"f": found})
