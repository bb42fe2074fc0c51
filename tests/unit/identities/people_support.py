"""A small synthetic registry of people, for the matcher's tests (names from the demo's lists)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from confianza.demo.rules.people import People
from confianza.identities.rules.people import Person, officer_key, person

_PEOPLE = People()
_AGENCIES = ("GN", "JAL-SSP", "NL-FC", "JAL-GDL-PM", "CDMX-SSC", "MEX-SS")


def registry(size: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    found = []
    for i in range(1, size + 1):
        sex = rng.choice("HM")
        given = rng.choice(_PEOPLE.male if sex == "H" else _PEOPLE.female)
        first, second = rng.choice(_PEOPLE.surnames), rng.choice(_PEOPLE.surnames)
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 40))
        start = born + timedelta(days=365 * 20 + rng.randrange(365 * 15))
        curp = _PEOPLE.curp(first, second, given, born, sex, "14", "0")
        found.append(person(officer_key(i), given.text, first.text, second.text, born, None,
                            sex, curp, [rng.choice(_AGENCIES)], start))
    return found
