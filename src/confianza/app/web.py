"""The web application: the JSON API under /api/v1 and the pages, over one container."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from datetime import tzinfo
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from confianza import __version__
from confianza.app.bootstrap import Container, build
from confianza.core.civil_time import DEFAULT_ZONE
from confianza.core.errors import DomainError, UserError
from confianza.core.web import errors, i18n
from confianza.core.web.rate_limit import new_verify_limit
from confianza.kit.errors import StandardsError

LOG = logging.getLogger("confianza")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Addresses whose answers are the same in every language (the JSON API, static and log files).
UNSPOKEN = ("/api/", "/static/", "/log/", "/.well-known/", "/credentials/status/")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


class RequestContext:
    """Gives every request an id and every response the security headers.

    A plain ASGI middleware: Starlette's decorator-style middleware wraps each request in extra
    tasks and streams, which cost more than a CURP lookup itself.
    """

    def __init__(self, app: ASGIApp, zone: tzinfo = DEFAULT_ZONE) -> None:
        self.app = app
        self.zone = zone

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # A caller's request id is kept if it is sane, so a client's logs and ours line up.
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope["path"]
        extra = [(b"x-request-id", request_id.encode())]
        # Pages show instants on the deployment's wall clock and days of its calendar.
        i18n.set_zone(self.zone)
        if not path.startswith(UNSPOKEN):
            # Only pages speak a language: the API and the files answer the same to everyone,
            # and its lookups should not pay for reading a query and a cookie they never use.
            asked = _asked_language(scope)
            remembered = i18n.choose(_cookie(scope, i18n.COOKIE))
            i18n.set_language(asked or remembered or i18n.SOURCE)
            if asked and asked != remembered:
                # `?lang=en` once, and the following pages keep speaking English.
                extra.append((b"set-cookie", (
                    f"{i18n.COOKIE}={asked}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
                ).encode()))
        for name, value in SECURITY_HEADERS.items():
            if name == "Content-Security-Policy" and path.startswith("/api/docs"):
                continue  # the interactive docs page loads its own scripts and styles
            extra.append((name.lower().encode(), value.encode()))
        if not path.startswith("/static/"):
            # Pages and answers name people: no shared or browser cache keeps them.
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                # Set-Cookie repeats: the page's own cookie (the sign-in form's) must not
                # drop the language cookie.
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in extra
                    if name not in present or name == b"set-cookie"
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def walk_routes(app: FastAPI) -> Iterator[Any]:
    """Every route of the app, included routers too, each with its full `path`."""

    def walk(routes: list[Any]) -> Iterator[Any]:
        for route in routes:
            nested = getattr(route, "effective_route_contexts", None)
            if nested is not None:  # FastAPI >= 0.16x keeps included routers as branches
                yield from walk(list(nested()))
                continue
            yield route

    return walk(list(app.routes))


def served_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app answers, included routers too: the permission
    matrices check them all, and the page benchmark finds its pages with it."""
    found = set()
    for route in walk_routes(app):
        methods = getattr(route, "methods", None) or getattr(
            getattr(route, "original_route", None), "methods", None)
        for method in methods or ():
            found.add((method, getattr(route, "path", "")))
    return {(m, p) for m, p in found if m not in {"HEAD", "OPTIONS"}}


def _asked_language(scope: Scope) -> str | None:
    """The language a `lang` query parameter asks for, if it names one we speak."""
    query = scope.get("query_string", b"").decode("latin-1")
    for value in parse_qs(query).get("lang", [])[:1]:
        return i18n.choose(value)
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    cookies = SimpleCookie()
    try:
        cookies.load(Headers(scope=scope).get("cookie", ""))
    except CookieError:
        return None  # a malformed cookie header speaks the default language
    morsel = cookies.get(name)
    return morsel.value if morsel is not None else None


def create_app(container: Container | None = None) -> FastAPI:
    container = container or build()
    app = FastAPI(
        title="Confianza",
        version=__version__,
        summary="National police registry and trust control",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        redoc_url=None,
    )
    app.state.container = container
    app.state.verify_limit = new_verify_limit()
    app.add_middleware(RequestContext, zone=container.zone)

    from confianza.app import api as api_router
    from confianza.app import pages as ui_router
    from confianza.app.contract import document_problems
    from confianza.credentials.pages import files as credential_files

    app.include_router(api_router.router)
    document_problems(app)
    app.include_router(credential_files.router)
    ui_router.install(app)
    if container.settings.log_export_dir is not None:
        from confianza.transparency.pages import LogFiles

        app.mount("/log", LogFiles(container.settings.log_export_dir), name="log")

    @app.exception_handler(DomainError)
    @app.exception_handler(StandardsError)
    async def on_domain_error(request: Request, exc: UserError) -> Response:
        if request.url.path.startswith("/api/"):
            response: Response = errors.domain_problem(request, exc)
        else:
            response = ui_router.error_page(request, exc.status, exc.title, exc.detail)
        retry_after = getattr(exc, "retry_after", None)
        if isinstance(retry_after, int):
            response.headers["Retry-After"] = str(retry_after)  # a rate limit says when
        return response

    @app.exception_handler(RequestValidationError)
    async def on_request_error(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return errors.request_validation_problem(request, exc)
        # Each fault named by its field (`exam_type: Input should be ...`), as the API does.
        detail = "; ".join(f"{(e.get('loc') or ('?',))[-1]}: {e.get('msg')}"
                           for e in exc.errors()[:3])
        return ui_router.error_page(request, 422, "Invalid input", detail)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return errors.http_problem(request, exc)
        return ui_router.error_page(request, exc.status_code, "Error", str(exc.detail))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        # Logged with its traceback for operators; the user gets the request id to quote.
        LOG.exception("unhandled error", exc_info=exc)
        detail = "an internal error occurred; quote the request id to the administrators"
        if request.url.path.startswith("/api/"):
            return errors.problem(500, "Internal error", detail, request)
        return ui_router.error_page(request, 500, "Internal error", detail)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory confianza.app.web:app_factory` (each worker of
    `confianza serve --workers N`): the app, with its dashboard summary loading already."""
    from confianza.dashboard.web import warm

    app = create_app()
    warm(app, app.state.container)
    return app
