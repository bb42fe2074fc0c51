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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
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
                                         f"holds bytes that are not valid {self.encoding} "
                                         "(the mapping's [csv] encoding)"))
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


def records_as_written(roster: RosterFile, delimiter: str) -> Iterator[tuple[int, str]]:
    """(first line number, the record's text exactly as written, without its line ending),
    the header included: a record quoted over several lines comes whole."""
    pending: list[str] = []

    def physical() -> Iterator[str]:
        for text in io.StringIO(roster.text, newline=""):
            pending.append(text)
            yield text

    reader = csv.reader(physical(), delimiter=delimiter)
    line = 1
    for _ in reader:  # the reader reads no further than the record it returns
        yield line, "".join(pending).rstrip("\r\n")
        pending.clear()
        line = reader.line_num + 1


def _cell(text: str, delimiter: str) -> str:
    if any(c in text for c in (delimiter, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _encode(text: str, encoding: str) -> bytes:
    try:
        # Undecodable bytes were kept as surrogates: this gives them back as they were.
        return text.encode(encoding, errors="surrogateescape")
    except UnicodeEncodeError:
        return text.encode(encoding, errors="backslashreplace")


def rejected_lines(
    roster: RosterFile, delimiter: str, reasons: Mapping[int, str]
) -> Iterator[bytes]:
    """The rejects file: the header and each rejected record with its original bytes (same
    encoding, quoting and line ending as the roster), then the REJECT_COLUMNS cells."""
    ending = "\n"
    for line, text in records_as_written(roster, delimiter):
        if line == 1:
            ending = "\r\n" if roster.text[len(text):len(text) + 2] == "\r\n" else "\n"
            added = [header for header, _ in REJECT_COLUMNS]
        elif line in reasons:
            added = [read(reasons, line) for _, read in REJECT_COLUMNS]
        else:
            continue
        cells = delimiter.join(_cell(cell, delimiter) for cell in added)
        yield _encode(f"{text}{delimiter}{cells}{ending}", roster.encoding)


_VARIABLE = re.compile(r"'[^']*'|\d{4}-\d{2}-\d{2}|\d+")


def _stand_in(match: re.Match[str]) -> str:
    text = match.group(0)
    return "'…'" if text.startswith("'") else ("DATE" if "-" in text else "N")


def reason_counts(faults: Iterable[FieldError]) -> list[tuple[str, int]]:
    """How many faults of each kind, most frequent first: a fault's kind is its column and its
    reason with the row's own values (quoted text, dates, numbers) taken out."""
    counts = Counter(
        f"{fault.location.rsplit(':', 1)[-1]}: {_VARIABLE.sub(_stand_in, fault.reason)}"
        for fault in faults)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
