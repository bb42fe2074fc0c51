"""W3C Bitstring Status List v1.0: the spec's example, encoding, bit order, entries, lists."""

from __future__ import annotations

import base64
import gzip
import random
import zlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from confianza.kit.status_list import (
    MAX_LIST_BYTES,
    MIN_ENTRIES,
    REVOCATION,
    SUSPENSION,
    Entry,
    StatusListError,
    bit_at,
    decode_list,
    encode_list,
    parse_entry,
    read_status_list_credential,
    set_bit,
    status_entry,
    status_list_credential,
)

# Bitstring Status List v1.0, section 2.1 (BitstringStatusListCredential example): the
# encodedList of a list of 131,072 entries, none set.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
URL = "https://confianza.example.gob.mx/status/revocation/1"
FROM = datetime(2026, 3, 1, tzinfo=UTC)


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_the_spec_example_decodes_to_16384_zero_bytes() -> None:
    bits = decode_list(SPEC_EXAMPLE)
    assert bits == bytes(16_384)
    assert len(bits) * 8 == MIN_ENTRIES
    assert not any(bit_at(bits, i) for i in (0, 1, 7, 8, MIN_ENTRIES - 1))


def test_encoding_round_trips_and_is_deterministic() -> None:
    rng = random.Random(5)
    for size in (MIN_ENTRIES // 8, MIN_ENTRIES // 8 + 1, 50_000):
        bits = rng.randbytes(size)
        encoded = encode_list(bits)
        assert encoded.startswith("u") and "=" not in encoded
        assert set(encoded[1:]) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        assert decode_list(encoded) == bits
        assert encode_list(bits) == encoded  # no timestamp in the GZIP header
    # The payload is GZIP (RFC 1952), as the spec says, not raw zlib.
    raw = base64.urlsafe_b64decode(encode_list(bytes(16_384))[1:] + "==")
    assert raw[:2] == b"\x1f\x8b" and gzip.decompress(raw) == bytes(16_384)


def test_bit_order_follows_the_spec() -> None:
    """Index 0 is the left-most bit of the first byte: its most significant bit."""
    bits = bytearray(MIN_ENTRIES // 8)
    set_bit(bits, 0, True)
    assert bits[0] == 0x80
    set_bit(bits, 7, True)
    assert bits[0] == 0x81
    set_bit(bits, 8, True)
    assert bits[1] == 0x80
    set_bit(bits, MIN_ENTRIES - 1, True)
    assert bits[-1] == 0x01
    assert [i for i in range(16) if bit_at(bits, i)] == [0, 7, 8]
    assert bit_at(bits, MIN_ENTRIES - 1)
    set_bit(bits, 0, False)
    assert bits[0] == 0x01 and not bit_at(bits, 0)
    set_bit(bits, 7, False)
    set_bit(bits, 7, False)  # clearing twice keeps it clear and touches nothing else
    assert bits[0] == 0 and bits[1] == 0x80
    # And through the encoding: a bit set before publishing is the bit read after.
    decoded = decode_list(encode_list(bytes(bits)))
    assert bit_at(decoded, 8) and bit_at(decoded, MIN_ENTRIES - 1) and not bit_at(decoded, 9)


@pytest.mark.parametrize("index", [-1, MIN_ENTRIES, MIN_ENTRIES + 8, 10**12])
def test_an_index_outside_the_list_is_a_clear_error(index: int) -> None:
    bits = bytearray(MIN_ENTRIES // 8)
    with pytest.raises(StatusListError, match="outside the status list"):
        bit_at(bits, index)
    with pytest.raises(StatusListError, match="outside the status list"):
        set_bit(bits, index, True)


def test_an_index_that_is_not_an_integer_is_refused() -> None:
    bits = bytes(MIN_ENTRIES // 8)
    for index in (True, 1.0, "3"):
        with pytest.raises(StatusListError, match="integer"):
            bit_at(bits, index)  # type: ignore[arg-type]


def gzip_b64(data: bytes) -> str:
    return "u" + b64u(gzip.compress(data))


@pytest.mark.parametrize(("encoded", "message"), [
    (SPEC_EXAMPLE[1:], "multibase prefix 'u'"),
    ("z" + SPEC_EXAMPLE[1:], "multibase prefix 'u'"),
    ("", "multibase prefix 'u'"),
    ("uH4sI+AAA", "outside the base64url alphabet"),
    ("uH4sI=", "outside the base64url alphabet"),
    ("uH4sIA", "not valid base64url"),
    ("u" + b64u(zlib.compress(bytes(16_384))), "not GZIP"),
    ("u" + b64u(bytes(16_384)), "not GZIP"),
    (gzip_b64(bytes(16_383)), "131,072"),
    (gzip_b64(b""), "131,072"),
    ("u" + b64u(gzip.compress(bytes(16_384))[:-12]), "truncated"),
    ("u" + b64u(gzip.compress(bytes(16_384)) + b"extra"), "after its GZIP stream"),
])
def test_a_bad_encoded_list_says_what_is_wrong(encoded: str, message: str) -> None:
    with pytest.raises(StatusListError, match=message):
        decode_list(encoded)


def test_a_list_that_expands_too_far_is_refused() -> None:
    bomb = gzip_b64(bytes(MAX_LIST_BYTES + 1))
    assert len(bomb) < 100_000  # small on the wire
    with pytest.raises(StatusListError, match="expands beyond"):
        decode_list(bomb)


def test_a_short_list_is_not_published() -> None:
    with pytest.raises(StatusListError, match="at least 131,072 entries"):
        encode_list(bytes(MIN_ENTRIES // 8 - 1))


def test_status_entry_shape() -> None:
    assert status_entry(URL, 94567, REVOCATION) == {
        "id": f"{URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": URL,
    }
    assert parse_entry(status_entry(URL, 0, SUSPENSION)) == Entry(URL, 0, SUSPENSION)


def test_status_entry_refuses_what_we_do_not_issue() -> None:
    with pytest.raises(StatusListError, match="purpose 'message'"):
        status_entry(URL, 1, "message")
    for index in (-1, True, "5"):
        with pytest.raises(StatusListError, match="non-negative integer"):
            status_entry(URL, index, REVOCATION)  # type: ignore[arg-type]


@pytest.mark.parametrize(("change", "message"), [
    ({"type": "StatusList2021Entry"}, "credentialStatus.type"),
    ({"statusPurpose": "refresh"}, "statusPurpose 'refresh'"),
    ({"statusListIndex": 5}, "statusListIndex"),
    ({"statusListIndex": "-5"}, "statusListIndex"),
    ({"statusListIndex": "05"}, "statusListIndex"),
    ({"statusListIndex": "٣"}, "statusListIndex"),  # a digit, but not an ASCII one
    ({"statusListIndex": ""}, "statusListIndex"),
    ({"statusListCredential": None}, "statusListCredential"),
])
def test_parse_entry_names_the_bad_member(change: dict[str, Any], message: str) -> None:
    entry: dict[str, Any] = {**status_entry(URL, 5, REVOCATION), **change}
    with pytest.raises(StatusListError, match=message):
        parse_entry(entry)
    with pytest.raises(StatusListError, match="not a JSON object"):
        parse_entry(["x"])


def list_credential(**change: Any) -> dict[str, Any]:
    credential = status_list_credential(
        issuer="did:web:confianza.example.gob.mx", list_url=URL, purpose=REVOCATION,
        encoded=SPEC_EXAMPLE, valid_from=FROM, valid_until=FROM + timedelta(days=1))
    credential.update(change)
    return credential


def test_status_list_credential_shape() -> None:
    assert list_credential() == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "did:web:confianza.example.gob.mx",
        "validFrom": "2026-03-01T00:00:00+00:00",
        "validUntil": "2026-03-02T00:00:00+00:00",
        "credentialSubject": {
            "id": f"{URL}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": SPEC_EXAMPLE,
        },
    }
    published = read_status_list_credential(list_credential(), URL)
    assert published.bits == bytes(16_384) and published.purpose == REVOCATION
    assert published.valid_until - published.valid_from == timedelta(days=1)
    assert published.issuer == "did:web:confianza.example.gob.mx"


def test_status_list_credential_keeps_the_offset() -> None:
    mexico = timezone(timedelta(hours=-6))
    credential = status_list_credential(
        issuer="i", list_url=URL, purpose=SUSPENSION, encoded=SPEC_EXAMPLE,
        valid_from=datetime(2026, 3, 1, 9, 30, 15, 999, tzinfo=mexico),
        valid_until=datetime(2026, 3, 2, tzinfo=mexico))
    assert credential["validFrom"] == "2026-03-01T09:30:15-06:00"
    assert credential["validUntil"] == "2026-03-02T00:00:00-06:00"


def test_status_list_credential_refuses_bad_times_and_purposes() -> None:
    with pytest.raises(ValueError, match="time zone"):
        status_list_credential(issuer="i", list_url=URL, purpose=REVOCATION,
                               encoded=SPEC_EXAMPLE, valid_from=datetime(2026, 3, 1),
                               valid_until=datetime(2026, 3, 2))
    with pytest.raises(ValueError, match="after its validFrom"):
        status_list_credential(issuer="i", list_url=URL, purpose=REVOCATION,
                               encoded=SPEC_EXAMPLE, valid_from=FROM, valid_until=FROM)
    with pytest.raises(StatusListError, match="purpose"):
        status_list_credential(issuer="i", list_url=URL, purpose="message",
                               encoded=SPEC_EXAMPLE, valid_from=FROM,
                               valid_until=FROM + timedelta(days=1))


@pytest.mark.parametrize(("credential", "message"), [
    (list_credential(id="https://elsewhere.example/list"), "says it is"),
    (list_credential(type=["VerifiableCredential"]), "not a BitstringStatusListCredential"),
    (list_credential(issuer=None), "names no issuer"),
    (list_credential(validUntil=None), "validUntil is missing"),
    (list_credential(validFrom="yesterday"), "not an ISO 8601"),
    (list_credential(validUntil="2026-03-02T00:00:00"), "no time zone"),
    (list_credential(credentialSubject={"type": "Other"}), "no BitstringStatusList subject"),
    (list_credential(credentialSubject={"type": "BitstringStatusList",
                                        "statusPurpose": "message", "encodedList": "u"}),
     "purpose 'message'"),
    (list_credential(credentialSubject={"type": "BitstringStatusList",
                                        "statusPurpose": "revocation"}), "no encodedList"),
    (list_credential(credentialSubject={"type": "BitstringStatusList",
                                        "statusPurpose": "revocation",
                                        "encodedList": "u" + b64u(gzip.compress(b"x"))}),
     "131,072"),
])
def test_reading_a_status_list_credential_names_the_problem(credential: dict[str, Any],
                                                            message: str) -> None:
    with pytest.raises(StatusListError, match=message) as caught:
        read_status_list_credential(credential, URL)
    assert URL in str(caught.value)


def test_an_issuer_object_is_read_by_its_id() -> None:
    credential = list_credential(issuer={"id": "did:web:x", "name": "X"})
    assert read_status_list_credential(credential, URL).issuer == "did:web:x"
