"""The pages (Jinja + HTMX), gathered here from every feature's pages, as app/api.py gathers
their API routes."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from confianza.access import pages as access_alerts
from confianza.accounts import pages as session
from confianza.app import rendering as common
from confianza.certification.pages import agency_trust, decisions
from confianza.certification.pages import lists as certification
from confianza.core.web import strings
from confianza.credentials.pages import verification as credentials
from confianza.dashboard.pages import views as dashboard
from confianza.declarations import pages as declarations
from confianza.home import pages as home
from confianza.identities import pages as identities
from confianza.integrity.pages import cases as integrity
from confianza.integrity.pages import network as integrity_network
from confianza.integrity.pages import outside_sanctions as integrity_outside
from confianza.integrity.pages import sanctions as integrity_sanctions
from confianza.registry.pages import agencies, officers, rosters
from confianza.risk import pages as risk
from confianza.timeline import pages as timeline
from confianza.trail import pages as access
from confianza.vetting.pages import exams, scheduling
from confianza.vetting.pages import requests as evaluation_requests

#: Every feature's pages, in the order a request's path is matched against them. The app
#: includes each of them itself rather than one router gathering them: FastAPI matches a path
#: again at every level of nesting (and walks every nested router to learn whether any
#: changed), which cost a tenth of a millisecond on every page.
ROUTERS: tuple[APIRouter, ...] = (
    session.router,
    # The home page: what needs each role's attention now
    home.router,
    officers.router,
    agencies.router,
    # Trust control: agencies and coverage
    certification.router,
    evaluation_requests.router,
    agency_trust.router,
    # Coverage dashboard (signed in) and its public version
    dashboard.router,
    # Trust control: examiner, coordinator, certification
    exams.router,
    scheduling.router,
    decisions.router,
    # Audit: access history
    access.router,
    # Audit: the auditors' alerts on unexplained reads (ADR 0037)
    access_alerts.router,
    # Verifiable certificates: the public check and the printable card
    credentials.router,
    # Officer timeline
    timeline.router,
    # People matched across sources: the clerk's candidate pairs
    identities.router,
    rosters.router,
    # Integrity cases: the queue and the case file (ADR 0030)
    integrity.router,
    # The co-accusal network: an officer's co-accused and the groups
    integrity_network.router,
    integrity_outside.router,
    integrity_sanctions.router,
    # Early intervention: agency HR's review queue and the report (ADR 0034)
    risk.router,
    # Asset declarations: an officer's checks, HR's missing and late list (ADR 0038)
    declarations.router,
)


def install(app: FastAPI) -> None:
    """Include the pages, mount the static files and turn 'not signed in' on a page into a trip
    to /login."""
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=common.STATIC), name="static")

    async def on_login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, common.LoginRequired)
        return common.login_redirect(request, exc)

    app.add_exception_handler(common.LoginRequired, on_login_required)

    async def on_form_refused(request: Request, exc: Exception) -> Response:
        # A stale or forged form: say that nothing was saved and how to send it again, not
        # that the account lacks a permission it has.
        assert isinstance(exc, common.FormRefused)
        return error_page(request, 403, "Forbidden", exc.detail,
                          explanation=strings.TEXT["form_csrf_refused"])

    app.add_exception_handler(common.FormRefused, on_form_refused)


def error_page(request: Request, status: int, title: str, detail: str, *,
               explanation: str | None = None) -> Response:
    """The friendly page for a refused or failed request: what happened, and the request id.

    `title` and `detail` come from the error; the title shown is the catalogue's for the status
    (a generic one for a status without its own, never the error's English title), and the
    detail only for statuses whose detail is about the request (never a 500's).
    """
    shown_title, usual = (strings.error_text(status) if status in strings.ERRORS
                          else (strings.TEXT["common_error"], strings.error_text(400)[1]))
    explanation = explanation or usual
    shown_detail = detail if status in strings.ERRORS_WITH_DETAIL and detail else None
    try:
        return common.render(
            request, "error.html",
            {"status": status, "title": shown_title, "explanation": explanation,
             "detail": shown_detail},
            status=status,
        )
    except Exception:  # the error page must never fail into a traceback
        import logging

        logging.getLogger("confianza").exception("error page failed to render")
        return Response(
            f"{status} - {strings.error_text(500)[0]}",
            status_code=status, media_type="text/plain; charset=utf-8",
        )
