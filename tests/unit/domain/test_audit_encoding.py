"""The canonical encoding of audit entries: one byte string per entry, stable across versions."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from confianza.kit.merkle import leaf_hash
from confianza.trail.rules import AuditAction, AuditEntry, canonical_bytes
from confianza.transparency.rules import PublicLog


def entry(**overrides: object) -> AuditEntry:
    values: dict[str, object] = {
        "seq": 42,
        "at": datetime(2026, 11, 20, 15, 0, 0, 123456, tzinfo=UTC),
        "actor": "ana.lopez",
        "actor_kind": "user",
        "action": AuditAction.OFFICER_CONTACT_READ.value,
        "resource_type": "officer",
        "resource_id": "1017",
        "purpose": "Notificación de citatorio",
        "request_id": "3f2a9c",
        "detail": {"items": 2},
    }
    values.update(overrides)
    return AuditEntry(**values)  # type: ignore[arg-type]


def test_encoding_is_pinned() -> None:
    # Pinned bytes: changing the encoding would change every leaf of the future Merkle tree.
    assert canonical_bytes(entry()) == (
        '{"action":"officer:contact:read","actor":"ana.lopez","actor_kind":"user",'
        '"at":"2026-11-20T15:00:00.123456Z","detail":{"items":2},"purpose":'
        '"Notificación de citatorio","request_id":"3f2a9c","resource_id":"1017",'
        '"resource_type":"officer","seq":42,"v":1}'
    ).encode()


def test_the_log_leaf_of_an_entry_is_the_rfc6962_hash_of_its_public_form() -> None:
    data = canonical_bytes(entry())
    assert leaf_hash(data) == hashlib.sha256(b"\x00" + data).digest()
    public = PublicLog(bytes(range(32)))
    assert public.leaf(entry()) == leaf_hash(public.form(entry())) != leaf_hash(data)


def test_same_instant_in_another_zone_encodes_identically() -> None:
    mexico = timezone(timedelta(hours=-6))
    local = entry(at=datetime(2026, 11, 20, 9, 0, 0, 123456, tzinfo=mexico))
    assert canonical_bytes(local) == canonical_bytes(entry())


def test_detail_key_order_does_not_matter() -> None:
    a = entry(detail={"b": 1, "a": [1, 2]})
    b = entry(detail={"a": [1, 2], "b": 1})
    assert canonical_bytes(a) == canonical_bytes(b)


def test_unsequenced_or_naive_entries_are_refused() -> None:
    with pytest.raises(ValueError):
        canonical_bytes(entry(seq=None))
    with pytest.raises(ValueError):
        canonical_bytes(entry(at=datetime(2026, 1, 1)))


def reference_bytes(e: AuditEntry) -> bytes:
    """The definition in ADR 0003, by the plain JSON encoder."""
    document = {
        "v": 1, "seq": e.seq, "at": e.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": e.actor, "actor_kind": e.actor_kind, "action": e.action,
        "resource_type": e.resource_type, "resource_id": e.resource_id, "purpose": e.purpose,
        "request_id": e.request_id, "detail": e.detail,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


@pytest.mark.parametrize("overrides", [
    {},
    {"resource_id": None, "purpose": None, "request_id": None, "detail": {}},
    {"at": datetime(2026, 1, 1, tzinfo=UTC), "seq": 10**15},
    {"actor": 'comillas " y \\ barra', "purpose": "línea\nnueva\ttab \u2028 \x01 ñ 🚓"},
    {"detail": {"z": None, "a": {"y": [1, "dos", 3.5, True]}, "ñ": "é"}},
])
def test_the_written_out_encoding_equals_the_plain_encoder(overrides: dict[str, object]) -> None:
    assert canonical_bytes(entry(**overrides)) == reference_bytes(entry(**overrides))
