"""The files around an import, read and written at the edge: a mapping (a file or a shipped
one), the roster (CSV, plain or .gz), the rejects file, an agencies set-up file."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

from confianza.core.errors import FieldError, ValidationFailed
from confianza.core.formula_cells import as_text
from confianza.registry.rules.agencies import NewAgency
from confianza.registry.rules.import_mapping import ImportMapping, parse_agency_file, parse_mapping
from confianza.registry.rules.roster_file import RosterFile, decode_roster, rejected_lines
from confianza.registry.rules.roster_refresh import DiffRow

_MAPPINGS_PACKAGE = "confianza.registry.mappings"


def packaged_mappings() -> list[str]:
    """Names of the mapping files shipped with the package (e.g. "chicago-roster")."""
    folder = resources.files(_MAPPINGS_PACKAGE)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_mapping(reference: str | Path) -> ImportMapping:
    """A mapping from a file path or, failing that, by the name of a shipped mapping."""
    path = Path(reference)
    if path.is_file():
        return parse_mapping(_read_text(path), path.name)
    name = str(reference).removesuffix(".toml")
    if name in packaged_mappings():
        text = resources.files(_MAPPINGS_PACKAGE).joinpath(f"{name}.toml").read_text("utf-8")
        return parse_mapping(text, f"{name}.toml")
    shipped = ", ".join(packaged_mappings())
    raise ValidationFailed(FieldError(str(reference), f"no such mapping file (shipped mappings: "
                                      f"{shipped})"))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise ValidationFailed(FieldError(path.name, f"cannot be read: {exc}")) from exc


def read_roster(path: Path, encoding: str) -> RosterFile:
    """Read a roster file (CSV, or CSV compressed with gzip) named on the command line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(FieldError(path.name, f"cannot be read: {exc.strerror}")) from exc
    return decode_roster(path.name, raw, encoding)


def write_rejects(
    roster: RosterFile, delimiter: str, reasons: Mapping[int, str], target: Path
) -> int:
    """Copy the rejected rows (by first line number) as they were written, byte for byte, in
    the roster's encoding, each with a `reason` column added; returns how many."""
    try:
        with target.open("wb") as out:
            out.writelines(rejected_lines(roster, delimiter, reasons))
    except OSError as exc:
        raise ValidationFailed(FieldError(str(target), f"cannot be written: {exc.strerror}")
                               ) from exc
    return len(reasons)


def read_agency_file(path: Path) -> tuple[tuple[NewAgency, ...], tuple[str, ...]]:
    """Agencies from a set-up file named on the command line (TOML or CSV), with where each
    is written (file:line)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(FieldError(path.name, f"cannot be read: {exc.strerror}")) from exc
    return parse_agency_file(path.name, raw)


DIFF_HEADER = ("kind", "identity_key", "field", "registry_value", "file_value", "line")


def write_diff(rows: Sequence[DiffRow], target: Path) -> int:
    """The roster refresh's difference as CSV, one row per change with the file's line (blank
    for a person the file leaves out); cells a spreadsheet would run are made text."""
    try:
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(DIFF_HEADER)
            for row in rows:
                writer.writerow((row.kind.value, as_text(row.key), row.field,
                                 as_text(row.registry_value), as_text(row.file_value),
                                 "" if row.line is None else row.line))
    except OSError as exc:
        raise ValidationFailed(FieldError(str(target), f"cannot be written: {exc.strerror}")
                               ) from exc
    return len(rows)
