"""The web application: the JSON API under /api/v1 and the pages, over one container."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from confianza import __version__
from confianza.bootstrap import Container, build
from confianza.domain.errors import DomainError
from confianza.web import errors

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


def create_app(container: Container | None = None) -> FastAPI:
    container = container or build()
    app = FastAPI(
        title="Confianza",
        version=__version__,
        summary="National police registry and trust control",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.container = container

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # A caller's request id is kept if it is sane, so a client's logs and ours line up.
        incoming = request.headers.get("x-request-id", "")
        request.state.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        response = await call_next(request)
        response.headers["X-Request-ID"] = request.state.request_id
        for name, value in SECURITY_HEADERS.items():
            if name == "Content-Security-Policy" and request.url.path.startswith("/api/docs"):
                continue  # the interactive docs page loads its own scripts and styles
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/api/") or request.url.path.startswith("/officers"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    from confianza.web.api import router as api_router
    from confianza.web.ui import router as ui_router

    app.include_router(api_router.router)
    app.include_router(ui_router.router)
    ui_router.install(app)

    @app.exception_handler(DomainError)
    async def on_domain_error(request: Request, exc: DomainError) -> Response:
        if request.url.path.startswith("/api/"):
            return errors.domain_problem(request, exc)
        return ui_router.error_page(request, exc.status, exc.title, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def on_request_error(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return errors.request_validation_problem(request, exc)
        detail = "; ".join(str(e.get("msg")) for e in exc.errors()[:3])
        return ui_router.error_page(request, 422, "Invalid input", detail)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return errors.http_problem(request, exc)
        return ui_router.error_page(request, exc.status_code, "Error", str(exc.detail))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        # Logged with its traceback for operators; the user gets the request id to quote.
        import logging

        logging.getLogger("confianza").exception("unhandled error", exc_info=exc)
        detail = "an internal error occurred; quote the request id to the administrators"
        if request.url.path.startswith("/api/"):
            return errors.problem(500, "Internal error", detail, request)
        return ui_router.error_page(request, 500, "Internal error", detail)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory confianza.web.app:app_factory`."""
    return create_app()
