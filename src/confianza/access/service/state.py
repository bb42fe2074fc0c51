"""The detection's lookback kept between runs (issue 19, ADR 0037 addendum "the lookback kept
between runs").

`detect_kept` loads the running state the last run kept, checks that it can still be trusted,
hands it to `detection.detect` (which then explains only the days after it) and keeps what the
run leaves in the same transaction as the run's alerts: a run is kept whole or not at all.

A kept state is trusted only when all of these hold; otherwise the run rebuilds the state from
the trail and says why:

- it was kept by this version of the rules and of the format (a fingerprint of the code that
  explains, scores and packs: any change to it is another version);
- it is kept by the civil days of the deployment's zone as it is now;
- it covers the lookback the period needs and ends before the period (a state that already
  holds the period's days was built knowing what came after them);
- it was read from the trail no further than this run's cut;
- the tamper-evident log still has the root it had when the state was kept, at that size: with
  the whole log held to its signed checkpoints by the run's verification, the entries the state
  came from are the ones that were read;
- it has every day it lists, and each unpacks to what it counts;
- no account changed peer group (role or scope) since: a pair is kept under the group its
  reader was in.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from confianza.access.rules import kept
from confianza.access.rules.kept import KeptHeader, PackedDay, Unreadable
from confianza.access.rules.lookback import Lookback
from confianza.access.rules.scoring import LOOKBACK, WINDOW_DAYS, peer_key
from confianza.access.service.detection import Detection, detect
from confianza.access.service.timings import Timings
from confianza.accounts.rules.permissions import Actor, Permission
from confianza.core.civil_time import civil_date, start_of_day
from confianza.core.errors import Conflict
from confianza.kit.merkle import fold, root_nodes
from confianza.transparency.service.verify import VerifyReport
from confianza.work import Transaction, UnitOfWork

#: The code whose answers the kept state holds: a change to any of it is another version.
RULE_MODULES = (
    "confianza.access.rules.explanations",
    "confianza.access.rules.facts",
    "confianza.access.rules.kept",
    "confianza.access.rules.lookback",
    "confianza.access.rules.reads",
    "confianza.access.rules.scoring",
    "confianza.access.service.detection",
    "confianza.access.service.gathering",
)
#: Days a kept state must reach back before a period's first day: the window and its lookback.
NEEDED_DAYS = WINDOW_DAYS - 1 + LOOKBACK.days


@cache
def rules_version() -> str:
    digest = hashlib.sha256(f"format {kept.FORMAT}".encode())
    for name in RULE_MODULES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        digest.update(name.encode())
        digest.update(Path(origin).read_bytes() if origin else b"?")
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class Provenance:
    """Where the run's lookback came from: the kept state, or the trail and why."""

    used: bool
    why: str
    days: int = 0  # days of the state loaded, or kept after the run
    stored_bytes: int = 0  # their packed size

    def line(self) -> str:
        return self.why


@dataclass(frozen=True)
class Loaded:
    """The kept state as loaded for a run (None when it cannot serve), and why."""

    state: Lookback | None
    header: KeptHeader | None
    why: str
    days: int = 0
    stored_bytes: int = 0


def detect_kept(uow: UnitOfWork, actor: Actor, since: date, until: date, *, threshold: float,
                verify: Callable[[], VerifyReport], as_of: datetime | None = None,
                rebuild: bool = False, timings: Timings | None = None,
                ) -> tuple[Detection, Provenance]:
    """`detect` with the lookback the last run kept (unless `rebuild`, or it cannot be
    trusted), keeping the state this run leaves with its alerts."""
    if not actor.has(Permission.ACCESS_ALERT_REVIEW):
        # Refused there, with its audit entry, before anything is read.
        return detect(uow, actor, since, until, threshold=threshold, verify=verify,
                      as_of=as_of), Provenance(False, "refused")
    loaded = load_kept(uow, since, as_of, rebuild)
    kept_days: list[int] = []
    stored: list[int] = []

    def keep(tx: Transaction, state: Lookback) -> None:
        days, size = _keep(tx, actor, state, loaded, since, until, as_of)
        kept_days.append(days)
        stored.append(size)

    found = detect(uow, actor, since, until, threshold=threshold, verify=verify, as_of=as_of,
                   lookback=loaded.state, timings=timings, keep=keep)
    if loaded.state is not None:
        return found, Provenance(True, loaded.why, loaded.days, loaded.stored_bytes)
    return found, Provenance(False, loaded.why, sum(kept_days), sum(stored))


def load_kept(uow: UnitOfWork, since: date, as_of: datetime | None, rebuild: bool) -> Loaded:
    with uow.transaction(read_only=True) as tx:
        header = tx.access.kept_header()
        if header is None:
            return Loaded(None, None, "rebuilt from the trail: no state was kept yet")
        if rebuild:
            return Loaded(None, header, "rebuilt from the trail, as asked (--rebuild)")
        problem = _distrust(tx, header, since, as_of)
        if problem is not None:
            return Loaded(None, header, f"rebuilt from the trail: {problem}")
        days = tx.access.kept_days()
        problem = _incomplete(header, days)
        if problem is None:
            state = Lookback()
            try:
                state.groups, _ = kept.unpack_groups(header.readers)
                state.touchers = kept.unpack_touchers(header.touchers)
                window = since - timedelta(days=WINDOW_DAYS - 1)
                for day in days:
                    kept.unpack_day(state, day, suspects=day.day >= window)
            except Unreadable as exc:
                problem = f"the kept state cannot be read: {exc}"
        if problem is not None:
            return Loaded(None, header, f"rebuilt from the trail: {problem}")
        size = sum(d.size for d in days) + len(header.readers) + len(header.touchers)
        return Loaded(state, header,
                       f"kept state used: {header.first_day} to {header.last_day} "
                       f"({len(days)} {'day' if len(days) == 1 else 'days'} with reads, "
                       f"{size / 1e6:.1f} MB packed), kept "
                       f"{header.saved_at:%Y-%m-%d %H:%M} UTC by {header.saved_by}",
                       len(days), size)


def _distrust(tx: Transaction, header: KeptHeader, since: date,
              as_of: datetime | None) -> str | None:
    """Why the kept state cannot serve a period starting on `since`, or None."""
    if header.version != rules_version():
        return "the state was kept by another version of the detection's rules"
    if header.zone != str(tx.zone):
        return (f"the state is kept by the civil days of {header.zone}, the deployment's zone "
                f"is now {tx.zone}")
    needed = since - timedelta(days=NEEDED_DAYS)
    if header.last_day >= since:
        return (f"the state already holds {header.last_day}, on or after the period's first "
                f"day {since}: it was built knowing what came after the period")
    if header.first_day > needed:
        return (f"the state begins on {header.first_day}; the period's lookback begins on "
                f"{needed}")
    if header.last_day < needed - timedelta(days=1):
        return f"the state ends on {header.last_day}, before the period's lookback ({needed})"
    cut = (as_of or tx.now) + timedelta(microseconds=1)
    if tx.access.first_entry_at(cut) < header.built_to:
        return ("the state was read from the trail past this run's cut (entry "
                f"{header.built_to:,})")
    size, _ = tx.log.head()
    if size < header.log_size:
        return (f"the tamper-evident log holds {size:,} entries, fewer than the "
                f"{header.log_size:,} it held when the state was kept")
    if header.log_size and _root(tx, header.log_size) != header.log_root:
        return (f"the tamper-evident log's first {header.log_size:,} entries are not those the "
                "state was built from (their root differs)")
    _, accounts = kept.unpack_groups(header.readers)
    now = tx.access.accounts()
    moved = sorted(who for who, key in accounts.items()
                   if who not in now or peer_key(now[who]) != key)
    if moved:
        return (f"{len(moved)} accounts changed role or scope since it was kept (e.g. "
                f"{moved[0]})")
    return None


def _incomplete(header: KeptHeader, days: list[PackedDay]) -> str | None:
    have = {d.day for d in days}
    missing = [d for d in header.days if d not in have]
    if missing:
        return (f"the state lacks {len(missing)} of its days (the first {missing[0]}): it was "
                "changed after it was kept")
    if len(have) != len(header.days):
        return "the state has days it does not list: it was changed after it was kept"
    return None


def _root(tx: Transaction, size: int) -> bytes:
    return fold(tx.log.hashes(root_nodes(size)))


def _keep(tx: Transaction, actor: Actor, state: Lookback, loaded: Loaded, since: date,
          until: date, as_of: datetime | None) -> tuple[int, int]:
    """Keep what the run leaves, in its transaction: the days it completed (a day the cut
    falls in is not kept: the next run reads it again, whole)."""
    current = tx.access.kept_header(lock=True)
    if (None if current is None else current.generation) != (
            None if loaded.header is None else loaded.header.generation):
        raise Conflict("another detection run kept the lookback while this one ran: nothing "
                       "of this run was kept; run it again")
    zone = tx.zone
    cut = (as_of or tx.now) + timedelta(microseconds=1)
    last = until if cut >= start_of_day(until + timedelta(days=1), zone) else (
        civil_date(cut, zone) - timedelta(days=1))
    base_first = (loaded.header.first_day if loaded.state is not None and loaded.header
                  else since - timedelta(days=NEEDED_DAYS))
    first = max(base_first, until - timedelta(days=NEEDED_DAYS - 1))
    if last < first:
        return 0, 0  # too little of the period has passed to keep anything
    listed = tuple(d for d in state.days if first <= d <= last)
    old_last = (loaded.header.last_day if loaded.state is not None and loaded.header
                else None)
    written = [kept.pack_day(state, d) for d in listed if old_last is None or d > old_last]
    size, root = tx.log.head()
    accounts = {who: peer_key(reader) for who, reader in tx.access.accounts().items()}
    header = KeptHeader(rules_version(), str(zone), first, last, listed,
                        tx.access.first_entry_at(cut), size, root,
                        (0 if current is None else current.generation) + 1,
                        kept.pack_groups(state.groups, accounts),
                        kept.pack_touchers(state.touchers), tx.now, actor.username)
    tx.access.keep(header, written)
    return len(listed), sum(d.size for d in written) + len(header.readers) + len(
        header.touchers)
