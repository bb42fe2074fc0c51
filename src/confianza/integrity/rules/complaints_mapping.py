"""Complaint file mappings: which column of a complaints or accused file feeds which field.

A mapping (TOML) describes one file of another authority once — the Chicago complaints and
their accused ship with the package (`integrity/mappings/`) — so that its next edition loads
without code. The format follows the roster mappings (docs/import-mapping.md, ADR 0026): a
closed set of sections and keys, every mistake named as `file:line:key`. Pure.

What differs from a roster mapping is what a value map means. Fields with a closed vocabulary
(the allegation catalogue, the finding, the channel) must never take a value by accident, so a
value the map does not list is a fault of its row, and `blank` (what an empty cell means) is
kept apart from `default` (what any unlisted value means: an explicit "I accept anything").
Values are compared trimmed and without regard to case: "SUSTAINED" and "Sustained" are one
value written two ways, which the Chicago file does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from confianza.core.errors import FieldError, ValidationFailed
from confianza.integrity.rules.file_mapping import (
    FieldSpec,
    csv_section,
    field_spec,
)
from confianza.registry.rules.toml_lines import (
    KeyPath,
    Where,
    read_toml,
    section_faults,
    suggest,
    unknown_keys,
)


class FileKind(StrEnum):
    COMPLAINTS = "complaints"  # one row per complaint
    ACCUSED = "accused"  # one row per accused officer and allegation of a complaint


#: The allegation catalogue's keys (issue 17, item 1). The catalogue itself (an enum with its
#: labels) belongs to the integrity cases; a complaint file maps onto its keys.
ALLEGATIONS = ("bribery", "organised_crime", "leaking_information", "use_of_force", "theft",
               "drug_use", "abuse_of_authority", "extortion", "other")
FINDINGS = ("sustained", "not_sustained", "unfounded", "exonerated", "no_finding")
#: Who brought the complaint: a member of the public, the force itself, an anonymous line.
CHANNELS = ("civilian", "departmental", "anonymous", "other")
SEXES = ("H", "M", "X")

#: The fields each kind of file may map, the required ones, and the closed vocabularies.
FIELDS: Mapping[FileKind, tuple[str, ...]] = {
    FileKind.COMPLAINTS: ("key", "incident_date", "complaint_date", "closed_date", "place",
                          "beat", "case_type", "channel"),
    FileKind.ACCUSED: ("key", "complaint", "given_names", "first_surname", "star",
                       "birth_year", "appointed_date", "race", "sex", "allegation",
                       "allegation_text", "finding", "finding_text", "discipline", "status"),
}
REQUIRED: Mapping[FileKind, frozenset[str]] = {
    FileKind.COMPLAINTS: frozenset({"key", "channel"}),
    FileKind.ACCUSED: frozenset({"key", "complaint", "given_names", "first_surname",
                                 "allegation", "finding"}),
}
VOCABULARIES: Mapping[str, tuple[str, ...]] = {
    "allegation": ALLEGATIONS, "finding": FINDINGS, "channel": CHANNELS, "sex": SEXES,
}
SECTIONS: Mapping[str, frozenset[str] | None] = {
    "file": frozenset({"kind"}),
    "csv": frozenset({"encoding", "delimiter"}),
    "fields": None,
    "unknown": frozenset({"skip"}),
}


@dataclass(frozen=True)
class ComplaintMapping:
    """A checked mapping of one complaints or accused file."""

    source: str
    kind: FileKind
    encoding: str
    delimiter: str
    fields: Mapping[str, FieldSpec]
    # Rows holding a value the mapping does not know: refuse the file (False) or leave those
    # rows out, counted and named (True). The command's --skip-invalid says the same.
    skip_unknown: bool = False

    def columns(self) -> list[str]:
        """Every column the mapping reads, in first-mention order."""
        seen: dict[str, None] = {}
        for spec in self.fields.values():
            for column in spec.columns:
                seen[column] = None
        return list(seen)


def parse_complaint_mapping(text: str, source: str = "mapping") -> ComplaintMapping:
    """Read and check a complaint mapping; every fault names the file, the line and the key,
    and all of them are reported at once."""
    data = read_toml(text, source)
    where = Where(source, text)
    errors = section_faults(where, data, SECTIONS)
    raw_kind = data.get("file", {}).get("kind") if isinstance(data.get("file"), dict) else None
    try:
        kind = FileKind(str(raw_kind))
    except ValueError:
        errors.append(where.fault(("file", "kind"), f"{raw_kind!r} is not one of "
                                  f"{', '.join(k.value for k in FileKind)}"))
        raise ValidationFailed(errors) from None
    encoding, delimiter = csv_section(data, where, errors)
    raw_fields = data.get("fields", {}) if isinstance(data.get("fields"), dict) else {}
    errors += unknown_keys(where, ("fields",), raw_fields, FIELDS[kind], "field")
    fields: dict[str, FieldSpec] = {}
    for name, raw in raw_fields.items():
        if name in FIELDS[kind]:
            spec = field_spec(raw, where, ("fields", name), errors)
            if spec is not None:
                _check_vocabulary(name, spec, where, errors)
                fields[name] = spec
    missing = sorted(REQUIRED[kind] - set(raw_fields))
    if missing:
        errors.append(where.fault(("fields",), f"must map {', '.join(missing)}"))
    skip = data.get("unknown", {}).get("skip", False) if isinstance(
        data.get("unknown"), dict) else False
    if not isinstance(skip, bool):
        errors.append(where.fault(("unknown", "skip"), "must be true (leave out rows with "
                                  "values the mapping does not know) or false (refuse the file)"))
    if errors:
        raise ValidationFailed(errors)
    return ComplaintMapping(source, kind, encoding, delimiter, fields, bool(skip))



def _check_vocabulary(name: str, spec: FieldSpec, where: Where,
                      errors: list[FieldError]) -> None:
    """A closed field's map, blank, default and constant must all land in its vocabulary:
    a typo in the mapping ("sustaned") is the mapping's fault, found before any row is read."""
    allowed = VOCABULARIES.get(name)
    if allowed is None:
        return
    targets: list[tuple[KeyPath, str]] = [
        (("fields", name, "values", key), value) for key, value in (spec.values or {}).items()]
    targets += [(("fields", name, key), value) for key, value in
                (("blank", spec.blank), ("default", spec.default), ("constant", spec.constant))
                if value is not None]
    for path, value in targets:
        if value not in allowed:
            errors.append(where.fault(path, f"{value!r} is not one of {', '.join(allowed)}"
                                      f"{suggest(value, allowed)}"))
    if spec.columns and spec.values is None and spec.default is None:
        errors.append(where.fault(("fields", name), f"needs values (the file's values to "
                                  f"{', '.join(allowed)})"))
