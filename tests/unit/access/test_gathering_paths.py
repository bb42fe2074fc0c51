"""The fast paths of a national day's gathering and judgement give what the plain rules give
(issue 19 figures, ADR 0037 third addendum): officer reads made straight from the row, their
detail never parsed; the touches settled at once; the rules of work tried commonest first."""

from __future__ import annotations

import json
import random
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from confianza.access.contracts import AccessStore
from confianza.access.rules.explanations import for_judging, for_role, reader_of
from confianza.access.rules.facts import Facts, Reader, Span, Timeline
from confianza.access.rules.lookback import Lookback, Touches
from confianza.access.rules.reads import (
    CHANGE_ACTIONS,
    READ_ACTIONS,
    Entry,
    Read,
    Ref,
    Resolved,
    Shown,
    changes_by,
    line_of,
    reads_of,
    references,
    shown_officers,
)
from confianza.access.rules.scoring import Judge, Suspect, judge, peer_key
from confianza.access.service.detection import _judged
from confianza.access.service.gathering import SENSITIVE, gather
from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.core.civil_time import civil_date
from confianza.trail.rules import AuditAction

A = AuditAction
AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RESOLVED: Resolved = {(Ref.EXAM, 40): (7,), (Ref.EVALUATION, 5): (50, 51),
                      (Ref.CASE, 9): (90,)}


def _entry(n: int, action: str, kind: str, resource: str | None,
           detail: dict[str, Any] | str | None = None, who: str = "ana",
           purpose: str | None = None) -> Entry:
    text = detail if isinstance(detail, str) or detail is None else json.dumps(detail)
    return (n, AT + timedelta(seconds=n), who, action, kind, resource, purpose, text)


#: Odd entries among ordinary ones: ids as strings, signed, too long, not numbers, missing;
#: details empty, absent, naming another officer (an officer read ignores it), huge lists.
ENTRIES: list[Entry] = [
    _entry(1, A.OFFICER_READ, "officer", "12"),
    _entry(2, A.OFFICER_READ, "officer", "12", {"officer_id": 99, "sections": ["contacts"]}),
    _entry(3, A.OFFICER_CONTACT_READ, "officer", "13", {}, purpose="notificar"),
    _entry(4, A.OFFICER_READ, "officer", "-4"),
    _entry(5, A.OFFICER_READ, "officer", "x1"),
    _entry(6, A.OFFICER_READ, "officer", None, None),
    _entry(7, A.OFFICER_READ, "officer", "12345678901234567890"),
    _entry(8, A.OFFICER_READ, "officer", "٣"),  # a decimal digit, not an ASCII one
    _entry(9, A.EXAM_READ, "evaluation_exam", "40", {"sha256": "ab"}),
    _entry(10, A.EXAM_READ, "evaluation_exam", "41", {"officer_id": "8"}),
    _entry(11, A.CASE_READ, "integrity_case", "9", {"officers": [1, "2", "z", None, True]}),
    _entry(12, A.CASE_READ, "integrity_case", "9", ""),
    _entry(13, A.EVALUATION_QUEUE_READ, "evaluation", None, {"results": [5, "5", 6]}),
    _entry(14, A.OFFICER_SEARCH, "officer", None,
           {"criteria": {"name": "x"}, "results": list(range(1000, 11_000))}, who="bea"),
    _entry(15, A.ALERTS_READ, "certification", None, {"results": ["12", 13], "shown": [14]}),
    _entry(16, A.OFFICER_UPDATE, "officer", "12", "{}"),
    _entry(17, A.EVALUATION_RESULTS_READ, "evaluation", "5", {}),
    _entry(18, A.OFFICER_READ, "officer", "12", who="bea"),
    _entry(19, A.CASE_STAGE_READ, "integrity_case", "9", {}),
]


class _Store:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries

    def trail_rows(self, low: int, high: int, actions: Collection[str]) -> Iterator[list[Entry]]:
        chosen = [e for e in self.entries if low <= e[0] < high and e[3] in actions]
        for i in range(0, len(chosen), 7):  # batches that split the entries
            yield chosen[i:i + 7]

    def resolve(self, refs: Collection[tuple[Ref, int]]) -> Resolved:
        return {ref: RESOLVED[ref] for ref in refs if ref in RESOLVED}


def _plain(entries: list[Entry], first: int, last: int) -> tuple[
        list[Read], list[tuple[str, int, datetime]], dict[tuple[str, int, Shown], list[datetime]],
        list[tuple[datetime, str, int, str]], list[tuple[datetime, str, int, str]]]:
    """What the rules of `reads` say of each entry, parsed whole, one at a time."""
    resolved = {ref: RESOLVED[ref] for e in entries for ref in references(line_of(e))
                if ref in RESOLVED}
    reads: list[Read] = []
    touched: list[tuple[str, int, datetime]] = []
    shown: dict[tuple[str, int, Shown], list[datetime]] = {}
    acts: list[tuple[datetime, str, int, str]] = []
    sensitive: list[tuple[datetime, str, int, str]] = []
    for entry in entries:
        line = line_of(entry)
        if line.action in READ_ACTIONS:
            found = reads_of(line, resolved)
            if line.action in SENSITIVE:
                sensitive += [(r.at, r.reader, r.officer_id, r.action) for r in found]
            if first <= line.id < last:
                reads += found
                touched += [(r.reader, r.officer_id, r.at) for r in found]
        elif line.action in CHANGE_ACTIONS:
            for act in changes_by(line, resolved):
                acts.append((act.at, act.actor, act.officer_id, act.kind))
                touched.append((act.actor, act.officer_id, act.at))
        elif (listed := shown_officers(line, resolved)) is not None:
            for officer in listed[1]:
                shown.setdefault((line.actor, officer, listed[0]), []).append(line.at)
                touched.append((line.actor, officer, line.at))
    return reads, touched, shown, acts, sensitive


Touch = tuple[str, int, datetime]


def _latest_other(touchers: dict[int, list[tuple[str, datetime]]],
                  people: set[str]) -> dict[tuple[int, str], datetime | None]:
    """What scoring asks of who touched a record: for each record and person, the latest
    touch by anyone else (the state keeps two people per record to answer exactly this)."""
    return {(officer, person): next((at for who, at in kept if who != person), None)
            for officer, kept in touchers.items() for person in people}


def _truth(touched: list[Touch], people: set[str]) -> dict[tuple[int, str], datetime | None]:
    """The same, from every touch."""
    found: dict[tuple[int, str], datetime | None] = {}
    for officer in {o for _, o, _ in touched}:
        for person in people:
            times = [at for who, o, at in touched if o == officer and who != person]
            found[(officer, person)] = max(times) if times else None
    return found


def _settled(touched: list[Touch], state: Lookback | None = None) -> Lookback:
    state = state if state is not None else Lookback()
    state.touch_at_once(Touches([w for w, _, _ in touched], [a for _, _, a in touched],
                                [o for _, o, _ in touched], [1] * len(touched)))
    return state


def test_gathering_gives_what_the_rules_give_entry_by_entry() -> None:
    found = gather(cast(AccessStore, _Store(ENTRIES)), 1, 2, 18, 100, touches=True)
    reads, touched, shown, acts, sensitive = _plain(ENTRIES, 2, 18)
    assert found.reads == reads
    assert [r.officer_id for r in reads] == [12, 13, 7, 8, 1, 2, 90, 50, 51]
    assert {key: t.moments for key, t in found.shown.items()} == shown
    assert len(shown) == 2 + 10_000 + 3
    assert [(a.at, a.actor, a.officer_id, a.kind) for a in found.acts] == acts
    assert [(a.at, a.actor, a.officer_id, a.kind) for a in found.sensitive] == sensitive
    assert found.touches is not None
    state = Lookback()
    state.touch_at_once(found.touches)
    # In time order, without ties between people: the very state of each touch in turn.
    assert state.touchers == _settled(touched).touchers
    assert state.touchers[12] == [("ana", AT + timedelta(seconds=16))]  # 18: after the period
    assert len(state.touchers) == len({officer for _, officer, _ in touched}) > 10_000
    people = {"ana", "bea", "nobody"}
    assert _latest_other(state.touchers, people) == _truth(touched, people)
    assert gather(cast(AccessStore, _Store(ENTRIES)), 1, 2, 18, 100).touches is None


def test_touches_settled_at_once_answer_as_every_touch_in_any_order() -> None:
    """Out of time order, ties between people at one instant, several moments of one list,
    and a second day merged onto what the first left (earlier, later and equal instants)."""
    rng = random.Random(19)
    people = {"ana", "bea", "eva", "nobody"}
    everything: list[Touch] = []
    state = Lookback()
    for _ in range(2):
        who_, at_, officers_, counts = [], [], [], []
        for _ in range(1_500):
            listed = [rng.randrange(40) for _ in range(rng.choice([1, 1, 3, 6]))]
            who = rng.choice(["ana", "bea", "eva"])
            at = AT + timedelta(minutes=rng.randrange(-300, 300))
            who_.append(who)
            at_.append(at)
            officers_ += listed
            counts.append(len(listed))
            everything += [(who, officer, at) for officer in listed]
        state.touch_at_once(Touches(who_, at_, officers_, counts))
        assert _latest_other(state.touchers, people) == _truth(everything, people)
        assert all(len(kept) <= 2 and len({w for w, _ in kept}) == len(kept)
                   and kept == sorted(kept, key=lambda t: t[1], reverse=True)
                   for kept in state.touchers.values())
    huge = _settled([("ana", 2**40, AT), ("bea", 3, AT + timedelta(seconds=1))])
    assert huge.touchers == {2**40: [("ana", AT)], 3: [("bea", AT + timedelta(seconds=1))]}


def test_trying_the_commonest_rules_first_judges_every_read_alike() -> None:
    rng = random.Random(2018)
    scopes = [Scope(), Scope(ScopeKind.STATE, "14"), Scope(ScopeKind.AGENCY, "14", 3)]
    for role in [*Role, None]:
        for scope in scopes:
            reader = Reader("ana", 10, role, scope, frozenset({3}))
            facts = Facts(readers={"ana": reader}, agency_states={3: "14"})
            facts.shown = {}
            for officer in range(6):
                when = AT - timedelta(minutes=rng.randrange(0, 900))
                kind = rng.choice(list(Shown))
                facts.shown[("ana", officer, kind)] = Timeline([when])
            facts.conflicts = {2: [Span(AT - timedelta(days=1))]}
            facts.decisions = {4: [Span(AT - timedelta(days=1))]}
            facts.exams = {(10, 5): [Span(AT - timedelta(days=1))]}
            quick = Judge(for_judging(role))
            for officer in range(7):
                read = Read(officer, AT, "ana", officer, A.OFFICER_READ)
                assert quick(read, reader, facts) == judge(read, reader, facts, for_role(role))


def test_officer_reads_out_of_time_order_touch_as_every_touch_says() -> None:
    """The trail's id order is not quite its time order: reads earlier than a record's newest
    touch, ties and repeated readers leave the state answering as all the touches do."""
    rng = random.Random(7)
    entries: list[Entry] = []
    for n in range(1, 3_000):
        who = rng.choice(["ana", "bea", "eva"])
        at = AT + timedelta(minutes=rng.randrange(-300, 300))
        if rng.random() < 0.1:
            detail = {"results": [rng.randrange(20) for _ in range(3)]}
            entries.append((n, at, who, A.ALERTS_READ, "certification", None,
                            None, json.dumps(detail)))
        else:
            entries.append((n, at, who, A.OFFICER_READ, "officer", str(rng.randrange(20)),
                            None, None))
    found = gather(cast(AccessStore, _Store(entries)), 1, 1, 3_000, 3_000, touches=True)
    reads, touched, shown, _, _ = _plain(entries, 1, 3_000)
    assert found.reads == reads
    assert {key: t.moments for key, t in found.shown.items()} == shown
    assert found.touches is not None
    state = Lookback()
    state.touch_at_once(found.touches)
    people = {"ana", "bea", "eva", "nobody"}
    assert _latest_other(state.touchers, people) == _truth(touched, people)


def test_the_days_judgement_with_work_list_inline_is_the_plain_rules() -> None:
    """`detection._judged` tries `work_list` itself, then the role's other rules: every read
    gets what `judge` with all of its role's rules gives, whatever the timeline's length,
    and leaves the pair key the lookback keeps for it."""
    rng = random.Random(2019)
    scopes = [Scope(), Scope(ScopeKind.STATE, "14"), Scope(ScopeKind.AGENCY, "14", 3)]
    readers = {f"r{n}": Reader(f"r{n}", n, role, scopes[n % 3], frozenset({3}))
               for n, role in enumerate([*Role, None])}
    facts = Facts(readers=dict(readers), agency_states={3: "14"})
    facts.shown = {}
    for name in readers:
        for officer in range(8):
            for kind in Shown:
                if rng.random() < 0.5:
                    moments = sorted(AT - timedelta(minutes=rng.randrange(-120, 1_000))
                                     for _ in range(rng.choice([1, 1, 2, 5])))
                    facts.shown[(name, officer, kind)] = Timeline(moments)
    facts.conflicts = {2: [Span(AT - timedelta(days=1))]}
    facts.decisions = {4: [Span(AT - timedelta(days=1))]}
    facts.acts = {(name, 6): Timeline([AT + timedelta(hours=2)]) for name in readers}
    reads = [Read(n, AT + timedelta(minutes=n), rng.choice([*readers, "gone"]),
                  rng.randrange(9), A.OFFICER_READ) for n in range(3_000)]
    zone = ZoneInfo("America/Mexico_City")  # the reads' days are its civil days
    state = Lookback()
    by_day = _judged(reads, facts, zone, state)
    expected: dict[date, list[tuple[Read, Suspect | None]]] = {}
    for read in reads:
        reader = reader_of(read, facts)
        expected.setdefault(civil_date(read.at, zone), []).append(
            (read, judge(read, reader, facts, for_role(reader.role))))
    assert sorted(by_day) == sorted(expected) and len(expected) == 3
    group = {number: key for key, number in state.groups.items()}
    for day, pairs in expected.items():
        got = by_day[day]
        assert got.reads == len(pairs)
        assert got.suspects == [found for _, found in pairs if found is not None]
        assert [(group[key >> 32], key & 0xFFFFFFFF) for key in got.keys] == [
            (peer_key(reader_of(read, facts)), read.officer_id) for read, _ in pairs]
    assert 0 < sum(len(d.suspects) for d in by_day.values()) < len(reads)
