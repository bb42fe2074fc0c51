"""The officer timeline page: one chronological list of the record, filtered by kind (HTMX
swaps the list in place; without script the form reloads the page). The service decides which
sections the caller sees and records the read; this page lays the events out in words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.web import strings
from confianza.core.web.strings import timeline as strings_timeline
from confianza.registry.service.officers import OfficerMerged
from confianza.timeline import service as timeline_service
from confianza.timeline.rules import Event, EventKind, FieldValue, Section

router = APIRouter()
EVENTS_TARGET = "timeline-events"
TEXT_MAX = 400  # grounds, notes and resolutions are cut here; the detail page has them whole

_K = EventKind
Label = Callable[[str], str | None]


def _table(table: Mapping[str, str]) -> Label:
    """A label table as a function; a value it does not list shows as stored."""
    return lambda value: table.get(value) or value


def _day(value: FieldValue) -> str | None:
    return common.format_date(value) if isinstance(value, date) else None


def _yes(value: FieldValue) -> str | None:
    return strings.TEXT["timeline_yes"] if value is True else None


def _plain(value: FieldValue) -> str | None:
    return None if value is None or value == "" else str(value)


def _not_full_time(value: FieldValue) -> str | None:
    """A posting's kind, said only when it is not the usual full-time one."""
    if not isinstance(value, str) or value == "full_time":
        return None
    return strings.POSTING_KIND.get(value) or value


def _acts(value: FieldValue) -> str | None:
    """What an access records as done, in words: one action, or each act of a combined read."""
    if not isinstance(value, tuple) or not value:
        return None
    return "; ".join(strings.ACC_ACTION.get(act) or act for act in value)


# What each kind shows: (field, label key, how its value reads). Long free texts are listed
# apart (they are cut, and shown as paragraphs).
_FACTS: dict[EventKind, tuple[tuple[str, str, Callable[[Any], str | None]], ...]] = {
    _K.ASSIGNMENT_STARTED: (("agency", "timeline_f_agency", _plain),
                            ("unit", "timeline_f_unit", _plain),
                            ("rank", "timeline_f_rank", _plain),
                            ("reason", "timeline_f_reason", _table(strings.CHANGE_REASON)),
                            ("kind", "timeline_f_posting_kind", _not_full_time)),
    _K.LEAVE_STARTED: (("agency", "timeline_f_agency", _plain),
                       ("rank", "timeline_f_rank", _plain)),
    _K.LEAVE_ENDED: (("agency", "timeline_f_agency", _plain),
                     ("rank", "timeline_f_rank", _plain)),
    _K.STATUS_CHANGED: (("status", "timeline_f_officer_status", _table(strings.OFFICER_STATUS)),
                        ("reason", "timeline_f_reason", _plain),
                        ("actor", "timeline_f_who", _plain)),
    _K.ASSIGNMENT_ENDED: (("agency", "timeline_f_agency", _plain),
                          ("rank", "timeline_f_rank", _plain),
                          ("reason", "timeline_f_reason", _table(strings.CHANGE_REASON))),
    _K.BADGE_ISSUED: (("number", "timeline_f_number", _plain),
                      ("agency", "timeline_f_agency", _plain),
                      ("until", "timeline_f_until", _day)),
    _K.EVALUATION_REQUESTED: (
        ("evaluation_kind", "timeline_f_evaluation_kind", _table(strings.TC_EVALUATION_KIND)),
        ("agency", "timeline_f_agency", _plain), ("rank", "timeline_f_rank", _plain),
        ("status", "timeline_f_status", _table(strings.TC_EVALUATION_STATUS))),
    _K.EVALUATION_CANCELLED: (),
    _K.EXAM_RECORDED: (("exam_type", "timeline_f_exam", _table(strings.EV_EXAM_TYPE)),
                       ("outcome", "timeline_f_outcome", _table(strings.EV_OUTCOME))),
    _K.DECIDED: (("verdict", "timeline_f_verdict", _table(strings.TC_VERDICT)),
                 ("awaiting_confirmation", "timeline_f_awaiting", _yes),
                 ("valid_until", "timeline_f_valid_until", _day)),
    _K.CONFIRMED: (("verdict", "timeline_f_verdict", _table(strings.TC_VERDICT)),),
    _K.SEPARATION_OPENED: (("agency", "timeline_f_agency", _plain),),
    _K.SEPARATION_CLOSED: (
        ("status", "timeline_f_separation", _table(strings_timeline.TIMELINE_SEPARATION)),),
    _K.COMPONENT_RECORDED: (
        ("component", "timeline_f_component", _table(strings.TC_CUP_COMPONENT)),
        ("valid_until", "timeline_f_valid_until", _day), ("hours", "timeline_f_hours", _plain)),
    _K.CERTIFICATE_ISSUED: (("number", "timeline_f_number", _plain),
                            ("valid_until", "timeline_f_valid_until", _day),
                            ("current", "timeline_f_current", _yes)),
    _K.CERTIFICATE_ENDED: (("number", "timeline_f_number", _plain),
                           ("reason", "timeline_f_end", _table(strings.TC_CERTIFICATE_END))),
    _K.CREDENTIAL_ISSUED: (
        ("status", "timeline_f_credential",
         _table(strings_timeline.TIMELINE_CREDENTIAL_STATUS)),
        ("reason", "timeline_f_reason", _table(strings_timeline.TIMELINE_CREDENTIAL_REASON)),
        ("valid_until", "timeline_f_valid_until", _day)),
    _K.APPEAL_FILED: (),
    _K.APPEAL_DECIDED: (
        ("outcome", "timeline_f_appeal_outcome", _table(strings.TC_APPEAL_STATUS)),),
    _K.ACCESSED: (("acts", "timeline_f_action", _acts),
                  ("actor", "timeline_f_who", _plain),
                  ("actor_kind", "timeline_f_how", _table(strings.ACC_ACTOR_KIND)),
                  ("purpose", "timeline_f_purpose", _plain),
                  ("reach", "timeline_f_reach", _table(strings.ACC_REACH))),
}
_TEXTS: dict[EventKind, tuple[tuple[str, str], ...]] = {
    _K.EXAM_RECORDED: (("notes", "timeline_f_notes"),),
    _K.DECIDED: (("grounds", "timeline_f_grounds"),),
    _K.SEPARATION_CLOSED: (("note", "timeline_f_note"),),
    _K.APPEAL_FILED: (("grounds", "timeline_f_appeal_grounds"),),
    _K.APPEAL_DECIDED: (("resolution", "timeline_f_resolution"),),
}
_ON_EVALUATION = frozenset({_K.EVALUATION_REQUESTED, _K.EVALUATION_CANCELLED, _K.EXAM_RECORDED,
                            _K.DECIDED, _K.CONFIRMED, _K.SEPARATION_OPENED,
                            _K.SEPARATION_CLOSED})


@dataclass(frozen=True)
class Line:
    """One event as the page shows it: its title, facts and texts in words, and its link."""

    event: Event
    title: str
    section: str
    evaluation: str | None
    facts: list[tuple[str, str]]
    texts: list[tuple[str, str]]
    link: str | None


def link_of(event: Event, officer_id: int) -> str | None:
    """The page where the event's record is shown in full, where one exists."""
    f = event.fields
    if event.kind in _ON_EVALUATION:
        return f"/decisions/{f['evaluation_id']}"
    if event.kind in (_K.APPEAL_FILED, _K.APPEAL_DECIDED):
        return f"/certification/evaluations/{f['evaluation_id']}/appeal"
    if event.kind is _K.CREDENTIAL_ISSUED:
        return f"/officers/{officer_id}/credential"
    if event.section is Section.CERTIFICATES:
        return f"/officers/{officer_id}#certificacion"
    if event.kind is _K.ACCESSED:
        return "/access/users?" + urlencode({"usuario": str(f["actor"])})
    return None  # assignments and badges: the profile lists them, and the page links to it


def line_of(event: Event, officer_id: int) -> Line:
    f = event.fields
    facts = [(strings.TEXT[key], shown) for name, key, read in _FACTS[event.kind]
             if (shown := read(f.get(name))) is not None]
    texts = [(strings.TEXT[key], _cut(str(f[name]))) for name, key in _TEXTS.get(event.kind, ())
             if f.get(name)]
    evaluation = f.get("evaluation_id")
    return Line(
        event, strings_timeline.TIMELINE_KIND[event.kind.value],
        strings_timeline.TIMELINE_SECTION[event.section.value],
        strings.text("timeline_evaluation", id=evaluation)
        if isinstance(evaluation, int) else None,
        facts, texts, link_of(event, officer_id),
    )


def _cut(text: str) -> str:
    return text if len(text) <= TEXT_MAX else text[:TEXT_MAX].rstrip() + "…"


@router.get("/officers/{officer_id}/timeline", response_class=HTMLResponse)
def timeline_page(
    request: Request, actor: common.PageActor, officer_id: int, tipo: str = ""
) -> Response:
    choices = timeline_service.sections_for(actor)
    wanted = tipo.strip()
    error = None
    chosen: tuple[Section, ...] | None = None
    if wanted:
        chosen = tuple(s for s in choices if s.value == wanted) or None
        if chosen is None:
            # Only a hand-made address sends a kind the list does not offer: say so, show all.
            error = strings.TEXT["timeline_bad_kind"]
    try:
        timeline = timeline_service.officer_timeline(deps.get_uow(request), actor, officer_id,
                                                     chosen)
    except OfficerMerged as moved:
        # A merged record's timeline is its survivor's (ADR 0027); the kind asked is kept.
        query = f"?{urlencode({'tipo': wanted})}" if wanted else ""
        return RedirectResponse(f"/officers/{moved.merge.survivor_id}/timeline{query}",
                                status_code=303, headers={"Cache-Control": "no-store"})
    context: dict[str, Any] = {
        "officer": timeline.officer,
        "officer_id": officer_id,
        "timeline": timeline,
        "years": [(y.year, [line_of(e, officer_id) for e in y.events])
                  for y in timeline.by_year()],
        "choices": [(s.value, strings_timeline.TIMELINE_SECTION[s.value]) for s in choices],
        "tipo": chosen[0].value if chosen else "",
        "error": error,
        "access_limit": timeline_service.ACCESS_LIMIT,
        "accesses": Section.ACCESSES in timeline.shown,
    }
    status = 422 if error else 200
    headers = {"Vary": "HX-Request, HX-Target"}
    if common.is_htmx(request) and request.headers.get("hx-target") == EVENTS_TARGET:
        return common.render(request, "timeline/_events.html", context, status=status,
                             headers=headers)
    return common.render(request, "timeline/page.html", context, status=status,
                         headers=headers)
