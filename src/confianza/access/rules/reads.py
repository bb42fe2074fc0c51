"""What the trail says was read, shown and done, as explanation needs it (ADR 0037).

The trail is the source of truth: a read is an entry of one of `READ_ACTIONS` that names one
officer (as its resource, or in its detail), and a combined profile read is one read whatever
sections it showed. Some entries name a record rather than the officer (an exam, an evaluation,
a case): their officers come from `Resolved`, which the repository fills in bulk for every
record the period's entries name, never one query per read.

Lists (a search's results, a work queue, the alert list) are not reads of a record: they are
what the reader was *shown*, and a later read of one of those officers may be explained by it.
Changes (a posting recorded, an evaluation requested) are *acts*, which may explain the reads
that prepared them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from confianza.trail.rules import AuditAction

_A = AuditAction


class Ref(StrEnum):
    """The kinds of record an entry may name instead of the officer."""

    EVALUATION = "evaluation"
    EXAM = "evaluation_exam"
    APPEAL = "appeal"
    SEPARATION = "separation"
    NOTIFICATION = "notification"
    CASE = "integrity_case"


#: (kind, id) -> the officers that record is about.
Resolved = Mapping[tuple[Ref, int], tuple[int, ...]]

#: Reads of one officer's record: profile (with or without contacts), evaluations and their
#: results, an exam, the certification and credentials, the timeline, a case file, a risk
#: flag, the co-accusal network around the officer, the officer's access history and report.
READ_ACTIONS = frozenset({
    _A.OFFICER_READ, _A.OFFICER_CONTACT_READ, _A.EVALUATION_READ, _A.EVALUATION_RESULTS_READ,
    _A.EXAM_READ, _A.CUP_READ, _A.CREDENTIAL_READ, _A.TIMELINE_READ, _A.CASE_READ,
    _A.CASE_STAGE_READ, _A.RISK_FLAG_READ, _A.NETWORK_READ, _A.AUDIT_READ,
    _A.OFFICER_ACCESS_REPORT,
})


class Shown(StrEnum):
    """How a list put an officer before the reader."""

    WORK = "work"  # a work queue or task list: exams, decisions, alerts, notifications ...
    SEARCH = "search"  # a search or a roster page the reader browsed


#: Lists whose `results` (or `officers`, `shown`) are officer ids, and how they show them.
OFFICER_LISTS: dict[str, Shown] = {
    _A.OFFICER_SEARCH: Shown.SEARCH,
    _A.AGENCY_ROSTER_READ: Shown.SEARCH,
    _A.ALERTS_READ: Shown.WORK,
    _A.REEVALUATION_LIST_READ: Shown.WORK,
    _A.SEPARATIONS_READ: Shown.WORK,
    _A.CONFLICTS_READ: Shown.WORK,
    _A.RISK_QUEUE_READ: Shown.WORK,
}
#: Work queues whose `results` are ids of records of the entry's resource type.
RECORD_LISTS = frozenset({_A.EVALUATION_QUEUE_READ, _A.NOTIFICATION_READ, _A.CASE_QUEUE_READ})

#: Acts on an officer's record, by its reader: what a read may have prepared.
CHANGE_ACTIONS = frozenset({
    _A.OFFICER_CREATE, _A.OFFICER_UPDATE, _A.OFFICER_CONTACT_UPDATE, _A.ASSIGNMENT_CREATE,
    _A.ASSIGNMENT_UPDATE, _A.BADGE_CREATE, _A.EVALUATION_REQUEST, _A.EVALUATION_CANCEL,
    _A.EVALUATION_SCHEDULE, _A.EXAM_RECORD, _A.EXAM_ATTACH, _A.EVALUATION_DECIDE,
    _A.EVALUATION_CONFIRM, _A.EVALUATION_RETURN, _A.APPEAL_FILE, _A.APPEAL_DECIDE,
    _A.CUP_COMPONENT_RECORD, _A.SEPARATION_CONFIRM, _A.SEPARATION_DISMISS, _A.CONFLICT_DECIDE,
    _A.CASE_OPEN, _A.CASE_NOTICE, _A.CASE_FINDING, _A.CASE_SANCTION, _A.RISK_REVIEW,
    _A.OFFICER_MERGE,
})

#: Every action explanation reads from the trail.
TRAIL_ACTIONS = READ_ACTIONS | frozenset(OFFICER_LISTS) | RECORD_LISTS | CHANGE_ACTIONS


class TrailLine(NamedTuple):
    """An entry of the trail, as the repository hands it over (detail parsed). A named tuple:
    a national day is millions of them, made at a fifth of a frozen dataclass's cost."""

    id: int
    at: datetime
    actor: str
    action: str
    resource_type: str
    resource_id: str | None
    purpose: str | None
    detail: Mapping[str, Any]


#: An entry as the repository hands it over in bulk (`AccessStore.trail_rows`): id, instant
#: (aware, UTC), actor, action, resource type, resource id, declared purpose, and the detail
#: still as its JSON text (most entries never need it parsed: see `officer_read`).
Entry = tuple[int, datetime, str, str, str, str | None, str | None, str | None]


def line_of(entry: Entry) -> TrailLine:
    """The entry with its detail parsed."""
    number, at, actor, action, kind, resource, purpose, detail = entry
    return TrailLine(number, at, actor, action, kind, resource, purpose,
                     json.loads(detail) if detail and detail != "{}" else {})


class Read(NamedTuple):
    """One read of one officer's record: the unit explained (a named tuple, as `TrailLine`)."""

    entry_id: int
    at: datetime
    reader: str
    officer_id: int
    action: str
    purpose: str | None = None
    ref: tuple[Ref, int] | None = None  # the record read, when it was not the officer's


@dataclass(frozen=True, slots=True)
class Act:
    """What a list showed, or a change done: who, to which officer, when."""

    at: datetime
    actor: str
    officer_id: int
    kind: str  # a `Shown` for lists, the action for changes


def officer_read(action: str, resource_type: str) -> bool:
    """The entry is a read of the officer named as its resource: its one read is that officer
    (or none when the id is no number), whatever its detail says (`_officers_named` looks no
    further), so its detail need not be parsed and it names no record to resolve."""
    return resource_type == "officer" and action in READ_ACTIONS


def number(value: object) -> int | None:
    """An id as the trail may hold it: an int, or a string of decimal digits (not a bool, not a
    negative or signed number, not one too long for 64 bits)."""
    return _int(value)


def _int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdecimal() and len(value) < 19:
        return int(value)
    return None


_INT = frozenset({int})


def _ints(value: object) -> list[int]:
    if not isinstance(value, list):
        return []
    if {*map(type, value)} <= _INT:  # as the product writes them (bools are not ints here)
        return value
    return [n for n in (_int(v) for v in value) if n is not None]


_REFS: dict[str, Ref] = {kind.value: kind for kind in Ref}


def _ref_kind(resource_type: str) -> Ref | None:
    return _REFS.get(resource_type)


def references(line: TrailLine) -> Iterator[tuple[Ref, int]]:
    """The records an entry names whose officers explanation must know (resolved in bulk)."""
    if line.action in RECORD_LISTS:
        kind = _ref_kind(line.resource_type)
        if kind is not None:
            for listed in _ints(line.detail.get("results")):
                yield kind, listed
        return
    kind = _ref_kind(line.resource_type)
    number = _int(line.resource_id)
    if kind is None or number is None:
        return
    if line.action in READ_ACTIONS or line.action in CHANGE_ACTIONS:
        named = "officers" if kind is Ref.CASE else "officer_id"
        if line.detail.get(named) is None:
            yield kind, number


def _officers_named(line: TrailLine, resolved: Resolved) -> tuple[tuple[int, ...],
                                                                 tuple[Ref, int] | None]:
    """The officers an entry is about, and the record it names when not the officer's."""
    if line.resource_type == "officer":
        number = _int(line.resource_id)
        return ((number,) if number is not None else ()), None
    kind = _ref_kind(line.resource_type)
    number = _int(line.resource_id)
    ref = (kind, number) if kind is not None and number is not None else None
    if kind is Ref.CASE and "officers" in line.detail:
        return tuple(_ints(line.detail.get("officers"))), ref
    named = _int(line.detail.get("officer_id"))
    if named is not None:
        return (named,), ref
    if ref is not None:
        return resolved.get(ref, ()), ref
    return (), None


def reads_of(line: TrailLine, resolved: Resolved) -> list[Read]:
    """The reads an entry records: one per officer it shows (a case file names several)."""
    if line.action not in READ_ACTIONS:
        return []
    officers, ref = _officers_named(line, resolved)
    return [Read(line.id, line.at, line.actor, officer, line.action, line.purpose, ref)
            for officer in officers]


_WORK = Shown.WORK  # a member as a plain name: see `explanations`


def shown_officers(line: TrailLine, resolved: Resolved) -> tuple[Shown, list[int]] | None:
    """How a list put officers before its reader, and which (None: the entry is no list)."""
    how = OFFICER_LISTS.get(line.action)
    if how is not None:
        found: list[int] = []
        for key in ("results", "officers", "shown"):
            found.extend(_ints(line.detail.get(key)))
        return how, found
    if line.action in RECORD_LISTS:
        kind = _ref_kind(line.resource_type)
        if kind is None:
            return None
        return _WORK, [officer for number in _ints(line.detail.get("results"))
                       for officer in resolved.get((kind, number), ())]
    return None


def shown_by(line: TrailLine, resolved: Resolved) -> list[Act]:
    """The officers a list put before its reader (`Shown.WORK` or `Shown.SEARCH`)."""
    listed = shown_officers(line, resolved)
    if listed is None:
        return []
    how, officers = listed
    return [Act(line.at, line.actor, officer, how) for officer in officers]


def changes_by(line: TrailLine, resolved: Resolved) -> list[Act]:
    """The officers a change touched (its actor's acts)."""
    if line.action not in CHANGE_ACTIONS:
        return []
    officers, _ = _officers_named(line, resolved)
    return [Act(line.at, line.actor, officer, line.action) for officer in officers]
