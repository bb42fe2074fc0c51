"""Staff accounts, their API tokens and their browser sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.accounts.rules.users import StoredSession, TokenInfo, User
from confianza.core.db import plain
from confianza.core.db.models import ApiTokenRow, AuditEntryRow, SessionRow, UserRow


def _user(row: UserRow) -> User:
    scope = Scope(ScopeKind(row.scope_kind), row.scope_state_code, row.scope_agency_id)
    return User(row.id, row.username, row.display_name, Role(row.role), scope, row.active)


# Every API call resolves its token: the statement is built once, plain columns, no ORM rows.
_USER_FOR_TOKEN = (
    select(
        UserRow.id, UserRow.username, UserRow.display_name, UserRow.role, UserRow.scope_kind,
        UserRow.scope_state_code, UserRow.scope_agency_id, UserRow.active,
        ApiTokenRow.expires_at, ApiTokenRow.issued_by,
    )
    .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
    .where(ApiTokenRow.token_hash == bindparam("token_hash"), ApiTokenRow.revoked_at.is_(None))
)


# ... and every page its session: the same way.
_SESSION_AND_USER = plain.Statement(
    select(
        SessionRow.__table__.c.id, SessionRow.__table__.c.csrf_token,
        SessionRow.__table__.c.created_at, SessionRow.__table__.c.last_seen_at,
        *(UserRow.__table__.c[name] for name in (
            "id", "username", "display_name", "role", "scope_kind", "scope_state_code",
            "scope_agency_id", "active")),
    )
    .join_from(SessionRow.__table__, UserRow.__table__,
               UserRow.__table__.c.id == SessionRow.__table__.c.user_id)
    .where(SessionRow.__table__.c.token_hash == bindparam("token_hash"),
           SessionRow.__table__.c.ended_at.is_(None))
)


class UserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, user_id: int) -> User | None:
        row = self._session.get(UserRow, user_id)
        return None if row is None else _user(row)

    def by_username(self, username: str) -> tuple[User, str] | None:
        """The user and their password hash (only authentication needs the hash)."""
        row = self._session.scalar(select(UserRow).where(UserRow.username == username))
        return None if row is None else (_user(row), row.password_hash)

    def all(self) -> list[User]:
        return [_user(r) for r in self._session.scalars(select(UserRow).order_by(UserRow.id))]

    def add(
        self,
        *,
        username: str,
        display_name: str,
        password_hash: str,
        role: Role,
        scope: Scope,
        now: datetime,
    ) -> User:
        row = UserRow(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            role=role.value,
            scope_kind=scope.kind.value,
            scope_state_code=scope.state_code,
            scope_agency_id=scope.agency_id,
            active=True,
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _user(row)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._session.execute(
            update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
        )

    def set_active(self, user_id: int, active: bool) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id).values(active=active))

    def recent_failures(self, username: str, since: datetime) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(AuditEntryRow)
                .where(
                    AuditEntryRow.actor == username,
                    AuditEntryRow.action == "user:session:login_failed",
                    AuditEntryRow.at >= since,
                )
            )
            or 0
        )

    def active_administrators(self) -> list[int]:
        """Ids of the active administrator accounts, locked until commit (PostgreSQL), so two
        administrators deactivating each other at once cannot both count the other as left."""
        return list(self._session.scalars(
            select(UserRow.id)
            .where(UserRow.role == Role.ADMINISTRATOR.value, UserRow.active.is_(True))
            .order_by(UserRow.id).with_for_update()
        ))

    def close_access(self, user_id: int, now: datetime) -> tuple[int, int]:
        """End an account's open sessions and revoke its live tokens: (sessions, tokens)."""
        sessions = self._session.execute(
            update(SessionRow).where(SessionRow.user_id == user_id, SessionRow.ended_at.is_(None))
            .values(ended_at=now)
        )
        tokens = self._session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return int(sessions.rowcount), int(tokens.rowcount)  # type: ignore[attr-defined]

    # Tokens -------------------------------------------------------------------------------

    def add_token(
        self, user_id: int, name: str, token_hash: bytes, now: datetime,
        expires_at: datetime | None, issued_by: str | None = None,
    ) -> int:
        result = self._session.execute(
            insert(ApiTokenRow).returning(ApiTokenRow.id),
            {"user_id": user_id, "name": name, "token_hash": token_hash, "created_at": now,
             "expires_at": expires_at, "issued_by": issued_by},
        )
        return int(result.scalar_one())

    def token_holder(
        self, token_hash: bytes
    ) -> tuple[User, datetime | None, str | None] | None:
        """The user an unrevoked token belongs to, when the token expires, and who issued it
        if that was not the user."""
        row = self._session.execute(_USER_FOR_TOKEN, {"token_hash": token_hash}).first()
        if row is None:
            return None
        (user_id, username, display_name, role, scope_kind, scope_state, scope_agency, active,
         expires_at, issued_by) = row
        scope = Scope(ScopeKind(scope_kind), scope_state, scope_agency)
        user = User(user_id, username, display_name, Role(role), scope, active)
        return user, expires_at, issued_by

    def tokens(self, user_id: int) -> list[TokenInfo]:
        rows = self._session.scalars(
            select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
        )
        return [
            TokenInfo(r.id, r.user_id, r.name, r.created_at, r.expires_at, r.revoked_at,
                      r.issued_by)
            for r in rows
        ]

    def token(self, token_id: int) -> TokenInfo | None:
        r = self._session.get(ApiTokenRow, token_id)
        if r is None:
            return None
        return TokenInfo(r.id, r.user_id, r.name, r.created_at, r.expires_at, r.revoked_at,
                         r.issued_by)

    def revoke_token(self, token_id: int, now: datetime) -> None:
        self._session.execute(
            update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(revoked_at=now)
        )

    # Sessions -----------------------------------------------------------------------------

    def add_session(self, user_id: int, token_hash: bytes, csrf_token: str, now: datetime) -> int:
        result = self._session.execute(
            insert(SessionRow).returning(SessionRow.id),
            {"user_id": user_id, "token_hash": token_hash, "csrf_token": csrf_token,
             "created_at": now, "last_seen_at": now},
        )
        return int(result.scalar_one())

    def session_by_hash(self, token_hash: bytes) -> StoredSession | None:
        row = plain.connection(self._session).execute(
            _SESSION_AND_USER, {"token_hash": token_hash}).first()
        if row is None:
            return None
        (session_id, csrf_token, created_at, last_seen_at,
         user_id, username, display_name, role, kind, state_code, agency_id, active) = row
        user = User(user_id, username, display_name, Role(role),
                    Scope(ScopeKind(kind), state_code, agency_id), active)
        return StoredSession(session_id, user, csrf_token, created_at, last_seen_at)

    def touch_session(self, session_id: int, now: datetime) -> None:
        self._session.execute(
            update(SessionRow).where(SessionRow.id == session_id).values(last_seen_at=now)
        )

    def end_session(self, session_id: int, now: datetime) -> None:
        self._session.execute(
            update(SessionRow).where(SessionRow.id == session_id).values(ended_at=now)
        )
