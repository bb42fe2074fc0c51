"""Interop: what we sign verifies with independent JOSE implementations (jwcrypto, and joserfc's
own JWS code, which our verifier does not use), and what they sign verifies with ours."""

from __future__ import annotations

import json
import warnings
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from joserfc import jws as joserfc_jws
from joserfc.jwk import OKPKey
from jwcrypto import jwk, jws

from confianza.credentials.rules.credential import (
    MEDIA_TYPE,
    CupFacts,
    StatusLists,
    Verdict,
    cup_credential,
    facts_of,
    verify_credential,
)
from confianza.kit.jose import JoseError, KeySet, Reason, SigningKey, verify_compact
from confianza.kit.status_list import (
    MIN_ENTRIES,
    REVOCATION,
    SUSPENSION,
    encode_list,
    status_entry,
    status_list_credential,
)

ISSUER = "did:web:confianza.example.gob.mx"
LISTS = {REVOCATION: "https://confianza.example.gob.mx/status/revocation/1",
         SUSPENSION: "https://confianza.example.gob.mx/status/suspension/1"}
NOW = datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=-6)))
FACTS = CupFacts("CUP-2025-0001234", "José Ñúñez", "Guardia Nacional", "Subinspector",
                 date(2025, 6, 1), date(2028, 5, 31))


def credential() -> dict[str, Any]:
    return cup_credential(issuer=ISSUER, credential_id="urn:uuid:cup-1", facts=FACTS,
                          status=[status_entry(url, 1, p) for p, url in LISTS.items()])


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate("confianza-2026-01")


def test_our_credential_verifies_with_jwcrypto(key: SigningKey) -> None:
    token = key.sign(credential(), MEDIA_TYPE)
    verifier = jws.JWS()
    verifier.deserialize(token)
    verifier.allowed_algs = ["Ed25519"]
    verifier.verify(jwk.JWK(**key.public_jwk()))
    assert verifier.jose_header == {"alg": "Ed25519", "kid": key.kid, "typ": "vc+jwt"}
    assert json.loads(verifier.payload) == credential()
    assert facts_of(json.loads(verifier.payload)) == FACTS


def test_jwcrypto_refuses_our_credential_altered(key: SigningKey) -> None:
    header, payload, signature = key.sign(credential(), MEDIA_TYPE).split(".")
    other = key.sign({**credential(), "issuer": "did:web:evil.example"}, MEDIA_TYPE)
    verifier = jws.JWS()
    verifier.deserialize(f"{header}.{other.split('.')[1]}.{signature}")
    verifier.allowed_algs = ["Ed25519"]
    with pytest.raises(jws.InvalidJWSSignature):
        verifier.verify(jwk.JWK(**key.public_jwk()))


def test_our_private_jwk_loads_in_jwcrypto_as_the_same_key(key: SigningKey) -> None:
    theirs = jwk.JWK(**key.to_jwk())
    assert theirs.has_private
    assert json.loads(theirs.export_public()) == key.public_jwk()


def test_our_credential_verifies_with_joserfc(key: SigningKey) -> None:
    token = key.sign(credential(), MEDIA_TYPE)
    jwk_value: dict[str, str | list[str]] = {**key.public_jwk()}
    public = OKPKey.import_key(jwk_value)
    result = joserfc_jws.deserialize_compact(token, public, algorithms=["Ed25519"])
    assert json.loads(result.payload) == credential()


def jwcrypto_token(private: jwk.JWK, payload: dict[str, Any], header: dict[str, Any]) -> str:
    signer = jws.JWS(json.dumps(payload).encode())
    signer.allowed_algs = [header["alg"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jwcrypto warns that EdDSA is deprecated (RFC 9864)
        signer.add_signature(private, alg=header["alg"], protected=json.dumps(header))
    token: str = signer.serialize(compact=True)
    return token


def status_lists(private: jwk.JWK, kid: str) -> dict[str, str]:
    lists = {}
    for purpose, url in LISTS.items():
        lists[url] = jwcrypto_token(private, status_list_credential(
            issuer=ISSUER, list_url=url, purpose=purpose,
            encoded=encode_list(bytes(MIN_ENTRIES // 8)), valid_from=NOW - timedelta(hours=1),
            valid_until=NOW + timedelta(hours=1)), {"alg": "EdDSA", "kid": kid, "typ": "vc+jwt"})
    return lists


def test_a_credential_signed_by_jwcrypto_with_eddsa_verifies_with_ours() -> None:
    private = jwk.JWK.generate(kty="OKP", crv="Ed25519", kid="their-ed25519")
    public = json.loads(private.export_public())
    keys = KeySet.of(public)
    header = {"alg": "EdDSA", "kid": "their-ed25519", "typ": "vc+jwt"}
    token = jwcrypto_token(private, credential(), header)
    assert verify_compact(token, keys, types={"vc+jwt"}).header == header
    lists = status_lists(private, "their-ed25519")
    check = verify_credential(token, keys, StatusLists(keys, lists.__getitem__), now=NOW)
    assert (check.verdict, check.facts) == (Verdict.VALID, FACTS)
    # And the fully specified alg name, as we issue it.
    token = jwcrypto_token(private, credential(), {**header, "alg": "Ed25519"})
    check = verify_credential(token, keys, StatusLists(keys, lists.__getitem__), now=NOW)
    assert check.verdict is Verdict.VALID


def test_a_credential_signed_by_jwcrypto_with_es256_verifies_with_ours() -> None:
    private = jwk.JWK.generate(kty="EC", crv="P-256", kid="their-p256")
    keys = KeySet.of(json.loads(private.export_public()))
    token = jwcrypto_token(private, credential(),
                           {"alg": "ES256", "kid": "their-p256", "typ": "vc+jwt"})
    assert verify_compact(token, keys, types={"vc+jwt"}).payload == credential()
    # A good signature over another payload does not carry over.
    header, payload, _ = token.split(".")
    altered = jwcrypto_token(private, {**credential(), "id": "urn:other"},
                             {"alg": "ES256", "kid": "their-p256", "typ": "vc+jwt"})
    with pytest.raises(JoseError) as caught:
        verify_compact(f"{header}.{payload}.{altered.split('.')[2]}", keys, types={"vc+jwt"})
    assert caught.value.reason is Reason.BAD_SIGNATURE


def test_jwcrypto_hmac_and_unsecured_tokens_are_refused_by_ours() -> None:
    """A library that can make HS256 tokens with a kid of ours must not get them through."""
    secret = jwk.JWK.generate(kty="oct", size=256)
    token = jwcrypto_token(secret, credential(),
                           {"alg": "HS256", "kid": "confianza-2026-01", "typ": "vc+jwt"})
    keys = KeySet.of(SigningKey.generate("confianza-2026-01").public_jwk())
    with pytest.raises(JoseError) as caught:
        verify_compact(token, keys, types={"vc+jwt"})
    assert caught.value.reason is Reason.ALG_NOT_ALLOWED
