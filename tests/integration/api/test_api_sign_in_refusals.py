"""A refused sign-in says nothing about the account: unknown, wrong password, deactivated or
locked all get one answer, all do the same hash work, and all are in the trail."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import PASSWORD, audit, client, make_user
from argon2 import PasswordHasher

from confianza.accounts.rules.permissions import Role, system_actor
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.trail.rules import AuditAction


def _answer(container: Container, username: str, password: str) -> tuple[Any, ...]:
    response = client(container).post("/api/v1/session",
                                      json={"username": username, "password": password})
    body = response.json()
    return (response.status_code, response.headers.get("www-authenticate"), body["title"],
            body["detail"], "set-cookie" in response.headers)


def _lock(container: Container, username: str) -> None:
    for _ in range(container.settings.login_max_failures):
        _answer(container, username, "not the password")


def test_unknown_wrong_deactivated_and_locked_get_one_answer(container: Container) -> None:
    make_user(container, Role.AUDITOR, username="wrong")
    make_user(container, Role.AUDITOR, username="locked")
    closed = make_user(container, Role.AUDITOR, username="closed")
    user_service.set_user_active(container.uow(), system_actor("ops"), closed, False)
    _lock(container, "locked")
    answers = {
        "unknown": _answer(container, "nobody-here", PASSWORD),
        "wrong password": _answer(container, "wrong", "not the password"),
        "deactivated": _answer(container, "closed", PASSWORD),
        "locked, right password": _answer(container, "locked", PASSWORD),
        "locked, wrong password": _answer(container, "locked", "not the password"),
    }
    assert len(set(answers.values())) == 1, answers
    status, challenge, _, detail, cookie = answers["unknown"]
    assert (status, challenge, cookie) == (401, "Bearer", False)
    assert detail == user_service.SIGN_IN_REFUSED


def test_every_refused_attempt_during_a_lockout_is_in_the_trail(container: Container) -> None:
    user_id = make_user(container, Role.AUDITOR, username="locked")
    maximum = container.settings.login_max_failures
    _lock(container, "locked")
    _answer(container, "locked", PASSWORD)
    _answer(container, "locked", "still not it")
    _lock(container, "ghost")  # an unknown name locks alike, so locking does not tell either
    _answer(container, "ghost", PASSWORD)
    failed = audit(container, AuditAction.USER_LOGIN_FAILED)
    assert [(e.actor, e.resource_id, e.detail["reason"]) for e in failed] == [
        *[("locked", str(user_id), "wrong_password")] * maximum,
        ("locked", str(user_id), "locked"), ("locked", str(user_id), "locked"),
        *[("ghost", None, "unknown_account")] * maximum,
        ("ghost", None, "locked")]


class CountingHasher(PasswordHasher):
    """The test environment's cheap hasher, counting the verifications it makes."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        self.verified += 1
        return super().verify(hash, password)


def test_every_sign_in_verifies_one_hash_whatever_the_account(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No timing assertion: the code path is what makes the timing alike, so the test holds
    every path to the same work, one password verification each."""
    make_user(container, Role.AUDITOR, username="known")
    make_user(container, Role.AUDITOR, username="locked")
    closed = make_user(container, Role.AUDITOR, username="closed")
    user_service.set_user_active(container.uow(), system_actor("ops"), closed, False)
    _lock(container, "locked")
    hasher = CountingHasher()
    monkeypatch.setattr(user_service, "_hasher", hasher)
    cases = [("known", PASSWORD, 201), ("known", "wrong", 401), ("nobody", PASSWORD, 401),
             ("closed", PASSWORD, 401), ("locked", PASSWORD, 401), ("locked", "wrong", 401)]
    for username, password, status in cases:
        before = hasher.verified
        response = client(container).post("/api/v1/session",
                                          json={"username": username, "password": password})
        assert response.status_code == status, (username, response.text)
        assert hasher.verified - before == 1, username
