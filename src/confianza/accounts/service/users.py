"""Staff accounts, sign-in, sessions for people and tokens for machines."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from confianza.accounts.rules.permissions import (
    Actor,
    ActorKind,
    Permission,
    Role,
    Scope,
    ScopeKind,
)
from confianza.accounts.rules.users import StoredSession, TokenInfo, User
from confianza.accounts.service.authorization import require, require_holder
from confianza.core.errors import (
    Conflict,
    ErrorCollector,
    Forbidden,
    NotFound,
    Unauthenticated,
)
from confianza.registry.rules.geography import find_state
from confianza.trail.rules import AuditAction, PendingEntry
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import UnitOfWork

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
PASSWORD_MIN = 12
TOKEN_PREFIX = "cz_"

_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps the answer's timing the same,
# so response times do not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not a real password, only for constant-time refusals")


def use_test_hashing() -> None:
    """Cheap argon2 parameters, for the test environment only (the composition root calls this
    when CONFIANZA_ENVIRONMENT=test): the suite creates thousands of accounts. A hash made so
    is still argon2id, and `check_needs_rehash` upgrades it at the first sign-in under the
    normal parameters."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    _DUMMY_HASH = _hasher.hash("not a real password, only for constant-time refusals")


def hash_secret(secret: str) -> bytes:
    """Tokens are 256-bit random values, so one SHA-256 is enough (no slow hash needed)."""
    return hashlib.sha256(secret.encode()).digest()


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    password: str
    role: Role
    scope: Scope = Scope()


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    session_token: str
    csrf_token: str


@dataclass(frozen=True)
class ResolvedSession:
    actor: Actor
    csrf_token: str


def actor_for(user: User, kind: ActorKind) -> Actor:
    return Actor(user.id, user.username, user.role, user.scope, kind)


def check_new_user(new: NewUser, errors: ErrorCollector) -> None:
    if not USERNAME.match(new.username):
        errors.add("username", "must be 2-64 lower-case letters, digits, '.', '_' or '-'")
    if not new.display_name.strip() or len(new.display_name) > 200:
        errors.add("display_name", "must be 1 to 200 characters")
    if len(new.password) < PASSWORD_MIN:
        errors.add("password", f"must have at least {PASSWORD_MIN} characters")
    if new.password.lower() in {"changethis123", "password1234", "confianza123"}:
        errors.add("password", "is a well-known password")
    if new.scope.kind is ScopeKind.STATE and find_state(new.scope.state_code or "") is None:
        errors.add("scope", f"{new.scope.state_code} is not an INEGI state code")


def create_user(uow: UnitOfWork, actor: Actor, new: NewUser) -> User:
    with uow.transaction() as tx:
        require(actor, Permission.USER_MANAGE, resource_type="user")
        errors = ErrorCollector()
        check_new_user(new, errors)
        if new.scope.kind is ScopeKind.AGENCY and tx.agencies.get(new.scope.agency_id or 0) is None:
            errors.add("scope", f"agency {new.scope.agency_id} does not exist")
        errors.raise_if_any()
        if tx.users.by_username(new.username) is not None:
            raise Conflict(f"user {new.username} already exists")
        user = tx.users.add(
            username=new.username, display_name=new.display_name.strip(),
            password_hash=_hasher.hash(new.password), role=new.role, scope=new.scope, now=tx.now,
        )
        tx.audit.record(actor, AuditAction.USER_CREATE, "user", user.id,
                        detail={"role": user.role.value, "scope": user.scope.describe()})
        return user


def list_users(uow: UnitOfWork, actor: Actor) -> list[User]:
    with uow.transaction() as tx:
        require(actor, Permission.USER_MANAGE, resource_type="user")
        return tx.users.all()


def set_user_active(uow: UnitOfWork, actor: Actor, user_id: int, active: bool) -> User:
    """Deactivate or reactivate an account.

    Deactivating ends the account's sessions and revokes its tokens, so a later reactivation
    does not bring back credentials issued before it: the person signs in again and issues new
    tokens. No administrator may deactivate their own account, nor the last active
    administrator: nothing but the console could then manage accounts again."""
    attempted = AuditAction.USER_UPDATE
    with uow.transaction() as tx, refusals_recorded(actor, attempted, "user", user_id):
        require(actor, Permission.USER_MANAGE, resource_type="user", resource_id=user_id)
        target = tx.users.get(user_id)
        if target is None:
            raise NotFound(f"user {user_id} does not exist")
        if target.active == active:
            raise Conflict(f"user {target.username} is already "
                           f"{'active' if active else 'deactivated'}; nothing was changed",
                           code="unchanged")
        detail: dict[str, object] = {"active": active}
        if not active:
            if actor.user_id == user_id:
                raise Conflict("you cannot deactivate your own account; another administrator "
                               "must do it", code="own_account")
            if target.role is Role.ADMINISTRATOR and tx.users.active_administrators() == [
                    user_id]:
                raise Conflict(f"user {target.username} is the last active administrator; "
                               "make or reactivate another one first", code="last_administrator")
            sessions, tokens = tx.users.close_access(user_id, tx.now)
            detail |= {"sessions_ended": sessions, "tokens_revoked": tokens}
        tx.users.set_active(user_id, active)
        TOKENS.clear()
        SESSIONS.clear()
        tx.audit.record(actor, AuditAction.USER_UPDATE, "user", user_id, detail=detail)
        user = tx.users.get(user_id)
        assert user is not None
        return user


# One answer for every refused sign-in: an unknown account, a wrong password, a deactivated
# or a locked account must look alike, or the answer tells which accounts exist. The lockout
# may only be mentioned in general terms.
SIGN_IN_REFUSED = ("wrong username or password, or too many failed attempts: after repeated "
                   "failures sign-ins are refused for a while")


def _password_matches(stored_hash: str, password: str) -> bool:
    """The one place a password is checked (tests count the calls: every refusal must do
    this work, so that its timing does not tell one case from another)."""
    try:
        return bool(_hasher.verify(stored_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def sign_in(uow: UnitOfWork, username: str, password: str, max_failures: int) -> SignedIn:
    """Check a password and open a session; failures are recorded and rate-limited per account.

    Every path costs the same work: the failures are counted and a hash is verified even for an
    unknown username (against a dummy hash) and for a locked account (which counts its own
    failures too, so an unknown name locks alike). A locked account's password is not checked
    at all: the dummy hash stands in, so guessing during the lockout learns nothing."""
    username = username.strip().lower()  # accounts are created lower-case
    with uow.transaction() as tx:
        found = tx.users.by_username(username)
        since = tx.now - timedelta(minutes=15)
        locked = tx.users.recent_failures(username[:64], since) >= max_failures
        checked = found[1] if found is not None and not locked else _DUMMY_HASH
        matches = _password_matches(checked, password)
        if found is None or locked or not matches or not found[0].active:
            if locked:
                reason = "locked"
            elif found is None:
                reason = "unknown_account"
            elif not matches:
                reason = "wrong_password"
            else:
                reason = "deactivated"
            refusal = Unauthenticated(SIGN_IN_REFUSED)
            refusal.audit_entry = PendingEntry(
                actor=username[:64], actor_kind=ActorKind.USER.value,
                action=AuditAction.USER_LOGIN_FAILED, resource_type="user",
                resource_id=str(found[0].id) if found else None, detail={"reason": reason},
            )
            raise refusal
        user, stored_hash = found
        if _hasher.check_needs_rehash(stored_hash):
            tx.users.set_password_hash(user.id, _hasher.hash(password))
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        session_id = tx.users.add_session(user.id, hash_secret(token), csrf, tx.now)
        actor = actor_for(user, ActorKind.USER)
        tx.audit.record(actor, AuditAction.USER_LOGIN, "user", user.id,
                        detail={"session": session_id})
        return SignedIn(actor, token, csrf)


def resolve_session(
    uow: UnitOfWork, token: str, idle: timedelta, max_age: timedelta
) -> ResolvedSession:
    """The signed-in user of a session cookie. A session this process resolved within
    CONFIANZA_SESSION_CACHE_SECONDS is not read again (`SESSIONS`): the idle and age limits are
    still checked against the clock on every request."""
    key = hash_secret(token)
    stored = SESSIONS.get(key)
    if stored is None:
        with uow.transaction(read_only=True) as tx:
            stored = tx.users.session_by_hash(key)
        if stored is None or not stored.user.active:
            raise Unauthenticated("your session has ended; sign in again")
        SESSIONS.put(key, stored)
    now = uow.now()
    timed_out = now - stored.last_seen_at > idle or now - stored.created_at > max_age
    # Touch at most once a minute: a page view should not always cost a write.
    stale = now - stored.last_seen_at > timedelta(minutes=1)
    if timed_out or stale:
        with uow.transaction() as tx:
            if timed_out:
                # The session's end is itself a change worth keeping: it commits, then refuses.
                tx.users.end_session(stored.id, tx.now)
                tx.audit.record(actor_for(stored.user, ActorKind.USER), AuditAction.USER_LOGOUT,
                                "user", stored.user.id,
                                detail={"session": stored.id, "cause": "timeout"})
                SESSIONS.discard(key)
            else:
                tx.users.touch_session(stored.id, tx.now)
                SESSIONS.put(key, replace(stored, last_seen_at=tx.now))
    if timed_out:
        raise Unauthenticated("your session timed out; sign in again")
    return ResolvedSession(actor_for(stored.user, ActorKind.USER), stored.csrf_token)


ANONYMOUS = "anonymous"  # who a refused request names when no session says who sent it


def check_csrf(
    uow: UnitOfWork, actor: Actor | None, expected: str, sent: str | None, *, method: str,
    path: str,
) -> None:
    """An unsafe request made with a session (or the sign-in form, `actor` None) must carry
    its CSRF token. A refusal is recorded (`user:session:csrf_refused`): a forged cross-site
    request, or a page left open too long, is something an auditor should see. The entry names
    the session's user (else "anonymous"), the method, the path (never the query, which may
    hold typed values) and whether the token was missing or wrong; never a token."""
    # As bytes: compare_digest refuses a str with non-ASCII characters (a 500).
    if sent and expected and secrets.compare_digest(sent.encode(), expected.encode()):
        return
    refusal = Forbidden("the CSRF token is missing or wrong; reload the page")
    refusal.audit_entry = PendingEntry(
        actor=actor.username if actor else ANONYMOUS,
        actor_kind=(actor.kind if actor else ActorKind.USER).value,
        action=AuditAction.CSRF_REFUSED, resource_type="user",
        resource_id=None if actor is None or actor.user_id is None else str(actor.user_id),
        detail={"method": method, "path": path[:300], "reason": "wrong" if sent else "missing",
                **(actor.attribution() if actor else {})},
    )
    # Raised inside a transaction, so the unit of work writes the entry after the rollback,
    # as for every other refusal.
    with uow.transaction():
        raise refusal


def sign_out(uow: UnitOfWork, token: str) -> None:
    key = hash_secret(token)
    with uow.transaction() as tx:
        stored = tx.users.session_by_hash(key)
        if stored is None:
            return
        tx.users.end_session(stored.id, tx.now)
        SESSIONS.discard(key)
        tx.audit.record(actor_for(stored.user, ActorKind.USER), AuditAction.USER_LOGOUT, "user",
                        stored.user.id, detail={"session": stored.id})


def issue_token(
    uow: UnitOfWork, actor: Actor, user_id: int, name: str, expires_at: datetime | None = None
) -> tuple[TokenInfo, str]:
    """Create an API token for a user; the secret is shown once and only its hash is kept.

    A token belongs to its holder (ADR 0021): a person issues tokens for their own account
    only, whatever their role, since a token for someone else's account would let its issuer
    act, and be recorded, as that person. The one exception is the console operator (ADR
    0008), who already holds the database: the token then records who issued it, and every
    entry of an act made with it names them."""
    with uow.transaction() as tx:
        if actor.kind is not ActorKind.SYSTEM and actor.user_id != user_id:
            require_holder(actor, Permission.TOKEN_MANAGE, resource_type="user",
                           resource_id=user_id)
        if tx.users.get(user_id) is None:
            raise NotFound(f"user {user_id} does not exist")
        errors = ErrorCollector()
        if not name.strip() or len(name) > 100:
            errors.add("name", "must be 1 to 100 characters")
        if expires_at is not None and expires_at <= tx.now:
            errors.add("expires_at", "is in the past")
        errors.raise_if_any()
        # A token made with a token someone else issued keeps that issuer: otherwise one call
        # would launder the operator's token into one that looks self-issued.
        issued_by = actor.username if actor.kind is ActorKind.SYSTEM else actor.token_issuer
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token_id = tx.users.add_token(user_id, name.strip(), hash_secret(secret), tx.now,
                                      expires_at, issued_by)
        tx.audit.record(actor, AuditAction.TOKEN_CREATE, "user", user_id,
                        detail={"token": token_id, "issued_by": issued_by})
        info = tx.users.token(token_id)
        assert info is not None
        return info, secret


def revoke_token(uow: UnitOfWork, actor: Actor, token_id: int) -> None:
    with uow.transaction() as tx:
        info = tx.users.token(token_id)
        if info is None:
            raise NotFound(f"token {token_id} does not exist")
        if actor.user_id != info.user_id:
            require(actor, Permission.TOKEN_MANAGE, resource_type="user",
                    resource_id=info.user_id)
        tx.users.revoke_token(token_id, tx.now)
        TOKENS.clear()
        tx.audit.record(actor, AuditAction.TOKEN_REVOKE, "user", info.user_id,
                        detail={"token": token_id})


K = TypeVar("K")
V = TypeVar("V")


class Remembered(Generic[K, V]):
    """What this process resolved recently (API tokens, sign-in sessions), so a busy client
    does not cost a lookup per request.

    An entry lives `ttl` seconds (CONFIANZA_TOKEN_CACHE_SECONDS, CONFIANZA_SESSION_CACHE_SECONDS).
    Revoking a token, signing out or deactivating an account empties the cache of this process at
    once; another server process may honour what was revoked until its entry ages out, which
    bounds the window to `ttl`. Expiry dates and idle limits are still checked on every use,
    against the clock.
    """

    def __init__(self, ttl: float, size: int = 4096) -> None:
        self.ttl = ttl
        self._size = size
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key: K, value: V) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.clear()  # crude, but bounded; a full cache refills in seconds
            self._entries[key] = (time.monotonic() + self.ttl, value)

    def discard(self, key: K) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# One of each per process: revocations made here must reach every container of the process.
TOKENS: Remembered[bytes, tuple[User, datetime | None, str | None]] = Remembered(ttl=0)
SESSIONS: Remembered[bytes, StoredSession] = Remembered(ttl=0)


def resolve_token(uow: UnitOfWork, token: str) -> Actor:
    key = hash_secret(token)
    found = TOKENS.get(key)
    if found is None:
        with uow.transaction(read_only=True) as tx:
            found = tx.users.token_holder(key)
        if found is not None:
            TOKENS.put(key, found)
    if found is None:
        raise Unauthenticated("the API token is unknown, revoked or expired")
    user, expires_at, issued_by = found
    if not user.active or (expires_at is not None and expires_at <= uow.now()):
        raise Unauthenticated("the API token is unknown, revoked or expired")
    return replace(actor_for(user, ActorKind.TOKEN), token_issuer=issued_by)


def console_actor(uow: UnitOfWork, operator: Actor, username: str) -> Actor:
    """The account the console operator acts as (`--as` on the command line; ADR 0008).

    The result carries the account's own role and scope, so the services judge the act as that
    person's, rules of separation included. Only the console operator may ask. The entry written
    here names the operator and the account, so the trail shows which acts came from the console
    and from whom; a refusal (no such account, a deactivated one) leaves its own entry.
    """
    with uow.transaction() as tx, refusals_recorded(operator, AuditAction.USER_LOGIN, "user",
                                                    None):
        if operator.kind is not ActorKind.SYSTEM:
            raise Forbidden("only the operator at the server's console may act as an account")
        found = tx.users.by_username(username.strip().lower())
        if found is None:
            raise NotFound(f"user {username} does not exist")
        user = found[0]
        if not user.active:
            raise Conflict(f"user {user.username} is deactivated and cannot act")
        tx.audit.record(operator, AuditAction.USER_LOGIN, "user", user.id,
                        detail={"via": "console", "acting_as": user.username})
        return actor_for(user, ActorKind.USER)
