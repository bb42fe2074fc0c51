"""The safeguards of due process, as pure checks with clear refusals (ADR 0030).

"The same person who accuses you also judges you": whoever filed or relayed an allegation may
neither investigate nor decide it; the decider is neither the investigator, nor a source, nor
in the officer's chain of command; the appeal goes to a third person. And no career ends on an
accusation that nobody can be made to answer for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from confianza.core.errors import Conflict, Forbidden
from confianza.integrity.rules.catalogue import Duty, FindingKind
from confianza.integrity.rules.standing import Weakness


class SafeguardRefused(Conflict):
    """A step the safeguards forbid whoever takes it (an unsafe finding)."""

    title = "Refused by a safeguard"


class Barred(Forbidden):
    """A person the safeguards keep out of one step of one case."""

    title = "Barred from this case"


class SupportKind(StrEnum):
    SOURCE = "source"
    EVIDENCE = "evidence"


@dataclass(frozen=True)
class Support:
    """One thing a finding rests on: a source of the allegation or evidence that supports it."""

    kind: SupportKind
    id: int
    weakness: Weakness | None = None
    coercion_claimed: bool = False

    @property
    def label(self) -> str:
        return f"{self.kind} {self.id}"


ADVERSE = frozenset({FindingKind.SUSTAINED})


def check_sustainable(finding: FindingKind, relied_on: Sequence[Support]) -> None:
    """A sustained finding must rest on something that can stand.

    "Only support" is read over what the finding says it rests on, which must be the
    allegation's own sources and supporting evidence (the service checks that): if every one
    of them is anonymous, a banner or a story, a protected witness who received a benefit, an
    exam result alone, or a source graded unreliable or its information improbable, the
    finding is refused, however many of them there are."""
    if finding not in ADVERSE:
        return
    if not relied_on:
        raise SafeguardRefused("a sustained finding must say what it rests on (the sources and "
                               "evidence of the allegation)", code="rests_on_nothing")
    if all(s.weakness is not None for s in relied_on):
        why = "; ".join(f"{s.label}: {s.weakness}" for s in relied_on)
        raise SafeguardRefused(
            "no sustained finding on an allegation whose only support cannot stand alone "
            f"({why}); it needs evidence, or a source that can be questioned",
            code="only_weak_support")


def needs_second_person(finding: FindingKind, relied_on: Sequence[Support]) -> bool:
    """A finding that rests on a statement the officer says was coerced takes effect only when
    a second decider confirms it: one person's belief that the claim is false is not enough."""
    return finding in ADVERSE and any(s.coercion_claimed for s in relied_on)


@dataclass(frozen=True)
class Posting:
    """An open posting: where someone serves."""

    agency_id: int
    unit_id: int | None


def in_chain_of_command(subject: Sequence[Posting], person: Sequence[Posting],
                        parents: Mapping[int, int | None]) -> bool:
    """Whether `person` commands the subject through the postings the registry knows: an open
    posting in the same agency at its head (no unit), or in the subject's unit or any unit above
    it (`parents` maps a unit to the unit it belongs to)."""
    for mine in subject:
        above: set[int] = set()
        unit = mine.unit_id
        while unit is not None and unit not in above:
            above.add(unit)
            unit = parents.get(unit)
        for theirs in person:
            if theirs.agency_id != mine.agency_id:
                continue
            if theirs.unit_id is None or theirs.unit_id in above:
                return True
    return False


@dataclass(frozen=True)
class CasePeople:
    """Who already has a part in a case, by account (and, for sources, by registry record)."""

    relayers: frozenset[int] = frozenset()  # accounts that took an allegation in
    reporters: frozenset[int] = frozenset()  # accounts that are themselves a source
    reporter_officers: frozenset[int] = frozenset()  # registry records of sources
    subjects: frozenset[int] = frozenset()  # registry records of the accused
    investigators: frozenset[int] = frozenset()
    deciders: frozenset[int] = frozenset()  # who decided or confirmed a finding or sanction


@dataclass(frozen=True)
class Person:
    user_id: int
    officer_id: int | None = None  # the registry record of a staff member who is an officer
    commands_subject: bool = False  # `in_chain_of_command`, worked out by the service


def check_may_act(person: Person, duty: Duty, people: CasePeople) -> None:
    """Refuse `person` for `duty` in a case with these people, naming the rule."""
    if person.user_id in people.relayers or person.user_id in people.reporters or (
        person.officer_id is not None and person.officer_id in people.reporter_officers
    ):
        raise Barred(f"who filed or relayed an allegation of this case cannot be its {duty}",
                     code="source")
    if person.officer_id is not None and person.officer_id in people.subjects:
        raise Barred(f"an accused officer cannot be the {duty} of their own case",
                     code="subject")
    if duty is Duty.INVESTIGATOR:
        if person.user_id in people.deciders:
            raise Barred("who decided in this case cannot investigate it", code="decider")
        return
    if person.user_id in people.investigators:
        raise Barred(f"the investigator of this case cannot be its {duty}", code="investigator")
    if person.commands_subject:
        raise Barred(f"someone in the accused officer's chain of command cannot be the {duty}",
                     code="chain_of_command")
    if duty is Duty.APPEAL_DECIDER and person.user_id in people.deciders:
        raise Barred("the appeal is decided by a third person, not by who decided the finding "
                     "or the sanction", code="first_decider")


def check_second_person(first: int, second: int) -> None:
    if first == second:
        raise Barred("the second decider must be another person than the first",
                     code="same_person")
