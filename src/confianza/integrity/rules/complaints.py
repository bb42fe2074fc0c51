"""Complaint files read into plain records: complaints, and the officers accused in them.

Pure: the decoded file (`registry.rules.roster_file.RosterFile`, gzip and encoding handled
there) and a checked mapping (`complaints_mapping`) go in; frozen records and the faults of
every bad row come out. A file with faults is refused whole, every fault listed as
`file:line:column`, unless the mapping or the caller asks to leave those rows out — then they
are counted and still named, never dropped in silence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from confianza.core.errors import FieldError, ValidationFailed
from confianza.integrity.rules.complaints_mapping import (
    VOCABULARIES,
    ComplaintMapping,
    FileKind,
)
from confianza.integrity.rules.file_mapping import FieldSpec, column_positions, whole_in, year_in
from confianza.registry.rules.roster_file import RosterFile


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


class _Fault:
    """A value a field's map refuses, kept with why (the row gives the place)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Plan:
    """How one field is read, worked out once per file: its columns as positions and, for a
    field with a pattern or a value map, what each distinct cell came to. A file of 100,000
    rows holds a few dozen categories, findings, sexes and years: each is mapped once, and
    every other row is a dictionary lookup (reading the files was most of an import)."""

    __slots__ = ("spec", "name", "at", "columns", "constant", "blank", "plain", "memo",
                 "where")

    def __init__(self, name: str, spec: FieldSpec, columns: tuple[int, ...]) -> None:
        self.spec, self.name, self.columns = spec, name, columns
        self.at = columns[0] if len(columns) == 1 else -1
        self.constant, self.blank = spec.constant, spec.blank
        self.plain = spec.pattern is None and spec.values is None
        self.memo: dict[str, str | _Fault | None] = {}
        self.where = "|".join(spec.columns) or "(constant)"

    def mapped(self, value: str) -> str | _Fault | None:
        """A non-blank cell's text after the pattern and the value map."""
        mapped, listed = self.spec.mapped(value)
        if not listed and (VOCABULARIES.get(self.name) is not None or self.spec.values):
            return _Fault(f"{value!r} is not a value the mapping knows for {self.name}")
        return mapped


class _Row:
    """Reads the mapped fields of one row, collecting every fault rather than stopping."""

    def __init__(self, mapping: ComplaintMapping, header: Sequence[str], source: str) -> None:
        index = column_positions(mapping.columns(), mapping.source, header, source)
        # Each field's columns as positions, found once: a file has 100,000 rows of ten fields.
        self._plans = {name: _Plan(name, spec, tuple(index[c] for c in spec.columns))
                       for name, spec in mapping.fields.items()}
        # A short row is read as if its missing cells were blank.
        self._width = max((at for p in self._plans.values() for at in p.columns), default=-1) + 1
        self._pad = [""] * self._width
        self._source = source
        self._years: dict[str, int] = {}  # a year cell as written, and the year (0: none)
        self.row: Sequence[str] = ()
        self.line = 0
        self.faults: list[FieldError] = []

    def start(self, row: Sequence[str], line: int) -> None:
        if len(row) < self._width:
            row = [*row, *self._pad[len(row):]]
        self.row, self.line, self.faults = row, line, []

    def _fault(self, plan: _Plan, reason: str) -> None:
        self.faults.append(FieldError(f"{self._source}:{self.line}:{plan.where}", reason))

    def _joined(self, plan: _Plan) -> str:
        """The field's cells, stripped, the non-blank ones joined by a space."""
        row = self.row
        if plan.at >= 0:
            return row[plan.at].strip()
        return " ".join([c for c in (row[at].strip() for at in plan.columns) if c])

    def text(self, name: str) -> str | None:
        """A field's text after its pattern and value map; None when blank."""
        plan = self._plans.get(name)
        if plan is None:
            return None
        if plan.constant is not None:
            return plan.constant
        value = self.row[plan.at].strip() if plan.at >= 0 else self._joined(plan)
        if not value:
            return plan.blank
        if plan.plain:
            return value
        found = plan.memo.get(value, plan)
        if found is plan:
            found = plan.memo[value] = plan.mapped(value)
        if isinstance(found, _Fault):
            self._fault(plan, found.reason)
            return None
        return found  # type: ignore[return-value]

    def raw(self, name: str) -> str | None:
        """A field's cells as written (joined), for the file's own words beside a key."""
        plan = self._plans.get(name)
        if plan is None:
            return None
        if plan.constant is not None:
            return plan.constant
        return (self.row[plan.at].strip() if plan.at >= 0 else self._joined(plan)) or None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            plan = self._plans[name]
            where = f"{self._source}:{self.line}:{plan.where}"
            if not any(f.location == where for f in self.faults):
                self.faults.append(FieldError(where, f"{name} is blank"))
            return ""
        return value

    def date(self, name: str) -> date | None:
        plan = self._plans.get(name)
        if plan is None:
            return None
        if plan.columns:
            row = self.row
            text = ""
            for at in plan.columns:
                text = row[at].strip()
                if text:
                    break
        else:
            text = plan.constant or ""
        if not text:
            return None
        try:
            return plan.spec.date_of(text)
        except ValueError:
            self._fault(plan, f"{text!r} is not a date ({plan.spec.format})")
            return None

    def year(self, name: str) -> int | None:
        plan = self._plans.get(name)
        text = self.text(name)
        if text is None or plan is None:
            return None
        year = self._years.get(text)
        if year is None:
            year = self._years[text] = year_in(text) or 0
        if not year:
            self._fault(plan, f"{text!r} is not a year")
            return None
        return year

    def whole(self, name: str) -> str | None:
        """A number the file writes as a decimal ("2235.0") kept as the whole number it is."""
        text = self.text(name)
        return None if text is None else whole_in(text)


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
