"""The API's contract: every problem an operation can answer is in the published description,
and a caller who may not use an operation is refused before its input is looked at.

What an operation can answer is found two ways. The error handlers of app/web.py answer for
any operation: 400 (an unreadable body), 422 (a parameter or body that breaks its model), 401 and
403 (authentication, the CSRF token, the role), 500 (anything unexpected). Beyond those, the
use case raises domain errors; which ones is read from the code itself: the route's function
and, transitively, every function of the package it calls by name (module functions, classes
and their constructors), with each `raise`d or constructed `DomainError` taken at its status.
Calls through objects (a repository, a value's method) are not followed; schemathesis
(test_api_schemathesis.py) and the feature tests check what this reading cannot see.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import textwrap
import types
from collections.abc import Callable
from typing import Any

import pytest
from api_support import assert_problem, audit, bearer, client, officer_body
from fastapi.routing import APIRoute

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container, build
from confianza.app.contract import Permit, api_routes, derived_problems
from confianza.app.settings import Environment, Settings
from confianza.app.web import create_app
from confianza.core.errors import DomainError
from confianza.trail.rules import AuditAction

# Operations open without a permission of the role, and why: each is decided in its use case.
UNGATED = {
    ("POST", "/api/v1/session"): "signing in is for anyone with a password",
    ("DELETE", "/api/v1/session"): "anyone signed in may sign out",
    ("GET", "/api/v1/me"): "anyone signed in may see who they are",
    ("POST", "/api/v1/users/{user_id}/tokens"): "one's own tokens need no permission",
    ("DELETE", "/api/v1/tokens/{token_id}"): "one's own tokens need no permission",
    ("POST", "/api/v1/credentials/verify"): "public: anyone checks a credential",
    ("GET", "/api/v1/log/checkpoint"): "public: the log is checked by outsiders",
    ("GET", "/api/v1/log/key"): "public: the log is checked by outsiders",
    ("GET", "/api/v1/log/proof/inclusion"): "public: the log is checked by outsiders",
    ("GET", "/api/v1/log/proof/consistency"): "public: the log is checked by outsiders",
}


# Problems the reading finds but that cannot happen, and why.
UNREACHABLE = {
    ("POST", "/api/v1/officers", 404): "the profile is read back in the registering transaction",
    ("POST", "/api/v1/centres", 404): "the centre is read back in the creating transaction",
    ("GET", "/api/v1/exams/queue", 404): "the queue's evaluations are held by foreign keys",
    ("GET", "/api/v1/officers/{officer_id}/credentials", 400):
        "the credentials read are the registry's own, signed by it",
    ("GET", "/api/v1/officers/{officer_id}", 428):
        "the profile reads no contact data, the one section that needs a purpose",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # Building the app touches no database, so an empty file is enough to list routes.
    url = f"sqlite:///{tmp_path_factory.mktemp('contract') / 'routes.db'}"
    container = build(Settings(environment=Environment.TEST, database_url=url))
    yield create_app(container)
    container.dispose()


def _resolve(node: ast.expr, namespace: dict[str, Any]) -> Any:
    """The object a name or a dotted name denotes in a function's globals, if it is static."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id, getattr(builtins, node.id, None))
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        if isinstance(owner, (types.ModuleType, type)):
            return getattr(owner, node.attr, None)
    return None


def _ours(obj: Any) -> bool:
    return str(getattr(obj, "__module__", "") or "").startswith("confianza.")


def raised_statuses(func: Callable[..., Any], seen: set[Any] | None = None) -> set[int]:
    """Statuses of the domain errors `func` raises or makes, following the calls it makes by
    name into the package."""
    seen = set() if seen is None else seen
    func = inspect.unwrap(func)
    if func in seen or not _ours(func):
        return set()
    seen.add(func)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError):
        return set()
    namespace: dict[str, Any] = getattr(func, "__globals__", {})
    found: set[int] = set()
    for node in ast.walk(tree):
        target: ast.expr | None = None
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        elif isinstance(node, ast.Call):
            target = node.func
        if target is None:
            continue
        obj = _resolve(target, namespace)
        if isinstance(obj, type) and issubclass(obj, DomainError):
            found.add(obj.status)
        elif isinstance(obj, type) and _ours(obj):
            for name in ("__init__", "__post_init__"):
                method = obj.__dict__.get(name)
                if method is not None:
                    found |= raised_statuses(method, seen)
        elif inspect.isfunction(obj):
            found |= raised_statuses(obj, seen)
    return found


def _dependency_calls(route: APIRoute) -> list[Callable[..., Any]]:
    calls: list[Callable[..., Any]] = []
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        if dependant.call is not None:
            call = dependant.call
            calls.append(type(call).__call__ if isinstance(call, Permit) else call)
        pending.extend(dependant.dependencies)
    return calls


def test_every_operation_declares_every_problem_it_can_answer(app: Any) -> None:
    schema = app.openapi()
    missing: list[str] = []
    operations = list(api_routes(app))
    assert len(operations) > 60
    for method, path, route in operations:
        declared = {int(s) for s in schema["paths"][path][method.lower()]["responses"]
                    if s.isdigit()}
        can_answer = derived_problems(route)
        seen: set[Any] = set()
        for call in _dependency_calls(route):
            can_answer |= raised_statuses(call, seen)
        can_answer -= {s for m, p, s in UNREACHABLE if (m, p) == (method, path)}
        if not declared >= can_answer:
            missing.append(f"{method} {path}: {sorted(can_answer - declared)}")
    assert missing == [], "\n".join(missing)


def test_every_problem_is_a_problem_document(app: Any) -> None:
    schema = app.openapi()
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"] == problem, (method, path, status)
    assert "Problem" in schema["components"]["schemas"]


def test_every_operation_is_gated_by_a_permission_or_says_why_not(app: Any) -> None:
    ungated = set()
    for method, path, route in api_routes(app):
        if not any(isinstance(d.call, Permit) for d in route.dependant.dependencies):
            ungated.add((method, path))
    assert ungated == set(UNGATED)


# --- authorization before validation -------------------------------------------------------

BAD_BODIES: list[tuple[str, str, bytes]] = [
    # (method, path, body): malformed JSON, a body of the wrong shape, no body at all
    ("POST", "/api/v1/officers", b'{"given_names": "Ana",'),
    ("POST", "/api/v1/officers", b'{"nickname": 1}'),
    ("POST", "/api/v1/officers", b""),
    ("POST", "/api/v1/agencies", b'{"name": "\xff not utf-8"}'),
    ("PATCH", "/api/v1/agencies/1", b"[]"),
    ("POST", "/api/v1/users", b'{"username": 5}'),
    ("POST", "/api/v1/evaluations/abc/decision", b"{"),
    ("PUT", "/api/v1/centres/1/capacity", b"null"),
]


@pytest.mark.parametrize(("method", "path", "body"), BAD_BODIES)
def test_an_unauthorized_role_is_refused_before_its_body_is_read(
    container: Container, method: str, path: str, body: bytes
) -> None:
    """Internal affairs may change none of these: whatever it sends, the answer is 403, and the
    refusal is in the trail."""
    http = client(container)
    headers = {**bearer(container, Role.INTERNAL_AFFAIRS), "Content-Type": "application/json"}
    response = http.request(method, path, headers=headers, content=body)
    assert_problem(response, 403, "does not allow")
    denied = audit(container, AuditAction.ACCESS_DENIED)
    assert len(denied) == 1
    assert denied[0].actor == "u-internal-affairs"
    # Without credentials it is still 401 first.
    anonymous = http.request(method, path, headers={"Content-Type": "application/json"},
                             content=body)
    assert_problem(anonymous, 401)


def test_an_authorized_role_still_learns_what_is_wrong_with_its_body(
    container: Container,
) -> None:
    http = client(container)
    headers = {**bearer(container, Role.REGISTRY_CLERK), "Content-Type": "application/json"}
    assert_problem(http.post("/api/v1/officers", headers=headers,
                             content=b'{"given_names": "Ana",'), 422, "JSON")
    not_utf8 = b'{"given_names": "\xff"}'
    assert_problem(http.post("/api/v1/officers", headers=headers, content=not_utf8), 400)
    assert audit(container, AuditAction.ACCESS_DENIED) == []


def test_scope_is_still_decided_by_the_use_case(
    container: Container, agencies: dict[str, int]
) -> None:
    """The role check lets a scoped account through to the use case, which refuses a record
    outside its scope (with the record named), as before."""
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    officer = http.post("/api/v1/officers", headers=clerk,
                        json=officer_body(agencies["JAL-SSP"])).json()["id"]
    hr = bearer(container, Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="19"))
    assert_problem(http.patch(f"/api/v1/officers/{officer}", headers=hr,
                              json={"given_names": "Otra"}), 403, "outside your scope")
    denied = audit(container, AuditAction.ACCESS_DENIED)
    assert [e.resource_id for e in denied] == [str(officer)]

