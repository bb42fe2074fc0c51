"""The pure generator: careers that respect the registry's rules, the same rows for a seed."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from confianza.core.errors import ErrorCollector
from confianza.demo.rules.careers import (
    MIN_DAYS_IN_RANK,
    CareerModel,
    FirstIds,
    build_rows,
)
from confianza.demo.rules.force import (
    FEDERAL_MERGER,
    RANK_PYRAMID,
    SCALES,
    Scale,
    apportion,
    plan_force,
)
from confianza.demo.rules.people import People
from confianza.kit.curp import build_curp, validate_curp
from confianza.registry.rules.agencies import AGENCY_CODE, check_agency
from confianza.registry.rules.assignments import first_overlap
from confianza.registry.rules.officers import search_key

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
PLAN = plan_force(Scale.TINY, random.Random(7))
MODEL = CareerModel(PLAN, TODAY)
HOMES = [i for i, a in enumerate(PLAN.agencies) if a.officers > 0]


@settings(max_examples=400, deadline=None)
@given(seed=st.integers(0, 2**32), home=st.sampled_from(HOMES),
       today=st.dates(date(2000, 1, 1), date(2060, 12, 31)))
def test_a_career_keeps_the_registry_rules(seed: int, home: int, today: date) -> None:
    model = MODEL if today == TODAY else CareerModel(PLAN, today)
    status, birth, segments = model.career(random.Random(seed), home)
    t = today.toordinal()
    periods = [(date.fromordinal(s.start), None if s.end is None else date.fromordinal(s.end))
               for s in segments]
    assert first_overlap(periods) is None
    assert all(s.start < t and (s.end is None or s.start < s.end <= t) for s in segments)
    assert birth < segments[0].start
    # The last assignment is in the home agency, or in the PF for a Guardia officer who left
    # before the merger.
    assert segments[-1].agency in ({home, model.pf} if home == model.gn else {home})
    assert [s for s in segments if s.end is None] in ([], [segments[-1]])
    for before, after in zip(segments, segments[1:], strict=False):
        assert before.end == after.start and before.end_reason == after.start_reason
    if status in ("separated", "deceased"):
        assert segments[-1].end is not None
        assert (segments[-1].end_reason == "death") == (status == "deceased")
    else:
        assert segments[-1].end is None
    # Time in rank: promotions are years apart (the merger split is not a promotion).
    promoted = [s.start for s in segments if s.start_reason == "promotion"]
    for earlier, later in zip([segments[0].start, *promoted], promoted, strict=False):
        assert later - earlier >= MIN_DAYS_IN_RANK


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_the_guardia_absorbs_the_policia_federal_on_the_merger_day(seed: int) -> None:
    merger = FEDERAL_MERGER.toordinal()
    _, _, segments = MODEL.career(random.Random(seed), MODEL.gn)
    for before, after in zip(segments, segments[1:], strict=False):
        if before.agency == MODEL.pf and after.agency == MODEL.gn:
            assert before.end == after.start == merger
            assert before.end_reason == after.start_reason == "merger"
            assert before.rank == after.rank
            pf_unit = PLAN.agencies[MODEL.pf].units[before.unit].code
            assert PLAN.agencies[MODEL.gn].units[after.unit].code == pf_unit
    assert all(s.end is not None and s.end <= merger for s in segments if s.agency == MODEL.pf)
    assert all(s.start >= merger for s in segments if s.agency == MODEL.gn)


def _digest(scale: Scale, seed: int) -> str:
    rng = random.Random(seed)
    plan = plan_force(scale, rng)
    digest = hashlib.sha256()
    for batch in build_rows(plan, rng, TODAY, NOW, FirstIds(), batch_size=100):
        digest.update(repr(batch).encode())
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows() -> None:
    assert _digest(Scale.TINY, 11) == _digest(Scale.TINY, 11)
    assert _digest(Scale.TINY, 11) != _digest(Scale.TINY, 12)


def test_officers_have_valid_curps_and_searchable_names() -> None:
    rng = random.Random(3)
    plan = plan_force(Scale.DEMO, rng)
    officers = [o for b in build_rows(plan, rng, TODAY, NOW, FirstIds()) for o in b.officers]
    assert len(officers) == SCALES[Scale.DEMO].local_officers + SCALES[Scale.DEMO].federal_officers
    assert len({o[1] for o in officers}) == len(officers)
    for _id, curp, given_names, first, second, key, born, year, sex, _s, _c, _u in officers[:3000]:
        assert validate_curp(curp) == curp
        assert curp[:16] == build_curp(first, second, given_names, born, sex, curp[11:13])[:16]
        assert key == search_key(first, second, given_names)
        assert year == born.year and born < TODAY
    women = sum(1 for o in officers if o[8] == "M") / len(officers)
    assert 0.15 < women < 0.25


def test_the_fast_curp_agrees_with_build_curp() -> None:
    people, rng = People(), random.Random(5)
    for _ in range(5000):
        first, second = rng.choice(people.surnames), rng.choice([*people.surnames, None])
        given = rng.choice(people.male + people.female)
        if rng.random() < 0.4:
            given = people.compound(given, rng.choice(people.male + people.female))
        born = date.fromordinal(rng.randrange(date(1940, 1, 1).toordinal(),
                                              date(2008, 1, 1).toordinal()))
        sex, state = rng.choice("HM"), rng.choice(["14", "09", "19", "05"])
        code = {"14": "JC", "09": "DF", "19": "NL", "05": "CL"}[state]
        mark = "0" if born.year < 2000 else "A"
        assert people.curp(first, second, given, born, sex, state, mark) == build_curp(
            first.text, None if second is None else second.text, given.text, born, sex, code)


def test_the_national_plan_follows_the_2018_figures() -> None:
    plan = plan_force(Scale.NATIONAL, random.Random(1))
    assert sum(a.officers for a in plan.agencies) == 401_607
    assert sum(a.officers for a in plan.agencies if a.level == "federal") == 65_360
    assert len({a.code for a in plan.agencies}) == len(plan.agencies)
    assert len([a for a in plan.agencies if a.level == "state"]) == 32
    for agency in plan.agencies:
        errors = ErrorCollector()
        check_agency(agency.code, agency.name, agency.level, agency.state_code,
                     agency.municipality_key, errors)
        assert AGENCY_CODE.match(agency.code) and not errors.errors, agency
    pf = plan.agencies[plan.index("PF")]
    assert pf.merged_into == "GN" and pf.dissolved_on == FEDERAL_MERGER


def test_ranks_form_a_pyramid() -> None:
    rng = random.Random(9)
    plan = plan_force(Scale.DEMO, rng)
    current = [a[4] for b in build_rows(plan, rng, TODAY, NOW, FirstIds()) for a in b.assignments
               if a[6] is None]
    assert current.count("Policía") > current.count("Policía Tercero") > current.count(
        "Suboficial") > current.count("Inspector")


def test_apportion_adds_up() -> None:
    assert sum(apportion(1001, [1.0, 2.0, 3.5])) == 1001
    assert apportion(10, [0.0, 0.0]) == [0, 0]
    assert len(RANK_PYRAMID) == 13
