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


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(key: tuple[str, int]) -> str:
    raw = json.dumps([key[0], key[1]], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, largest: int = BIGINT_MAX) -> tuple[str, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, ident = json.loads(raw)
        if not isinstance(name, str) or not isinstance(ident, int) or abs(ident) > largest:
            raise ValueError
        return (name, ident)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ValidationFailed(
            FieldError("cursor", "is not a cursor this server issued")
        ) from None
