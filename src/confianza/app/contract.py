"""The API's contract: who may call an operation is settled before its input is read, and the
published description names every problem an operation can answer.

- **Authorization before validation.** An operation declares the permission its caller's role
  must hold with `dependencies=[permit(Permission.X)]`. Its routes are `ContractRoute`s, which
  run that check (authentication, then `services.authorization.require_role`) before FastAPI
  reads and validates the body: a caller who may not use an operation gets 401 or 403, never
  a 400 or 422 that describes what the operation would accept. The use case still checks the
  same permission with the record's holder and scope, which only it knows; this check decides
  on the role alone, in the service layer, and a refusal leaves the usual
  `authz:permission:denied` entry.
- **Every status documented.** `document_problems` completes the OpenAPI description: each
  operation under /api/ lists the problems the error handlers (app/web.py) can answer for it,
  derived from the operation itself (a body: 400 and 422; parameters: 422; a path parameter:
  404; a caller to authenticate: 401 and 403; the verification rate limit: 429; every
  operation: 500), plus those its use case raises, which a route declares with
  `responses=problems(409, ...)`. Every problem is `application/problem+json` with the
  `Problem` schema. tests/integration/api/test_api_contract.py holds the declarations to what
  the handlers and the services can produce.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from confianza.accounts.rules.permissions import Permission
from confianza.accounts.service import authorization
from confianza.app.deps import authenticate, authenticate_now, get_uow
from confianza.core.web.errors import PROBLEM
from confianza.core.web.rate_limit import enforce_verify_limit
from confianza.core.web.schemas import Problem

DESCRIPTIONS: dict[int, str] = {
    308: "The record was merged into another (ADR 0027): `Location` and `survivor_id` name it.",
    400: "The body cannot be read as declared (not UTF-8, not parseable).",
    401: "Not signed in, or the token is unknown, revoked or expired.",
    403: "The role or scope does not allow this, or the CSRF token is missing.",
    404: "The record does not exist.",
    409: "The request clashes with the registry's current state.",
    422: "The input breaks a rule; `errors` names each field.",
    428: "A purpose must be declared for this read.",
    429: "Too many requests from this client; `Retry-After` says when to come back.",
    500: "An internal error; quote the `request_id` to the administrators.",
    503: "The service lacks a key it needs for this.",
}

# Dependencies and the problems they answer by themselves.
DEPENDENCY_PROBLEMS: dict[Callable[..., Any], tuple[int, ...]] = {
    authenticate: (401, 403),
    enforce_verify_limit: (429,),
}


class Permit:
    """A route dependency: the caller's role must hold `permission` (or one of `others`)."""

    def __init__(self, permission: Permission, *others: Permission) -> None:
        self.permissions = (permission, *others)

    async def __call__(self, request: Request) -> None:
        # Inline, like `authenticate`: a token lookup, and a write only to record a refusal.
        # The gate runs outside FastAPI's dependency solving, so it honours an override of
        # `authenticate` itself (how the benchmarks stand in for the session check).
        override = request.app.dependency_overrides.get(authenticate)
        if override is None:
            actor = authenticate_now(request)
        else:
            actor = override(request)
            if inspect.isawaitable(actor):
                actor = await actor
        authorization.require_role(get_uow(request), actor, *self.permissions)


def permit(permission: Permission, *others: Permission) -> Any:
    """`dependencies=[permit(P.X)]`: the operation is for roles holding P.X (or `others`)."""
    return Depends(Permit(permission, *others))


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for the problems an operation's use case raises (a conflict, a purpose
    required); document_problems gives each its description and the Problem schema."""
    return {status: {"description": DESCRIPTIONS[status]} for status in statuses}


class ContractRoute(APIRoute):
    """An API route whose `Permit` dependencies run before its body is read and validated."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        gates = [d.call for d in self.dependant.dependencies if isinstance(d.call, Permit)]
        if not gates:
            return handler

        async def gated(request: Request) -> Response:
            for gate in gates:
                await gate(request)
            return await handler(request)

        return gated


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def derived_problems(route: APIRoute) -> set[int]:
    """The problems the error handlers can answer for this route, whatever its use case does."""
    found = {500}  # the last handler turns anything unexpected into a problem
    for dependant in _dependants(route.dependant):
        if isinstance(dependant.call, Permit):
            found |= {401, 403}
        elif dependant.call is not None:
            found |= set(DEPENDENCY_PROBLEMS.get(dependant.call, ()))
        if dependant.path_params:
            found |= {404, 422}
        if dependant.query_params or dependant.header_params or dependant.cookie_params:
            found.add(422)
        if dependant.body_params:
            found |= {400, 422}  # unreadable body; a body that breaks its model
    return found


def api_routes(app: FastAPI) -> Iterator[tuple[str, str, APIRoute]]:
    """(method, path, route) of every API operation in the published description."""
    from confianza.app.web import walk_routes

    for route in walk_routes(app):
        path = getattr(route, "path", "")
        original = getattr(route, "original_route", route)
        if not path.startswith("/api/") or not isinstance(original, APIRoute):
            continue
        if not getattr(route, "include_in_schema", True):
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method not in {"HEAD", "OPTIONS"}:
                yield method, path, original


def document_problems(app: FastAPI) -> None:
    """Make `app.openapi()` declare every problem of every API operation (see above)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = FastAPI.openapi(app)  # FastAPI's own description, completed here
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
        for name, sub in Problem.model_json_schema(
                ref_template="#/components/schemas/{model}").get("$defs", {}).items():
            components.setdefault(name, sub)
        problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for method, path, route in api_routes(app):
            operation = schema["paths"][path][method.lower()]
            responses: dict[str, Any] = operation.setdefault("responses", {})
            for derived in derived_problems(route):
                responses.setdefault(str(derived), {"description": DESCRIPTIONS[derived]})
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    response["content"] = problem  # every error is a problem document
                    if response.get("description") == "Validation Error":  # FastAPI's own
                        response["description"] = DESCRIPTIONS[int(status)]
            operation["responses"] = dict(sorted(responses.items()))
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
