"""The lookback as compact running state (issue 19 figures, ADR 0037 addendum): what scoring
needs of the weeks before a window, kept by civil day so that a national day (two million
reads) is weighed against four weeks without explaining those weeks again.

Scoring asks three things of the past, and each is kept in the form that answers it:

- *did anyone of the reader's peer group read this officer in the lookback?* — per civil day,
  the (peer group, officer) pairs read that day, as one sorted array of 64-bit keys (peer group
  number in the high half, officer in the low half): a day of national traffic is about a
  million pairs, eight megabytes, and the question is a binary search per day;
- *what is this reader's usual?* — per civil day, each reader's weighted suspect reads;
- *did someone other than the reader touch this record?* — per officer, the two most recent
  distinct people whose reads, lists or acts touched it, with when: enough to answer for any
  reader and any lower bound exactly (if the most recent is the reader, the second is the most
  recent of everyone else).

And the window itself: each day's suspect reads, by reader, kept while a window may still need
them. Days are civil days of the deployment's zone (the lookback's edge moves by the hour of a
daylight-saving change, where a zone has one).

Nothing here reads storage: the detection service feeds the state from the explained trail,
and a caller that keeps it between runs (a day-by-day run, the benchmark) hands it back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from confianza.access.rules.facts import Reader
from confianza.access.rules.scoring import LOOKBACK, History, PeerKey, Suspect, peer_key

Keys = npt.NDArray[np.int64]
_EMPTY: Keys = np.zeros(0, dtype=np.int64)
_ANONYMOUS = Reader("", None, None)


@dataclass
class Lookback:
    """Running state of the days already explained, by civil day."""

    #: peer group -> its number (the high half of a pair's key).
    groups: dict[PeerKey, int] = field(default_factory=dict)
    #: day -> sorted unique keys of the (peer group, officer) pairs read that day.
    pairs: dict[date, Keys] = field(default_factory=dict)
    #: day -> reader -> weighted suspect reads.
    rate: dict[date, dict[str, float]] = field(default_factory=dict)
    #: day -> reader -> that day's suspect reads.
    suspects: dict[date, dict[str, list[Suspect]]] = field(default_factory=dict)
    #: officer -> the two most recent distinct people who touched the record, newest first.
    touchers: dict[int, list[tuple[str, datetime]]] = field(default_factory=dict)

    def group(self, key: PeerKey) -> int:
        found = self.groups.get(key)
        if found is None:
            found = self.groups[key] = len(self.groups)
        return found

    def key(self, reader: Reader, officer_id: int) -> int:
        return (self.group(peer_key(reader)) << 32) | officer_id

    # Feeding ---------------------------------------------------------------------------

    def add_judged(self, day: date, keys: Sequence[int], doubts: Iterable[Suspect]) -> None:
        """One civil day's explained reads, all at once, as judging leaves them: each read's
        pair key (`key`) and the suspect reads, in order."""
        rate: dict[str, float] = defaultdict(float)
        by_reader: dict[str, list[Suspect]] = defaultdict(list)
        for doubt in doubts:
            reader = doubt.read.reader
            rate[reader] += doubt.weight
            by_reader[reader].append(doubt)
        self.add_pairs(day, np.array(keys, dtype=np.int64))
        self.rate[day] = dict(rate)
        self.suspects[day] = dict(by_reader)

    def add_pairs(self, day: date, keys: Keys) -> None:
        """Pairs read on a day (keys from `key`), merged with any already kept for it."""
        held = self.pairs.get(day)
        self.pairs[day] = np.unique(keys if held is None else np.concatenate((held, keys)))

    def touch_at_once(self, touches: Touches) -> None:
        """Every touch of `touches`, in any order, added to `touchers`: per record the two
        most recent distinct people, each at their latest touch (of two people who touched a
        record at the same instant, the later moment of `touches` counts as the newer, and a
        touch gathered now as newer than one kept: either way every answer is the same).

        A national day is over four million touches (two million reads, the officers of a
        quarter of a million lists): told one by one they were a quarter of the detection's
        time. Here they are sorted by record and instant as arrays, each record's newest
        person and newest *other* person found in one pass, and only then merged, a record
        at a time, with the two people kept from the days before."""
        moments = len(touches.who)
        officer = np.array(touches.officers, dtype=np.int64)
        moment = np.repeat(np.arange(moments, dtype=np.int64),
                           np.array(touches.counts, dtype=np.int64))
        if len(moment) != len(officer) or len(touches.at) != moments:
            raise ValueError("the touches' moments, counts and officers do not match")
        if not len(officer):
            return
        instants = np.fromiter(map(datetime.timestamp, touches.at), dtype=np.float64,
                               count=moments)
        rank = np.empty(moments, dtype=np.int64)  # each moment's place in time, ties in order
        rank[np.argsort(np.rint(instants * 1e6).astype(np.int64), kind="stable")] = (
            np.arange(moments, dtype=np.int64))
        low = int(officer.min())
        if int(officer.max()) - low < (2**62) // max(moments, 1):
            order = np.argsort((officer - low) * moments + rank[moment], kind="stable")
        else:  # ids too far apart for one key: two keys (slower)
            order = np.lexsort((rank[moment], officer))
        officer, moment = officer[order], moment[order]
        names: dict[str, int] = {}
        code = np.array([names.setdefault(w, len(names)) for w in touches.who],
                        dtype=np.int64)[moment]
        count = len(officer)
        starts = np.flatnonzero(np.r_[True, officer[1:] != officer[:-1]])
        ends = np.r_[starts[1:], count] - 1
        newest = code[ends]
        group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, count]))
        # The last touch of each record by someone other than its newest person (-1: none).
        other = np.maximum.reduceat(np.where(code != newest[group], np.arange(count), -1),
                                    starts)
        second = np.where(other >= 0, moment[other], -1)
        who, at = touches.who, touches.at
        touchers = self.touchers
        for officer_id, first, then in zip(officer[ends].tolist(), moment[ends].tolist(),
                                           second.tolist(), strict=True):
            fresh = ([(who[first], at[first]), (who[then], at[then])] if then >= 0
                     else [(who[first], at[first])])
            kept = touchers.get(officer_id)
            touchers[officer_id] = fresh if kept is None else _newest_two(fresh, kept)

    def forget_before(self, day: date) -> None:
        """Drop the days no window or lookback from `day` on will ask about."""
        for held in (self.pairs, self.rate, self.suspects):
            for old in [d for d in held if d < day]:
                del held[old]

    @property
    def days(self) -> list[date]:
        return sorted(self.rate)

    # Asking ----------------------------------------------------------------------------

    def window(self, first_day: date, day: date) -> dict[str, list[Suspect]]:
        """Each reader's suspect reads from `first_day` to `day`, both included."""
        found: dict[str, list[Suspect]] = defaultdict(list)
        for held, by_reader in sorted(self.suspects.items()):
            if first_day <= held <= day:
                for reader, doubts in by_reader.items():
                    found[reader].extend(doubts)
        return dict(found)

    def history(self, first_day: date, window: Mapping[str, Sequence[Suspect]],
                readers: Mapping[str, Reader], days: int, touched_since: datetime) -> History:
        """What scoring weighs a window starting on `first_day` against: for the readers in
        `window`, their usual over the `LOOKBACK` days before it (`days` working days), and
        of the officers they read, which their peer groups had read then and who touched
        them since `touched_since`. Only what the window asks about is gathered."""
        lookback = [first_day - timedelta(days=n) for n in range(LOOKBACK.days, 0, -1)]
        rate: dict[str, float] = defaultdict(float)
        for held in lookback:
            for reader, weight in self.rate.get(held, {}).items():
                if reader in window:
                    rate[reader] += weight
        asked: list[int] = []
        whose: list[tuple[PeerKey, int]] = []
        for username, doubts in window.items():
            peer = peer_key(readers.get(username, _ANONYMOUS))
            half = self.group(peer) << 32  # `key`, the reader's half found once
            for s in doubts:
                whose.append((peer, s.read.officer_id))
                asked.append(half | s.read.officer_id)
        known = np.zeros(len(asked), dtype=bool)
        if asked:
            query = np.array(asked, dtype=np.int64)
            for held in lookback:
                kept = self.pairs.get(held, _EMPTY)
                if len(kept):
                    at = np.searchsorted(kept, query)
                    at[at >= len(kept)] = 0
                    known |= kept[at] == query
        peer_read: dict[PeerKey, set[int]] = defaultdict(set)
        for (peer, officer), seen in zip(whose, known.tolist(), strict=True):
            if seen:
                peer_read[peer].add(officer)
        touched: dict[int, set[str]] = {}
        # In UTC, as the touches are: instants of one tzinfo compare by their fields.
        touched_since = touched_since.astimezone(UTC)
        for _, officer in whose:
            if officer not in touched:
                touched[officer] = {who for who, at in self.touchers.get(officer, ())
                                    if at >= touched_since}
        return History(dict(peer_read), touched,
                       {who: n / max(days, 1) for who, n in rate.items()})


@dataclass
class Touches:
    """Who touched which records when, gathered for `Lookback.touch_at_once`: moment `i` is
    `who[i]` at `at[i]`, and it touched the next `counts[i]` of `officers` (a read touches
    one record, a list all it showed)."""

    who: list[str] = field(default_factory=list)
    at: list[datetime] = field(default_factory=list)
    officers: list[int] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)


def _when(touch: tuple[str, datetime]) -> datetime:
    return touch[1]


def _newest_two(fresh: list[tuple[str, datetime]],
                kept: list[tuple[str, datetime]]) -> list[tuple[str, datetime]]:
    """The two most recent distinct people of both (each at their latest), newest first; on
    a tie the fresh touch counts as the newer."""
    if kept[0][1] <= fresh[-1][1]:  # the common case: all kept is older than all fresh
        if len(fresh) == 2:
            return fresh
        person = fresh[0][0]
        for touch in kept:  # newest first: the first other person is the one kept
            if touch[0] != person:
                return [fresh[0], touch]
        return fresh
    found: list[tuple[str, datetime]] = []
    for touch in sorted(fresh + kept, key=_when, reverse=True):  # stable: fresh first on ties
        if all(touch[0] != seen for seen, _ in found):
            found.append(touch)
            if len(found) == 2:
                break
    return found
