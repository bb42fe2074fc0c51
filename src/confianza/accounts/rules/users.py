"""Staff accounts as the services see them (never with their password hash)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from confianza.accounts.rules.permissions import Role, Scope


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    scope: Scope
    active: bool


@dataclass(frozen=True)
class StoredSession:
    id: int
    user: User
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class TokenInfo:
    id: int
    user_id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    issued_by: str | None = None  # who issued it, when not its holder (the console operator)
