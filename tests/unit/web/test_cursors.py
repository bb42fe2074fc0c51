"""Keyset cursors (core/pagination.py): opaque, forward or backward, and a cursor the server did
not issue (or one whose key no database column can hold) is refused as invalid input."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confianza.core.errors import ValidationFailed
from confianza.core.pagination import (
    BIGINT_MAX,
    INTEGER_MAX,
    Position,
    decode_cursor,
    decode_position,
    encode_cursor,
)


def raw(items: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(items).encode()).decode().rstrip("=")


# Keys as the registry holds them: text without NUL or lone surrogates, ids a column holds.
KEYS = st.tuples(st.text(st.characters(blacklist_categories=("Cs",),
                                       blacklist_characters="\x00")),
                 st.integers(min_value=-BIGINT_MAX, max_value=BIGINT_MAX))


@given(KEYS, st.booleans())
def test_a_cursor_gives_back_its_key_and_direction(key: tuple[str, int], before: bool) -> None:
    cursor = encode_cursor(key, before=before)
    assert decode_position(cursor) == Position(key, before=before)
    if not before:
        assert decode_cursor(cursor) == key


def test_no_cursor_is_the_beginning() -> None:
    assert decode_cursor(None) is None and decode_position("") is None


@pytest.mark.parametrize("cursor", [
    "***", "bm90IGpzb24", raw({"a": 1}), raw(["x"]), raw(["x", "1"]), raw(["x", 1.5]),
    raw(["x", True]), raw([1, 1]), raw(["x", 1, "<", 2]), raw(["x", 1, ">"]),
    raw(["x", BIGINT_MAX + 1]), raw(["x\u0000y", 1]),
    base64.urlsafe_b64encode(b'["\\ud800", 1]').decode(), "4pyT",
])
def test_a_cursor_the_server_did_not_issue_is_refused(cursor: str) -> None:
    for decode in (decode_cursor, decode_position):
        with pytest.raises(ValidationFailed) as refused:
            decode(cursor)
        assert [e.location for e in refused.value.errors] == ["cursor"]


def test_forward_only_lists_refuse_a_backward_cursor_and_narrow_keys_are_checked() -> None:
    with pytest.raises(ValidationFailed):
        decode_cursor(encode_cursor(("PENA", 3), before=True))
    with pytest.raises(ValidationFailed):
        decode_cursor(encode_cursor(("PENA", INTEGER_MAX + 1)), largest=INTEGER_MAX)
