"""A roster file as the import reads it: decoded text, its digest, the rows and their faults.

Pure: the bytes come from wherever the roster was handed in (a file named on the command line,
an upload), so the same import serves every edge.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from confianza.core.errors import FieldError, ValidationFailed

# What `surrogateescape` turns undecodable bytes into: a row holding one was badly encoded.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


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


def decode_roster(name: str, raw: bytes, encoding: str) -> RosterFile:
    """A roster's bytes (gzip-compressed when the name ends in .gz) as text; bytes not valid in
    the encoding are kept, to be reported on the rows that hold them."""
    digest = hashlib.sha256(raw).hexdigest()
    if name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValidationFailed(FieldError(name, f"is not a gzip file: {exc}")) from exc
    try:
        text, undecodable = raw.decode(encoding), False
    except UnicodeDecodeError:
        text, undecodable = raw.decode(encoding, errors="surrogateescape"), True
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ValidationFailed(FieldError(f"{name}:1", "the file is empty"))
    return RosterFile(name, digest, text, undecodable, encoding)


#: The columns the rejects file adds after the roster's own, declared once: each header
#: beside how its cell is read for a rejected line, from the reasons by line number.
REJECT_COLUMNS: tuple[tuple[str, Callable[[Mapping[int, str], int], str]], ...] = (
    ("reason", lambda reasons, line: reasons[line]),
)


def rejected_rows(
    roster: RosterFile, delimiter: str, reasons: Mapping[int, str]
) -> Iterator[list[str]]:
    """The header and the rejected rows (by first line number), with REJECT_COLUMNS added."""
    for line, row in roster.rows(delimiter):
        if line == 1:
            yield [*row, *(header for header, _ in REJECT_COLUMNS)]
        elif line in reasons:
            yield [*row, *(read(reasons, line) for _, read in REJECT_COLUMNS)]
