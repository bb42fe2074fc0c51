"""Appending to and reading the audit trail."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from confianza.accounts.rules.permissions import Actor
from confianza.core.db.models import AuditEntryRow
from confianza.trail.repository import append as log_append
from confianza.trail.rules import AuditEntry, PendingEntry


class AuditRepository:
    def __init__(self, session: Session, now: datetime, request_id: str | None) -> None:
        self._session = session
        self._now = now
        self._request_id = request_id
        self._pending: list[PendingEntry] = []

    def record(
        self,
        actor: Actor,
        action: str,
        resource_type: str,
        resource_id: object | None,
        *,
        purpose: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.write(
            PendingEntry(
                actor=actor.username,
                actor_kind=actor.kind.value,
                action=action,
                resource_type=resource_type,
                resource_id=None if resource_id is None else str(resource_id),
                purpose=purpose,
                detail={**(detail or {}), **actor.attribution()},
            )
        )

    def write(self, entry: PendingEntry) -> None:
        self.write_many([entry])

    def write_many(self, entries: list[PendingEntry]) -> None:
        """Queue entries for this transaction: they are inserted as its last statements, when it
        commits (`commit`; ADR 0013). A transaction that rolls back leaves none of them."""
        self._pending.extend(entries)

    @property
    def pending(self) -> int:
        """How many entries wait for the commit."""
        return len(self._pending)

    def commit(self) -> None:
        """Flush the session, append the queued entries and commit the transaction."""
        entries, self._pending = self._pending, []
        session = self._session
        if (entries and session.get_transaction() is None and not session.new
                and not session.dirty and not session.deleted):
            bind = session.get_bind()
            if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
                # The entries are all the transaction holds: no session machinery around them.
                log_append.append_alone(bind, self._now, self._request_id, entries)
                return
        if entries:
            self._session.flush()
            # The session's connection, inside its transaction (see log_append for why the
            # append bypasses the statement layer and how it commits on PostgreSQL).
            log_append.append_and_commit(self._session.connection(), self._now,
                                         self._request_id, entries)
        self._session.commit()

    def entries(
        self,
        *,
        resource_type: str | None = None,
        resource_id: str | None = None,
        actor: str | None = None,
        after_id: int | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        """Entries in the order they were inserted (by id), filtered."""
        query = select(AuditEntryRow).order_by(AuditEntryRow.id).limit(limit)
        if resource_type is not None:
            query = query.where(AuditEntryRow.resource_type == resource_type)
        if resource_id is not None:
            query = query.where(AuditEntryRow.resource_id == resource_id)
        if actor is not None:
            query = query.where(AuditEntryRow.actor == actor)
        if after_id is not None:
            query = query.where(AuditEntryRow.id > after_id)
        return [entry_of(row) for row in self._session.scalars(query)]

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0)

    # Audit: access history ------------------------------------------------------------------

    def last_id(self) -> int:
        """The newest entry's id (0 for an empty trail): a primary-key lookup."""
        return int(self._session.scalar(select(func.max(AuditEntryRow.id))) or 0)

    def about_resource_between(
        self, resource_type: str, resource_id: str, *, low: int, before: int
    ) -> list[AuditEntry]:
        """Entries on one record with `low <= id < before`, newest first (ix_audit_resource)."""
        query = (
            select(AuditEntryRow)
            .where(AuditEntryRow.resource_type == resource_type,
                   AuditEntryRow.resource_id == resource_id,
                   AuditEntryRow.id >= low, AuditEntryRow.id < before)
            .order_by(AuditEntryRow.id.desc())
        )
        return [entry_of(row) for row in self._session.scalars(query)]

    def detail_mentions_between(
        self, number: int, *, key: str, list_key: str, low: int, before: int
    ) -> list[AuditEntry]:
        """Candidates whose detail holds `"key": number` or `number` in the `list_key` array,
        with `low <= id < before`, newest first.

        No index can serve a search inside the detail text, so the caller bounds the window:
        the database walks the primary key over `before - low` rows at most. The stored detail
        is canonical JSON (sorted keys, no spaces), so the patterns are exact for a number;
        they may still over-match (`_` is a LIKE wildcard, and `,n,` may sit in a later array),
        so the caller checks the parsed detail.
        """
        n = str(int(number))
        patterns = [f'%"{key}":{n},%', f'%"{key}":{n}}}%',
                    f'%"{list_key}":[{n}]%', f'%"{list_key}":[{n},%',
                    f'%"{list_key}":[%,{n},%', f'%"{list_key}":[%,{n}]%']
        query = (
            select(AuditEntryRow)
            .where(AuditEntryRow.id >= low, AuditEntryRow.id < before,
                   # One cheap test first, that most entries fail (the number appears nowhere),
                   # so the six exact patterns run only on the few that remain.
                   AuditEntryRow.detail.like(f"%{n}%"),
                   or_(*(AuditEntryRow.detail.like(p) for p in patterns)))
            .order_by(AuditEntryRow.id.desc())
        )
        return [entry_of(row) for row in self._session.scalars(query)]

    # Home: what needs attention now ---------------------------------------------------------

    def recent(self, actions: Collection[str], *, low: int, limit: int) -> list[AuditEntry]:
        """Entries of these actions with an id of `low` or above, newest first, at most `limit`.

        No index serves the action: the database walks the primary key down to `low`, so the
        caller bounds the work by choosing it (the home looks at the newest entries only)."""
        query = (
            select(AuditEntryRow)
            .where(AuditEntryRow.id >= low, AuditEntryRow.action.in_(sorted(actions)))
            .order_by(AuditEntryRow.id.desc()).limit(limit)
        )
        return [entry_of(row) for row in self._session.scalars(query)]

    def first_from(self, entry_id: int) -> AuditEntry | None:
        """The entry with the lowest id of `entry_id` or above (ids may have gaps: a PostgreSQL
        transaction that rolls back does not give its ids back)."""
        row = self._session.scalars(
            select(AuditEntryRow).where(AuditEntryRow.id >= entry_id)
            .order_by(AuditEntryRow.id).limit(1)).first()
        return None if row is None else entry_of(row)

    def latest_of_actor(self, actor: str, actions: Collection[str], *, examined: int,
                        limit: int) -> list[AuditEntry]:
        """One account's newest entries of these actions, looked for among its newest
        `examined` entries only (ix_audit_actor), newest first."""
        newest = (
            select(AuditEntryRow.id).where(AuditEntryRow.actor == actor)
            .order_by(AuditEntryRow.id.desc()).limit(examined).subquery()
        )
        query = (
            select(AuditEntryRow)
            .where(AuditEntryRow.id.in_(select(newest.c.id)),
                   AuditEntryRow.action.in_(sorted(actions)))
            .order_by(AuditEntryRow.id.desc()).limit(limit)
        )
        return [entry_of(row) for row in self._session.scalars(query)]

    def by_actor(
        self, actor: str, *, before: int | None = None, action_prefix: str | None = None,
        since: datetime | None = None, until: datetime | None = None, limit: int = 100,
    ) -> list[AuditEntry]:
        """One account's entries, newest first (ix_audit_actor; the filters narrow that range).

        `action_prefix` must hold no LIKE wildcard (the service admits only `[a-z_:]`);
        `until` is exclusive.
        """
        query = (
            select(AuditEntryRow).where(AuditEntryRow.actor == actor)
            .order_by(AuditEntryRow.id.desc()).limit(limit)
        )
        if before is not None:
            query = query.where(AuditEntryRow.id < before)
        if action_prefix:
            query = query.where(AuditEntryRow.action.like(f"{action_prefix}%"))
        if since is not None:
            query = query.where(AuditEntryRow.at >= since)
        if until is not None:
            query = query.where(AuditEntryRow.at < until)
        return [entry_of(row) for row in self._session.scalars(query)]


def entry_of(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        id=row.id,
        at=row.at,  # in UTC with its offset on both databases (models.UtcDateTime)
        actor=row.actor,
        actor_kind=row.actor_kind,
        action=row.action,
        resource_type=row.resource_type,
        resource_id=row.resource_id,
        purpose=row.purpose,
        request_id=row.request_id,
        detail=json.loads(row.detail),
    )
