"""What the public log shows of an audit entry: its leaf, in a form that exposes no one.

The tiles the log publishes let anyone check that the trail only ever grows. Their entry
bundles must not become a second, public copy of the trail: who looked at which officer, why,
and which officers a search returned are exactly what the registry protects (an undercover
officer's record being opened is itself a secret). So the leaf of entry `seq` is not the entry
but its *public form*, the canonical JSON (sorted keys, no spaces, UTF-8) of:

- `v` (2), `seq`, `at` (RFC 3339 UTC with microseconds and "Z"), `action`, `resource_type`,
  `actor_kind`: what kind of act happened, and when — the log's shape, which outsiders may see;
- `actor` and `resource`: pseudonyms, the first 16 bytes (hex) of HMAC-SHA256 under the log's
  pseudonym key of "actor:<username>" and "<resource_type>:<resource_id>" (null when the entry
  names no record). The same person or record always gets the same pseudonym, so a witness can
  see that one record was opened a thousand times, but not whose it is;
- `entry`: HMAC-SHA256 under the same key of the entry's private canonical bytes (version 1,
  `domain.audit.canonical_bytes`), which binds the leaf to every field of the stored row —
  purpose, detail, request id included — without revealing them.

Whoever holds the key (the verification command on the server) recomputes every public form
from the stored rows and so detects a changed, deleted, inserted or reordered row; outsiders
check the tree and its checkpoints. The key never appears in the log. Low-entropy values (an
officer id, a username) are only safe behind a keyed hash: a plain hash would be reversed by
trying every id.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from confianza.kit.merkle import leaf_hash
from confianza.trail.rules import (
    AuditEntry,
    StoredEntry,
    json_word,
    stored_bytes,
    stored_form,
)

PUBLIC_VERSION = 2
PSEUDONYM_BYTES = 16
KEY_MIN_BYTES = 32


def check_key(key: bytes) -> bytes:
    if len(key) < KEY_MIN_BYTES:
        raise ValueError(f"the log's pseudonym key must be at least {KEY_MIN_BYTES} bytes")
    return key


def parse_key(text: str) -> bytes:
    """The key from its configured spelling: hexadecimal, at least 64 digits."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise ValueError("the log's pseudonym key must be written in hexadecimal") from None
    return check_key(key)


def generate_key() -> str:
    """A new pseudonym key, spelled as `parse_key` reads it."""
    return secrets.token_hex(KEY_MIN_BYTES)


class PublicLog:
    """The public forms and leaf hashes under one key, as the log computes them by the million.

    The bytes are the canonical JSON of the module docstring, written out with the keys already
    in order (only the strings go through the JSON encoder), and pseudonyms of the few thousand
    people and the recurring records are remembered. A test holds them to the plain encoder's
    bytes for the same document.
    """

    __slots__ = ("key", "_names", "_mac")

    def __init__(self, key: bytes) -> None:
        self.key = check_key(key)
        self._names: dict[tuple[str, str], str] = {}
        # HMAC's keyed inner and outer states, computed once and copied for each message.
        self._mac = hmac.new(self.key, digestmod=hashlib.sha256)

    def _digest(self, message: bytes) -> bytes:
        mac = self._mac.copy()
        mac.update(message)
        return mac.digest()

    def __reduce__(self) -> tuple[type[PublicLog], tuple[bytes]]:
        # Worker processes get the key, not the remembered names.
        return PublicLog, (self.key,)

    def _name(self, kind: str, value: str) -> str:
        found = self._names.get((kind, value))
        if found is None:
            if len(self._names) >= _MAX_REMEMBERED:
                self._names.clear()
            digest = self._digest(f"{kind}:{value}".encode())
            found = self._names[(kind, value)] = digest[:PSEUDONYM_BYTES].hex()
        return found

    def form(self, entry: AuditEntry) -> bytes:
        if entry.seq is None:
            raise ValueError("an entry has a public form only once the log has given it its "
                             "place")
        return self.stored_form(stored_form(entry))

    def stored_form(self, e: StoredEntry) -> bytes:
        """The public form of an entry read in its stored form (see domain.audit)."""
        resource = ("null" if e.resource_id is None
                    else f'"{self._name(e.resource_type, e.resource_id)}"')
        mac = self._digest(stored_bytes(e)).hex()
        # Keys in sorted order, as json.dumps(sort_keys=True) writes them.
        return (
            f'{{"action":{json_word(e.action)},"actor":"{self._name("actor", e.actor)}",'
            f'"actor_kind":{json_word(e.actor_kind)},"at":"{e.at}",'
            f'"entry":"{mac}","resource":{resource},'
            f'"resource_type":{json_word(e.resource_type)},"seq":{int(e.seq)},'
            f'"v":{PUBLIC_VERSION}}}'
        ).encode()

    def leaf(self, entry: AuditEntry) -> bytes:
        return leaf_hash(self.form(entry))

    def stored_leaf(self, e: StoredEntry) -> bytes:
        return leaf_hash(self.stored_form(e))


_MAX_REMEMBERED = 1 << 18
