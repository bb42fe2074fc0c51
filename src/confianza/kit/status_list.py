"""W3C Bitstring Status List v1.0: the lists that revoke and suspend credentials.

Written from the W3C Recommendation. A list is a bitstring of at least 131,072 entries (so that
one credential's bit hides among many: "herd privacy"), published as a verifiable credential whose
`encodedList` is "u" (the multibase prefix of base64url without padding) followed by the base64url
of the GZIP-compressed bitstring. Entry 0 is the left-most, most significant bit of the first
byte. A credential points at its bit with a BitstringStatusListEntry in `credentialStatus`.

We use two purposes: "revocation" (permanent) and "suspension" (reversible: the bit is set and
cleared again). Each has lists of its own, as the spec asks (one purpose per list).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

MIN_ENTRIES = 131_072
#: Not from the spec: a bound on what a list may decompress to, so a small hostile list cannot
#: expand into gigabytes (a "zip bomb"). 16 MiB is 134 million entries.
MAX_LIST_BYTES = 1 << 24
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
LIST_TYPE = "BitstringStatusList"
REVOCATION = "revocation"
SUSPENSION = "suspension"
PURPOSES = (REVOCATION, SUSPENSION)
_MULTIBASE_BASE64URL = "u"
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class StatusListError(ValueError):
    """A list, an entry or an index that cannot be used; the message says which and why."""


def encode_list(bits: bytes) -> str:
    """The `encodedList` of a bitstring: "u" + base64url(gzip(bits)), no padding."""
    if len(bits) * 8 < MIN_ENTRIES:
        raise StatusListError(f"a status list needs at least {MIN_ENTRIES:,} entries "
                              f"({MIN_ENTRIES // 8:,} bytes); this one has {len(bits) * 8:,}")
    # mtime=0: the same bits always encode to the same text, so a list that did not change is
    # byte for byte the list already published.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return _MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode_list(encoded: str) -> bytes:
    """The bitstring of an `encodedList`; StatusListError saying what is wrong with it."""
    if not isinstance(encoded, str) or not encoded.startswith(_MULTIBASE_BASE64URL):
        raise StatusListError("the encodedList does not start with the multibase prefix 'u' "
                              "(base64url without padding)")
    text = encoded[1:]
    if not _B64URL.fullmatch(text):
        raise StatusListError("the encodedList has characters outside the base64url alphabet")
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise StatusListError(f"the encodedList is not valid base64url: {exc}") from exc
    # wbits=31: a GZIP stream with its header and CRC-32 (the spec says GZIP, not raw zlib).
    inflater = zlib.decompressobj(wbits=31)
    try:
        bits = inflater.decompress(compressed, MAX_LIST_BYTES + 1)
    except zlib.error as exc:
        raise StatusListError(f"the encodedList is not GZIP-compressed: {exc}") from exc
    if len(bits) > MAX_LIST_BYTES:
        raise StatusListError(f"the encodedList expands beyond {MAX_LIST_BYTES:,} bytes")
    if not inflater.eof:
        raise StatusListError("the encodedList's GZIP stream is truncated")
    if inflater.unused_data:
        raise StatusListError("the encodedList has data after its GZIP stream")
    if len(bits) * 8 < MIN_ENTRIES:
        raise StatusListError(f"the list has {len(bits) * 8:,} entries; the spec requires at "
                              f"least {MIN_ENTRIES:,}")
    return bits


def _checked_index(bits: bytes | bytearray, index: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        raise StatusListError(f"a status list index must be an integer, not {index!r}")
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"index {index:,} is outside the status list (entries 0 to "
                              f"{len(bits) * 8 - 1:,})")
    return index


def bit_at(bits: bytes | bytearray, index: int) -> bool:
    """Entry `index`: bit 0 is the most significant bit of the first byte."""
    _checked_index(bits, index)
    return bool(bits[index >> 3] & (0x80 >> (index & 7)))


def set_bit(bits: bytearray, index: int, value: bool) -> None:
    _checked_index(bits, index)
    mask = 0x80 >> (index & 7)
    if value:
        bits[index >> 3] |= mask
    else:
        bits[index >> 3] &= ~mask & 0xFF


def _check_purpose(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise StatusListError(f"status purpose {purpose!r} is not one we use "
                              f"({', '.join(PURPOSES)})")


def status_entry(list_url: str, index: int, purpose: str) -> dict[str, str]:
    """The BitstringStatusListEntry that points a credential at bit `index` of a list."""
    _check_purpose(purpose)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise StatusListError(f"a status list index must be a non-negative integer, not "
                              f"{index!r}")
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


@dataclass(frozen=True, slots=True)
class Entry:
    """A credential's status entry, read and checked."""

    list_url: str
    index: int
    purpose: str


def parse_entry(entry: object, where: str = "credentialStatus") -> Entry:
    """Read a BitstringStatusListEntry; StatusListError naming the member that is wrong."""
    if not isinstance(entry, Mapping):
        raise StatusListError(f"{where} is not a JSON object")
    if entry.get("type") != ENTRY_TYPE:
        raise StatusListError(f"{where}.type is {entry.get('type')!r}, not {ENTRY_TYPE!r}")
    purpose = entry.get("statusPurpose")
    if purpose not in PURPOSES:
        raise StatusListError(f"{where}.statusPurpose {purpose!r} is not one we can check "
                              f"({', '.join(PURPOSES)})")
    index = entry.get("statusListIndex")
    if (not isinstance(index, str) or not index.isascii() or not index.isdigit()
            or (index[0] == "0" and index != "0")):
        raise StatusListError(f"{where}.statusListIndex {index!r} is not a non-negative "
                              "integer written as a string")
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not url:
        raise StatusListError(f"{where}.statusListCredential is missing")
    return Entry(url, int(index), purpose)


def _timestamp(moment: datetime, what: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone")
    return moment.isoformat(timespec="seconds")


def status_list_credential(*, issuer: str, list_url: str, purpose: str, encoded: str,
                           valid_from: datetime, valid_until: datetime) -> dict[str, Any]:
    """The BitstringStatusListCredential (VC 2.0) that publishes one list."""
    _check_purpose(purpose)
    if valid_until <= valid_from:
        raise ValueError("a status list's validUntil must come after its validFrom")
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": _timestamp(valid_from, "validFrom"),
        "validUntil": _timestamp(valid_until, "validUntil"),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": LIST_TYPE,
            "statusPurpose": purpose,
            "encodedList": encoded,
        },
    }


def parse_timestamp(value: object, what: str) -> datetime:
    """An ISO 8601 date-time with its offset (VC 2.0 dateTimeStamp); ValueError otherwise."""
    if not isinstance(value, str):
        raise ValueError(f"{what} is missing")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{what} {value!r} is not an ISO 8601 date-time") from exc
    if moment.tzinfo is None:
        raise ValueError(f"{what} {value!r} has no time zone offset")
    return moment


class PublishedList(NamedTuple):
    """A status list credential, read and checked (its signature is checked elsewhere)."""

    issuer: str
    purpose: str
    valid_from: datetime
    valid_until: datetime
    bits: bytes


def read_status_list_credential(credential: Mapping[str, Any], list_url: str) -> PublishedList:
    """Read the BitstringStatusListCredential fetched from `list_url`: it must say it is that list
    (its id), so that one list of ours cannot be served in place of another."""
    types = credential.get("type")
    if not isinstance(types, list) or LIST_CREDENTIAL_TYPE not in types:
        raise StatusListError(f"the credential at {list_url} is not a {LIST_CREDENTIAL_TYPE}")
    if credential.get("id") != list_url:
        raise StatusListError(f"the status list fetched from {list_url} says it is "
                              f"{credential.get('id')!r}")
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    if not isinstance(issuer, str):
        raise StatusListError(f"the status list at {list_url} names no issuer")
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping) or subject.get("type") != LIST_TYPE:
        raise StatusListError(f"the status list at {list_url} has no {LIST_TYPE} subject")
    purpose = subject.get("statusPurpose")
    if purpose not in PURPOSES:
        raise StatusListError(f"the status list at {list_url} has purpose {purpose!r}")
    try:
        valid_from = parse_timestamp(credential.get("validFrom"), "validFrom")
        valid_until = parse_timestamp(credential.get("validUntil"), "validUntil")
    except ValueError as exc:
        raise StatusListError(f"the status list at {list_url}: {exc}") from exc
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise StatusListError(f"the status list at {list_url} has no encodedList")
    try:
        bits = decode_list(encoded)
    except StatusListError as exc:
        raise StatusListError(f"the status list at {list_url}: {exc}") from exc
    return PublishedList(issuer, purpose, valid_from, valid_until, bits)
