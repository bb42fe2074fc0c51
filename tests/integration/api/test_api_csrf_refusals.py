"""A request refused for its CSRF token leaves an entry naming the session's user, the path
and the reason, never a token."""

from __future__ import annotations

from api_support import PASSWORD, assert_problem, audit, client, make_user, officer_body
from sqlalchemy import text

from confianza.accounts.rules.permissions import Role
from confianza.app.bootstrap import Container
from confianza.trail.rules import AuditAction


def test_a_refused_csrf_token_is_in_the_trail(
    container: Container, agencies: dict[str, int]
) -> None:
    clerk_id = make_user(container, Role.REGISTRY_CLERK, username="clerk")
    http = client(container)
    signed = http.post("/api/v1/session", json={"username": "clerk", "password": PASSWORD})
    csrf = signed.json()["csrf_token"]
    assert_problem(http.post("/api/v1/officers?x=1", json=officer_body(agencies["GN"])), 403,
                   "CSRF")
    assert_problem(http.delete("/api/v1/session", headers={"X-CSRF-Token": "x" + csrf}), 403,
                   "CSRF")
    refused = audit(container, AuditAction.CSRF_REFUSED)
    assert [(e.actor, e.actor_kind, e.resource_type, e.resource_id, e.detail)
            for e in refused] == [
        ("clerk", "user", "user", str(clerk_id),
         {"method": "POST", "path": "/api/v1/officers", "reason": "missing"}),
        ("clerk", "user", "user", str(clerk_id),
         {"method": "DELETE", "path": "/api/v1/session", "reason": "wrong"})]
    with container.engine.connect() as connection:
        stored = " ".join(str(r) for r in connection.execute(text(
            "SELECT detail FROM audit_entries")).scalars())
    assert csrf not in stored
    # The session itself is untouched: with its token the same request goes through.
    assert http.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 200
