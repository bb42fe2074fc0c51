"""One pass over the trail around a period, streamed in batches (issue 19 figures, ADR 0037):
the period's reads, and around them what lists showed, what was changed and the sensitive
reads an auditor reviews — everything explanation takes from the trail — without holding the
trail's lines: each batch's records are resolved to their officers (only those not resolved
yet), its lines turned into reads and timelines, and dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from confianza.access.contracts import AccessStore
from confianza.access.rules.facts import Facts, Timeline, from_trail
from confianza.access.rules.lookback import Touches
from confianza.access.rules.reads import (
    CHANGE_ACTIONS,
    READ_ACTIONS,
    TRAIL_ACTIONS,
    Act,
    Entry,
    Read,
    Ref,
    Shown,
    TrailLine,
    changes_by,
    line_of,
    number,
    reads_of,
    references,
    shown_officers,
)
from confianza.trail.rules import AuditAction

#: The actions whose reads an auditor is shown to review (`access_review`).
SENSITIVE = frozenset({AuditAction.OFFICER_CONTACT_READ, AuditAction.EVALUATION_RESULTS_READ})
@dataclass
class Gathered:
    reads: list[Read] = field(default_factory=list)
    #: (reader, officer, how) -> when a list showed the officer: appended in trail order,
    #: sorted by `into` (the trail's id order is nearly its time order, so mostly a check).
    shown: dict[tuple[str, int, Shown], Timeline] = field(default_factory=dict)
    acts: list[Act] = field(default_factory=list)
    sensitive: list[Act] = field(default_factory=list)
    #: Who touched which records when (`touches=True`): every read of the period, every
    #: list and every act, for `Lookback.touch_at_once`.
    touches: Touches | None = None

    def into(self, facts: Facts) -> None:
        """Add what the trail says to the registry's facts (and let go of it here)."""
        from_trail(facts, shown=(), acts=self.acts, sensitive=self.sensitive)
        for timeline in self.shown.values():
            moments = timeline.moments
            if len(moments) > 1:
                moments.sort()
        facts.shown = self.shown
        self.shown, self.acts, self.sensitive = {}, [], []


#: Outside the period a read of a record matters only as a sensitive one (what an auditor
#: reviews); its lists and acts matter all the same. The rest is left in the database.
OUTSIDE = TRAIL_ACTIONS - (READ_ACTIONS - SENSITIVE)


def _around(store: AccessStore, low: int, first: int, last: int,
            high: int) -> Iterator[list[Entry]]:
    """The batches of entries with `low <= id < high`, in id order: every action explanation
    reads within the period, only `OUTSIDE` before and after it (`explain` reads a fortnight
    after its period for the acts that fulfil a purpose: mostly reads, none of them needed)."""
    for start, stop, actions in ((low, first, OUTSIDE), (first, last, TRAIL_ACTIONS),
                                 (last, high, OUTSIDE)):
        if start < stop:
            yield from store.trail_rows(start, stop, actions)


def gather(store: AccessStore, low: int, first: int, last: int, high: int, *,
           touches: bool = False) -> Gathered:
    """The trail's entries with `low <= id < high`; the reads of those with `first <= id <
    last`. With `touches`, also who touched which records when: every read of the period,
    every list and every act (`Gathered.touches`).

    Most of a day's entries are reads of an officer named as their resource: those are turned
    into their read straight from the row (`officer_read`), their detail never parsed; every
    other entry becomes a `TrailLine` and goes through the rules of `reads`. The touches are
    gathered as plain lists and left for `Lookback.touch_at_once` to settle in one pass:
    four million calls of `touch` were a quarter of a national day's detection."""
    found = Gathered()
    resolved: dict[tuple[Ref, int], tuple[int, ...]] = {}
    asked: set[tuple[Ref, int]] = set()
    reads, shown, acts, sensitive = found.reads, found.shown, found.acts, found.sensitive
    # The lists' touches: who, when, how many officers (the officers themselves follow).
    list_who: list[str] = []
    list_at: list[datetime] = []
    list_officers: list[int] = []
    list_counts: list[int] = []
    make = tuple.__new__  # a Read made as the tuple it is, without its Python-level __new__
    reading = READ_ACTIONS
    for batch in _around(store, low, first, last, high):
        # Parsed first, so that the batch's records are resolved in one go.
        lines: list[TrailLine | None] = []
        wanted: set[tuple[Ref, int]] = set()
        for entry in batch:
            if entry[4] == "officer" and entry[3] in reading:  # `officer_read`
                lines.append(None)
            else:
                line = line_of(entry)
                lines.append(line)
                wanted.update(references(line))
        wanted -= asked
        if wanted:
            asked |= wanted
            resolved.update(store.resolve(wanted))
        for entry, parsed in zip(batch, lines, strict=True):
            if parsed is None:
                n, at, who, action, _, resource, purpose, _ = entry
                # `number`, inline: a string of at most 18 ASCII decimal digits.
                if (type(resource) is str and resource.isascii() and resource.isdecimal()
                        and len(resource) < 19):
                    officer = int(resource)
                else:
                    odd = number(resource)
                    if odd is None:
                        continue
                    officer = odd
                read: Read = make(Read, (n, at, who, officer, action, purpose, None))
                if action in SENSITIVE:
                    sensitive.append(Act(at, who, officer, action))
                if first <= n < last:  # reads around the period touch nothing here
                    reads.append(read)
                continue
            line = parsed
            action = line.action
            if action in reading:
                found_reads = reads_of(line, resolved)
                if action in SENSITIVE:
                    sensitive.extend(Act(line.at, line.actor, r.officer_id, action)
                                     for r in found_reads)
                if first <= line.id < last:
                    reads.extend(found_reads)
            elif action in CHANGE_ACTIONS:
                acts.extend(changes_by(line, resolved))
            else:
                listed = shown_officers(line, resolved)
                if listed is None:
                    continue
                how, officers = listed
                at, who = line.at, line.actor
                for officer in officers:
                    key = (who, officer, how)
                    timeline = shown.get(key)
                    if timeline is None:
                        shown[key] = Timeline([at])
                    else:
                        timeline.moments.append(at)
                if touches:
                    list_who.append(who)
                    list_at.append(at)
                    list_officers.extend(officers)
                    list_counts.append(len(officers))
    if touches:
        # A read or an act touches one record: they come first, the lists after them.
        found.touches = Touches(
            [r[2] for r in reads] + [a.actor for a in acts] + list_who,
            [r[1] for r in reads] + [a.at for a in acts] + list_at,
            [r[3] for r in reads] + [a.officer_id for a in acts] + list_officers,
            [1] * (len(reads) + len(acts)) + list_counts)
    return found
