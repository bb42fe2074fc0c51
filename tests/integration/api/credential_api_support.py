"""Support for the credential API and page tests: the service tests' world with a certified
officer, and the ways a presented credential goes wrong.

The world (a Jalisco centre and its staff, HR scoped to JAL-SSP, one officer) is built by
tests/integration/services/evaluation_support.py; this module puts that folder on the import
path (pytest only adds the folder of the test being collected). The page tests import this
module too, after putting this folder on the path.
"""

from __future__ import annotations

import base64
import json
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from evaluation_support import (  # noqa: E402
    OPERATOR,
    PASSWORD,
    World,
    build_world,
    person,
)

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind  # noqa: E402
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.core.web import rate_limit
from confianza.credentials import service as credential_service
from confianza.registry.rules.officers import OfficerStatus  # noqa: E402
from confianza.registry.service import officers as officer_service

__all__ = ["OPERATOR", "PASSWORD", "World", "build_world", "person"]

# What the certified officer's credential says (evaluation_support's officer, certified on the
# conftest clock's day, 20 November 2026; the CUP runs to the earliest component's end).
NAME = "Ana Luisa Ortega Vela"
RANK = "Policía"
AGENCY = "Secretaría de Seguridad de Jalisco"
VALID_FROM = date(2026, 11, 20)
VALID_UNTIL = date(2029, 3, 1)
KID = "did:web:127.0.0.1%3A8000#test-key"
DID = "did:web:127.0.0.1%3A8000"
NOT_A_CREDENTIAL = "https://example.org/qr?x=1"


def fresh_world(container: Container, agencies: dict[str, int]) -> World:
    # The published lists and keys another test's database signed must not answer this one's.
    credential_service.forget_published()
    return build_world(container, agencies)


def token_of(world: World, officer_id: int | None = None) -> str:
    """The officer's one credential, read as the operator (so that the tests' own audit counts
    see only what the requests under test write)."""
    [view] = credential_service.officer_credentials(world.uow, OPERATOR,
                                                    officer_id or world.officer_id,
                                                    issuer=world.container.issuer)
    return view.credential.token


def suspend(world: World, officer_id: int | None = None) -> None:
    officer_service.change_status(world.uow, OPERATOR, officer_id or world.officer_id,
                                  OfficerStatus.SUSPENDED, "internal affairs inquiry")
    # What this process signed before the change would otherwise answer for a minute more.
    credential_service.forget_published()


def other_state_hr(world: World) -> Actor:
    """Agency HR of Nuevo León's force: outside the Jalisco officer's holder."""
    return person(world.container, Role.AGENCY_HR, "rh-nuevo-leon",
                  Scope(ScopeKind.AGENCY, agency_id=world.agencies["NL-FC"]))


def one_character_changed(token: str) -> str:
    """The token with one character of its payload replaced by another base64url character
    (still decodable, so only the signature can tell)."""
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    swapped = "B" if payload[middle] != "B" else "C"
    return ".".join((header, payload[:middle] + swapped + payload[middle + 1:], signature))


def promoted(token: str, rank: str = "Comisario General") -> str:
    """The token with a forged rank in its claims, re-encoded but not re-signed."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["rank"] = rank
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return ".".join((header, forged, signature))


def fresh_rate_limit(monkeypatch: pytest.MonkeyPatch, *, frozen: bool = False) -> None:
    """Each application has its own limit (app.state.verify_limit), so a test's client starts
    with a full allowance; with `frozen`, stop the limit's clock so that nothing refills
    while a test counts."""
    if frozen:
        monkeypatch.setattr(rate_limit, "time", SimpleNamespace(monotonic=lambda: 1000.0))


def qr_url_of(world: World, officer_id: int | None = None) -> str:
    """What the officer's card's QR code carries: the compact credential's link."""
    [view] = credential_service.officer_credentials(world.uow, OPERATOR,
                                                    officer_id or world.officer_id,
                                                    issuer=world.container.issuer)
    return view.qr_url


def compact_changed(link: str) -> str:
    """The card's link with one character of the compact credential, in its claims, replaced
    by another base32 character (still decodable, so only the signature can tell)."""
    base, text = link.rsplit("/", 1)
    middle = len(text) // 2
    swapped = "B" if text[middle] != "B" else "C"
    return f"{base}/{text[:middle]}{swapped}{text[middle + 1:]}"


def compact_forged(link: str, *, kid: str = KID) -> str:
    """The card's link with its compact credential's claims signed again by a key that is not
    the issuer's, under `kid`'s name (the issuer's, by default)."""
    import cbor2

    from confianza.credentials.rules import compact
    from confianza.kit import cose
    from confianza.kit.jose import SigningKey

    base, text = link.rsplit("/", 1)
    payload = cbor2.loads(compact.from_text(text)).value[2]
    forger = SigningKey.generate(kid)
    signed = cose.sign1(forger, kid.rsplit("#", 1)[-1], payload, DID.encode())
    return f"{base}/{compact.to_text(signed)}"
