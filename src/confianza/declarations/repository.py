"""The declarations store: declarations kept whole with their lines, read back for the export
and, set-based, for the checks (ADR 0038)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from confianza.core.civil_time import DEFAULT_ZONE
from confianza.core.db.bulk import BulkWriter
from confianza.core.db.models import (
    AgencyRow,
    AssignmentRow,
    DeclarationItemRow,
    DeclarationRow,
    OfficerRow,
    PayrollRow,
)
from confianza.core.db.plain import driver_batches
from confianza.core.work import Part
from confianza.declarations.contracts import Declarant, NewDeclaration
from confianza.declarations.rules.records import (
    Amount,
    DeclarationKind,
    Filer,
    PayrollYear,
    Section,
    Service,
    StoredDeclaration,
    StoredItem,
)

_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])
_CHUNK = 5000
_FETCH = 20_000
_KINDS = {kind.value: kind for kind in DeclarationKind}
_SECTIONS = {section.value: section for section in Section}
_DECLARATION_COLUMNS = (
    "id", "source_id", "officer_id", "kind", "complete", "year", "filed_at", "institution",
    "position", "took_office", "public_income", "public_currency", "total_income",
    "total_currency", "household_income", "public_income_year_mxn", "total_income_year_mxn",
    "rates", "document", "imported_by", "imported_at")
_ITEM_COLUMNS = (
    "id", "declaration_id", "position", "section", "kind", "operation", "holders", "share",
    "acquired_on", "value", "currency", "value_mxn", "original_mxn", "acquisition", "payment",
    "identifier", "disposal", "description")


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _in_part(query: _Query, key: InstrumentedAttribute[int], part: Part | None) -> _Query:
    """The query's rows whose officer falls in `part` (all of them when None)."""
    return query if part is None else query.where(key % part.of == part.number)


def _figure(amount: Amount | None) -> str | None:
    return None if amount is None else format(amount.value, "f")


class DeclarationRepository:
    def __init__(self, session: Session, zone: Any = DEFAULT_ZONE) -> None:
        self.session = session
        self.zone = zone

    def declarants(self, curps: Sequence[str]) -> dict[str, Declarant]:
        found: dict[str, Declarant] = {}
        for chunk in _chunks(sorted(set(curps))):
            # Grouped per officer found, through the postings' officer index (not the whole
            # table grouped once per chunk).
            rows = self.session.execute(
                select(OfficerRow.curp, OfficerRow.id, func.min(AssignmentRow.start_date))
                .outerjoin(AssignmentRow, AssignmentRow.officer_id == OfficerRow.id)
                .where(OfficerRow.curp.in_(chunk))
                .group_by(OfficerRow.id, OfficerRow.curp))
            for curp, officer_id, start in rows:
                found[curp or ""] = Declarant(officer_id, start)
        return found

    def taken(self, officer_ids: Sequence[int]) -> set[tuple[int, DeclarationKind, int]]:
        taken = set()
        for chunk in _chunks(sorted(set(officer_ids))):
            for officer_id, kind, year in self.session.execute(
                    select(DeclarationRow.officer_id, DeclarationRow.kind, DeclarationRow.year)
                    .where(DeclarationRow.officer_id.in_(chunk))):
                taken.add((officer_id, DeclarationKind(kind), year))
        return taken

    def known_sources(self, source_ids: Sequence[str]) -> set[str]:
        known: set[str] = set()
        for chunk in _chunks(sorted(set(source_ids))):
            known.update(self.session.scalars(
                select(DeclarationRow.source_id).where(DeclarationRow.source_id.in_(chunk))))
        return known

    def add(self, declarations: Sequence[NewDeclaration], *, by: str, at: datetime) -> None:
        if not declarations:
            return
        writer = BulkWriter(self.session)
        writer.lock(["declarations", "declaration_items"])
        next_declaration = writer.next_id("declarations")
        next_item = writer.next_id("declaration_items")
        rows, items = [], []
        for offset, new in enumerate(declarations):
            d = new.declaration
            declaration_id = next_declaration + offset
            rows.append((
                declaration_id, d.source_id, new.officer_id, d.kind.value, d.complete,
                new.year, d.filed_at, d.institution[:300], d.position[:300], d.took_office,
                _figure(d.income.public), d.income.public.currency, _figure(d.income.total),
                d.income.total.currency, _figure(d.income.household), new.public_income_year,
                new.total_income_year, new.rates, new.document, by, at))
            for position, (item, (pesos, original)) in enumerate(zip(d.items, new.pesos,
                                                                      strict=True)):
                items.append((
                    next_item, declaration_id, position, item.section.value, item.kind,
                    item.operation, item.holders, item.share, item.acquired_on,
                    _figure(item.value), item.value.currency if item.value else None, pesos,
                    original, item.acquisition, item.payment, item.identifier, item.disposal,
                    item.description))
                next_item += 1
        writer.insert("declarations", _DECLARATION_COLUMNS, rows)
        writer.insert("declaration_items", _ITEM_COLUMNS, items)
        writer.finish(["declarations", "declaration_items"])

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(DeclarationRow)) or 0)

    def documents(self, officer_id: int, *, offset: int = 0, limit: int | None = None
                  ) -> tuple[list[str], int]:
        where = DeclarationRow.officer_id == officer_id
        total = self.session.scalar(select(func.count()).select_from(DeclarationRow)
                                    .where(where)) or 0
        query = (select(DeclarationRow.document).where(where)
                 .order_by(DeclarationRow.filed_at, DeclarationRow.id).offset(offset))
        if limit is not None:
            query = query.limit(limit)
        return list(self.session.scalars(query)), total

    def for_checks(self, officer_ids: Sequence[int] | None = None, *, lines: bool = True,
                   part: Part | None = None) -> Iterator[tuple[int, list[StoredDeclaration]]]:
        """Read through the connection (Core rows, no ORM loading): at the national scale the
        lines of the latest two declarations are millions of rows."""
        found = self._latest_items(officer_ids, part) if lines else {}
        query = (select(DeclarationRow.id, DeclarationRow.source_id, DeclarationRow.officer_id,
                        DeclarationRow.kind, DeclarationRow.complete, DeclarationRow.year,
                        DeclarationRow.filed_at, DeclarationRow.public_income_year_mxn,
                        DeclarationRow.total_income_year_mxn)
                 .order_by(DeclarationRow.officer_id, DeclarationRow.filed_at, DeclarationRow.id))
        if officer_ids is not None:
            query = query.where(DeclarationRow.officer_id.in_(sorted(set(officer_ids))))
        query = _in_part(query, DeclarationRow.officer_id, part)
        zone, kinds, none, parse = self.zone, _KINDS, (), datetime.fromisoformat
        current: int | None = None
        held: list[StoredDeclaration] = []
        # The driver's own rows (as the lines'): SQLite gives the instant as UTC text and the
        # flag as 0 or 1, read here as `UtcDateTime` and `Boolean` would.
        for batch in driver_batches(self.session, query, _FETCH):
            for (id_, source, officer, kind, complete, year, filed_at, public, total) in batch:
                if officer != current:
                    if current is not None:
                        yield current, held
                    current, held = officer, []
                if filed_at.__class__ is str:
                    filed_at = parse(filed_at + "+00:00")
                held.append(StoredDeclaration(
                    id_, source, officer, kinds[kind], bool(complete), year, filed_at,
                    filed_at.astimezone(zone).date(), public, total, found.get(id_, none)))
        if current is not None:
            yield current, held

    def _latest_items(self, officer_ids: Sequence[int] | None, part: Part | None
                      ) -> dict[int, tuple[StoredItem, ...]]:
        """The lines of each officer's latest two declarations, by declaration: one query,
        the latest two picked by a window over the officer's filing order."""
        order = func.row_number().over(
            partition_by=DeclarationRow.officer_id,
            order_by=(DeclarationRow.filed_at.desc(), DeclarationRow.id.desc())).label("n")
        ranked = select(DeclarationRow.id, order)
        if officer_ids is not None:
            ranked = ranked.where(DeclarationRow.officer_id.in_(sorted(set(officer_ids))))
        latest = _in_part(ranked, DeclarationRow.officer_id, part).subquery()
        i = DeclarationItemRow
        query = (select(i.declaration_id, i.section, i.kind, i.operation, i.acquired_on,
                        i.value_mxn, i.original_mxn, i.acquisition, i.payment, i.identifier,
                        i.disposal, i.description)
                 .join(latest, latest.c.id == i.declaration_id)
                 .where(latest.c.n <= 2))  # in no order: what the checks read is sets and sums
        # Millions of rows: read straight from the driver, in batches (server-side on
        # PostgreSQL); SQLite hands back the day as text, which is read here once.
        found: dict[int, list[StoredItem]] = defaultdict(list)
        sections, day, new = _SECTIONS, date.fromisoformat, StoredItem
        for batch in driver_batches(self.session, query, _FETCH):
            for (declaration, section, kind, operation, acquired, value, original,
                 acquisition, payment, identifier, disposal, description) in batch:
                if acquired.__class__ is str:
                    acquired = day(acquired[:10])
                found[declaration].append(new(
                    sections[section], kind, operation, acquired, value, original,
                    acquisition, payment, identifier, disposal, description))
        return {key: tuple(value) for key, value in found.items()}

    def document(self, declaration_id: int) -> tuple[int, str] | None:
        """A declaration's officer and its S1 document as kept."""
        row = self.session.execute(
            select(DeclarationRow.officer_id, DeclarationRow.document)
            .where(DeclarationRow.id == declaration_id)).first()
        return None if row is None else (row[0], row[1])

    def names(self, officer_ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
        """Officers' full names and CURPs, for a list."""
        found = {}
        for chunk in _chunks(sorted(set(officer_ids))):
            for officer, given, first, second, curp in self.session.execute(
                    select(OfficerRow.id, OfficerRow.given_names, OfficerRow.first_surname,
                           OfficerRow.second_surname, OfficerRow.curp)
                    .where(OfficerRow.id.in_(chunk))):
                found[officer] = (" ".join(p for p in (given, first, second) if p), curp)
        return found

    def services(self, officer_ids: Sequence[int] | None = None, *,
                 state_code: str | None = None, agency_id: int | None = None,
                 part: Part | None = None) -> dict[int, Service]:
        """Officers' service (all, these, or those who ever served in a state or agency: the
        caller keeps those whose latest posting is there)."""
        query = (select(AssignmentRow.officer_id, AssignmentRow.start_date,
                        AssignmentRow.end_date, AssignmentRow.rank, AgencyRow.level,
                        AssignmentRow.end_reason, AgencyRow.id, AgencyRow.state_code)
                 .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id)
                 .where(AssignmentRow.kind == "full_time")
                 .order_by(AssignmentRow.officer_id, AssignmentRow.start_date))
        if officer_ids is not None:
            query = query.where(AssignmentRow.officer_id.in_(sorted(set(officer_ids))))
        if state_code is not None or agency_id is not None:
            there = (select(AssignmentRow.officer_id)
                     .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id))
            there = there.where(AgencyRow.state_code == state_code) if state_code is not None \
                else there.where(AgencyRow.id == agency_id)
            query = query.where(AssignmentRow.officer_id.in_(there))
        query = _in_part(query, AssignmentRow.officer_id, part)
        postings: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for officer, *posting in self.session.execute(query):
            postings[officer].append(tuple(posting))
        services = {}
        for officer, held in postings.items():
            ends = [p[1] for p in held]
            left = None if any(end is None for end in ends) else max(e for e in ends if e)
            last = max(held, key=lambda p: p[1] or date.max) if left is not None else None
            services[officer] = Service(officer, held[0][0], left, held[-1][3],
                                        tuple((p[0], p[2]) for p in held),
                                        last[4] if last is not None else None,
                                        held[-1][5], held[-1][6])
        return services

    def filers(self) -> dict[int, Filer]:
        """Every officer with a CURP as the S1 form names them, with the agency of their latest
        full-time posting."""
        rows = self.session.execute(
            select(OfficerRow.id, OfficerRow.curp, OfficerRow.given_names,
                   OfficerRow.first_surname, OfficerRow.second_surname, AgencyRow.name)
            .join(AssignmentRow, AssignmentRow.officer_id == OfficerRow.id)
            .join(AgencyRow, AgencyRow.id == AssignmentRow.agency_id)
            .where(OfficerRow.curp.is_not(None), AssignmentRow.kind == "full_time")
            .order_by(OfficerRow.id, AssignmentRow.start_date))
        found = {}
        for officer, curp, given, first, second, agency in rows:
            names = " ".join(p for p in (given, first, second) if p)
            found[officer] = Filer(officer, curp or "", names, agency)
        return found


    # The imported payroll (ADR 0038, addendum 4) -------------------------------------------
    def replace_payroll(self, source: str, rows: Sequence[tuple[Any, ...]], *, by: str,
                        at: datetime) -> int:
        """Store a payroll's rows (officer, year, gross, currency, pesos, file, sha256, line):
        the source's rows for the years these hold are deleted first, so a second edition
        replaces the first's years and leaves its other years alone. Returns how many rows
        were replaced."""
        years = sorted({row[1] for row in rows})
        replaced = 0
        for chunk in _chunks(years):
            result = self.session.execute(
                delete(PayrollRow).where(PayrollRow.source == source, PayrollRow.year.in_(chunk)))
            replaced += int(getattr(result, "rowcount", 0) or 0)
        if rows:
            writer = BulkWriter(self.session)
            writer.lock(["payroll"])
            first = writer.next_id("payroll")
            writer.insert("payroll", (
                "id", "officer_id", "year", "gross", "currency", "gross_mxn", "file_name",
                "file_sha256", "line", "source", "imported_by", "imported_at"),
                [(first + n, *row, source, by, at) for n, row in enumerate(rows)])
            writer.finish(["payroll"])
        return replaced

    def payroll(self, officer_ids: Sequence[int] | None = None, *, part: Part | None = None
                ) -> dict[int, dict[int, PayrollYear]]:
        """Officers' imported pay by year; of two payrolls giving one year, the later import."""
        query = (select(PayrollRow.officer_id, PayrollRow.year, PayrollRow.gross,
                        PayrollRow.currency, PayrollRow.gross_mxn, PayrollRow.source,
                        PayrollRow.file_name)
                 .order_by(PayrollRow.imported_at, PayrollRow.id))
        query = _in_part(query, PayrollRow.officer_id, part)
        found: dict[int, dict[int, PayrollYear]] = defaultdict(dict)
        if officer_ids is None:
            batches: list[Sequence[int] | None] = [None]
        else:
            batches = list(_chunks(sorted(set(officer_ids))))
        for chunk in batches:
            where = query if chunk is None else query.where(PayrollRow.officer_id.in_(chunk))
            for officer, year, gross, currency, pesos, source, file_name in (
                    self.session.execute(where)):
                found[officer][year] = PayrollYear(year, gross, currency, pesos, source,
                                                   file_name)
        return dict(found)
