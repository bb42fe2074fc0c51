"""Importing a roster of officers from CSV under a mapping file: all valid, or nothing.

Every row is read, converted and checked in Python before the database sees any of it; then
the officers, their identity keys, assignments, badges, new units and one audit entry per
officer are written set-wise (executemany on SQLite, COPY on PostgreSQL) in the one transaction
that also holds the `officer:roster:import` entry. A bad row is named by file, line, column and
reason; with `skip_invalid` the valid officers go in and the rejects go to a CSV file.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from confianza.accounts.rules.permissions import Actor, Permission, Scope
from confianza.accounts.service.authorization import require
from confianza.core.errors import FieldError, ValidationFailed
from confianza.core.work import BulkWrites
from confianza.registry.contracts import SearchCriteria
from confianza.registry.rules.agencies import Agency
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.import_mapping import ImportMapping
from confianza.registry.rules.import_rows import RosterRecord, RowConverter
from confianza.registry.rules.roster_file import RosterFile
from confianza.registry.service.agencies import holder_of
from confianza.registry.service.officer_import_setup import ensure_agencies
from confianza.trail.rules import AuditAction, encode_detail
from confianza.work import Transaction, UnitOfWork

#: progress(stage, done, total): "reading" counts rows, "writing" counts officers.
Progress = Callable[[str, int, int], None]
TABLES = ("units", "officers", "officer_identifiers", "assignments", "badges", "audit_entries")
BATCH = 50_000
_ENDING = frozenset({"separated", "deceased"})


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


@dataclass
class _Reading:
    """What the first pass over the file found."""

    rows: int = 0
    by_key: dict[str, list[RosterRecord]] = field(default_factory=dict)
    errors: dict[int, list[FieldError]] = field(default_factory=lambda: defaultdict(list))
    key_of_line: dict[int, str] = field(default_factory=dict)


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
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a roster; raises ValidationFailed naming every bad row unless `skip_invalid`.

    The roster arrives decoded (`registry.rules.roster_file`): reading it from a file or an
    upload is the edge's part, as is writing a rejects file from `rejected_reasons`.
    """
    with uow.transaction():
        # Refuse before checking a row; the refusal is recorded like any other.
        require(actor, Permission.OFFICER_IMPORT, resource_type="officer")
    with _no_gc():
        # Every row is read and checked before the write transaction opens, so the
        # registry stays writable for everyone else while a large file is checked.
        converter, reading = _read(roster, mapping, uow.today(), progress)
        try:
            with uow.transaction() as tx:
                report = _apply(tx, actor, mapping, roster, converter, reading, skip_invalid,
                                dry_run, progress)
        except _DryRun as done:
            report = done.report
        if report.rejected_rows:
            report = replace(report,
                             rejected_reasons=_reasons(reading, _rejected_keys(reading)))
        # Let the rows go while the collector still sleeps: freed by reference counts, they
        # never cost the collector a walk over millions of objects.
        del converter, reading
    return report


def _apply(
    tx: Transaction, actor: Actor, mapping: ImportMapping, roster: RosterFile,
    converter: RowConverter, reading: _Reading, skip_invalid: bool, dry_run: bool,
    progress: Progress | None,
) -> ImportReport:
    """The write transaction: registry checks, then every row or none."""
    require(actor, Permission.OFFICER_IMPORT, resource_type="officer")
    writer = tx.bulk_writer()
    writer.lock(TABLES)
    created = ensure_agencies(tx, actor, mapping.setup_agencies).created
    agencies = _check_registry(tx, actor, mapping, converter, reading)
    rejected = _rejected_keys(reading)
    if rejected and not skip_invalid:
        raise ValidationFailed(_sorted_errors(reading))
    report = _write(tx, actor, writer, mapping, roster, reading, rejected, agencies,
                    created, dry_run, progress)
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
    roster: RosterFile, mapping: ImportMapping, today: date, progress: Progress | None
) -> tuple[RowConverter, _Reading]:
    rows = roster.rows(mapping.delimiter)
    _, header = next(rows)
    converter = RowConverter(mapping, header, roster.name, today)
    reading = _Reading()
    total = roster.text.count("\n")
    by_key, errors, key_of_line = reading.by_key, reading.errors, reading.key_of_line
    convert = converter.convert
    for line, row in rows:
        if not row:
            continue  # a blank line carries nothing
        reading.rows += 1
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
    check, settle = converter.check_career, converter.settle_status
    for career in by_key.values():
        for fault in check(career):
            errors[int(fault.location.rsplit(":", 2)[1])].append(fault)
        settle(career)
    if progress is not None:
        progress("reading", reading.rows, reading.rows)
    return converter, reading


def _check_registry(
    tx: Transaction, actor: Actor, mapping: ImportMapping, converter: RowConverter,
    reading: _Reading,
) -> dict[str, Agency]:
    """Faults that need the registry: unknown agencies and units, officers already there."""
    errors = reading.errors
    records = [r for career in reading.by_key.values() for r in career]
    codes = {r.agency_code for r in records}
    agencies = tx.agencies.by_codes(codes) if codes else {}
    for known in agencies.values():
        require(actor, Permission.OFFICER_IMPORT, holder_of(known), resource_type="agency",
                resource_id=known.id)
    units = {a.id: {u.code for u in tx.agencies.units_of(a.id)} for a in agencies.values()}
    curp_owner: dict[str, str] = {}
    for record in records:
        where = converter.labels
        agency = agencies.get(record.agency_code)
        if agency is None:
            errors[record.line].append(FieldError(
                f"{converter.source}:{record.line}:{where['agency']}",
                f"no agency has code {record.agency_code}"))
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
        return agencies  # an empty registry holds nobody twice: spare the look-ups
    if mapping.scheme is None:
        existing = tx.officers.ids_by_curps(keys)
    else:
        existing = tx.officers.ids_by_identifiers(mapping.scheme, keys)
        curps = [r.curp for r in records if r.curp is not None]
        for curp, officer_id in tx.officers.ids_by_curps(curps).items():
            existing.setdefault(curp_owner[curp], officer_id)
    # The officer is named only to whom may read them (as for a single registration).
    readable = tx.officers.within(sorted(set(existing.values())), actor.scope) if actor.has(
        Permission.OFFICER_READ) else set()
    for key, officer_id in existing.items():
        said = (f"(officer {officer_id})" if officer_id in readable
                else "in the national registry")
        for record in reading.by_key[key]:
            errors[record.line].append(FieldError(
                f"{converter.source}:{record.line}:{converter.labels['key']}",
                f"this officer is already registered {said}"))
    return agencies


def _rejected_keys(reading: _Reading) -> set[str]:
    return {reading.key_of_line[line] for line, faults in reading.errors.items() if faults}


def _sorted_errors(reading: _Reading) -> list[FieldError]:
    return [f for line in sorted(reading.errors) for f in reading.errors[line]]


def _reasons(reading: _Reading, rejected: set[str]) -> dict[int, str]:
    """Why each rejected row was rejected; a good row of a rejected officer says which row."""
    reasons: dict[int, str] = {}
    for line, faults in reading.errors.items():
        if faults:
            reasons[line] = "; ".join(f"{f.location.split(':', 2)[-1]}: {f.reason}"
                                      for f in faults)
    first_bad: dict[str, int] = {}
    for line in sorted(reasons):
        first_bad.setdefault(reading.key_of_line[line], line)
    for key in rejected:
        for record in reading.by_key.get(key, []):
            if record.line not in reasons:
                reasons[record.line] = (f"another row of this officer is rejected "
                                        f"(line {first_bad[key]})")
    return reasons


def _write(
    tx: Transaction, actor: Actor, writer: BulkWrites, mapping: ImportMapping,
    roster: RosterFile, reading: _Reading, rejected: set[str], agencies: dict[str, Agency],
    agencies_created: tuple[str, ...], dry_run: bool, progress: Progress | None,
) -> ImportReport:
    careers = [c for k, c in reading.by_key.items() if k not in rejected]
    # Ids in name order: the name index then grows at its end instead of splitting pages all
    # over, which makes the officers' insert about a third cheaper on SQLite.
    careers.sort(key=lambda c: c[0].search_name)
    now = tx.now
    rejected_rows = sum(1 for k in reading.key_of_line.values() if k in rejected)
    # Reserve ids while the tables are locked, so rows can point at each other with no
    # round trip.
    officer_id = writer.next_id("officers")
    identifier_id = writer.next_id("officer_identifiers")
    assignment_id = writer.next_id("assignments")
    badge_id = writer.next_id("badges")
    unit_id = writer.next_id("units")
    unit_ids: dict[tuple[int, str], int] = {}
    for known in agencies.values():
        for existing_unit in tx.agencies.units_of(known.id):
            unit_ids[(known.id, existing_unit.code)] = existing_unit.id
    new_units: list[tuple[object, ...]] = []
    officers: list[tuple[object, ...]] = []
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

    def flush() -> None:
        # Rows go out a batch at a time, so the import never holds every row twice in memory.
        # Parents first: units, then officers, then what points at officers. Each list's rows
        # hold the values of the columns named beside it, in that order (the writer checks).
        for table, columns, rows in (
            ("units", ("id", "agency_id", "code", "name", "parent_unit_id"), new_units),
            ("officers", ("id", "curp", "given_names", "first_surname", "second_surname",
                          "search_name", "birth_date", "birth_year", "sex", "status",
                          "created_at", "updated_at"), officers),
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
        officers.append((officer_id, head.curp, head.given_names, head.first_surname,
                         head.second_surname, head.search_name, head.birth_date,
                         head.birth_year, head.sex, head.status, now, now))
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
        rejected_rows=rejected_rows, rejected_officers=len(rejected),
        errors=tuple(_sorted_errors(reading)), dry_run=dry_run,
    )
    # The import's own entry closes its part of the trail and names the file by its hash.
    tx.audit.record(actor, AuditAction.OFFICER_IMPORT, "roster", None, detail={
        "file": roster.name, "sha256": roster.sha256, "rows": report.rows,
        "officers": report.officers, "assignments": report.assignments,
        "badges": report.badges, "units_created": report.units_created,
        "rejected_rows": report.rejected_rows, "dry_run": dry_run,
    })
    writer.finish(TABLES)
    return report
