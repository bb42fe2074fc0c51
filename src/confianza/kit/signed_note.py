"""C2SP signed notes with Ed25519: keys, signing and verification.

Written from the C2SP signed-note specification. A note is UTF-8 text ending in a newline, then a
blank line, then one or more signature lines:

    <text, ending in "\\n">
    \\n
    — <key name> <base64(key ID || signature)>\\n

The key ID of an Ed25519 key is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key);
it lets a verifier pick its key without trying every signature. Keys travel as strings:

    verifier: <name>+<key ID, 8 hex digits>+<base64(0x01 || 32-byte public key)>
    signer:   PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte seed)>

Verification follows the spec: signatures by keys the verifier does not know are ignored (a note can
carry cosignatures from witnesses we have never heard of); a note is accepted when at least one
known key signed it; a signature line that names a known key (name and ID) but does not verify is
an error, never silently skipped, because it means the text or the signature was altered.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from confianza.kit.errors import StandardsError

ALG_ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # EM DASH, then a space
MAX_SIGNATURES = 100  # the spec's bound on signature lines a verifier must accept
# Not from the spec: a guard so a hostile caller cannot make us decode megabytes. Checkpoints and
# other notes we handle are a few hundred bytes.
MAX_NOTE_BYTES = 1 << 20
_PRIVATE_PREFIX = "PRIVATE+KEY+"
_ED25519_SIGNATURE_LEN = 64
_KEY_ID_LEN = 4


class NoteError(StandardsError):
    """A key string or note that cannot be used; the message names what is wrong."""

    title = "Invalid signed note"


def _b64decode(text: str, what: str) -> bytes:
    try:
        # validate=True: reject characters outside the standard alphabet instead of dropping them.
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise NoteError(f"{what} is not valid standard base64") from exc


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def is_valid_key_name(name: str) -> bool:
    """Key names are non-empty and contain neither whitespace nor '+'."""
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def _check_name(name: str) -> None:
    if not is_valid_key_name(name):
        raise NoteError(
            f"key name {name!r} is invalid: it must be non-empty, without spaces or '+'"
        )


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    _check_name(name)
    if len(public_key) != 32:
        raise NoteError(f"an Ed25519 public key has 32 bytes, not {len(public_key)}")
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_key)
    return digest.digest()[:_KEY_ID_LEN]


@dataclass(frozen=True)
class Verifier:
    """A public Ed25519 key under a name; what a verifier of notes is configured with."""

    name: str
    key_id: bytes
    public_key: bytes

    def __post_init__(self) -> None:
        if key_id(self.name, self.public_key) != self.key_id:
            raise NoteError(f"key ID {self.key_id.hex()} does not match key {self.name!r}")

    @classmethod
    def from_public_key(cls, name: str, public_key: bytes) -> Verifier:
        return cls(name, key_id(name, public_key), public_key)

    @classmethod
    def parse(cls, text: str) -> Verifier:
        """Parse `<name>+<hex key ID>+<base64(0x01 || public key)>`."""
        parts = text.split("+", 2)
        if len(parts) != 3:
            raise NoteError("verifier key must have the form <name>+<key ID>+<base64 key>")
        name, id_hex, key_b64 = parts
        _check_name(name)
        raw = _b64decode(key_b64, f"verifier key {name!r}")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError(f"verifier key {name!r} is not an Ed25519 key (0x01 + 32 bytes)")
        public_key = raw[1:]
        expected = key_id(name, public_key)
        if _parse_key_id(id_hex, name) != expected:
            raise NoteError(f"verifier key {name!r}: key ID {id_hex} does not match the key")
        return cls(name, expected, public_key)

    def key_string(self) -> str:
        key_b64 = _b64encode(bytes([ALG_ED25519]) + self.public_key)
        return f"{self.name}+{self.key_id.hex()}+{key_b64}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != _ED25519_SIGNATURE_LEN:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A private Ed25519 key under a name. The seed never appears in repr or logs."""

    name: str
    key_id: bytes
    seed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.seed) != 32:
            raise NoteError(f"an Ed25519 seed has 32 bytes, not {len(self.seed)}")
        if key_id(self.name, self.public_key) != self.key_id:
            raise NoteError(f"key ID {self.key_id.hex()} does not match key {self.name!r}")

    @classmethod
    def generate(cls, name: str) -> Signer:
        _check_name(name)
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls.from_seed(name, seed)

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> Signer:
        if len(seed) != 32:
            raise NoteError(f"an Ed25519 seed has 32 bytes, not {len(seed)}")
        public = _public_from_seed(seed)
        return cls(name, key_id(name, public), seed)

    @classmethod
    def parse(cls, text: str) -> Signer:
        """Parse `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`."""
        if not text.startswith(_PRIVATE_PREFIX):
            raise NoteError("signer key must start with PRIVATE+KEY+")
        parts = text[len(_PRIVATE_PREFIX) :].split("+", 2)
        if len(parts) != 3:
            raise NoteError("signer key must have the form PRIVATE+KEY+<name>+<key ID>+<base64>")
        name, id_hex, key_b64 = parts
        _check_name(name)
        # Do not echo any part of a private key into the error.
        raw = _b64decode(key_b64, f"signer key {name!r}")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError(f"signer key {name!r} is not an Ed25519 key (0x01 + 32 bytes)")
        signer = cls.from_seed(name, raw[1:])
        if _parse_key_id(id_hex, name) != signer.key_id:
            raise NoteError(f"signer key {name!r}: key ID {id_hex} does not match the key")
        return signer

    @property
    def public_key(self) -> bytes:
        return _public_from_seed(self.seed)

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, self.key_id, self.public_key)

    def key_string(self) -> str:
        """The private key string; keep it secret."""
        seed_b64 = _b64encode(bytes([ALG_ED25519]) + self.seed)
        return f"{_PRIVATE_PREFIX}{self.name}+{self.key_id.hex()}+{seed_b64}"

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def _public_from_seed(seed: bytes) -> bytes:
    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )


def _parse_key_id(id_hex: str, name: str) -> bytes:
    if len(id_hex) != 8 or any(c not in "0123456789abcdefABCDEF" for c in id_hex):
        raise NoteError(f"key {name!r}: key ID must be 8 hex digits, not {id_hex!r}")
    return bytes.fromhex(id_hex)


def generate_signer(name: str) -> Signer:
    return Signer.generate(name)


def parse_signer_key(text: str) -> Signer:
    return Signer.parse(text)


def parse_verifier_key(text: str) -> Verifier:
    return Verifier.parse(text)


def check_note_text(text: str) -> None:
    """The text rules: non-empty, ends with a newline, no control character other than newline."""
    if not text:
        raise NoteError("note text is empty")
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    for index, ch in enumerate(text):
        if ch < " " and ch != "\n":
            raise NoteError(f"note text has control character U+{ord(ch):04X} at offset {index}")


def sign_note(text: str, signers: Sequence[Signer]) -> bytes:
    """Sign `text` with every signer, in the given order, and return the note bytes."""
    check_note_text(text)
    if not signers:
        raise NoteError("a note needs at least one signer")
    if len(signers) > MAX_SIGNATURES:
        raise NoteError(f"too many signers: {len(signers)} (at most {MAX_SIGNATURES})")
    message = text.encode("utf-8")
    lines = [
        f"{SIGNATURE_PREFIX}{s.name} {_b64encode(s.key_id + s.sign(message))}\n" for s in signers
    ]
    return message + b"\n" + "".join(lines).encode("utf-8")


@dataclass(frozen=True)
class NoteSignature:
    """One parsed signature line; `signature` is the bytes after the key ID."""

    name: str
    key_id: bytes
    signature: bytes


def split_note(note: bytes) -> tuple[str, list[NoteSignature]]:
    """Split a note into its text and signature lines without verifying anything."""
    if len(note) > MAX_NOTE_BYTES:
        raise NoteError(f"note is too large: {len(note)} bytes (at most {MAX_NOTE_BYTES})")
    try:
        decoded = note.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NoteError(f"malformed note: not valid UTF-8 at byte {exc.start}") from exc
    # The text may itself hold blank lines; the signature block never does, so the last blank
    # line is the separator.
    split = decoded.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line before the signatures")
    text, block = decoded[: split + 1], decoded[split + 2 :]
    check_note_text(text)
    if not block:
        raise NoteError("malformed note: no signature lines")
    if not block.endswith("\n"):
        raise NoteError("malformed note: the last signature line does not end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"too many signatures: {len(lines)} (at most {MAX_SIGNATURES})")
    return text, [_parse_signature_line(line, number) for number, line in enumerate(lines, 1)]


def _parse_signature_line(line: str, number: int) -> NoteSignature:
    where = f"malformed note: signature line {number}"
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError(f"{where} does not start with an em dash and a space")
    name, sep, b64 = line[len(SIGNATURE_PREFIX) :].partition(" ")
    if not sep or not is_valid_key_name(name) or not b64:
        raise NoteError(f"{where} is not '— <key name> <base64 signature>'")
    raw = _b64decode(b64, f"signature line {number}")
    if len(raw) <= _KEY_ID_LEN:
        raise NoteError(f"{where} is too short to hold a key ID and a signature")
    return NoteSignature(name, raw[:_KEY_ID_LEN], raw[_KEY_ID_LEN:])


def open_note(note: bytes, verifiers: Iterable[Verifier]) -> tuple[str, list[str]]:
    """Verify a note; return its text and the names of the known keys that signed it.

    Raises NoteError when the note is malformed, when a signature by a known key does not verify,
    or when no known key signed it. Signatures by unknown keys are ignored.
    """
    known = {(v.name, v.key_id): v for v in verifiers}
    text, signatures = split_note(note)
    message = text.encode("utf-8")
    verified: list[str] = []
    for sig in signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            continue
        if not verifier.verify(message, sig.signature):
            raise NoteError(f"bad signature by known key {sig.name}+{sig.key_id.hex()}")
        if sig.name not in verified:
            verified.append(sig.name)
    if not verified:
        raise NoteError("no signature by a known key")
    return text, verified
