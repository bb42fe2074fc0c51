"""The integrity rules: standing with its reasons, every safeguard, the stages and deadlines."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confianza.core.errors import InvalidTransition
from confianza.integrity.rules.catalogue import (
    Credibility,
    Duty,
    FindingKind,
    LinkKind,
    Reliability,
    SourceChannel,
    Standing,
)
from confianza.integrity.rules.safeguards import (
    Barred,
    CasePeople,
    Person,
    Posting,
    SafeguardRefused,
    Support,
    SupportKind,
    check_may_act,
    check_second_person,
    check_sustainable,
    in_chain_of_command,
    needs_second_person,
)
from confianza.integrity.rules.stages import (
    MOVES,
    Stage,
    answer_closed,
    appeal_open,
    due,
    move,
)
from confianza.integrity.rules.standing import (
    AllegationLink,
    EvidenceLink,
    SourceFacts,
    Weakness,
    assess,
)

B2 = (Reliability.B, Credibility.PROBABLY_TRUE)


def source(i: int, channel: SourceChannel, **flags: bool) -> SourceFacts:
    return SourceFacts(i, channel, *B2, **flags)


CITIZEN = source(1, SourceChannel.CITIZEN_COMPLAINT)
ANONYMOUS = source(2, SourceChannel.ANONYMOUS_LINE)
BANNER = source(3, SourceChannel.MEDIA_OR_BANNER)
PAID = source(4, SourceChannel.WITNESS_STATEMENT, protected=True, benefit=True)
PROTECTED_UNPAID = source(5, SourceChannel.WITNESS_STATEMENT, protected=True)


@pytest.mark.parametrize(("facts", "weakness"), [
    (ANONYMOUS, Weakness.ANONYMOUS),
    (BANNER, Weakness.MEDIA),
    (PAID, Weakness.PAID_PROTECTED_WITNESS),
    (source(6, SourceChannel.TRUST_CONTROL_EXAMS), Weakness.EXAM_ALONE),
    (SourceFacts(7, SourceChannel.FELLOW_OFFICER, Reliability.E, Credibility.POSSIBLY_TRUE),
     Weakness.UNRELIABLE),
    (SourceFacts(8, SourceChannel.SUPERVISOR, Reliability.B, Credibility.IMPROBABLE),
     Weakness.IMPROBABLE),
    (CITIZEN, None),
    (PROTECTED_UNPAID, None),
    # "Cannot be judged" is a first-time source, not a bad one.
    (SourceFacts(9, SourceChannel.CITIZEN_COMPLAINT, Reliability.F,
                 Credibility.CANNOT_BE_JUDGED), None),
])
def test_which_sources_cannot_stand_alone(facts: SourceFacts,
                                          weakness: Weakness | None) -> None:
    assert facts.weakness is weakness


def test_many_weak_sources_stay_uncorroborated_and_say_why() -> None:
    result = assess([ANONYMOUS, BANNER, PAID], [])
    assert result.standing is Standing.UNCORROBORATED
    codes = [r.code for r in result.reasons]
    assert codes.count("source_cannot_stand_alone") == 3
    assert codes[-1] == "no_source_that_stands"
    assert {r.weakness for r in result.reasons if r.weakness} == {
        Weakness.ANONYMOUS, Weakness.MEDIA, Weakness.PAID_PROTECTED_WITNESS}


def test_one_source_that_stands_is_not_corroboration() -> None:
    result = assess([CITIZEN], [])
    assert result.standing is Standing.UNCORROBORATED
    assert result.reasons[-1].code == "one_source_only"


def test_evidence_corroborates_even_an_anonymous_tip() -> None:
    result = assess([ANONYMOUS], [EvidenceLink(10, LinkKind.SUPPORTS)])
    assert result.standing is Standing.CORROBORATED
    assert result.reasons[0].code == "evidence_supports"
    assert result.reasons[0].ids == (10,)


def test_two_sources_that_stand_corroborate() -> None:
    assert assess([CITIZEN, PROTECTED_UNPAID], []).standing is Standing.CORROBORATED


def test_an_independent_allegation_corroborates_one_source() -> None:
    independent = AllegationLink(20, LinkKind.SUPPORTS, independent=True)
    dependent = AllegationLink(21, LinkKind.SUPPORTS, independent=False)
    assert assess([CITIZEN], [], [independent]).standing is Standing.CORROBORATED
    assert assess([CITIZEN], [], [dependent]).standing is Standing.UNCORROBORATED


def test_contradicting_evidence_without_support_contradicts() -> None:
    result = assess([CITIZEN, PROTECTED_UNPAID], [EvidenceLink(11, LinkKind.CONTRADICTS)])
    assert result.standing is Standing.CONTRADICTED
    assert ("evidence_contradicts", (11,)) in [(r.code, r.ids) for r in result.reasons]
    mixed = assess([CITIZEN], [EvidenceLink(11, LinkKind.CONTRADICTS),
                               EvidenceLink(12, LinkKind.SUPPORTS)])
    assert mixed.standing is Standing.CORROBORATED


@given(st.lists(st.sampled_from([ANONYMOUS, BANNER, PAID]), max_size=20))
def test_weak_sources_alone_never_corroborate(sources: list[SourceFacts]) -> None:
    assert assess(sources, []).standing is Standing.UNCORROBORATED


def test_sustained_finding_needs_something_that_stands() -> None:
    weak = [Support(SupportKind.SOURCE, 2, Weakness.ANONYMOUS),
            Support(SupportKind.SOURCE, 4, Weakness.PAID_PROTECTED_WITNESS)]
    with pytest.raises(SafeguardRefused) as refused:
        check_sustainable(FindingKind.SUSTAINED, weak)
    assert refused.value.code == "only_weak_support"
    assert "source 2: anonymous" in refused.value.detail
    with pytest.raises(SafeguardRefused) as nothing:
        check_sustainable(FindingKind.SUSTAINED, [])
    assert nothing.value.code == "rests_on_nothing"
    check_sustainable(FindingKind.SUSTAINED, [*weak, Support(SupportKind.EVIDENCE, 9)])
    check_sustainable(FindingKind.UNFOUNDED, weak)  # only adverse findings are held back


def test_a_coerced_statement_needs_a_second_person() -> None:
    coerced = [Support(SupportKind.SOURCE, 5, None, coercion_claimed=True),
               Support(SupportKind.EVIDENCE, 9)]
    assert needs_second_person(FindingKind.SUSTAINED, coerced)
    assert not needs_second_person(FindingKind.EXONERATED, coerced)
    assert not needs_second_person(FindingKind.SUSTAINED, coerced[1:])
    with pytest.raises(Barred):
        check_second_person(7, 7)
    check_second_person(7, 8)


PEOPLE = CasePeople(relayers=frozenset({1}), reporters=frozenset({2}),
                    reporter_officers=frozenset({500}), subjects=frozenset({600}),
                    investigators=frozenset({3}), deciders=frozenset({4}))


@pytest.mark.parametrize(("who", "duty", "code"), [
    (Person(1), Duty.INVESTIGATOR, "source"),  # relayed it
    (Person(2), Duty.DECIDER, "source"),  # filed it
    (Person(9, officer_id=500), Duty.DECIDER, "source"),  # is the source, by registry record
    (Person(9, officer_id=600), Duty.INVESTIGATOR, "subject"),
    (Person(3), Duty.DECIDER, "investigator"),
    (Person(3), Duty.APPEAL_DECIDER, "investigator"),
    (Person(4), Duty.INVESTIGATOR, "decider"),
    (Person(4), Duty.APPEAL_DECIDER, "first_decider"),
    (Person(9, officer_id=700, commands_subject=True), Duty.DECIDER, "chain_of_command"),
])
def test_who_is_barred_and_why(who: Person, duty: Duty, code: str) -> None:
    with pytest.raises(Barred) as barred:
        check_may_act(who, duty, PEOPLE)
    assert barred.value.code == code


def test_others_may_act() -> None:
    check_may_act(Person(9), Duty.DECIDER, PEOPLE)
    check_may_act(Person(4), Duty.DECIDER, PEOPLE)  # a decider decides the next allegation
    check_may_act(Person(10), Duty.APPEAL_DECIDER, PEOPLE)


def test_chain_of_command_follows_units_upwards_within_the_agency() -> None:
    parents = {30: 20, 20: 10, 10: None, 40: 10}
    subject = [Posting(1, 30)]
    assert in_chain_of_command(subject, [Posting(1, 20)], parents)  # the unit above
    assert in_chain_of_command(subject, [Posting(1, 30)], parents)  # the same unit
    assert in_chain_of_command(subject, [Posting(1, None)], parents)  # the agency's head
    assert not in_chain_of_command(subject, [Posting(1, 40)], parents)  # a sibling unit
    assert not in_chain_of_command(subject, [Posting(2, None)], parents)  # another agency
    assert not in_chain_of_command([], [Posting(1, None)], parents)


def test_stage_machine_allows_only_its_moves() -> None:
    assert move(Stage.INTAKE, Stage.ASSIGNED) is Stage.ASSIGNED
    with pytest.raises(InvalidTransition) as refused:
        move(Stage.INTAKE, Stage.FINDING)
    assert "intake" in refused.value.detail and "finding" in refused.value.detail
    assert MOVES[Stage.CLOSED] == frozenset()


@given(st.lists(st.sampled_from(list(Stage)), max_size=30))
def test_every_walk_through_the_moves_reaches_only_known_stages(path: list[Stage]) -> None:
    stage = Stage.INTAKE
    for to in path:
        try:
            stage = move(stage, to)
        except InvalidTransition:
            assert to not in MOVES[stage]
        assert stage in MOVES
    # Closed is final, and every stage but closed can still reach closed.
    for start in Stage:
        seen, frontier = {start}, [start]
        while frontier:
            for nxt in MOVES[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert Stage.CLOSED in seen


def test_deadlines_count_civil_days_from_the_stage() -> None:
    since = date(2026, 11, 1)
    on_time = due(Stage.ANSWER_PERIOD, since, date(2026, 11, 16))
    assert on_time.due_on == date(2026, 11, 16) and not on_time.overdue
    late = due(Stage.ANSWER_PERIOD, since, date(2026, 11, 20))
    assert late.overdue and late.days_late == 4
    assert due(Stage.CLOSED, since, date(2030, 1, 1)).due_on is None
    assert not answer_closed(since, date(2026, 11, 16))
    assert answer_closed(since, date(2026, 11, 17))
    assert appeal_open(since, date(2026, 11, 11)) and not appeal_open(since, date(2026, 11, 12))
