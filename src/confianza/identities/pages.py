"""The registry clerk's pages for candidate pairs: the list, one pair's evidence side by side,
and the decision. The services decide who may see and decide, and record both; these pages ask,
lay out and say what happened."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Conflict
from confianza.core.web import strings
from confianza.core.web.strings.identities import IdentityLabels
from confianza.identities.rules.candidates import Decision
from confianza.identities.rules.linkage import level_labels
from confianza.identities.service import decisions

router = APIRouter()
#: The evidence rows in the order a clerk reads a person: names, birth, keys, career.
ROWS = (("given_names", ("given_names",)), ("first_surname", ("first_surname",)),
        ("surnames", ("second_surname",)), ("birth", ("birth_date", "birth_year")),
        ("sex", ("sex",)), ("curp", ("curp",)), ("agencies", ("agencies",)),
        ("service", ("first_start", "last_end")))
_DONE = {"merged", "linked", "confirmed", "rejected"}


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    return common.render(request, name, {"il": IdentityLabels, **context}, status=status)


@router.get("/identities", response_class=HTMLResponse)
def candidates_page(request: Request, actor: common.PageActor,
                    after: int | None = None) -> Response:
    found = decisions.list_candidates(deps.get_uow(request), actor, after_id=after)
    more = found[-1].id if len(found) == decisions.PAGE_SIZE else None
    return render(request, "identities/candidates.html", {"items": found, "more": more})


def _evidence(candidate: decisions.Candidate) -> list[dict[str, Any]]:
    labels = level_labels()
    left = candidate.evidence.get("left", {})
    right = candidate.evidence.get("right", {})
    compared = candidate.evidence.get("comparisons", {})
    rows = []
    for name, fields in ROWS:
        seen = compared.get(name, {})
        level = labels[name].get(int(seen.get("level", -1)), "missing")

        def shown(side: dict[str, Any], fields: tuple[str, ...] = fields) -> str:
            values = [side.get(f) for f in fields]
            parts = [", ".join(v) if isinstance(v, list) else str(v)
                     for v in values if v not in (None, [], "")]
            return " – ".join(parts)

        rows.append({"field": name, "left": shown(left), "right": shown(right),
                     "level": level, "weight": seen.get("weight")})
    return rows


def _pair_page(request: Request, actor: Any, candidate_id: int, *, alert: str | None = None,
               alert_detail: str | None = None, status: int = 200) -> HTMLResponse:
    candidate = decisions.get_candidate(deps.get_uow(request), actor, candidate_id)
    done = request.query_params.get("hecho")
    return render(request, "identities/candidate.html", {
        "c": candidate, "rows": _evidence(candidate), "alert": alert,
        "alert_detail": alert_detail, "done": done if done in _DONE else None,
        "query": request.query_params,
    }, status=status)


@router.get("/identities/{candidate_id}", response_class=HTMLResponse)
def candidate_page(request: Request, actor: common.PageActor, candidate_id: int) -> Response:
    return _pair_page(request, actor, candidate_id)


@router.post("/identities/{candidate_id}", response_class=HTMLResponse)
def decide(request: Request, actor: common.PageActor, candidate_id: int,
           decision: str = Form("")) -> Response:
    try:
        chosen = Decision(decision)
    except ValueError:
        return _pair_page(request, actor, candidate_id,
                          alert=strings.TEXT["ident_bad_decision"], status=422)
    try:
        done = decisions.decide(deps.get_uow(request), actor, candidate_id, chosen)
    except Conflict as exc:
        return _pair_page(request, actor, candidate_id, alert=strings.TEXT["ident_refused"],
                          alert_detail=exc.detail, status=exc.status)
    if done.merged is not None:
        query = (f"hecho=merged&unido={done.merged.merged_id}"
                 f"&conservado={done.merged.survivor_id}")
    elif done.linked_key is not None:
        query = "hecho=linked"
    else:
        query = "hecho=confirmed" if chosen is Decision.CONFIRM else "hecho=rejected"
    return RedirectResponse(f"/identities/{candidate_id}?{query}", status_code=303)
