"""Deciding candidate pairs on both databases: merges that move every history, refusals,
rejections that stick, and who may decide."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from confianza.accounts.rules.permissions import Actor, Role
from confianza.app.bootstrap import Container
from confianza.core.db.models import OfficerMergeRow, OfficerNameTokenRow, OfficerRow
from confianza.core.errors import Conflict, Forbidden, InvalidTransition
from confianza.identities.contracts import NewCandidate
from confianza.identities.repository import officer_references
from confianza.identities.rules.candidates import CandidateStatus, Decision
from confianza.identities.service import decisions
from confianza.identities.service.matching import match_registry
from confianza.kit.curp import build_curp
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.officers import Contact, ContactKind, ExternalId, Sex
from confianza.registry.service import assignments as assignment_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction
from conftest import actor

CLERK = actor(Role.REGISTRY_CLERK)


def register(container: Container, operator: Actor, agency_id: int, *, curp: bool,
             start: date, badge: str, given: str = "José Luis",
             external_ids: tuple[ExternalId, ...] = ()) -> int:
    born = date(1984, 5, 2)
    profile = officer_service.register_officer(container.uow(), operator,
                                               officer_service.NewOfficer(
        given_names=given, first_surname="Hernández", second_surname="Ortiz",
        birth_date=born, sex=Sex.MALE,
        curp=build_curp("Hernández", "Ortiz", given, born, "H", "JC") if curp else None,
        assignment=officer_service.FirstAssignment(agency_id, "Policía", start),
        badge=badge, external_ids=external_ids,
    ))
    return profile.officer.id


def propose(container: Container, left: int, right: int) -> int:
    with container.uow().transaction() as tx:
        tx.identities.add_candidates(
            [NewCandidate(min(left, right), max(left, right), None, 0.97, 9.5,
                          {"left": {}, "right": {}, "comparisons": {}})],
            at=tx.now, by="test")
        return max(c.id for c in tx.identities.candidates(None, 500, None))


def entries(container: Container, action: str) -> list[object]:
    with container.uow().transaction() as tx:
        return [e for e in tx.audit.entries(limit=1000) if e.action == action]


@pytest.fixture
def pair(container: Container, operator: Actor, agencies: dict[str, int]) -> tuple[int, int]:
    """The same man twice: registered at Jalisco without a CURP (his posting there ended), and
    later at the Guardia Nacional with his CURP, a contact and a payroll number."""
    first = register(container, operator, agencies["JAL-SSP"], curp=False,
                     start=date(2008, 2, 1), badge="J-77",
                     external_ids=(ExternalId("jal.payroll", "88120"),))
    with container.uow().transaction() as tx:
        assignment = tx.officers.assignments(first)[0].id
    assignment_service.end_assignment(container.uow(), operator, assignment, date(2015, 6, 30),
                                      ChangeReason.RESIGNATION)
    second = register(container, operator, agencies["GN"], curp=True, start=date(2016, 1, 4),
                      badge="GN-1200", given="Jose Luis")
    officer_service.set_contacts(container.uow(), operator, first,
                                 [Contact(ContactKind.PHONE, "3312345678", None)])
    return first, second


def test_confirmed_pair_merges_every_history_into_the_record_with_the_curp(
    container: Container, pair: tuple[int, int],
) -> None:
    first, second = pair
    candidate = propose(container, first, second)
    done = decisions.decide(container.uow(), CLERK, candidate, Decision.CONFIRM)

    assert done.merged is not None
    assert (done.merged.survivor_id, done.merged.merged_id) == (second, first)
    assert done.candidate.status is CandidateStatus.CONFIRMED
    assert done.candidate.decided_by == CLERK.username
    assert done.merged.moved["assignments"] == 1 and done.merged.moved["badges"] == 1
    with container.uow().transaction() as tx:
        postings = tx.officers.assignments(second)
        assert [a.start_date for a in postings] == [date(2008, 2, 1), date(2016, 1, 4)]
        assert {b.number for b in tx.officers.badges(second)} == {"J-77", "GN-1200"}
        assert tx.officers.identifiers(second) == [ExternalId("jal.payroll", "88120")]
        assert [c.value for c in tx.officers.contacts(second)] == ["3312345678"]
    with container.engine.connect() as db:
        for table, column in officer_references():
            left = db.execute(select(func.count()).select_from(table).where(column == first))
            assert left.scalar() == 0, table.name
        assert db.execute(select(OfficerRow.id).where(OfficerRow.id == first)).first() is None
        merge = db.execute(select(OfficerMergeRow)).one()
        assert (merge.merged_id, merge.survivor_id, merge.candidate_id) == (
            first, second, candidate)
    merges = entries(container, AuditAction.OFFICER_MERGE)
    assert len(merges) == 1
    detail = merges[0].detail  # type: ignore[attr-defined]
    assert (detail["survivor_id"], detail["merged_id"]) == (second, first)
    assert len(entries(container, AuditAction.IDENTITY_CANDIDATE_CONFIRM)) == 1


def test_two_open_postings_refuse_the_merge_and_say_so(
    container: Container, operator: Actor, agencies: dict[str, int],
) -> None:
    first = register(container, operator, agencies["JAL-SSP"], curp=False,
                     start=date(2010, 1, 1), badge="1")
    second = register(container, operator, agencies["NL-FC"], curp=True, start=date(2012, 1, 1),
                      badge="2")
    candidate = propose(container, first, second)
    with pytest.raises(Conflict, match="two open full-time postings"):
        decisions.decide(container.uow(), CLERK, candidate, Decision.CONFIRM)
    with container.uow().transaction() as tx:
        assert tx.identities.candidate(candidate).status is CandidateStatus.PROPOSED  # type: ignore[union-attr]
        assert tx.officers.get(first) is not None
    assert entries(container, AuditAction.OFFICER_MERGE) == []


def test_a_decided_candidate_cannot_be_decided_again(
    container: Container, pair: tuple[int, int],
) -> None:
    candidate = propose(container, *pair)
    decisions.decide(container.uow(), CLERK, candidate, Decision.REJECT)
    with pytest.raises(InvalidTransition):
        decisions.decide(container.uow(), CLERK, candidate, Decision.CONFIRM)
    assert len(entries(container, AuditAction.IDENTITY_CANDIDATE_REJECT)) == 1


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.REGISTRY_CLERK])
def test_only_the_registry_clerk_matches_and_decides(
    container: Container, pair: tuple[int, int], role: Role,
) -> None:
    candidate = propose(container, *pair)
    someone = actor(role)
    with pytest.raises(Forbidden):
        decisions.decide(container.uow(), someone, candidate, Decision.CONFIRM)
    with pytest.raises(Forbidden):
        decisions.list_candidates(container.uow(), someone)
    with pytest.raises(Forbidden):
        match_registry(container.uow(), someone)
    assert len(entries(container, AuditAction.ACCESS_DENIED)) == 3
    with container.uow().transaction() as tx:
        assert tx.identities.candidate(candidate).status is CandidateStatus.PROPOSED  # type: ignore[union-attr]


def test_a_merge_that_changes_the_survivors_status_says_so_in_its_history_and_keeps_its_words(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    """The record with the CURP survives though its posting ended (separated); the other one
    serves today, so the person is active again: a line in the status history says so (ADR
    0025). The names' words (ADR 0028) stay the survivor's own: the merged record's are
    dropped, not moved onto it, even where the two names share words."""
    serving = register(container, operator, agencies["JAL-SSP"], curp=False,
                       start=date(2016, 1, 4), badge="J-91")
    left = register(container, operator, agencies["GN"], curp=True, start=date(2008, 2, 1),
                    badge="GN-3", given="Jose Luis")
    with container.uow().transaction() as tx:
        posting = tx.officers.assignments(left)[0].id
    assignment_service.end_assignment(container.uow(), operator, posting, date(2015, 6, 30),
                                      ChangeReason.RESIGNATION)
    done = decisions.decide(container.uow(), CLERK, propose(container, serving, left),
                            Decision.CONFIRM)
    assert done.merged is not None and done.merged.survivor_id == left
    with container.uow().transaction() as tx:
        survivor = tx.officers.get(left)
        history = tx.officers.status_history(left)
    assert survivor is not None and survivor.status.value == "active"
    assert [(h.status.value, h.reason) for h in history][-1] == (
        "active", f"records merged: officer {serving} into {left}")
    with container.engine.connect() as db:
        words = db.execute(select(func.count()).select_from(OfficerNameTokenRow)
                           .where(OfficerNameTokenRow.officer_id == left)).scalar()
        mine = db.execute(select(func.count(func.distinct(OfficerNameTokenRow.token)))
                          .where(OfficerNameTokenRow.officer_id == left)).scalar()
    assert words == mine and words == 4  # JOSE, LUIS, HERNANDEZ, ORTIZ: once each
