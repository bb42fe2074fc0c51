"""The public form of an entry: pinned bytes, no private value in it, bound to every field."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from confianza.domain.audit import AuditAction, AuditEntry, canonical_bytes
from confianza.domain.public_log import (
    check_key,
    pseudonym,
    public_form,
    public_leaf_hash,
)

KEY = bytes(range(32))
ENTRY = AuditEntry(
    seq=42, at=datetime(2026, 11, 20, 15, 0, 0, 123456, tzinfo=UTC), actor="ana.lopez",
    actor_kind="user", action=AuditAction.OFFICER_CONTACT_READ.value, resource_type="officer",
    resource_id="1017", purpose="Notificación de citatorio", request_id="3f2a9c",
    detail={"items": 2},
)


def test_the_public_form_is_pinned() -> None:
    # Pinned: changing it changes every leaf of the log.
    form = json.loads(public_form(ENTRY, KEY))
    assert list(form) == sorted(form)
    assert form == {
        "v": 2, "seq": 42, "at": "2026-11-20T15:00:00.123456Z",
        "action": "officer:contact:read", "resource_type": "officer", "actor_kind": "user",
        "actor": hmac.new(KEY, b"actor:ana.lopez", hashlib.sha256).digest()[:16].hex(),
        "resource": hmac.new(KEY, b"officer:1017", hashlib.sha256).digest()[:16].hex(),
        "entry": hmac.new(KEY, canonical_bytes(ENTRY), hashlib.sha256).hexdigest(),
    }
    assert public_leaf_hash(ENTRY, KEY) == hashlib.sha256(
        b"\x00" + public_form(ENTRY, KEY)).digest()


def test_no_private_value_appears_in_it() -> None:
    text = public_form(ENTRY, KEY).decode()
    for private in ("ana.lopez", "1017", "citatorio", "3f2a9c", "items"):
        assert private not in text


@pytest.mark.parametrize("change", [
    {"purpose": "otro motivo"}, {"detail": {"items": 3}}, {"request_id": "other"},
    {"actor": "someone"}, {"resource_id": "1018"}, {"seq": 43},
])
def test_every_field_of_the_row_changes_the_leaf(change: dict[str, object]) -> None:
    assert public_leaf_hash(replace(ENTRY, **change), KEY) != public_leaf_hash(ENTRY, KEY)  # type: ignore[arg-type]


def test_pseudonyms_are_stable_and_keyed() -> None:
    assert pseudonym(KEY, "officer", "1017") == pseudonym(KEY, "officer", "1017")
    assert pseudonym(KEY, "officer", "1017") != pseudonym(bytes(32), "officer", "1017")
    assert json.loads(public_form(replace(ENTRY, resource_id=None), KEY))["resource"] is None


def test_a_short_key_and_an_unsequenced_entry_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        check_key(b"short")
    with pytest.raises(ValueError, match="sequence number"):
        public_form(replace(ENTRY, seq=None), KEY)
