"""What the integrity feature's file mappings share: where one field comes from
(`FieldSpec`), how such a spec is read and checked from TOML, and the `[csv]` section. The
complaint files' mappings (`complaints_mapping`) and the sanctions lists' mappings
(`outside_sanctions_mapping`) differ in their sections, fields and vocabularies, not in these.
Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from confianza.core.errors import FieldError, ValidationFailed
from confianza.registry.rules.toml_lines import KeyPath, Where, unknown_keys

ISO_DATE = "%Y-%m-%d"
SPEC_KEYS = frozenset({"column", "columns", "constant", "values", "blank", "default",
                       "pattern", "format"})


@dataclass(frozen=True)
class FieldSpec:
    """Where one field comes from: columns (joined by a space; for dates, the first that is not
    blank) or a constant; then a regex whose first group is kept, a value map (keys compared
    trimmed and in upper case), what a blank cell means, what an unlisted value means, and a
    date format."""

    columns: tuple[str, ...] = ()
    constant: str | None = None
    values: Mapping[str, str] | None = None
    blank: str | None = None
    default: str | None = None
    pattern: re.Pattern[str] | None = None
    format: str = ISO_DATE

    def matched(self, value: str) -> str:
        """The cell's text after the pattern: its first group, else the whole match, else the
        text unchanged when it does not match; trimmed."""
        if self.pattern is None:
            return value
        found = self.pattern.search(value)
        return (found.group(1) if found and found.groups() else
                found.group(0) if found else value).strip()

    def mapped(self, value: str) -> tuple[str | None, bool]:
        """A cell's text after the pattern and the value map, and whether it stands: a blank
        cell is the spec's `blank`; a value the map lists, its mapping; one it does not list,
        the `default` where there is one, else the text itself and False (the reader says
        whether that is a fault: a field with a vocabulary of its own refuses it)."""
        if value:
            value = self.matched(value)
        if not value:
            return self.blank, True
        if self.values is None:
            return value, True
        mapped = self.values.get(value.upper())
        if mapped is not None:
            return mapped, True
        if self.default is not None:
            return self.default, True
        return value, False

    def date_of(self, text: str) -> date:
        """A non-blank cell as a date in the spec's format; ValueError when it is not one.
        The ISO form, the usual one, is read by `fromisoformat`, ten times faster than
        `strptime`."""
        if self.format == ISO_DATE and len(text) == 10:
            return date.fromisoformat(text)
        return datetime.strptime(text, self.format).date()


#: A whole number as files write it, spreadsheets' "1990.0" included.
WHOLE = re.compile(r"^\s*(\d+)(?:\.0*)?\s*$")


def whole_in(text: str) -> str:
    """A number the file writes as a decimal ("2235.0") as the whole number it is; any other
    text as it is."""
    if text.isascii() and text.isdigit():
        return text
    found = WHOLE.match(text)
    return found.group(1) if found else text


def year_in(text: str) -> int | None:
    """The year a cell writes (1900 to 2100), or None when it writes no such year."""
    found = WHOLE.match(text)
    if found is None or not 1900 <= (year := int(found.group(1))) <= 2100:
        return None
    return year


def table(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A section of the mapping, or nothing (a section that is not a table is faulted apart)."""
    body = data.get(name, {})
    return body if isinstance(body, dict) else {}


def csv_section(data: Mapping[str, Any], where: Where, errors: list[FieldError]
                ) -> tuple[str, str]:
    """The file's encoding and delimiter from `[csv]`, each checked."""
    part = table(data, "csv")
    encoding = str(part.get("encoding", "utf-8"))
    try:
        "".encode(encoding)
    except LookupError:
        errors.append(where.fault(("csv", "encoding"), f"unknown encoding {encoding!r}"))
    delimiter = str(part.get("delimiter", ","))
    if len(delimiter) != 1:
        errors.append(where.fault(("csv", "delimiter"), "must be one character"))
    return encoding, delimiter


def field_spec(raw: Any, where: Where, path: KeyPath, errors: list[FieldError], *,
               keys: frozenset[str] = SPEC_KEYS) -> FieldSpec | None:
    """One field's spec: a column's name, or a table of the `keys` allowed (a mapping format
    that has no use for a key leaves it out, so a mapping that gives it is told)."""
    if isinstance(raw, str):
        return FieldSpec(columns=(raw,))
    if not isinstance(raw, dict):
        errors.append(where.fault(path, "must be a column name or a table"))
        return None
    bad = unknown_keys(where, path, raw, keys, "key")
    if bad:
        errors += bad
        return None
    columns: tuple[str, ...] = ()
    if "column" in raw:
        columns = (str(raw["column"]),)
    elif "columns" in raw:
        if not isinstance(raw["columns"], list) or not raw["columns"]:
            errors.append(where.fault((*path, "columns"), "must be a non-empty list of "
                                      "column names"))
            return None
        columns = tuple(str(c) for c in raw["columns"])
    constant = raw.get("constant")
    if bool(columns) == (constant is not None):
        errors.append(where.fault(path, "needs exactly one of column, columns or constant"))
        return None
    values = raw.get("values")
    if values is not None and not isinstance(values, dict):
        errors.append(where.fault((*path, "values"), "must be a table of value = replacement"))
        return None
    pattern = None
    if "pattern" in raw:
        try:
            pattern = re.compile(str(raw["pattern"]))
        except re.error as exc:
            errors.append(where.fault((*path, "pattern"), f"is not a regular expression: {exc}"))
            return None
    date_format = str(raw.get("format", ISO_DATE))
    if "format" in raw and not re.search(r"%[dmyYbB]", date_format):
        errors.append(where.fault((*path, "format"), f"{date_format!r} is not a date format "
                                  "(write it as %d/%m/%Y)"))
    return FieldSpec(
        columns=columns, constant=None if constant is None else str(constant),
        values=None if values is None else {str(k).strip().upper(): str(v)
                                            for k, v in values.items()},
        blank=None if raw.get("blank") is None else str(raw["blank"]),
        default=None if raw.get("default") is None else str(raw["default"]),
        pattern=pattern, format=date_format,
    )


def column_positions(columns: Sequence[str], mapping_source: str, header: Sequence[str],
                     source: str) -> dict[str, int]:
    """Where each column a mapping reads stands in the file's header (the first of a repeated
    name); every column the file lacks is refused at once, naming the mapping that asks for it."""
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(name.strip(), i)
    missing = [c for c in columns if c not in index]
    if missing:
        raise ValidationFailed([
            FieldError(f"{source}:1:{c}", f"the file has no column {c!r} (the mapping "
                       f"{mapping_source} names it)") for c in missing])
    return index
