"""The home's panels read from the audit trail: the newest entries of a few actions (for
auditors and administrators) and one's own recent work (for clerks and internal affairs).

No index serves an entry's action, so both look at a bounded stretch of the trail: the newest
`TRAIL_WINDOW` entries (a primary-key range), or the caller's own newest `OWN_WINDOW`
(ix_audit_actor). The caller (home/service/panels.py) authorises and audits the read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from confianza.accounts.rules.permissions import Actor, ScopeKind
from confianza.core.civil_time import start_of_day
from confianza.trail.rules import AuditEntry
from confianza.work import Transaction

TRAIL_WINDOW = 50_000  # newest audit entries the trail panels examine
TRAIL_ROWS = 2_000  # matching entries read from that window, at most
OWN_WINDOW = 1_000  # newest entries of one's own the activity panels examine
OWN_ROWS = 200


@dataclass(frozen=True)
class TrailItem:
    """An entry of the trail; `officer_id` is the officer it concerns, if any."""

    entry: AuditEntry
    officer_id: int | None


@dataclass(frozen=True)
class Stretch:
    """What a look down the newest entries found, newest first. `capped`: `TRAIL_ROWS` were
    found, so counts made from them mean "at least". `since`: when the oldest entry examined
    was written (None for an empty trail)."""

    items: list[TrailItem]
    capped: bool
    since: datetime | None


def officer_of(entry: AuditEntry) -> int | None:
    """The officer an entry concerns: its resource, or the officer its detail names."""
    if entry.resource_type == "officer" and (entry.resource_id or "").isdigit():
        return int(entry.resource_id or 0)
    named = entry.detail.get("officer_id")
    return named if type(named) is int else None


def newest(tx: Transaction, actor: Actor, actions: frozenset[str]) -> Stretch:
    """The entries of these actions among the newest `TRAIL_WINDOW`. For a scoped caller,
    only those about officers holding a post inside its scope (an entry carries no scope of
    its own, so one about no officer is left out)."""
    last = tx.audit.last_id()
    low = max(1, last - TRAIL_WINDOW + 1)
    entries = tx.audit.recent(actions, low=low, limit=TRAIL_ROWS) if actions and last else []
    items = [TrailItem(e, officer_of(e)) for e in entries]
    if actor.scope.kind is not ScopeKind.NATIONAL:
        officers = {i.officer_id for i in items if i.officer_id is not None}
        inside = tx.officers.within(sorted(officers), actor.scope)
        items = [i for i in items if i.officer_id in inside]
    oldest = tx.audit.first_from(low) if last else None
    return Stretch(items, len(entries) >= TRAIL_ROWS, oldest.at if oldest else None)


def own(tx: Transaction, actor: Actor, actions: frozenset[str]) -> tuple[list[TrailItem], int]:
    """The caller's own newest entries of these actions (at most `OWN_ROWS`), and how many of
    them were written today."""
    entries = tx.audit.latest_of_actor(actor.username, actions, examined=OWN_WINDOW,
                                       limit=OWN_ROWS)
    midnight = start_of_day(tx.today, tx.zone)  # today as the deployment's clocks count it
    return [TrailItem(e, officer_of(e)) for e in entries], sum(1 for e in entries
                                                               if e.at >= midnight)
