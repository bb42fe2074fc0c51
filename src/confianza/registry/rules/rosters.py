"""Which of an agency's people a roster lists: its current staff, its former staff, or both."""

from __future__ import annotations

from enum import StrEnum


class Staff(StrEnum):
    """Current staff hold an open posting in the agency; former staff served there and hold
    none there now (they left it, or moved elsewhere). Each person is one line: their open
    posting there, or else their latest one there."""

    CURRENT = "current"
    FORMER = "former"
    ALL = "all"
