"""A person as the matcher sees them: the identity and career facts two sources can share.

Pure. The registry's officers and an imported file's people are both reduced to this one shape
(names folded, a birth date or only a year, sex, CURP, the agencies served and the span of
service), so the model compares like with like whatever the source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from confianza.registry.rules.import_rows import RosterRecord
from confianza.registry.rules.officers import fold

#: A registry officer's key in a comparison; a file's person is "f:<first line>".
OFFICER_PREFIX = "o:"
FILE_PREFIX = "f:"


@dataclass(frozen=True, slots=True)
class Person:
    """One record to compare. `key` is unique across both sides of a comparison."""

    key: str
    given_names: str
    first_surname: str
    second_surname: str | None
    birth_date: date | None
    birth_year: int | None
    sex: str | None
    curp: str | None
    agencies: tuple[str, ...] = ()
    first_start: date | None = None
    last_end: date | None = None

    def evidence(self) -> dict[str, object]:
        """What a clerk sees of this record beside the other (no contact data, ever)."""
        return {
            "given_names": self.given_names, "first_surname": self.first_surname,
            "second_surname": self.second_surname,
            "birth_date": None if self.birth_date is None else self.birth_date.isoformat(),
            "birth_year": self.birth_year, "sex": self.sex, "curp": self.curp,
            "agencies": list(self.agencies),
            "first_start": None if self.first_start is None else self.first_start.isoformat(),
            "last_end": None if self.last_end is None else self.last_end.isoformat(),
        }


def officer_key(officer_id: int) -> str:
    return f"{OFFICER_PREFIX}{officer_id}"


def officer_id_of(key: str) -> int | None:
    """The officer id a key names, or None for a file's person."""
    return int(key[len(OFFICER_PREFIX):]) if key.startswith(OFFICER_PREFIX) else None


def file_line_of(key: str) -> int | None:
    return int(key[len(FILE_PREFIX):]) if key.startswith(FILE_PREFIX) else None


def folded(value: str | None) -> str | None:
    """Names compared as searched: upper case, no accents, single spaces; blank is missing."""
    if value is None:
        return None
    text = fold(value)
    return text or None


def person(
    key: str, given_names: str, first_surname: str, second_surname: str | None,
    birth_date: date | None, birth_year: int | None, sex: str | None, curp: str | None,
    agencies: Iterable[str] = (), first_start: date | None = None, last_end: date | None = None,
) -> Person:
    """A Person with its names folded and its birth year taken from the date when only that
    is known."""
    return Person(
        key=key, given_names=folded(given_names) or "", first_surname=folded(first_surname) or "",
        second_surname=folded(second_surname), birth_date=birth_date,
        birth_year=birth_date.year if birth_date is not None else birth_year,
        sex=sex or None, curp=(curp or None), agencies=tuple(sorted(set(agencies))),
        first_start=first_start, last_end=last_end,
    )


def from_roster(records: Sequence[RosterRecord]) -> Person:
    """One file person from their rows (one row per posting), keyed by the first row's line."""
    first = min(records, key=lambda r: r.line)
    starts = [r.start_date for r in records]
    ends = [r.end_date for r in records]
    # An open posting means the person still serves: no end to the span.
    last_end = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
    return person(
        f"{FILE_PREFIX}{first.line}", first.given_names, first.first_surname,
        first.second_surname, first.birth_date, first.birth_year, first.sex, first.curp,
        (r.agency_code for r in records), min(starts), last_end,
    )
