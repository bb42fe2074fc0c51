"""CSV files that people open in a spreadsheet: every export declares its columns once (each
header beside how its cell is read from a record) and is written here, the same way.

The files are UTF-8 with a byte-order mark (so Excel reads the accents), CRLF line ends, and
every cell that a spreadsheet would run as a formula written as text: names, ranks and units
are typed by people, and a cell such as `=HYPERLINK(...)` must stay words on the screen.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import IO, TypeVar

from confianza.core.formula_cells import as_text

T = TypeVar("T")

BYTE_ORDER_MARK = "\ufeff"
#: Rows formatted before they are handed to the file as bytes: few writes, little memory.
ROWS_PER_WRITE = 500

#: An export's columns: its header, and how each cell is read from a record.
Columns = tuple[tuple[str, Callable[[T], object]], ...]


def cell(value: object) -> str:
    """One cell as text, a formula-like text neutralised."""
    return "" if value is None else as_text(str(value))


def write_csv(handle: IO[bytes], columns: Columns[T], records: Iterable[T]) -> int:
    """Write the header and a row per record to a binary file, a few hundred rows at a time,
    as the records arrive (never all of them in memory); returns how many rows were written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BYTE_ORDER_MARK)
    writer.writerow([header for header, _ in columns])
    readers = [read for _, read in columns]
    written = 0
    for record in records:
        writer.writerow([cell(read(record)) for read in readers])
        written += 1
        if written % ROWS_PER_WRITE == 0:
            handle.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    handle.write(buffer.getvalue().encode("utf-8"))
    return written


def csv_bytes(columns: Columns[T], records: Iterable[T]) -> bytes:
    """A short list's whole file at once (an export already held in memory)."""
    out = io.BytesIO()
    write_csv(out, columns, records)
    return out.getvalue()
