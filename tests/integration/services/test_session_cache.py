"""A signed-in session is read once and then remembered by the process for
CONFIANZA_SESSION_CACHE_SECONDS (`users.SESSIONS`, ADR 0024), as API tokens are: what signing
out or a deactivation does in this process takes effect at once, the idle and age limits are
still checked against the clock on every request, and only another process's act waits for the
entry to age out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from statement_support import statements_of

from confianza.accounts.rules.permissions import Actor, Role
from confianza.accounts.service import users
from confianza.app.bootstrap import Container
from confianza.core.errors import Unauthenticated
from conftest import FakeClock

IDLE = timedelta(minutes=30)
MAX_AGE = timedelta(hours=12)
PASSWORD = "a long enough password 2026"


@pytest.fixture
def remembered() -> Iterator[None]:
    """The cache on, as a server runs it, and empty before and after the test."""
    ttl = users.SESSIONS.ttl
    users.SESSIONS.ttl = 60
    users.SESSIONS.clear()
    yield
    users.SESSIONS.clear()
    users.SESSIONS.ttl = ttl


def _signed_in(container: Container, operator: Actor, name: str = "ana") -> users.SignedIn:
    users.create_user(container.uow(), operator, users.NewUser(
        username=name, display_name=name.title(), password=PASSWORD, role=Role.REGISTRY_CLERK))
    return users.sign_in(container.uow(), name, PASSWORD, 5)


def _resolve(container: Container, token: str) -> users.ResolvedSession:
    return users.resolve_session(container.uow(), token, IDLE, MAX_AGE)


@pytest.mark.usefixtures("remembered")
def test_a_session_is_read_once_then_remembered(container: Container, operator: Actor) -> None:
    signed = _signed_in(container, operator)
    with statements_of(container.engine) as first:
        resolved = _resolve(container, signed.session_token)
    with statements_of(container.engine) as second:
        again = _resolve(container, signed.session_token)
    assert len(first) == 1 and second == []
    assert again == resolved and resolved.actor.username == "ana"
    assert resolved.csrf_token == signed.csrf_token


@pytest.mark.usefixtures("remembered")
def test_signing_out_or_a_deactivation_ends_a_remembered_session_at_once(
    container: Container, operator: Actor,
) -> None:
    ana = _signed_in(container, operator, "ana")
    luis = _signed_in(container, operator, "luis")
    _resolve(container, ana.session_token)
    _resolve(container, luis.session_token)
    users.sign_out(container.uow(), ana.session_token)
    with pytest.raises(Unauthenticated, match="ended"):
        _resolve(container, ana.session_token)
    assert luis.actor.user_id is not None
    users.set_user_active(container.uow(), operator, luis.actor.user_id, False)
    with pytest.raises(Unauthenticated, match="ended"):
        _resolve(container, luis.session_token)


@pytest.mark.usefixtures("remembered")
def test_the_idle_limit_is_checked_on_every_request(
    container: Container, operator: Actor, clock: FakeClock,
) -> None:
    signed = _signed_in(container, operator)
    _resolve(container, signed.session_token)
    clock.advance(minutes=20)
    _resolve(container, signed.session_token)  # active: it touches the session, remembered too
    clock.advance(minutes=29)
    _resolve(container, signed.session_token)  # 29 minutes after the touch: still in time
    clock.advance(minutes=31)
    with pytest.raises(Unauthenticated, match="timed out"):
        _resolve(container, signed.session_token)
    with pytest.raises(Unauthenticated, match="ended"):
        _resolve(container, signed.session_token)


@pytest.mark.usefixtures("remembered")
def test_a_session_ended_by_another_process_is_honoured_until_its_entry_ages_out(
    container: Container, operator: Actor,
) -> None:
    """The window the setting bounds: another process signs the session out (here, written to
    the database directly); this one honours it until the entry ages out, and with the cache
    off (0 seconds) not at all."""
    signed = _signed_in(container, operator)
    _resolve(container, signed.session_token)
    with container.uow().transaction() as tx:
        stored = tx.users.session_by_hash(users.hash_secret(signed.session_token))
        assert stored is not None
        tx.users.end_session(stored.id, tx.now)
    assert _resolve(container, signed.session_token).actor.username == "ana"
    users.SESSIONS.ttl = 0
    users.SESSIONS.clear()
    with pytest.raises(Unauthenticated, match="ended"):
        _resolve(container, signed.session_token)
