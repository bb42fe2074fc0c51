"""A payroll file read under its mapping, and what the registry's service says of each row
(ADR 0038, addendum 4). Pure.

Every fault is named `file:line:column` with the value at fault: an amount that is not one,
a currency the deployment cannot convert, a year that is not one, the same officer and year
twice in the file, a year outside the officer's service. Whether the rows are linked is not a
fault: a row whose person matches no officer, or more than one, is counted and named apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from confianza.core.errors import FieldError, ValidationFailed
from confianza.declarations.rules.money import unknown_currency
from confianza.declarations.rules.payroll_mapping import FileSpec, OfficerBy, PayrollMapping
from confianza.declarations.rules.records import Service
from confianza.integrity.rules.complaints import AccusedIdentity
from confianza.integrity.rules.file_mapping import column_positions, whole_in, year_in
from confianza.registry.rules.roster_file import RosterFile

#: 54672, 54672.0, 54,672.00, $54,672: the forms a payroll writes a yearly amount in.
_AMOUNT = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class PayRow:
    """One row of a payroll: who (as the file names them), the year, the gross pay."""

    line: int
    key: str | None  # the CURP, or the other authority's id (officer.by = curp, profile)
    identity: AccusedIdentity | None  # officer.by = identity
    year: int
    gross: Decimal
    currency: str


@dataclass(frozen=True)
class Read:
    rows: tuple[PayRow, ...]
    faults: tuple[FieldError, ...]  # of the rows left out (every fault of each)


class _Cells:
    """One file's mapped fields read from its rows, every fault collected."""

    def __init__(self, file: RosterFile, spec: FileSpec, mapping_source: str,
                 today: date) -> None:
        rows = file.rows(spec.delimiter)
        try:
            _, header = next(rows)
        except StopIteration:
            raise ValidationFailed(FieldError(f"{file.name}:1", "the file has no header")
                                   ) from None
        index = column_positions(spec.columns(), mapping_source, header, file.name)
        self.rows, self.file, self.today = rows, file, today
        self.header = list(header)
        self.at = {name: tuple(index[c] for c in s.columns) for name, s in spec.fields.items()}
        self.specs = spec.fields
        self.line = 0
        self.cells: Sequence[str] = ()
        self.faults: list[FieldError] = []

    def start(self, line: int, cells: Sequence[str]) -> None:
        self.line, self.cells, self.faults = line, cells, []
        if self.file.undecodable:
            self.faults += self.file.encoding_errors(self.header, list(cells), line)

    def fault(self, name: str, reason: str) -> None:
        where = "|".join(self.specs[name].columns) or f"({name})"
        self.faults.append(FieldError(f"{self.file.name}:{self.line}:{where}", reason))

    def _cell(self, at: int) -> str:
        return self.cells[at].strip() if at < len(self.cells) else ""

    def text(self, name: str) -> str | None:
        spec = self.specs.get(name)
        if spec is None:
            return None
        if spec.constant is not None:
            return spec.constant
        value = " ".join(c for c in (self._cell(at) for at in self.at[name]) if c)
        mapped, listed = spec.mapped(value)
        if not listed:
            self.fault(name, f"{value!r} is not a value the mapping lists")
            return None
        return mapped

    def required(self, name: str) -> str | None:
        before = len(self.faults)
        value = self.text(name)
        if value is None and len(self.faults) == before:  # blank, not refused by the map
            self.fault(name, f"{name} is blank")
        return value

    def whole(self, name: str) -> str | None:
        text = self.text(name)
        return None if text is None else whole_in(text)

    def year(self, name: str) -> int | None:
        text = self.text(name)
        if text is None:
            return None
        year = year_in(text)
        if year is None:
            self.fault(name, f"{text!r} is not a year")
        return year

    def day(self, name: str) -> date | None:
        spec = self.specs.get(name)
        if spec is None:
            return None
        text = spec.constant or next((c for c in (self._cell(at) for at in self.at[name])
                                      if c), "")
        if not text:
            return None
        try:
            read = spec.date_of(text)
        except ValueError:
            self.fault(name, f"{text!r} is not a date ({spec.format})")
            return None
        if "%y" in spec.format and read > self.today:
            # A two-digit year that would be in the future is of the century before
            # (Chicago's profiles write 6/3/50 for 1950, which strptime reads as 2050).
            read = read.replace(year=read.year - 100)
        return read


def _identity(cells: _Cells) -> AccusedIdentity:
    return AccusedIdentity(
        given_names=cells.text("given_names") or "",
        first_surname=cells.required("first_surname") or "",
        star=cells.whole("star"), birth_year=cells.year("birth_year"),
        appointed_date=cells.day("appointed_date"))


def amount(text: str) -> Decimal | None:
    """A yearly amount as a payroll writes it (thousands with commas, a dollar sign), or None
    when it is not one or not above zero."""
    found = _AMOUNT.match(text.strip())
    if found is None:
        return None
    try:
        value = Decimal(found.group(1).replace(",", "") + (found.group(2) or ""))
    except InvalidOperation:
        return None
    return value if value > 0 else None


def read_profiles(file: RosterFile, mapping: PayrollMapping, today: date
                  ) -> tuple[dict[str, AccusedIdentity], list[FieldError]]:
    """The profiles file: each key's identity as the file names it. A profile with a fault is
    left out (with the fault named); its payroll rows then link to nobody and are counted."""
    assert mapping.profile is not None
    cells = _Cells(file, mapping.profile, mapping.source, today)
    found: dict[str, AccusedIdentity] = {}
    first: dict[str, int] = {}
    faults: list[FieldError] = []
    for line, row in cells.rows:
        if not row:
            continue
        cells.start(line, row)
        key = cells.whole("key")
        if key is None:
            cells.fault("key", "key is blank")
        identity = _identity(cells)
        if key is not None and first.setdefault(key, line) != line:
            cells.fault("key", f"key {key!r} repeats line {first[key]}")
            found.pop(key, None)  # which of the two is the person is not ours to guess
        if cells.faults:
            faults += cells.faults
        elif key is not None and first[key] == line:
            found[key] = identity
    return found, faults


def read_payroll(file: RosterFile, mapping: PayrollMapping, rates: Mapping[str, Decimal],
                 today: date) -> Read:
    """Every row of the payroll file, or its faults: each row with a fault is left out, and
    every fault of it named."""
    cells = _Cells(file, mapping.payroll, mapping.source, today)
    rows: list[PayRow] = []
    faults: list[FieldError] = []
    for line, row in cells.rows:
        if not row or not any(c.strip() for c in row):
            continue
        cells.start(line, row)
        key: str | None = None
        identity = None
        if mapping.by is OfficerBy.CURP:
            key = (cells.required("curp") or "").upper() or None
        elif mapping.by is OfficerBy.PROFILE:
            key = cells.whole("key")
            if key is None:
                cells.fault("key", "key is blank")
        else:
            identity = _identity(cells)
        year = cells.year("year")
        if year is None and not cells.faults:
            cells.fault("year", "year is blank")
        elif year is not None and year > today.year:
            cells.fault("year", f"{year} is after this year ({today.year})")
        gross_text = cells.text("gross")
        gross = None if gross_text is None else amount(gross_text)
        if gross is None:
            cells.fault("gross", f"{gross_text!r} is not a yearly amount above zero"
                        if gross_text is not None else "gross is blank")
        currency = (cells.text("currency") or "").strip().upper()
        why = unknown_currency(currency, rates) if currency else "currency is blank"
        if why is not None:
            cells.fault("currency", why)
        if cells.faults or year is None or gross is None:
            faults += cells.faults
            continue
        rows.append(PayRow(line, key, identity, year, gross, currency))
    if not rows and not faults:
        raise ValidationFailed(FieldError(f"{file.name}:2", "the file has no rows"))
    return Read(tuple(rows), tuple(faults))


def against_service(rows: Sequence[tuple[PayRow, int]], services: Mapping[int, Service],
                    file_name: str, mapping: PayrollMapping) -> list[FieldError]:
    """The faults of linked rows (row, officer): a year outside the officer's service (from
    the year they took office to the year they left), and an officer's year twice."""
    year_column = "|".join(mapping.payroll.fields["year"].columns) or "(year)"
    faults = []
    lines: dict[tuple[int, int], list[int]] = {}
    for row, officer_id in rows:
        lines.setdefault((officer_id, row.year), []).append(row.line)
    for row, officer_id in rows:
        where = f"{file_name}:{row.line}:{year_column}"
        # Every row of a repeated year is at fault: which one is the pay is not ours to guess.
        others = [n for n in lines[(officer_id, row.year)] if n != row.line]
        if others:
            faults.append(FieldError(where, f"officer {officer_id}'s {row.year} is also on "
                                     f"line {', '.join(map(str, others))}"))
        service = services.get(officer_id)
        if service is None:
            faults.append(FieldError(where, f"officer {officer_id} has no posting in the "
                                     "registry: their years of service are unknown"))
            continue
        last = service.left_on.year if service.left_on is not None else None
        if row.year < service.took_office.year or (last is not None and row.year > last):
            span = f"{service.took_office.year}-{last if last is not None else 'now'}"
            faults.append(FieldError(where, f"{row.year} is outside officer {officer_id}'s "
                                     f"service ({span})"))
    return faults
