"""The detection's running state packed for storage and back (ADR 0037 addendum): exactly what
was packed comes back — pairs, rates, suspect reads with their purposes and records, who touched
what, the peer groups — and a blob that is not what it says is refused, never guessed at."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from lookback_support import add_day, touch

from confianza.access.rules import kept
from confianza.access.rules.facts import Reader
from confianza.access.rules.lookback import Lookback
from confianza.access.rules.reads import Read, Ref
from confianza.access.rules.scoring import Suspect, peer_key
from confianza.accounts.rules.permissions import Role, Scope, ScopeKind

DAY = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 15, 4, 5, 123456, tzinfo=UTC)
ANA = Reader("ana", 1, Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=7))
LUIS = Reader("luis", 2, Role.EXAMINER, Scope(ScopeKind.STATE, "14"))
READERS = {r.username: r for r in (ANA, LUIS)}


def _state() -> Lookback:
    state = Lookback()
    judged = [
        (Read(10, AT, "ana", 501, "registry:officer:read"), None),
        (Read(11, AT + timedelta(seconds=1), "ana", 502, "registry:officer:read",
              "revisión de expediente"), Suspect(Read(11, AT + timedelta(seconds=1), "ana", 502,
                                                      "registry:officer:read",
                                                      "revisión de expediente"), True)),
        (Read(12, AT + timedelta(minutes=3), "luis", 4_000_000_000, "vetting:exam:read",
              None, (Ref.EXAM, 77)),
         Suspect(Read(12, AT + timedelta(minutes=3), "luis", 4_000_000_000,
                      "vetting:exam:read", None, (Ref.EXAM, 77)), False)),
        (Read(13, AT, "nadie", 501, "registry:officer:read"), None),
    ]
    add_day(state, DAY, judged, READERS)
    add_day(state, DAY + timedelta(days=1), [], READERS)
    for who, officer, at in (("ana", 501, AT), ("luis", 501, AT + timedelta(hours=1)),
                             ("ana", 502, AT), ("nadie", 501, AT - timedelta(days=3))):
        touch(state, who, officer, at)
    return state


def test_a_day_comes_back_exactly() -> None:
    state = _state()
    back = Lookback()
    for day in state.days:
        kept.unpack_day(back, kept.pack_day(state, day))
    assert back.days == state.days
    for day in state.days:
        assert np.array_equal(back.pairs[day], state.pairs[day])
        assert back.pairs[day].dtype == np.int64
        assert back.rate[day] == state.rate[day]
        assert back.suspects[day] == state.suspects[day]
    assert back.rate[DAY] == {"ana": 0.25, "luis": 1.0}
    [exam] = back.suspects[DAY]["luis"]
    assert exam.read.ref == (Ref.EXAM, 77) and exam.read.at == AT + timedelta(minutes=3)
    assert back.suspects[DAY]["ana"][0].read.purpose == "revisión de expediente"


def test_touchers_and_peer_groups_come_back() -> None:
    state = _state()
    assert kept.unpack_touchers(kept.pack_touchers(state.touchers)) == state.touchers
    assert state.touchers[501] == [("luis", AT + timedelta(hours=1)), ("ana", AT)]
    accounts = {who: peer_key(r) for who, r in READERS.items()}
    groups, back = kept.unpack_groups(kept.pack_groups(state.groups, accounts))
    assert groups == state.groups and back == accounts


def test_the_pairs_are_packed_smaller_than_they_are() -> None:
    keys = np.unique(np.random.default_rng(7).integers(0, 400_000, 200_000)).astype(np.int64)
    blob = kept.pack_pairs(keys)
    assert np.array_equal(kept.unpack_pairs(blob), keys)
    assert len(blob) < keys.nbytes / 4


def test_a_blob_that_is_not_what_it_says_is_refused() -> None:
    blob = kept.pack_day(_state(), DAY)
    with pytest.raises(kept.Unreadable, match="not a packed state"):
        kept.unpack_pairs(b"PK\x03\x04" + blob.pairs[4:])
    with pytest.raises(kept.Unreadable, match="cannot be unpacked"):
        kept.unpack_suspects(blob.suspects[:-5])
    with pytest.raises(kept.Unreadable, match="does not hold the pairs"):
        kept.unpack_day(Lookback(), kept.PackedDay(DAY, blob.pairs, blob.rates, blob.suspects,
                                                   blob.pair_count + 1, blob.suspect_count))
