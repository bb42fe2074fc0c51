"""Payroll mappings: which column of another authority's payroll file gives the officer, the
year, the gross yearly pay and its currency (ADR 0038, addendum 4). Pure.

The format is the integrity files' (`integrity.rules.file_mapping`: a column's name, or a table
with `column`/`columns`/`constant`, `values`, `pattern`, `format`), with its sections closed and
every mistake named `file:line:key`. What is particular to a payroll is how a row names its
officer (`[officer] by`):

- `curp`: a column holds the CURP, which the registry knows;
- `identity`: the row holds the person's names and two or more of birth year, appointment
  day and star number, linked as the integrity import links an accused (never by name alone);
- `profile`: the row holds only the other authority's own id (Chicago's `UID`), and a second
  file, the profiles (`[profile]`), gives that id's names, birth year, appointment and star,
  linked the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from confianza.core.errors import FieldError, ValidationFailed
from confianza.integrity.rules.file_mapping import FieldSpec, csv_section, field_spec, table
from confianza.registry.rules.toml_lines import Where, read_toml, section_faults, unknown_keys

#: A payroll's name: the rows of one source are one payroll, replaced by its next edition.
SOURCE_MAX = 64


class OfficerBy(StrEnum):
    CURP = "curp"
    IDENTITY = "identity"
    PROFILE = "profile"


IDENTITY_FIELDS = ("given_names", "first_surname", "star", "birth_year", "appointed_date")
PAY_FIELDS = ("year", "gross", "currency")
#: The fields a payroll file may map under each way of naming the officer, and the required.
FIELDS: Mapping[OfficerBy, tuple[str, ...]] = {
    OfficerBy.CURP: ("curp", *PAY_FIELDS),
    OfficerBy.IDENTITY: (*IDENTITY_FIELDS, *PAY_FIELDS),
    OfficerBy.PROFILE: ("key", *PAY_FIELDS),
}
REQUIRED: Mapping[OfficerBy, frozenset[str]] = {
    OfficerBy.CURP: frozenset({"curp", *PAY_FIELDS}),
    OfficerBy.IDENTITY: frozenset({"given_names", "first_surname", *PAY_FIELDS}),
    OfficerBy.PROFILE: frozenset({"key", *PAY_FIELDS}),
}
PROFILE_FIELDS = ("key", *IDENTITY_FIELDS)
PROFILE_REQUIRED = frozenset({"key", "given_names", "first_surname"})
SECTIONS: Mapping[str, frozenset[str] | None] = {
    "payroll": frozenset({"source"}),
    "officer": frozenset({"by"}),
    "csv": frozenset({"encoding", "delimiter"}),
    "fields": None,
    "profile": None,
}
_PROFILE_KEYS = frozenset({"encoding", "delimiter", "fields"})


@dataclass(frozen=True)
class FileSpec:
    encoding: str
    delimiter: str
    fields: Mapping[str, FieldSpec]

    def columns(self) -> list[str]:
        seen: dict[str, None] = {}
        for spec in self.fields.values():
            for column in spec.columns:
                seen[column] = None
        return list(seen)


@dataclass(frozen=True)
class PayrollMapping:
    """A checked payroll mapping: the payroll file's spec and, when the officer is named by
    the other authority's id, the profiles file's."""

    source: str        # the mapping file's name, for faults
    name: str          # the payroll's name (`[payroll] source`): its rows are replaced by it
    by: OfficerBy
    payroll: FileSpec
    profile: FileSpec | None = None


def _fields(raw: object, where: Where, path: tuple[str, ...], allowed: tuple[str, ...],
            required: frozenset[str], errors: list[FieldError]) -> dict[str, FieldSpec]:
    body = raw if isinstance(raw, dict) else {}
    if raw is not None and not isinstance(raw, dict):
        errors.append(where.fault(path, "must be a table"))
    errors += unknown_keys(where, path, body, allowed, "field")
    fields = {}
    for name, spec in body.items():
        if name in allowed:
            read = field_spec(spec, where, (*path, name), errors)
            if read is not None:
                fields[name] = read
    missing = sorted(required - set(body))
    if missing:
        errors.append(where.fault(path, f"must map {', '.join(missing)}"))
    return fields


def parse_payroll_mapping(text: str, source: str = "mapping") -> PayrollMapping:
    """Read and check a payroll mapping; every fault names the file, the line and the key, all
    of them at once."""
    data = read_toml(text, source)
    where = Where(source, text)
    errors = section_faults(where, data, SECTIONS)
    name = str(table(data, "payroll").get("source", "")).strip().lower()
    if not name or len(name) > SOURCE_MAX:
        errors.append(where.fault(("payroll", "source"), f"name the payroll in 1 to "
                                  f"{SOURCE_MAX} characters (its next edition replaces it)"))
    raw_by = table(data, "officer").get("by")
    try:
        by = OfficerBy(str(raw_by))
    except ValueError:
        errors.append(where.fault(("officer", "by"), f"{raw_by!r} is not one of "
                                  f"{', '.join(b.value for b in OfficerBy)}"))
        raise ValidationFailed(errors) from None
    encoding, delimiter = csv_section(data, where, errors)
    fields = _fields(data.get("fields"), where, ("fields",), FIELDS[by], REQUIRED[by], errors)
    profile = None
    raw_profile = data.get("profile")
    if by is OfficerBy.PROFILE:
        if not isinstance(raw_profile, dict):
            errors.append(where.fault(("profile",), "is needed when the officer is named by "
                                      "the profiles' key (officer.by = \"profile\")"))
        else:
            errors += unknown_keys(where, ("profile",), raw_profile, _PROFILE_KEYS, "key")
            p_encoding, p_delimiter = csv_section({"csv": raw_profile}, where, errors)
            profile = FileSpec(p_encoding, p_delimiter, _fields(
                raw_profile.get("fields"), where, ("profile", "fields"), PROFILE_FIELDS,
                PROFILE_REQUIRED, errors))
    elif raw_profile is not None:
        errors.append(where.fault(("profile",), f"is only read when officer.by = \"profile\" "
                                  f"(this mapping names the officer by {by.value})"))
    if errors:
        raise ValidationFailed(errors)
    return PayrollMapping(source, name, by, FileSpec(encoding, delimiter, fields), profile)
