"""Files around a roster import: a mapping, the CSV (plain or .gz), the rejects file."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from confianza.core.errors import FieldError, ValidationFailed
from confianza.registry.rules.import_mapping import ImportMapping, parse_mapping

_MAPPINGS_PACKAGE = "confianza.registry.mappings"
# What `surrogateescape` turns undecodable bytes into: a row holding one was badly encoded.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


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


@dataclass(frozen=True)
class RosterFile:
    """A roster's decoded text, with what the audit entry records about the file."""

    name: str
    sha256: str
    text: str
    undecodable: bool  # some bytes were not valid in the mapping's encoding
    encoding: str

    def rows(self, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        """(first line number, fields) for every record, the header included."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=delimiter)
        line = 1
        for row in reader:
            yield line, row
            line = reader.line_num + 1

    def encoding_errors(self, header: list[str], row: list[str], line: int) -> list[FieldError]:
        errors = []
        for i, value in enumerate(row):
            if not value.isascii() and _UNDECODABLE.search(value):
                column = header[i] if i < len(header) else str(i + 1)
                errors.append(FieldError(f"{self.name}:{line}:{column}",
                                         f"holds bytes that are not valid {self.encoding}"))
        return errors


def read_roster(path: Path, encoding: str) -> RosterFile:
    """Read a CSV (or a gzip-compressed one); bad bytes are kept to be reported per row."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(FieldError(path.name, f"cannot be read: {exc.strerror}")) from exc
    digest = hashlib.sha256(raw).hexdigest()
    if path.suffix.lower() == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValidationFailed(FieldError(path.name, f"is not a gzip file: {exc}")) from exc
    try:
        text, undecodable = raw.decode(encoding), False
    except UnicodeDecodeError:
        text, undecodable = raw.decode(encoding, errors="surrogateescape"), True
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ValidationFailed(FieldError(f"{path.name}:1", "the file is empty"))
    return RosterFile(path.name, digest, text, undecodable, encoding)


#: The columns the rejects file adds after the roster's own, declared once: each header
#: beside how its cell is read for a rejected line, from the reasons by line number.
REJECT_COLUMNS: tuple[tuple[str, Callable[[Mapping[int, str], int], str]], ...] = (
    ("reason", lambda reasons, line: reasons[line]),
)


def write_rejects(
    roster: RosterFile, delimiter: str, reasons: Mapping[int, str], target: Path
) -> int:
    """Copy the rejected rows (by first line number) with REJECT_COLUMNS added; returns how
    many."""
    written = 0
    with target.open("w", encoding="utf-8", newline="", errors="backslashreplace") as out:
        writer = csv.writer(out)
        for line, row in roster.rows(delimiter):
            if line == 1:
                writer.writerow([*row, *(header for header, _ in REJECT_COLUMNS)])
            elif line in reasons:
                writer.writerow([*row, *(read(reasons, line) for _, read in REJECT_COLUMNS)])
                written += 1
    return written
