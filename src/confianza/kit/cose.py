"""COSE_Sign1 with Ed25519: just what the compact credential in the card's QR code needs.

Written from RFC 9052 (COSE structures, section 4: COSE_Sign1 and its Sig_structure), RFC 9053
(EdDSA, alg -8) and RFC 9864 (the fully specified Ed25519, alg -19, which we sign with, as the
JOSE side signs with `Ed25519`; -8 is accepted when verifying). CBOR is read and written with
cbor2; the signature is made and checked by `cryptography` through jose.py's keys, the same
Ed25519 keys that sign the vc+jwt credentials (a COSE Sig_structure is a CBOR array that
begins "Signature1", a JWS signing input is base64url text: one can never pass for the other).

Deliberately narrow, as the JOSE code is: one tagged COSE_Sign1 (tag 18), a protected header of
exactly alg and kid, an empty unprotected header (an unprotected kid could be swapped), a 64-byte
signature, and every structure in the one spelling cbor2 writes (shortest lengths, definite
lengths), so that one credential has one encoding. The order of the checks is the JOSE one, and
the reasons are jose.py's: structure, alg, kid, signature, and only then the payload.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import cbor2

from confianza.kit.jose import JoseError, Reason, SigningKey

#: CBOR tag of a COSE_Sign1 (RFC 9052 section 2).
TAG = 18
#: RFC 9864's fully specified Ed25519: what we sign with.
ALG_ED25519 = -19
#: RFC 9053's polymorphic EdDSA: accepted, as the JOSE side accepts "EdDSA".
ALG_EDDSA = -8
ALLOWED_ALGS = (ALG_ED25519, ALG_EDDSA)
_ALG, _CRIT, _KID = 1, 2, 4
_SIGNATURE_LEN = 64
_MAX_KID_BYTES = 64
#: Not from the spec: a guard against hostile input. Our compact credentials are ~260 bytes.
MAX_BYTES = 4096


class Sign1(NamedTuple):
    """A COSE_Sign1 whose structure was checked; nothing in `payload` is trusted until its
    signature is."""

    protected: bytes
    alg: int
    kid: str
    payload: bytes
    signature: bytes


def _protected(kid: str) -> bytes:
    return cbor2.dumps({_ALG: ALG_ED25519, _KID: kid.encode("utf-8")})


def sig_structure(protected: bytes, external_aad: bytes, payload: bytes) -> bytes:
    """What is signed (RFC 9052 section 4.4): ["Signature1", protected, external_aad, payload].
    `external_aad` is authenticated but not carried: the verifier must supply the same bytes."""
    return cbor2.dumps(["Signature1", protected, external_aad, payload])


def sign1(key: SigningKey, kid: str, payload: bytes, external_aad: bytes = b"") -> bytes:
    """A tagged COSE_Sign1 of `payload` by `key`, naming it `kid` in the protected header."""
    if not kid or len(kid.encode("utf-8")) > _MAX_KID_BYTES:
        raise ValueError(f"a COSE kid must be 1 to {_MAX_KID_BYTES} bytes, not {kid!r}")
    protected = _protected(kid)
    signature = key.sign_bytes(sig_structure(protected, external_aad, payload))
    return cbor2.dumps(cbor2.CBORTag(TAG, [protected, {}, payload, signature]))


def signed_size(kid: str, payload_len: int) -> int:
    """How many bytes `sign1` makes for a payload of `payload_len` bytes (no signing needed)."""
    return len(cbor2.dumps(cbor2.CBORTag(TAG, [_protected(kid), {}, b"\0" * payload_len,
                                              b"\0" * _SIGNATURE_LEN])))


def _malformed(message: str) -> JoseError:
    return JoseError(Reason.MALFORMED, message)


def loads_exact(data: bytes, what: str) -> Any:
    """CBOR `data` decoded, refused unless it is exactly the one spelling cbor2 writes."""
    try:
        value = cbor2.loads(data)
        again = cbor2.dumps(value)
    except Exception as exc:  # cbor2 raises many kinds for hostile input; all mean "malformed"
        raise _malformed(f"the {what} is not valid CBOR: {str(exc) or type(exc).__name__}"
                         ) from None
    if again != data:
        raise _malformed(f"the {what} is not in canonical CBOR (one credential, one spelling)")
    return value


def parse_sign1(data: bytes) -> Sign1:
    """The structure of a tagged COSE_Sign1, its alg and its kid checked (JoseError if not)."""
    if len(data) > MAX_BYTES:
        raise _malformed(f"the COSE message is {len(data):,} bytes, over the limit of "
                         f"{MAX_BYTES:,}")
    message = loads_exact(data, "COSE message")
    if not isinstance(message, cbor2.CBORTag) or message.tag != TAG:
        raise _malformed("the data is not a tagged COSE_Sign1 (CBOR tag 18)")
    parts = message.value
    # cbor2 may hand back arrays as tuples and maps as immutable mappings.
    if not isinstance(parts, list | tuple) or len(parts) != 4:
        raise _malformed("a COSE_Sign1 is an array of 4: protected, unprotected, payload, "
                         "signature")
    protected, unprotected, payload, signature = parts
    if not isinstance(protected, bytes) or not isinstance(payload, bytes) \
            or not isinstance(signature, bytes):
        raise _malformed("the protected header, payload and signature must be byte strings")
    if not isinstance(unprotected, Mapping) or len(unprotected):
        raise _malformed("the unprotected header must be empty: whatever it says is not signed")
    header = loads_exact(protected, "protected header")
    if not isinstance(header, Mapping):
        raise _malformed("the protected header is not a CBOR map")
    if _CRIT in header:
        raise _malformed(f"the protected header lists critical parameters we do not "
                         f"support: {header[_CRIT]!r}")
    if set(header) - {_ALG, _KID}:
        raise _malformed(f"the protected header has parameters other than alg and kid: "
                         f"{sorted(map(repr, set(header) - {_ALG, _KID}))}")
    alg = header.get(_ALG)
    if not isinstance(alg, int) or isinstance(alg, bool) or alg not in ALLOWED_ALGS:
        shown = "missing" if alg is None else repr(alg)
        raise JoseError(Reason.ALG_NOT_ALLOWED, f"the protected header's alg is {shown}; "
                        f"only Ed25519 ({ALG_ED25519}) and EdDSA ({ALG_EDDSA}) are accepted")
    raw_kid = header.get(_KID)
    if not isinstance(raw_kid, bytes) or not 0 < len(raw_kid) <= _MAX_KID_BYTES:
        raise JoseError(Reason.UNKNOWN_KEY, "the protected header names no kid (1 to "
                        f"{_MAX_KID_BYTES} bytes), so no key of the issuer can be chosen")
    try:
        kid = raw_kid.decode("utf-8")
    except UnicodeDecodeError:
        raise JoseError(Reason.UNKNOWN_KEY, "the protected header's kid is not UTF-8") from None
    if not kid.isprintable():
        raise JoseError(Reason.UNKNOWN_KEY, "the protected header's kid is not printable")
    if len(signature) != _SIGNATURE_LEN:
        raise JoseError(Reason.BAD_SIGNATURE, f"the signature is {len(signature)} bytes, not "
                        f"the {_SIGNATURE_LEN} of Ed25519: the message was altered")
    return Sign1(protected, alg, kid, payload, signature)


def verifies(message: Sign1, external_aad: bytes,
             check: Callable[[bytes, bytes], bool]) -> bool:
    """Whether `check(signature, Sig_structure)` accepts the message's signature given the
    `external_aad` the verifier supplies."""
    return check(message.signature, sig_structure(message.protected, external_aad,
                                                  message.payload))
