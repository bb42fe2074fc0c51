"""Another authority's sanctions list read into plain records, every bad row named.

Pure: the decoded file (`registry.rules.roster_file.RosterFile`) and a checked mapping
(`outside_sanctions_mapping`) go in; frozen records, or every fault of every row, come out.
The import is whole or nothing: one fault and nothing is read, each fault named
`file:line:column` with the value and why (ADR 0026's rule, kept without `--skip-invalid`: a
sanction left out silently is worse than a list sent back to be corrected).

Each record carries a digest of what identifies it — the authority and the file's own key
when the mapping gives one, else the authority and every mapped value — so the same row of
the same list, imported twice, is recognised and left as it is (ADR 0036).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from confianza.core.errors import FieldError, ValidationFailed
from confianza.integrity.rules.file_mapping import FieldSpec, column_positions, year_in
from confianza.integrity.rules.outside_sanctions_mapping import SanctionMapping
from confianza.registry.rules.officers import fold
from confianza.registry.rules.roster_file import RosterFile

_CURP = re.compile(r"^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d$")
AUTHORITY_MAX = 200
#: What the terminal, the page and a refusal show at most of a file's faults at once.
FAULTS_SHOWN = 20


class OutsideStatus(StrEnum):
    """Where a record stands: linked to an officer (by CURP, by agreeing facts, or by a
    reviewer), waiting for review, matched to nobody, or found by a reviewer to be none of the
    registry's officers."""

    LINKED = "linked"
    REVIEW = "review"
    UNMATCHED = "unmatched"
    REJECTED = "rejected"


class LinkedBy(StrEnum):
    CURP = "curp"
    FACTS = "facts"  # name, full birth date and employer, one officer only
    REVIEWER = "reviewer"


@dataclass(frozen=True, slots=True)
class OutsideSanction:
    """One row of another authority's list, as the file gives it (nothing here is a registry
    fact), with the names folded into words for the matcher."""

    line: int
    digest: str
    authority: str
    kind: str  # outside_sanctions_mapping.KINDS
    name: str  # as written: the full name, or the parts joined
    name_words: tuple[str, ...]  # folded words of the name, in the file's order
    start_date: date
    end_date: date | None = None
    key: str | None = None
    file_number: str | None = None
    curp: str | None = None
    birth_date: date | None = None
    birth_year: int | None = None
    employer: str | None = None
    agency_code: str | None = None  # the employer as a registry agency, when it could be named
    position: str | None = None
    finding: str | None = None


class _Row:
    """Reads the mapped fields of one row, collecting every fault rather than stopping."""

    def __init__(self, mapping: SanctionMapping, header: Sequence[str], source: str) -> None:
        index = column_positions(mapping.columns(), mapping.source, header, source)
        self._columns = {name: tuple(index[c] for c in spec.columns)
                         for name, spec in mapping.fields.items()}
        self._mapping = mapping
        self._source = source
        self.row: Sequence[str] = ()
        self.line = 0
        self.faults: list[FieldError] = []

    def start(self, row: Sequence[str], line: int) -> None:
        self.row, self.line, self.faults = row, line, []

    def where(self, name: str) -> str:
        spec = self._mapping.fields.get(name)
        columns = "|".join(spec.columns) if spec is not None else ""
        return f"{self._source}:{self.line}:{columns or name}"

    def fault(self, name: str, reason: str) -> None:
        self.faults.append(FieldError(self.where(name), reason))

    def _cells(self, name: str) -> list[str]:
        row = self.row
        return [row[at].strip() if at < len(row) else "" for at in self._columns[name]]

    def text(self, name: str) -> str | None:
        """A field's text after its value map; None when blank."""
        spec = self._mapping.fields.get(name)
        if spec is None:
            return None
        if spec.constant is not None:
            return spec.constant
        value = " ".join(c for c in self._cells(name) if c)
        if not value:
            return spec.blank
        if spec.values is not None:
            mapped = spec.values.get(value.upper())
            if mapped is not None:
                return mapped
            if spec.default is not None:
                return spec.default
            if name == "kind" or spec.values:
                self.fault(name, f"{value!r} is not a value the mapping knows for {name} "
                           f"(known: {', '.join(sorted(spec.values)) or 'none'})")
                return None
        return value

    def day(self, name: str) -> date | None:
        spec = self._mapping.fields.get(name)
        if spec is None:
            return None
        text = next((c for c in self._cells(name) if c), "") if spec.columns else (
            spec.constant or "")
        if not text:
            return None
        return self._parse(name, spec, text)

    def _parse(self, name: str, spec: FieldSpec, text: str) -> date | None:
        try:
            return spec.date_of(text)
        except ValueError:
            self.fault(name, f"{text!r} is not a date ({spec.format})")
            return None

    def year(self, name: str) -> int | None:
        text = self.text(name)
        if text is None:
            return None
        year = year_in(text)
        if year is None:
            self.fault(name, f"{text!r} is not a year")
        return year


def _name(row: _Row, mapping: SanctionMapping) -> str:
    if "full_name" in mapping.fields:
        return row.text("full_name") or ""
    parts = (row.text("given_names"), row.text("first_surname"), row.text("second_surname"))
    return " ".join(p for p in parts if p)


def _digest(*parts: object) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record(row: _Row, mapping: SanctionMapping, authority: str | None,
            today: date) -> OutsideSanction | None:
    name = _name(row, mapping)
    words = tuple(fold(name).replace(".", " ").replace(",", " ").split())
    if not words:
        row.fault("full_name" if "full_name" in mapping.fields else "first_surname",
                  "the person's name is blank")
    elif "first_surname" in mapping.fields and not row.text("first_surname"):
        row.fault("first_surname", "the first surname is blank")
    kind = row.text("kind")
    if kind is None and not any(f.location == row.where("kind") for f in row.faults):
        row.fault("kind", "the kind of sanction is blank")
    start, end = row.day("start_date"), row.day("end_date")
    if start is None and not any(f.location == row.where("start_date") for f in row.faults):
        row.fault("start_date", "the sanction's start date is blank")
    if start is not None and end is not None and end < start:
        row.fault("end_date", f"{end.isoformat()} is before the start, {start.isoformat()}")
    if start is not None and start > today:
        row.fault("start_date", f"{start.isoformat()} is in the future")
    curp = row.text("curp")
    if curp is not None:
        curp = curp.upper().replace(" ", "")
        if not _CURP.match(curp):
            row.fault("curp", f"{curp!r} is not a CURP (18 characters: four letters, the birth "
                      "date as YYMMDD, H, M or X, five letters, a character and a digit)")
    born, year = row.day("birth_date"), row.year("birth_year")
    if born is not None:
        if year is not None and year != born.year:
            row.fault("birth_year", f"{year} disagrees with the birth date {born.isoformat()}")
        year = born.year
        if born >= today:
            row.fault("birth_date", f"{born.isoformat()} is not a past date")
    who = row.text("authority") or authority
    if who is None:
        row.fault("authority", "no authority: map its column, name it in the mapping's "
                  "[list] authority, or give --authority")
    elif len(who) > AUTHORITY_MAX:
        row.fault("authority", f"longer than {AUTHORITY_MAX} characters")
    employer = row.text("employer")
    key = row.text("key")
    if row.faults or kind is None or start is None or who is None:
        return None
    agency = mapping.employers.get(fold(employer)) if employer else None
    file_number = row.text("file_number")
    position, finding = row.text("position"), row.text("finding")
    digest = _digest("key", fold(who), key) if key else _digest(
        "row", fold(who), kind, " ".join(words), curp, born, year, fold(employer or ""),
        start, end, file_number)
    return OutsideSanction(
        line=row.line, digest=digest, authority=who, kind=kind, name=name, name_words=words,
        start_date=start, end_date=end, key=key, file_number=file_number, curp=curp,
        birth_date=born, birth_year=year, employer=employer, agency_code=agency,
        position=position, finding=finding)


def read_sanctions(file: RosterFile, mapping: SanctionMapping, *, today: date,
                   authority: str | None = None) -> tuple[OutsideSanction, ...]:
    """Every record of the list, or every fault of it (ValidationFailed). `authority` (the
    command's) stands in for the mapping's when no column names one."""
    rows = file.rows(mapping.delimiter)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ValidationFailed(FieldError(f"{file.name}:1", "the file has no header")) from None
    reader = _Row(mapping, header, file.name)
    who = (authority or "").strip() or mapping.authority
    records: list[OutsideSanction] = []
    faults: list[FieldError] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        reader.start(cells, line)
        if file.undecodable:
            reader.faults += file.encoding_errors(list(header), cells, line)
        record = _record(reader, mapping, who, today)
        if record is not None:
            first = seen.setdefault(record.digest, line)
            if first != line:
                reader.fault("key" if record.key else "full_name" if "full_name" in
                             mapping.fields else "first_surname",
                             f"repeats line {first} (the same person and sanction)")
        if reader.faults:
            faults += reader.faults
        elif record is not None:
            records.append(record)
    if not records and not faults:
        raise ValidationFailed(FieldError(f"{file.name}:2", "the file has no rows"))
    if faults:
        rows_at_fault = len({f.location.rsplit(":", 1)[0] for f in faults})
        raise ValidationFailed(faults, f"{file.name}: {len(faults)} faults in {rows_at_fault} "
                               "rows, nothing imported (correct the file or the mapping)")
    return tuple(records)
