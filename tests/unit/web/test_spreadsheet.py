"""CSV exports for spreadsheets (core/web/spreadsheet.py): formula-like cells are written as
text, the file is UTF-8 with a byte-order mark, and it is written as the rows arrive."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from confianza.core.web import spreadsheet
from confianza.core.web.spreadsheet import Columns, cell, csv_bytes, write_csv

COLUMNS: Columns[tuple[int, str]] = (("n", lambda row: row[0]), ("text", lambda row: row[1]))


@pytest.mark.parametrize(("value", "written"), [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+52 33 1234", "'+52 33 1234"), ("-1", "'-1"),
    ("@rank", "'@rank"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Peña", "Peña"), ("a=b", "a=b"),
    (None, ""), (7, "7"), (-3, "'-3"),
])
def test_cells_a_spreadsheet_would_run_are_written_as_text(value: object, written: str) -> None:
    assert cell(value) == written


def test_the_file_has_its_header_every_row_and_quotes_what_needs_it() -> None:
    rows = [(1, 'Dice "hola", luego =1+1'), (2, "=HYPERLINK(\"x\")"), (3, "línea\nnueva")]
    body = csv_bytes(COLUMNS, rows)
    assert body.startswith("\ufeff".encode())
    read = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert read == [["n", "text"], ["1", 'Dice "hola", luego =1+1'],
                    ["2", "'=HYPERLINK(\"x\")"], ["3", "línea\nnueva"]]
    assert b"\r\n" in body


def test_rows_are_written_as_they_arrive_not_gathered_first(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheet, "ROWS_PER_WRITE", 10)
    handed: list[int] = []
    written_at: list[int] = []

    class Sink(io.BytesIO):
        def write(self, data: bytes) -> int:  # type: ignore[override]
            written_at.append(len(handed))
            return super().write(data)

    def rows() -> Iterator[tuple[int, str]]:
        for n in range(35):
            handed.append(n)
            yield (n, "x")

    sink = Sink()
    assert write_csv(sink, COLUMNS, rows()) == 35
    assert written_at == [10, 20, 30, 35]
    assert len(list(csv.reader(io.StringIO(sink.getvalue().decode("utf-8-sig"))))) == 36
