"""Sign-in, sign-out and the home page of a signed-in user."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.domain.errors import DomainError, Unauthenticated
from confianza.domain.geography import find_state
from confianza.domain.permissions import Actor, Permission, ScopeKind
from confianza.services import agencies as agency_service
from confianza.services import users as user_service
from confianza.web import deps
from confianza.web.ui import common, strings

router = APIRouter()

# Before a session exists there is no session CSRF token, so the sign-in form carries its own
# (double-submit: a cookie and a field that must match). It stops another site from signing a
# browser into an account of the attacker's choosing.
LOGIN_CSRF_COOKIE = "confianza_login_csrf"


def _login_form(
    request: Request, *, next_path: str, username: str = "", error: str | None = None,
    notice: str | None = None, status: int = 200,
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = common.render(
        request, "login.html",
        {"next": next_path, "username": username, "error": error, "notice": notice,
         "login_csrf": token},
        status=status,
    )
    settings = deps.get_container(request).settings
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
        secure=settings.secure_cookies, path="/login",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request, next: str = "/", expirada: str | None = None, salida: str | None = None
) -> Response:
    notice = None
    if expirada:
        notice = strings.TEXT["login_session_ended"]
    elif salida:
        notice = strings.TEXT["login_signed_out"]
    return _login_form(request, next_path=common.safe_next(next), notice=notice)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    next_path = common.safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _login_form(request, next_path=next_path, username=username,
                           error=strings.TEXT["login_form_expired"], status=403)
    container = deps.get_container(request)
    try:
        signed = user_service.sign_in(
            deps.get_uow(request), username.strip().lower(), password,
            container.settings.login_max_failures,
        )
    except Unauthenticated:
        # One message for every refusal: it must not tell which part was wrong.
        return _login_form(request, next_path=next_path, username=username,
                           error=strings.TEXT["login_failed"], status=401)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        deps.SESSION_COOKIE, signed.session_token, httponly=True, samesite="strict",
        secure=container.settings.secure_cookies, path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, actor: common.PageActor) -> Response:
    """End the session (CSRF-checked by the page dependency) and forget the cookie."""
    token = request.cookies.get(deps.SESSION_COOKIE)
    if token:
        user_service.sign_out(deps.get_uow(request), token)
    response = RedirectResponse("/login?salida=1", status_code=303)
    response.delete_cookie(deps.SESSION_COOKIE, path="/")
    return response


def describe_scope(request: Request, actor: Actor) -> str:
    """The caller's scope in words: 'Nacional', 'Estado: Jalisco', 'Corporación: GN — ...'."""
    scope = actor.scope
    if scope.kind is ScopeKind.NATIONAL:
        return strings.TEXT["scope_national"]
    if scope.kind is ScopeKind.STATE:
        state = find_state(scope.state_code or "")
        name = state.name if state else scope.state_code
        return f"{strings.TEXT['scope_state']}: {name}"
    label = f"#{scope.agency_id}"
    # Only ask when the role reads agencies: asking anyway would be refused, and would write an
    # access-denied entry on every visit to the home page. The service still decides.
    if actor.has(Permission.AGENCY_READ):
        try:
            agency, _ = agency_service.get_agency(
                deps.get_uow(request), actor, scope.agency_id or 0
            )
            label = f"{agency.code} — {agency.name}"
        except DomainError:
            pass  # refused after all: the agency is still named by its number
    return f"{strings.TEXT['scope_agency']}: {label}"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, actor: common.PageActor) -> Response:
    # Links are offered by role only to avoid dead ends; the services still decide every access.
    return common.render(
        request, "home.html",
        {"scope": describe_scope(request, actor),
         "can_search": actor.has(Permission.OFFICER_SEARCH),
         "can_agencies": actor.has(Permission.AGENCY_READ)},
    )
