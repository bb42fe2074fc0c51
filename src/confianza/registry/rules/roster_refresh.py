"""The roster refresh (ADR 0029): what a newer edition of a roster changes for a person the
registry already knows, worked out in Python from the registry's state and the file's rows.

Pure. The service reads the state of every known person of the file in a few statements,
calls `refresh_person` for each, and writes what comes out in bulk. A posting of the file is
the registry's posting of the same agency and start date; anything else the file lists is a
new posting. Facts that contradict the registry's identity (another name beyond accents and
case, another birth date or year, another sex or CURP) are conflicts: the person's changes are
held with them for the registry clerk (`RosterConflict`), never applied nor rejected.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from confianza.core.errors import FieldError
from confianza.registry.rules.assignments import (
    SEPARATION_REASONS,
    ChangeReason,
    PostingKind,
    PostingStatus,
    first_clash,
)
from confianza.registry.rules.import_rows import RosterRecord
from confianza.registry.rules.officers import (
    STATUS_TRANSITIONS,
    OfficerStatus,
    status_from_postings,
)


class DiffKind(StrEnum):
    """What a refresh does with one person (the dry run's counts, the diff file's rows)."""

    NEW = "new"  # not in the registry: registered
    CHANGED = "changed"  # known: some fact of theirs changes
    SEPARATED = "separated"  # a posting ends by a separation, or waits as a pending one
    CONFLICT = "conflict"  # facts contradict the registry: queued for the clerk
    UNCHANGED = "unchanged"  # known, and the file says nothing new


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One change, as the diff file writes it."""

    kind: DiffKind
    key: str
    field: str
    registry_value: str
    file_value: str
    line: int | None  # None: the person is not in the file (a pending separation)


@dataclass(frozen=True, slots=True)
class KnownPosting:
    """A posting as the registry holds it, with its unit's code."""

    id: int
    agency_id: int
    unit_code: str | None
    rank: str
    start_date: date
    end_date: date | None
    end_reason: str | None
    status: str
    kind: str
    employment: str
    status_since: date | None = None


@dataclass(frozen=True, slots=True)
class KnownPerson:
    """What the registry holds of one known person: identity, status, postings, badges."""

    officer_id: int
    curp: str | None
    given_names: str
    first_surname: str
    second_surname: str | None
    search_name: str
    birth_date: date | None
    birth_year: int | None
    sex: str | None
    status: str
    postings: tuple[KnownPosting, ...]
    badges: frozenset[tuple[int, str]]


@dataclass(frozen=True, slots=True)
class Conflict:
    """One fact of the file that contradicts the registry's."""

    field: str
    registry_value: str
    file_value: str


@dataclass(slots=True)
class PersonDiff:
    """What a refresh changes for one known person."""

    officer_id: int
    key: str
    rows: list[DiffRow] = field(default_factory=list)
    # (as the registry holds it, as it will be)
    updates: list[tuple[KnownPosting, KnownPosting]] = field(default_factory=list)
    new_postings: list[tuple[RosterRecord, int]] = field(default_factory=list)  # (row, agency)
    new_badges: list[tuple[int, str]] = field(default_factory=list)
    identity: dict[str, object] = field(default_factory=dict)  # facts the registry lacked
    status: str | None = None  # the person's new status
    status_on: date | None = None
    separations: list[KnownPosting] = field(default_factory=list)  # to propose to HR
    conflicts: list[Conflict] = field(default_factory=list)
    faults: list[FieldError] = field(default_factory=list)

    @property
    def kind(self) -> DiffKind:
        if self.conflicts:
            return DiffKind.CONFLICT
        if any(r.kind is DiffKind.SEPARATED for r in self.rows):
            return DiffKind.SEPARATED
        return DiffKind.CHANGED if self.rows else DiffKind.UNCHANGED

    def changes(self) -> list[str]:
        """The fields that change, as the officer's audit entry names them."""
        return sorted({r.field for r in self.rows})


@dataclass(frozen=True)
class RefreshRules:
    """What a file says and how: which fields the mapping gives (a field it does not give is
    never compared, so a default cannot undo what the registry holds), whether it is complete,
    where its columns are."""

    source: str
    labels: Mapping[str, str]
    mapped: frozenset[str]
    complete: bool
    today: date
    # The agencies whose open postings the import may end as a transfer though the file does
    # not name them: those inside the importing account's scope; None for an account whose
    # scope covers every agency. Another agency's posting is left to that agency, and the
    # file's new full-time posting then overlaps it (a fault named by its line).
    may_end: frozenset[int] | None = None


def refresh_person(
    person: KnownPerson, records: Sequence[RosterRecord], agency_ids: Mapping[str, int],
    rules: RefreshRules, key: str, covered: frozenset[int], *, settled: bool = False,
) -> PersonDiff:
    """The changes a file's rows of one known person make. `covered`: the agencies a complete
    roster covers (an open posting there that the file does not list waits for HR as a
    pending separation). `settled`: the clerk kept the registry's facts against these very
    file facts, so the identity's differences are not conflicts any more."""
    diff = PersonDiff(person.officer_id, key)
    if len(records) == 1:
        ordered, head = records, records[0]
    else:
        ordered = sorted(records, key=lambda r: (r.start_date, r.line))
        head = min(records, key=lambda r: r.line)
    if not settled:
        diff.conflicts = identity_conflicts(person, head, "curp" in rules.mapped)
        if diff.conflicts:
            for c in diff.conflicts:
                diff.rows.append(DiffRow(DiffKind.CONFLICT, key, c.field, c.registry_value,
                                         c.file_value, head.line))
            return diff  # the rest of the person's changes waits with the conflict
    if (person.birth_date is None or person.sex is None
            or (person.curp is None and head.curp is not None)):
        _fill_identity(diff, person, head, "curp" in rules.mapped)
    postings = {p.id: p for p in person.postings}
    by_period = {(p.agency_id, p.start_date): p for p in person.postings}
    listed: set[int] = set()
    for record in ordered:
        agency_id = agency_ids[record.agency_code]
        known = by_period.get((agency_id, record.start_date))
        if known is None:
            diff.new_postings.append((record, agency_id))
            diff.rows.append(DiffRow(DiffKind.CHANGED, key, "posting", "",
                                     _posting_text(record), record.line))
            continue
        listed.add(known.id)
        after = _posting_after(diff, known, record, rules, key)
        if after != known:
            diff.updates.append((known, after))
            postings[known.id] = after
        for number in record.badges:
            if (agency_id, number) not in person.badges and (agency_id, number) not in \
                    diff.new_badges:
                diff.new_badges.append((agency_id, number))
                diff.rows.append(DiffRow(DiffKind.CHANGED, key, "badge", "", number,
                                         record.line))
    if diff.new_postings:
        _close_by_transfer(diff, postings, listed, key, rules.may_end)
    if rules.complete:
        for posting in postings.values():
            if (posting.end_date is None and posting.agency_id in covered
                    and posting.id not in listed):
                diff.separations.append(posting)
                diff.rows.append(DiffRow(DiffKind.SEPARATED, key, "pending_separation",
                                         f"posting {posting.id} since "
                                         f"{posting.start_date.isoformat()}",
                                         "not in the complete roster", None))
    _check_overlaps(diff, postings, rules)
    if diff.new_postings or diff.updates or "status" in rules.mapped:
        # The postings changed (or the file gives the status): the status may follow.
        _follow_status(diff, person, head, postings, rules, key)
    return diff


def plainly_unchanged(person: KnownPerson, records: Sequence[RosterRecord],
                      agency_ids: Mapping[str, int], rules: RefreshRules) -> bool:
    """Whether one row says exactly what the registry holds of a person with one posting: the
    common case of a national roster, decided without building a difference. False means
    only "look closer" (`refresh_person`)."""
    if len(records) != 1 or len(person.postings) != 1:
        return False
    record, posting = records[0], person.postings[0]
    mapped = rules.mapped
    return (record.end_date is None and posting.end_date is None
            and agency_ids[record.agency_code] == posting.agency_id
            and record.start_date == posting.start_date and record.rank == posting.rank
            and (record.unit_code is None or record.unit_code == posting.unit_code)
            and record.search_name == person.search_name
            and (record.birth_date is None or record.birth_date == person.birth_date)
            and (record.birth_year is None or record.birth_year == person.birth_year)
            and (record.sex is None or record.sex == person.sex)
            and (record.curp is None or record.curp == person.curp or "curp" not in mapped)
            and ("posting_status" not in mapped or record.posting_status == posting.status)
            and ("posting_kind" not in mapped or record.posting_kind == posting.kind)
            and ("employment_kind" not in mapped or record.employment == posting.employment)
            and ("status" not in mapped or record.status == person.status)
            and all((posting.agency_id, b) in person.badges for b in record.badges))


def identity_conflicts(person: KnownPerson, head: RosterRecord, curp_mapped: bool
                       ) -> list[Conflict]:
    """The file's identity facts that contradict the registry's. A name is compared as the
    registry sorts it (accents, case and spacing aside); a blank on either side is no
    contradiction (a blank on the registry's side is filled in)."""
    found: list[Conflict] = []
    if head.search_name != person.search_name:
        found.append(Conflict("name", _full_name(person.first_surname, person.second_surname,
                                                 person.given_names),
                              _full_name(head.first_surname, head.second_surname,
                                         head.given_names)))
    if (head.birth_date is not None and person.birth_date is not None
            and head.birth_date != person.birth_date):
        found.append(Conflict("birth_date", person.birth_date.isoformat(),
                              head.birth_date.isoformat()))
    elif (head.birth_year is not None and person.birth_year is not None
          and head.birth_year != person.birth_year):
        found.append(Conflict("birth_year", str(person.birth_year), str(head.birth_year)))
    if head.sex is not None and person.sex is not None and head.sex != person.sex:
        found.append(Conflict("sex", person.sex, head.sex))
    if (curp_mapped and head.curp is not None and person.curp is not None
            and head.curp != person.curp):
        found.append(Conflict("curp", person.curp, head.curp))
    return found


def facts_key(officer_id: int, conflicts: Iterable[Conflict]) -> str:
    """The digest that names one conflict in the queue: the same facts of the same person are
    queued once, whichever file or edition brings them again."""
    facts = sorted((c.field, c.file_value) for c in conflicts)
    text = json.dumps([officer_id, facts], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_json(record: RosterRecord, agency_id: int) -> dict[str, object]:
    """A file row as a queued conflict keeps it (what a split registers)."""
    def day(value: date | None) -> str | None:
        return None if value is None else value.isoformat()
    return {
        "line": record.line, "key": record.key, "curp": record.curp,
        "given_names": record.given_names, "first_surname": record.first_surname,
        "second_surname": record.second_surname, "birth_date": day(record.birth_date),
        "birth_year": record.birth_year, "sex": record.sex, "agency_id": agency_id,
        "unit_code": record.unit_code, "unit_name": record.unit_name, "rank": record.rank,
        "start_date": day(record.start_date), "start_reason": record.start_reason,
        "end_date": day(record.end_date), "end_reason": record.end_reason,
        "posting_status": record.posting_status, "posting_kind": record.posting_kind,
        "employment": record.employment, "badges": list(record.badges),
    }


def _full_name(first: str, second: str | None, given: str) -> str:
    return " ".join(p for p in (given, first, second) if p)


def _fill_identity(diff: PersonDiff, person: KnownPerson, head: RosterRecord,
                   curp_mapped: bool) -> None:
    """Facts the registry lacks and the file gives: filled in."""
    line, key = head.line, diff.key
    if head.birth_date is not None and person.birth_date is None:
        diff.identity["birth_date"] = head.birth_date
        diff.identity["birth_year"] = head.birth_date.year
        diff.rows.append(DiffRow(DiffKind.CHANGED, key, "birth_date", "",
                                 head.birth_date.isoformat(), line))
    elif head.birth_year is not None and person.birth_year is None:
        diff.identity["birth_year"] = head.birth_year
        diff.rows.append(DiffRow(DiffKind.CHANGED, key, "birth_year", "",
                                 str(head.birth_year), line))
    if head.sex is not None and person.sex is None:
        diff.identity["sex"] = head.sex
        diff.rows.append(DiffRow(DiffKind.CHANGED, key, "sex", "", head.sex, line))
    if curp_mapped and head.curp is not None and person.curp is None:
        diff.identity["curp"] = head.curp
        diff.rows.append(DiffRow(DiffKind.CHANGED, key, "curp", "", head.curp, line))


def _posting_text(record: RosterRecord) -> str:
    end = f" to {record.end_date.isoformat()}" if record.end_date else ""
    return f"{record.agency_code} {record.rank} from {record.start_date.isoformat()}{end}"


def _posting_after(diff: PersonDiff, known: KnownPosting, record: RosterRecord,
                   rules: RefreshRules, key: str) -> KnownPosting:
    """The registry's posting as the file's row leaves it; each difference is a diff row."""
    after = known
    line, mapped = record.line, rules.mapped

    def change(name: str, before: object, now: object, kind: DiffKind = DiffKind.CHANGED
               ) -> None:
        diff.rows.append(DiffRow(kind, key, name, _shown(before), _shown(now), line))

    if record.rank != known.rank:
        change("rank", known.rank, record.rank)
        after = replace(after, rank=record.rank)
    if record.unit_code is not None and record.unit_code != known.unit_code:
        change("unit", known.unit_code, record.unit_code)
        after = replace(after, unit_code=record.unit_code)
    if record.end_date is not None and record.end_date != known.end_date:
        reason = record.end_reason or ChangeReason.SEPARATION.value
        ends_service = ChangeReason(reason) in SEPARATION_REASONS
        if known.end_date is None:
            change("end_date", None, record.end_date,
                   DiffKind.SEPARATED if ends_service else DiffKind.CHANGED)
            change("end_reason", None, reason)
        else:
            change("end_date", known.end_date, record.end_date)
        after = replace(after, end_date=record.end_date, end_reason=reason,
                        status=PostingStatus.SEPARATED.value, status_since=None)
    elif record.end_date is None and known.end_date is not None:
        diff.faults.append(FieldError(
            f"{rules.source}:{line}:{rules.labels.get('end_date', 'end_date')}",
            f"the registry holds this posting as ended on {known.end_date.isoformat()} "
            f"({known.end_reason}); a roster cannot reopen it: a return is a new posting "
            "with its own start date"))
    elif (record.end_date is not None and mapped & _REASON_FIELDS
          and record.end_reason is not None and record.end_reason != known.end_reason):
        change("end_reason", known.end_reason, record.end_reason)
        after = replace(after, end_reason=record.end_reason)
    if after.end_date is None and "posting_status" in mapped \
            and record.posting_status != known.status:
        change("posting_status", known.status, record.posting_status)
        after = replace(after, status=record.posting_status, status_since=rules.today)
    if "posting_kind" in mapped and record.posting_kind != known.kind:
        change("posting_kind", known.kind, record.posting_kind)
        after = replace(after, kind=record.posting_kind)
    if "employment_kind" in mapped and record.employment != known.employment:
        change("employment_kind", known.employment, record.employment)
        after = replace(after, employment=record.employment)
    return after


_REASON_FIELDS = frozenset({"end_reason", "separation_reason"})


def _close_by_transfer(diff: PersonDiff, postings: dict[int, KnownPosting], listed: set[int],
                       key: str, may_end: frozenset[int] | None) -> None:
    """A new open full-time posting ends the open full-time one that began before it and that
    the file does not list, as a posting added by hand does (a transfer), where the importing
    account's scope reaches that posting's agency (`may_end`)."""
    for record, _agency in diff.new_postings:
        if record.end_date is not None or record.posting_kind != PostingKind.FULL_TIME:
            continue
        for posting in list(postings.values()):
            if (posting.end_date is None and posting.kind == PostingKind.FULL_TIME
                    and posting.id not in listed and posting.start_date < record.start_date
                    and (may_end is None or posting.agency_id in may_end)):
                closed = replace(posting, end_date=record.start_date,
                                 end_reason=ChangeReason.TRANSFER.value,
                                 status=PostingStatus.SEPARATED.value, status_since=None)
                diff.updates.append((posting, closed))
                postings[posting.id] = closed
                diff.rows.append(DiffRow(DiffKind.CHANGED, key, "end_date", "",
                                         f"{record.start_date.isoformat()} (transfer)",
                                         record.line))


def _check_overlaps(diff: PersonDiff, postings: Mapping[int, KnownPosting],
                    rules: RefreshRules) -> None:
    """Two full-time postings at once, the registry's and the file's together: the file's row
    is at fault, named by its line."""
    if not diff.new_postings and not diff.updates:
        return
    periods: list[tuple[date, date | None, PostingKind]] = [
        (p.start_date, p.end_date, PostingKind(p.kind)) for p in postings.values()]
    lines: list[int | None] = [None] * len(periods)
    for record, _agency in diff.new_postings:
        periods.append((record.start_date, record.end_date, PostingKind(record.posting_kind)))
        lines.append(record.line)
    pair = first_clash(periods)
    if pair is None:
        return
    at_fault = next((lines[i] for i in pair if lines[i] is not None), None)
    other = next(i for i in pair if lines[i] is None or lines[i] != at_fault)
    start, end, _ = periods[other]
    held = f"{start.isoformat()} to {end.isoformat() if end else 'today'}"
    if at_fault is None:  # an update of the registry's own postings made them overlap
        at_fault = diff.rows[-1].line if diff.rows and diff.rows[-1].line else 0
    diff.faults.append(FieldError(
        f"{rules.source}:{at_fault}:{rules.labels.get('start_date', 'start_date')}",
        f"overlaps the full-time posting the registry holds from {held}"))


def _follow_status(diff: PersonDiff, person: KnownPerson, head: RosterRecord,
                   postings: Mapping[int, KnownPosting], rules: RefreshRules, key: str) -> None:
    """The person's status: the file's when the mapping gives one, else as the postings make
    it (ADR 0025); a change that the registry's rules forbid is the status column's fault."""
    current = OfficerStatus(person.status)
    open_now = [p for p in postings.values() if p.end_date is None] + [
        r for r, _ in diff.new_postings if r.end_date is None]
    if "status" in rules.mapped:
        wanted = OfficerStatus(head.status)
    else:
        wanted = status_from_postings(current, posted=bool(postings) or bool(diff.new_postings),
                                      open_posting=bool(open_now))
    if wanted is current:
        return
    if wanted not in STATUS_TRANSITIONS[current]:
        diff.faults.append(FieldError(
            f"{rules.source}:{head.line}:{rules.labels.get('status', 'status')}",
            f"an officer who is {current.value} in the registry cannot become {wanted.value}"))
        return
    if wanted in (OfficerStatus.SEPARATED, OfficerStatus.DECEASED) and open_now:
        diff.faults.append(FieldError(
            f"{rules.source}:{head.line}:{rules.labels.get('status', 'status')}",
            f"the status is {wanted.value} but the registry holds an open posting the file "
            "does not end"))
        return
    ends = [p.end_date for p in postings.values() if p.end_date is not None]
    starts = [r.start_date for r, _ in diff.new_postings if r.end_date is None]
    diff.status = wanted.value
    diff.status_on = (max(starts) if wanted is OfficerStatus.ACTIVE and starts
                      else max(ends) if wanted is OfficerStatus.SEPARATED and ends
                      else rules.today)
    kind = DiffKind.SEPARATED if wanted is OfficerStatus.SEPARATED else DiffKind.CHANGED
    diff.rows.append(DiffRow(kind, key, "status", current.value, wanted.value, head.line))


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
