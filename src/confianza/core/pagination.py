"""Opaque keyset cursors: the last row's sort key, so pages stay stable while rows are added."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

from confianza.core.errors import FieldError, ValidationFailed

T = TypeVar("T")
# The widest key a cursor may carry: a larger number would fail the query in the database (a
# 64-bit key; lists keyed by a 32-bit one pass their own limit).
BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
# A cursor pointing backwards (the rows before its key, for a "previous page" link) carries this
# third item; the lists that only go forwards refuse it as a cursor they did not issue.
BEFORE = "<"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


@dataclass(frozen=True)
class Position:
    """Where a page starts: after the key, or (going back) before it."""

    key: tuple[str, int]
    before: bool = False


def encode_cursor(key: tuple[str, int], *, before: bool = False) -> str:
    items: list[object] = [key[0], key[1], BEFORE] if before else [key[0], key[1]]
    raw = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _refused() -> ValidationFailed:
    return ValidationFailed(FieldError("cursor", "is not a cursor this server issued"))


def _items(cursor: str, largest: int) -> tuple[str, int, list[object]]:
    """The key a cursor carries and what follows it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        items = json.loads(raw)
        if not isinstance(items, list) or len(items) not in (2, 3):
            raise ValueError
        name, ident = items[0], items[1]
        if not isinstance(name, str) or type(ident) is not int or abs(ident) > largest:
            raise ValueError
        # JSON can spell what no database column holds (a NUL, a lone surrogate): such a key
        # was never issued, and must be refused here rather than fail inside the driver.
        if "\x00" in name:
            raise ValueError
        name.encode("utf-8")
        return name, ident, items[2:]
    except (ValueError, TypeError, UnicodeError):
        raise _refused() from None


def decode_cursor(cursor: str | None, *, largest: int = BIGINT_MAX) -> tuple[str, int] | None:
    """The key after which a forward-only list's next page starts."""
    if not cursor:
        return None
    name, ident, rest = _items(cursor, largest)
    if rest:
        raise _refused()
    return (name, ident)


def decode_position(cursor: str | None, *, largest: int = BIGINT_MAX) -> Position | None:
    """Where a page of a list that pages both ways starts (None: at the beginning)."""
    if not cursor:
        return None
    name, ident, rest = _items(cursor, largest)
    if rest and rest != [BEFORE]:
        raise _refused()
    return Position((name, ident), before=bool(rest))
