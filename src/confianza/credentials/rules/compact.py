"""The compact CUP credential that the printed card's QR code carries (ADR 0020).

The vc+jwt credential is about a kilobyte: as a QR code on an ID-1 card its modules are too small
for a phone. The card's code carries instead a link a phone camera opens,

    <public URL>/v/<RFC 4648 base32 of a COSE_Sign1>

whose last part is everything an offline verifier needs: a COSE_Sign1 (cose.py) signed by the
same Ed25519 key as the vc+jwt, its payload a CWT-style claims map (RFC 8392):

    {4: exp, 5: nbf,                    # NumericDate: the vc+jwt's validUntil and validFrom
     -65537: {1: certificate number,    # the CUP's claims, under a private-use claim key
              2: name, 3: rank, 4: agency,
              5: [status list number, position in it],    # the same in both purposes' lists
              6: UTC offset in minutes of nbf and of exp: one integer when they agree,
                 else [nbf's, exp's]}}

The issuer's did:web is not carried but signed, as the COSE external_aad: a key of one issuer
cannot vouch for another, and a link whose address is not the issuer's is refused. The status
lists are the vc+jwt's (`<public URL>/credentials/status/<purpose>/<number>`). The offsets are
those the vc+jwt states its two instants with (the deployment's zone on those days): with them
a verifier anywhere reads the same civil days from both forms, without knowing the zone.

The code must stay within version 13 at level M (69 modules, 0.33 mm or more each on the card):
the link's address in byte mode and the base32 in the denser alphanumeric mode (its 32 letters
and digits are all QR alphanumeric characters and all safe in a URL path). When the texts do
not fit, they are shortened and end in "…": what is signed is exactly what is shown.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final
from urllib.parse import quote, unquote, urlsplit

import cbor2

from confianza.kit import cose

#: The path segment of a compact credential's link: `<public URL>/v/<base32>`.
LINK_SEGMENT: Final = "v"
#: The CWT claim key of the CUP's own claims: the first private-use key (RFC 8392 section 9.1).
CUP_CLAIM: Final = -65537
_EXP, _NBF = 4, 5
_NUMBER, _NAME, _RANK, _AGENCY, _STATUS, _OFFSETS = 1, 2, 3, 4, 5, 6
_CUP_KEYS: Final = frozenset({_NUMBER, _NAME, _RANK, _AGENCY, _STATUS, _OFFSETS})
#: A UTC offset is less than a day (the widest in use are -12:00 and +14:00).
_MAX_OFFSET_MINUTES = 24 * 60 - 1
ELLIPSIS: Final = "…"

# The QR code's budget: version 13 at level M holds 334 data codewords (ISO/IEC 18004:2015,
# table 7). Versions 10 to 26 count a byte segment in 16 bits and an alphanumeric one in 11.
QR_VERSION: Final = 13
QR_DATA_BITS: Final = 334 * 8
_MODE_BITS = 4
_BYTE_COUNT_BITS = 16
_ALNUM_COUNT_BITS = 11

# What may be cut, in this order, and how far, when the texts do not fit: the agency's name
# first (the card prints it whole), then the rank, then the officer's name, which is what a
# person compares with the one in front of them. Then nothing more: the issuer's address is too
# long for the card's code, and issuing says so.
SHORTEST: Final = (("agency", 24), ("rank", 16), ("name", 32))
#: Not to be cut: a certificate number is read out whole or not at all.
MAX_NUMBER_CHARS: Final = 40
_MAX_TEXT_CHARS = 200
_BASE32 = re.compile(r"[A-Z2-7]+")
_TO_DIGITS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghijklmnopqrstuv")
# A compact credential starts with CBOR tag 18 and an array of 4 (0xD2 0x84): "2KC" in base32.
# What starts so is taken for one of ours, even cut short, and its check says what is wrong.
TEXT_START: Final = "2KC"


class CompactError(ValueError):
    """A compact credential that cannot be made or read; the message says what is wrong."""


@dataclass(frozen=True)
class CompactClaims:
    """What the card's code says: the CUP's facts (texts perhaps shortened), its validity as
    the vc+jwt's two instants in seconds since 1970 with the UTC offsets (in minutes) it states
    them in, and its place in the status lists."""

    certificate_number: str
    name: str
    rank: str
    agency: str
    not_before: int
    expires: int
    status_list: int
    status_position: int
    offsets: tuple[int, int] = (0, 0)


def encode_claims(claims: CompactClaims) -> bytes:
    return cbor2.dumps({
        _EXP: claims.expires,
        _NBF: claims.not_before,
        CUP_CLAIM: {
            _NUMBER: claims.certificate_number,
            _NAME: claims.name,
            _RANK: claims.rank,
            _AGENCY: claims.agency,
            _STATUS: [claims.status_list, claims.status_position],
            _OFFSETS: claims.offsets[0] if claims.offsets[0] == claims.offsets[1]
            else list(claims.offsets),
        },
    })


def _int(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CompactError(f"{what} is not a non-negative integer")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CompactError(f"{what} is missing")
    return value


def decode_claims(payload: bytes) -> CompactClaims:
    """The claims of a signed payload; CompactError naming what is missing or wrong."""
    try:
        claims = cose.loads_exact(payload, "payload")
    except ValueError as exc:
        raise CompactError(str(exc)) from None
    if not isinstance(claims, Mapping) or set(claims) != {_EXP, _NBF, CUP_CLAIM}:
        raise CompactError("the payload is not a CUP claims map (exp, nbf and the CUP claim)")
    cup = claims[CUP_CLAIM]
    if not isinstance(cup, Mapping) or set(cup) != _CUP_KEYS:
        raise CompactError("the CUP claim must hold exactly the number, name, rank, agency, "
                           "status and offsets")
    status = cup[_STATUS]
    if not isinstance(status, list | tuple) or len(status) != 2:
        raise CompactError("the CUP's status is not [list number, position]")
    return CompactClaims(
        certificate_number=_text(cup[_NUMBER], "the certificate number"),
        name=_text(cup[_NAME], "the name"), rank=_text(cup[_RANK], "the rank"),
        agency=_text(cup[_AGENCY], "the agency"),
        not_before=_int(claims[_NBF], "nbf"), expires=_int(claims[_EXP], "exp"),
        status_list=_int(status[0], "the status list number"),
        status_position=_int(status[1], "the status position"),
        offsets=_offsets(cup[_OFFSETS]))


def _offset(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) \
            or abs(value) > _MAX_OFFSET_MINUTES:
        raise CompactError(f"the UTC offset {value!r} is not a number of minutes under a day")
    return value


def _offsets(value: object) -> tuple[int, int]:
    """One offset for both instants, or two that differ (one spelling for each pair)."""
    if isinstance(value, list | tuple):
        if len(value) != 2 or value[0] == value[1]:
            raise CompactError("the UTC offsets are one integer, or a pair that differ")
        return _offset(value[0]), _offset(value[1])
    return _offset(value), _offset(value)


# The QR code's budget ---------------------------------------------------------------------------


def link_prefix(base_url: str) -> str:
    """What comes before the base32 in the link: `<public URL>/v/`."""
    return f"{base_url.rstrip('/')}/{LINK_SEGMENT}/"


def qr_bits(prefix: str, alphanumeric_chars: int) -> int:
    """The data bits of a version 10-26 QR code holding `prefix` in byte mode (UTF-8) and then
    `alphanumeric_chars` characters in alphanumeric mode."""
    alnum = 11 * (alphanumeric_chars // 2) + 6 * (alphanumeric_chars % 2)
    return (_MODE_BITS + _BYTE_COUNT_BITS + 8 * len(prefix.encode("utf-8"))
            + _MODE_BITS + _ALNUM_COUNT_BITS + alnum)


def base32_chars(size: int) -> int:
    """The length of `size` bytes in unpadded base32."""
    return (size * 8 + 4) // 5


def max_signed_bytes(base_url: str) -> int:
    """The largest COSE_Sign1 whose link from `base_url` fits version 13 at level M."""
    prefix = link_prefix(base_url)
    size = 0
    while qr_bits(prefix, base32_chars(size + 1)) <= QR_DATA_BITS:
        size += 1
    return size


def _cut(text: str, chars: int) -> str:
    """`text` in at most `chars` characters, ending in "…" when it had to be shortened."""
    if len(text) <= chars:
        return text
    return text[: chars - 1].rstrip(" ,.;-") + ELLIPSIS


def _with(claims: CompactClaims, field: str, value: str) -> CompactClaims:
    if field == "agency":
        return replace(claims, agency=value)
    if field == "rank":
        return replace(claims, rank=value)
    return replace(claims, name=value)


def fit(claims: CompactClaims, kid: str, budget: int) -> CompactClaims:
    """The claims shortened, as SHORTEST says, until their COSE_Sign1 is at most `budget`
    bytes; CompactError when even the shortest allowed texts do not fit."""
    if len(claims.certificate_number) > MAX_NUMBER_CHARS:
        raise CompactError(f"the certificate number {claims.certificate_number!r} is longer "
                           f"than {MAX_NUMBER_CHARS} characters")

    def size(candidate: CompactClaims) -> int:
        return cose.signed_size(kid, len(encode_claims(candidate)))

    fitted = claims
    for field, _ in SHORTEST:
        fitted = _with(fitted, field, _cut(getattr(fitted, field), _MAX_TEXT_CHARS))
    for field, shortest in SHORTEST:
        value: str = getattr(fitted, field)
        if size(fitted) <= budget:
            return fitted
        # Cut one character at a time: the texts are short and the encoding takes microseconds.
        for chars in range(len(value) - 1, shortest - 1, -1):
            fitted = _with(fitted, field, _cut(value, chars))
            if size(fitted) <= budget:
                return fitted
    if size(fitted) <= budget:
        return fitted
    raise CompactError(f"the compact credential needs {size(fitted)} bytes even with its texts "
                       f"shortened, over the {budget} that a version {QR_VERSION} QR code "
                       "holds after the link's address: the public URL is too long")


# The text and the link --------------------------------------------------------------------------


def to_text(signed: bytes) -> str:
    return base64.b32encode(signed).decode("ascii").rstrip("=")


def from_text(text: str) -> bytes:
    """The bytes of a compact credential's text: RFC 4648 base32, upper case, unpadded, in its
    one spelling (no unused bits set); CompactError otherwise."""
    if not _BASE32.fullmatch(text):
        raise CompactError("the compact credential has characters outside base32 "
                           "(A-Z and 2-7, upper case, no padding)")
    if len(text) % 8 in (1, 3, 6):
        raise CompactError(f"the compact credential has an impossible length "
                           f"({len(text)} characters)")
    # As one big number: the standard library's b32decode, written in Python, would cost more
    # than the signature check. Base32's letters become int()'s base-32 digits.
    size, unused = divmod(len(text) * 5, 8)
    value = int(text.translate(_TO_DIGITS), 32)
    if value & ((1 << unused) - 1):
        raise CompactError("the compact credential is not in canonical base32 (unused bits "
                           "are set)")
    return (value >> unused).to_bytes(size, "big")


def link(base_url: str, text: str) -> str:
    return link_prefix(base_url) + text


def extract(presented: Any) -> tuple[str, str | None] | None:
    """The compact credential in what was presented, and the address its link names: a link
    `<base>/v/<base32>` gives (base32, base); the bare text (starting "2KC") gives
    (text, None). None for anything else."""
    if not isinstance(presented, str):
        return None
    text = presented.strip()
    if text.startswith(TEXT_START):
        return text, None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    head, _, last = parts.path.rpartition("/")
    base, _, segment = head.rpartition("/")
    if segment != LINK_SEGMENT or not last.startswith(TEXT_START):
        return None
    return last, f"{parts.scheme}://{parts.netloc}{base}"


def list_base(did: str) -> str:
    """The https address of a did:web (W3C did:web method): where a bare compact credential,
    shown without its link, finds its status lists."""
    if not did.startswith("did:web:"):
        raise CompactError(f"{did!r} is not a did:web")
    host, *segments = did[len("did:web:"):].split(":")
    if not host:
        raise CompactError(f"{did!r} names no host")
    path = "".join("/" + quote(unquote(s), safe="") for s in segments)
    return f"https://{unquote(host)}{path}"
