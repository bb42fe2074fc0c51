"""The commands' CSV files write people's text that a spreadsheet would run as a formula as
text, as the pages' exports do, and leave numbers and dates as they are."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from confianza.vetting.cli.support import Listing, write_csv

LISTING: Listing[dict[str, object]] = Listing(
    ("name", lambda r: r["name"]),
    ("days", lambda r: r["days"]),
    ("since", lambda r: r["since"]),
    ("notes", lambda r: r["notes"]),
)


def test_formula_like_text_is_written_as_text_and_numbers_stay_numbers(tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    rows = [
        {"name": "=HYPERLINK(\"http://x\",\"click\")", "days": -3, "since": date(2026, 1, 2),
         "notes": ["+1 555", "ok"]},
        {"name": "@SUM(A1)", "days": 4, "since": None, "notes": "plain words"},
    ]
    assert write_csv(target, LISTING, rows) == 2
    with target.open(encoding="utf-8", newline="") as handle:
        read = list(csv.reader(handle))
    assert read[0] == ["name", "days", "since", "notes"]
    assert read[1] == ["'=HYPERLINK(\"http://x\",\"click\")", "-3", "2026-01-02", "'+1 555, ok"]
    assert read[2] == ["'@SUM(A1)", "4", "", "plain words"]
