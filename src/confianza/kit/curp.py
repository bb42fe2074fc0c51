"""The CURP (Clave Única de Registro de Población): validating one, reading it, building one.

A CURP has 18 characters::

    H E G G 5 6 0 4 2 7 M V Z R R L 0 4
    └──┬──┘ └────┬────┘ │ └┬┘ └─┬─┘ │ └ check digit (18)
       │         │      │  │    │   └── homonym differentiator (17): a digit for births
       │         │      │  │    │       before 2000, a letter from 2000 on
       │         │      │  │    └────── first internal consonant of first surname, second
       │         │      │  │            surname and given name (14-16)
       │         │      │  └─────────── state of birth, RENAPO's two letters, NE abroad (12-13)
       │         │      └────────────── sex: H, M, or X (non-binary, accepted by RENAPO since 2023)
       │         └───────────────────── birth date YYMMDD (5-10)
       └─────────────────────────────── letters from the surnames and given name (1-4)

The rules for building one follow RENAPO's instructions for assigning the CURP (accents
dropped, Ñ written X, particles such as DE, DEL, LA skipped, JOSÉ and MARÍA passed over when a
second given name follows, and the second letter turned into X when the first four letters
spell a word on RENAPO's list of inconvenient words). The check digit is RENAPO's: each of the
first 17 characters takes its place in ``0-9 A-N Ñ O-Z`` (0 to 36), weighted 18 down to 2;
the digit is ``(10 - sum % 10) % 10``.

Error messages never repeat the whole CURP: it is personal data and messages end up in logs.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from operator import mul

from confianza.kit.errors import StandardsError

__all__ = [
    "CURP_LENGTH",
    "CURP_STATE_CODES",
    "INCONVENIENT_WORDS",
    "InvalidCurp",
    "build_curp",
    "curp_birth_date",
    "curp_check_digit",
    "curp_sex",
    "is_valid_curp",
    "validate_curp",
]

CURP_LENGTH = 18


class InvalidCurp(StandardsError):
    """A CURP that breaks the format; the message says which part and why, in English.

    A ``StandardsError``: a ``ValueError`` to pydantic validators and plain callers, shown by
    every edge as the product's own errors are.
    """

    status = 422
    title = "Invalid CURP"


# --- tables, built once -------------------------------------------------------------------

_CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
_CHECK_VALUE: dict[str, int] = {}
for _i, _c in enumerate(_CHECK_ALPHABET):
    _CHECK_VALUE[_c] = _i
    _CHECK_VALUE[_c.lower()] = _i
_WEIGHTS: tuple[int, ...] = tuple(range(18, 1, -1))  # 18, 17, ..., 2: seventeen weights
_DIGITS = "0123456789"
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_VOWELS = frozenset("AEIOU")
_CONSONANTS = _LETTERS - _VOWELS  # X, the placeholder, is one of them
_SECOND_CHARACTER = frozenset("AEIOUX")
_SEXES = frozenset("HMX")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: The code RENAPO writes in positions 12-13 for people born abroad.
FOREIGN_BORN_CURP_CODE = "NE"

#: Every code that may stand in positions 12-13: the 32 federal entities' (RENAPO's two-letter
#: codes, which are not the INEGI or ISO ones) and NE for the foreign-born. The registry's
#: geography names the same codes per state; a test holds the two together.
CURP_STATE_CODES: frozenset[str] = frozenset({
    "AS", "BC", "BS", "CC", "CH", "CL", "CM", "CS", "DF", "DG", "GR", "GT", "HG", "JC", "MC",
    "MN", "MS", "NL", "NT", "OC", "PL", "QR", "QT", "SL", "SP", "SR", "TC", "TL", "TS", "VZ",
    "YN", "ZS", FOREIGN_BORN_CURP_CODE,
})

#: RENAPO's inconvenient four-letter words: when the first four letters of a CURP would spell
#: one of them, the second letter is written X instead.
INCONVENIENT_WORDS: frozenset[str] = _word_set(
    """
    BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA
    CULO FALO FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA
    KOJE KOJI KOJO KOLA KULO LILO LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION
    MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA
    ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY
    """
)

#: Words of a compound name that RENAPO passes over: articles, prepositions, conjunctions.
_PARTICLES = _word_set("DA DAS DE DEL DER DI DIE DD EL LA LAS LE LES LOS MAC MC VAN VON Y")
#: Given names passed over when another given name follows (MARÍA JOSEFINA → J).
_COMMON_GIVEN_NAMES = frozenset({"MARIA", "MA.", "MA", "JOSE", "J.", "J"})
_WORD_SEPARATORS = str.maketrans({"-": " ", "/": " ", ",": " ", "_": " "})


# --- reading a CURP -----------------------------------------------------------------------


def curp_check_digit(first17: str) -> str:
    """The check digit (``"0"``..``"9"``) for the first 17 characters of a CURP."""
    if len(first17) != 17:
        raise InvalidCurp(f"the check digit needs exactly 17 characters, got {len(first17)}")
    try:
        # map/mul keep the loop in C: imports check hundreds of thousands of CURPs at a time.
        total = sum(map(mul, map(_CHECK_VALUE.__getitem__, first17), _WEIGHTS))
    except KeyError as exc:
        raise InvalidCurp(f"character {exc.args[0]!r} cannot appear in a CURP") from None
    return _DIGITS[(10 - total % 10) % 10]


_SHAPE = re.compile(
    "[A-Z][AEIOUX][A-Z]{2}([0-9]{6})[HMX](?:"
    + "|".join(sorted(CURP_STATE_CODES))
    + ")[B-DF-HJ-NP-TV-Z]{3}([0-9A-Z])[0-9]"
)


def validate_curp(value: str) -> str:
    """Return ``value`` stripped and upper-cased if it is a well-formed CURP.

    Raises :class:`InvalidCurp` naming the first fault found, checking left to right.
    """
    if not isinstance(value, str):
        raise InvalidCurp(f"a CURP must be text, got {type(value).__name__}")
    curp = value.strip().upper()
    # Fast path for the common case (imports check hundreds of thousands): one regular
    # expression for the shape, then the date and the check digit. Anything it does not accept
    # goes through the checks below, which name the fault.
    shape = _SHAPE.fullmatch(curp)
    if (
        shape is not None
        and _date_or_none(1900 if shape.group(2).isdigit() else 2000, shape.group(1)) is not None
        and curp[17] == curp_check_digit(curp[:17])
    ):
        return curp
    if len(curp) != CURP_LENGTH:
        if not curp:
            raise InvalidCurp("the CURP is empty")
        raise InvalidCurp(f"a CURP has 18 characters, this one has {len(curp)}")

    for position in range(4):
        char = curp[position]
        if char not in _LETTERS:
            raise InvalidCurp(f"character {position + 1} must be a letter A-Z, got {char!r}")
    if curp[1] not in _SECOND_CHARACTER:
        raise InvalidCurp(f"character 2 must be a vowel or X, got {curp[1]!r}")

    digits = curp[4:10]
    for char in digits:
        if char not in _DIGITS:
            raise InvalidCurp(f"characters 5-10 must be the birth date as YYMMDD, got {digits!r}")

    sex = curp[10]
    if sex not in _SEXES:
        raise InvalidCurp(f"character 11 (sex) must be H, M or X, got {sex!r}")

    state = curp[11:13]
    if state not in CURP_STATE_CODES:
        raise InvalidCurp(f"unknown state code {state}")

    for position in range(13, 16):
        char = curp[position]
        if char not in _CONSONANTS:
            raise InvalidCurp(f"character {position + 1} must be a consonant (or X), got {char!r}")

    differentiator = curp[16]
    if differentiator in _DIGITS:
        century = 1900
    elif differentiator in _LETTERS:
        century = 2000
    else:
        raise InvalidCurp(
            f"character 17 (differentiator) must be a digit or a letter, got {differentiator!r}"
        )
    if _date_or_none(century, digits) is None:
        other = 2000 if century == 1900 else 1900
        if _date_or_none(other, digits) is None:
            raise InvalidCurp(f"birth date {digits} is not a real date")
        kind = "digit" if century == 1900 else "letter"
        raise InvalidCurp(
            f"birth date {digits} is not a real date in {century}-{century + 99} "
            f"(a {kind} differentiator places the birth there)"
        )

    check = curp[17]
    if check not in _DIGITS:
        raise InvalidCurp(f"character 18 (check digit) must be a digit, got {check!r}")
    expected = curp_check_digit(curp[:17])
    if check != expected:
        raise InvalidCurp(f"check digit is {check}, expected {expected}")
    return curp


def is_valid_curp(value: str) -> bool:
    """True when :func:`validate_curp` would accept ``value``."""
    try:
        validate_curp(value)
    except InvalidCurp:
        return False
    return True


def curp_birth_date(curp: str) -> date:
    """The birth date a valid CURP records; the century comes from character 17."""
    curp = validate_curp(curp)
    century = 1900 if curp[16] in _DIGITS else 2000
    return date(century + int(curp[4:6]), int(curp[6:8]), int(curp[8:10]))


def curp_sex(curp: str) -> str:
    """The sex a valid CURP records: ``"H"`` (hombre), ``"M"`` (mujer) or ``"X"``."""
    return validate_curp(curp)[10]


def _date_or_none(century: int, yymmdd: str) -> date | None:
    try:
        return date(century + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return None


# --- building a CURP ----------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Upper case, accents and other marks dropped, Ñ kept, separators turned into spaces."""
    text = text.upper().replace("Ñ", "\0").translate(_WORD_SEPARATORS)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("\0", "Ñ")


def _letters_only(word: str) -> str:
    return "".join(ch for ch in word if ch in _LETTERS or ch == "Ñ")


def _significant_words(text: str) -> list[str]:
    """The words of a name with particles dropped; punctuation kept so MA. is recognised."""
    words = []
    for raw in _normalise(text).split():
        if _letters_only(raw) not in _PARTICLES:
            words.append(raw)
    return words


def _word_parts(word: str) -> tuple[str, str, str]:
    """(initial, first internal vowel, first internal consonant) of one word, X for missing."""
    initial = word[0] if word[0] in _LETTERS else "X"  # Ñ and anything else become X
    vowel = next((ch for ch in word[1:] if ch in _VOWELS), "X")
    consonant = next((ch if ch != "Ñ" else "X" for ch in word[1:] if ch not in _VOWELS), "X")
    return initial, vowel, consonant


@lru_cache(maxsize=65536)
def _surname_parts(surname: str) -> tuple[str, str, str] | None:
    words = [_letters_only(w) for w in _significant_words(surname)]
    words = [w for w in words if w]
    if not words:
        # A surname made only of particles ("DE LA"): fall back to its last word.
        words = [w for w in (_letters_only(x) for x in _normalise(surname).split()) if w][-1:]
    if not words:
        return None
    return _word_parts(words[0])


@lru_cache(maxsize=65536)
def _given_name_parts(given_names: str) -> tuple[str, str, str] | None:
    words = _significant_words(given_names)
    if len(words) > 1 and words[0] in _COMMON_GIVEN_NAMES:
        words = words[1:]
    cleaned = [w for w in (_letters_only(x) for x in words) if w]
    if not cleaned:
        cleaned = [w for w in (_letters_only(x) for x in _normalise(given_names).split()) if w]
    if not cleaned:
        return None
    return _word_parts(cleaned[0])


def build_curp(
    first_surname: str,
    second_surname: str | None,
    given_names: str,
    birth_date: date,
    sex: str,
    state_curp_code: str,
    differentiator: str | None = None,
) -> str:
    """The CURP RENAPO would assign, with ``differentiator`` (default 0 before 2000, A after).

    ``state_curp_code`` is RENAPO's two letters (see :data:`CURP_STATE_CODES`), NE for births
    abroad; ``sex`` is H, M or X. Raises ``ValueError`` for input that cannot make a CURP.
    """
    first = _surname_parts(first_surname)
    if first is None:
        raise ValueError("the first surname has no letters")
    second = _surname_parts(second_surname) if second_surname else None
    given = _given_name_parts(given_names)
    if given is None:
        raise ValueError("the given names have no letters")

    year = birth_date.year
    if not 1900 <= year <= 2099:
        raise ValueError(f"a CURP can only record births from 1900 to 2099, not {year}")
    if differentiator is None:
        differentiator = "0" if year < 2000 else "A"
    elif year < 2000 and (len(differentiator) != 1 or differentiator not in _DIGITS):
        raise ValueError(f"births before 2000 take a digit differentiator, not {differentiator!r}")
    elif year >= 2000 and (len(differentiator) != 1 or differentiator not in _LETTERS):
        raise ValueError(f"births from 2000 take a letter differentiator, not {differentiator!r}")

    sex = sex.upper()
    if sex not in _SEXES:
        raise ValueError(f"sex must be H, M or X, not {sex!r}")
    state = state_curp_code.upper()
    if state not in CURP_STATE_CODES:
        raise ValueError(f"unknown CURP state code {state_curp_code!r}")

    second_initial, second_consonant = (second[0], second[2]) if second else ("X", "X")
    head = first[0] + first[1] + second_initial + given[0]
    if head in INCONVENIENT_WORDS:
        head = head[0] + "X" + head[2:]
    first17 = (
        f"{head}{year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}{sex}{state}"
        f"{first[2]}{second_consonant}{given[2]}{differentiator}"
    )
    return first17 + curp_check_digit(first17)
