"""Complaint files read into plain records: complaints, and the officers accused in them.

Pure: the decoded file (`registry.rules.roster_file.RosterFile`, gzip and encoding handled
there) and a checked mapping (`complaints_mapping`) go in; frozen records and the faults of
every bad row come out. A file with faults is refused whole, every fault listed as
`file:line:column`, unless the mapping or the caller asks to leave those rows out — then they
are counted and still named, never dropped in silence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from confianza.core.errors import FieldError, ValidationFailed
from confianza.integrity.rules.complaints_mapping import (
    ISO_DATE,
    VOCABULARIES,
    ComplaintMapping,
    FieldSpec,
    FileKind,
)
from confianza.registry.rules.roster_file import RosterFile

_WHOLE = re.compile(r"^\s*(\d+)(?:\.0*)?\s*$")


@dataclass(frozen=True, slots=True)
class Complaint:
    """One complaint as its file gives it."""

    key: str
    line: int
    channel: str  # complaints_mapping.CHANNELS
    incident_date: date | None = None
    complaint_date: date | None = None
    closed_date: date | None = None
    place: str | None = None
    beat: str | None = None
    case_type: str | None = None

    @property
    def civilian(self) -> bool:
        return self.channel == "civilian"

    @property
    def date(self) -> date | None:
        """The day the complaint is dated by: when it happened, else when it was made."""
        return self.incident_date or self.complaint_date


@dataclass(frozen=True, slots=True)
class AccusedIdentity:
    """Who is accused, exactly as the file names them: nothing here is a registry fact."""

    given_names: str
    first_surname: str
    star: str | None = None
    birth_year: int | None = None
    appointed_date: date | None = None
    race: str | None = None
    sex: str | None = None  # complaints_mapping.SEXES


@dataclass(frozen=True, slots=True)
class Accusation:
    """One accused officer and one allegation of a complaint, with its outcome."""

    key: str
    line: int
    complaint: str
    identity: AccusedIdentity
    allegation: str  # a key of the allegation catalogue (complaints_mapping.ALLEGATIONS)
    finding: str  # complaints_mapping.FINDINGS
    allegation_text: str | None = None  # the file's own words, kept beside the catalogue key
    finding_text: str | None = None
    discipline: str | None = None
    status: str | None = None


_T = TypeVar("_T")


@dataclass(frozen=True)
class ReadFile(Generic[_T]):
    """What a file gave: its records, and the rows left out (with why) when that was asked."""

    records: tuple[_T, ...]
    left_out: tuple[FieldError, ...] = ()

    @property
    def left_out_rows(self) -> int:
        return len({fault.location.rsplit(":", 1)[0] for fault in self.left_out})


_Record = TypeVar("_Record", Complaint, Accusation)


class _Row:
    """Reads the mapped fields of one row, collecting every fault rather than stopping."""

    def __init__(self, mapping: ComplaintMapping, header: Sequence[str], source: str) -> None:
        index: dict[str, int] = {}
        for i, name in enumerate(header):
            index.setdefault(name.strip(), i)
        missing = [c for c in mapping.columns() if c not in index]
        if missing:
            raise ValidationFailed([
                FieldError(f"{source}:1:{c}", f"the file has no column {c!r} (the mapping "
                           f"{mapping.source} names it)") for c in missing])
        # Each field's columns as positions, found once: a file has 100,000 rows of ten fields.
        self._columns = {name: tuple(index[c] for c in spec.columns)
                         for name, spec in mapping.fields.items()}
        self._mapping = mapping
        self._source = source
        self.row: Sequence[str] = ()
        self.line = 0
        self.faults: list[FieldError] = []

    def start(self, row: Sequence[str], line: int) -> None:
        self.row, self.line, self.faults = row, line, []

    def _where(self, spec: FieldSpec) -> str:
        return f"{self._source}:{self.line}:{'|'.join(spec.columns) or '(constant)'}"

    def _joined(self, name: str) -> str:
        """The field's cells, stripped, the non-blank ones joined by a space."""
        row, columns = self.row, self._columns[name]
        if len(columns) == 1:
            at = columns[0]
            return row[at].strip() if at < len(row) else ""
        cells = (row[at].strip() if at < len(row) else "" for at in columns)
        return " ".join(c for c in cells if c)

    def _first(self, name: str) -> str:
        """The field's first non-blank cell."""
        row = self.row
        for at in self._columns[name]:
            cell = row[at].strip() if at < len(row) else ""
            if cell:
                return cell
        return ""

    def text(self, name: str) -> str | None:
        """A field's text after its pattern and value map; None when blank."""
        spec = self._mapping.fields.get(name)
        if spec is None:
            return None
        if spec.constant is not None:
            return spec.constant
        value = self._joined(name)
        if spec.pattern is not None and value:
            found = spec.pattern.search(value)
            value = (found.group(1) if found and found.groups() else
                     found.group(0) if found else value).strip()
        vocabulary = VOCABULARIES.get(name)
        if not value:
            return spec.blank
        if spec.values is not None:
            mapped = spec.values.get(value.upper())
            if mapped is not None:
                return mapped
            if spec.default is not None:
                return spec.default
            if vocabulary is not None or spec.values:
                self.faults.append(FieldError(self._where(spec), f"{value!r} is not a value "
                                              f"the mapping knows for {name}"))
                return None
        return value

    def raw(self, name: str) -> str | None:
        """A field's cells as written (joined), for the file's own words beside a key."""
        spec = self._mapping.fields.get(name)
        if spec is None:
            return None
        if spec.constant is not None:
            return spec.constant
        return self._joined(name) or None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            spec = self._mapping.fields[name]
            if not any(f.location == self._where(spec) for f in self.faults):
                self.faults.append(FieldError(self._where(spec), f"{name} is blank"))
            return ""
        return value

    def date(self, name: str) -> date | None:
        spec = self._mapping.fields.get(name)
        if spec is None:
            return None
        text = self._first(name) if spec.columns else (spec.constant or "")
        if not text:
            return None
        try:
            # fromisoformat is ten times faster than strptime, and the ISO form is the usual.
            if spec.format == ISO_DATE and len(text) == 10:
                return date.fromisoformat(text)
            return datetime.strptime(text, spec.format).date()
        except ValueError:
            self.faults.append(FieldError(self._where(spec), f"{text!r} is not a date "
                                          f"({spec.format})"))
            return None

    def year(self, name: str) -> int | None:
        spec = self._mapping.fields.get(name)
        text = self.text(name)
        if text is None or spec is None:
            return None
        found = _WHOLE.match(text)
        if found is None or not 1900 <= int(found.group(1)) <= 2100:
            self.faults.append(FieldError(self._where(spec), f"{text!r} is not a year"))
            return None
        return int(found.group(1))

    def whole(self, name: str) -> str | None:
        """A number the file writes as a decimal ("2235.0") kept as the whole number it is."""
        text = self.text(name)
        if text is None:
            return None
        found = _WHOLE.match(text)
        return found.group(1) if found else text


def _complaint(row: _Row) -> Complaint:
    return Complaint(
        key=row.required("key"), line=row.line, channel=row.required("channel"),
        incident_date=row.date("incident_date"), complaint_date=row.date("complaint_date"),
        closed_date=row.date("closed_date"), place=row.text("place"), beat=row.whole("beat"),
        case_type=row.text("case_type"),
    )


def _accusation(row: _Row) -> Accusation:
    identity = AccusedIdentity(
        given_names=row.text("given_names") or "", first_surname=row.text("first_surname") or "",
        star=row.whole("star"), birth_year=row.year("birth_year"),
        appointed_date=row.date("appointed_date"), race=row.text("race"), sex=row.text("sex"),
    )
    return Accusation(
        key=row.required("key"), line=row.line, complaint=row.required("complaint"),
        identity=identity, allegation=row.required("allegation"),
        finding=row.required("finding"),
        allegation_text=row.raw("allegation_text") or row.raw("allegation"),
        finding_text=row.raw("finding_text") or row.raw("finding"),
        discipline=row.text("discipline"), status=row.text("status"),
    )


def _read(file: RosterFile, mapping: ComplaintMapping, kind: FileKind,
          convert: Callable[[_Row], _Record], skip_invalid: bool) -> ReadFile[_Record]:
    if mapping.kind is not kind:
        raise ValidationFailed(FieldError(mapping.source, f"is a mapping of a {mapping.kind} "
                                          f"file, not of a {kind} file"))
    rows: Iterator[tuple[int, list[str]]] = file.rows(mapping.delimiter)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ValidationFailed(FieldError(f"{file.name}:1", "the file has no header")) from None
    reader = _Row(mapping, header, file.name)
    records: list[_Record] = []
    faults: list[FieldError] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        if not cells:
            continue
        reader.start(cells, line)
        if file.undecodable:
            reader.faults += file.encoding_errors(list(header), cells, line)
        record = convert(reader)
        first = seen.setdefault(record.key, line)
        if first != line and record.key:
            reader.faults.append(FieldError(f"{file.name}:{line}:{_key_column(mapping)}",
                                            f"key {record.key!r} repeats line {first}"))
        if reader.faults:
            faults += reader.faults
        else:
            records.append(record)
    if not records and not faults:
        raise ValidationFailed(FieldError(f"{file.name}:2", "the file has no rows"))
    if faults and not (skip_invalid or mapping.skip_unknown):
        raise ValidationFailed(faults, f"{file.name}: {len(faults)} faults, nothing read "
                               "(name them in the mapping, or ask to skip those rows)")
    return ReadFile(tuple(records), tuple(faults))


def _key_column(mapping: ComplaintMapping) -> str:
    return "|".join(mapping.fields["key"].columns) or "key"


def read_complaints(file: RosterFile, mapping: ComplaintMapping, *,
                    skip_invalid: bool = False) -> ReadFile[Complaint]:
    """The complaints of a complaints file, or every fault of it (ValidationFailed)."""
    return _read(file, mapping, FileKind.COMPLAINTS, _complaint, skip_invalid)


def read_accused(file: RosterFile, mapping: ComplaintMapping, *,
                 skip_invalid: bool = False) -> ReadFile[Accusation]:
    """The accusations of an accused file, or every fault of it (ValidationFailed)."""
    return _read(file, mapping, FileKind.ACCUSED, _accusation, skip_invalid)
