"""The canonical encoding of audit entries: one byte string per entry, stable across versions."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from confianza.domain.audit import AuditAction, AuditEntry, canonical_bytes, leaf_hash


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


def test_leaf_hash_is_rfc6962() -> None:
    data = canonical_bytes(entry())
    assert leaf_hash(data) == hashlib.sha256(b"\x00" + data).digest()
    assert entry().leaf_hash() == leaf_hash(data)


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
