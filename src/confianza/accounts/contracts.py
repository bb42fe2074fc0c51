"""What accounts' use cases need of storage, declared on their side (ADR 0022).

The repositories implement these Protocols structurally; the use cases name only them, so
a service never imports persistence, and a test double or another store can stand in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from confianza.accounts.rules.permissions import Role, Scope
from confianza.accounts.rules.users import StoredSession, TokenInfo, User


class UserStore(Protocol):
    """What the use cases need of `tx.users`; implemented by
    `accounts.repository.UserRepository`."""

    def active_administrators(self) -> list[int]:
        """Ids of the active administrator accounts, locked until commit (PostgreSQL), so two
        administrators deactivating each other at once cannot both count the other as left."""

    def add(
        self,
        *,
        username: str,
        display_name: str,
        password_hash: str,
        role: Role,
        scope: Scope,
        now: datetime,
    ) -> User: ...

    def add_session(
        self, user_id: int, token_hash: bytes, csrf_token: str, now: datetime
    ) -> int: ...

    def add_token(
        self,
        user_id: int,
        name: str,
        token_hash: bytes,
        now: datetime,
        expires_at: datetime | None,
        issued_by: str | None = None,
    ) -> int: ...

    def all(self) -> list[User]: ...

    def by_username(self, username: str) -> tuple[User, str] | None:
        """The user and their password hash (only authentication needs the hash)."""

    def close_access(self, user_id: int, now: datetime) -> tuple[int, int]:
        """End an account's open sessions and revoke its live tokens: (sessions, tokens)."""

    def end_session(self, session_id: int, now: datetime) -> None: ...

    def get(self, user_id: int) -> User | None: ...

    def recent_failures(self, username: str, since: datetime) -> int: ...

    def revoke_token(self, token_id: int, now: datetime) -> None: ...

    def session_by_hash(self, token_hash: bytes) -> StoredSession | None: ...

    def set_active(self, user_id: int, active: bool) -> None: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    def token(self, token_id: int) -> TokenInfo | None: ...

    def token_holder(self, token_hash: bytes) -> tuple[User, datetime | None, str | None] | None:
        """The user an unrevoked token belongs to, when the token expires, and who issued it if that
        was not the user."""

    def touch_session(self, session_id: int, now: datetime) -> None: ...
