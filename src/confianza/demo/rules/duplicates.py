"""Duplicates planted on purpose: one person written down again the ways clerks get it wrong.

Pure, with an injected random source. The matcher's figures (benchmarks/identity_match.py)
and tests are measured on these: a second record of a known person whose name has a typo,
whose surnames are swapped, whose second surname is missing, whose CURP has one changed
digit or whose birth date has a slipped digit; and a namesake who is somebody else.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
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
