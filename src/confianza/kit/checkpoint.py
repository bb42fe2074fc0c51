"""C2SP tlog-checkpoint: the signed statement of a log's size and root hash.

Written from the C2SP tlog-checkpoint specification. The body of the signed note is:

    <origin>\\n
    <tree size, decimal, no leading zeros>\\n
    <root hash, standard base64>\\n
    [<extension line>\\n ...]

The origin names the log (conventionally a schema-less URL, also used as the log's key name). The
root hash is the RFC 6962 tree hash (SHA-256, 32 bytes) of the first `size` entries.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from confianza.kit.errors import StandardsError
from confianza.kit.signed_note import NoteError, Signer, Verifier, open_note, sign_note

HASH_SIZE = 32
MAX_TREE_SIZE = (1 << 64) - 1  # sizes are uint64 in every implementation we interoperate with


class CheckpointError(StandardsError):
    """A checkpoint body that does not follow the format; the message names the line."""

    title = "Invalid checkpoint"


def _check_line(value: str, what: str) -> None:
    if not value:
        raise CheckpointError(f"checkpoint {what} is empty")
    for ch in value:
        if ch < " ":
            raise CheckpointError(f"checkpoint {what} has control character U+{ord(ch):04X}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line(self.origin, "origin")
        if isinstance(self.size, bool) or not 0 <= self.size <= MAX_TREE_SIZE:
            raise CheckpointError(f"checkpoint tree size {self.size} is out of range")
        if len(self.root_hash) != HASH_SIZE:
            raise CheckpointError(
                f"checkpoint root hash has {len(self.root_hash)} bytes, not {HASH_SIZE}"
            )
        for number, line in enumerate(self.extensions, 1):
            _check_line(line, f"extension line {number}")

    def to_text(self) -> str:
        root = base64.b64encode(self.root_hash).decode("ascii")
        lines = [self.origin, str(self.size), root, *self.extensions]
        return "".join(f"{line}\n" for line in lines)


def format_checkpoint(checkpoint: Checkpoint) -> str:
    return checkpoint.to_text()


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint body (the text of the note, without signatures)."""
    if not text.endswith("\n"):
        raise CheckpointError("checkpoint must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError(
            f"checkpoint has {len(lines)} line(s); it needs origin, tree size and root hash"
        )
    origin, size_text, root_text, *extensions = lines
    _check_line(origin, "origin (line 1)")
    # Decimal ASCII digits only: int() would also take "+5", " 5", "1_000" and non-ASCII digits.
    if not size_text or not all("0" <= c <= "9" for c in size_text):
        raise CheckpointError(
            f"checkpoint tree size (line 2) is not a decimal number: {size_text!r}"
        )
    if len(size_text) > 1 and size_text[0] == "0":
        raise CheckpointError(f"checkpoint tree size (line 2) has a leading zero: {size_text!r}")
    size = int(size_text)
    if size > MAX_TREE_SIZE:
        raise CheckpointError("checkpoint tree size (line 2) does not fit in 64 bits")
    try:
        root_hash = base64.b64decode(root_text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise CheckpointError("checkpoint root hash (line 3) is not standard base64") from exc
    if len(root_hash) != HASH_SIZE:
        raise CheckpointError(
            f"checkpoint root hash (line 3) has {len(root_hash)} bytes, not {HASH_SIZE}"
        )
    for number, line in enumerate(extensions, 4):
        _check_line(line, f"extension (line {number})")
    return Checkpoint(origin, size, root_hash, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signers: Sequence[Signer]) -> bytes:
    """The checkpoint as a signed note."""
    return sign_note(checkpoint.to_text(), signers)


def open_checkpoint(
    note: bytes, verifiers: Iterable[Verifier], *, origin: str | None = None
) -> tuple[Checkpoint, list[str]]:
    """Verify a signed checkpoint and parse it; return it and the names of the keys that signed.

    With `origin`, a checkpoint of another log is refused even if a known key signed it.
    Raises NoteError for signature problems and CheckpointError for a malformed body.
    """
    text, names = open_note(note, verifiers)
    checkpoint = parse_checkpoint(text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(
            f"checkpoint is for origin {checkpoint.origin!r}, expected {origin!r}"
        )
    return checkpoint, names


__all__ = [
    "Checkpoint",
    "CheckpointError",
    "NoteError",
    "format_checkpoint",
    "open_checkpoint",
    "parse_checkpoint",
    "sign_checkpoint",
]
