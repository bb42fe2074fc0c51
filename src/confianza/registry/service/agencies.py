"""Use cases for agencies and their units, including the merger of one agency into another."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from confianza.accounts.rules.permissions import Actor, Holder, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import Conflict, ErrorCollector, FieldError, NotFound, ValidationFailed
from confianza.core.pagination import Position, decode_position, encode_cursor
from confianza.registry.contracts import RosterCriteria
from confianza.registry.rules.agencies import (
    Agency,
    AgencyLevel,
    Unit,
    check_agency,
    check_parent,
)

# Re-exported: callers build the command next to the use case that takes it.
from confianza.registry.rules.agencies import NewAgency as NewAgency
from confianza.registry.rules.assignments import ChangeReason, PostingStatus
from confianza.registry.rules.geography import find_state
from confianza.registry.rules.name_search import parse_name
from confianza.registry.rules.officers import OfficerStatus, RosterLine
from confianza.registry.rules.rosters import Staff
from confianza.trail.rules import AuditAction
from confianza.work import Transaction, UnitOfWork


@dataclass(frozen=True)
class MergeResult:
    source: Agency
    target: Agency
    moved_assignments: int
    units_created: int


#: A roster page's rows: a records clerk's screenful, and the most one audit entry names.
ROSTER_PAGE = 100
#: The longest filter text: a name, a CURP, a badge number or an external id's value.
ROSTER_TEXT_MAX = 100
#: A cursor this server issues is far shorter; a longer one is not worth decoding.
ROSTER_CURSOR_MAX = 400
#: Rows read at a time by the CSV export: enough to keep the round trips few, small enough that
#: the memory it takes does not grow with the agency.
ROSTER_CHUNK = 1000


@dataclass(frozen=True)
class RosterQuery:
    """What a roster page asks for: a status, one text (a name's words in any order, a CURP, a
    badge number the agency issued, an external id's value), the order and whose lines."""

    status: OfficerStatus | None = None
    text: str | None = None
    descending: bool = False
    staff: Staff = Staff.CURRENT


@dataclass(frozen=True)
class RosterPage:
    """A page of an agency's roster, with the whole agency's counts by status (of its current
    staff) and how many people are its former staff."""

    agency: Agency
    counts: dict[str, int]
    lines: list[RosterLine]
    next_cursor: str | None
    previous_cursor: str | None
    former: int | None = None  # counted when former staff are listed

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class RosterExport:
    agency: Agency
    officers: int


def holder_of(agency: Agency) -> Holder:
    return Holder(
        agency_ids=frozenset({agency.id}),
        state_codes=frozenset({agency.state_code}) if agency.state_code else frozenset(),
    )


def _get(tx: Transaction, agency_id: int) -> Agency:
    agency = tx.agencies.get(agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id} does not exist")
    return agency


def add_agency(tx: Transaction, actor: Actor, new: NewAgency) -> Agency:
    """Create an agency inside an open transaction (shared by the API, the CLI and the demo)."""
    require(actor, Permission.AGENCY_WRITE, resource_type="agency")
    errors = ErrorCollector()
    code = new.code.strip().upper()
    check_agency(code, new.name, new.level, new.state_code, new.municipality_key, errors)
    if new.state_code and find_state(new.state_code) is None:
        errors.add("state_code", f"{new.state_code} is not an INEGI state code")
    parent = None
    if new.parent_code:
        parent = tx.agencies.by_code(new.parent_code.strip().upper())
        if parent is None:
            errors.add("parent_code", f"no agency has code {new.parent_code!r}")
        else:
            check_parent(new.level, parent, errors)
    if not errors.errors and tx.agencies.by_code(code) is not None:
        raise Conflict(f"an agency with code {code} already exists")
    errors.raise_if_any()
    agency = tx.agencies.add(
        code=code,
        name=new.name.strip(),
        level=new.level,
        state_code=new.state_code,
        municipality_key=new.municipality_key,
        parent_id=parent.id if parent else None,
        now=tx.now,
    )
    tx.audit.record(actor, AuditAction.AGENCY_CREATE, "agency", agency.id,
                    detail={"code": agency.code, "level": agency.level.value})
    return agency


def create_agency(uow: UnitOfWork, actor: Actor, new: NewAgency) -> Agency:
    with uow.transaction() as tx:
        return add_agency(tx, actor, new)


def update_agency(
    uow: UnitOfWork, actor: Actor, agency_id: int, *, name: str | None = None,
    parent_code: str | None = None,
) -> Agency:
    with uow.transaction() as tx:
        require(actor, Permission.AGENCY_WRITE, resource_type="agency", resource_id=agency_id)
        agency = _get(tx, agency_id)
        errors = ErrorCollector()
        new_name: str | None = None
        parent_id: int | None = None
        if name is not None:
            if not name.strip() or len(name) > 200:
                errors.add("name", "must be 1 to 200 characters")
            new_name = name.strip()
        if parent_code is not None:
            parent = tx.agencies.by_code(parent_code.strip().upper())
            if parent is None:
                errors.add("parent_code", f"no agency has code {parent_code!r}")
            elif parent.id == agency.id:
                errors.add("parent_code", "an agency cannot be its own parent")
            else:
                check_parent(agency.level, parent, errors)
                parent_id = parent.id
        errors.raise_if_any()
        fields = [f for f, v in (("name", new_name), ("parent_id", parent_id)) if v is not None]
        if not fields:
            return agency
        updated = tx.agencies.update(agency_id, name=new_name, parent_id=parent_id)
        tx.audit.record(actor, AuditAction.AGENCY_UPDATE, "agency", agency_id,
                        detail={"fields": fields})
        return updated


def get_agency(uow: UnitOfWork, actor: Actor, agency_id: int) -> tuple[Agency, list[Unit]]:
    with uow.transaction() as tx:
        agency = _get(tx, agency_id)
        require(actor, Permission.AGENCY_READ, holder_of(agency), resource_type="agency",
                resource_id=agency_id)
        return agency, tx.agencies.units_of(agency_id)


def search_agencies(
    uow: UnitOfWork,
    actor: Actor,
    *,
    text: str | None = None,
    level: AgencyLevel | None = None,
    state_code: str | None = None,
    include_dissolved: bool = False,
    after_id: int | None = None,
    limit: int = 50,
) -> list[Agency]:
    with uow.transaction() as tx:
        require(actor, Permission.AGENCY_READ, resource_type="agency")
        # The scope narrows the query itself, so a page is never cut short by filtering after.
        scope = actor.scope
        if scope.state_code is not None:
            state_code = scope.state_code
        return tx.agencies.search(
            text=text, level=level, state_code=state_code, include_dissolved=include_dissolved,
            only_id=scope.agency_id, after_id=after_id, limit=limit,
        )


def _roster_criteria(query: RosterQuery) -> RosterCriteria:
    """The query as the store matches it; a text no roster could match is refused, by name."""
    text = (query.text or "").strip()
    if len(text) > ROSTER_TEXT_MAX:
        raise ValidationFailed(FieldError("text", f"is longer than {ROSTER_TEXT_MAX} characters"))
    if not text.isprintable():
        raise ValidationFailed(FieldError("text", "holds control characters"))
    if not text:
        return RosterCriteria(status=query.status, staff=query.staff)
    return RosterCriteria(status=query.status, name=parse_name(text),
                          curp=text.upper() if len(text) == 18 else None, key=text,
                          staff=query.staff)


def _criteria_used(query: RosterQuery, criteria: RosterCriteria) -> list[str]:
    """The criteria a roster read used, as its audit entry names them (never their values)."""
    used = [name for name, given in (("status", query.status), ("text", criteria.key))
            if given is not None]
    if query.staff is not Staff.CURRENT:
        used.append(f"staff:{query.staff.value}")
    return used


def _roster_position(cursor: str | None) -> Position | None:
    if cursor is not None and len(cursor) > ROSTER_CURSOR_MAX:
        raise ValidationFailed(FieldError("cursor", "is not a cursor this server issued"))
    return decode_position(cursor)


def _roster_agency(tx: Transaction, actor: Actor, agency_id: int) -> Agency:
    """The agency whose roster is read, once the actor may read it: the page and the file ask
    the same question, here."""
    agency = _get(tx, agency_id)
    require(actor, Permission.OFFICER_SEARCH, holder_of(agency), resource_type="agency",
            resource_id=agency_id)
    return agency


def roster_page(
    uow: UnitOfWork, actor: Actor, agency_id: int, query: RosterQuery = RosterQuery(), *,
    cursor: str | None = None, limit: int = ROSTER_PAGE,
) -> RosterPage:
    """A page of the officers currently assigned to an agency (or of its former staff, or of
    both: `query.staff`), by surnames, names and id (keyset-paged both ways), how many current
    officers the agency has in each status and how many former staff. A roster names
    people, so each page is audited like a search: the criteria used (never their values) and
    the officers shown. Reads three statements, whatever the page: the agency, the counts, the
    page."""
    criteria = _roster_criteria(query)
    position = _roster_position(cursor)
    limit = max(1, limit)
    with uow.transaction() as tx:
        agency = _roster_agency(tx, actor, agency_id)
        counts = tx.officers.roster_counts(agency_id, former=query.staff is not Staff.CURRENT)
        back = position is not None and position.before
        # A previous page is the rows before the key in the reverse order, turned round.
        rows = tx.officers.roster_page(
            agency_id, criteria, after=position.key if position else None,
            descending=query.descending != back, limit=limit + 1,
        )
        more = len(rows) > limit
        rows = rows[:limit]
        if back:
            rows.reverse()
        keys = [(name, line.officer_id) for name, line in rows]
        before_more, after_more = (more, bool(keys)) if back else (position is not None, more)
        lines = [line for _, line in rows]
        tx.audit.record(actor, AuditAction.AGENCY_ROSTER_READ, "agency", agency_id,
                        detail={"criteria": _criteria_used(query, criteria),
                                "results": [line.officer_id for line in lines]})
        return RosterPage(
            agency, counts.current, lines,
            next_cursor=encode_cursor(keys[-1]) if keys and after_more else None,
            previous_cursor=encode_cursor(keys[0], before=True) if keys and before_more else None,
            former=counts.former,
        )


def export_roster(
    uow: UnitOfWork, actor: Actor, agency_id: int,
    write: Callable[[Iterator[RosterLine]], object], query: RosterQuery = RosterQuery(),
) -> RosterExport:
    """Hand every line the roster's pages would list for `query` (current staff by default;
    former staff, both, a status, a text), in the pages' order, to `write` (which makes the
    file) inside one transaction, and write one audit entry naming the agency, the criteria
    used (never their values) and how many officers were read. The same question as a page
    decides whether the actor may. If `write` fails, nothing is recorded and the caller sends
    nothing."""
    criteria = _roster_criteria(query)
    with uow.transaction() as tx:
        agency = _roster_agency(tx, actor, agency_id)
        stream = tx.officers.roster_stream(agency_id, criteria, descending=query.descending,
                                           chunk=ROSTER_CHUNK)
        read = 0

        def counted() -> Iterator[RosterLine]:
            nonlocal read
            for line in stream:
                read += 1
                yield line

        try:
            write(counted())
        finally:
            stream.close()  # the statement ends here, inside the transaction, read whole or not
        tx.audit.record(actor, AuditAction.AGENCY_ROSTER_READ, "agency", agency_id,
                        detail={"export": "csv", "criteria": _criteria_used(query, criteria),
                                "officers": read})
        return RosterExport(agency, read)


def create_unit(
    uow: UnitOfWork, actor: Actor, agency_id: int, code: str, name: str,
    parent_unit_id: int | None = None,
) -> Unit:
    with uow.transaction() as tx:
        agency = _get(tx, agency_id)
        require(actor, Permission.UNIT_WRITE, holder_of(agency), resource_type="agency",
                resource_id=agency_id)
        errors = ErrorCollector()
        code = code.strip().upper()
        if not code or len(code) > 40:
            errors.add("code", "must be 1 to 40 characters")
        if not name.strip() or len(name) > 200:
            errors.add("name", "must be 1 to 200 characters")
        if parent_unit_id is not None:
            parent = tx.agencies.unit(parent_unit_id)
            if parent is None or parent.agency_id != agency_id:
                errors.add("parent_unit_id", "is not a unit of this agency")
        if not agency.active:
            errors.add("agency_id", f"agency {agency.code} was dissolved on {agency.dissolved_on}")
        errors.raise_if_any()
        if tx.agencies.unit_by_code(agency_id, code) is not None:
            raise Conflict(f"agency {agency.code} already has a unit {code}")
        unit = tx.agencies.add_unit(agency_id, code, name.strip(), parent_unit_id)
        tx.audit.record(actor, AuditAction.UNIT_CREATE, "unit", unit.id,
                        detail={"agency_id": agency_id, "code": code})
        return unit


def merge_agency(
    uow: UnitOfWork, actor: Actor, source_id: int, target_id: int, on: date
) -> MergeResult:
    """Merge one agency into another on a date, as the federal reorganisations did.

    Every assignment open in the source on that date is closed with reason 'merger' and a new one
    opened in the target from the same day, with the same rank and the matching unit (units the
    target lacks are created there with the same code). Closed history is never rewritten.
    """
    with uow.transaction() as tx:
        require(actor, Permission.AGENCY_MERGE, resource_type="agency", resource_id=source_id)
        source = _get(tx, source_id)
        target = _get(tx, target_id)
        errors = ErrorCollector()
        if source.id == target.id:
            errors.add("target_id", "an agency cannot be merged into itself")
        if not source.active:
            errors.add("source_id", f"agency {source.code} was already dissolved")
        if not target.active:
            errors.add("target_id", f"agency {target.code} was dissolved on {target.dissolved_on}")
        if on > tx.today:
            errors.add("on", f"{on.isoformat()} is in the future")
        errors.raise_if_any()

        unit_map: dict[int, int] = {}
        created = 0
        for unit in tx.agencies.units_of(source.id):
            existing = tx.agencies.unit_by_code(target.id, unit.code)
            if existing is None:
                existing = tx.agencies.add_unit(target.id, unit.code, unit.name, None)
                created += 1
            unit_map[unit.id] = existing.id

        moved = 0
        for assignment in tx.officers.open_assignments_of_agency(source.id):
            if assignment.start_date >= on:
                raise Conflict(
                    f"assignment {assignment.id} of officer {assignment.officer_id} starts on "
                    f"{assignment.start_date}, not before the merger date {on}"
                )
            tx.officers.close_assignment(assignment.id, on, ChangeReason.MERGER)
            tx.officers.add_assignment(
                officer_id=assignment.officer_id,
                agency_id=target.id,
                unit_id=unit_map.get(assignment.unit_id) if assignment.unit_id else None,
                rank=assignment.rank,
                start_date=on,
                end_date=None,
                start_reason=ChangeReason.MERGER,
                end_reason=None,
                # The posting goes on as it was: its kind, whom it employs, a leave.
                kind=assignment.kind,
                employment=assignment.employment,
                on_leave=assignment.status is PostingStatus.ON_LEAVE,
            )
            moved += 1
        tx.agencies.dissolve(source.id, target.id, on)
        tx.audit.record(
            actor, AuditAction.AGENCY_MERGE, "agency", source.id,
            detail={"into": target.id, "on": on.isoformat(), "assignments": moved,
                    "units_created": created},
        )
        merged = tx.agencies.get(source.id)
        assert merged is not None
        return MergeResult(merged, target, moved, created)

