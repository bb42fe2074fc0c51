"""Text that a spreadsheet would run as a formula, made to read as text.

Every CSV file the product writes (the pages' exports, the commands' lists) holds text people
typed: names, ranks, units, notes. Opened in a spreadsheet, a cell such as `=HYPERLINK(...)`
would run; with a leading apostrophe it shows as the words it is.
"""

from __future__ import annotations

#: A spreadsheet runs a cell that starts with one of these as a formula (or, for the last two,
#: may drop what precedes a formula).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(text: str) -> str:
    """The text, with a leading apostrophe if a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
