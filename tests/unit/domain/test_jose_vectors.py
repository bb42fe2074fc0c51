"""Compact JWS: the published vectors (W3C VC-JOSE-COSE test suite, RFC 8037 A.4), keys, and
every way a token is refused, each with its reason and in the documented order of checks."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from confianza.kit.jose import (
    ALLOWED_ALGS,
    MAX_TOKEN_CHARS,
    JoseError,
    KeySet,
    Reason,
    SigningKey,
    Verified,
    b64url_decode,
    b64url_encode,
    verify_compact,
)

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "vc-jose-cose" / "input"
VC = {"vc+jwt"}

# RFC 8037 appendix A.1 (the key) and A.4 (the Ed25519 signature of the example).
RFC8037_KEY = {"kty": "OKP", "crv": "Ed25519",
               "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
               "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
RFC8037_HEADER = b'{"alg":"EdDSA"}'
RFC8037_PAYLOAD = b"Example of Ed25519 signing"
RFC8037_SIGNATURE = ("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sV"
                     "vpAr_MuM0KAg")
RFC8037_JWS = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc." + RFC8037_SIGNATURE


def vector(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8").strip()


def vm_key(name: str) -> dict[str, Any]:
    """The verificationMethod's publicKeyJwk: its kid is the one the vector tokens name."""
    method: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return dict(method["publicKeyJwk"])


def vm_secret(name: str) -> dict[str, Any]:
    method: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return dict(method["secretKeyJwk"])


def part(token: str, number: int) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(b64url_decode(token.split(".")[number]))
    return decoded


def craft(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    return ".".join((b64url_encode(json.dumps(header).encode()),
                     b64url_encode(json.dumps(payload).encode()), b64url_encode(signature)))


def refused(token: str, keys: KeySet, reason: Reason, *, types: set[str | None] | None = None,
            **kwargs: Any) -> JoseError:
    with pytest.raises(JoseError) as caught:
        verify_compact(token, keys, types=VC if types is None else types, **kwargs)
    assert caught.value.reason is reason, caught.value
    assert str(caught.value)  # a message for people, never empty
    return caught.value


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate("confianza-2026-01")


@pytest.fixture(scope="module")
def keys(key: SigningKey) -> KeySet:
    return KeySet.of(key.public_jwk())


# --- W3C VC-JOSE-COSE test suite (tests/input, expectations from tests/test-mapping.js) ---

def test_p256_basic_credential_verifies() -> None:
    """Mapping 6: credential-jose-minimal.txt, ES256, key vm-p256.json: success."""
    jwk = vm_key("vm-p256.json")
    verified = verify_compact(vector("credential-jose-minimal.txt"), KeySet.of(jwk), types=VC)
    assert verified.kid == jwk["kid"] == "73voMXFNmNlOEpuYCSJlh8eN0dscykoO6gBukgRS1uU"
    assert verified.header["alg"] == "ES256" and verified.header["typ"] == "vc+jwt"
    assert verified.payload["id"] == "http://university.example/credentials/1872"
    assert verified.payload["type"] == ["VerifiableCredential", "ExampleAlumniCredential"]


def test_ed25519_issuer_match_credential_verifies() -> None:
    """Mapping 8: credential-issuer-match-signed.txt, EdDSA, key vm-ed25519.json: success. The
    deprecated alg name EdDSA (RFC 9864) is still accepted when verifying."""
    jwk = vm_key("vm-ed25519.json")
    verified = verify_compact(vector("credential-issuer-match-signed.txt"), KeySet.of(jwk),
                              types=VC)
    assert verified.header["alg"] == "EdDSA"
    assert verified.kid == "2aOHaQxsWVT4mLsUkdtlCnUV-au0BBR-5yPYaPaCc5k"
    assert verified.payload["issuer"] == "https://example.issuer/vc-jose-cose"


def test_bad_signature_vector_is_refused_for_its_signature() -> None:
    """Mapping 12: credential-jose-bad-signature.txt: failure."""
    error = refused(vector("credential-jose-bad-signature.txt"),
                    KeySet.of(vm_key("vm-ed25519.json")), Reason.BAD_SIGNATURE)
    assert "2aOHaQxsWVT4mLsUkdtlCnUV-au0BBR-5yPYaPaCc5k" in str(error)


def test_bad_media_type_vector_is_refused_for_its_typ_alone() -> None:
    """Mapping 13: credential-jose-bad-media-type.txt (typ bad+typ): failure. Its signature is
    good, so the typ is the only thing that refuses it."""
    token = vector("credential-jose-bad-media-type.txt")
    keys = KeySet.of(vm_key("vm-ed25519.json"))
    error = refused(token, keys, Reason.WRONG_TYPE)
    assert "bad+typ" in str(error) and "vc+jwt" in str(error)
    assert verify_compact(token, keys, types={"bad+typ"}).payload["id"].endswith("/1872")


def test_a_vector_key_of_the_wrong_kind_is_refused_before_the_signature() -> None:
    """The P-256 vector's kid, bound to an Ed25519 key: an ES256 token cannot use that key."""
    jwk = {**vm_key("vm-ed25519.json"), "kid": vm_key("vm-p256.json")["kid"]}
    error = refused(vector("credential-jose-minimal.txt"), KeySet.of(jwk), Reason.ALG_NOT_ALLOWED)
    assert "ES256" in str(error)


def test_the_vector_secret_key_signs_what_its_public_key_verifies() -> None:
    secret = vm_secret("vm-ed25519.json")
    signer = SigningKey.from_jwk(secret)
    assert signer.public_jwk()["x"] == secret["x"]
    token = signer.sign({"hello": "world"}, "vc+jwt")
    assert verify_compact(token, KeySet.of(vm_key("vm-ed25519.json")), types=VC).payload == {
        "hello": "world"}


# --- RFC 8037 appendix A ---

def test_rfc8037_a4_signature_reproduces_byte_for_byte() -> None:
    signer = SigningKey.from_jwk({**RFC8037_KEY, "kid": "rfc8037"})
    assert signer.public_jwk()["x"] == RFC8037_KEY["x"]  # A.1: x is derived from d
    token = signer.sign_exact(RFC8037_HEADER, RFC8037_PAYLOAD)
    assert token == RFC8037_JWS
    assert token.split(".")[2] == RFC8037_SIGNATURE


def test_rfc8037_a4_signature_verifies() -> None:
    """The example has no typ and no kid, so it is checked through the explicit escape hatches;
    its payload is text, not a JSON object, so the check ends at the payload, after the
    signature verified (an altered signature ends earlier, as a bad signature)."""
    keys = KeySet.of({k: v for k, v in RFC8037_KEY.items() if k != "d"} | {"kid": "rfc8037"})
    error = refused(RFC8037_JWS, keys, Reason.MALFORMED, types={None}, default_kid="rfc8037")
    assert "payload" in str(error)
    altered = RFC8037_JWS[:-3] + ("B" if RFC8037_JWS[-3] != "B" else "C") + RFC8037_JWS[-2:]
    refused(altered, keys, Reason.BAD_SIGNATURE, types={None}, default_kid="rfc8037")
    # Production is strict: without the hatches the same token has the wrong type, no kid.
    refused(RFC8037_JWS, keys, Reason.WRONG_TYPE)
    refused(RFC8037_JWS, keys, Reason.UNKNOWN_KEY, types={None})


def test_sign_exact_refuses_a_header_that_lies_about_its_alg() -> None:
    signer = SigningKey.from_jwk({**RFC8037_KEY, "kid": "rfc8037"})
    for header in (b'{"alg":"ES256"}', b'{"alg":"none"}', b"[1]", b"not json"):
        with pytest.raises(ValueError, match="header"):
            signer.sign_exact(header, b"x")


# --- signing ---

def test_sign_writes_exactly_the_documented_header(key: SigningKey, keys: KeySet) -> None:
    token = key.sign({"a": 1, "b": "ñ"}, "vc+jwt")
    assert b64url_decode(token.split(".")[0]) == (
        b'{"alg":"Ed25519","kid":"confianza-2026-01","typ":"vc+jwt"}')
    assert b64url_decode(token.split(".")[1]) == '{"a":1,"b":"ñ"}'.encode()
    assert verify_compact(token, keys, types=VC) == Verified(
        {"alg": "Ed25519", "kid": "confianza-2026-01", "typ": "vc+jwt"}, {"a": 1, "b": "ñ"},
        "confianza-2026-01")
    assert "=" not in token


def test_sign_refuses_what_json_cannot_say(key: SigningKey) -> None:
    with pytest.raises(ValueError):
        key.sign({"x": float("nan")}, "vc+jwt")
    with pytest.raises(ValueError, match="typ"):
        key.sign({"x": 1}, "")


def test_private_jwk_round_trips_and_public_jwk_is_public(key: SigningKey) -> None:
    private = key.to_jwk()
    json.dumps(private)
    again = SigningKey.from_jwk(json.dumps(private))
    assert again.kid == key.kid and again.public_jwk() == key.public_jwk()
    assert key.public_jwk() == {"kty": "OKP", "crv": "Ed25519", "x": private["x"],
                                "kid": key.kid, "alg": "Ed25519", "use": "sig"}
    assert "d" not in key.public_jwk()
    assert private["d"] not in repr(key)
    # What one signs, the other verifies.
    assert verify_compact(again.sign({"n": 1}, "vc+jwt"), KeySet.of(key.public_jwk()),
                          types=VC).payload == {"n": 1}


@pytest.mark.parametrize(("change", "message"), [
    ({"kty": "EC"}, "OKP Ed25519"),
    ({"crv": "X25519"}, "OKP Ed25519"),
    ({"d": None}, "'d'"),
    ({"x": None}, "'x'"),
    ({"kid": None}, "kid"),
    ({"kid": ""}, "kid"),
    ({"d": "AAAA"}, "32 bytes"),
    ({"d": "n*Gxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}, "base64url"),
    ({"x": "AAqYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}, "not the public key of 'd'"),
    ({"alg": "ES256"}, "alg"),
    ({"use": "enc"}, "use"),
])
def test_a_bad_private_jwk_is_refused_naming_the_problem(change: dict[str, Any],
                                                         message: str) -> None:
    jwk = {**RFC8037_KEY, "kid": "rfc8037"}
    for name, value in change.items():
        if value is None:
            jwk.pop(name)
        else:
            jwk[name] = value
    with pytest.raises(ValueError, match=message):
        SigningKey.from_jwk(jwk)


def test_a_signing_key_that_is_not_json_is_refused() -> None:
    with pytest.raises(ValueError, match="not valid JSON"):
        SigningKey.from_jwk("{nope")
    with pytest.raises(ValueError, match="JSON object"):
        SigningKey.from_jwk("[1, 2]")


# --- key sets ---

def test_key_set_of_public_keys(key: SigningKey) -> None:
    p256 = vm_key("vm-p256.json")
    keys = KeySet.from_jwks(json.dumps({"keys": [key.public_jwk(), p256]}))
    assert keys.kids == (key.kid, p256["kid"]) and len(keys) == 2
    assert key.kid in keys and "other" not in keys
    again = KeySet.from_jwks(keys.to_jwks())
    assert again.to_jwks() == keys.to_jwks()
    assert keys.to_jwks()["keys"][1] == p256  # every public member kept


@pytest.mark.parametrize(("jwk", "message"), [
    ({**RFC8037_KEY, "kid": "k"}, "private material"),
    ({"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "k"}, "only OKP Ed25519 and EC P-256"),
    ({"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA", "kid": "k"}, "only OKP"),
    ({"kty": "oct", "k": "c2VjcmV0", "kid": "k"}, "private material"),
    ({"kty": "OKP", "crv": "X25519", "x": RFC8037_KEY["x"], "kid": "k"}, "only OKP"),
    ({"kty": "OKP", "crv": "Ed25519", "x": "AAAA", "kid": "k"}, "32 bytes"),
    ({"kty": "OKP", "crv": "Ed25519", "kid": "k"}, "no 'x'"),
    ({"kty": "OKP", "crv": "Ed25519", "x": RFC8037_KEY["x"]}, "kid"),
    ({"kty": "OKP", "crv": "Ed25519", "x": RFC8037_KEY["x"], "kid": "k", "alg": "ES256"},
     "alg"),
    ({"kty": "OKP", "crv": "Ed25519", "x": RFC8037_KEY["x"], "kid": "k", "use": "enc"}, "use"),
    ({**vm_key("vm-p256.json"), "y": "qUd_55EjX0mjKZ6W6mF4UXVYTQ41K6jfdnYFwN5uPyA"},
     "not a valid public key"),
])
def test_a_bad_public_key_is_refused_naming_it(jwk: dict[str, Any], message: str) -> None:
    good = {"kty": "OKP", "crv": "Ed25519", "x": RFC8037_KEY["x"], "kid": "good"}
    with pytest.raises(ValueError, match=message) as caught:
        KeySet.from_jwks({"keys": [good, jwk]})
    assert "key 2 of the JWKS" in str(caught.value)


def test_a_bad_jwks_is_refused() -> None:
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": RFC8037_KEY["x"], "kid": "k"}
    with pytest.raises(ValueError, match="repeats a kid"):
        KeySet.of(jwk, jwk)
    with pytest.raises(ValueError, match="non-empty 'keys'"):
        KeySet.from_jwks({"keys": []})
    with pytest.raises(ValueError, match="non-empty 'keys'"):
        KeySet.from_jwks(jwk)
    with pytest.raises(ValueError, match="not valid JSON"):
        KeySet.from_jwks("{")
    with pytest.raises(ValueError, match="key 1 of the JWKS is not a JSON object"):
        KeySet.from_jwks({"keys": ["k"]})


# --- refusals, each with its reason ---

def test_alg_none_is_refused(key: SigningKey, keys: KeySet) -> None:
    payload = part(key.sign({"a": 1}, "vc+jwt"), 1)
    # The unsecured JWT of RFC 7519 section 6: alg none and an empty signature.
    unsecured = craft({"alg": "none", "kid": key.kid, "typ": "vc+jwt"}, payload)
    assert unsecured.endswith(".")
    assert "'none'" in str(refused(unsecured, keys, Reason.ALG_NOT_ALLOWED))
    for alg in ("none", "NONE", "None"):
        token = craft({"alg": alg, "kid": key.kid, "typ": "vc+jwt"}, payload, b"\0" * 64)
        refused(token, keys, Reason.ALG_NOT_ALLOWED)
    # With an allowed alg, an empty signature simply does not verify.
    refused(craft({"alg": "Ed25519", "kid": key.kid, "typ": "vc+jwt"}, payload), keys,
            Reason.BAD_SIGNATURE)


def test_hmac_with_the_public_key_as_secret_is_refused(key: SigningKey, keys: KeySet) -> None:
    """The classic confusion: HS256 keyed with the verifier's public key bytes."""
    import hashlib
    import hmac

    header = {"alg": "HS256", "kid": key.kid, "typ": "vc+jwt"}
    signing_input = craft(header, {"a": 1}).rsplit(".", 1)[0]
    secret = b64url_decode(key.public_jwk()["x"])
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{b64url_encode(mac)}"
    assert "HS256" in str(refused(token, keys, Reason.ALG_NOT_ALLOWED))
    assert "HS256" not in ALLOWED_ALGS


def test_alg_is_checked_before_typ_and_kid(keys: KeySet) -> None:
    token = craft({"alg": "none", "kid": "stranger", "typ": "JWT"}, {"a": 1}, b"x" * 64)
    refused(token, keys, Reason.ALG_NOT_ALLOWED)
    token = craft({"kid": "stranger", "typ": "JWT"}, {"a": 1}, b"x" * 64)
    assert "missing" in str(refused(token, keys, Reason.ALG_NOT_ALLOWED))


def test_typ_is_checked_before_kid(keys: KeySet) -> None:
    token = craft({"alg": "Ed25519", "kid": "stranger", "typ": "JWT"}, {"a": 1}, b"x" * 64)
    refused(token, keys, Reason.WRONG_TYPE)


def test_typ_is_compared_as_a_media_type(key: SigningKey, keys: KeySet) -> None:
    for typ in ("application/vc+jwt", "VC+JWT", "Application/VC+JWT"):
        assert verify_compact(key.sign({"a": 1}, typ), keys, types=VC).header["typ"] == typ
    for typ in ("JWT", "vc+sd-jwt", "application/jwt", "vp+jwt", "application/vc+jwt+x"):
        refused(key.sign({"a": 1}, typ), keys, Reason.WRONG_TYPE)
    payload = part(key.sign({"a": 1}, "vc+jwt"), 1)
    # A typ that is not a string is refused, not a crash.
    refused(craft({"alg": "Ed25519", "kid": key.kid, "typ": ["vc+jwt"]}, payload, b"x" * 64),
            keys, Reason.WRONG_TYPE)
    refused(craft({"alg": "Ed25519", "kid": key.kid}, payload, b"x" * 64), keys,
            Reason.WRONG_TYPE)


def test_unknown_and_missing_kids(key: SigningKey, keys: KeySet) -> None:
    stranger = SigningKey.generate("stranger")
    error = refused(stranger.sign({"a": 1}, "vc+jwt"), keys, Reason.UNKNOWN_KEY)
    assert "'stranger'" in str(error) and error.kid == "stranger"
    payload = part(key.sign({"a": 1}, "vc+jwt"), 1)
    refused(craft({"alg": "Ed25519", "typ": "vc+jwt"}, payload, b"x" * 64), keys,
            Reason.UNKNOWN_KEY)
    refused(craft({"alg": "Ed25519", "typ": "vc+jwt", "kid": 7}, payload, b"x" * 64), keys,
            Reason.UNKNOWN_KEY)
    # default_kid is used only when the header names none: it never overrides a named kid.
    refused(stranger.sign({"a": 1}, "vc+jwt"), keys, Reason.UNKNOWN_KEY, default_kid=key.kid)


def test_retired_keys_in_the_set_still_verify(key: SigningKey) -> None:
    retired = SigningKey.generate("confianza-2024-01")
    old_token = retired.sign({"a": 1}, "vc+jwt")
    keys = KeySet.of(key.public_jwk(), retired.public_jwk())
    assert verify_compact(old_token, keys, types=VC).kid == "confianza-2024-01"
    assert verify_compact(key.sign({"a": 2}, "vc+jwt"), keys, types=VC).kid == key.kid


def test_altered_payload_and_signature(key: SigningKey, keys: KeySet) -> None:
    token = key.sign({"name": "Ana", "rank": "Policía"}, "vc+jwt")
    header, _, signature = token.split(".")
    forged = b64url_encode(json.dumps({"name": "Ana", "rank": "Comisario"}).encode())
    refused(f"{header}.{forged}.{signature}", keys, Reason.BAD_SIGNATURE)
    flipped = bytearray(b64url_decode(signature))
    flipped[10] ^= 1
    refused(f"{header}.{token.split('.')[1]}.{b64url_encode(bytes(flipped))}", keys,
            Reason.BAD_SIGNATURE)
    # Another token's valid signature does not carry over.
    other = key.sign({"name": "Ana", "rank": "Comisario"}, "vc+jwt").split(".")[2]
    refused(f"{header}.{token.split('.')[1]}.{other}", keys, Reason.BAD_SIGNATURE)


def test_the_payload_is_read_only_after_the_signature(key: SigningKey, keys: KeySet) -> None:
    token = key.sign({"a": 1}, "vc+jwt")
    header, _, signature = token.split(".")
    not_json = b64url_encode(b"\xff\xfe not json")
    refused(f"{header}.{not_json}.{signature}", keys, Reason.BAD_SIGNATURE)
    signed_text = key.sign_exact(b'{"alg":"Ed25519","kid":"confianza-2026-01","typ":"vc+jwt"}',
                                 b'["an", "array"]')
    assert "not a JSON object" in str(refused(signed_text, keys, Reason.MALFORMED))


def test_a_non_canonical_signature_spelling_is_refused(key: SigningKey, keys: KeySet) -> None:
    """86 base64url characters carry 64 bytes and 4 unused bits: setting them would make a
    second token string for the same signature."""
    token = key.sign({"a": 1}, "vc+jwt")
    last = token[-1]
    alphabet = "AEIMQUYcgkosw048"  # the characters whose 4 low bits are zero
    assert last in alphabet
    twin = token[:-1] + chr(ord(last) + 1)
    assert b64url_decode(twin.split(".")[2]) == b64url_decode(token.split(".")[2])
    assert "canonical" in str(refused(twin, keys, Reason.MALFORMED))


@pytest.mark.parametrize(("token", "where"), [
    ("", "found 1"),
    ("abc", "found 1"),
    ("eyJhbGciOiJFZDI1NTE5In0.e30", "found 2"),
    ("a.b.c.d", "found 4"),
    ("a.b.c.d.e", "found 5"),
    (".e30.AAAA", "header is empty"),
    ("eyJhbGciOiJFZDI1NTE5In0..AAAA", "payload is empty"),
    ("eyJhbGciOiJFZDI1NTE5In0=.e30.AAAA", "header has characters outside"),
    ("eyJhbGciOiJFZDI1NTE5In0.e3+0.AAAA", "payload has characters outside"),
    ("eyJhbGciOiJFZDI1NTE5In0.e30.AA/A", "signature has characters outside"),
    ("eyJhbGciOiJFZDI1NTE5In0.e30.AAAAA", "signature has an impossible length"),
    ("eyJhbGciOiJFZDI1NTE5In0.e30.AA A", "signature has characters outside"),
    ("eyJhbGciOiJFZDI1NTE5In0.é.AAAA", "payload has characters outside"),
    (b64url_encode(b"not json") + ".e30.AAAA", "header is not UTF-8 JSON"),
    (b64url_encode(b"\xff{}") + ".e30.AAAA", "header is not UTF-8 JSON"),
    (b64url_encode(b'["alg"]') + ".e30.AAAA", "header is not a JSON object"),
    (b64url_encode(b'{"alg":"Ed25519","alg":"none"}') + ".e30.AAAA", "appears twice"),
    (b64url_encode(b'{"alg":"Ed25519","crit":["exp"],"exp":1}') + ".e30.AAAA",
     "critical extensions"),
])
def test_malformed_tokens_say_what_and_where(keys: KeySet, token: str, where: str) -> None:
    assert where in str(refused(token, keys, Reason.MALFORMED))


def test_truncated_tokens_never_verify(key: SigningKey, keys: KeySet) -> None:
    token = key.sign({"name": "Ana", "rank": "Policía Segundo"}, "vc+jwt")
    for cut in range(1, len(token)):
        with pytest.raises(JoseError) as caught:
            verify_compact(token[:cut], keys, types=VC)
        assert caught.value.reason in (Reason.MALFORMED, Reason.BAD_SIGNATURE), cut


def test_oversized_and_non_text_tokens_are_refused(keys: KeySet) -> None:
    assert "limit" in str(refused("a" * (MAX_TOKEN_CHARS + 1), keys, Reason.MALFORMED))
    refused(b"eyJ.e30.AAAA", keys, Reason.MALFORMED)  # type: ignore[arg-type]


def test_the_header_cache_does_not_leak_changes(key: SigningKey, keys: KeySet) -> None:
    token = key.sign({"a": 1}, "vc+jwt")
    first = verify_compact(token, keys, types=VC)
    first.header["typ"] = "JWT"
    first.header["kid"] = "someone-else"
    assert verify_compact(token, keys, types=VC).header == {
        "alg": "Ed25519", "kid": key.kid, "typ": "vc+jwt"}


def test_b64url_round_trip_and_strictness() -> None:
    for data in (b"", b"\0", b"\xff\xfe", bytes(range(256))):
        assert b64url_decode(b64url_encode(data)) == data
    assert base64.urlsafe_b64encode(b"\xfb\xff").decode() == "-_8="
    assert b64url_decode("-_8") == b"\xfb\xff"
    for bad in ("+/8", "-_8=", "A", "AB C"):
        with pytest.raises(ValueError):
            b64url_decode(bad)
