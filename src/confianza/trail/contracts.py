"""What the trail's use cases need of storage, declared on their side (ADR 0022).

The repositories implement these Protocols structurally; the use cases name only them, so
a service never imports persistence, and a test double or another store can stand in.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from confianza.accounts.rules.permissions import Actor
from confianza.trail.rules import AuditEntry, PendingEntry


class AuditTrail(Protocol):
    """What the use cases need of `tx.audit`; implemented by
    `trail.repository.audit.AuditRepository`."""

    def about_resource_between(
        self, resource_type: str, resource_id: str, *, low: int, before: int
    ) -> list[AuditEntry]:
        """Entries on one record with `low <= id < before`, newest first (ix_audit_resource)."""

    def first_from(self, entry_id: int) -> AuditEntry | None:
        """The entry with the lowest id of `entry_id` or above (ids may have gaps)."""

    def by_actor(
        self,
        actor: str,
        *,
        before: int | None = None,
        action_prefix: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        """One account's entries, newest first (ix_audit_actor; the filters narrow that range)."""

    def detail_mentions_between(
        self, number: int, *, key: str, list_key: str, low: int, before: int
    ) -> list[AuditEntry]:
        """Candidates whose detail holds `"key": number` or `number` in the `list_key` array, with
        `low <= id < before`, newest first."""

    def last_id(self) -> int:
        """The newest entry's id (0 for an empty trail): a primary-key lookup."""

    def latest_of_actor(
        self, actor: str, actions: Collection[str], *, examined: int, limit: int
    ) -> list[AuditEntry]:
        """One account's newest entries of these actions, looked for among its newest `examined`
        entries only (ix_audit_actor), newest first."""

    def recent(self, actions: Collection[str], *, low: int, limit: int) -> list[AuditEntry]:
        """Entries of these actions with an id of `low` or above, newest first, at most
        `limit`."""

    def record(
        self,
        actor: Actor,
        action: str,
        resource_type: str,
        resource_id: object | None,
        *,
        purpose: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None: ...

    def write_many(self, entries: list[PendingEntry]) -> None:
        """Queue entries for this transaction: they are inserted as its last statements, when it
        commits (ADR 0013). A transaction that rolls back leaves none of them."""
