"""The roster refresh (ADR 0029): a newer edition of a roster brings known people up to date.

Part of the import's one write transaction (`officer_import`). The registry's state of every
known person of the file is read in a few statements (`RosterStore.known_people`), the
differences are worked out in Python (`registry.rules.roster_refresh`), and the changes are
written in bulk: postings rewritten by id, new postings and badges, identity facts filled in,
statuses with their history lines, pending separations for HR, conflicts for the registry
clerk, and one audit entry per officer naming what changed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from confianza.accounts.rules.permissions import Actor, Scope
from confianza.core.errors import FieldError
from confianza.core.work import BulkWrites
from confianza.credentials import service as credentials
from confianza.registry.rules.import_mapping import ImportMapping
from confianza.registry.rules.import_rows import RosterRecord
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.rules.roster_file import RosterFile
from confianza.registry.rules.roster_refresh import (
    DiffKind,
    DiffRow,
    KnownPerson,
    PersonDiff,
    RefreshRules,
    facts_key,
    plainly_unchanged,
    record_json,
    refresh_person,
)
from confianza.registry.service.agencies import holder_of
from confianza.trail.rules import AuditAction, encode_detail
from confianza.work import Transaction

#: The tables a refresh writes with ids of its own (locked with the import's).
TABLES = ("roster_separations", "roster_conflicts")


@dataclass
class RefreshPlan:
    """What a file changes for the people the registry knows, before anything is written."""

    diffs: list[PersonDiff] = field(default_factory=list)  # changed, separated or conflicting
    kinds: Counter[str] = field(default_factory=Counter)  # people by DiffKind
    # Open postings of people a complete roster leaves out: (officer, assignment, agency, key)
    missing: list[tuple[int, int, int, str]] = field(default_factory=list)
    queue: list[PersonDiff] = field(default_factory=list)  # conflicts new to the queue
    records: dict[int, list[RosterRecord]] = field(default_factory=dict)  # by officer
    people: dict[int, KnownPerson] = field(default_factory=dict)  # as the registry holds them
    agency_ids: dict[str, int] = field(default_factory=dict)  # the file's agencies
    rows: list[DiffRow] = field(default_factory=list)

    def changes(self) -> int:
        """People changed, separated (by the file or pending) and queued."""
        return sum(1 for d in self.diffs if d.kind is not DiffKind.CONFLICT) + len(
            {m[0] for m in self.missing}) + len(self.queue)


def _endable(tx: Transaction, scope: Scope, people: Mapping[int, KnownPerson]
             ) -> frozenset[int] | None:
    """The agencies of the known people's postings that `scope` reaches (None: every one)."""
    if scope.covers_every_holder():
        return None
    ids = {p.agency_id for person in people.values() for p in person.postings}
    agencies = tx.agencies.many(ids) if ids else {}
    return frozenset(i for i, agency in agencies.items() if scope.covers(holder_of(agency)))


def plan_refresh(
    tx: Transaction, mapping: ImportMapping, roster: RosterFile, labels: Mapping[str, str],
    known: Mapping[str, int], careers: Mapping[str, list[RosterRecord]],
    rejected_lines: set[int], present: set[str], agency_ids: Mapping[str, int],
    covered: frozenset[int], incomplete: set[str], scope: Scope,
) -> tuple[RefreshPlan, dict[int, list[FieldError]]]:
    """The refresh of the known people (`known`: identity key -> officer), from the rows that
    were not rejected; returns the plan and the faults it found, by line (a person with one
    is not changed at all, every row of theirs naming the line at fault). `covered`: the
    agencies of a complete roster (empty for a file of changes only). `incomplete`: the keys
    with a rejected row, whose postings the file may well list (no separation is proposed for
    them). `scope`: the importing account's, which bounds the postings a transfer may end."""
    plan = RefreshPlan()
    faults: dict[int, list[FieldError]] = {}
    officer_ids = sorted(set(known.values()))
    people = _people(tx, mapping, known, careers, agency_ids) if officer_ids else {}
    rules = RefreshRules(roster.name, labels, frozenset(mapping.fields), mapping.complete,
                         tx.today, _endable(tx, scope, people))
    plan.people, plan.agency_ids = people, dict(agency_ids)
    statuses = tx.rosters.conflict_statuses(officer_ids) if officer_ids else {}
    processed: list[PersonDiff] = []
    unchanged = 0
    for key, officer_id in known.items():
        records = [r for r in careers.get(key, ()) if r.line not in rejected_lines]
        person = people.get(officer_id)
        if not records or person is None:
            continue  # every row of theirs was rejected: nothing to compare
        if plainly_unchanged(person, records, agency_ids, rules):
            unchanged += 1
            continue
        diff = refresh_person(person, records, agency_ids, rules, key, covered)
        if diff.conflicts:
            status = statuses.get((officer_id, facts_key(officer_id, diff.conflicts)))
            if status == "kept":
                diff = refresh_person(person, records, agency_ids, rules, key, covered,
                                      settled=True)
            elif status is None:
                plan.queue.append(diff)
                plan.records[officer_id] = records
        if diff.faults:
            _refuse(diff, records, faults)
            continue
        if diff.separations and key in incomplete:
            _drop_separations(diff, {p.id for p in diff.separations})
        processed.append(diff)
    _curps_taken(tx, processed, faults, careers, rules)
    processed = [d for d in processed if not d.faults]
    proposed = [p.id for d in processed for p in d.separations]
    if proposed:
        # A posting with a separation waiting, or one this file proposed before: not again.
        again = tx.rosters.separations_known(proposed, roster.sha256)
        for diff in processed:
            if again.intersection(p.id for p in diff.separations):
                _drop_separations(diff, again)
    plan.kinds[DiffKind.UNCHANGED.value] += unchanged
    for diff in processed:
        plan.kinds[diff.kind.value] += 1
        if diff.rows:
            plan.diffs.append(diff)
            plan.rows.extend(diff.rows)
    if mapping.complete and covered:
        _missing(tx, mapping, plan, known, present, covered, roster.sha256)
    return plan, faults


def _people(tx: Transaction, mapping: ImportMapping, known: Mapping[str, int],
            careers: Mapping[str, list[RosterRecord]], agency_ids: Mapping[str, int]
            ) -> dict[int, KnownPerson]:
    """The registry's state of the file's known people, in two reads: everyone's open
    postings (what a roster of current staff lists), then the whole career of those whose rows
    name a posting that is not one of them (an ended posting, or a new one: overlaps are
    checked against every posting). Badges are read only when the file gives some."""
    badges = bool(mapping.badges)
    people = tx.rosters.known_people(sorted(set(known.values())), badges=badges,
                                     open_only=True)
    whole: set[int] = set()
    for key, officer_id in known.items():
        person = people.get(officer_id)
        if person is None:
            continue
        held = {(p.agency_id, p.start_date) for p in person.postings}
        if any((agency_ids.get(r.agency_code), r.start_date) not in held
               for r in careers.get(key, ())):
            whole.add(officer_id)
    if whole:
        people.update(tx.rosters.known_people(sorted(whole), badges=badges))
    return people


def _curps_taken(tx: Transaction, processed: list[PersonDiff],
                 faults: dict[int, list[FieldError]],
                 careers: Mapping[str, list[RosterRecord]], rules: RefreshRules) -> None:
    """A CURP the file would fill in that another officer holds: the row's fault (the
    registry holds a CURP once), found in one look-up for the whole file."""
    filling = {str(d.identity["curp"]): d for d in processed if "curp" in d.identity}
    if not filling:
        return
    for curp, holder in tx.rosters.ids_by_keys(sorted(filling), None).items():
        diff = filling[curp]
        if holder == diff.officer_id:
            continue
        line = next(r.line for r in diff.rows if r.field == "curp")
        diff.faults.append(FieldError(
            f"{rules.source}:{line}:{rules.labels.get('curp', 'curp')}",
            f"CURP {curp} is already registered to another officer"))
        _refuse(diff, careers.get(diff.key, []), faults)


def _drop_separations(diff: PersonDiff, ids: set[int]) -> None:
    diff.separations = [p for p in diff.separations if p.id not in ids]
    diff.rows = [r for r in diff.rows if not (
        r.field == "pending_separation" and any(
            r.registry_value.startswith(f"posting {i} ") for i in ids))]


def _refuse(diff: PersonDiff, records: Sequence[RosterRecord],
            faults: dict[int, list[FieldError]]) -> None:
    at_fault = {int(f.location.rsplit(":", 2)[1]) for f in diff.faults}
    for fault in diff.faults:
        faults.setdefault(int(fault.location.rsplit(":", 2)[1]), []).append(fault)
    first = min(at_fault)
    source = diff.faults[0].location.rsplit(":", 2)[0]
    for record in records:
        if record.line not in at_fault:
            faults.setdefault(record.line, []).append(FieldError(
                f"{source}:{record.line}:*", f"not applied: line {first} of this person is "
                "refused"))


def _missing(tx: Transaction, mapping: ImportMapping, plan: RefreshPlan,
             known: Mapping[str, int], present: set[str], covered: frozenset[int],
             sha256: str) -> None:
    """People a complete roster leaves out: each open posting at an agency it covers waits as
    a pending separation (unless one waits already, or this very file proposed it before)."""
    listed = {known[k] for k in present if k in known}
    open_postings = [p for p in tx.rosters.open_postings_at(sorted(covered))
                     if p[1] not in listed]
    if not open_postings:
        return
    absent = sorted({p[1] for p in open_postings})
    keys = tx.rosters.keys_of(absent, mapping.scheme)
    known_ones = tx.rosters.separations_known([p[0] for p in open_postings], sha256)
    for assignment_id, officer_id, agency_id, start in open_postings:
        key = keys.get(officer_id, f"officer {officer_id}")
        if key in present:
            continue  # listed under this key, though not matched to the registry's record
        if assignment_id in known_ones:
            continue
        plan.missing.append((officer_id, assignment_id, agency_id, key))
        plan.rows.append(DiffRow(DiffKind.SEPARATED, key, "pending_separation",
                                 f"posting {assignment_id} since {start.isoformat()}",
                                 "not in the complete roster", None))
    plan.kinds[DiffKind.SEPARATED.value] += len({m[0] for m in plan.missing})


def write_refresh(tx: Transaction, actor: Actor, writer: BulkWrites, plan: RefreshPlan,
                  mapping: ImportMapping, roster: RosterFile) -> None:
    """Write a plan's changes in bulk, with one audit entry per officer."""
    now, today, who = tx.now, tx.today, actor.username
    held = {d.officer_id for d in plan.diffs if d.conflicts}
    applied = [d for d in plan.diffs if d.officer_id not in held]
    units = _units(tx, writer, actor, applied)
    posting_rows: list[dict[str, object]] = []
    identity_rows: list[dict[str, object]] = []
    new_postings: list[tuple[object, ...]] = []
    badges: list[tuple[object, ...]] = []
    history: list[tuple[object, ...]] = []
    audit: list[tuple[object, ...]] = []
    separations: list[dict[str, object]] = []
    people = plan.people
    assignment_id = writer.next_id("assignments")
    badge_id = writer.next_id("badges")
    reason = f"roster refresh from {roster.name}"[:300]
    source = {"source": "roster refresh", "file": roster.name, "sha256": roster.sha256,
              **actor.attribution()}
    status_changed: list[tuple[int, OfficerStatus]] = []
    for diff in applied:
        for _before, after in diff.updates:
            posting_rows.append({
                "b_id": after.id, "rank": after.rank,
                "unit_id": None if after.unit_code is None
                else units[(after.agency_id, after.unit_code)],
                "end_date": after.end_date, "end_reason": after.end_reason,
                "status": after.status, "kind": after.kind, "employment": after.employment,
                "status_since": after.status_since})
        for record, agency_id in diff.new_postings:
            new_postings.append((
                assignment_id, diff.officer_id, agency_id,
                None if record.unit_code is None else units[(agency_id, record.unit_code)],
                record.rank, record.start_date, record.end_date,
                record.start_reason or "import", record.end_reason, record.posting_status,
                record.posting_kind, record.employment, None))
            assignment_id += 1
        for agency_id, number in diff.new_badges:
            badges.append((badge_id, diff.officer_id, agency_id, number, None, None))
            badge_id += 1
        if diff.identity or diff.status is not None:
            person = people[diff.officer_id]
            facts = diff.identity
            identity_rows.append({
                "b_id": diff.officer_id, "curp": facts.get("curp", person.curp),
                "birth_date": facts.get("birth_date", person.birth_date),
                "birth_year": facts.get("birth_year", person.birth_year),
                "sex": facts.get("sex", person.sex),
                "status": diff.status or person.status, "updated_at": now})
        if diff.status is not None:
            history.append((diff.officer_id, diff.status, diff.status_on or today, reason,
                            who, now))
            status_changed.append((diff.officer_id, OfficerStatus(diff.status)))
        detail: dict[str, object] = {**source, "changes": diff.changes(),
                  "pending_separations": [p.id for p in diff.separations]}
        if diff.status is not None:
            detail["status"] = {"to": diff.status}
        action = (AuditAction.OFFICER_UPDATE if any(r.field != "pending_separation"
                                                    for r in diff.rows)
                  else AuditAction.SEPARATION_PROPOSE)
        audit.append(_entry(tx, actor, action, diff.officer_id, detail))
        for posting in diff.separations:
            separations.append(_separation(diff.officer_id, posting.id, posting.agency_id,
                                           roster, who, now))
    missing_by_officer: dict[int, list[int]] = {}
    for officer_id, posting_id, agency_id, _key in plan.missing:
        separations.append(_separation(officer_id, posting_id, agency_id, roster, who, now))
        missing_by_officer.setdefault(officer_id, []).append(posting_id)
    for officer_id, postings in missing_by_officer.items():
        audit.append(_entry(tx, actor, AuditAction.SEPARATION_PROPOSE, officer_id,
                            {**source, "pending_separations": postings}))
    conflicts = []
    for diff in plan.queue:
        records = plan.records[diff.officer_id]
        queued = [{"field": c.field, "registry": c.registry_value, "file": c.file_value}
                 for c in diff.conflicts]
        conflicts.append({
            "officer_id": diff.officer_id, "identity_key": diff.key, "scheme": mapping.scheme,
            "facts": json.dumps(queued, ensure_ascii=False),
            "facts_key": facts_key(diff.officer_id, diff.conflicts),
            "file_rows": json.dumps(
                [record_json(r, plan.agency_ids[r.agency_code]) for r in records],
                ensure_ascii=False),
            "file_name": roster.name[:200], "file_sha256": roster.sha256,
            "file_line": min(r.line for r in records), "status": "open",
            "proposed_at": now, "proposed_by": who})
        audit.append(_entry(tx, actor, AuditAction.CONFLICT_QUEUE, diff.officer_id,
                            {**source, "fields": [c.field for c in diff.conflicts]}))
    tx.rosters.update_postings(posting_rows)
    tx.rosters.update_identities(identity_rows)
    writer.insert("assignments", ("id", "officer_id", "agency_id", "unit_id", "rank",
                                  "start_date", "end_date", "start_reason", "end_reason",
                                  "status", "kind", "employment", "status_since"), new_postings)
    writer.insert("badges", ("id", "officer_id", "agency_id", "number", "start_date",
                             "end_date"), badges)
    writer.insert("officer_status_changes", ("officer_id", "status", "effective_on", "reason",
                                             "actor", "recorded_at"), history)
    tx.rosters.add_separations(separations)
    tx.rosters.add_conflicts(conflicts)
    writer.insert("audit_entries", ("at", "actor", "actor_kind", "action", "resource_type",
                                    "resource_id", "purpose", "request_id", "detail"), audit)
    # A credential follows its holder's status: only the people whose status changed.
    for officer_id, status in status_changed:
        credentials.officer_status_changed(tx, actor, officer_id, status)


def _entry(tx: Transaction, actor: Actor, action: AuditAction, officer_id: int,
           detail: Mapping[str, object]) -> tuple[object, ...]:
    return (tx.now, actor.username, actor.kind.value, action.value, "officer",
            str(officer_id), None, tx.request_id, encode_detail(dict(detail)))


def _separation(officer_id: int, assignment_id: int, agency_id: int, roster: RosterFile,
                who: str, now: object) -> dict[str, object]:
    return {"officer_id": officer_id, "assignment_id": assignment_id, "agency_id": agency_id,
            "file_name": roster.name[:200], "file_sha256": roster.sha256, "status": "pending",
            "proposed_at": now, "proposed_by": who}


def _units(tx: Transaction, writer: BulkWrites, actor: Actor, diffs: Sequence[PersonDiff]
           ) -> dict[tuple[int, str], int]:
    """The units the changes name, by (agency, code): those the agencies have, and those the
    file names that they do not yet have (created, audited, as the import creates them)."""
    wanted: dict[tuple[int, str], str | None] = {}
    for diff in diffs:
        for _before, after in diff.updates:
            if after.unit_code is not None:
                wanted.setdefault((after.agency_id, after.unit_code), None)
        for record, agency_id in diff.new_postings:
            if record.unit_code is not None:
                wanted[(agency_id, record.unit_code)] = record.unit_name
    if not wanted:
        return {}
    ids: dict[tuple[int, str], int] = {}
    for agency_id in {a for a, _ in wanted}:
        for unit in tx.agencies.units_of(agency_id):
            ids[(agency_id, unit.code)] = unit.id
    rows: list[tuple[object, ...]] = []
    audit: list[tuple[object, ...]] = []
    unit_id = writer.next_id("units")
    for (agency_id, code), name in wanted.items():
        if (agency_id, code) not in ids:
            ids[(agency_id, code)] = unit_id
            rows.append((unit_id, agency_id, code, name or code, None))
            audit.append((tx.now, actor.username, actor.kind.value,
                          AuditAction.UNIT_CREATE.value, "unit", str(unit_id), None,
                          tx.request_id, encode_detail({"agency_id": agency_id, "code": code,
                                                        **actor.attribution()})))
            unit_id += 1
    writer.insert("units", ("id", "agency_id", "code", "name", "parent_unit_id"), rows)
    writer.insert("audit_entries", ("at", "actor", "actor_kind", "action", "resource_type",
                                    "resource_id", "purpose", "request_id", "detail"), audit)
    return ids
