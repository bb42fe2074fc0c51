"""Compact JWS with Ed25519 (and ES256 for verifying others): keys, signing and verification.

Written from RFC 7515 (JWS), RFC 7517 (JWK), RFC 8037 (OKP keys, Ed25519) and RFC 9864, which
deprecates the polymorphic alg `EdDSA` in favour of the fully specified `Ed25519`: we sign with
`Ed25519` and accept both when verifying. ES256 is accepted so that credentials secured by other
issuers' P-256 keys (the W3C VC-JOSE-COSE test vectors among them) can be checked too.

Keys are read with joserfc (it validates JWKs: lengths, points on the curve); signatures are made
and checked with `cryptography` directly on the cached key objects, and the compact form is parsed
here. That keeps the order of the checks ours, so each refusal has one precise reason, and keeps a
check of a national credential in the tens of microseconds beyond the signature itself.

The order of the checks in `verify_compact` is part of the contract: structure, then `alg` (only
`ALLOWED_ALGS`: never `none`, never HMAC), then `typ`, then `kid`, then that the key fits the alg,
then the signature, and only then the payload's JSON. Nothing from an unverified payload is read.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Collection, Iterator, Mapping
from enum import StrEnum
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ec import (
    ECDSA,
    SECP256R1,
    EllipticCurvePublicKey,
)
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from joserfc.errors import JoseError as _JoserfcError
from joserfc.jwk import ECKey, OKPKey

from confianza.kit.errors import StandardsError

ALLOWED_ALGS = ("Ed25519", "EdDSA", "ES256")
#: The alg we sign with (RFC 9864).
SIGNING_ALG = "Ed25519"
#: Not from the specs: a guard against hostile input. Our credentials are about a kilobyte and a
#: status list of a million entries, every bit random, under 400 KB once encoded twice.
MAX_TOKEN_CHARS = 1 << 20
_MAX_KID_CHARS = 256

# Which kind of key each allowed alg needs.
_ED25519 = "Ed25519"
_P256 = "P-256"
_KIND_OF_ALG = {"Ed25519": _ED25519, "EdDSA": _ED25519, "ES256": _P256}
_ALGS_OF_KIND = {_ED25519: ("Ed25519", "EdDSA"), _P256: ("ES256",)}
_ES256_SIGNATURE_LEN = 64
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
# Every token of one key and typ has the same header: its checked parse is kept, up to a bound
# so that a stream of made-up headers cannot grow it.
_HEADER_CACHE: dict[str, dict[str, Any]] = {}
_HEADER_CACHE_SIZE = 256
_APPLICATION = "application/"
# JWK members that only a private key has (RFC 7518 section 6, RFC 8037 section 2).
_PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
_PUBLIC_MEMBERS = ("kty", "crv", "x", "y", "kid", "alg", "use")


class Reason(StrEnum):
    """Why a token was refused, as a stable code."""

    MALFORMED = "malformed"
    WRONG_TYPE = "wrong_type"
    ALG_NOT_ALLOWED = "alg_not_allowed"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"


class JoseError(StandardsError):
    """A token that does not verify; `reason` says why, the message says what and where."""

    title = "Invalid signed token"

    def __init__(self, reason: Reason, message: str, *, kid: str | None = None) -> None:
        super().__init__(message, code=reason.value)
        self.reason = reason
        self.kid = kid


class Verified(NamedTuple):
    header: dict[str, Any]
    payload: dict[str, Any]
    kid: str


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding (RFC 7515 section 2); ValueError on anything else."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError("has characters outside the base64url alphabet") from None
    # The standard alphabet's "+", "/" and padding would pass the strict decoder below once the
    # URL alphabet is translated, so they are refused first.
    if b"+" in raw or b"/" in raw or b"=" in raw:
        raise ValueError("has characters outside the base64url alphabet")
    try:
        return binascii.a2b_base64(raw.translate(_TO_STANDARD) + b"=" * (-len(raw) % 4),
                                   strict_mode=True)
    except binascii.Error as exc:
        if len(raw) % 4 == 1:
            raise ValueError(f"has an impossible length ({len(raw)} characters)") from None
        raise ValueError("has characters outside the base64url alphabet") from exc


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                raise ValueError(f"member {name!r} appears twice")
            seen.add(name)
    return result


def _check_kid(kid: object, where: str) -> str:
    if not isinstance(kid, str) or not kid.strip():
        raise ValueError(f"{where} needs a kid: a non-empty string")
    if len(kid) > _MAX_KID_CHARS or not kid.isprintable():
        raise ValueError(f"{where}: kid must be printable and at most {_MAX_KID_CHARS} characters")
    return kid


def _json_object(value: str | Mapping[str, Any], what: str) -> Mapping[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{what} is not valid JSON: {exc}") from exc
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be a JSON object, not {type(value).__name__}")
    return value


class SigningKey:
    """An Ed25519 private key with its kid: signs compact JWS with alg `Ed25519`."""

    __slots__ = ("kid", "_private", "_x", "_headers")

    def __init__(self, kid: str, private: Ed25519PrivateKey) -> None:
        self.kid = _check_kid(kid, "a signing key")
        self._private = private
        self._x = b64url_encode(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
        # The protected header is the same for every token of one typ: encode it once.
        self._headers: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"SigningKey(kid={self.kid!r})"

    @classmethod
    def generate(cls, kid: str) -> SigningKey:
        return cls(kid, Ed25519PrivateKey.generate())

    @classmethod
    def from_jwk(cls, value: str | Mapping[str, Any]) -> SigningKey:
        """A private OKP Ed25519 JWK with `d`, `x` and `kid`; ValueError naming what is wrong."""
        jwk = _json_object(value, "the signing key")
        kid = _check_kid(jwk.get("kid"), "the signing key")
        where = f"signing key {kid!r}"
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            raise ValueError(f"{where} must be an OKP Ed25519 JWK, not kty {jwk.get('kty')!r} "
                             f"crv {jwk.get('crv')!r}")
        if jwk.get("alg", SIGNING_ALG) not in _ALGS_OF_KIND[_ED25519]:
            raise ValueError(f"{where} declares alg {jwk.get('alg')!r}, not Ed25519")
        if jwk.get("use", "sig") != "sig":
            raise ValueError(f"{where} declares use {jwk.get('use')!r}, not 'sig'")
        raw: dict[str, bytes] = {}
        for member in ("d", "x"):
            text = jwk.get(member)
            if not isinstance(text, str):
                raise ValueError(f"{where} has no {member!r} (a private JWK needs d and x)")
            try:
                raw[member] = b64url_decode(text)
            except ValueError as exc:
                raise ValueError(f"{where}: {member!r} {exc}") from exc
            if len(raw[member]) != 32:
                raise ValueError(f"{where}: {member!r} must be 32 bytes, not {len(raw[member])}")
        private = Ed25519PrivateKey.from_private_bytes(raw["d"])
        if private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) != raw["x"]:
            raise ValueError(f"{where}: 'x' is not the public key of 'd'")
        return cls(kid, private)

    def to_jwk(self) -> dict[str, str]:
        """The private JWK (keep it secret): what `from_jwk` reads back."""
        d = self._private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return {**self.public_jwk(), "d": b64url_encode(d)}

    def public_jwk(self) -> dict[str, str]:
        return {"kty": "OKP", "crv": "Ed25519", "x": self._x, "kid": self.kid,
                "alg": SIGNING_ALG, "use": "sig"}

    def sign(self, payload: Mapping[str, Any], typ: str) -> str:
        """Compact JWS of `payload` (compact JSON) under {"alg":"Ed25519","kid":...,"typ":...}."""
        header = self._headers.get(typ)
        if header is None:
            if not isinstance(typ, str) or not typ:
                raise ValueError("typ must be a non-empty string")
            header = b64url_encode(json.dumps(
                {"alg": SIGNING_ALG, "kid": self.kid, "typ": typ},
                separators=(",", ":"), ensure_ascii=False).encode())
            self._headers[typ] = header
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        signing_input = f"{header}.{b64url_encode(body.encode())}"
        signature = self._private.sign(signing_input.encode("ascii"))
        return f"{signing_input}.{b64url_encode(signature)}"

    def sign_bytes(self, data: bytes) -> bytes:
        """The raw Ed25519 signature of `data` (for COSE, whose structure to be signed is not a
        JWS signing input: the two can never be mistaken for one another)."""
        return self._private.sign(data)

    def sign_exact(self, header: bytes, payload: bytes) -> str:
        """Compact JWS over exactly these header and payload bytes (for published examples such
        as RFC 8037 A.4). The header must be a JSON object whose alg is Ed25519 or EdDSA: we never
        produce a token that names an algorithm it was not signed with."""
        try:
            parsed = json.loads(header.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"the header is not UTF-8 JSON: {exc}") from exc
        if not isinstance(parsed, dict) or parsed.get("alg") not in _ALGS_OF_KIND[_ED25519]:
            raise ValueError("the header must be a JSON object with alg Ed25519 or EdDSA")
        signing_input = f"{b64url_encode(header)}.{b64url_encode(payload)}"
        signature = self._private.sign(signing_input.encode("ascii"))
        return f"{signing_input}.{b64url_encode(signature)}"


class _PublicKey(NamedTuple):
    kind: str  # _ED25519 or _P256
    verify: Callable[[bytes, bytes], None]  # (signature as in the token, signing input)
    jwk: dict[str, str]


def _ed25519_verifier(key: Ed25519PublicKey) -> Callable[[bytes, bytes], None]:
    return key.verify


def _es256_verifier(key: EllipticCurvePublicKey) -> Callable[[bytes, bytes], None]:
    algorithm = ECDSA(SHA256())

    def verify(signature: bytes, data: bytes) -> None:
        # JWS carries R || S, 32 bytes each (RFC 7518 section 3.4); cryptography wants DER.
        if len(signature) != _ES256_SIGNATURE_LEN:
            raise InvalidSignature
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                                   int.from_bytes(signature[32:], "big"))
        key.verify(der, data, algorithm)

    return verify


def _public_key(jwk: Mapping[str, Any], where: str) -> _PublicKey:
    private = [m for m in _PRIVATE_MEMBERS if m in jwk]
    if private:
        raise ValueError(f"{where} carries private material ({', '.join(private)}): a key set "
                         "holds public keys only")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if kty == "OKP" and crv == "Ed25519":
        kind = _ED25519
    elif kty == "EC" and crv == "P-256":
        kind = _P256
    else:
        raise ValueError(f"{where} is kty {kty!r} crv {crv!r}: only OKP Ed25519 and EC P-256 "
                         "keys are supported")
    if "alg" in jwk and jwk["alg"] not in _ALGS_OF_KIND[kind]:
        raise ValueError(f"{where} declares alg {jwk['alg']!r}, which a {kind} key cannot use "
                         f"(expected {' or '.join(_ALGS_OF_KIND[kind])})")
    if jwk.get("use", "sig") != "sig":
        raise ValueError(f"{where} declares use {jwk.get('use')!r}, not 'sig'")
    members = ("x",) if kind == _ED25519 else ("x", "y")
    for member in members:
        text = jwk.get(member)
        if not isinstance(text, str):
            raise ValueError(f"{where} has no {member!r}")
        try:
            size = len(b64url_decode(text))
        except ValueError as exc:
            raise ValueError(f"{where}: {member!r} {exc}") from exc
        if size != 32:
            raise ValueError(f"{where}: {member!r} must be 32 bytes, not {size}")
    public = {m: jwk[m] for m in _PUBLIC_MEMBERS if isinstance(jwk.get(m), str)}
    try:
        if kind == _ED25519:
            okp = OKPKey.import_key({m: public[m] for m in ("kty", "crv", "x")})
            if not isinstance(okp.public_key, Ed25519PublicKey):
                raise ValueError("not an Ed25519 public key")
            return _PublicKey(kind, _ed25519_verifier(okp.public_key), public)
        ec = ECKey.import_key({m: public[m] for m in ("kty", "crv", "x", "y")})
        if not isinstance(ec.public_key, EllipticCurvePublicKey) or not isinstance(
                ec.public_key.curve, SECP256R1):
            raise ValueError("not a P-256 public key")
        return _PublicKey(kind, _es256_verifier(ec.public_key), public)
    except (ValueError, TypeError, _JoserfcError) as exc:
        raise ValueError(f"{where} is not a valid public key: {str(exc) or 'unreadable'}") from exc


class KeySet:
    """The public keys a verifier trusts, by kid (an issuer's JWKS). Retired keys stay in the set
    so that what they signed still verifies until it expires."""

    __slots__ = ("_keys",)

    def __init__(self, keys: Mapping[str, _PublicKey]) -> None:
        self._keys = dict(keys)

    @classmethod
    def from_jwks(cls, value: str | Mapping[str, Any]) -> KeySet:
        """A JWKS ({"keys": [...]}) of public OKP Ed25519 and EC P-256 keys, each with a kid."""
        jwks = _json_object(value, "the JWKS")
        listed = jwks.get("keys")
        if not isinstance(listed, list) or not listed:
            raise ValueError("the JWKS must have a non-empty 'keys' list")
        keys: dict[str, _PublicKey] = {}
        for number, jwk in enumerate(listed, start=1):
            if not isinstance(jwk, Mapping):
                raise ValueError(f"key {number} of the JWKS is not a JSON object")
            kid = _check_kid(jwk.get("kid"), f"key {number} of the JWKS")
            where = f"key {number} of the JWKS (kid {kid!r})"
            if kid in keys:
                raise ValueError(f"{where} repeats a kid already in the set")
            keys[kid] = _public_key(jwk, where)
        return cls(keys)

    @classmethod
    def of(cls, *public_jwks: Mapping[str, Any]) -> KeySet:
        return cls.from_jwks({"keys": list(public_jwks)})

    def to_jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [dict(key.jwk) for key in self._keys.values()]}

    def __contains__(self, kid: object) -> bool:
        return kid in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def named(self, name: str) -> list[str]:
        """The kids of the Ed25519 keys called `name`: the kid itself, or any `<did>#<name>`
        (a compact credential names its key by the part after "#" to save room)."""
        suffix = "#" + name
        return [kid for kid, key in self._keys.items()
                if key.kind == _ED25519 and (kid == name or kid.endswith(suffix))]

    def ed25519_verifies(self, kid: str, signature: bytes, data: bytes) -> bool:
        """Whether the Ed25519 key `kid` of this set made `signature` over `data`; False for
        an unknown kid or a key of another kind."""
        key = self._keys.get(kid)
        if key is None or key.kind != _ED25519:
            return False
        try:
            key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def __repr__(self) -> str:
        return f"KeySet(kids={self.kids!r})"


def _malformed(message: str, kid: str | None = None) -> JoseError:
    return JoseError(Reason.MALFORMED, message, kid=kid)


def _structure_error(token: str) -> JoseError:
    parts = token.split(".")
    return _malformed(f"the token is not a compact JWS: expected 3 dot-separated parts "
                      f"(header.payload.signature), found {len(parts)}")


def _decode_part(part: str, name: str) -> bytes:
    if not part:
        raise _malformed(f"the {name} is empty")
    try:
        return b64url_decode(part)
    except ValueError as exc:
        raise _malformed(f"the {name} {exc}") from None


def _read_header(part: str) -> dict[str, Any]:
    """The protected header, checked for structure only (alg, typ and kid come after)."""
    decoded = _decode_part(part, "header")
    try:
        header = json.loads(decoded.decode("utf-8"), object_pairs_hook=_refuse_duplicates)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _malformed(f"the header is not UTF-8 JSON: {exc}") from None
    if not isinstance(header, dict):
        raise _malformed("the header is not a JSON object")
    if "crit" in header:
        # RFC 7515 section 4.1.11: we understand no extension, so any critical one is refused.
        raise _malformed(f"the header lists critical extensions we do not support: "
                         f"{header['crit']!r}")
    return header


def _media_type(value: str) -> str:
    # Media types compare case-insensitively; RFC 7515 section 4.1.9 lets typ omit "application/".
    lowered = value.lower()
    return lowered[len(_APPLICATION):] if lowered.startswith(_APPLICATION) else lowered


def verify_compact(token: str, keys: KeySet, *, types: Collection[str | None],
                   default_kid: str | None = None) -> Verified:
    """Verify a compact JWS and return its header and payload, or raise JoseError.

    `types` lists the accepted `typ` values ("vc+jwt" also accepts "application/vc+jwt"); a None
    in it accepts a header without typ, which production never does. `default_kid` is the key for
    a header that names none (published examples without kid); None, the default, refuses such a
    header as UNKNOWN_KEY."""
    if not isinstance(token, str):
        raise _malformed("the token is not text")
    if len(token) > MAX_TOKEN_CHARS:
        raise _malformed(f"the token is {len(token):,} characters long, over the limit of "
                         f"{MAX_TOKEN_CHARS:,}")
    parts = token.split(".")
    if len(parts) != 3:
        raise _structure_error(token)
    header_part, payload_part, signature_part = parts
    header = _HEADER_CACHE.get(header_part)
    if header is None:
        header = _read_header(header_part)
        if len(_HEADER_CACHE) >= _HEADER_CACHE_SIZE:
            _HEADER_CACHE.clear()
        _HEADER_CACHE[header_part] = header
    header = dict(header)  # the caller's own copy: the cached one must not change
    payload_bytes = _decode_part(payload_part, "payload")
    # An empty signature is let through here so that an unsecured token (alg "none", whose
    # signature is empty by definition) is refused for its alg, the precise reason.
    signature = _decode_part(signature_part, "signature") if signature_part else b""
    if b64url_encode(signature) != signature_part:
        # The last character of base64url may carry unused bits; two spellings of one signature
        # would make two token strings for one credential.
        raise _malformed("the signature is not in canonical base64url (unused bits are set)")

    alg = header.get("alg")
    if alg not in ALLOWED_ALGS:
        shown = "missing" if alg is None else repr(alg)
        raise JoseError(Reason.ALG_NOT_ALLOWED, f"the header's alg is {shown}; only "
                        f"{', '.join(ALLOWED_ALGS)} are accepted")

    typ = header.get("typ")
    if typ is None:
        if None not in types:
            raise JoseError(Reason.WRONG_TYPE, "the header has no typ; expected "
                            f"{_expected(types)}")
    elif not isinstance(typ, str) or (typ not in types and _media_type(typ) not in {
            _media_type(t) for t in types if t is not None}):
        raise JoseError(Reason.WRONG_TYPE, f"the header's typ is {typ!r}; expected "
                        f"{_expected(types)}")

    kid = header.get("kid", default_kid)
    if not isinstance(kid, str):
        raise JoseError(Reason.UNKNOWN_KEY, "the header names no kid, so no key of the issuer "
                        "can be chosen" if kid is None else "the header's kid is not a string")
    key = keys._keys.get(kid)
    if key is None:
        raise JoseError(Reason.UNKNOWN_KEY, f"the header's kid {kid!r} is not one of the "
                        f"issuer's keys", kid=kid)
    if _KIND_OF_ALG[alg] != key.kind:
        raise JoseError(Reason.ALG_NOT_ALLOWED, f"the header's alg {alg} cannot be used with "
                        f"key {kid!r}, a {key.kind} key", kid=kid)
    try:
        key.verify(signature, token[: len(header_part) + 1 + len(payload_part)].encode("ascii"))
    except InvalidSignature:
        raise JoseError(Reason.BAD_SIGNATURE, f"the signature does not verify with key {kid!r}: "
                        "the token was altered or signed by another key", kid=kid) from None

    try:
        payload = json.loads(payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _malformed(f"the payload is not UTF-8 JSON: {exc}", kid) from exc
    if not isinstance(payload, dict):
        raise _malformed("the payload is not a JSON object", kid)
    return Verified(header, payload, kid)


def _expected(types: Collection[str | None]) -> str:
    named = sorted(t for t in types if t is not None)
    return " or ".join(named) if named else "none"
