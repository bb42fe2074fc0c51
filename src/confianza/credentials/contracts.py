"""What credentials' use cases need of storage, declared on their side (ADR 0022).

The repositories implement these Protocols structurally; the use cases name only them, so
a service never imports persistence, and a test double or another store can stand in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from confianza.credentials.rules.issuer import StoredCredential


@dataclass(frozen=True)
class CertificateToIssue:
    """What a credential for one current certificate discloses, read in one query."""

    certificate_id: int
    officer_id: int
    number: str
    issued_on: date
    valid_until: date
    given_names: str
    first_surname: str
    second_surname: str | None
    agency: str
    rank: str
    officer_status: str


@dataclass(frozen=True)
class IssuerKey:
    """A signing key's public part, with when it first signed and when it was retired."""

    kid: str
    public_jwk: dict[str, Any]
    first_used_at: datetime
    retired_at: datetime | None


class CredentialStore(Protocol):
    """What the use cases need of `tx.credentials`; implemented by
    `credentials.repository.CredentialRepository`."""

    def flagged_between(self, low: int, high: int) -> Iterator[tuple[int, bool, bool]]:
        """(index, revoked, suspended) of the flagged credentials with low <= index < high: the
        partial index holds only these."""

    def highest_index(self) -> int | None: ...

    def issuer_keys(self) -> list[IssuerKey]: ...

    def last_valid_day(self, kid: str) -> date | None:
        """The last day on which a credential signed by `kid` is valid (an index lookup)."""

    def of_certificate(self, certificate_id: int) -> StoredCredential | None: ...

    def of_officer(self, officer_id: int) -> list[StoredCredential]:
        """Every credential issued to an officer, newest first."""

    def record_key(self, kid: str, public_jwk: dict[str, Any], now: datetime) -> bool:
        """Record a signing key's public part the first time it signs, retiring every other key;
        False when it was already recorded."""

    def set_status(
        self, credential_id: int, *, revoked: bool, suspended: bool, reason: str | None
    ) -> None: ...

    def take_indexes(self, count: int) -> int:
        """Reserve `count` consecutive status indexes; returns the first."""

    def to_issue(
        self,
        today: date,
        *,
        after_certificate: int = 0,
        limit: int = 10000,
        officer_id: int | None = None,
    ) -> tuple[list[CertificateToIssue], int | None]:
        """Up to `limit` current certificates (valid today) without a credential, by certificate id,
        with the officer's name and their open assignment's agency and rank; and the last
        certificate id looked at (None: nothing left), to go on from. An officer with no open
        assignment (separated) has nothing to show, and is left out."""
