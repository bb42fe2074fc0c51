"""Checkpoints of the tessera test log (tests/vectors/tlog-tiles) and checkpoint parsing."""

from __future__ import annotations

import base64
import hashlib
import random
import re
from pathlib import Path

import pytest

from confianza.kit.checkpoint import (
    Checkpoint,
    CheckpointError,
    format_checkpoint,
    open_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
)
from confianza.kit.signed_note import (
    NoteError,
    Signer,
    Verifier,
    open_note,
    parse_signer_key,
    parse_verifier_key,
    sign_note,
    split_note,
)

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "tlog-tiles"
ORIGIN = "example.com/log/testdata"
# The entries build_log.sh appends, one per checkpoint.
ENTRIES = (
    *("one", "two", "three", "four", "five", "six", "seven", "eit", "nain", "ten"),
    *("ileven", "twelf", "threeten", "fourten", "fivten"),
)
SIZES = range(16)


def _build_log_var(name: str) -> str:
    script = (VECTORS / "build_log.sh").read_text()
    match = re.search(rf'^export {name}="([^"]+)"$', script, re.MULTILINE)
    assert match, f"{name} not in build_log.sh"
    return match.group(1)


def _verifier() -> Verifier:
    return parse_verifier_key(_build_log_var("LOG_PUBLIC_KEY"))


def _note(size: int) -> bytes:
    return (VECTORS / f"checkpoint.{size}").read_bytes()


def _tree_hash(leaves: list[bytes]) -> bytes:
    """RFC 6962 tree hash, written out here only to cross-check the vectors' roots."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    split = 1 << ((len(leaves) - 1).bit_length() - 1)
    left, right = _tree_hash(leaves[:split]), _tree_hash(leaves[split:])
    return hashlib.sha256(b"\x01" + left + right).digest()


def test_the_published_key_id_is_reproduced() -> None:
    verifier = _verifier()
    assert verifier.name == ORIGIN
    assert verifier.key_id.hex() == "33d7b496"
    assert Verifier.from_public_key(ORIGIN, verifier.public_key).key_id == verifier.key_id
    assert verifier.key_string() == _build_log_var("LOG_PUBLIC_KEY")


@pytest.mark.parametrize("size", SIZES)
def test_every_vector_checkpoint_verifies_and_parses(size: int) -> None:
    checkpoint, names = open_checkpoint(_note(size), [_verifier()], origin=ORIGIN)
    assert names == [ORIGIN]
    assert checkpoint.size == size
    assert checkpoint.root_hash == _tree_hash([e.encode() for e in ENTRIES[:size]])
    assert checkpoint.extensions == ()
    text, _ = split_note(_note(size))
    assert format_checkpoint(checkpoint) == text


def test_the_empty_log_root_is_the_hash_of_nothing() -> None:
    checkpoint, _ = open_checkpoint(_note(0), [_verifier()])
    assert checkpoint.root_hash.hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


@pytest.mark.parametrize("size", SIZES)
def test_signing_with_the_published_private_key_reproduces_the_vector(size: int) -> None:
    # Ed25519 is deterministic, so our note must be byte-identical to tessera's.
    signer = parse_signer_key(_build_log_var("LOG_PRIVATE_KEY"))
    assert signer.verifier == _verifier()
    checkpoint, _ = open_checkpoint(_note(size), [_verifier()])
    assert sign_checkpoint(checkpoint, [signer]) == _note(size)


def _resign_text(note: bytes, new_text: str) -> bytes:
    """Put different text above the original signature lines."""
    text, _ = split_note(note)
    return new_text.encode() + note[len(text.encode()) :]


def test_a_changed_size_is_refused() -> None:
    note = _note(5)
    text, _ = split_note(note)
    tampered = _resign_text(note, text.replace("\n5\n", "\n6\n"))
    with pytest.raises(NoteError, match="bad signature by known key example.com/log/testdata"):
        open_checkpoint(tampered, [_verifier()])


def test_a_changed_root_is_refused() -> None:
    note = _note(5)
    text, _ = split_note(note)
    root = base64.b64encode(bytes(32)).decode()
    lines = text.split("\n")
    tampered = _resign_text(note, "\n".join([lines[0], lines[1], root, *lines[3:]]))
    with pytest.raises(NoteError, match="bad signature by known key"):
        open_checkpoint(tampered, [_verifier()])


def test_a_changed_signature_is_refused() -> None:
    note = bytearray(_note(7))
    # Change one base64 character in the middle of the signature (not in its padding bits).
    index = len(note) - 40
    assert note.rindex(b" ") < index
    note[index] = ord("A") if note[index] != ord("A") else ord("B")
    with pytest.raises(NoteError, match="bad signature by known key"):
        open_checkpoint(bytes(note), [_verifier()])


def test_a_checkpoint_signed_only_by_an_unknown_key_is_refused() -> None:
    checkpoint, _ = open_checkpoint(_note(3), [_verifier()])
    impostor = Signer.generate(ORIGIN)  # same name, different key
    forged = sign_checkpoint(checkpoint, [impostor])
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_checkpoint(forged, [_verifier()])


def test_an_unknown_cosignature_is_ignored() -> None:
    witness = Signer.generate("witness.example")
    note = _note(9) + sign_note(split_note(_note(9))[0], [witness]).split(b"\n\n")[-1]
    checkpoint, names = open_checkpoint(note, [_verifier()])
    assert checkpoint.size == 9
    assert names == [ORIGIN]
    # Known to a verifier who trusts the witness too.
    _, both = open_checkpoint(note, [_verifier(), witness.verifier])
    assert both == [ORIGIN, "witness.example"]


def test_a_checkpoint_of_another_origin_is_refused_when_the_origin_is_given() -> None:
    with pytest.raises(CheckpointError, match="expected 'example.com/other'"):
        open_checkpoint(_note(2), [_verifier()], origin="example.com/other")


# Parsing and formatting.

ROOT = hashlib.sha256(b"root").digest()
ROOT_B64 = base64.b64encode(ROOT).decode()


def test_format_and_parse_round_trip_with_extensions() -> None:
    checkpoint = Checkpoint("log.example/a", 42, ROOT, ("ext one", "ext two"))
    text = format_checkpoint(checkpoint)
    assert text == f"log.example/a\n42\n{ROOT_B64}\next one\next two\n"
    assert parse_checkpoint(text) == checkpoint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must end with a newline"),
        ("log\n1\n", "needs origin, tree size and root hash"),
        (f"log\n1\n{ROOT_B64}", "must end with a newline"),
        (f"\n1\n{ROOT_B64}\n", "origin .line 1. is empty"),
        (f"log\n\n{ROOT_B64}\n", "not a decimal number"),
        (f"log\n01\n{ROOT_B64}\n", "leading zero"),
        (f"log\n-1\n{ROOT_B64}\n", "not a decimal number"),
        (f"log\n+1\n{ROOT_B64}\n", "not a decimal number"),
        (f"log\n 1\n{ROOT_B64}\n", "not a decimal number"),
        (f"log\n1_0\n{ROOT_B64}\n", "not a decimal number"),
        (f"log\n\u0661\n{ROOT_B64}\n", "not a decimal number"),
        (f"log\n{1 << 64}\n{ROOT_B64}\n", "does not fit in 64 bits"),
        ("log\n1\nnot base64!\n", "not standard base64"),
        ("log\n1\nAAAA\n", "has 3 bytes, not 32"),
        (f"log\n1\n{ROOT_B64}\n\n", "extension .line 4. is empty"),
        (f"log\n1\n{ROOT_B64}\nbad\tline\n", "control character U\\+0009"),
    ],
)
def test_malformed_checkpoints_give_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(CheckpointError, match=message):
        parse_checkpoint(text)


def test_zero_is_a_valid_size() -> None:
    assert parse_checkpoint(f"log\n0\n{ROOT_B64}\n").size == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"origin": ""}, "origin is empty"),
        ({"origin": "a\nb"}, "control character"),
        ({"size": -1}, "out of range"),
        ({"size": 1 << 64}, "out of range"),
        ({"root_hash": b"short"}, "5 bytes"),
        ({"extensions": ("",)}, "extension line 1 is empty"),
    ],
)
def test_an_invalid_checkpoint_cannot_be_built(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"origin": "log", "size": 1, "root_hash": ROOT, **kwargs}
    with pytest.raises(CheckpointError, match=message):
        Checkpoint(**fields)  # type: ignore[arg-type]


def test_truncated_and_garbled_notes_give_a_clear_error_never_a_crash() -> None:
    rng = random.Random(4)
    verifiers = [_verifier()]
    note = _note(15)
    candidates = [note[:cut] for cut in range(len(note))]
    for _ in range(400):
        garbled = bytearray(note)
        for _ in range(rng.randint(1, 4)):
            garbled[rng.randrange(len(garbled))] = rng.randrange(256)
        candidates.append(bytes(garbled))
    accepted = 0
    for candidate in candidates:
        try:
            checkpoint, _ = open_checkpoint(candidate, verifiers)
        except (NoteError, CheckpointError) as exc:
            assert str(exc)
        else:
            # Only a change the signature does not cover may pass, and it must not alter the body.
            accepted += 1
            assert checkpoint.size == 15
            assert open_note(candidate, verifiers)[0] == split_note(note)[0]
    assert accepted < len(candidates)


def test_garbled_checkpoint_bodies_give_a_clear_error_never_a_crash() -> None:
    rng = random.Random(9)
    text = split_note(_note(15))[0]
    alphabet = "\n0123456789+/=A-Za\t\u2014 é"
    for _ in range(500):
        chars = list(text)
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(chars))
            if rng.random() < 0.5:
                chars[position] = rng.choice(alphabet)
            else:
                del chars[position]
        try:
            parse_checkpoint("".join(chars))
        except CheckpointError as exc:
            assert str(exc)
