"""Request and response bodies of the account, token and session routes."""

from __future__ import annotations

from pydantic import AwareDatetime, Field, model_validator

from confianza.accounts.rules.permissions import ActorKind, Permission, Role, Scope, ScopeKind
from confianza.accounts.service.users import PASSWORD_MIN
from confianza.core.web.schemas import Input, Instant, Output


class ScopeOut(Output):
    kind: ScopeKind
    state_code: str | None = None
    agency_id: int | None = None

class ScopeIn(Input):
    kind: ScopeKind = ScopeKind.NATIONAL
    state_code: str | None = Field(None, pattern=r"^(0[1-9]|[12][0-9]|3[0-2])$")
    agency_id: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> ScopeIn:
        if self.kind is ScopeKind.STATE and not self.state_code:
            raise ValueError("a state scope needs state_code")
        if self.kind is ScopeKind.AGENCY and self.agency_id is None:
            raise ValueError("an agency scope needs agency_id")
        if self.kind is ScopeKind.NATIONAL and (self.state_code or self.agency_id):
            raise ValueError("a national scope takes neither state_code nor agency_id")
        return self

    def to_domain(self) -> Scope:
        return Scope(self.kind, self.state_code, self.agency_id)


class UserIn(Input):
    username: str = Field(min_length=2, max_length=64, examples=["ana.lopez"])
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=PASSWORD_MIN, max_length=256)
    role: Role
    scope: ScopeIn = Field(default_factory=ScopeIn)


class UserOut(Output):
    id: int
    username: str
    display_name: str
    role: Role
    scope: ScopeOut
    active: bool


class UserList(Output):
    items: list[UserOut]


class TokenIn(Input):
    name: str = Field(min_length=1, max_length=100, description="What the token is for.")
    expires_at: AwareDatetime | None = Field(
        None, description="RFC 3339 with a time zone; never expires when omitted."
    )


class TokenOut(Output):
    id: int
    user_id: int
    name: str
    created_at: Instant
    expires_at: Instant | None
    revoked_at: Instant | None


class IssuedToken(TokenOut):
    secret: str = Field(description="Shown this once; only its hash is kept. Send it as "
                        "`Authorization: Bearer <secret>`.")


class Revoked(Output):
    id: int
    revoked: bool = True


class MeOut(Output):
    user_id: int | None
    username: str
    role: Role
    scope: ScopeOut
    kind: ActorKind = Field(description="`user` (session) or `token` (API token).")
    permissions: list[Permission]
    csrf_token: str | None = Field(
        None, description="For a session: the value to send in X-CSRF-Token."
    )


class LoginIn(Input):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class SessionOut(Output):
    username: str
    role: Role
    scope: ScopeOut
    csrf_token: str = Field(description="Send it in X-CSRF-Token with every unsafe request.")


class SignedOut(Output):
    signed_out: bool = True
