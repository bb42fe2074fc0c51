"""Reads below the ORM, for the statements a page runs on every request.

A repository that reads plain rows (no objects to track) runs its statement on the session's
connection: the ORM's execution and loading cost more than a short indexed statement itself.
`connection` first writes out what the session still holds, as the ORM's own reads do
(autoflush), so such a read sees every change its transaction has made.
"""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session

_KEY = "confianza_plain_connection"


def connection(session: Session) -> Connection:
    """The session's connection, inside its transaction, after a flush (a no-op when nothing
    is pending). Kept in the session's `info` while it lasts: asking the session for it again
    costs more than a short statement's own work."""
    session.flush()
    found: Connection | None = session.info.get(_KEY)
    if found is None or found.closed or not found.in_transaction():
        found = session.info[_KEY] = session.connection()
    return found
