"""Roster import mappings: which CSV column feeds which officer field.

A mapping file (TOML) describes a roster once, so that a state's or a city's export can be loaded
again and again without code. Everything here is pure: parsing and checking a mapping and the
agencies it sets up. Turning rows into records is `registry.rules.import_rows`.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from confianza.core.errors import FieldError, ValidationFailed
from confianza.registry.rules.agencies import AgencyLevel, NewAgency
from confianza.registry.rules.officers import SCHEME

ISO_DATE = "%Y-%m-%d"
#: The fields a posting holds beside its period (ADR 0025): its own status (active, on_leave,
#: separated), why it was separated, its kind and whom it employs. Each is a column or a
#: constant with a value map and a default, as any field; left out, a posting is a full-time
#: one of a sworn officer, separated when it has an end date and active otherwise.
POSTING_FIELDS = ("posting_status", "separation_reason", "posting_kind", "employment_kind")
#: Every officer field a mapping may feed, in the order errors are reported.
FIELDS = (
    "curp", "given_names", "first_surname", "second_surname", "birth_date", "birth_year", "sex",
    "status", "rank", "start_date", "start_reason", "end_date", "end_reason", *POSTING_FIELDS,
)
REQUIRED = frozenset({"given_names", "first_surname", "rank", "start_date"})
_SPEC_KEYS = frozenset({"column", "columns", "constant", "values", "default", "pattern", "format"})
@dataclass(frozen=True)
class FieldSpec:
    """Where one field comes from: columns (joined by a space) or a constant, then a value map
    (`default` stands for blank and unlisted values), a regex whose first group is kept, and a
    strptime format for dates."""

    columns: tuple[str, ...] = ()
    constant: str | None = None
    values: Mapping[str, str] | None = None
    default: str | None = None
    pattern: re.Pattern[str] | None = None
    format: str = ISO_DATE


@dataclass(frozen=True)
class ImportMapping:
    encoding: str
    delimiter: str
    scheme: str | None  # None: the CURP is the identity key
    key_column: str | None
    fields: Mapping[str, FieldSpec]
    agency: FieldSpec
    unit_code: FieldSpec | None = None
    unit_name: FieldSpec | None = None
    create_units: bool = False
    badges: tuple[str, ...] = ()
    badge_integer: bool = False
    setup_agencies: tuple[NewAgency, ...] = ()

    def columns(self) -> list[str]:
        """Every CSV column the mapping reads, in first-mention order."""
        seen: dict[str, None] = {}
        if self.key_column:
            seen[self.key_column] = None
        specs = [*self.fields.values(), self.agency, self.unit_code, self.unit_name]
        for spec in specs:
            for column in spec.columns if spec else ():
                seen[column] = None
        for column in self.badges:
            seen[column] = None
        return list(seen)


def _fail(source: str, key: str, reason: str) -> ValidationFailed:
    return ValidationFailed(FieldError(f"{source}:{key}", reason))


def _spec(raw: Any, source: str, key: str) -> FieldSpec:
    if isinstance(raw, str):
        return FieldSpec(columns=(raw,))
    if not isinstance(raw, dict):
        raise _fail(source, key, "must be a column name or a table")
    unknown = set(raw) - _SPEC_KEYS
    if unknown:
        raise _fail(source, key, f"unknown keys: {', '.join(sorted(unknown))}")
    columns: tuple[str, ...] = ()
    if "column" in raw:
        columns = (str(raw["column"]),)
    elif "columns" in raw:
        if not isinstance(raw["columns"], list) or not raw["columns"]:
            raise _fail(source, f"{key}.columns", "must be a non-empty list of column names")
        columns = tuple(str(c) for c in raw["columns"])
    constant = raw.get("constant")
    if bool(columns) == (constant is not None):
        raise _fail(source, key, "needs exactly one of column, columns or constant")
    values = raw.get("values")
    if values is not None and not isinstance(values, dict):
        raise _fail(source, f"{key}.values", "must be a table of value = replacement")
    pattern = None
    if "pattern" in raw:
        try:
            pattern = re.compile(str(raw["pattern"]))
        except re.error as exc:
            raise _fail(source, f"{key}.pattern", f"is not a regular expression: {exc}") from exc
    return FieldSpec(
        columns=columns,
        constant=None if constant is None else str(constant),
        values=None if values is None else {str(k): str(v) for k, v in values.items()},
        default=None if raw.get("default") is None else str(raw["default"]),
        pattern=pattern,
        format=str(raw.get("format", ISO_DATE)),
    )


def parse_agency_specs(items: Any, source: str, key: str = "agencies") -> tuple[NewAgency, ...]:
    """Agencies listed in a set-up file or a mapping's [[setup.agencies]]."""
    if not isinstance(items, list):
        raise _fail(source, key, "must be a list of tables ([[agencies]])")
    specs = []
    for i, item in enumerate(items):
        where = f"{key}[{i}]"
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            raise _fail(source, where, "needs at least code and name")
        try:
            level = AgencyLevel(str(item.get("level", "")).strip().lower())
        except ValueError as exc:
            allowed = ", ".join(v.value for v in AgencyLevel)
            raise _fail(source, f"{where}.level", f"must be one of {allowed}") from exc
        specs.append(
            NewAgency(
                code=str(item["code"]).strip().upper(),
                name=str(item["name"]).strip(),
                level=level,
                state_code=_blank_to_none(item.get("state_code")),
                municipality_key=_blank_to_none(item.get("municipality_key")),
                parent_code=_blank_to_none(item.get("parent_code")),
            )
        )
    return tuple(specs)


def _blank_to_none(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def parse_mapping(text: str, source: str = "mapping") -> ImportMapping:
    """Read and check a mapping file's text; errors name the file and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, "toml", str(exc)) from exc
    csv_part = data.get("csv", {})
    encoding = str(csv_part.get("encoding", "utf-8"))
    try:
        "".encode(encoding)
    except LookupError as exc:
        raise _fail(source, "csv.encoding", f"unknown encoding {encoding!r}") from exc
    delimiter = str(csv_part.get("delimiter", ","))
    if len(delimiter) != 1:
        raise _fail(source, "csv.delimiter", "must be one character")
    identity = data.get("identity", {"key": "curp"})
    scheme = key_column = None
    if identity.get("key", "") != "curp":
        scheme, key_column = identity.get("scheme"), identity.get("column")
        if not scheme or not SCHEME.match(str(scheme)) or not key_column:
            raise _fail(source, "identity", 'needs key = "curp", or a scheme (lower-case, '
                        "2-64 characters) and the column holding that external id")
    raw_fields = data.get("fields", {})
    unknown = set(raw_fields) - set(FIELDS)
    if unknown:
        raise _fail(source, "fields", f"unknown fields: {', '.join(sorted(unknown))}")
    fields = {name: _spec(raw, source, f"fields.{name}") for name, raw in raw_fields.items()}
    needed = set(REQUIRED) | ({"curp"} if scheme is None else set())
    missing = sorted(needed - set(fields))
    if missing:
        raise _fail(source, "fields", f"must map {', '.join(missing)}")
    if "agency" not in data:
        raise _fail(source, "agency", 'is required: code = "CODE" or column = "COLUMN"')
    agency_raw = data["agency"]
    if isinstance(agency_raw, dict) and "code" in agency_raw:
        agency = FieldSpec(constant=str(agency_raw["code"]).strip().upper())
    else:
        agency = _spec(agency_raw, source, "agency")
    unit = data.get("unit", {})
    badges = data.get("badges", {})
    return ImportMapping(
        encoding=encoding,
        delimiter=delimiter,
        scheme=None if scheme is None else str(scheme),
        key_column=None if key_column is None else str(key_column),
        fields=fields,
        agency=agency,
        unit_code=FieldSpec(columns=(str(unit["code_column"]),)) if "code_column" in unit
        else None,
        unit_name=FieldSpec(columns=(str(unit["name_column"]),)) if "name_column" in unit
        else None,
        create_units=bool(unit.get("create_units", False)),
        badges=tuple(str(c) for c in badges.get("columns", ())),
        badge_integer=bool(badges.get("integer", False)),
        setup_agencies=parse_agency_specs(
            data.get("setup", {}).get("agencies", []), source, "setup.agencies"
        ),
    )


def parse_agency_file(name: str, raw: bytes) -> tuple[NewAgency, ...]:
    """Agencies from a set-up file's bytes: TOML ([[agencies]] tables) or, when the name ends
    in .csv, CSV with a header row (code, name, level, state_code, municipality_key,
    parent_code)."""
    try:
        data = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationFailed(FieldError(f"{name}:{line}", "is not valid UTF-8")) from exc
    if name.lower().endswith(".csv"):
        rows = [dict(r) for r in csv.DictReader(io.StringIO(data))]
        return parse_agency_specs(rows, name, "rows")
    try:
        parsed = tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(FieldError(name, str(exc))) from exc
    return parse_agency_specs(parsed.get("agencies", []), name)
