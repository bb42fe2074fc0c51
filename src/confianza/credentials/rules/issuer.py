"""Who issues the CUP credentials, where its public files live, and where each credential's
status sits in the published lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple
from urllib.parse import quote, urlsplit

from confianza.credentials.rules.compact import link as compact_link
from confianza.kit.jose import SigningKey

#: Credentials per status list: the W3C minimum, so each list hides its members in a crowd.
LIST_SIZE = 131_072
#: An odd multiplier modulo LIST_SIZE is a bijection: consecutive credentials land far apart in
#: their list, so a list's bits do not read as an issuance timeline. It hides order from a
#: glance, not from an adversary who knows the multiplier (the bits themselves are public).
_SPREAD = 92_821

PURPOSES = ("revocation", "suspension")


class StatusSlot(NamedTuple):
    number: int
    position: int


def slot_of(index: int) -> StatusSlot:
    """Where status index `index` (0, 1, 2 ... in issuance order) is published."""
    if index < 0:
        raise ValueError(f"status index {index} is negative")
    number, k = divmod(index, LIST_SIZE)
    return StatusSlot(number, (k * _SPREAD) % LIST_SIZE)


def status_list_url(base_url: str, purpose: str, number: int) -> str:
    """Where an issuer at `base_url` publishes status list `number` of `purpose`: the vc+jwt
    names it, and a compact credential (which carries only the number) finds it here."""
    return f"{base_url.rstrip('/')}/credentials/status/{purpose}/{number}"


def did_web(base_url: str) -> str:
    """The did:web identifier of a site (W3C did:web method: the host, its port
    percent-encoded, then the path's segments separated by colons)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"{base_url!r} is not an http(s) address")
    host = parts.hostname + (f"%3A{parts.port}" if parts.port else "")
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", host, *segments])


@dataclass(frozen=True)
class Issuer:
    """The certifying authority as its credentials name it.

    `base_url` is where the public reaches this system; the credential's links (status lists,
    the verification page) and the issuer's did:web are derived from it, so changing it
    after issuing breaks every credential already printed."""

    base_url: str
    key: SigningKey
    name: str = "Centro Nacional de Certificación y Acreditación"

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        did_web(self.base_url)  # refuses an address that is not http(s)

    @property
    def did(self) -> str:
        return did_web(self.base_url)

    @property
    def kid(self) -> str:
        return self.key.kid

    def status_list_url(self, purpose: str, number: int) -> str:
        return status_list_url(self.base_url, purpose, number)

    def status_list_of(self, url: str) -> tuple[str, int] | None:
        """The purpose and number of one of this issuer's status list URLs, else None."""
        prefix = f"{self.base_url}/credentials/status/"
        if not url.startswith(prefix):
            return None
        purpose, _, number = url[len(prefix):].partition("/")
        if purpose not in PURPOSES or not number.isdigit() or len(number) > 9:
            return None
        return purpose, int(number)

    def verify_url(self, token: str) -> str:
        return f"{self.base_url}/verify?credential={token}"

    def compact_url(self, text: str) -> str:
        """The link the card's QR code carries: `<base>/v/<compact credential>`."""
        return compact_link(self.base_url, text)

    @property
    def jwks_url(self) -> str:
        return f"{self.base_url}/.well-known/jwks.json"


def full_kid(did: str, kid: str) -> str:
    """A key's id as credentials name it: `<did>#<name>`; a bare name is put under `did`."""
    return kid if "#" in kid else f"{did}#{kid}"


@dataclass(frozen=True)
class StoredCredential:
    """A credential as this registry keeps it: the signed token and its published status."""

    id: int
    credential_id: str
    certificate_id: int
    officer_id: int
    kid: str
    status_index: int
    token: str
    issued_at: datetime
    valid_until: date
    revoked: bool
    suspended: bool
    status_reason: str | None
