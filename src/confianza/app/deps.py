"""Typed dependencies shared by the API and the pages: the unit of work and the caller.

Authentication happens here (who is calling); authorization never does: that is the services'.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from confianza.accounts.rules.permissions import Actor
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.core.errors import Unauthenticated
from confianza.credentials.rules.issuer import Issuer
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.work import UnitOfWork

SESSION_COOKIE = "confianza_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def get_uow(request: Request) -> UnitOfWork:
    return get_container(request).uow(request.state.request_id)


def policy(request: Request) -> WorkflowPolicy:
    """The trust-control policy the container was built with (the use cases are handed it)."""
    return get_container(request).policy


def issuer(request: Request) -> Issuer | None:
    """Who signs credentials here, or None where no signing key is configured."""
    return get_container(request).issuer


# As dependencies these two are coroutines: they do no I/O, and FastAPI then calls them inline
# instead of sending each through the thread pool, a hop that costs more than they do.
async def _container_dependency(request: Request) -> Container:
    return get_container(request)


async def _uow_dependency(request: Request) -> UnitOfWork:
    return get_uow(request)


async def authenticate(request: Request) -> Actor:
    """The caller: a bearer token (machines) or a session cookie (people, CSRF-checked).

    A coroutine that does its one indexed, read-only lookup inline: sending it through the
    thread pool cost more than the lookup (measured with benchmarks/api_lookup.py).
    """
    return authenticate_now(request)


def authenticate_now(request: Request) -> Actor:
    """`authenticate` for code that is not a dependency (the pages call it directly)."""
    cached: Actor | None = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    container = get_container(request)
    uow = container.uow(request.state.request_id)
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("use 'Authorization: Bearer <token>'")
        actor = user_service.resolve_token(uow, token.strip())
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise Unauthenticated("sign in or send an API token")
        settings = container.settings
        resolved = user_service.resolve_session(
            uow, cookie, timedelta(minutes=settings.session_idle_minutes),
            timedelta(hours=settings.session_max_hours),
        )
        request.state.csrf_token = resolved.csrf_token
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER) or getattr(request.state, "form_csrf", None)
            user_service.check_csrf(uow, resolved.actor, resolved.csrf_token, sent,
                                    method=request.method, path=request.url.path)
        actor = resolved.actor
    request.state.actor = actor
    return actor


async def _policy_dependency(request: Request) -> WorkflowPolicy:
    return policy(request)


async def _issuer_dependency(request: Request) -> Issuer | None:
    return issuer(request)


UowDep = Annotated[UnitOfWork, Depends(_uow_dependency)]
PolicyDep = Annotated[WorkflowPolicy, Depends(_policy_dependency)]
IssuerDep = Annotated[Issuer | None, Depends(_issuer_dependency)]
ActorDep = Annotated[Actor, Depends(authenticate)]
ContainerDep = Annotated[Container, Depends(_container_dependency)]
