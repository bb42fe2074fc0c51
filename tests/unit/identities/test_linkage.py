"""The linkage model on a synthetic registry: planted duplicates found, namesakes left alone."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from people_support import registry

from confianza.demo.rules.duplicates import Flaw, namesake, plant
from confianza.identities.rules.linkage import level_labels, score
from confianza.identities.rules.people import Person


@pytest.fixture(scope="module")
def planted() -> tuple[list[Person], dict[str, str], list[str]]:
    """600 people, a flawed second record of one person per flaw (two of each), and two
    namesakes of planted people born years apart: one with a CURP of their own, one with
    none on record."""
    rng = random.Random(11)
    people = registry(600)
    copies: dict[str, str] = {}
    extra = []
    for i, flaw in enumerate([*Flaw, *Flaw]):
        original = people[10 + i * 7]
        copy = plant(original, f"o:{9000 + i}", flaw, rng)
        extra.append(copy)
        copies[copy.key] = original.key
    others = [namesake(people[10], "o:9999", rng),
              replace(namesake(people[17], "o:9998", rng), curp=None)]
    assert others[0].curp is not None
    return [*people, *extra, *others], copies, [o.key for o in others]


def test_every_planted_duplicate_is_found_above_the_threshold(
    planted: tuple[list[Person], dict[str, str], list[str]],
) -> None:
    people, copies, _ = planted
    pairs = {frozenset((p.left, p.right)) for p in score(people, threshold=0.9)}
    missed = [k for k, original in copies.items() if frozenset((k, original)) not in pairs]
    assert missed == []


def test_a_namesake_born_another_year_is_not_proposed(
    planted: tuple[list[Person], dict[str, str], list[str]],
) -> None:
    people, _, others = planted
    pairs = score(people, threshold=0.5)
    assert [p for p in pairs if p.left in others or p.right in others] == []


def test_each_pair_says_why_in_labelled_levels(
    planted: tuple[list[Person], dict[str, str], list[str]],
) -> None:
    people, copies, _ = planted
    swapped = next(k for k, v in copies.items()
                   if next(p for p in people if p.key == k).first_surname
                   == next(p for p in people if p.key == v).second_surname)
    pair = next(p for p in score(people, threshold=0.5) if swapped in (p.left, p.right))
    labels = level_labels()
    assert labels["surnames"][int(str(pair.explanation["surnames"]["level"]))] == "swapped"
    assert float(str(pair.explanation["birth"]["weight"])) > 0


def test_nothing_to_compare_gives_no_pairs() -> None:
    assert score(registry(1)) == []
