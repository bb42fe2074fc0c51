"""The co-accusal network's pages (issue 17, item 5): one officer's co-accused, as a list with
counts, dates and complaint keys and as a small graph drawn on the server (no script), and the
groups of internal affairs ranked by size or by sustained findings, with a filter form.

The service decides who may look (internal affairs within its scope) and records each read;
these pages read the form, lay out the answer, and name a bad filter beside its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import ValidationFailed
from confianza.core.web import strings
from confianza.core.web.strings.network import NetworkLabels
from confianza.integrity.rules.network import Method, Ranking, svg
from confianza.integrity.service.network import NetworkWindow, network_groups, officer_network

router = APIRouter()
PAGE_SIZE = 25
#: Complaint keys listed per co-accused; the rest are counted.
KEYS_SHOWN = 8
MIN_SHARED_MAX = 1000
E = TypeVar("E", Method, Ranking)


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    return common.render(request, name, {"nl": NetworkLabels, **context}, status=status)


@dataclass
class Filter:
    """The filter form as typed (kept to show it again) and what it means."""

    form: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    since: date | None = None
    until: date | None = None
    min_shared: int = 1

    def window(self, all_sources: bool) -> NetworkWindow:
        return NetworkWindow(self.since, self.until, self.min_shared, all_sources)

    def query(self, **more: str) -> str:
        return urlencode({**{k: v for k, v in self.form.items() if v}, **more})


def _read(desde: str, hasta: str, minimo: str, default_min: int, **rest: str) -> Filter:
    form = {"desde": desde.strip()[:10], "hasta": hasta.strip()[:10],
            "minimo": minimo.strip()[:6], **{k: v.strip()[:20] for k, v in rest.items()}}
    found = Filter(form, min_shared=default_min)
    for name, attr in (("desde", "since"), ("hasta", "until")):
        if form[name]:
            try:
                setattr(found, attr, date.fromisoformat(form[name]))
            except ValueError:
                found.errors[name] = strings.TEXT["nw_bad_date"]
    if form["minimo"]:
        if form["minimo"].isdigit() and 1 <= int(form["minimo"]) <= MIN_SHARED_MAX:
            found.min_shared = int(form["minimo"])
        else:
            found.errors["minimo"] = strings.TEXT["nw_bad_min"]
    if found.since and found.until and found.since > found.until:
        found.errors["hasta"] = strings.TEXT["nw_bad_range"]
    return found


def _choice(kind: type[E], value: str, default: E) -> E:
    # An unknown value (an edited address) falls back to the default the form shows.
    try:
        return kind(value)
    except ValueError:
        return default


@router.get("/officers/{officer_id}/network", response_class=HTMLResponse)
def officer_page(request: Request, actor: common.PageActor, officer_id: int, desde: str = "",
                 hasta: str = "", minimo: str = "", todas: str = "") -> Response:
    chosen = _read(desde, hasta, minimo, 1, todas="1" if todas else "")
    context: dict[str, Any] = {"officer_id": officer_id, "filter": chosen, "found": None,
                               "graph": None, "keys_shown": KEYS_SHOWN}
    if chosen.errors:
        return render(request, "integrity/network_officer.html", context, status=422)
    found = officer_network(deps.get_uow(request), actor, officer_id,
                            chosen.window(bool(todas)))
    title = strings.TEXT["nw_graph_label"].format(label=found.label)
    return render(request, "integrity/network_officer.html", {
        **context, "found": found,
        # The drawing escapes every label itself (`rules.network.svg`).
        "graph": Markup(svg(found.graph, title=title)) if found.graph.nodes else None})  # noqa: S704


@router.get("/integrity/network", response_class=HTMLResponse)
def groups_page(request: Request, actor: common.PageActor, desde: str = "", hasta: str = "",
                minimo: str = "", todas: str = "", metodo: str = "", orden: str = "",
                inicio: int = 0) -> Response:
    method = _choice(Method, metodo, Method.COMMUNITIES)
    ranking = _choice(Ranking, orden, Ranking.SIZE)
    chosen = _read(desde, hasta, minimo, 2, todas="1" if todas else "",
                   metodo=method.value, orden=ranking.value)
    offset = max(0, inicio)
    context: dict[str, Any] = {"filter": chosen, "found": None, "offset": offset,
                               "methods": list(Method), "rankings": list(Ranking),
                               "previous_url": None, "next_url": None}
    if chosen.errors:
        return render(request, "integrity/network_groups.html", context, status=422)
    try:
        found = network_groups(deps.get_uow(request), actor, chosen.window(bool(todas)),
                               method=method, ranking=ranking, limit=PAGE_SIZE, offset=offset)
    except ValidationFailed:
        chosen.errors["hasta"] = strings.TEXT["nw_bad_range"]
        return render(request, "integrity/network_groups.html", context, status=422)
    base = "/integrity/network?"
    return render(request, "integrity/network_groups.html", {
        **context, "found": found,
        "previous_url": base + chosen.query(inicio=str(max(0, offset - PAGE_SIZE)))
        if offset else None,
        "next_url": base + chosen.query(inicio=str(offset + PAGE_SIZE))
        if offset + PAGE_SIZE < found.total else None})
