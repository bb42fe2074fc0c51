"""C2SP signed notes: keys, key IDs, signing, verification and the spec's worked example."""

from __future__ import annotations

import base64
import hashlib

import pytest

from confianza.kit.signed_note import (
    MAX_SIGNATURES,
    NoteError,
    Signer,
    Verifier,
    generate_signer,
    key_id,
    open_note,
    parse_signer_key,
    parse_verifier_key,
    sign_note,
    split_note,
)

# The worked example of the C2SP signed-note spec (also in golang.org/x/mod/sumdb/note). The values
# check themselves: the key ID must match the key and both Ed25519 signatures must verify.
PETER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_KEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
NEUMANN_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZS"
    "NXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01"
    "oOTGwnWLox33WWd1RvMc+QQ=\n"
)
NEUMANN_NOTE = (NEUMANN_TEXT + "\n" + PETER_SIG).encode()


def test_the_spec_example_verifies() -> None:
    peter = parse_verifier_key(PETER_KEY)
    assert peter.key_id.hex() == "c74f20a3"
    assert peter.key_string() == PETER_KEY
    assert open_note(NEUMANN_NOTE, [peter]) == (NEUMANN_TEXT, ["PeterNeumann"])


def test_the_spec_example_with_two_signatures() -> None:
    note = NEUMANN_NOTE + ENOCH_SIG.encode()
    peter, enoch = parse_verifier_key(PETER_KEY), parse_verifier_key(ENOCH_KEY)
    assert open_note(note, [peter, enoch])[1] == ["PeterNeumann", "EnochRoot"]
    # A verifier that knows only one of the keys ignores the other signature.
    assert open_note(note, [enoch])[1] == ["EnochRoot"]
    assert open_note(note, [peter])[1] == ["PeterNeumann"]


def test_the_spec_example_altered_is_refused() -> None:
    tampered = NEUMANN_NOTE.replace(b"problem,", b"problem;")
    with pytest.raises(NoteError, match="bad signature by known key PeterNeumann\\+c74f20a3"):
        open_note(tampered, [parse_verifier_key(PETER_KEY)])


def test_key_id_is_the_spec_hash() -> None:
    public = bytes(range(32))
    expected = hashlib.sha256(b"name\n\x01" + public).digest()[:4]
    assert key_id("name", public) == expected


def test_generated_keys_round_trip_through_their_strings() -> None:
    signer = generate_signer("log.example/audit")
    private = signer.key_string()
    assert private.startswith(f"PRIVATE+KEY+log.example/audit+{signer.key_id.hex()}+")
    assert parse_signer_key(private) == signer
    public = signer.verifier.key_string()
    assert (
        public
        == f"log.example/audit+{signer.key_id.hex()}+"
        + base64.b64encode(b"\x01" + signer.public_key).decode()
    )
    assert parse_verifier_key(public) == signer.verifier
    assert "seed" not in repr(signer)
    assert base64.b64encode(signer.seed).decode()[:10] not in repr(signer)


def test_sign_and_open_round_trip() -> None:
    a, b = Signer.generate("a.example"), Signer.generate("b.example")
    text = "line one\n\nline three after a blank line\n"
    note = sign_note(text, [a, b])
    assert note.startswith((text + "\n\u2014 a.example ").encode())
    assert open_note(note, [a.verifier, b.verifier]) == (text, ["a.example", "b.example"])
    assert open_note(note, [b.verifier]) == (text, ["b.example"])


def test_a_note_signed_only_by_unknown_keys_is_refused() -> None:
    note = sign_note("hello\n", [Signer.generate("stranger")])
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_note(note, [Signer.generate("friend").verifier])
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_note(note, [])


def test_a_key_with_a_known_name_but_another_id_is_unknown() -> None:
    mine, other = Signer.generate("same"), Signer.generate("same")
    note = sign_note("hello\n", [other])
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_note(note, [mine.verifier])


def test_a_bad_signature_by_a_known_key_is_an_error_even_beside_a_good_one() -> None:
    good, bad = Signer.generate("good"), Signer.generate("bad")
    note = sign_note("hello\n", [good])
    forged_line = sign_note("other\n", [bad]).split(b"\n\n")[1]
    with pytest.raises(NoteError, match=f"bad signature by known key bad\\+{bad.key_id.hex()}"):
        open_note(note + forged_line, [good.verifier, bad.verifier])


def test_a_signature_of_the_wrong_length_by_a_known_key_is_a_bad_signature() -> None:
    signer = Signer.generate("k")
    line = "— k " + base64.b64encode(signer.key_id + b"x" * 10).decode() + "\n"
    with pytest.raises(NoteError, match="bad signature by known key k"):
        open_note(b"hello\n\n" + line.encode(), [signer.verifier])


def test_too_many_signatures_are_refused() -> None:
    signer = Signer.generate("k")
    note = sign_note("hello\n", [signer])
    line = note.split(b"\n\n")[1]
    assert open_note(b"hello\n\n" + line * MAX_SIGNATURES, [signer.verifier])[1] == ["k"]
    with pytest.raises(NoteError, match="too many signatures: 101"):
        open_note(b"hello\n\n" + line * (MAX_SIGNATURES + 1), [signer.verifier])
    with pytest.raises(NoteError, match="too many signers"):
        sign_note("hello\n", [signer] * (MAX_SIGNATURES + 1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "note text is empty"),
        ("no newline", "must end with a newline"),
        ("tab\there\n", "control character U\\+0009"),
        ("cr\r\n", "control character U\\+000D"),
        ("nul\x00\n", "control character U\\+0000"),
    ],
)
def test_invalid_text_cannot_be_signed(text: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        sign_note(text, [Signer.generate("k")])


def test_a_note_needs_a_signer() -> None:
    with pytest.raises(NoteError, match="at least one signer"):
        sign_note("hello\n", [])


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (b"hello\n", "no blank line"),
        (b"hello\n\n", "no signature lines"),
        (b"hello\n\n\xe2\x80\x94 k AAAAAAAA", "does not end with a newline"),
        (b"hello\n\n- k AAAAAAAA\n", "signature line 1 does not start with an em dash"),
        (b"hello\n\n\xe2\x80\x94 k\n", "signature line 1 is not"),
        (b"hello\n\n\xe2\x80\x94 k+x AAAAAAAA\n", "signature line 1 is not"),
        (b"hello\n\n\xe2\x80\x94 k AAAA\n", "too short"),
        (b"hello\n\n\xe2\x80\x94 k AAA*AAAA\n", "signature line 1 is not valid standard base64"),
        (b"hel\xfflo\n\n\xe2\x80\x94 k AAAAAAAA\n", "not valid UTF-8 at byte 3"),
        (b"tab\t\n\n\xe2\x80\x94 k AAAAAAAA\n", "control character U\\+0009"),
        (b"hello\n\n\xe2\x80\x94 k AAAAAAAA\n\n", "no signature lines"),
    ],
)
def test_malformed_notes_are_named(note: bytes, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        split_note(note)
    with pytest.raises(NoteError, match=message):
        open_note(note, [Signer.generate("k").verifier])


def test_a_huge_note_is_refused_before_decoding() -> None:
    with pytest.raises(NoteError, match="too large"):
        split_note(b"a" * (1 << 21))


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("no-plus-signs", "must have the form"),
        ("name+c74f20a3", "must have the form"),
        ("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "key name '' is invalid"),
        ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "is invalid"),
        ("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "8 hex digits"),
        ("PeterNeumann+c74f20zz+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "8 hex digits"),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy", "not an Ed25519"),
        ("PeterNeumann+c74f20a3+AhpczQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "not an Ed25519"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T!", "base64"),
    ],
)
def test_malformed_verifier_keys_are_named(key: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        parse_verifier_key(key)


def test_malformed_signer_keys_are_named_without_echoing_the_secret() -> None:
    signer = Signer.generate("k")
    good = signer.key_string()
    # PRIVATE+KEY+<name>+<id>+<base64>: the base64 itself may hold a "+", so split from the left.
    secret = good.split("+", 4)[4]
    wrong_id = good.replace(signer.key_id.hex(), "00000000")
    for key, message in [
        (good.removeprefix("PRIVATE+KEY+"), "must start with PRIVATE\\+KEY\\+"),
        ("PRIVATE+KEY+k+" + signer.key_id.hex(), "must have the form"),
        (good[:-4], "not an Ed25519 key|base64"),
        (wrong_id, "does not match"),
    ]:
        with pytest.raises(NoteError, match=message) as info:
            parse_signer_key(key)
        assert secret not in str(info.value)


def test_keys_cannot_be_built_inconsistent() -> None:
    signer = Signer.generate("k")
    with pytest.raises(NoteError, match="does not match"):
        Verifier("k", b"\x00\x00\x00\x00", signer.public_key)
    with pytest.raises(NoteError, match="does not match"):
        Signer("other", signer.key_id, signer.seed)
    with pytest.raises(NoteError, match="is invalid"):
        Signer.generate("has+plus")


def test_note_error_is_a_value_error() -> None:
    assert issubclass(NoteError, ValueError)
