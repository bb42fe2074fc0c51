"""Sign-in, CSRF, tokens and accounts over HTTP, and the request id carried into the trail."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from api_support import (
    PASSWORD,
    assert_problem,
    audit,
    bearer,
    client,
    count,
    error_locations,
    make_user,
    officer_body,
    token_for,
)
from fastapi.testclient import TestClient

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.app.settings import Environment
from confianza.trail.rules import AuditAction
from conftest import FakeClock


def sign_in(http: TestClient, username: str) -> str:
    response = http.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return str(response.json()["csrf_token"])


def test_sign_in_sets_a_strict_http_only_cookie_and_csrf_guards_unsafe_requests(
    container: Container, agencies: dict[str, int]
) -> None:
    make_user(container, Role.REGISTRY_CLERK, username="clerk")
    http = client(container)
    response = http.post("/api/v1/session", json={"username": "clerk", "password": PASSWORD})
    assert response.status_code == 201
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("confianza_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    csrf = response.json()["csrf_token"]
    assert http.get("/api/v1/me").json()["csrf_token"] == csrf

    refused = http.post("/api/v1/officers", json=officer_body(agencies["GN"]))
    assert_problem(refused, 403, "CSRF")
    wrong = http.post("/api/v1/officers", json=officer_body(agencies["GN"]),
                      headers={"X-CSRF-Token": "x" + csrf})
    assert_problem(wrong, 403, "CSRF")
    assert count(container, "officers") == 0
    accepted = http.post("/api/v1/officers", json=officer_body(agencies["GN"]),
                         headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201, accepted.text

    assert_problem(http.delete("/api/v1/session"), 403, "CSRF")
    out = http.delete("/api/v1/session", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 200
    assert 'confianza_session=""' in out.headers["set-cookie"] or "Max-Age=0" in \
        out.headers["set-cookie"]
    assert [e.action for e in audit(container, AuditAction.USER_LOGOUT)] == [
        AuditAction.USER_LOGOUT]
    http.cookies.clear()
    assert_problem(http.get("/api/v1/me"), 401, "sign in")


def test_ended_session_is_refused_even_with_its_cookie(
    container: Container, clock: FakeClock
) -> None:
    make_user(container, Role.AUDITOR, username="auditor")
    http = client(container)
    csrf = sign_in(http, "auditor")
    stolen = http.cookies.get("confianza_session")
    http.delete("/api/v1/session", headers={"X-CSRF-Token": csrf})
    http.cookies.set("confianza_session", str(stolen))
    assert_problem(http.get("/api/v1/me"), 401, "session has ended")
    http.cookies.clear()
    sign_in(http, "auditor")
    clock.advance(minutes=31)
    assert_problem(http.get("/api/v1/me"), 401, "timed out")


def test_secure_cookie_in_production(container: Container) -> None:
    make_user(container, Role.AUDITOR, username="auditor")
    production = dataclasses.replace(
        container,
        settings=container.settings.model_copy(update={"environment": Environment.PRODUCTION}),
    )
    response = client(production).post(
        "/api/v1/session", json={"username": "auditor", "password": PASSWORD}
    )
    assert "Secure" in response.headers["set-cookie"]


def test_wrong_password_and_missing_credentials_are_401(container: Container) -> None:
    make_user(container, Role.AUDITOR, username="auditor")
    http = client(container)
    wrong = http.post("/api/v1/session", json={"username": "auditor", "password": "nope"})
    assert_problem(wrong, 401, "wrong username or password")
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert "set-cookie" not in wrong.headers
    assert len(audit(container, AuditAction.USER_LOGIN_FAILED)) == 1
    assert_problem(http.get("/api/v1/officers"), 401, "sign in or send an API token")
    assert_problem(http.get("/api/v1/officers", headers={"Authorization": "Basic abc"}), 401,
                   "Bearer")
    assert_problem(http.get("/api/v1/officers", headers={"Authorization": "Bearer cz_nope"}),
                   401, "unknown, revoked or expired")


def test_tokens_issued_over_the_api_work_until_revoked_or_expired(
    container: Container, clock: FakeClock
) -> None:
    user_id = make_user(container, Role.EXAMINER, username="examiner")
    http = client(container)
    first = token_for(container, user_id)
    # Anyone may issue a token for themselves; the secret is returned once.
    issued = http.post(f"/api/v1/users/{user_id}/tokens", headers=first,
                       json={"name": "scanner"})
    assert issued.status_code == 201, issued.text
    token = issued.json()
    assert token["secret"].startswith("cz_")
    assert issued.headers["location"] == f"/api/v1/tokens/{token['id']}"
    mine = {"Authorization": f"Bearer {token['secret']}"}
    assert http.get("/api/v1/me", headers=mine).json()["kind"] == "token"
    assert http.delete(f"/api/v1/tokens/{token['id']}", headers=first).status_code == 200
    assert_problem(http.get("/api/v1/me", headers=mine), 401, "revoked")

    expiring = http.post(
        f"/api/v1/users/{user_id}/tokens", headers=first,
        json={"name": "short", "expires_at": (clock.now + timedelta(hours=1)).isoformat()},
    ).json()
    short = {"Authorization": f"Bearer {expiring['secret']}"}
    assert http.get("/api/v1/me", headers=short).status_code == 200
    clock.advance(hours=2)
    assert_problem(http.get("/api/v1/me", headers=short), 401, "expired")
    naive = http.post(f"/api/v1/users/{user_id}/tokens", headers=first,
                      json={"name": "naive", "expires_at": "2027-01-01T00:00:00"})
    assert "body.expires_at" in error_locations(assert_problem(naive, 422))


def test_accounts_are_created_listed_and_deactivated(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    admin = bearer(container, Role.ADMINISTRATOR)
    body = {"username": "hr.jalisco", "display_name": "RH Jalisco", "password": PASSWORD,
            "role": "agency_hr", "scope": {"kind": "state", "state_code": "14"}}
    created = http.post("/api/v1/users", headers=admin, json=body)
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["scope"] == {"kind": "state", "state_code": "14", "agency_id": None}
    assert "password" not in created.text
    assert_problem(http.post("/api/v1/users", headers=admin, json=body), 409, "already exists")
    bad_scope = http.post("/api/v1/users", headers=admin,
                          json={**body, "username": "x.y", "scope": {"kind": "state"}})
    assert "body.scope" in error_locations(assert_problem(bad_scope, 422, "state_code"))
    short = http.post("/api/v1/users", headers=admin,
                      json={**body, "username": "x.z", "password": "short"})
    assert "body.password" in error_locations(assert_problem(short, 422))
    assert count(container, "users") == 2

    listed = http.get("/api/v1/users", headers=admin).json()["items"]
    assert [u["username"] for u in listed] == ["u-administrator", "hr.jalisco"]
    theirs = token_for(container, user["id"])
    me = http.get("/api/v1/me", headers=theirs).json()
    assert me["role"] == "agency_hr" and "officer:identity:read" in me["permissions"]
    assert "user:account:manage" not in me["permissions"]
    off = http.post(f"/api/v1/users/{user['id']}/deactivate", headers=admin)
    assert off.status_code == 200 and off.json()["active"] is False
    assert_problem(http.get("/api/v1/me", headers=theirs), 401)


def test_request_id_reaches_the_audit_trail(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    clerk = bearer(container, Role.REGISTRY_CLERK)
    created = http.post("/api/v1/officers", headers={**clerk, "X-Request-ID": "req-api-0001"},
                        json=officer_body(agencies["GN"]))
    assert created.headers["x-request-id"] == "req-api-0001"
    officer_id = created.json()["id"]
    http.get(f"/api/v1/officers/{officer_id}", headers={**clerk, "X-Request-ID": "req-api-0002"})
    hr_nl = bearer(container, Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="19"))
    http.get(f"/api/v1/officers/{officer_id}", headers={**hr_nl, "X-Request-ID": "req-api-0003"})
    by_action = {e.action: e.request_id for e in audit(container)
                 if e.action in {AuditAction.OFFICER_CREATE, AuditAction.OFFICER_READ,
                                 AuditAction.ACCESS_DENIED}}
    assert by_action == {AuditAction.OFFICER_CREATE: "req-api-0001",
                         AuditAction.OFFICER_READ: "req-api-0002",
                         AuditAction.ACCESS_DENIED: "req-api-0003"}
    # An unusable id is replaced, not trusted.
    odd = http.get("/api/v1/me", headers={**clerk, "X-Request-ID": "<script>"})
    assert odd.headers["x-request-id"] != "<script>"
