"""The CUP credential: what it says, and every way a check of it ends (never VALID by mistake)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from confianza.credentials.rules.credential import (
    CIVIL_ZONE,
    CONTEXT,
    CREDENTIAL_TYPE,
    MEDIA_TYPE,
    Check,
    CredentialError,
    CupFacts,
    StatusLists,
    StatusUnavailable,
    Verdict,
    cup_credential,
    extract_token,
    facts_of,
    verify_credential,
)
from confianza.kit.jose import KeySet, SigningKey, b64url_decode, b64url_encode
from confianza.kit.status_list import (
    MIN_ENTRIES,
    REVOCATION,
    SUSPENSION,
    encode_list,
    set_bit,
    status_entry,
    status_list_credential,
)

ISSUER = "did:web:confianza.example.gob.mx"
BASE = "https://confianza.example.gob.mx"
REVOCATION_URL = f"{BASE}/status/revocation/1"
SUSPENSION_URL = f"{BASE}/status/suspension/1"
FACTS = CupFacts(certificate_number="CUP-2025-0001234", name="Ana María López Ruiz",
                 agency="Secretaría de Seguridad Ciudadana de la Ciudad de México",
                 rank="Policía Segundo", valid_from=date(2025, 6, 1),
                 valid_until=date(2028, 5, 31))
# Noon in Mexico City, inside the CUP's dates.
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=CIVIL_ZONE)


def entries(index: int) -> list[dict[str, str]]:
    return [status_entry(REVOCATION_URL, index, REVOCATION),
            status_entry(SUSPENSION_URL, index, SUSPENSION)]


@dataclass
class Issuer:
    """A small issuer: one key, two status lists served by a fake fetch."""

    key: SigningKey = field(default_factory=lambda: SigningKey.generate("confianza-2026-01"))
    revoked: set[int] = field(default_factory=set)
    suspended: set[int] = field(default_factory=set)
    list_from: datetime = NOW - timedelta(hours=1)
    list_until: datetime = NOW + timedelta(hours=6)
    fetched: list[str] = field(default_factory=list)
    overrides: dict[str, Callable[[], str]] = field(default_factory=dict)

    @property
    def keys(self) -> KeySet:
        return KeySet.of(self.key.public_jwk())

    def issue(self, index: int = 7, facts: CupFacts = FACTS, *, typ: str = MEDIA_TYPE,
              key: SigningKey | None = None, **change: Any) -> str:
        credential = cup_credential(issuer=ISSUER, credential_id=f"urn:uuid:cup-{index}",
                                    facts=facts, status=entries(index))
        credential.update(change)
        return (key or self.key).sign(credential, typ)

    def status_list(self, url: str, purpose: str, *, key: SigningKey | None = None,
                    issuer: str = ISSUER) -> str:
        bits = bytearray(MIN_ENTRIES // 8)
        for index in self.revoked if purpose == REVOCATION else self.suspended:
            set_bit(bits, index, True)
        return (key or self.key).sign(status_list_credential(
            issuer=issuer, list_url=url, purpose=purpose, encoded=encode_list(bytes(bits)),
            valid_from=self.list_from, valid_until=self.list_until), MEDIA_TYPE)

    def fetch(self, url: str) -> str:
        self.fetched.append(url)
        if url in self.overrides:
            return self.overrides[url]()
        if url == REVOCATION_URL:
            return self.status_list(url, REVOCATION)
        if url == SUSPENSION_URL:
            return self.status_list(url, SUSPENSION)
        raise OSError(f"404 Not Found: {url}")

    def status(self, **kwargs: Any) -> StatusLists:
        return StatusLists(self.keys, self.fetch, **kwargs)

    def check(self, presented: str, *, now: datetime = NOW, **kwargs: Any) -> Check:
        return verify_credential(presented, self.keys, self.status(), now=now, **kwargs)


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


def expect(check: Check, verdict: Verdict, reason: str, *words: str) -> None:
    assert (check.verdict, check.reason) == (verdict, reason), check
    assert check.message
    for word in words:
        assert word in check.message, check.message
    assert (check.verdict is Verdict.VALID) == check.valid


# --- the credential ---

def test_the_credential_says_what_the_cup_says_and_nothing_else() -> None:
    credential = cup_credential(issuer=ISSUER, credential_id="urn:uuid:cup-7", facts=FACTS,
                                status=entries(7))
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:cup-7",
        "type": ["VerifiableCredential", "CertificadoUnicoPolicial"],
        "issuer": ISSUER,
        "validFrom": "2025-06-01T00:00:00-06:00",
        "validUntil": "2028-06-01T00:00:00-06:00",
        "credentialSubject": {
            "type": "Policia",
            "name": "Ana María López Ruiz",
            "agency": "Secretaría de Seguridad Ciudadana de la Ciudad de México",
            "rank": "Policía Segundo",
            "certificateNumber": "CUP-2025-0001234",
        },
        "credentialStatus": entries(7),
    }
    assert facts_of(credential) == FACTS
    json.dumps(credential)


def test_the_signed_token_payload_is_the_credential_itself(issuer: Issuer) -> None:
    """VC-JOSE-COSE: no `vc` claim around it, no JWT claims added."""
    payload = json.loads(b64url_decode(issuer.issue().split(".")[1]))
    assert "vc" not in payload and "iss" not in payload and "exp" not in payload
    assert payload["type"] == ["VerifiableCredential", CREDENTIAL_TYPE]
    assert payload["@context"] == [CONTEXT]


@pytest.mark.parametrize(("valid_from", "valid_until"), [
    (date(2025, 1, 1), date(2025, 1, 1)),
    (date(2024, 2, 29), date(2027, 2, 28)),
    (date(2025, 12, 31), date(2026, 1, 1)),
])
def test_facts_round_trip_through_the_civil_dates(valid_from: date, valid_until: date) -> None:
    facts = CupFacts("N-1", "Ana", "SSC", "Policía", valid_from, valid_until)
    credential = cup_credential(issuer=ISSUER, credential_id="urn:x", facts=facts,
                                status=entries(1))
    assert facts_of(credential) == facts
    assert credential["validFrom"] == f"{valid_from.isoformat()}T00:00:00-06:00"
    assert credential["validUntil"] == (
        f"{(valid_until + timedelta(days=1)).isoformat()}T00:00:00-06:00")


@pytest.mark.parametrize(("change", "message"), [
    ({"credentialSubject": None}, "credentialSubject"),
    ({"credentialSubject": {"name": "Ana"}}, "credentialSubject.agency"),
    ({"validFrom": None}, "validFrom is missing"),
    ({"validUntil": "tomorrow"}, "validUntil 'tomorrow'"),
    ({"validUntil": "2025-06-01T00:00:00-06:00"}, "not after its validFrom"),
])
def test_facts_of_names_the_missing_member(change: dict[str, Any], message: str) -> None:
    credential = cup_credential(issuer=ISSUER, credential_id="urn:x", facts=FACTS,
                                status=entries(1))
    credential.update(change)
    with pytest.raises(CredentialError, match=message):
        facts_of(credential)


def test_a_credential_that_cannot_be_issued_is_refused() -> None:
    backwards = CupFacts("N-1", "Ana", "SSC", "Policía", date(2026, 1, 2), date(2026, 1, 1))
    with pytest.raises(CredentialError, match="before its valid_from"):
        cup_credential(issuer=ISSUER, credential_id="urn:x", facts=backwards, status=entries(1))
    nameless = CupFacts("N-1", " ", "SSC", "Policía", date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(CredentialError, match="facts.name"):
        cup_credential(issuer=ISSUER, credential_id="urn:x", facts=nameless, status=entries(1))
    with pytest.raises(CredentialError, match=r"status\[0\].statusListIndex"):
        cup_credential(issuer=ISSUER, credential_id="urn:x", facts=FACTS,
                       status=[{**entries(1)[0], "statusListIndex": "x"}])


# --- extracting the token ---

def test_extract_token_from_a_token_or_a_verification_link(issuer: Issuer) -> None:
    token = issuer.issue()
    assert extract_token(token) == token
    assert extract_token(f"  {token}\n") == token
    assert extract_token(f"{BASE}/verify?credential={token}") == token
    assert extract_token(f"https://other.host.mx/verify?lang=es&credential={quote(token)}") == (
        token)
    assert extract_token(f"HTTP://mirror.example/v?credential={token}#top") == token
    # Cut short, it is still taken for a token: its check then says it is malformed.
    assert extract_token(token[:30]) == token[:30]


@pytest.mark.parametrize("presented", [
    "", "   ", "hello", "CUP-2025-0001234", "https://example.com/", "https://example.com/?id=5",
    "https://example.com/verify?credential=not-a-token",
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD", "WIFI:S:red;T:WPA;P:secreto;;",
    "ftp://x.example/?credential=eyJ.e30.AA", "e30.e30.AAAA",
    "https://example.com/verify?credential=a&credential=b",
])
def test_extract_token_refuses_anything_else(presented: str) -> None:
    assert extract_token(presented) is None


# --- verification: the good cases ---

def test_a_good_credential_is_valid(issuer: Issuer) -> None:
    check = issuer.check(issuer.issue())
    expect(check, Verdict.VALID, "valid", "CUP-2025-0001234")
    assert check.facts == FACTS
    assert check.credential_id == "urn:uuid:cup-7"
    assert check.kid == "confianza-2026-01"


def test_a_verification_link_is_checked_like_its_token(issuer: Issuer) -> None:
    expect(issuer.check(f"{BASE}/verify?credential={issuer.issue()}"), Verdict.VALID, "valid")


def test_the_application_media_type_spelling_is_accepted(issuer: Issuer) -> None:
    expect(issuer.check(issuer.issue(typ="application/vc+jwt")), Verdict.VALID, "valid")


def test_a_credential_signed_by_a_retired_key_still_verifies(issuer: Issuer) -> None:
    retired = SigningKey.generate("confianza-2024-01")
    token = issuer.issue(key=retired)
    keys = KeySet.of(issuer.key.public_jwk(), retired.public_jwk())
    check = verify_credential(token, keys, StatusLists(keys, issuer.fetch), now=NOW)
    expect(check, Verdict.VALID, "valid")
    assert check.kid == "confianza-2024-01"
    # Once the retired key leaves the published set, what it signed is no longer ours.
    expect(issuer.check(token), Verdict.NOT_OURS, "unknown_key", "confianza-2024-01")


def test_validity_is_inclusive_of_the_last_civil_day(issuer: Issuer) -> None:
    token = issuer.issue()
    first = datetime(2025, 6, 1, 0, 0, tzinfo=CIVIL_ZONE)
    last = datetime(2028, 5, 31, 23, 59, 59, tzinfo=CIVIL_ZONE)
    issuer.list_from, issuer.list_until = first - timedelta(days=1), last + timedelta(days=2)
    expect(issuer.check(token, now=first - timedelta(seconds=1)), Verdict.NOT_YET_VALID,
           "not_yet_valid", "2025-06-01")
    expect(issuer.check(token, now=first), Verdict.VALID, "valid")
    expect(issuer.check(token, now=last), Verdict.VALID, "valid")
    expect(issuer.check(token, now=last + timedelta(seconds=1)), Verdict.EXPIRED, "expired",
           "2028-05-31")
    # The same instants in UTC: 06:00 there is midnight in Mexico City.
    expect(issuer.check(token, now=datetime(2028, 6, 1, 5, 59, 59, tzinfo=UTC)), Verdict.VALID,
           "valid")
    expect(issuer.check(token, now=datetime(2028, 6, 1, 6, 0, tzinfo=UTC)), Verdict.EXPIRED,
           "expired")


# --- verification: bad input, each with its reason, never VALID ---

def test_truncated_tokens_are_altered(issuer: Issuer) -> None:
    token = issuer.issue()
    for cut in (len(token) - 1, len(token) - 40, token.rindex("."), token.rindex(".") + 1,
                token.index(".") + 20, token.index("."), 10, 4):
        check = issuer.check(token[:cut])
        assert check.verdict is Verdict.ALTERED, (cut, check)
        assert check.reason in ("malformed", "bad_signature")
        assert check.facts is None


def test_every_single_character_change_is_refused(issuer: Issuer) -> None:
    token = issuer.issue()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    status = issuer.status()
    for position, char in enumerate(token):
        if char == ".":
            continue
        changed = alphabet[(alphabet.index(char) + 1) % 64]
        altered = token[:position] + changed + token[position + 1:]
        check = verify_credential(altered, issuer.keys, status, now=NOW)
        assert check.verdict in (Verdict.ALTERED, Verdict.NOT_OURS), (position, check)


def test_an_altered_payload_is_altered(issuer: Issuer) -> None:
    token = issuer.issue()
    header, payload, signature = token.split(".")
    credential = json.loads(b64url_decode(payload))
    credential["credentialSubject"]["rank"] = "Comisario General"
    forged = b64url_encode(json.dumps(credential).encode())
    expect(issuer.check(f"{header}.{forged}.{signature}"), Verdict.ALTERED, "bad_signature",
           "does not verify")
    credential = json.loads(b64url_decode(payload))
    credential["validUntil"] = "2099-01-01T00:00:00-06:00"
    forged = b64url_encode(json.dumps(credential).encode())
    expect(issuer.check(f"{header}.{forged}.{signature}"), Verdict.ALTERED, "bad_signature")


def test_an_altered_signature_is_altered(issuer: Issuer) -> None:
    token = issuer.issue()
    signed, _, signature = token.rpartition(".")
    flipped = bytearray(b64url_decode(signature))
    flipped[0] ^= 0x40
    expect(issuer.check(f"{signed}.{b64url_encode(bytes(flipped))}"), Verdict.ALTERED,
           "bad_signature")


def test_a_wrong_typ_is_altered(issuer: Issuer) -> None:
    for typ in ("JWT", "vc+sd-jwt", "vp+jwt"):
        expect(issuer.check(issuer.issue(typ=typ)), Verdict.ALTERED, "wrong_type", typ)


def test_alg_none_is_altered(issuer: Issuer) -> None:
    payload = issuer.issue().split(".")[1]
    header = b64url_encode(json.dumps(
        {"alg": "none", "kid": issuer.key.kid, "typ": "vc+jwt"}).encode())
    expect(issuer.check(f"{header}.{payload}."), Verdict.ALTERED, "alg_not_allowed", "none")


def test_an_unknown_kid_is_not_ours(issuer: Issuer) -> None:
    stranger = SigningKey.generate("someone-else-2026")
    check = issuer.check(issuer.issue(key=stranger))
    expect(check, Verdict.NOT_OURS, "unknown_key", "someone-else-2026")
    assert check.kid == "someone-else-2026" and check.facts is None


def test_our_kid_on_another_key_is_altered(issuer: Issuer) -> None:
    impostor = SigningKey.generate(issuer.key.kid)
    expect(issuer.check(issuer.issue(key=impostor)), Verdict.ALTERED, "bad_signature")


def test_expired_and_not_yet_valid(issuer: Issuer) -> None:
    past = CupFacts("CUP-2020-1", "Ana", "SSC", "Policía", date(2020, 1, 1), date(2023, 1, 1))
    check = issuer.check(issuer.issue(facts=past))
    expect(check, Verdict.EXPIRED, "expired", "CUP-2020-1", "2023-01-01")
    assert check.facts == past
    future = CupFacts("CUP-2027-1", "Ana", "SSC", "Policía", date(2027, 1, 1), date(2030, 1, 1))
    expect(issuer.check(issuer.issue(facts=future)), Verdict.NOT_YET_VALID, "not_yet_valid",
           "2027-01-01")


def test_expired_is_reported_even_when_the_status_is_unknown(issuer: Issuer) -> None:
    past = CupFacts("CUP-2020-1", "Ana", "SSC", "Policía", date(2020, 1, 1), date(2023, 1, 1))
    token = issuer.issue(facts=past)
    expect(verify_credential(token, issuer.keys, None, now=NOW), Verdict.EXPIRED, "expired")
    issuer.overrides[REVOCATION_URL] = issuer.overrides[SUSPENSION_URL] = _raise
    expect(issuer.check(token), Verdict.EXPIRED, "expired")


def _raise() -> str:
    raise TimeoutError("timed out")


def test_a_status_list_that_cannot_be_fetched_is_status_unknown(issuer: Issuer) -> None:
    issuer.overrides[REVOCATION_URL] = _raise
    check = issuer.check(issuer.issue())
    expect(check, Verdict.STATUS_UNKNOWN, "status_unavailable", REVOCATION_URL, "timed out")
    assert check.facts == FACTS  # the signature held: who it is may be shown, not "valid"


def test_a_fetch_failure_without_words_is_still_named(issuer: Issuer) -> None:
    def silent() -> str:
        raise ConnectionResetError()

    issuer.overrides[REVOCATION_URL] = silent
    expect(issuer.check(issuer.issue()), Verdict.STATUS_UNKNOWN, "status_unavailable",
           "ConnectionResetError")


def test_no_status_source_is_status_unknown(issuer: Issuer) -> None:
    expect(verify_credential(issuer.issue(), issuer.keys, None, now=NOW),
           Verdict.STATUS_UNKNOWN, "status_unavailable")


def test_a_status_list_signed_by_an_unknown_key_is_status_unknown(issuer: Issuer) -> None:
    stranger = SigningKey.generate("stranger")
    issuer.overrides[SUSPENSION_URL] = lambda: issuer.status_list(SUSPENSION_URL, SUSPENSION,
                                                                  key=stranger)
    expect(issuer.check(issuer.issue()), Verdict.STATUS_UNKNOWN, "status_invalid",
           SUSPENSION_URL, "'stranger'")


@pytest.mark.parametrize("served", [
    "",
    "<html>503 Service Unavailable</html>",
    "eyJhbGciOiJFZDI1NTE5In0.e30.AAAA",
])
def test_a_status_list_that_is_not_a_signed_list_is_status_unknown(issuer: Issuer,
                                                                    served: str) -> None:
    issuer.overrides[REVOCATION_URL] = lambda: served
    expect(issuer.check(issuer.issue()), Verdict.STATUS_UNKNOWN, "status_invalid",
           REVOCATION_URL)


def test_one_list_served_for_another_is_status_unknown(issuer: Issuer) -> None:
    """A list signed by us but published at another URL (here the suspension list served as
    the revocation list, where no bit is set) must not stand in for the right one."""
    issuer.revoked.add(7)
    issuer.overrides[REVOCATION_URL] = lambda: issuer.status_list(SUSPENSION_URL, SUSPENSION)
    expect(issuer.check(issuer.issue()), Verdict.STATUS_UNKNOWN, "status_invalid", "says it is")


def test_a_list_whose_purpose_does_not_match_is_status_unknown(issuer: Issuer) -> None:
    issuer.overrides[REVOCATION_URL] = lambda: issuer.status_list(REVOCATION_URL, SUSPENSION)
    expect(issuer.check(issuer.issue()), Verdict.STATUS_UNKNOWN, "status_invalid", "purpose")


def test_a_list_from_another_issuer_is_status_unknown(issuer: Issuer) -> None:
    issuer.overrides[REVOCATION_URL] = lambda: issuer.status_list(
        REVOCATION_URL, REVOCATION, issuer="did:web:elsewhere.example")
    expect(issuer.check(issuer.issue()), Verdict.STATUS_UNKNOWN, "status_invalid",
           "did:web:elsewhere.example")


def test_a_stale_status_list_is_status_unknown(issuer: Issuer) -> None:
    issuer.list_from, issuer.list_until = NOW - timedelta(days=2), NOW - timedelta(days=1)
    expect(issuer.check(issuer.issue()), Verdict.STATUS_UNKNOWN, "status_stale",
           "out of date")


def test_a_status_list_not_yet_valid_is_status_unknown(issuer: Issuer) -> None:
    issuer.list_from, issuer.list_until = NOW + timedelta(hours=1), NOW + timedelta(days=1)
    expect(issuer.check(issuer.issue()), Verdict.STATUS_UNKNOWN, "status_invalid",
           "valid only from")


def test_a_revoked_credential_is_revoked(issuer: Issuer) -> None:
    issuer.revoked.add(7)
    check = issuer.check(issuer.issue(7))
    expect(check, Verdict.REVOKED, "revoked", "CUP-2025-0001234", "entry 7")
    assert check.facts == FACTS
    # Its neighbours in the list are untouched.
    expect(issuer.check(issuer.issue(6)), Verdict.VALID, "valid")
    expect(issuer.check(issuer.issue(8)), Verdict.VALID, "valid")


def test_a_suspended_credential_is_suspended_and_comes_back(issuer: Issuer) -> None:
    issuer.suspended.add(7)
    token = issuer.issue(7)
    expect(issuer.check(token), Verdict.SUSPENDED, "suspended", "entry 7")
    issuer.suspended.clear()
    expect(issuer.check(token), Verdict.VALID, "valid")


def test_revoked_wins_over_suspended_and_over_an_unknown_suspension(issuer: Issuer) -> None:
    issuer.revoked.add(7)
    issuer.suspended.add(7)
    expect(issuer.check(issuer.issue(7)), Verdict.REVOKED, "revoked")
    issuer.overrides[SUSPENSION_URL] = _raise
    expect(issuer.check(issuer.issue(7)), Verdict.REVOKED, "revoked")


def test_suspended_is_said_even_if_the_revocation_list_is_unknown(issuer: Issuer) -> None:
    issuer.suspended.add(7)
    issuer.overrides[REVOCATION_URL] = _raise
    expect(issuer.check(issuer.issue(7)), Verdict.SUSPENDED, "suspended")


def test_a_status_index_beyond_the_list_is_status_unknown(issuer: Issuer) -> None:
    expect(issuer.check(issuer.issue(MIN_ENTRIES + 5)), Verdict.STATUS_UNKNOWN,
           "status_invalid", "outside the status list")


def test_a_credential_without_a_revocation_entry_is_status_unknown(issuer: Issuer) -> None:
    for status in ([], [status_entry(SUSPENSION_URL, 7, SUSPENSION)], None):
        token = issuer.issue(credentialStatus=status)
        expect(issuer.check(token), Verdict.STATUS_UNKNOWN, "status_invalid", "credentialStatus"
               if status != [status_entry(SUSPENSION_URL, 7, SUSPENSION)] else "revocation")


def test_a_single_status_object_is_read_like_a_list(issuer: Issuer) -> None:
    issuer.revoked.add(7)
    token = issuer.issue(credentialStatus=status_entry(REVOCATION_URL, 7, REVOCATION))
    expect(issuer.check(token), Verdict.REVOKED, "revoked")


@pytest.mark.parametrize("presented", [
    "https://www.google.com/search?q=policia",
    "https://other-state.example/verify?id=CUP-2025-0001234",
    "Texto cualquiera de otro sistema",
    "BEGIN:VCARD\nFN:Ana\nEND:VCARD",
    "",
])
def test_text_from_another_system_is_not_ours(issuer: Issuer, presented: str) -> None:
    check = issuer.check(presented)
    expect(check, Verdict.NOT_OURS, "not_a_credential")
    assert check.facts is None and check.kid is None


def test_a_token_of_ours_that_is_not_a_cup_is_not_ours(issuer: Issuer) -> None:
    list_token = issuer.status_list(REVOCATION_URL, REVOCATION)
    expect(issuer.check(list_token), Verdict.NOT_OURS, "not_a_cup")
    expect(issuer.check(issuer.issue(type=["VerifiableCredential"])), Verdict.NOT_OURS,
           "not_a_cup")
    old_context: dict[str, Any] = {"@context": ["https://www.w3.org/2018/credentials/v1"]}
    expect(issuer.check(issuer.issue(**old_context)), Verdict.NOT_OURS, "not_a_cup")


def test_another_issuer_named_in_the_credential_is_not_ours(issuer: Issuer) -> None:
    token = issuer.issue(issuer="did:web:elsewhere.example")
    expect(issuer.check(token, issuer=ISSUER), Verdict.NOT_OURS, "unknown_issuer",
           "did:web:elsewhere.example")
    check = verify_credential(token, issuer.keys, issuer.status(issuer=ISSUER), now=NOW)
    expect(check, Verdict.NOT_OURS, "unknown_issuer")
    # Without an expected issuer, the lists must still come from the credential's own issuer.
    expect(issuer.check(token), Verdict.STATUS_UNKNOWN, "status_invalid")


def test_a_signed_credential_missing_its_facts_is_altered(issuer: Issuer) -> None:
    expect(issuer.check(issuer.issue(credentialSubject={"type": "Policia"})), Verdict.ALTERED,
           "malformed", "credentialSubject.name")
    expect(issuer.check(issuer.issue(validFrom="ayer")), Verdict.ALTERED, "malformed",
           "validFrom")
    expect(issuer.check(issuer.issue(issuer=None)), Verdict.ALTERED, "malformed", "issuer")


def test_now_must_carry_a_time_zone(issuer: Issuer) -> None:
    with pytest.raises(ValueError, match="time zone"):
        issuer.check(issuer.issue(), now=datetime(2026, 3, 1, 12))


# --- the status lists' cache ---

def test_each_list_is_fetched_once_while_it_is_valid(issuer: Issuer) -> None:
    status = issuer.status()
    tokens = [issuer.issue(n) for n in range(20)]
    for token in tokens:
        expect(verify_credential(token, issuer.keys, status, now=NOW), Verdict.VALID, "valid")
    assert sorted(issuer.fetched) == [REVOCATION_URL, SUSPENSION_URL]
    # Past its validUntil the cached list is not used: it is fetched again.
    later = issuer.list_until + timedelta(minutes=1)
    issuer.list_from, issuer.list_until = later - timedelta(hours=1), later + timedelta(hours=6)
    issuer.revoked.add(3)
    expect(verify_credential(tokens[3], issuer.keys, status, now=later), Verdict.REVOKED,
           "revoked")
    assert issuer.fetched.count(REVOCATION_URL) == 2


def test_a_failed_fetch_is_not_cached(issuer: Issuer) -> None:
    status = issuer.status()
    token = issuer.issue()
    issuer.overrides[REVOCATION_URL] = _raise
    expect(verify_credential(token, issuer.keys, status, now=NOW), Verdict.STATUS_UNKNOWN,
           "status_unavailable")
    del issuer.overrides[REVOCATION_URL]
    expect(verify_credential(token, issuer.keys, status, now=NOW), Verdict.VALID, "valid")


def test_status_lists_raise_status_unavailable_with_a_reason(issuer: Issuer) -> None:
    status = issuer.status()
    with pytest.raises(StatusUnavailable) as caught:
        status.bits(f"{BASE}/status/revocation/404", NOW)
    assert caught.value.reason == "status_unavailable" and "404" in caught.value.message
    assert len(status.bits(REVOCATION_URL, NOW, purpose=REVOCATION, issuer=ISSUER)) == (
        MIN_ENTRIES // 8)
    with pytest.raises(StatusUnavailable, match="purpose"):
        status.bits(REVOCATION_URL, NOW, purpose=SUSPENSION)
    with pytest.raises(StatusUnavailable, match="issuer"):
        issuer.status(issuer="did:web:other").bits(REVOCATION_URL, NOW)


def test_a_key_of_one_issuer_cannot_vouch_for_another(issuer: Issuer) -> None:
    # A verifier that trusts two issuers' keys: the key named under one DID signs a credential
    # claiming the other as its issuer.
    own = SigningKey.generate(f"{ISSUER}#2026")
    other = SigningKey.generate("did:web:otra.example.gob.mx#2026")
    keys = KeySet.of(own.public_jwk(), other.public_jwk())
    forged = issuer.issue(key=other)  # names ISSUER, signed by the other issuer's key
    check = verify_credential(forged, keys, None, now=NOW)
    expect(check, Verdict.NOT_OURS, "unknown_issuer", "otra.example.gob.mx")
    genuine = verify_credential(issuer.issue(key=own), keys, None, now=NOW)
    assert genuine.verdict is Verdict.STATUS_UNKNOWN  # authentic; no lists consulted
