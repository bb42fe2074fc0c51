"""Account management over HTTP: administrators cannot lock everyone out, nor themselves,
and a closed account can be opened again without its old credentials."""

from __future__ import annotations

import pytest
from api_support import (
    PASSWORD,
    assert_problem,
    audit,
    client,
    count,
    make_user,
    officer_body,
    token_for,
)

from confianza.accounts.rules.permissions import Role, system_actor
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.core.errors import Conflict
from confianza.trail.rules import AuditAction


def test_an_administrator_cannot_deactivate_their_own_account(container: Container) -> None:
    http = client(container)
    admin_id = make_user(container, Role.ADMINISTRATOR)
    make_user(container, Role.ADMINISTRATOR, username="second-admin")
    admin = token_for(container, admin_id)
    refused = http.post(f"/api/v1/users/{admin_id}/deactivate", headers=admin)
    assert_problem(refused, 409, "your own account")
    assert http.get("/api/v1/me", headers=admin).status_code == 200
    (entry,) = audit(container, AuditAction.REQUEST_REFUSED)
    assert (entry.actor, entry.resource_id, entry.detail["attempted"]) == (
        "u-administrator", str(admin_id), "user:account:update")
    assert audit(container, AuditAction.USER_UPDATE) == []


def test_the_last_active_administrator_cannot_be_deactivated(container: Container) -> None:
    http = client(container)
    first = make_user(container, Role.ADMINISTRATOR)
    second = make_user(container, Role.ADMINISTRATOR, username="second-admin")
    admin = token_for(container, first)
    assert http.post(f"/api/v1/users/{second}/deactivate", headers=admin).status_code == 200
    # Only the console is left that could try: it is refused too, and the refusal is kept.
    with pytest.raises(Conflict, match="last active administrator"):
        user_service.set_user_active(container.uow(), system_actor("ops"), first, False)
    assert http.get("/api/v1/me", headers=admin).status_code == 200
    refused = audit(container, AuditAction.REQUEST_REFUSED)
    assert [(e.actor, e.resource_id) for e in refused] == [("ops", str(first))]


def test_a_deactivated_account_is_reactivated_without_its_old_credentials(
    container: Container,
) -> None:
    http = client(container)
    admin = token_for(container, make_user(container, Role.ADMINISTRATOR))
    hr_id = make_user(container, Role.AGENCY_HR)
    old_token = token_for(container, hr_id)
    browser = client(container)
    signed_in = browser.post("/api/v1/session", json={"username": "u-agency-hr",
                                                      "password": PASSWORD})
    assert signed_in.status_code == 201, signed_in.text
    off = http.post(f"/api/v1/users/{hr_id}/deactivate", headers=admin)
    assert off.status_code == 200 and off.json()["active"] is False
    assert_problem(http.post(f"/api/v1/users/{hr_id}/deactivate", headers=admin), 409,
                   "already deactivated")

    on = http.post(f"/api/v1/users/{hr_id}/reactivate", headers=admin)
    assert on.status_code == 200, on.text
    assert on.json()["active"] is True
    # Credentials issued before the deactivation stay dead.
    assert_problem(http.get("/api/v1/me", headers=old_token), 401)
    assert_problem(browser.get("/api/v1/me"), 401)  # the session cookie of before
    assert http.get("/api/v1/me", headers=token_for(container, hr_id)).status_code == 200
    changes = audit(container, AuditAction.USER_UPDATE)
    assert [(e.resource_id, e.detail) for e in changes] == [
        (str(hr_id), {"active": False, "sessions_ended": 1, "tokens_revoked": 1}),
        (str(hr_id), {"active": True})]


def test_only_account_managers_reactivate(container: Container) -> None:
    http = client(container)
    hr_id = make_user(container, Role.AGENCY_HR)
    hr = token_for(container, hr_id)
    clerk_id = make_user(container, Role.REGISTRY_CLERK)
    assert_problem(http.post(f"/api/v1/users/{clerk_id}/reactivate", headers=hr), 403)
    assert [e.detail["permission"] for e in audit(container, AuditAction.ACCESS_DENIED)] == [
        "user:account:manage"]


def test_an_administrator_cannot_issue_a_token_for_another_account(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    admin_id = make_user(container, Role.ADMINISTRATOR)
    admin = token_for(container, admin_id)
    hr_id = make_user(container, Role.AGENCY_HR)
    tokens_before = count(container, "api_tokens")
    refused = http.post(f"/api/v1/users/{hr_id}/tokens", headers=admin,
                        json={"name": "act as HR"})
    assert_problem(refused, 403, "only the holder of account")
    assert count(container, "api_tokens") == tokens_before
    (denied,) = audit(container, AuditAction.ACCESS_DENIED)
    assert (denied.actor, denied.resource_type, denied.resource_id,
            denied.detail["permission"]) == ("u-administrator", "user", str(hr_id),
                                             "user:token:manage")
    # One's own tokens are still one's own to issue, and to revoke anyone's stays possible.
    own = http.post(f"/api/v1/users/{admin_id}/tokens", headers=admin, json={"name": "mine"})
    assert own.status_code == 201, own.text
    hr_token = http.post(f"/api/v1/users/{hr_id}/tokens", headers=token_for(container, hr_id),
                         json={"name": "payroll"})
    assert hr_token.status_code == 201, hr_token.text
    revoked = http.delete(f"/api/v1/tokens/{hr_token.json()['id']}", headers=admin)
    assert revoked.status_code == 200, revoked.text


def test_acts_with_a_token_the_console_issued_name_the_operator_too(
    container: Container, agencies: dict[str, int]
) -> None:
    http = client(container)
    hr_id = make_user(container, Role.AGENCY_HR)
    info, secret = user_service.issue_token(container.uow(), system_actor("ops-ana"), hr_id,
                                            "sync")
    assert info.issued_by == "ops-ana"
    console_token = {"Authorization": f"Bearer {secret}"}
    officer_id = http.post("/api/v1/officers", headers=console_token,
                           json=officer_body(agencies["JAL-SSP"])).json()["id"]
    read = http.get(f"/api/v1/officers/{officer_id}/contacts", headers=console_token,
                    params={"purpose": "Citatorio expediente 12-2026"})
    assert read.status_code == 200, read.text
    refused = http.post("/api/v1/agencies", headers=console_token,
                        json={"code": "XX-1", "name": "Nueva", "level": "federal"})
    assert_problem(refused, 403)
    # A token made with that token keeps the issuer: it cannot be laundered into the holder's.
    second = http.post(f"/api/v1/users/{hr_id}/tokens", headers=console_token,
                       json={"name": "second"})
    assert second.status_code == 201, second.text
    via_second = {"Authorization": f"Bearer {second.json()['secret']}"}
    assert http.get(f"/api/v1/officers/{officer_id}", headers=via_second).status_code == 200

    made = [e for e in audit(container) if e.actor == "u-agency-hr"]
    assert [(e.action, e.detail.get("token_issued_by")) for e in made] == [
        (AuditAction.OFFICER_CREATE, "ops-ana"),
        (AuditAction.OFFICER_CONTACT_READ, "ops-ana"),
        (AuditAction.ACCESS_DENIED, "ops-ana"),
        (AuditAction.TOKEN_CREATE, "ops-ana"),
        (AuditAction.OFFICER_READ, "ops-ana"),
    ]
    issued = audit(container, AuditAction.TOKEN_CREATE)
    assert [(e.actor, e.detail["issued_by"]) for e in issued] == [
        ("ops-ana", "ops-ana"), ("u-agency-hr", "ops-ana")]
