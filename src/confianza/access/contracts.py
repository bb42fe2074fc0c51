"""What explanation needs of storage (ADR 0022, ADR 0037)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from confianza.access.rules.alerts import Alert, Mark, NewAlert, Outcome
from confianza.access.rules.facts import Facts, Reader
from confianza.access.rules.kept import KeptHeader, PackedDay
from confianza.access.rules.reads import Entry, Ref, Resolved, TrailLine
from confianza.accounts.rules.permissions import Holder, Scope


class AccessStore(Protocol):
    def first_entry_at(self, instant: datetime) -> int:
        """The id of the first entry written at or after `instant` (the trail's next id when
        none is): the trail is read by id, which follows time."""

    def trail(self, low: int, high: int, actions: Collection[str]) -> Iterator[TrailLine]:
        """The entries of these actions with `low <= id < high`, in id order."""

    def trail_rows(self, low: int, high: int, actions: Collection[str]) -> Iterator[list[Entry]]:
        """The same entries in batches, each detail left as its JSON text."""

    def trail_fetch(self, low: int, high: int, actions: Collection[str]) -> int:
        """How many rows `trail_rows` would read, fetched and dropped (the benchmark's
        ceiling)."""

    def resolve(self, refs: Collection[tuple[Ref, int]]) -> Resolved:
        """The officers of each named record (an exam, an evaluation, a case ...)."""

    def facts(self, officers: Collection[int], since: datetime, until: datetime) -> Facts:
        """Every account, and the registry's facts about these officers that held at some
        time between `since` and `until`, as spans."""

    def unplaced(self, low: int, high: int) -> int:
        """How many entries with `low <= id < high` have no place in the tamper-evident log
        yet (the integrator has not reached them)."""

    def alerted(self, low: int) -> set[tuple[int, int]]:
        """(entry, officer) of every read behind an alert, for entries from `low` on."""

    def add_alert(self, alert: NewAlert, by: str, at: datetime) -> int:
        """Store an open alert and its reads; its id."""

    def alerts(self, outcome: Outcome | None, after: int | None, limit: int,
               scope: Scope) -> list[Alert]:
        """Alerts on readers inside `scope` (`reader_holder`), newest first (ids below
        `after`), of one outcome or all."""

    def reader_holder(self, reader: str) -> Holder:
        """What a reader's account works on, as a scope is checked against it: its agency and
        that agency's state, or its state; nothing for a national account or one that no
        longer exists (only a national scope covers those)."""

    def reader_alerts(self, reader: str, limit: int) -> list[Alert]:
        """The alerts on one reader's reads, the latest days first (at most `limit`)."""

    def alert(self, alert_id: int) -> Alert | None:
        """One alert with its reads and every mark."""

    def mark(self, alert_id: int, mark: Mark) -> None:
        """Keep an auditor's mark and make it the alert's outcome."""

    def outcome_counts(self, scope: Scope) -> dict[Outcome, int]:
        """Alerts on readers inside `scope`, by their outcome now."""

    def officer_ids(self) -> list[int]:
        """Every officer's id (what planted misuse picks unrelated records from)."""

    def accounts(self) -> dict[str, Reader]:
        """Every account as a reader, its role and scope as they stand now."""

    def kept_header(self, *, lock: bool = False) -> KeptHeader | None:
        """The detection's kept running state, its header (None when none is kept)."""

    def kept_days(self) -> list[PackedDay]:
        """The kept state's days, in order."""

    def keep(self, header: KeptHeader, written: Sequence[PackedDay]) -> None:
        """Replace the kept state: the header, these days, and no day the header omits."""
