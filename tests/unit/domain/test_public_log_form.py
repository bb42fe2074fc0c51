"""The public form of an entry: pinned bytes, no private value in it, bound to every field."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from confianza.kit.merkle import leaf_hash
from confianza.trail.rules import AuditAction, AuditEntry, canonical_bytes
from confianza.transparency.rules import (
    PublicLog,
    check_key,
    generate_key,
    parse_key,
)

KEY = bytes(range(32))
ENTRY = AuditEntry(
    seq=42, at=datetime(2026, 11, 20, 15, 0, 0, 123456, tzinfo=UTC), actor="ana.lopez",
    actor_kind="user", action=AuditAction.OFFICER_CONTACT_READ.value, resource_type="officer",
    resource_id="1017", purpose="Notificación de citatorio", request_id="3f2a9c",
    detail={"items": 2},
)


# The definition (transparency/rules.py, ADR 0012), by the plain JSON encoder: the log's fast
# encoder is held to these bytes.
def pseudonym(key: bytes, kind: str, value: str) -> str:
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).digest()[:16].hex()


def public_form(entry: AuditEntry, key: bytes) -> bytes:
    return PublicLog(key).form(entry)


def public_leaf_hash(entry: AuditEntry, key: bytes) -> bytes:
    return PublicLog(key).leaf(entry)


def reference_form(entry: AuditEntry, key: bytes) -> bytes:
    assert entry.seq is not None
    body = {
        "v": 2, "seq": entry.seq, "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "action": entry.action, "resource_type": entry.resource_type,
        "actor_kind": entry.actor_kind, "actor": pseudonym(key, "actor", entry.actor),
        "resource": (None if entry.resource_id is None
                     else pseudonym(key, entry.resource_type, entry.resource_id)),
        "entry": hmac.new(key, canonical_bytes(entry), hashlib.sha256).hexdigest(),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


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
    def resource(key: bytes, entry: AuditEntry = ENTRY) -> str:
        return str(json.loads(public_form(entry, key))["resource"])

    assert resource(KEY) == resource(KEY, replace(ENTRY, seq=43, actor="otro"))  # stable
    assert resource(KEY) != resource(bytes(32))  # keyed
    assert json.loads(public_form(replace(ENTRY, resource_id=None), KEY))["resource"] is None


def test_a_short_key_and_an_unsequenced_entry_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        check_key(b"short")
    with pytest.raises(ValueError, match="given it its place"):
        public_form(replace(ENTRY, seq=None), KEY)


@pytest.mark.parametrize("entry", [
    ENTRY,
    replace(ENTRY, resource_id=None, detail={}),
    replace(ENTRY, action='odd "action"\\n', actor="José Ñúñez", resource_type="tipo\u2028raro"),
    replace(ENTRY, seq=10**12, actor_kind="system", purpose=None, request_id=None),
])
def test_the_fast_encoder_writes_the_same_bytes(entry: AuditEntry) -> None:
    public = PublicLog(KEY)
    assert public.form(entry) == reference_form(entry, KEY)
    assert public.form(entry) == public.form(entry)  # remembered pseudonyms give the same
    assert public.leaf(entry) == leaf_hash(reference_form(entry, KEY))


def test_the_configured_key_is_hexadecimal_and_long_enough() -> None:
    made = generate_key()
    assert parse_key(made) == bytes.fromhex(made) and len(parse_key(made)) == 32
    assert parse_key(f"  {made.upper()}\n") == bytes.fromhex(made)
    with pytest.raises(ValueError, match="hexadecimal"):
        parse_key("zz" * 32)
    with pytest.raises(ValueError, match="at least 32 bytes"):
        parse_key("ab" * 31)
    with pytest.raises(ValueError, match="at least 32 bytes"):
        PublicLog(b"short")


def test_a_worker_gets_the_key_but_not_the_remembered_names() -> None:
    import pickle

    public = PublicLog(KEY)
    public.form(ENTRY)
    copy = pickle.loads(pickle.dumps(public))
    assert copy.key == KEY and copy.form(ENTRY) == public.form(ENTRY)
