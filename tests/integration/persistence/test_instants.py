"""Instants are kept in UTC and come back with their offset, on SQLite as on PostgreSQL.

SQLite has no timestamp-with-zone type: SQLAlchemy used to write an aware value's wall-clock
digits and drop its offset, so a token meant to expire at 20:41-06:00 expired at 20:41 UTC (at
once) and one given in +14:00 lived fourteen hours too long; and every instant the API answered
on SQLite lacked the offset that OpenAPI's date-time requires.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from api_support import PASSWORD, client, make_user  # noqa: E402

from confianza.accounts.rules.permissions import Role, system_actor  # noqa: E402
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.core.db.models import UtcDateTime  # noqa: E402
from confianza.core.errors import Unauthenticated  # noqa: E402

OPERATOR = system_actor("instants-test")
MEXICO = timezone(timedelta(hours=-6))
KIRITIMATI = timezone(timedelta(hours=14))


@pytest.mark.parametrize("zone", [MEXICO, KIRITIMATI, UTC])
def test_a_token_lives_as_long_as_its_expiry_says_in_any_offset(
    container: Container, clock: object, zone: timezone
) -> None:
    user_id = make_user(container, Role.REGISTRY_CLERK)
    expires = (container.now() + timedelta(hours=1)).astimezone(zone)
    info, secret = user_service.issue_token(container.uow(), OPERATOR, user_id, "sync", expires)
    # The same instant comes back, in UTC.
    assert info.expires_at == expires and info.expires_at.utcoffset() == timedelta(0)
    user_service.TOKENS.clear()
    assert user_service.resolve_token(container.uow(), secret).user_id == user_id
    clock.advance(minutes=59)  # type: ignore[attr-defined]
    user_service.TOKENS.clear()
    assert user_service.resolve_token(container.uow(), secret).user_id == user_id
    clock.advance(minutes=2)  # type: ignore[attr-defined]
    user_service.TOKENS.clear()
    with pytest.raises(Unauthenticated):
        user_service.resolve_token(container.uow(), secret)


def test_the_stored_instant_is_utc(container: Container) -> None:
    user_id = make_user(container, Role.REGISTRY_CLERK)
    expires = datetime(2027, 1, 1, 20, 41, 40, tzinfo=MEXICO)
    user_service.issue_token(container.uow(), OPERATOR, user_id, "sync", expires)
    with container.engine.connect() as connection:
        stored = connection.execute(text("SELECT expires_at FROM api_tokens")).scalar_one()
    if isinstance(stored, str):  # SQLite: text, in UTC
        assert stored.startswith("2027-01-02 02:41:40")
    else:
        assert stored == datetime(2027, 1, 2, 2, 41, 40, tzinfo=UTC)


def test_a_naive_instant_is_refused_rather_than_guessed(container: Container) -> None:
    column = UtcDateTime()
    dialect = container.engine.dialect
    with pytest.raises(ValueError, match="without a UTC offset"):
        column.process_bind_param(datetime(2099, 1, 1, 12, 0), dialect)
    bound = column.process_bind_param(datetime(2099, 1, 1, 12, 0, tzinfo=MEXICO), dialect)
    assert bound.replace(tzinfo=None) == datetime(2099, 1, 1, 18, 0)


def test_every_instant_the_api_answers_carries_its_offset(container: Container) -> None:
    make_user(container, Role.REGISTRY_CLERK, username="clerk")
    http = client(container)
    login = http.post("/api/v1/session", json={"username": "clerk", "password": PASSWORD})
    assert login.status_code == 201, login.text
    me = http.get("/api/v1/me").json()
    answer = http.post(f"/api/v1/users/{me['user_id']}/tokens",
                       headers={"X-CSRF-Token": me["csrf_token"]},
                       json={"name": "sync", "expires_at": "2027-01-01T20:41:40-06:00"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["expires_at"] == "2027-01-02T02:41:40Z"
    assert body["created_at"].endswith("Z")
