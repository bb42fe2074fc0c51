"""The demo's second records (demo/rules/duplicates.py): each flaw as a clerk makes it, a posting
that never overlaps the original's career, repeatable for a seed."""

from __future__ import annotations

import random
from datetime import date

from confianza.demo.rules.duplicates import DemoFlaw, Original, demo_duplicates

TODAY = date(2026, 11, 20)


def originals(n: int) -> list[Original]:
    found = []
    for i in range(n):
        ended = date(2015 + i % 8, 3, 1) if i % 3 == 0 else None
        found.append(Original(
            i + 1, "María José", "Hernández", "Ortiz" if i % 4 else None,
            date(1975 + i % 15, 1 + i % 12, 1 + i % 28), "M", "JAL-SSP",
            date(2004 + i % 10, 6, 1), ended))
    return found


def test_each_flaw_is_made_as_named_and_postings_never_overlap_the_career() -> None:
    people = {o.officer_id: o for o in originals(60)}
    made = demo_duplicates(list(people.values()), TODAY, random.Random(3), 20)
    assert len(made) == 20
    assert {d.flaw for d in made} == set(DemoFlaw)
    assert len({d.original_id for d in made}) == 20  # one second record per person
    for d in made:
        o = people[d.original_id]
        if d.flaw is DemoFlaw.REHIRE:
            assert o.last_end is not None and o.last_end < d.start < TODAY and d.end is None
            assert (d.given_names, d.first_surname, d.birth_date) == (
                o.given_names, o.first_surname, o.birth_date)
        else:
            assert d.end is not None and d.start < d.end < o.first_start
            assert o.birth_date is not None and d.start.year - o.birth_date.year >= 19
        if d.flaw is DemoFlaw.SWAPPED_SURNAMES:
            assert (d.first_surname, d.second_surname) == (o.second_surname, o.first_surname)
        if d.flaw is DemoFlaw.NO_SECOND_SURNAME:
            assert o.second_surname and d.second_surname is None
        if d.flaw is DemoFlaw.NAME_TYPO:
            assert (d.given_names, d.first_surname) != (o.given_names, o.first_surname)
            assert d.given_names[0] == o.given_names[0] and d.first_surname[0] == "H"
            # Written as the original is: each word's first letter capital, the rest small.
            assert all(w[0].isupper() and w[1:].islower()
                       for w in (*d.given_names.split(), d.first_surname)), d
        if d.flaw is DemoFlaw.BIRTH_DATE_SLIP:
            assert d.birth_date != o.birth_date and d.birth_date is not None
            assert o.birth_date is not None and d.birth_date.year == o.birth_date.year
        assert d.payroll == f"DUP-{o.officer_id:07d}" and d.agency_code == o.agency_code


def test_the_same_seed_plants_the_same_records() -> None:
    people = originals(40)
    assert demo_duplicates(people, TODAY, random.Random(8), 12) == demo_duplicates(
        people, TODAY, random.Random(8), 12)
