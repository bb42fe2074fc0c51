"""The lookback kept as running state answers what scoring asks exactly as the reads it was
fed would (issue 19 figures): the peer groups' familiar officers, each reader's usual, who else
touched a record, and the window's suspect reads; and the short-circuit judgement of a read
agrees with explaining it by every rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from lookback_support import add_day, touch

from confianza.access.rules.explanations import RULES, explain, for_role
from confianza.access.rules.facts import Facts, Reader, Span, Timeline
from confianza.access.rules.lookback import Lookback
from confianza.access.rules.reads import Read, Shown
from confianza.access.rules.scoring import Suspect, history, judge, peer_key, suspect
from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.trail.rules import AuditAction

CLERK = Reader("rosa", 5, Role.REGISTRY_CLERK)
PEER = Reader("luis", 6, Role.REGISTRY_CLERK)
OTHER = Reader("hr", 7, Role.AGENCY_HR, Scope(ScopeKind.AGENCY, "14", 3))
READERS = {r.username: r for r in (CLERK, PEER, OTHER)}
DAY = date(2026, 11, 30)  # a Monday: the window's first day


def _at(day: date, hour: int = 16) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _read(n: int, day: date, reader: str, officer: int) -> Read:
    return Read(n, _at(day), reader, officer, AuditAction.OFFICER_READ)


def test_the_state_answers_as_the_reads_it_was_fed() -> None:
    earlier = DAY - timedelta(days=10)
    too_old = DAY - timedelta(days=29)
    fed = [
        (_read(1, earlier, "luis", 100), None),  # the clerk's peer read 100
        (_read(2, earlier, "hr", 101), None),  # not a peer: 101 stays unfamiliar
        (_read(3, earlier, "rosa", 102), None),
        (_read(4, earlier, "rosa", 103), None),
        (_read(5, too_old, "luis", 104), None),  # before the lookback
    ]
    fed[2] = (fed[2][0], suspect(fed[2][0], []))
    fed[3] = (fed[3][0], suspect(fed[3][0], ["search_result"]))
    state = Lookback()
    for day in sorted({read.at.date() for read, _ in fed}):
        add_day(state, day, [(r, s) for r, s in fed if r.at.date() == day], READERS)
    window = [_read(10 + n, DAY, "rosa", officer) for n, officer in enumerate(range(100, 105))]
    doubts = [Suspect(r, False) for r in window]
    add_day(state, DAY, [(r, s) for r, s in zip(window, doubts, strict=True)], READERS)
    touch(state, "hr", 101, _at(earlier))
    touch(state, "rosa", 103, _at(earlier))
    assert state.window(DAY, DAY) == {"rosa": doubts}
    found = state.history(DAY, {"rosa": doubts}, READERS, 20, _at(DAY - timedelta(days=28)))
    expected = history([pair for pair in fed if pair[0].at >= _at(DAY - timedelta(days=28))],
                       [("hr", 101), ("rosa", 103)], READERS, 20)
    asked = {r.officer_id for r in window}
    assert found.peer_read[peer_key(CLERK)] == expected.peer_read[peer_key(CLERK)] & asked
    assert found.own_rate == expected.own_rate == {"rosa": 1.25 / 20}
    assert found.touched[101] == {"hr"} and found.touched[103] == {"rosa"}
    assert found.touched[100] == set()
    state.forget_before(DAY)
    assert state.days == [DAY]


def test_touchers_keep_the_two_most_recent_people_in_any_order() -> None:
    state = Lookback()
    for who, hour in (("a", 9), ("b", 10), ("a", 11), ("c", 8), ("b", 12)):
        touch(state, who, 100, _at(DAY, hour))
    assert state.touchers[100] == [("b", _at(DAY, 12)), ("a", _at(DAY, 11))]
    touch(state, "c", 100, _at(DAY, 7))  # older than both: changes nothing
    assert [who for who, _ in state.touchers[100]] == ["b", "a"]
    touch(state, "a", 100, _at(DAY, 13))
    assert [who for who, _ in state.touchers[100]] == ["a", "b"]


def test_judging_a_read_agrees_with_explaining_it_by_every_rule() -> None:
    at = _at(DAY, 15)
    facts = Facts(readers=READERS)
    facts.shown = {("rosa", 100, Shown.SEARCH): Timeline([at - timedelta(minutes=5)]),
                   ("rosa", 101, Shown.WORK): Timeline([at - timedelta(hours=1)]),
                   ("rosa", 102, Shown.SEARCH): Timeline([at - timedelta(minutes=5)])}
    facts.conflicts = {102: [Span(at - timedelta(days=1))]}
    for officer in (100, 101, 102, 103):
        read = Read(officer, at, "rosa", officer, AuditAction.OFFICER_READ)
        assert judge(read, CLERK, facts, for_role(CLERK.role)) == suspect(
            read, explain(read, facts, RULES))
