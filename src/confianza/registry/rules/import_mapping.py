"""Roster import mappings: which CSV column feeds which officer field.

A mapping file (TOML) describes a roster once, so that a state's or a city's export can be loaded
again and again without code. Everything here is pure: parsing and checking a mapping and the
agencies it sets up. Turning rows into records is `registry.rules.import_rows`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from confianza.core.errors import FieldError, ValidationFailed
from confianza.registry.rules.agencies import AGENCY_CODE, AgencyLevel, NewAgency
from confianza.registry.rules.officers import SCHEME
from confianza.registry.rules.toml_lines import (
    KeyPath,
    Where,
    read_toml,
    suggest,
    unknown_keys,
)

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
#: The agency section takes a field's keys, a code, and what matching by name needs.
_AGENCY_KEYS = _SPEC_KEYS | {"code", "by", "names", "create_level", "code_prefix"}
_AGENCY_FILE_KEYS = frozenset({"code", "name", "level", "state_code", "municipality_key",
                               "parent_code"})
_SKIP_KEYS = frozenset({"column", "field", "values", "pattern", "reason"})
#: Every section of a mapping and the keys it takes (None: a table of the file's own values,
#: or of fields checked on their own).
SECTIONS: Mapping[str, frozenset[str] | None] = {
    "csv": frozenset({"encoding", "delimiter"}),
    "identity": frozenset({"key", "scheme", "column"}),
    "fields": None,
    "agency": _AGENCY_KEYS,
    "unit": frozenset({"code_column", "name_column", "create_units"}),
    "badges": frozenset({"columns", "integer"}),
    "dates": frozenset({"placeholders"}),
    "skip": None,
    "setup": frozenset({"agencies"}),
    "roster": frozenset({"complete"}),
}


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
class RowSkip:
    """Rows left out on purpose (civilian staff, private security): counted, never rejected.

    A row is skipped when its `column` (as written) or its mapped `field` (after the field's
    value map: e.g. an employment kind of "civilian") holds one of `values` (compared trimmed
    and without regard to case) or matches `pattern`."""

    column: str | None
    reason: str
    values: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    field: str | None = None

    def applies(self, value: str) -> bool:
        text = value.strip()
        return text.upper() in self.values or (
            self.pattern is not None and self.pattern.search(text) is not None)


@dataclass(frozen=True)
class AgencyMatch:
    """How a roster names its agencies when it gives names, not codes: a table of the file's
    names to codes, then the registry's own names; with --create-agencies, the agencies still
    unknown are created at `level` with a code derived from `code_prefix` and the name."""

    names: Mapping[str, str]  # folded name -> agency code
    level: AgencyLevel = AgencyLevel.FOREIGN
    code_prefix: str = ""


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
    setup_places: tuple[str, ...] = ()  # where each is written (file:line:key), for its errors
    # Dates a file writes for "unknown" (1901-01-01): read as blank, never as a date.
    placeholder_dates: frozenset[date] = frozenset()
    skips: tuple[RowSkip, ...] = ()
    agency_match: AgencyMatch | None = None  # None: the agency column holds codes
    # Whether the file lists everyone serving in the agencies it covers (a complete roster),
    # or only changes (altas y bajas): only a complete one proposes pending separations.
    complete: bool = False

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
        for skip in self.skips:
            if skip.column is not None:
                seen[skip.column] = None
        return list(seen)


def fold_name(text: str) -> str:
    """An agency's name as compared: upper case, accents and repeated spaces gone."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.upper().split())


class _CsvWhere(Where):
    """The same for a CSV set-up file: row i of the file starts on line `lines[i]`."""

    def __init__(self, source: str, lines: list[int]) -> None:
        super().__init__(source)
        self._row_lines = lines

    def at(self, path: KeyPath) -> str:
        if len(path) >= 2 and isinstance(path[1], int):
            column = f":{path[2]}" if len(path) > 2 else ""
            return f"{self.source}:{self._row_lines[path[1]]}{column}"
        return self.source


def _check_keys(data: Mapping[str, Any], where: Where) -> None:
    """Every section and key must be one the importer reads: a misspelt one is an error that
    names its line, never a setting silently ignored."""
    errors = unknown_keys(where, (), data, SECTIONS, "section")
    for section, allowed in SECTIONS.items():
        body = data.get(section)
        if allowed is not None and isinstance(body, dict):
            errors += unknown_keys(where, (section,), body, allowed)
    fields = data.get("fields")
    if isinstance(fields, dict):
        errors += unknown_keys(where, ("fields",), fields, FIELDS, "field")
        for name, spec in fields.items():
            if name in FIELDS and isinstance(spec, dict):
                errors += unknown_keys(where, ("fields", name), spec, _SPEC_KEYS)
    for i, item in enumerate(data.get("setup", {}).get("agencies", [])
                             if isinstance(data.get("setup"), dict) else []):
        if isinstance(item, dict):
            errors += unknown_keys(where, ("setup", "agencies", i), item, _AGENCY_FILE_KEYS)
    skips = data.get("skip")
    for i, item in enumerate(skips if isinstance(skips, list) else []):
        if isinstance(item, dict):
            errors += unknown_keys(where, ("skip", i), item, _SKIP_KEYS)
    if errors:
        raise ValidationFailed(errors)


def _spec(raw: Any, where: Where, path: KeyPath) -> FieldSpec:
    if isinstance(raw, str):
        return FieldSpec(columns=(raw,))
    if not isinstance(raw, dict):
        raise where.fail(path, "must be a column name or a table")
    columns: tuple[str, ...] = ()
    if "column" in raw:
        columns = (str(raw["column"]),)
    elif "columns" in raw:
        if not isinstance(raw["columns"], list) or not raw["columns"]:
            raise where.fail((*path, "columns"), "must be a non-empty list of column names")
        columns = tuple(str(c) for c in raw["columns"])
    constant = raw.get("constant")
    if bool(columns) == (constant is not None):
        raise where.fail(path, "needs exactly one of column, columns or constant")
    values = raw.get("values")
    if values is not None and not isinstance(values, dict):
        raise where.fail((*path, "values"), "must be a table of value = replacement")
    pattern = _pattern(raw, where, path)
    return FieldSpec(
        columns=columns,
        constant=None if constant is None else str(constant),
        values=None if values is None else {str(k): str(v) for k, v in values.items()},
        default=None if raw.get("default") is None else str(raw["default"]),
        pattern=pattern,
        format=str(raw.get("format", ISO_DATE)),
    )


def _pattern(raw: Mapping[str, Any], where: Where, path: KeyPath) -> re.Pattern[str] | None:
    if "pattern" not in raw:
        return None
    try:
        return re.compile(str(raw["pattern"]))
    except re.error as exc:
        raise where.fail((*path, "pattern"), f"is not a regular expression: {exc}") from exc


def parse_agency_specs(items: Any, source: str, key: str = "agencies") -> tuple[NewAgency, ...]:
    """Agencies listed in a set-up file or a mapping's [[setup.agencies]]."""
    return _agency_specs(items, Where(source), tuple(key.split(".")))


def _agency_specs(items: Any, where: Where, path: KeyPath) -> tuple[NewAgency, ...]:
    if not isinstance(items, list):
        raise where.fail(path, "must be a list of tables ([[agencies]])")
    specs = []
    for i, item in enumerate(items):
        at: KeyPath = (*path, i)
        if not isinstance(item, dict):
            raise where.fail(at, "must be a table")
        for needed in ("code", "name"):
            if not str(item.get(needed) or "").strip():
                raise where.fail((*at, needed), "is required")
        try:
            level = AgencyLevel(str(item.get("level", "")).strip().lower())
        except ValueError as exc:
            allowed = ", ".join(v.value for v in AgencyLevel)
            raise where.fail((*at, "level"), f"{item.get('level', '')!r} is not one of "
                             f"{allowed}") from exc
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


def _places(items: Any, where: Where, path: KeyPath) -> tuple[str, ...]:
    """Where each listed agency is written: what names it when the registry refuses it."""
    return tuple(where.at((*path, i)) for i in range(len(items) if isinstance(items, list)
                                                     else 0))


def _blank_to_none(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def parse_mapping(text: str, source: str = "mapping") -> ImportMapping:
    """Read and check a mapping file's text; errors name the file, the line and the key."""
    data = read_toml(text, source)
    where = Where(source, text)
    _check_keys(data, where)
    csv_part = data.get("csv", {})
    encoding = str(csv_part.get("encoding", "utf-8"))
    try:
        "".encode(encoding)
    except LookupError as exc:
        raise where.fail(("csv", "encoding"), f"unknown encoding {encoding!r}") from exc
    delimiter = str(csv_part.get("delimiter", ","))
    if len(delimiter) != 1:
        raise where.fail(("csv", "delimiter"), "must be one character")
    identity = data.get("identity", {"key": "curp"})
    scheme = key_column = None
    if identity.get("key", "") != "curp":
        scheme, key_column = identity.get("scheme"), identity.get("column")
        if not scheme or not SCHEME.match(str(scheme)) or not key_column:
            raise where.fail(("identity",), 'needs key = "curp", or a scheme (lower-case, '
                             "2-64 characters) and the column holding that external id")
    raw_fields = data.get("fields", {})
    fields = {name: _spec(raw, where, ("fields", name)) for name, raw in raw_fields.items()}
    needed = set(REQUIRED) | ({"curp"} if scheme is None else set())
    missing = sorted(needed - set(fields))
    if missing:
        raise where.fail(("fields",), f"must map {', '.join(missing)}")
    agency, match = _agency(data, where)
    complete = data.get("roster", {}).get("complete", False)
    if not isinstance(complete, bool):
        raise where.fail(("roster", "complete"), "must be true (the file lists everyone "
                         "serving in its agencies) or false (it lists changes only)")
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
        setup_agencies=_agency_specs(
            data.get("setup", {}).get("agencies", []), where, ("setup", "agencies")
        ),
        setup_places=_places(data.get("setup", {}).get("agencies", []), where,
                             ("setup", "agencies")),
        placeholder_dates=_placeholders(data.get("dates", {}), where),
        skips=_skips(data.get("skip", []), where, fields),
        agency_match=match,
        complete=complete,
    )


def _agency(data: Mapping[str, Any], where: Where) -> tuple[FieldSpec, AgencyMatch | None]:
    """The [agency] section: a fixed code, or a column of codes, or a column of names."""
    if "agency" not in data:
        raise where.fail(("agency",), 'is required: code = "CODE" or column = "COLUMN"')
    raw = data["agency"]
    if isinstance(raw, dict) and "code" in raw:
        return FieldSpec(constant=str(raw["code"]).strip().upper()), None
    extra = {"by", "names", "create_level", "code_prefix"}
    spec = _spec({k: v for k, v in raw.items() if k not in extra} if isinstance(raw, dict)
                 else raw, where, ("agency",))
    by = str(raw.get("by", "code")) if isinstance(raw, dict) else "code"
    if by not in ("code", "name"):
        raise where.fail(("agency", "by"), f"{by!r} is not code or name")
    if by == "code":
        for key in sorted(extra & set(raw if isinstance(raw, dict) else ())):
            if key != "by":
                raise where.fail(("agency", key), 'only applies with by = "name"')
        return spec, None
    assert isinstance(raw, dict)
    names = raw.get("names", {})
    if not isinstance(names, dict):
        raise where.fail(("agency", "names"), 'must be a table of "name in the file" = '
                         '"AGENCY-CODE"')
    for name, code in names.items():
        if not AGENCY_CODE.match(str(code).strip().upper()):
            raise where.fail(("agency", "names", name), f"{code!r} is not an agency code")
    level = str(raw.get("create_level", "foreign"))
    if level not in (AgencyLevel.FOREIGN, AgencyLevel.FEDERAL):
        # An agency known only by a name has no INEGI state or municipality code to give.
        raise where.fail(("agency", "create_level"), f"{level!r} is not foreign or federal "
                         "(the levels that need no INEGI codes)")
    prefix = str(raw.get("code_prefix", "")).strip().upper()
    if prefix and not re.fullmatch(r"[A-Z0-9][A-Z0-9_.-]{0,19}", prefix):
        raise where.fail(("agency", "code_prefix"), "must be up to 20 upper-case letters, "
                         "digits, '.', '_' or '-'")
    folded = {fold_name(str(k)): str(v).strip().upper() for k, v in names.items()}
    return spec, AgencyMatch(folded, AgencyLevel(level), prefix)


def _placeholders(raw: Mapping[str, Any], where: Where) -> frozenset[date]:
    values = raw.get("placeholders", [])
    if not isinstance(values, list):
        raise where.fail(("dates", "placeholders"), 'must be a list of dates: ["1901-01-01"]')
    found = set()
    for value in values:
        try:
            found.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError as exc:
            raise where.fail(("dates", "placeholders"), f"{value!r} is not a date "
                             "(YYYY-MM-DD)") from exc
    return frozenset(found)


def _skips(raw: Any, where: Where, fields: Mapping[str, FieldSpec]) -> tuple[RowSkip, ...]:
    if not isinstance(raw, list):
        raise where.fail(("skip",), "must be a list of tables ([[skip]])")
    skips = []
    for i, item in enumerate(raw):
        at: KeyPath = ("skip", i)
        if not isinstance(item, dict) or bool(item.get("column")) == bool(item.get("field")):
            raise where.fail(at, "needs a column, or a field, and not both")
        field = item.get("field")
        if field is not None and field not in fields:
            raise where.fail((*at, "field"), f"{field!r} is not a field the mapping maps"
                             f"{suggest(str(field), fields)}")
        values = item.get("values", [])
        if not isinstance(values, list):
            raise where.fail((*at, "values"), "must be a list of the column's values")
        pattern = _pattern(item, where, at)
        if not values and pattern is None:
            raise where.fail(at, "needs values or a pattern")
        read = item.get("column") or field
        reason = str(item.get("reason") or f"{read} is {values or item['pattern']}")
        skips.append(RowSkip(None if field else str(item["column"]), reason,
                             frozenset(str(v).strip().upper() for v in values), pattern,
                             None if field is None else str(field)))
    return tuple(skips)


def parse_agency_file(name: str, raw: bytes) -> tuple[tuple[NewAgency, ...], tuple[str, ...]]:
    """Agencies from a set-up file's bytes, with where each is written (file:line): TOML
    ([[agencies]] tables) or, when the name ends in .csv, CSV with a header row (code, name,
    level, state_code, municipality_key, parent_code). Errors name the file, the line and the
    key or column."""
    try:
        data = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationFailed(FieldError(f"{name}:{line}", "is not valid UTF-8")) from exc
    if name.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(data, newline=""))
        rows, lines = [], []
        line = 2
        for row in reader:
            rows.append(dict(row))
            lines.append(line)
            line = reader.line_num + 1
        header = reader.fieldnames or []
        where: Where = _CsvWhere(name, lines)
        unknown = [FieldError(f"{name}:1:{c}", f"unknown column{suggest(c, _AGENCY_FILE_KEYS)}"
                              f"; allowed: {', '.join(sorted(_AGENCY_FILE_KEYS))}")
                   for c in header if c not in _AGENCY_FILE_KEYS]
        if unknown:
            raise ValidationFailed(unknown)
        return _agency_specs(rows, where, ("rows",)), _places(rows, where, ("rows",))
    parsed = read_toml(data, name)
    where = Where(name, data)
    errors = unknown_keys(where, (), parsed, ("agencies",), "section")
    for i, item in enumerate(parsed.get("agencies", []) if isinstance(
            parsed.get("agencies"), list) else []):
        if isinstance(item, dict):
            errors += unknown_keys(where, ("agencies", i), item, _AGENCY_FILE_KEYS)
    if errors:
        raise ValidationFailed(errors)
    items = parsed.get("agencies", [])
    return _agency_specs(items, where, ("agencies",)), _places(items, where, ("agencies",))


def derived_code(prefix: str, name: str, taken: Callable[[str], bool]) -> str:
    """A code for an agency known only by its name: the prefix and the name's words joined by
    '-' (their initials when that is too long), with -2, -3... until `taken` says no."""
    words = re.findall(r"[A-Z0-9]+", fold_name(name)) or ["AGENCY"]
    stem = prefix + "-".join(words)
    if len(stem) > 36:
        stem = (prefix + "".join(w[0] for w in words))[:36]
    code, n = stem, 1
    while taken(code):
        n += 1
        code = f"{stem}-{n}"
    return code
