"""Audit sequence numbers, given inside the appending transaction (see models.LogStateRow)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_TAKE = text("UPDATE log_state SET next_seq = next_seq + :n WHERE id = 1 RETURNING next_seq")


def take(session: Session, count: int) -> int:
    """Reserve `count` consecutive sequence numbers; returns the first."""
    after = session.execute(_TAKE, {"n": count}).scalar_one()
    return int(after) - count
