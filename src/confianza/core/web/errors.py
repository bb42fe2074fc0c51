"""Domain errors as RFC 9457 problem documents (API) — one mapping for every route."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from confianza.core.errors import UserError, ValidationFailed

PROBLEM = "application/problem+json"


def problem(
    status: int, title: str, detail: str, request: Request, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
    }
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def domain_problem(request: Request, exc: UserError) -> JSONResponse:
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationFailed):
        extra["errors"] = [{"location": e.location, "reason": e.reason} for e in exc.errors]
    if exc.code is not None:
        extra["code"] = exc.code  # a stable name for the reason, for clients that branch on it
    return problem(exc.status, exc.title, exc.detail, request, **extra)


def request_validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            position = error.get("loc", ("body", "?"))[-1]
            errors.append(
                {"location": "body", "reason": f"is not valid JSON (error at byte {position})"}
            )
            continue
        location = ".".join(str(part) for part in error.get("loc", ()))
        errors.append({"location": location, "reason": str(error.get("msg", "is invalid"))})
    detail = "; ".join(f"{e['location']}: {e['reason']}" for e in errors[:5])
    return problem(422, "Invalid input", detail, request, errors=errors)


def http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    titles = {404: "Not found", 405: "Method not allowed", 401: "Not signed in"}
    return problem(
        exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail), request
    )
