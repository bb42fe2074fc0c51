"""Sign-in and sign-out (the home page is home/pages.py)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from confianza.accounts.service import users as user_service
from confianza.app import deps
from confianza.app import rendering as common
from confianza.core.errors import Forbidden, Unauthenticated
from confianza.core.web import strings

router = APIRouter()

# Before a session exists there is no session CSRF token, so the sign-in form carries its own
# (double-submit: a cookie and a field that must match). It stops another site from signing a
# browser into an account of the attacker's choosing.
LOGIN_CSRF_COOKIE = "confianza_login_csrf"
# No account has a longer name (the accounts' own rule), and a longer password is no password:
# both are refused beside their field before anything is looked up or hashed.
USERNAME_MAX = 64
PASSWORD_MAX = 1000
NEXT_MAX = 2000


def _login_form(
    request: Request, *, next_path: str, username: str = "", error: str | None = None,
    notice: str | None = None, status: int = 200, invalid: str | None = None,
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = common.render(
        request, "login.html",
        {"next": next_path, "username": username, "error": error, "notice": notice,
         "login_csrf": token, "invalid": invalid},
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
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    next_path = common.safe_next(next if len(next) <= NEXT_MAX else "/")
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    try:
        # The form's own token, from its cookie; a refusal is recorded by the service.
        user_service.check_csrf(deps.get_uow(request), None, expected, csrf_token,
                                method=request.method, path=request.url.path)
    except Forbidden:
        return _login_form(request, next_path=next_path, username=username,
                           error=strings.TEXT["login_form_expired"], status=403)
    for field, value, limit in (("username", username, USERNAME_MAX),
                                ("password", password, PASSWORD_MAX)):
        if len(value) > limit:
            return _login_form(request, next_path=next_path, username=username,
                               invalid=field, status=422, error=common.too_long(limit))
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
