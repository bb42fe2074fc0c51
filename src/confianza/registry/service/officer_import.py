"""Importing a roster of officers from CSV under a mapping file.

Every row is read, converted and checked in Python before the database sees any of it; then
the officers, their identity keys, assignments, badges, new units and one audit entry per
officer are written set-wise (executemany on SQLite, COPY on PostgreSQL) in the one transaction
that also holds the `officer:roster:import` entry. A bad row is named by file, line, column and
reason. By default the file goes in whole or not at all (`RowsRejected` names every bad row);
with `skip_invalid` the good rows go in and each bad row is rejected alone, or with every row
of its person under `PerPerson.ALL_OR_NONE`; a good row rejected with its person says which
row took it. Rows the mapping's [[skip]] rules leave out are counted, never rejected.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from confianza.accounts.rules.permissions import Actor, Permission, Scope
from confianza.accounts.service.authorization import require
from confianza.core.errors import FieldError, ValidationFailed
from confianza.core.work import BulkWrites
from confianza.registry.contracts import SearchCriteria
from confianza.registry.rules.agencies import Agency
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.import_mapping import ImportMapping
from confianza.registry.rules.import_rows import RosterRecord, RowConverter, settle_status
from confianza.registry.rules.name_search import token_rows
from confianza.registry.rules.roster_file import RosterFile
from confianza.registry.rules.roster_refresh import DiffKind, DiffRow
from confianza.registry.service.agencies import holder_of
from confianza.registry.service.officer_import_setup import agencies_by_name, ensure_agencies
from confianza.registry.service.roster_refresh import TABLES as REFRESH_TABLES
from confianza.registry.service.roster_refresh import plan_refresh, write_refresh
from confianza.trail.rules import AuditAction, encode_detail
from confianza.work import Transaction, UnitOfWork

#: progress(stage, done, total): "reading" counts rows, "writing" counts officers.
Progress = Callable[[str, int, int], None]
TABLES = ("units", "officers", "officer_identifiers", "assignments", "badges", "audit_entries",
          *REFRESH_TABLES)
BATCH = 50_000
_ENDING = frozenset({"separated", "deceased"})


class PerPerson(StrEnum):
    """What a bad row takes with it when the good rows are imported."""

    ROW = "row"  # that row only
    ALL_OR_NONE = "all-or-none"  # every row of the same person


@dataclass(frozen=True)
class ImportReport:
    file: str
    sha256: str
    rows: int
    officers: int
    assignments: int
    badges: int
    units_created: int
    agencies_created: tuple[str, ...]
    rejected_rows: int
    rejected_officers: int
    errors: tuple[FieldError, ...] = ()
    dry_run: bool = False
    # Why each rejected row was rejected, by its first line number: what a rejects file says.
    rejected_reasons: Mapping[int, str] = field(default_factory=dict)
    # Rows left out on purpose by the mapping's [[skip]] rules, counted by the rule's reason.
    skipped: Mapping[str, int] = field(default_factory=dict)
    # People imported without some of their rows (row by row), by identity key.
    partial_people: tuple[str, ...] = ()
    # Agencies created for names the registry did not know (--create-agencies): code -> name.
    agencies_from_names: Mapping[str, str] = field(default_factory=dict)
    # The roster refresh (ADR 0029): people by what the file does to them (new, changed,
    # separated, conflict, unchanged), the people it changes, and each change as a row.
    kinds: Mapping[str, int] = field(default_factory=dict)
    changes: int = 0
    diff: tuple[DiffRow, ...] = ()


class RowsRejected(ValidationFailed):
    """All or nothing, and some rows are bad: nothing was written. Carries every fault and the
    reasons by line, so the edge can write a rejects file all the same."""

    def __init__(self, errors: list[FieldError], reasons: Mapping[int, str], rows: int) -> None:
        super().__init__(errors)
        self.rejected_reasons = reasons
        self.rows = rows


@dataclass
class _Reading:
    """What the first pass over the file found."""

    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    by_key: dict[str, list[RosterRecord]] = field(default_factory=dict)
    errors: dict[int, list[FieldError]] = field(default_factory=lambda: defaultdict(list))
    key_of_line: dict[int, str] = field(default_factory=dict)
    # Every identity key the file names, rejected and skipped rows included: a complete
    # roster lists these people, whatever became of their rows.
    present: set[str] = field(default_factory=set)


class _DryRun(Exception):  # noqa: N818 - a signal to roll back, not an error
    def __init__(self, report: ImportReport) -> None:
        super().__init__("dry run")
        self.report = report


def import_officers(
    uow: UnitOfWork,
    actor: Actor,
    roster: RosterFile,
    mapping: ImportMapping,
    *,
    skip_invalid: bool = False,
    per_person: PerPerson = PerPerson.ROW,
    create_agencies: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a roster; raises RowsRejected naming every bad row unless `skip_invalid`.

    The roster arrives decoded (`registry.rules.roster_file`): reading it from a file or an
    upload is the edge's part, as is writing a rejects file from `rejected_reasons`.
    """
    if create_agencies and mapping.agency_match is None:
        raise ValidationFailed(FieldError("--create-agencies", 'applies to a mapping whose '
                                          '[agency] has by = "name"'))
    with uow.transaction():
        # Refuse before checking a row; the refusal is recorded like any other.
        require(actor, Permission.OFFICER_IMPORT, resource_type="officer")
    whole_person = per_person is PerPerson.ALL_OR_NONE
    with _no_gc():
        # Every row is read and checked before the write transaction opens, so the
        # registry stays writable for everyone else while a large file is checked.
        converter, reading = _read(roster, mapping, uow.today(), progress, whole_person)
        try:
            with uow.transaction() as tx:
                report = _apply(tx, actor, mapping, roster, converter, reading, skip_invalid,
                                whole_person, create_agencies, dry_run, progress)
        except _DryRun as done:
            report = done.report
        if report.rejected_rows:
            report = replace(report, rejected_reasons=_reasons(reading))
        # Let the rows go while the collector still sleeps: freed by reference counts, they
        # never cost the collector a walk over millions of objects.
        del converter, reading
    return report


def _apply(
    tx: Transaction, actor: Actor, mapping: ImportMapping, roster: RosterFile,
    converter: RowConverter, reading: _Reading, skip_invalid: bool, whole_person: bool,
    create_agencies: bool, dry_run: bool, progress: Progress | None,
) -> ImportReport:
    """The write transaction: registry checks, then the file whole, or its good rows."""
    require(actor, Permission.OFFICER_IMPORT, resource_type="officer")
    writer = tx.bulk_writer()
    writer.lock(TABLES)
    created = ensure_agencies(tx, actor, mapping.setup_agencies, mapping.setup_places).created
    agencies, from_names, known = _check_registry(tx, actor, mapping, converter, reading,
                                                  create_agencies)
    _settle(converter, reading, whole_person)
    plan = None
    if known or mapping.complete:
        agency_ids = {value: agency.id for value, agency in agencies.items()}
        covered = frozenset(agency_ids[r.agency_code] for career in reading.by_key.values()
                            for r in career if r.agency_code in agency_ids
                            ) if mapping.complete else frozenset()
        plan, faults = plan_refresh(
            tx, mapping, roster, converter.labels, known,
            {key: reading.by_key[key] for key in known if key in reading.by_key},
            _rejected_lines(reading), reading.present, agency_ids, covered,
            {reading.key_of_line[line] for line in _rejected_lines(reading)}, actor.scope)
        for line, found in faults.items():
            reading.errors[line].extend(found)
    rejected = _rejected_lines(reading)
    if rejected and not skip_invalid:
        raise RowsRejected(_sorted_errors(reading), _reasons(reading), reading.rows)
    report, new_rows = _write(tx, actor, writer, mapping, roster, reading, rejected, agencies,
                              (*created, *from_names), dry_run, progress, set(known))
    kinds: dict[str, int] = {DiffKind.NEW.value: report.officers}
    rows: list[DiffRow] = new_rows
    if plan is not None:
        if not dry_run:  # a dry run reports the plan: its writes would only be rolled back
            write_refresh(tx, actor, writer, plan, mapping, roster)
        kinds.update(plan.kinds)
        rows.extend(plan.rows)
    rows.sort(key=lambda r: (r.line is None, r.line or 0))  # in the file's order
    changes = report.officers + (plan.changes() if plan is not None else 0)
    report = replace(report, agencies_from_names=from_names, changes=changes,
                     kinds={k.value: kinds.get(k.value, 0) for k in DiffKind},
                     diff=tuple(rows))
    # The import's own entry closes its part of the trail and names the file by its hash;
    # a file applied again changes nothing and this entry says so (changes: 0).
    tx.audit.record(actor, AuditAction.OFFICER_IMPORT, "roster", None, detail={
        "file": roster.name, "sha256": roster.sha256, "rows": report.rows,
        "officers": report.officers, "assignments": report.assignments,
        "badges": report.badges, "units_created": report.units_created,
        "rejected_rows": report.rejected_rows, "skipped_rows": sum(reading.skipped.values()),
        "dry_run": dry_run, "changes": changes, "people": report.kinds,
        "complete": mapping.complete,
    })
    writer.finish(TABLES, also_written=("officer_name_tokens", "officer_status_changes"))
    if dry_run:
        raise _DryRun(report)
    return report


@contextmanager
def _no_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while a roster is in memory: the import makes millions
    of small objects and no cycles, and the collector would walk them all again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(
    roster: RosterFile, mapping: ImportMapping, today: date, progress: Progress | None,
    whole_person: bool,
) -> tuple[RowConverter, _Reading]:
    rows = roster.rows(mapping.delimiter)
    _, header = next(rows)
    converter = RowConverter(mapping, header, roster.name, today)
    reading = _Reading()
    total = roster.text.count("\n")
    by_key, errors, key_of_line = reading.by_key, reading.errors, reading.key_of_line
    convert = converter.convert
    skipped = converter.skipped if mapping.skips else None
    for line, row in rows:
        if not row:
            continue  # a blank line carries nothing
        reading.rows += 1
        if skipped is not None and (why := skipped(row)) is not None:
            reading.skipped[why] += 1
            reading.present.add(converter.raw_key(row))
            continue
        record, faults = convert(row, line)
        if roster.undecodable:
            faults = faults + roster.encoding_errors(header, row, line)
            record = None if faults else record
        if record is None:
            errors[line].extend(faults)
            key_of_line[line] = converter.raw_key(row) or f"line {line}"
            continue
        key_of_line[line] = record.key
        career = by_key.get(record.key)
        if career is None:
            by_key[record.key] = [record]
        else:
            career.append(record)
        if progress is not None and reading.rows % 20_000 == 0:
            progress("reading", reading.rows, total)
    if not reading.rows:
        raise ValidationFailed(FieldError(f"{roster.name}:2", "the file has a header line and "
                                          "no rows: nothing to import"))
    reading.present.update(key_of_line.values())
    check = converter.check_career
    for career in by_key.values():
        if len(career) == 1:
            for fault in check(career):
                errors[career[0].line].append(fault)
        else:
            for line, faults in converter.career_rejections(
                    career, whole_person=whole_person).items():
                errors[line].extend(faults)
    if progress is not None:
        progress("reading", reading.rows, reading.rows)
    return converter, reading


def _check_registry(
    tx: Transaction, actor: Actor, mapping: ImportMapping, converter: RowConverter,
    reading: _Reading, create_agencies: bool,
) -> tuple[dict[str, Agency], dict[str, str], dict[str, int]]:
    """Faults that need the registry (unknown agencies and units), and the people it knows.

    Returns the agencies by the value the file gives (a code, or a name), those created for
    names the registry did not know (code -> name), and the officers the registry already
    holds by the file's identity keys (the roster refresh's people, ADR 0029)."""
    errors = reading.errors
    records = [r for career in reading.by_key.values() for r in career]
    codes = {r.agency_code for r in records}
    from_names: dict[str, str] = {}
    if mapping.agency_match is None:
        agencies = tx.agencies.by_codes(codes) if codes else {}
    else:
        agencies, from_names = agencies_by_name(tx, actor, mapping.agency_match, codes,
                                                create=create_agencies)
    for known in agencies.values():
        require(actor, Permission.OFFICER_IMPORT, holder_of(known), resource_type="agency",
                resource_id=known.id)
    units: dict[int, set[str]] = {a.id: set() for a in agencies.values()}
    for agency_id, code in tx.rosters.unit_ids(sorted(units)):
        units[agency_id].add(code)
    curp_owner: dict[str, str] = {}
    for record in records:
        where = converter.labels
        agency = agencies.get(record.agency_code)
        if agency is None:
            errors[record.line].append(FieldError(
                f"{converter.source}:{record.line}:{where['agency']}",
                f"no agency has code {record.agency_code}" if mapping.agency_match is None
                else f"no agency is named {record.agency_code!r}: list it under [agency.names] "
                "in the mapping, or import with --create-agencies"))
        elif not agency.active and record.end_date is None:
            errors[record.line].append(FieldError(
                f"{converter.source}:{record.line}:{where['agency']}",
                f"agency {agency.code} was dissolved on {agency.dissolved_on}"))
        elif (record.unit_code is not None and not mapping.create_units
              and record.unit_code not in units[agency.id]):
            errors[record.line].append(FieldError(
                f"{converter.source}:{record.line}:{where['unit_code']}",
                f"agency {agency.code} has no unit {record.unit_code}"))
        if record.curp is not None and mapping.scheme is not None:
            owner = curp_owner.setdefault(record.curp, record.key)
            if owner != record.key:
                errors[record.line].append(FieldError(
                    f"{converter.source}:{record.line}:{where['curp']}",
                    f"the same CURP is given to officer {owner} earlier in the file"))
    keys = list(reading.by_key)
    if not tx.officers.search(SearchCriteria(), Scope(), after=None, limit=1):
        return agencies, from_names, {}  # an empty registry knows nobody: spare look-ups
    existing = tx.rosters.ids_by_keys(keys, mapping.scheme)
    if mapping.scheme is not None:
        curps = [r.curp for r in records if r.curp is not None]
        for curp, officer_id in tx.rosters.ids_by_keys(curps, None).items():
            existing.setdefault(curp_owner[curp], officer_id)
    return agencies, from_names, existing


def _settle(converter: RowConverter, reading: _Reading, whole_person: bool) -> None:
    """Bring each person's rejections to the chosen rule once every fault is known.

    Row by row, the rows a person keeps are checked together again (a rejected row may have
    held the open posting their status needs). Person by person, every other row of a person
    with a bad row is rejected too, naming the bad row."""
    errors = reading.errors
    bad_keys: dict[str, int] = {}
    for line in sorted(line for line, faults in errors.items() if faults):
        bad_keys.setdefault(reading.key_of_line[line], line)
    for key, first_bad in bad_keys.items():
        career = reading.by_key.get(key, [])
        kept = [r for r in career if not errors.get(r.line)]
        if not kept:
            continue
        if whole_person:
            for record in kept:
                errors[record.line].append(FieldError(
                    f"{converter.source}:{record.line}:*", "not imported: another row of this "
                    f"person is rejected (line {first_bad})"))
        elif len(kept) < len(career):
            for line, faults in converter.career_rejections(kept, whole_person=False).items():
                errors[line].extend(faults)


def _rejected_lines(reading: _Reading) -> set[int]:
    return {line for line, faults in reading.errors.items() if faults}


def _sorted_errors(reading: _Reading) -> list[FieldError]:
    return [f for line in sorted(reading.errors) for f in reading.errors[line]]


def _reasons(reading: _Reading) -> dict[int, str]:
    """Why each rejected row was rejected, as its rejects-file cell."""
    return {line: "; ".join(f"{f.location.split(':', 2)[-1]}: {f.reason}" for f in faults)
            for line, faults in sorted(reading.errors.items()) if faults}


def _write(
    tx: Transaction, actor: Actor, writer: BulkWrites, mapping: ImportMapping,
    roster: RosterFile, reading: _Reading, rejected: set[int], agencies: dict[str, Agency],
    agencies_created: tuple[str, ...], dry_run: bool, progress: Progress | None,
    known_keys: set[str],
) -> tuple[ImportReport, list[DiffRow]]:
    """Register the people the registry does not know (`known`: those it does)."""
    rejected_keys = {reading.key_of_line[line] for line in rejected}
    careers = [c if k not in rejected_keys else [r for r in c if r.line not in rejected]
               for k, c in reading.by_key.items() if k not in known_keys]
    careers = [c for c in careers if c]
    if "status" not in mapping.fields:
        for career in careers:
            settle_status(career)  # of the rows that go in (ADR 0025)
    partial = tuple(sorted({c[0].key for c in careers} & rejected_keys))
    # Ids in name order: the name index then grows at its end instead of splitting pages all
    # over, which makes the officers' insert about a third cheaper on SQLite.
    careers.sort(key=lambda c: c[0].search_name)
    now = tx.now
    # Reserve ids while the tables are locked, so rows can point at each other with no
    # round trip.
    officer_id = writer.next_id("officers")
    identifier_id = writer.next_id("officer_identifiers")
    assignment_id = writer.next_id("assignments")
    badge_id = writer.next_id("badges")
    unit_id = writer.next_id("units")
    unit_ids: dict[tuple[int, str], int] = {}
    unit_ids.update(tx.rosters.unit_ids(sorted({a.id for a in agencies.values()})))
    new_units: list[tuple[object, ...]] = []
    officers: list[tuple[object, ...]] = []
    name_words: list[tuple[object, ...]] = []
    identifiers: list[tuple[object, ...]] = []
    assignments: list[tuple[object, ...]] = []
    badges: list[tuple[object, ...]] = []
    statuses: list[tuple[object, ...]] = []
    audit: list[tuple[object, ...]] = []
    history_reason, today = f"import of {roster.name}"[:300], tx.today
    counts = {"officers": 0, "assignments": 0, "badges": 0, "units": 0}
    details: dict[int, str] = {}
    who, kind, request = actor.username, actor.kind.value, tx.request_id
    create, scheme = AuditAction.OFFICER_CREATE.value, mapping.scheme
    appointment, imported = ChangeReason.APPOINTMENT.value, ChangeReason.IMPORT.value
    total = len(careers)
    new_rows: list[DiffRow] = []

    def flush() -> None:
        # Rows go out a batch at a time, so the import never holds every row twice in memory.
        # Parents first: units, then officers, then what points at officers. Each list's rows
        # hold the values of the columns named beside it, in that order (the writer checks).
        for table, columns, rows in (
            ("units", ("id", "agency_id", "code", "name", "parent_unit_id"), new_units),
            ("officers", ("id", "curp", "given_names", "first_surname", "second_surname",
                          "search_name", "birth_date", "birth_year", "sex", "status",
                          "created_at", "updated_at"), officers),
            ("officer_name_tokens", ("officer_id", "token", "search_name", "words"), name_words),
            ("officer_identifiers", ("id", "officer_id", "scheme", "value"), identifiers),
            ("assignments", ("id", "officer_id", "agency_id", "unit_id", "rank", "start_date",
                             "end_date", "start_reason", "end_reason", "status", "kind",
                             "employment", "status_since"), assignments),
            ("officer_status_changes", ("officer_id", "status", "effective_on", "reason",
                                        "actor", "recorded_at"), statuses),
            ("badges", ("id", "officer_id", "agency_id", "number", "start_date", "end_date"),
             badges),
            ("audit_entries", ("at", "actor", "actor_kind", "action", "resource_type",
                               "resource_id", "purpose", "request_id", "detail"), audit),
        ):
            writer.insert(table, columns, rows)
            rows.clear()

    for done, career in enumerate(careers, 1):
        if len(career) > 1:
            career.sort(key=lambda r: r.start_date)
        head = career[0]
        new_rows.extend(DiffRow(DiffKind.NEW, r.key, "posting", "",
                                f"{r.agency_code} {r.rank} from {r.start_date.isoformat()}",
                                r.line) for r in career)
        officers.append((officer_id, head.curp, head.given_names, head.first_surname,
                         head.second_surname, head.search_name, head.birth_date,
                         head.birth_year, head.sex, head.status, now, now))
        name_words.extend(token_rows(officer_id, head.search_name))
        if scheme is not None:
            identifiers.append((identifier_id, officer_id, scheme, head.key))
            identifier_id += 1
        seen_badges: set[tuple[int, str]] = set()
        for n, record in enumerate(career):
            agency_id = agencies[record.agency_code].id
            unit = None
            if record.unit_code is not None:
                unit = unit_ids.get((agency_id, record.unit_code))
                if unit is None:
                    unit = unit_ids[(agency_id, record.unit_code)] = unit_id
                    new_units.append((unit_id, agency_id, record.unit_code, record.unit_name,
                                      None))
                    audit.append((now, who, kind, AuditAction.UNIT_CREATE.value, "unit",
                                  str(unit_id), None, request,
                                  encode_detail({"agency_id": agency_id,
                                                 "code": record.unit_code,
                                                 **actor.attribution()})))
                    unit_id += 1
                    counts["units"] += 1
            assignments.append((assignment_id, officer_id, agency_id, unit, record.rank,
                                record.start_date, record.end_date,
                                record.start_reason or (appointment if n == 0 else imported),
                                record.end_reason, record.posting_status, record.posting_kind,
                                record.employment, None))
            assignment_id += 1
            counts["assignments"] += 1
            for number in record.badges:
                if (agency_id, number) not in seen_badges:
                    seen_badges.add((agency_id, number))
                    badges.append((badge_id, officer_id, agency_id, number, None, None))
                    badge_id += 1
                    counts["badges"] += 1
        # The status history begins with the status the file gives, from the day it took
        # effect as far as the file says: joining, or the end of the last posting.
        ends = [r.end_date for r in career if r.end_date is not None]
        effective = (head.start_date if head.status == "active"
                     else max(ends) if ends and head.status in _ENDING else today)
        statuses.append((officer_id, head.status, effective, history_reason, who, now))
        last_agency = agencies[career[-1].agency_code].id
        detail = details.get(last_agency)
        if detail is None:
            detail = details[last_agency] = encode_detail(
                {"agency_id": last_agency, "source": "import", **actor.attribution()})
        audit.append((now, who, kind, create, "officer", str(officer_id), None, request, detail))
        officer_id += 1
        counts["officers"] += 1
        if done % BATCH == 0:
            flush()
            if progress is not None:
                progress("writing", done, total)
    flush()
    if progress is not None:
        progress("writing", total, total)
    report = ImportReport(
        file=roster.name, sha256=roster.sha256, rows=reading.rows, officers=counts["officers"],
        assignments=counts["assignments"], badges=counts["badges"],
        units_created=counts["units"], agencies_created=agencies_created,
        rejected_rows=len(rejected), rejected_officers=len(rejected_keys) - len(partial),
        errors=tuple(_sorted_errors(reading)), dry_run=dry_run,
        skipped=dict(reading.skipped.most_common()), partial_people=partial,
    )
    return report, new_rows
