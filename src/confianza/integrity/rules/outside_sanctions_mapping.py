"""Mappings of another authority's sanctions list: which column feeds which field.

A state's list of sanctioned or decertified officers, a national list of people barred from
public service: each is described once by a TOML mapping (one ships with the package,
`integrity/mappings/sesnsp-inhabilitados.toml`), so that its next edition loads without code.
The format follows the roster and complaint mappings (docs/import-mapping.md, ADR 0026): a
closed set of sections and keys, every mistake named `file:line:key`. Pure.

The kind of sanction is a closed vocabulary: a value the mapping does not list refuses the
row, naming it, since "SUSPENSIÓN TEMPORAL" read as a dismissal would misstate someone's
record. A person is named by parts (given names, first and second surname) or by one full
name; the matcher compares the words of a name in any order (ADR 0028), so a full name is
never split by guesswork.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from confianza.core.errors import FieldError, ValidationFailed
from confianza.integrity.rules.file_mapping import (
    SPEC_KEYS,
    FieldSpec,
    csv_section,
    field_spec,
    table,
)
from confianza.registry.rules.officers import fold
from confianza.registry.rules.toml_lines import (
    KeyPath,
    Where,
    read_toml,
    section_faults,
    suggest,
    unknown_keys,
)

#: What another authority may have done to a person (issue 17, item 6): the product's words.
KINDS = ("suspension", "dismissal", "decertification", "disqualification", "reprimand",
         "fine", "other")

#: Every field a mapping may give, and what each holds.
FIELDS = ("key", "file_number", "full_name", "given_names", "first_surname", "second_surname",
          "curp", "birth_date", "birth_year", "employer", "position", "start_date", "end_date",
          "kind", "finding", "authority")
DATE_FIELDS = frozenset({"birth_date", "start_date", "end_date"})
SECTIONS: Mapping[str, frozenset[str] | None] = {
    "list": frozenset({"authority", "description"}),
    "csv": frozenset({"encoding", "delimiter"}),
    "fields": None,
    "employers": None,  # the file's employer names -> registry agency codes
}


@dataclass(frozen=True)
class SanctionMapping:
    """A checked mapping of one sanctions list."""

    source: str
    authority: str | None  # the list's authority when no column gives it
    encoding: str
    delimiter: str
    fields: Mapping[str, FieldSpec]
    employers: Mapping[str, str]  # folded employer name -> agency code

    def columns(self) -> list[str]:
        """Every column the mapping reads, in first-mention order."""
        seen: dict[str, None] = {}
        for spec in self.fields.values():
            for column in spec.columns:
                seen[column] = None
        return list(seen)


def parse_sanction_mapping(text: str, source: str = "mapping") -> SanctionMapping:
    """Read and check a sanctions-list mapping; every fault names the file, the line and the
    key, and all of them are reported at once."""
    data = read_toml(text, source)
    where = Where(source, text)
    errors = section_faults(where, data, SECTIONS)
    part = table(data, "list")
    authority = part.get("authority")
    if authority is not None and (not isinstance(authority, str) or not authority.strip()):
        errors.append(where.fault(("list", "authority"), "must be the authority's name"))
        authority = None
    encoding, delimiter = csv_section(data, where, errors)
    raw_fields = table(data, "fields")
    errors += unknown_keys(where, ("fields",), raw_fields, FIELDS, "field")
    fields: dict[str, FieldSpec] = {}
    for name, raw in raw_fields.items():
        if name in FIELDS:
            spec = field_spec(raw, where, ("fields", name), errors,
                              keys=SPEC_KEYS - {"pattern"})
            if spec is not None:
                fields[name] = spec
    errors += _required(fields, where)
    if "kind" in fields:
        _check_kinds(fields["kind"], where, errors)
    employers: dict[str, str] = {}
    for name, code in table(data, "employers").items():
        if not isinstance(code, str) or not code.strip():
            errors.append(where.fault(("employers", name), "must be an agency code"))
        else:
            # Folded as the registry folds agency names, so that both compare alike.
            employers[fold(name)] = code.strip()
    if errors:
        raise ValidationFailed(errors)
    return SanctionMapping(source, authority.strip() if authority else None, encoding,
                           delimiter, fields, employers)



def _required(fields: Mapping[str, FieldSpec], where: Where) -> list[FieldError]:
    errors = []
    if "full_name" in fields and ({"given_names", "first_surname"} & set(fields)):
        errors.append(where.fault(("fields", "full_name"), "give either full_name or the name's "
                                  "parts (given_names, first_surname), not both"))
    elif "full_name" not in fields and not {"given_names", "first_surname"} <= set(fields):
        errors.append(where.fault(("fields",), "must map full_name, or given_names and "
                                  "first_surname"))
    missing = sorted({"kind", "start_date"} - set(fields))
    if missing:
        errors.append(where.fault(("fields",), f"must map {', '.join(missing)}"))
    return errors



def _check_kinds(spec: FieldSpec, where: Where, errors: list[FieldError]) -> None:
    """The kind's map, blank, default and constant must all be the product's words: a typo in
    the mapping ("dismisal") is the mapping's fault, found before any row is read."""
    targets: list[tuple[KeyPath, str]] = [
        (("fields", "kind", "values", key), value) for key, value in (spec.values or {}).items()]
    targets += [(("fields", "kind", key), value) for key, value in
                (("blank", spec.blank), ("default", spec.default), ("constant", spec.constant))
                if value is not None]
    for path, value in targets:
        if value not in KINDS:
            errors.append(where.fault(path, f"{value!r} is not one of {', '.join(KINDS)}"
                                      f"{suggest(value, KINDS)}"))
    if spec.columns and spec.values is None and spec.default is None:
        errors.append(where.fault(("fields", "kind"), "needs values (the file's words for "
                                  f"each kind: {', '.join(KINDS)})"))
