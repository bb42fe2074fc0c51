"""The compact credential of the card's QR code: what it says, how it fits, and every way its
check ends, with the verdicts and reasons of the vc+jwt it comes from (ADR 0020)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import cbor2
import pytest
import segno
from segno import consts

import confianza.verify as library
from confianza.credentials.rules import compact
from confianza.credentials.rules.credential import (
    CIVIL_ZONE,
    MEDIA_TYPE,
    Check,
    CredentialError,
    CupFacts,
    StatusLists,
    Verdict,
    compact_credential,
    cup_credential,
    facts_of,
    verify_credential,
)
from confianza.credentials.rules.issuer import did_web, full_kid, status_list_url
from confianza.kit import cose
from confianza.kit.curp import build_curp
from confianza.kit.jose import KeySet, SigningKey
from confianza.kit.status_list import (
    MIN_ENTRIES,
    REVOCATION,
    SUSPENSION,
    encode_list,
    set_bit,
    status_entry,
    status_list_credential,
)

BASE = "https://confianza.example.gob.mx"
DID = did_web(BASE)
FACTS = CupFacts(certificate_number="CUP-2025-0001234-01", name="Ana María López Ruiz",
                 agency="Secretaría de Seguridad Ciudadana de la Ciudad de México",
                 rank="Policía Segundo", valid_from=date(2025, 6, 1),
                 valid_until=date(2028, 5, 31))
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=CIVIL_ZONE)
#: The longest realistic inputs: a long name with accents, a long agency, a long rank, a long
#: public address.
LONG_BASE = "https://controldeconfianza.sspc.gob.mx"
LONG_NAME = "María de los Ángeles Hernández-Villaseñor y Gómez de la Fuente"
LONG_AGENCY = ("Secretaría de Seguridad y Protección Ciudadana del Gobierno del Estado de "
               "Michoacán de Ocampo")
LONG_RANK = "Comisario General de la Policía Estatal Preventiva"
WORST = CupFacts("CUP-2026-0123456-01", LONG_NAME, LONG_AGENCY, LONG_RANK, date(2026, 6, 1),
                 date(2029, 5, 31))


@dataclass
class Issuer:
    """An issuer at BASE: one key, the two status lists where the vc+jwt names them."""

    base: str = BASE
    key: SigningKey = field(default_factory=lambda: SigningKey.generate(
        full_kid(DID, "2026-01")))
    revoked: set[int] = field(default_factory=set)
    suspended: set[int] = field(default_factory=set)
    fetched: list[str] = field(default_factory=list)

    @property
    def did(self) -> str:
        return did_web(self.base)

    @property
    def keys(self) -> KeySet:
        return KeySet.of(self.key.public_jwk())

    zone: tzinfo = CIVIL_ZONE

    def claims(self, facts: CupFacts = FACTS, index: int = 7) -> dict[str, object]:
        status = [status_entry(status_list_url(self.base, p, 0), index, p)
                  for p in (REVOCATION, SUSPENSION)]
        return cup_credential(issuer=self.did, credential_id=f"urn:uuid:cup-{index}",
                              facts=facts, status=status, zone=self.zone)

    def token(self, facts: CupFacts = FACTS, index: int = 7) -> str:
        return self.key.sign(self.claims(facts, index), MEDIA_TYPE)

    def text(self, facts: CupFacts = FACTS, index: int = 7,
             key: SigningKey | None = None) -> str:
        return compact_credential(key or self.key, self.claims(facts, index),
                                  base_url=self.base)

    def link(self, facts: CupFacts = FACTS, index: int = 7,
             key: SigningKey | None = None) -> str:
        return compact.link(self.base, self.text(facts, index, key))

    def fetch(self, url: str) -> str:
        self.fetched.append(url)
        for purpose, flagged in ((REVOCATION, self.revoked), (SUSPENSION, self.suspended)):
            if url == status_list_url(self.base, purpose, 0):
                bits = bytearray(MIN_ENTRIES // 8)
                for index in flagged:
                    set_bit(bits, index, True)
                return self.key.sign(status_list_credential(
                    issuer=self.did, list_url=url, purpose=purpose,
                    encoded=encode_list(bytes(bits)), valid_from=NOW - timedelta(hours=1),
                    valid_until=NOW + timedelta(hours=6)), MEDIA_TYPE)
        raise OSError(f"404 Not Found: {url}")

    def check(self, presented: str, *, now: datetime = NOW, keys: KeySet | None = None,
              **kwargs: object) -> Check:
        keys = keys or self.keys
        return verify_credential(presented, keys, StatusLists(keys, self.fetch), now=now,
                                 **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


def expect(check: Check, verdict: Verdict, reason: str, *words: str) -> None:
    assert (check.verdict, check.reason) == (verdict, reason), check
    for word in words:
        assert word in check.message, check.message
    if verdict in (Verdict.ALTERED, Verdict.NOT_OURS):
        assert check.facts is None, "nothing of a refused credential may be shown"


def rebuilt(text: str, *, protected: dict[int, object] | None = None,
            unprotected: dict[int, object] | None = None, payload: bytes | None = None,
            key: SigningKey | None = None, aad: bytes = DID.encode()) -> str:
    """The compact credential `text` with parts replaced and signed again by `key` (or its
    old signature kept when no key is given)."""
    tag = cbor2.loads(compact.from_text(text))
    old_protected, _, old_payload, signature = tag.value
    head = old_protected if protected is None else cbor2.dumps(protected)
    body = old_payload if payload is None else payload
    if key is not None:
        signature = key.sign_bytes(cose.sig_structure(head, aad, body))
    return compact.to_text(cbor2.dumps(cbor2.CBORTag(18, [head, unprotected or {}, body,
                                                          signature])))


# --- what it says ---

def test_the_link_and_the_bare_text_are_valid_with_the_facts_of_the_vc_jwt(
        issuer: Issuer) -> None:
    link = issuer.link()
    assert link.startswith(f"{BASE}/v/2KC") and link.isascii()
    check = issuer.check(link)
    expect(check, Verdict.VALID, "valid", FACTS.name)
    assert check.facts == FACTS == facts_of(issuer.claims())
    assert check.kid == issuer.key.kid and check.credential_id is None
    # Without its link the text finds its lists at its did:web's https address.
    expect(issuer.check(issuer.text()), Verdict.VALID, "valid")
    assert set(issuer.fetched) == {status_list_url(BASE, REVOCATION, 0),
                                   status_list_url(BASE, SUSPENSION, 0)}


def test_the_same_key_makes_the_same_text(issuer: Issuer) -> None:
    assert issuer.text() == issuer.text()


def test_the_civil_days_are_the_vc_jwts_at_either_end(issuer: Issuer) -> None:
    facts = CupFacts("CUP-1", "Ana", "SSC", "Policía", date(2026, 3, 1), date(2026, 3, 1))
    text = issuer.text(facts)

    def at(*moment: int) -> Check:
        return verify_credential(text, issuer.keys, None,
                                 now=datetime(*moment, tzinfo=CIVIL_ZONE))  # type: ignore[misc]

    # valid from 00:00 of the first day to the end of the last, Mexico City time
    expect(at(2026, 3, 1, 0, 0), Verdict.STATUS_UNKNOWN, "status_unavailable")
    expect(at(2026, 3, 1, 23, 59, 59), Verdict.STATUS_UNKNOWN, "status_unavailable")
    expect(at(2026, 2, 28, 23, 59, 59), Verdict.NOT_YET_VALID, "not_yet_valid", "2026-03-01")
    expect(at(2026, 3, 2, 0, 0), Verdict.EXPIRED, "expired", "2026-03-01")
    assert at(2026, 3, 1, 12, 0).facts == facts


@pytest.mark.parametrize(("zone", "first", "last", "offsets"), [
    # Tijuana keeps daylight saving time: a CUP from winter to summer states two offsets.
    ("America/Tijuana", date(2026, 1, 10), date(2029, 6, 30), [-480, -420]),
    ("America/Tijuana", date(2026, 6, 1), date(2029, 6, 30), -420),
    ("America/Mexico_City", date(2026, 1, 10), date(2029, 6, 30), -360),
])
def test_the_days_are_the_vc_jwts_in_any_zone(zone: str, first: date, last: date,
                                              offsets: object) -> None:
    issuer = Issuer(zone=ZoneInfo(zone))
    facts = CupFacts("CUP-1", "Ana", "SSC", "Policía", first, last)
    text = issuer.text(facts)
    assert cbor2.loads(cbor2.loads(compact.from_text(text)).value[2])[-65537][6] == offsets
    when = datetime(2027, 1, 1, tzinfo=ZoneInfo(zone))
    by_token = verify_credential(issuer.token(facts), issuer.keys, None, now=when)
    by_text = verify_credential(text, issuer.keys, None, now=when)
    assert by_text.facts == by_token.facts == facts
    # the first and last instants agree to the second, and the messages say them alike
    for moment in (datetime.combine(first, datetime.min.time(), ZoneInfo(zone)),
                   datetime.combine(last + timedelta(days=1), datetime.min.time(),
                                    ZoneInfo(zone))):
        for now in (moment - timedelta(seconds=1), moment):
            token_check = verify_credential(issuer.token(facts), issuer.keys, None, now=now)
            text_check = verify_credential(text, issuer.keys, None, now=now)
            assert (text_check.verdict, text_check.message) == (token_check.verdict,
                                                                token_check.message)


@pytest.mark.parametrize("case", ["valid", "revoked", "suspended", "expired", "not_yet_valid",
                                  "both"])
def test_every_verdict_is_the_vc_jwts(issuer: Issuer, case: str) -> None:
    facts = FACTS
    if case == "revoked":
        issuer.revoked.add(7)
    if case == "suspended":
        issuer.suspended.add(7)
    if case == "both":
        issuer.revoked.add(7)
        issuer.suspended.add(7)
    if case == "expired":
        facts = CupFacts("CUP-2020-1", "Ana", "SSC", "Policía", date(2020, 1, 1),
                         date(2023, 1, 1))
    if case == "not_yet_valid":
        facts = CupFacts("CUP-2027-1", "Ana", "SSC", "Policía", date(2027, 1, 1),
                         date(2030, 1, 1))
    jwt = issuer.check(issuer.token(facts))
    for presented in (issuer.link(facts), issuer.text(facts)):
        check = issuer.check(presented)
        assert (check.verdict, check.reason, check.message, check.facts) == (
            jwt.verdict, jwt.reason, jwt.message, jwt.facts)


def test_offline_or_without_lists_the_status_is_unknown(issuer: Issuer) -> None:
    check = verify_credential(issuer.link(), issuer.keys, None, now=NOW)
    expect(check, Verdict.STATUS_UNKNOWN, "status_unavailable")
    assert check.facts == FACTS
    lost = verify_credential(issuer.link(), issuer.keys,
                             StatusLists(issuer.keys, lambda url: 1 / 0), now=NOW)  # type: ignore[arg-type, return-value]
    expect(lost, Verdict.STATUS_UNKNOWN, "status_unavailable")


def test_a_bare_text_looks_for_its_lists_where_the_verifier_says(issuer: Issuer) -> None:
    local = Issuer(base="http://127.0.0.1:8000")
    local.key = SigningKey.generate(full_kid(local.did, "test-key"))
    # https://127.0.0.1:8000 serves nothing: unknown without the address, valid with it
    expect(local.check(local.text()), Verdict.STATUS_UNKNOWN, "status_unavailable")
    expect(local.check(local.text(), base_url=local.base), Verdict.VALID, "valid")
    expect(local.check(local.link()), Verdict.VALID, "valid")


def test_the_library_verifies_the_link_and_the_text(issuer: Issuer) -> None:
    jwks = issuer.keys.to_jwks()
    assert library.verify(issuer.link(), jwks, fetch=issuer.fetch, now=NOW).valid
    assert library.verify(issuer.text(), jwks, fetch=issuer.fetch, now=NOW).valid
    offline = library.verify(issuer.link(), jwks, fetch=None, now=NOW)
    assert offline.verdict is Verdict.STATUS_UNKNOWN and offline.facts == FACTS


# --- refused: altered, forged, not ours ---

def test_every_single_character_change_is_refused(issuer: Issuer) -> None:
    text = issuer.text()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    for position, char in enumerate(text):
        other = alphabet[(alphabet.index(char) + 1) % 32]
        check = issuer.check(text[:position] + other + text[position + 1:])
        assert check.verdict in (Verdict.ALTERED, Verdict.NOT_OURS), (position, check)
        assert check.facts is None


def test_a_cut_short_text_is_altered(issuer: Issuer) -> None:
    text = issuer.text()
    for keep in (3, 10, len(text) // 2, len(text) - 1):
        check = issuer.check(text[:keep])
        assert check.verdict is Verdict.ALTERED and check.reason in ("malformed",
                                                                     "bad_signature"), keep


def test_a_changed_claim_is_a_bad_signature(issuer: Issuer) -> None:
    text = issuer.text()
    payload = compact.encode_claims(compact.CompactClaims(
        FACTS.certificate_number, FACTS.name, "Comisario General", FACTS.agency,
        1_748_757_600, 1_843_452_000, 0, 7))
    expect(issuer.check(rebuilt(text, payload=payload)), Verdict.ALTERED, "bad_signature",
           issuer.key.kid)


def test_a_forged_text_under_our_kid_is_a_bad_signature(issuer: Issuer) -> None:
    forger = SigningKey.generate(issuer.key.kid)
    expect(issuer.check(issuer.text(key=forger)), Verdict.ALTERED, "bad_signature")


def test_an_unknown_key_is_not_ours(issuer: Issuer) -> None:
    stranger = SigningKey.generate(full_kid(DID, "someone-else"))
    check = issuer.check(issuer.text(key=stranger))
    expect(check, Verdict.NOT_OURS, "unknown_key", "someone-else")


def test_a_key_of_another_issuer_cannot_vouch_for_ours(issuer: Issuer) -> None:
    # A verifier trusting two issuers, whose keys share a name: the other's key signs a
    # compact credential for ours. The issuer is signed (external_aad): it cannot verify.
    other = SigningKey.generate(full_kid("did:web:otra.example.gob.mx", "2026-01"))
    keys = KeySet.of(issuer.key.public_jwk(), other.public_jwk())
    expect(issuer.check(issuer.text(key=other), keys=keys), Verdict.ALTERED, "bad_signature")
    expect(issuer.check(issuer.text(), keys=keys), Verdict.VALID, "valid")


def test_a_genuine_text_behind_another_address_is_not_ours(issuer: Issuer) -> None:
    link = issuer.link().replace(BASE, "https://verifica-cup.example.com")
    check = issuer.check(link)
    expect(check, Verdict.NOT_OURS, "unknown_issuer", "verifica-cup.example.com")
    assert issuer.fetched == []


def test_another_issuer_expected_is_not_ours(issuer: Issuer) -> None:
    expect(issuer.check(issuer.link(), issuer="did:web:otra.example.gob.mx"),
           Verdict.NOT_OURS, "unknown_issuer")


def test_an_alg_other_than_ed25519_is_refused(issuer: Issuer) -> None:
    text = issuer.text()
    for alg in (-7, 0, "EdDSA"):
        forged = rebuilt(text, protected={1: alg, 4: b"2026-01"}, key=issuer.key)
        expect(issuer.check(forged), Verdict.ALTERED, "alg_not_allowed")
    # RFC 9053's EdDSA (-8) is the same signature by another name: accepted
    legacy = rebuilt(text, protected={1: -8, 4: b"2026-01"}, key=issuer.key)
    expect(issuer.check(legacy), Verdict.VALID, "valid")


@pytest.mark.parametrize(("change", "reason"), [
    ({"protected": {1: -19, 4: b"2026-01", 2: [1]}}, "malformed"),  # crit
    ({"protected": {1: -19, 4: b"2026-01", 3: "x"}}, "malformed"),  # more than alg and kid
    ({"protected": {1: -19}}, "unknown_key"),  # no kid
    ({"unprotected": {4: b"2026-01"}}, "malformed"),  # an unsigned header
])
def test_headers_beyond_alg_and_kid_are_refused(issuer: Issuer, change: dict[str, object],
                                                reason: str) -> None:
    forged = rebuilt(issuer.text(), key=issuer.key, **change)  # type: ignore[arg-type]
    check = issuer.check(forged)
    assert check.reason == reason and not check.valid and check.facts is None, check


def test_a_signed_payload_that_is_not_a_cup_is_altered(issuer: Issuer) -> None:
    good = {1: "CUP-1", 2: "Ana", 3: "Policía", 4: "SSC", 5: [0, 7], 6: -360}
    for payload in (cbor2.dumps({4: 1, 5: 0}), cbor2.dumps([1, 2]), b"\xff",
                    cbor2.dumps({4: 1_843_452_000, 5: 1_748_757_600, -65537: {1: "x"}}),
                    cbor2.dumps({4: 1_843_452_000, 5: 1_748_757_600,
                                 -65537: {**good, 6: [-360, -360]}}),  # a second spelling
                    cbor2.dumps({4: 1_843_452_000, 5: 1_748_757_600,
                                 -65537: {**good, 6: 24 * 60}})):
        forged = rebuilt(issuer.text(), payload=payload, key=issuer.key)
        expect(issuer.check(forged), Verdict.ALTERED, "malformed")
    # the control: the same claims, well formed, are read
    fine = rebuilt(issuer.text(), payload=cbor2.dumps(
        {4: 1_843_452_000, 5: 1_748_757_600, -65537: good}), key=issuer.key)
    assert issuer.check(fine).facts == CupFacts("CUP-1", "Ana", "SSC", "Policía",
                                                date(2025, 6, 1), date(2028, 5, 31))


def test_only_the_one_spelling_is_accepted(issuer: Issuer) -> None:
    text = issuer.text()
    expect(issuer.check(text.lower()), Verdict.NOT_OURS, "not_a_credential")
    expect(issuer.check(text + "===="), Verdict.ALTERED, "malformed", "base32")
    # CBOR with a needlessly long length: the same value, another spelling
    data = compact.from_text(text)
    assert data[2] & 0xE0 == 0x40  # the protected header's byte string, short length
    longer = data[:2] + bytes([0x58, data[2] & 0x1F]) + data[3:]
    expect(issuer.check(compact.to_text(longer)), Verdict.ALTERED, "malformed", "canonical")


@pytest.mark.parametrize("presented", [
    "", "2KC", "https://confianza.example.gob.mx/v/", "https://confianza.example.gob.mx/v/abc",
    "https://confianza.example.gob.mx/x/2KCABC", "HC1:6BFOXN*TS0BI$ZD.P9UOL97O4-2HH77HRM3DSPTLRR",
])
def test_what_is_not_one_of_ours_says_so(issuer: Issuer, presented: str) -> None:
    check = issuer.check(presented)
    assert not check.valid and check.facts is None
    if not presented.rstrip("/").endswith("2KC") and "/v/2KC" not in presented:
        assert check.reason == "not_a_credential"


def test_extract_finds_the_text_and_the_address() -> None:
    assert compact.extract("https://a.example/v/2KCXYZ") == ("2KCXYZ", "https://a.example")
    assert compact.extract(" https://a.example/sub/v/2KCXYZ ") == ("2KCXYZ",
                                                                    "https://a.example/sub")
    assert compact.extract("2KCXYZ") == ("2KCXYZ", None)
    assert compact.extract("ftp://a.example/v/2KCXYZ") is None
    assert compact.extract("https://a.example/w/2KCXYZ") is None
    assert compact.extract(12) is None


def test_list_base_reads_a_did_web() -> None:
    assert compact.list_base("did:web:a.example") == "https://a.example"
    assert compact.list_base(did_web("http://127.0.0.1:8000/cup/mx")) == \
        "https://127.0.0.1:8000/cup/mx"
    with pytest.raises(compact.CompactError):
        compact.list_base("did:key:z6Mk")


# --- how it fits the card's code ---

def symbol(link: str) -> segno.QRCode:
    head, tail = link.rsplit("/", 1)
    return segno.make([(head + "/", consts.MODE_BYTE), (tail, consts.MODE_ALPHANUMERIC)],
                      error="M", micro=False, boost_error=False)


@pytest.mark.parametrize("base", [BASE, LONG_BASE, "http://127.0.0.1:8000",
                                  "https://cc.example.gob.mx/confianza/credenciales"])
def test_the_budget_is_exactly_what_version_13_at_level_m_holds(base: str) -> None:
    size = compact.max_signed_bytes(base)
    prefix = compact.link_prefix(base)
    fits = compact.to_text(b"\0" * size)
    assert segno.make([(prefix, consts.MODE_BYTE), (fits, consts.MODE_ALPHANUMERIC)],
                      error="M", version=13, boost_error=False).version == 13
    with pytest.raises(segno.DataOverflowError):
        segno.make([(prefix, consts.MODE_BYTE),
                    (compact.to_text(b"\0" * (size + 1)), consts.MODE_ALPHANUMERIC)],
                   error="M", version=13, boost_error=False)


def test_the_worst_case_fits_version_13_keeping_the_name_and_number() -> None:
    worst = Issuer(base=LONG_BASE)
    worst.key = SigningKey.generate(full_kid(worst.did, "2027-01"))
    link = worst.link(WORST, index=400_000)
    code = symbol(link)
    assert code.version <= 13 and code.error in ("M", "Q", "H")
    check = worst.check(link)
    assert check.facts is not None
    assert check.facts.name == LONG_NAME
    assert check.facts.certificate_number == WORST.certificate_number
    # The agency and rank are shortened, visibly, as SHORTEST allows.
    assert check.facts.agency.endswith("…") and LONG_AGENCY.startswith(check.facts.agency[:-1])
    assert check.facts.rank.endswith("…") and LONG_RANK.startswith(check.facts.rank[:-1])
    assert len(check.facts.agency) >= 24 and len(check.facts.rank) >= 16


def test_a_typical_card_is_smaller_and_nothing_is_cut(issuer: Issuer) -> None:
    typical = CupFacts("CUP-2026-0004321-01", "Ana López García", "Guardia Nacional",
                       "Policía Tercero", date(2026, 1, 5), date(2029, 1, 4))
    link = issuer.link(typical)
    assert symbol(link).version <= 11
    assert issuer.check(link).facts == typical
    # A long agency's name still fits whole.
    assert symbol(issuer.link()).version <= 13 and issuer.check(issuer.link()).facts == FACTS


def test_an_address_too_long_for_the_code_is_refused_when_issuing() -> None:
    far = Issuer(base="https://" + "muy-largo." * 14 + "gob.mx")
    far.key = SigningKey.generate(full_kid(far.did, "2027-01"))
    with pytest.raises(CredentialError, match="public URL is too long"):
        far.text(WORST)


def test_a_credential_of_another_issuer_or_layout_is_refused(issuer: Issuer) -> None:
    with pytest.raises(CredentialError, match="issuer"):
        compact_credential(issuer.key, issuer.claims(), base_url="https://otra.example")
    odd = issuer.claims()
    odd["credentialStatus"] = [status_entry("https://x.example/list/1", 7, p)
                               for p in (REVOCATION, SUSPENSION)]
    with pytest.raises(CredentialError, match="status list"):
        compact_credential(issuer.key, odd, base_url=BASE)


def test_texts_are_cut_with_an_ellipsis_in_order() -> None:
    claims = compact.CompactClaims("CUP-1", "N" * 80, "R" * 60, "A" * 120, 0, 1, 0, 0)
    roomy = compact.fit(claims, "k", 10_000)
    assert roomy == claims
    tight = compact.fit(claims, "k", cose.signed_size("k", len(compact.encode_claims(
        compact.CompactClaims("CUP-1", "N" * 80, "R" * 60, "A" * 23 + "…", 0, 1, 0, 0)))))
    assert tight.agency == "A" * 23 + "…" and tight.name == "N" * 80 and tight.rank == "R" * 60
    with pytest.raises(compact.CompactError, match="too long"):
        compact.fit(claims, "k", 100)


# --- minimal disclosure ---

def test_the_compact_form_discloses_the_card_and_nothing_more(issuer: Issuer) -> None:
    curp = build_curp("López", "Ruiz", "Ana María", date(1990, 4, 2), "M", "DF")
    text = issuer.text(index=4242)
    message = cbor2.loads(compact.from_text(text))
    protected, unprotected, payload, _ = message.value
    assert cbor2.loads(protected) == {1: -19, 4: b"2026-01"} and dict(unprotected) == {}
    claims = cbor2.loads(payload)
    assert set(claims) == {4, 5, -65537}
    cup = claims[-65537]
    assert dict(cup) == {1: FACTS.certificate_number, 2: FACTS.name, 3: FACTS.rank,
                         4: FACTS.agency, 5: [0, 4242], 6: -360}
    # no CURP, no internal id, no credential id, no exam or result, not even the issuer
    strings = [v for v in cup.values() if isinstance(v, str)]
    assert all(not re.search(r"[A-Z]{4}\d{6}[HM]", s) for s in strings)
    assert curp not in text and curp.encode() not in payload
    for absent in (b"urn:uuid", b"cup-4242", b"did:web", b"exam", b"result", b"curp"):
        assert absent not in payload.lower()
