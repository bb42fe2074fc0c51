"""One pass over the trail around a period, streamed in batches (issue 19 figures, ADR 0037):
the period's reads, and around them what lists showed, what was changed and the sensitive
reads an auditor reviews — everything explanation takes from the trail — without holding the
trail's lines: each batch's records are resolved to their officers (only those not resolved
yet), its lines turned into reads and timelines, and dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from confianza.access.contracts import AccessStore
from confianza.access.rules.facts import Facts, Timeline, from_trail
from confianza.access.rules.reads import (
    CHANGE_ACTIONS,
    READ_ACTIONS,
    TRAIL_ACTIONS,
    Act,
    Read,
    Ref,
    Shown,
    TrailLine,
    changes_by,
    reads_of,
    references,
    shown_officers,
)
from confianza.trail.rules import AuditAction

#: The actions whose reads an auditor is shown to review (`access_review`).
SENSITIVE = frozenset({AuditAction.OFFICER_CONTACT_READ, AuditAction.EVALUATION_RESULTS_READ})
#: Lines handled at a time.
BATCH = 50_000

Touch = Callable[[str, int, datetime], None]


@dataclass
class Gathered:
    reads: list[Read] = field(default_factory=list)
    shown: dict[tuple[str, int, Shown], list[datetime]] = field(
        default_factory=lambda: defaultdict(list))
    acts: list[Act] = field(default_factory=list)
    sensitive: list[Act] = field(default_factory=list)

    def into(self, facts: Facts) -> None:
        """Add what the trail says to the registry's facts (and let go of it here)."""
        from_trail(facts, shown=(), acts=self.acts, sensitive=self.sensitive)
        facts.shown = {key: Timeline(moments if len(moments) == 1 else sorted(moments))
                       for key, moments in self.shown.items()}
        self.shown, self.acts, self.sensitive = defaultdict(list), [], []


def _batches(lines: Iterator[TrailLine]) -> Iterator[list[TrailLine]]:
    while batch := list(islice(lines, BATCH)):
        yield batch


def gather(store: AccessStore, low: int, first: int, last: int, high: int,
           touch: Touch | None = None) -> Gathered:
    """The trail's entries with `low <= id < high`; the reads of those with `first <= id <
    last`. `touch` is told, in trail order, of every read of the period and every list and
    act: who touched which record when."""
    found = Gathered()
    resolved: dict[tuple[Ref, int], tuple[int, ...]] = {}
    asked: set[tuple[Ref, int]] = set()
    for batch in _batches(store.trail(low, high, TRAIL_ACTIONS)):
        wanted = {ref for line in batch for ref in references(line)} - asked
        if wanted:
            asked |= wanted
            resolved.update(store.resolve(wanted))
        for line in batch:
            action = line.action
            if action in READ_ACTIONS:
                reads = reads_of(line, resolved)
                if action in SENSITIVE:
                    found.sensitive.extend(Act(line.at, line.actor, read.officer_id, action)
                                           for read in reads)
                if first <= line.id < last:  # reads around the period touch nothing here
                    found.reads.extend(reads)
                    if touch is not None:
                        for read in reads:
                            touch(read.reader, read.officer_id, read.at)
            elif action in CHANGE_ACTIONS:
                for act in changes_by(line, resolved):
                    found.acts.append(act)
                    if touch is not None:
                        touch(act.actor, act.officer_id, act.at)
            else:
                listed = shown_officers(line, resolved)
                if listed is None:
                    continue
                how, officers = listed
                at, who = line.at, line.actor
                shown = found.shown
                for officer in officers:
                    shown[(who, officer, how)].append(at)
                if touch is not None:
                    for officer in officers:
                        touch(who, officer, at)
    return found
