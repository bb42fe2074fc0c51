"""Sign-in and sign-out for people: a session cookie plus a CSRF token for unsafe requests."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from confianza.accounts.schemas import LoginIn, SessionOut, SignedOut
from confianza.accounts.service import users as user_service
from confianza.app.contract import ContractRoute, problems
from confianza.app.deps import SESSION_COOKIE, ActorDep, ContainerDep, UowDep

router = APIRouter(prefix="/session", tags=["session"], route_class=ContractRoute)


@router.post("", status_code=201, response_model=SessionOut, responses=problems(401))
def sign_in(body: LoginIn, uow: UowDep, container: ContainerDep, response: Response) -> SessionOut:
    """Check a username and password and open a session.

    The session travels in an HttpOnly, SameSite=Strict cookie that scripts cannot read; the
    CSRF token in the body must come back in `X-CSRF-Token` on every unsafe request.
    """
    settings = container.settings
    signed = user_service.sign_in(uow, body.username, body.password, settings.login_max_failures)
    response.set_cookie(
        SESSION_COOKIE,
        signed.session_token,
        # The server ends the session after this anyway; the browser need not keep it longer.
        max_age=settings.session_max_hours * 3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
    )
    response.headers["Location"] = "/api/v1/me"
    actor = signed.actor
    return SessionOut.of_record(actor, csrf_token=signed.csrf_token)


@router.delete("", response_model=SignedOut)
def sign_out(
    actor: ActorDep, uow: UowDep, container: ContainerDep, request: Request, response: Response
) -> SignedOut:
    """End the caller's session (the CSRF token is required, as for any unsafe request)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        user_service.sign_out(uow, token)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict",
        secure=container.settings.secure_cookies,
    )
    return SignedOut()
