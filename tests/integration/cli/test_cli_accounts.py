"""`confianza users`: what the console may do to accounts, and what the trail says of it."""

from __future__ import annotations

import os
import subprocess
import sys

from confianza.accounts.rules.permissions import Role, system_actor
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.trail.rules import AuditAction

CLI = [sys.executable, "-m", "confianza.app.console"]


def _run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIANZA_DATABASE_URL": database_url,
           "CONFIANZA_ENVIRONMENT": "test"}
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def _admin(container: Container, username: str) -> int:
    return user_service.create_user(container.uow(), system_actor("setup"), user_service.NewUser(
        username, username, "a long enough password", Role.ADMINISTRATOR)).id


def test_users_reactivate_opens_a_closed_account_and_is_audited(
    container: Container, database_url: str
) -> None:
    ana, _ = _admin(container, "ana"), _admin(container, "bea")
    user_service.set_user_active(container.uow(), system_actor("setup"), ana, False)
    done = _run(database_url, "users", "reactivate", "ana")
    assert done.returncode == 0, done.stderr
    assert "reactivated user ana" in done.stdout
    with container.uow().transaction() as tx:
        user = tx.users.get(ana)
        entries = tx.audit.entries(limit=1000)
    assert user is not None and user.active
    (entry,) = [e for e in entries if e.action == AuditAction.USER_UPDATE
                and e.detail["active"] is True]
    assert (entry.actor_kind, entry.resource_id) == ("system", str(ana))
    again = _run(database_url, "users", "reactivate", "ana")
    assert (again.returncode, again.stderr) == (
        1, "error: user ana is already active; nothing was changed\n")


def test_users_reactivate_of_an_unknown_account_is_one_line(
    container: Container, database_url: str
) -> None:
    result = _run(database_url, "users", "reactivate", "nobody")
    assert (result.returncode, result.stderr) == (1, "error: user nobody does not exist\n")


def test_a_token_the_console_issues_records_its_operator(
    container: Container, database_url: str
) -> None:
    ana = _admin(container, "ana")
    issued = _run(database_url, "users", "token", "ana", "--name", "sync")
    assert issued.returncode == 0, issued.stderr
    with container.uow().transaction() as tx:
        (token,) = tx.users.tokens(ana)
        (entry,) = [e for e in tx.audit.entries(limit=1000)
                    if e.action == AuditAction.TOKEN_CREATE]
    assert token.issued_by is not None and token.issued_by == entry.actor
    assert (entry.actor_kind, entry.detail["issued_by"]) == ("system", entry.actor)
    assert "issued to ana by " + entry.actor in issued.stderr
