"""Reads below the ORM, for the statements a page runs on every request.

A repository that reads plain rows (no objects to track) runs its statement on the session's
connection: the ORM's execution and loading cost more than a short indexed statement itself.
`connection` first writes out what the session still holds, as the ORM's own reads do
(autoflush), so such a read sees every change its transaction has made.
"""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session


def connection(session: Session) -> Connection:
    """The session's connection, inside its transaction, after a flush (a no-op when nothing
    is pending)."""
    session.flush()
    return session.connection()
