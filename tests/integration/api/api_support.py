"""Helpers shared by the API tests: accounts with tokens, a client, officer bodies, counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import text

from confianza.accounts.rules.permissions import ActorKind, Role, Scope, system_actor
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.app.web import create_app
from confianza.kit.curp import build_curp
from confianza.trail.rules import AuditEntry

PASSWORD = "correct horse battery staple"
PROBLEM = "application/problem+json"
_operator = system_actor("api-test-operator")


def client(container: Container) -> TestClient:
    # Server errors must fail the test loudly rather than come back as a 500 page.
    return TestClient(create_app(container), raise_server_exceptions=True)


def make_user(
    container: Container, role: Role, scope: Scope = Scope(), username: str | None = None
) -> int:
    user = user_service.create_user(
        container.uow(), _operator,
        user_service.NewUser(username or f"u-{role.value}".replace("_", "-"), "Test user",
                             PASSWORD, role, scope),
    )
    return user.id


def token_for(container: Container, user_id: int) -> dict[str, str]:
    """Headers that authenticate as this user with a fresh API token the user issued for
    themselves (one the console issues makes every entry name the operator too, ADR 0021)."""
    with container.uow().transaction(read_only=True) as tx:
        user = tx.users.get(user_id)
    assert user is not None
    holder = user_service.actor_for(user, ActorKind.USER)
    _, secret = user_service.issue_token(container.uow(), holder, user_id, "tests")
    return {"Authorization": f"Bearer {secret}"}


def bearer(container: Container, role: Role, scope: Scope = Scope(),
           username: str | None = None) -> dict[str, str]:
    return token_for(container, make_user(container, role, scope, username))


def officer_body(agency_id: int | None, **overrides: Any) -> dict[str, Any]:
    """A valid registration body: María Fernanda Peña Ruiz with a CURP that matches her."""
    birth = date(1988, 3, 14)
    body: dict[str, Any] = {
        "given_names": "María Fernanda",
        "first_surname": "Peña",
        "second_surname": "Ruiz",
        "birth_date": birth.isoformat(),
        "sex": "M",
        "curp": build_curp("Peña", "Ruiz", "María Fernanda", birth, "M", "JC"),
    }
    if agency_id is not None:
        body["assignment"] = {"agency_id": agency_id, "rank": "Policía",
                              "start_date": "2012-01-16"}
        body["badge"] = "4411"
    body.update(overrides)
    return body


def count(container: Container, table: str) -> int:
    with container.uow().transaction() as tx:
        return int(tx.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def audit(container: Container, action: str | None = None) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        found = tx.audit.entries(limit=10_000)
    return [e for e in found if action is None or e.action == action]


def assert_problem(response: httpx.Response, status: int, *fragments: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status whose detail says each fragment."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["request_id"]
    for fragment in fragments:
        assert fragment in body["detail"], body
    return body


def error_locations(body: dict[str, Any]) -> set[str]:
    return {e["location"] for e in body.get("errors", [])}
