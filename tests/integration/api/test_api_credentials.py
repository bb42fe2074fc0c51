"""CUP credentials over HTTP, on both databases: an officer's credentials behind login and
scope, the public check and its rate limit, and the issuer's public files (keys, status lists)
that let anyone verify offline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from api_support import assert_problem, audit, client, error_locations
from credential_api_support import (
    AGENCY,
    DID,
    KID,
    NAME,
    NOT_A_CREDENTIAL,
    RANK,
    VALID_FROM,
    VALID_UNTIL,
    World,
    compact_changed,
    compact_forged,
    fresh_rate_limit,
    fresh_world,
    one_character_changed,
    other_state_hr,
    qr_url_of,
    suspend,
    token_of,
)
from fastapi.testclient import TestClient
from trust_api_support import tokens

from confianza.accounts.rules.permissions import Permission
from confianza.app.bootstrap import Container
from confianza.credentials import service as credential_service
from confianza.credentials.rules.credential import StatusLists, Verdict
from confianza.kit.jose import KeySet
from confianza.kit.status_list import bit_at
from confianza.trail.rules import AuditAction
from confianza.verify import verify
from conftest import FakeClock

V1 = "/api/v1"
CACHEABLE = "public, max-age=60"


@pytest.fixture
def world(container: Container, agencies: dict[str, int],
          monkeypatch: pytest.MonkeyPatch) -> World:
    fresh_rate_limit(monkeypatch)
    return fresh_world(container, agencies)


@pytest.fixture
def http(container: Container) -> TestClient:
    return client(container)


@pytest.fixture
def hr(world: World) -> dict[str, str]:
    [headers] = tokens(world.container, world.hr)
    return headers


def check(http: TestClient, presented: str) -> dict[str, Any]:
    response = http.post(f"{V1}/credentials/verify", json={"credential": presented})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def path_of(url: str) -> str:
    """A published URL (http://127.0.0.1:8000/...) as the test client requests it."""
    return urlsplit(url).path


def fetch_over_http(http: TestClient) -> Callable[[str], str]:
    """A status list fetcher for an outside verifier, served by this app's public files."""
    def fetch(url: str) -> str:
        response = http.get(path_of(url))
        text: str = response.text
        assert response.status_code == 200, (url, text)
        return text
    return fetch


# An officer's credentials -------------------------------------------------------------------


def test_agency_hr_reads_the_officers_credential_with_its_status_and_link(
    http: TestClient, world: World, hr: dict[str, str]
) -> None:
    world.certify()
    response = http.get(f"{V1}/officers/{world.officer_id}/credentials", headers=hr)
    assert response.status_code == 200, response.text
    [credential] = response.json()
    assert credential["status"] == "valid" and credential["status_reason"] is None
    assert credential["kid"] == KID
    assert credential["credential_id"].startswith("urn:uuid:")
    assert (credential["valid_from"], credential["valid_until"]) == (
        VALID_FROM.isoformat(), VALID_UNTIL.isoformat())
    assert credential["token"].count(".") == 2 and credential["token"].startswith("eyJ")
    assert credential["verify_url"] == (
        "http://127.0.0.1:8000/verify?credential=" + credential["token"])
    assert credential["qr_url"].startswith("http://127.0.0.1:8000/v/2KC")
    # The read is audited: who looked at which officer's credentials.
    entry = audit(world.container)[-1]
    assert (entry.action, entry.actor, entry.resource_type, entry.resource_id) == (
        AuditAction.CREDENTIAL_READ, world.hr.username, "officer", str(world.officer_id))
    assert entry.detail["credentials"] == [credential["credential_id"]]


def test_the_status_shown_follows_a_suspension(
    http: TestClient, world: World, hr: dict[str, str]
) -> None:
    world.certify()
    suspend(world)
    [credential] = http.get(f"{V1}/officers/{world.officer_id}/credentials", headers=hr).json()
    assert (credential["status"], credential["status_reason"]) == ("suspended", "suspended")


def test_an_officer_without_a_certificate_has_no_credentials(
    http: TestClient, world: World, hr: dict[str, str]
) -> None:
    response = http.get(f"{V1}/officers/{world.officer_id}/credentials", headers=hr)
    assert response.status_code == 200 and response.json() == []


def test_another_states_hr_is_refused_and_the_refusal_audited(
    http: TestClient, world: World
) -> None:
    world.certify()
    outsider = other_state_hr(world)
    [headers] = tokens(world.container, outsider)
    response = http.get(f"{V1}/officers/{world.officer_id}/credentials", headers=headers)
    body = assert_problem(response, 403, "outside your scope")
    assert "token" not in response.text and "eyJ" not in response.text
    assert body["title"]
    denied = audit(world.container, AuditAction.ACCESS_DENIED)[-1]
    assert (denied.actor, denied.resource_type, denied.resource_id) == (
        outsider.username, "officer", str(world.officer_id))
    assert denied.detail["permission"] == Permission.CUP_READ.value
    assert not [e for e in audit(world.container, AuditAction.CREDENTIAL_READ)
                if e.actor == outsider.username]


def test_an_unknown_officer_is_404_naming_it(http: TestClient, world: World,
                                             hr: dict[str, str]) -> None:
    assert_problem(http.get(f"{V1}/officers/987654/credentials", headers=hr), 404,
                   "officer 987654")


def test_without_a_login_the_credentials_are_401(http: TestClient, world: World) -> None:
    world.certify()
    response = http.get(f"{V1}/officers/{world.officer_id}/credentials")
    assert_problem(response, 401)
    assert "eyJ" not in response.text


# The public check ---------------------------------------------------------------------------


def test_the_token_checks_valid_with_its_facts_and_no_login(
    http: TestClient, world: World
) -> None:
    world.certify()
    body = check(http, token_of(world))
    assert (body["verdict"], body["reason"], body["kid"]) == ("valid", "valid", KID)
    assert body["credential_id"].startswith("urn:uuid:")
    facts = body["facts"]
    assert (facts["name"], facts["rank"], facts["agency"]) == (NAME, RANK, AGENCY)
    assert (facts["valid_from"], facts["valid_until"]) == (
        VALID_FROM.isoformat(), VALID_UNTIL.isoformat())
    assert facts["certificate_number"] and facts["certificate_number"] in body["message"]


def test_the_verification_link_checks_like_the_token(http: TestClient, world: World) -> None:
    world.certify()
    token = token_of(world)
    by_link = check(http, f"http://127.0.0.1:8000/verify?credential={token}")
    assert by_link == check(http, token)
    assert by_link["verdict"] == "valid"


def test_the_cards_code_checks_like_the_token_as_a_link_or_bare(
    http: TestClient, world: World
) -> None:
    world.certify()
    by_token = check(http, token_of(world))
    link = qr_url_of(world)
    for presented in (link, link.rsplit("/", 1)[1]):
        body = check(http, presented)
        assert body == {**by_token, "credential_id": None}, presented


@pytest.mark.parametrize(("change", "verdict", "reason"), [
    (compact_changed, "altered", "bad_signature"),
    (compact_forged, "altered", "bad_signature"),
    (lambda link: compact_forged(link, kid=f"{DID}#not-ours"), "not_ours", "unknown_key"),
    (lambda link: link[:-9], "altered", "malformed"),
    (lambda link: link.replace("127.0.0.1:8000", "verifica.example.com"), "not_ours",
     "unknown_issuer"),
])
def test_an_altered_or_forged_card_code_is_refused_and_discloses_nothing(
    http: TestClient, world: World, change: Callable[[str], str], verdict: str, reason: str
) -> None:
    world.certify()
    body = check(http, change(qr_url_of(world)))
    assert (body["verdict"], body["reason"], body["facts"]) == (verdict, reason, None)
    assert NAME not in str(body)


def test_the_cards_code_follows_the_status_and_the_dates_like_the_token(
    http: TestClient, world: World, clock: FakeClock
) -> None:
    world.certify()
    token, link = token_of(world), qr_url_of(world)
    suspend(world)
    assert check(http, link)["verdict"] == check(http, token)["verdict"] == "suspended"
    clock.advance(days=(VALID_UNTIL - VALID_FROM).days + 1)
    expired = check(http, link)
    assert (expired["verdict"], expired["reason"]) == ("expired", "expired")
    assert expired["message"] == check(http, token)["message"]
    clock.advance(days=-(VALID_UNTIL - VALID_FROM).days - 2)
    early = check(http, link)
    assert (early["verdict"], early["reason"]) == ("not_yet_valid", "not_yet_valid")


def test_one_changed_character_is_altered_and_discloses_nothing(
    http: TestClient, world: World
) -> None:
    world.certify()
    body = check(http, one_character_changed(token_of(world)))
    assert (body["verdict"], body["reason"]) == ("altered", "bad_signature")
    assert body["facts"] is None
    assert NAME not in str(body)


def test_another_systems_code_is_not_ours(http: TestClient, world: World) -> None:
    body = check(http, NOT_A_CREDENTIAL)
    assert (body["verdict"], body["reason"], body["facts"]) == (
        "not_ours", "not_a_credential", None)


def test_a_suspended_officers_credential_checks_suspended(
    http: TestClient, world: World
) -> None:
    world.certify()
    token = token_of(world)
    assert check(http, token)["verdict"] == "valid"
    suspend(world)
    body = check(http, token)
    assert (body["verdict"], body["reason"]) == ("suspended", "suspended")
    assert body["facts"]["name"] == NAME  # the signature held: whose card it is, still shown


def test_an_empty_credential_is_422_naming_the_field(http: TestClient, world: World) -> None:
    response = http.post(f"{V1}/credentials/verify", json={"credential": ""})
    body = assert_problem(response, 422, "body.credential")
    assert error_locations(body) == {"body.credential"}
    missing = assert_problem(http.post(f"{V1}/credentials/verify", json={}), 422)
    assert error_locations(missing) == {"body.credential"}


def test_over_the_rate_limit_the_check_is_429_saying_when_to_return(
    http: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_rate_limit(monkeypatch, frozen=True)
    for _ in range(20):  # the burst a checkpoint may use at once
        assert http.post(f"{V1}/credentials/verify",
                         json={"credential": NOT_A_CREDENTIAL}).status_code == 200
    refused = http.post(f"{V1}/credentials/verify", json={"credential": NOT_A_CREDENTIAL})
    assert_problem(refused, 429, "too many verifications", "try again in 2 s")
    assert refused.headers["Retry-After"] == "2"
    # The page shares the allowance: switching to it does not get round the limit.
    page = http.get("/verify", params={"credential": NOT_A_CREDENTIAL})
    assert page.status_code == 429
    assert "Traceback" not in page.text


def test_the_public_check_writes_no_audit_entry(http: TestClient, world: World) -> None:
    world.certify()
    token = token_of(world)
    before = audit(world.container)
    check(http, token)
    check(http, one_character_changed(token))
    check(http, NOT_A_CREDENTIAL)
    assert http.get("/verify", params={"credential": token}).status_code == 200
    assert http.get("/credentials/status/revocation/0").status_code == 200
    assert http.get("/.well-known/jwks.json").status_code == 200
    assert audit(world.container) == before


# The issuer's public files ------------------------------------------------------------------


def test_jwks_publishes_the_public_key_only_and_may_be_cached(
    http: TestClient, world: World
) -> None:
    response = http.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/jwk-set+json")
    assert response.headers["cache-control"] == CACHEABLE
    [key] = response.json()["keys"]
    assert key["kid"] == KID
    assert (key["kty"], key["crv"]) == ("OKP", "Ed25519") and key["x"]
    assert "d" not in key


def test_the_did_document_names_the_issuer_and_its_key(http: TestClient, world: World) -> None:
    response = http.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/did+json")
    assert response.headers["cache-control"] == CACHEABLE
    document = response.json()
    assert document["id"] == DID
    [method] = document["verificationMethod"]
    assert (method["id"], method["controller"], method["type"]) == (KID, DID, "JsonWebKey")
    assert "d" not in method["publicKeyJwk"]
    assert document["assertionMethod"] == [KID]


def test_a_status_list_is_a_signed_cacheable_file_an_outsider_verifies(
    http: TestClient, world: World
) -> None:
    world.certify()
    token = token_of(world)
    response = http.get("/credentials/status/revocation/0")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vc+jwt")
    assert response.headers["cache-control"] == CACHEABLE
    # An outside verifier: keys and lists fetched as files, checked with its own code.
    jwks = http.get("/.well-known/jwks.json").json()
    keys = KeySet.from_jwks(jwks)
    now = world.container.clock()
    lists = StatusLists(keys, fetch_over_http(http), issuer=DID)
    claims = credential_service.payload_of(token)
    entries = {e["statusPurpose"]: e for e in claims["credentialStatus"]}
    revocation = entries["revocation"]
    assert path_of(revocation["statusListCredential"]) == "/credentials/status/revocation/0"
    bits = lists.bits(revocation["statusListCredential"], now, purpose="revocation")
    assert not bit_at(bits, int(revocation["statusListIndex"]))
    assert verify(token, jwks, fetch=fetch_over_http(http), now=now).verdict is Verdict.VALID
    # Suspended: the suspension list, fetched again, carries the bit; the outsider agrees.
    suspend(world)
    suspension = entries["suspension"]
    fresh = StatusLists(keys, fetch_over_http(http), issuer=DID)
    bits = fresh.bits(suspension["statusListCredential"], now, purpose="suspension")
    assert bit_at(bits, int(suspension["statusListIndex"]))
    assert verify(token, jwks, fetch=fetch_over_http(http), now=now).verdict is Verdict.SUSPENDED


def test_status_lists_that_do_not_exist_are_404(http: TestClient, world: World) -> None:
    assert http.get("/credentials/status/revocation/0").status_code == 404  # nothing issued
    world.certify()
    assert http.get("/credentials/status/revocation/0").status_code == 200
    assert http.get("/credentials/status/suspension/0").status_code == 200
    for path, status in (("/credentials/status/revocation/99", 404),
                         ("/credentials/status/bogus/0", 404),
                         ("/credentials/status/revocation/-1", 422),
                         ("/credentials/status/revocation/x", 422)):
        response = http.get(path)
        assert response.status_code == status, (path, response.status_code)
        assert "Traceback" not in response.text and "eyJ" not in response.text

