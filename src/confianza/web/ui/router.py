"""The pages (Jinja + HTMX), gathered here."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)


def install(app: FastAPI) -> None:
    """Mount static files and anything else the pages need."""


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    return HTMLResponse(f"<h1>{escape(title)}</h1><p>{escape(detail)}</p>", status_code=status)
