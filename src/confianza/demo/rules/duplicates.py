"""Duplicates planted on purpose: one person written down again the ways clerks get it wrong.

Pure, with an injected random source. The matcher's figures (benchmarks/identity_match.py)
and tests are measured on these: a second record of a known person whose name has a typo,
whose surnames are swapped, whose second surname is missing, whose CURP has one changed
digit or whose birth date has a slipped digit; and a namesake who is somebody else.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from confianza.identities.rules.people import Person

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Flaw(StrEnum):
    NAME_TYPO = "name_typo"
    SWAPPED_SURNAMES = "swapped_surnames"
    NO_SECOND_SURNAME = "no_second_surname"
    CURP_DIGIT = "curp_digit"
    BIRTH_DATE_SLIP = "birth_date_slip"


def _typo(text: str, rng: random.Random) -> str:
    """One letter replaced, dropped or doubled (never the first: people rarely miss that)."""
    if len(text) < 3:
        return text + rng.choice(_LETTERS)
    i = rng.randrange(1, len(text))
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + rng.choice(_LETTERS) + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]


def _slip(born: date, rng: random.Random) -> date:
    """The day or the month typed one off, as long as the date still exists."""
    for _ in range(10):
        try:
            if rng.random() < 0.5:
                return born.replace(day=born.day + rng.choice((-1, 1)))
            return born.replace(month=born.month + rng.choice((-1, 1)))
        except ValueError:
            continue
    return born


def plant(original: Person, key: str, flaw: Flaw, rng: random.Random) -> Person:
    """A second record of the same person with one flaw."""
    copy = replace(original, key=key)
    if flaw is Flaw.NAME_TYPO:
        if rng.random() < 0.5:
            return replace(copy, given_names=_typo(original.given_names, rng))
        return replace(copy, first_surname=_typo(original.first_surname, rng))
    if flaw is Flaw.SWAPPED_SURNAMES and original.second_surname:
        return replace(copy, first_surname=original.second_surname,
                       second_surname=original.first_surname)
    if flaw is Flaw.NO_SECOND_SURNAME or flaw is Flaw.SWAPPED_SURNAMES:
        return replace(copy, second_surname=None)
    if flaw is Flaw.CURP_DIGIT and original.curp:
        i = rng.choice((4, 5, 6, 7, 8, 9, 17))  # the birth date's digits and the check digit
        digit = str((int(original.curp[i]) + rng.randrange(1, 10)) % 10)
        return replace(copy, curp=original.curp[:i] + digit + original.curp[i + 1:])
    if original.birth_date is not None:
        return replace(copy, birth_date=_slip(original.birth_date, rng))
    return copy


def namesake(original: Person, key: str, rng: random.Random) -> Person:
    """Someone else with the same names: born another year (so with a CURP of their own, or
    none on record), with no career in common."""
    year = (original.birth_year or 1985) + rng.choice((-7, -5, -3, 3, 5, 7))
    born = None if original.birth_date is None else date(year, original.birth_date.month, 1)
    curp = None
    if original.curp and born is not None and rng.random() < 0.5:
        curp = original.curp[:4] + born.strftime("%y%m%d") + original.curp[10:]
    return replace(original, key=key, birth_date=born, birth_year=year, curp=curp,
                   agencies=(), first_start=None, last_end=None)


# The demo's duplicates -------------------------------------------------------------------------
# A handful of people written down twice in the demo registry, for the registry clerk to find on
# /identities: each second record came in through an ordinary registration, the way a second
# record comes to exist (an earlier job the registry never linked, a re-hire under a new
# employee number), with a clerk's slip in it. Unlike the benchmark's planted records these
# must be mergeable, so their postings never overlap the original's.


@dataclass(frozen=True)
class Original:
    """What the demo knows of an officer it writes down again: the names as registered, and
    the span and first agency of their career."""

    officer_id: int
    given_names: str
    first_surname: str
    second_surname: str | None
    birth_date: date | None
    sex: str | None
    agency_code: str
    first_start: date
    last_end: date | None  # None while they serve


class DemoFlaw(StrEnum):
    NAME_TYPO = "name_typo"
    SWAPPED_SURNAMES = "swapped_surnames"
    NO_SECOND_SURNAME = "no_second_surname"
    BIRTH_DATE_SLIP = "birth_date_slip"
    REHIRE = "rehire"  # the same names, a new employee number, after the career had ended


@dataclass(frozen=True)
class Duplicate:
    """A second record of `original_id`: who it says the person is and the one posting it
    holds (ended for an earlier job; open for a re-hire), under a payroll number of its own."""

    original_id: int
    flaw: DemoFlaw
    given_names: str
    first_surname: str
    second_surname: str | None
    birth_date: date | None
    sex: str | None
    agency_code: str
    start: date
    end: date | None
    payroll: str


def _typo_cased(text: str, rng: random.Random) -> str:
    """A typo as a clerk makes one in a name written in mixed case: a letter replaced (in the
    case of the one before it), dropped or doubled, never the first of a word."""
    inner = [i for i in range(1, len(text)) if text[i].isalpha() and text[i - 1].isalpha()]
    if not inner:
        return text + rng.choice(_LETTERS).lower()
    i = rng.choice(inner)
    kind = rng.randrange(3)
    if kind == 0:
        letter = rng.choice(_LETTERS.replace(text[i].upper(), ""))
        return text[:i] + (letter.lower() if text[i - 1].islower() else letter) + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]


def _earlier_job(original: Original, rng: random.Random) -> tuple[date, date] | None:
    """A job held before the first one the registry knows, ended at least a month before it,
    begun at 19 or later; None when the career began too young to fit one."""
    end = original.first_start - timedelta(days=rng.randrange(30, 400))
    start = end - timedelta(days=rng.randrange(400, 5 * 365))
    if original.birth_date is not None:
        start = max(start, original.birth_date.replace(month=1, day=1) + timedelta(days=19 * 366))
    return (start, end) if (end - start).days >= 180 else None


def demo_duplicates(originals: Sequence[Original], today: date, rng: random.Random,
                    count: int) -> list[Duplicate]:
    """Up to `count` second records, one per original, the flaws taken in turn: the re-hires
    from officers whose career ended (a new posting after it), the others an earlier job."""
    found: list[Duplicate] = []
    flaws = list(DemoFlaw)
    for original in originals:
        if len(found) >= count:
            break
        flaw = flaws[len(found) % len(flaws)]
        given, first, second = (original.given_names, original.first_surname,
                                original.second_surname)
        born = original.birth_date
        if flaw is DemoFlaw.REHIRE:
            if original.last_end is None:
                continue
            start = original.last_end + timedelta(days=rng.randrange(60, 500))
            if start >= today:
                continue
            posting: tuple[date, date | None] = (start, None)
        else:
            earlier = _earlier_job(original, rng)
            if earlier is None:
                continue
            posting = earlier
            if flaw is DemoFlaw.NAME_TYPO:
                if rng.random() < 0.5:
                    given = _typo_cased(given, rng)
                else:
                    first = _typo_cased(first, rng)
            elif flaw is DemoFlaw.SWAPPED_SURNAMES:
                if second is None:
                    continue
                first, second = second, first
            elif flaw is DemoFlaw.NO_SECOND_SURNAME:
                if second is None:
                    continue
                second = None
            elif flaw is DemoFlaw.BIRTH_DATE_SLIP:
                if born is None:
                    continue
                born = _slip(born, rng)
        found.append(Duplicate(
            original.officer_id, flaw, given, first, second, born, original.sex,
            original.agency_code, posting[0], posting[1],
            f"DUP-{original.officer_id:07d}"))
    return found
