"""The roster refresh's rules (pure): what a file's rows change for a known person, and the
mapping key that says a roster is complete."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from confianza.core.errors import ValidationFailed
from confianza.registry.rules.import_mapping import parse_mapping
from confianza.registry.rules.import_rows import RosterRecord
from confianza.registry.rules.roster_refresh import (
    DiffKind,
    KnownPerson,
    KnownPosting,
    RefreshRules,
    facts_key,
    identity_conflicts,
    refresh_person,
)

TODAY = date(2026, 11, 20)
AGENCIES = {"JAL-SSP": 1, "NL-FC": 2}
RULES = RefreshRules("r.csv", {"start_date": "ingreso", "end_date": "baja",
                               "status": "estatus"},
                     frozenset({"curp", "rank", "start_date", "end_date"}), False, TODAY)
POSTING = KnownPosting(10, 1, "Z1", "POLICÍA", date(2015, 2, 1), None, None, "active",
                       "full_time", "sworn")
PERSON = KnownPerson(7, None, "ROSA", "PÉREZ", "MUÑOZ", "PEREZ MUNOZ ROSA", date(1980, 1, 2),
                     1980, "M", "active", (POSTING,), frozenset({(1, "500")}))
ROW = RosterRecord(2, "K", None, "Rosa", "Pérez", "Muñoz", "PEREZ MUNOZ ROSA",
                   date(1980, 1, 2), 1980, "M", "active", "JAL-SSP", "Z1", "Zona 1",
                   "POLICÍA", date(2015, 2, 1), None, None, None, ("500",))


def _diff(*rows: RosterRecord, person: KnownPerson = PERSON, rules: RefreshRules = RULES,
          covered: frozenset[int] = frozenset()):  # type: ignore[no-untyped-def]
    return refresh_person(person, rows, AGENCIES, rules, "K", covered)


def test_the_same_facts_change_nothing_and_spelling_is_not_a_conflict() -> None:
    diff = _diff(ROW)
    assert diff.kind is DiffKind.UNCHANGED and not diff.rows and not diff.updates


def test_a_rank_change_rewrites_the_posting_and_names_the_line() -> None:
    diff = _diff(replace(ROW, rank="CABO"))
    assert diff.kind is DiffKind.CHANGED
    [(before, after)] = diff.updates
    assert (before.rank, after.rank) == ("POLICÍA", "CABO")
    assert [(r.field, r.line) for r in diff.rows] == [("rank", 2)]


def test_an_end_with_a_separation_reason_separates_the_person() -> None:
    diff = _diff(replace(ROW, end_date=date(2024, 3, 1), end_reason="dismissal"))
    assert diff.kind is DiffKind.SEPARATED
    assert (diff.status, diff.status_on) == ("separated", date(2024, 3, 1))


def test_a_new_name_is_a_conflict_that_holds_every_other_change() -> None:
    diff = _diff(replace(ROW, given_names="Rosalinda", search_name="PEREZ MUNOZ ROSALINDA",
                         rank="CABO"))
    assert diff.kind is DiffKind.CONFLICT and not diff.updates
    assert [c.field for c in diff.conflicts] == ["name"]
    assert facts_key(7, diff.conflicts) == facts_key(7, list(reversed(diff.conflicts)))


@pytest.mark.parametrize(("change", "field"), [
    ({"birth_date": date(1981, 1, 2), "birth_year": 1981}, "birth_date"),
    ({"birth_date": None, "birth_year": 1979}, "birth_year"),
    ({"sex": "H"}, "sex"),
])
def test_birth_and_sex_that_differ_are_conflicts(change: dict[str, object], field: str) -> None:
    assert [c.field for c in identity_conflicts(PERSON, replace(ROW, **change), False)] == [
        field]


def test_a_blank_in_the_registry_is_filled_in_not_a_conflict() -> None:
    diff = _diff(ROW, person=replace(PERSON, sex=None, birth_date=None, birth_year=None))
    assert diff.identity == {"sex": "M", "birth_date": date(1980, 1, 2), "birth_year": 1980}


def test_a_posting_left_out_of_a_complete_roster_waits_as_a_pending_separation() -> None:
    complete = replace(RULES, complete=True)
    elsewhere = replace(ROW, agency_code="NL-FC", start_date=date(2020, 1, 1),
                        posting_kind="task_force")
    diff = _diff(elsewhere, rules=complete, covered=frozenset({1, 2}))
    assert [p.id for p in diff.separations] == [10]
    assert diff.status is None  # the posting is still open: nobody is separated silently
    assert _diff(elsewhere, rules=complete, covered=frozenset({2})).separations == []


def test_reopening_an_ended_posting_is_the_end_dates_fault() -> None:
    ended = replace(PERSON, status="separated", postings=(replace(
        POSTING, end_date=date(2020, 1, 1), end_reason="resignation", status="separated"),))
    [fault] = _diff(ROW, person=ended).faults
    assert fault.location == "r.csv:2:baja" and "cannot reopen" in fault.reason


def test_the_roster_section_takes_complete_and_nothing_else() -> None:
    base = '[fields]\ncurp="c"\ngiven_names="n"\nfirst_surname="p"\nrank="r"\nstart_date="s"\n' \
           '[agency]\ncode="X"\n'
    assert parse_mapping(base + "[roster]\ncomplete = true\n", "m.toml").complete
    assert not parse_mapping(base, "m.toml").complete
    with pytest.raises(ValidationFailed) as caught:
        parse_mapping(base + "[roster]\ncomplete = \"yes\"\n", "m.toml")
    assert caught.value.errors[0].location == "m.toml:10:roster.complete"
    with pytest.raises(ValidationFailed) as caught:
        parse_mapping(base + "[roster]\ncompleat = true\n", "m.toml")
    assert "did you mean 'complete'" in caught.value.errors[0].reason
