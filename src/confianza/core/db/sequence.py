"""Audit sequence numbers, given inside the appending transaction (see models.LogStateRow)."""

from __future__ import annotations

from sqlalchemy import Connection, text

_TAKE = text("UPDATE log_state SET next_seq = next_seq + :n WHERE id = 1 RETURNING next_seq")


def take(connection: Connection, count: int) -> int:
    """Reserve `count` consecutive sequence numbers; returns the first. On the session's
    connection, not the session: every audited request runs this, and the ORM's execution path
    costs more than the statement."""
    after = connection.execute(_TAKE, {"n": count}).scalar_one()
    return int(after) - count
