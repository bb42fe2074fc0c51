"""The detection's running state packed for storage (issue 19, ADR 0037 addendum "the lookback
kept between runs"): `access.rules.lookback.Lookback` turned into a few compact blobs and back,
exactly (a run on the unpacked state answers as the run that packed it would have).

Each blob is columns of numbers with their string tables, compressed together:

    b"CLB1" + zlib( uint32 header length + JSON header + each column's bytes, in order )

The header names each column with its dtype and length and holds the string tables (readers,
actions, purposes). No pickle, no code: unpacking a blob only ever makes numbers and strings,
and a blob that does not match its header is refused with `Unreadable`.

The format was chosen by measurement on a national day (about a million (peer group, officer)
pairs, `benchmarks/access_lookback.py`): the sorted pair keys as differences (the gaps between
neighbours are small) compressed with zlib at level 1 take about a twelfth of the raw 8 MB, at
a tenth of a second each way; higher levels or lzma save a little more space for several times
the time.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from confianza.access.rules.lookback import Keys, Lookback
from confianza.access.rules.reads import Read, Ref
from confianza.access.rules.scoring import PeerKey, Suspect

MAGIC = b"CLB1"
#: The format of the blobs; part of the state's version, so that another format is rebuilt.
FORMAT = 1
LEVEL = 1  # zlib: see the module's docstring
_DTYPES = frozenset({"<i8", "<i4", "<i2", "|u1", "<f8"})
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Column = npt.NDArray[Any]


class Unreadable(ValueError):
    """A stored blob that is not what it says it is (truncated, altered, another format)."""


# Columns and strings in one blob -----------------------------------------------------------

def pack(columns: Mapping[str, Column], strings: Mapping[str, Sequence[str | None]]) -> bytes:
    names, parts = [], []
    for name, values in columns.items():
        kind = values.dtype.str
        if kind not in _DTYPES:
            raise TypeError(f"column {name} has dtype {kind}, not one the format keeps")
        names.append([name, kind, int(len(values))])
        parts.append(np.ascontiguousarray(values).tobytes())
    header = json.dumps({"columns": names, "strings": {k: list(v) for k, v in strings.items()}},
                        ensure_ascii=False, separators=(",", ":")).encode()
    return MAGIC + zlib.compress(struct.pack("<I", len(header)) + header + b"".join(parts),
                                 LEVEL)


def unpack(blob: bytes) -> tuple[dict[str, Column], dict[str, list[Any]]]:
    if not blob.startswith(MAGIC):
        raise Unreadable("it is not a packed state (another format, or altered)")
    try:
        raw = zlib.decompress(blob[len(MAGIC):])
        (length,) = struct.unpack_from("<I", raw)
        header = json.loads(raw[4:4 + length])
        at = 4 + length
        columns: dict[str, Column] = {}
        for name, kind, count in header["columns"]:
            if kind not in _DTYPES:
                raise Unreadable(f"column {name} has dtype {kind}")
            size = np.dtype(kind).itemsize * int(count)
            if at + size > len(raw):
                raise Unreadable(f"column {name} is cut short")
            columns[str(name)] = np.frombuffer(raw, dtype=kind, count=int(count), offset=at)
            at += size
        if at != len(raw):
            raise Unreadable("it has bytes beyond its columns")
        strings = {str(k): list(v) for k, v in header["strings"].items()}
    except (zlib.error, struct.error, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, Unreadable):
            raise
        raise Unreadable(f"it cannot be unpacked ({exc})") from None
    return columns, strings


def _micros(at: datetime) -> int:
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _moment(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def _table(values: Sequence[str | None]) -> tuple[list[str | None], dict[str | None, int]]:
    found: dict[str | None, int] = {}
    for value in values:
        if value not in found:
            found[value] = len(found)
    return list(found), found


# One day: pairs, rates, suspect reads ------------------------------------------------------

@dataclass(frozen=True)
class PackedDay:
    day: date
    pairs: bytes
    rates: bytes
    suspects: bytes
    pair_count: int
    suspect_count: int

    @property
    def size(self) -> int:
        return len(self.pairs) + len(self.rates) + len(self.suspects)


def pack_pairs(keys: Keys) -> bytes:
    """Sorted unique keys as their differences: mostly small numbers, which compress well."""
    return pack({"gaps": np.diff(keys.astype(np.int64), prepend=np.int64(0))}, {})


def unpack_pairs(blob: bytes) -> Keys:
    columns, _ = unpack(blob)
    keys: Keys = np.cumsum(columns["gaps"].astype(np.int64))
    return keys


def pack_rates(rate: Mapping[str, float]) -> bytes:
    names = sorted(rate)
    return pack({"weight": np.array([rate[n] for n in names], dtype="<f8")},
                {"readers": names})


def unpack_rates(blob: bytes) -> dict[str, float]:
    columns, strings = unpack(blob)
    return dict(zip(strings["readers"], columns["weight"].tolist(), strict=True))


def pack_suspects(by_reader: Mapping[str, Sequence[Suspect]]) -> bytes:
    doubts = [s for reader in sorted(by_reader) for s in by_reader[reader]]
    readers, reader_at = _table([s.read.reader for s in doubts])
    actions, action_at = _table([s.read.action for s in doubts])
    purposes, purpose_at = _table([s.read.purpose for s in doubts])
    refs = [r.value for r in Ref]
    return pack({
        "reader": np.array([reader_at[s.read.reader] for s in doubts], dtype="<i4"),
        "entry": np.array([s.read.entry_id for s in doubts], dtype="<i8"),
        "at": np.array([_micros(s.read.at) for s in doubts], dtype="<i8"),
        "officer": np.array([s.read.officer_id for s in doubts], dtype="<i8"),
        "action": np.array([action_at[s.read.action] for s in doubts], dtype="<i4"),
        "purpose": np.array([purpose_at[s.read.purpose] for s in doubts], dtype="<i4"),
        "ref": np.array([-1 if s.read.ref is None else refs.index(s.read.ref[0].value)
                         for s in doubts], dtype="<i2"),
        "ref_id": np.array([0 if s.read.ref is None else s.read.ref[1] for s in doubts],
                           dtype="<i8"),
        "navigation": np.array([s.navigation for s in doubts], dtype="|u1"),
    }, {"readers": readers, "actions": actions, "purposes": purposes, "refs": refs})


def unpack_suspects(blob: bytes) -> dict[str, list[Suspect]]:
    c, strings = unpack(blob)
    readers, actions, purposes = strings["readers"], strings["actions"], strings["purposes"]
    refs = [Ref(value) for value in strings["refs"]]
    found: dict[str, list[Suspect]] = {}
    for who, entry, at, officer, action, purpose, ref, ref_id, navigation in zip(
            c["reader"].tolist(), c["entry"].tolist(), c["at"].tolist(), c["officer"].tolist(),
            c["action"].tolist(), c["purpose"].tolist(), c["ref"].tolist(),
            c["ref_id"].tolist(), c["navigation"].tolist(), strict=True):
        reader = readers[who]
        read = Read(entry, _moment(at), reader, officer, actions[action], purposes[purpose],
                    None if ref < 0 else (refs[ref], ref_id))
        found.setdefault(reader, []).append(Suspect(read, bool(navigation)))
    return found


def pack_day(state: Lookback, day: date) -> PackedDay:
    keys = state.pairs.get(day, np.zeros(0, dtype=np.int64))
    doubts = state.suspects.get(day, {})
    return PackedDay(day, pack_pairs(keys), pack_rates(state.rate.get(day, {})),
                     pack_suspects(doubts), int(len(keys)),
                     sum(len(d) for d in doubts.values()))


@dataclass(frozen=True)
class KeptHeader:
    """What vouches for a kept state, and its parts that are not by day."""

    version: str  # the rules' and the format's (`access.service.state.rules_version`)
    zone: str  # the deployment's, whose civil days the state is kept by
    first_day: date  # the days covered, both included (days without reads have no row)
    last_day: date
    days: tuple[date, ...]  # the days that have a row
    built_to: int  # the first trail entry not read
    log_size: int  # the tamper-evident log's size and root when the state was kept
    log_root: bytes
    generation: int
    readers: bytes  # `pack_groups`
    touchers: bytes  # `pack_touchers`
    saved_at: datetime
    saved_by: str


# Who touched what, and the peer groups -----------------------------------------------------

def pack_touchers(touchers: Mapping[int, Sequence[tuple[str, datetime]]]) -> bytes:
    """Per officer its (at most two) people, newest first, as three columns in that order."""
    rows = [(officer, who, at) for officer in sorted(touchers) for who, at in touchers[officer]]
    names, name_at = _table([who for _, who, _ in rows])
    return pack({"officer": np.array([o for o, _, _ in rows], dtype="<i8"),
                 "who": np.array([name_at[w] for _, w, _ in rows], dtype="<i4"),
                 "at": np.array([_micros(a) for _, _, a in rows], dtype="<i8")},
                {"names": names})


def unpack_touchers(blob: bytes) -> dict[int, list[tuple[str, datetime]]]:
    c, strings = unpack(blob)
    names = strings["names"]
    found: dict[int, list[tuple[str, datetime]]] = {}
    for officer, who, at in zip(c["officer"].tolist(), c["who"].tolist(), c["at"].tolist(),
                                strict=True):
        found.setdefault(officer, []).append((names[who], _moment(at)))
    return found


def pack_groups(groups: Mapping[PeerKey, int], accounts: Mapping[str, PeerKey]) -> bytes:
    """The peer groups by number (the high half of a pair's key) and every account's group as
    it stood: a pair kept under a group stays right only while its readers stay in it."""
    ordered = sorted(groups, key=lambda g: groups[g])
    document = json.dumps({"groups": [list(g) for g in ordered],
                           "accounts": {who: list(key) for who, key in sorted(accounts.items())}},
                          ensure_ascii=False, separators=(",", ":")).encode()
    return MAGIC + zlib.compress(document, LEVEL)


def _peer(value: Any) -> PeerKey:
    role, kind, state, agency = value
    return (str(role), str(kind), None if state is None else str(state),
            None if agency is None else int(agency))


def unpack_groups(blob: bytes) -> tuple[dict[PeerKey, int], dict[str, PeerKey]]:
    if not blob.startswith(MAGIC):
        raise Unreadable("it is not a packed state (another format, or altered)")
    try:
        document = json.loads(zlib.decompress(blob[len(MAGIC):]))
        groups = {_peer(g): n for n, g in enumerate(document["groups"])}
        accounts = {str(who): _peer(key) for who, key in document["accounts"].items()}
    except (zlib.error, ValueError, KeyError, TypeError) as exc:
        raise Unreadable(f"its peer groups cannot be unpacked ({exc})") from None
    return groups, accounts


def unpack_day(state: Lookback, day: PackedDay, *, suspects: bool = True) -> None:
    """Put one stored day back into `state`; its suspect reads only if `suspects` (a day
    before the window is asked only for its pairs and rates)."""
    keys = unpack_pairs(day.pairs)
    doubts = unpack_suspects(day.suspects) if suspects else {}
    if len(keys) != day.pair_count or (
            suspects and sum(len(d) for d in doubts.values()) != day.suspect_count):
        raise Unreadable(f"the day {day.day} does not hold the pairs and reads it counts")
    state.pairs[day.day] = keys
    state.rate[day.day] = unpack_rates(day.rates)
    state.suspects[day.day] = doubts
