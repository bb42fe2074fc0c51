"""Synthetic people: names from Faker's es_MX lists and their CURPs, made fast enough for 400,000.

The name lists are read once from Faker's provider classes (no Faker instance, no per-row Faker
call: they are slow) and sampled with the caller's seeded `random.Random`. CURPs are assembled
from parts that `domain.curp.build_curp` itself computed once per name, with the check digit
summed from precomputed partial weights; `tests/unit/synthetic` checks the result against
`build_curp` for thousands of people.
"""

from __future__ import annotations

from datetime import date

from faker.providers.person.es_MX import Provider as _People

from confianza.kit.curp import INCONVENIENT_WORDS, build_curp
from confianza.registry.rules.geography import STATES
from confianza.registry.rules.officers import fold

# RENAPO's check-digit alphabet: each character's value is its position (see kit/curp.py).
_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ")}
_PROBE_DATE = date(1990, 1, 1)


class Name:
    """A name with its folded search form and the CURP letters and check sums it contributes."""

    __slots__ = ("text", "key", "initial", "vowel", "consonant")

    def __init__(self, text: str, initial: str, vowel: str, consonant: str) -> None:
        self.text = text
        self.key = fold(text)
        self.initial = initial
        self.vowel = vowel
        self.consonant = consonant


def _surname(text: str) -> Name:
    # As the first surname beside a neutral partner: letters 1-2 and 14 are this name's. No
    # inconvenient word has an X third, so letter 2 is never the substituted X here.
    probe = build_curp(text, None, "BERNARDO", _PROBE_DATE, "H", "JC")
    return Name(text, probe[0], probe[1], probe[13])


def _given(text: str) -> Name:
    probe = build_curp("PEREZ", None, text, _PROBE_DATE, "H", "JC")
    return Name(text, probe[3], "", probe[15])


class People:
    """The es_MX name lists, ready to sample, and a CURP maker over them."""

    def __init__(self) -> None:
        self.male = [_given(n) for n in sorted(set(_People.first_names_male))]
        self.female = [_given(n) for n in sorted(set(_People.first_names_female))]
        self.surnames = [_surname(n) for n in sorted(set(_People.last_names))]
        self._state_sum = {s.code: (s.curp_code, _VALUE[s.curp_code[0]] * 7
                                    + _VALUE[s.curp_code[1]] * 6) for s in STATES}
        self._compound: dict[tuple[str, str], Name] = {}

    def compound(self, first: Name, second: Name) -> Name:
        """Two given names ("José Luis"): the CURP passes over a leading José or María."""
        key = (first.text, second.text)
        name = self._compound.get(key)
        if name is None:
            name = self._compound[key] = _given(f"{first.text} {second.text}")
        return name

    def curp(self, first: Name, second: Name | None, given: Name, born: date, sex: str,
             state_code: str, differentiator: str) -> str:
        """The CURP `build_curp` would give these parts, assembled without re-reading names."""
        second_initial, second_consonant = (
            (second.initial, second.consonant) if second is not None else ("X", "X"))
        head = first.initial + first.vowel + second_initial + given.initial
        if head in INCONVENIENT_WORDS:
            head = head[0] + "X" + head[2:]
        state, state_sum = self._state_sum[state_code]
        yy, mm, dd = born.year % 100, born.month, born.day
        v = _VALUE
        total = (
            v[head[0]] * 18 + v[head[1]] * 17 + v[head[2]] * 16 + v[head[3]] * 15
            + yy // 10 * 14 + yy % 10 * 13 + mm // 10 * 12 + mm % 10 * 11
            + dd // 10 * 10 + dd % 10 * 9 + v[sex] * 8 + state_sum
            + v[first.consonant] * 5 + v[second_consonant] * 4 + v[given.consonant] * 3
            + v[differentiator] * 2
        )
        return (f"{head}{yy:02d}{mm:02d}{dd:02d}{sex}{state}{first.consonant}"
                f"{second_consonant}{given.consonant}{differentiator}{(10 - total % 10) % 10}")
