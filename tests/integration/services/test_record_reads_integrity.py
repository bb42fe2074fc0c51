"""The integrity section read with the record (issue 15 §2, ADR 0024 addendum), on both
databases: the record's read names the section and the cases it showed in its one entry, and the
access history, the officer's report, the timeline's accesses and an account's history filtered
by the section's action read that entry as they read the section's own entry, which the trail
still holds (and `officer_section` still writes, as an act of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from access_support import OPERATOR, person

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import Forbidden
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service import cases, officer_record
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.registry.service import officers as officer_service
from confianza.timeline import service as timeline_service
from confianza.timeline.rules import EventKind, Section
from confianza.trail.rules import AuditAction, AuditEntry, RecordSection, acts_of
from confianza.trail.service import access_history as access
from confianza.trail.service.access_history import HistoryFilter

A = AuditAction
S = RecordSection
#: What the record page of a commission member reads: the identity and history, the cases.
PAGE = (S.STATUS_HISTORY, S.INTEGRITY)
PAGE_ACTS = (A.OFFICER_READ, A.CASE_STAGE_READ)


@dataclass(frozen=True)
class Scene:
    officer: int
    case: int
    reader: Actor  # a commission member: learns that the case exists and its stage
    auditor: Actor


@pytest.fixture
def scene(container: Container, agencies: dict[str, int]) -> Scene:
    uow = container.uow()
    officer = officer_service.register_officer(uow, OPERATOR, officer_service.NewOfficer(
        given_names="Rosa", first_surname="Peña", second_surname="Ruiz",
        assignment=officer_service.FirstAssignment(agencies["JAL-SSP"], "Policía",
                                                   date(2014, 3, 1)),
    )).officer.id
    case = cases.open_case(uow, OPERATOR, NewCase(
        agencies["JAL-SSP"], "Cobro de cuotas en el retén de la carretera 15.", (
            NewSource(SourceChannel.CITIZEN_COMPLAINT, Reliability.B,
                      Credibility.PROBABLY_TRUE, "Le cobraron 500 pesos.", date(2026, 11, 2),
                      reporter_name="Rosa Ruiz"),),
        (NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos.", (0,),
                       officer_id=officer),))).case.id
    return Scene(officer, case, person(container, "chj", Role.HONOUR_COMMISSION),
                 person(container, "auditor", Role.AUDITOR))


def trail(container: Container) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return tx.audit.entries(limit=100_000)


def _both_shapes(container: Container, scene: Scene) -> tuple[list[AuditEntry], AuditEntry]:
    """The record read and its section read apart (two entries), then together (one)."""
    start = len(trail(container))
    officer_service.read_record(container.uow(), scene.reader, scene.officer,
                                (S.STATUS_HISTORY,))
    officer_record.officer_section(container.uow(), scene.reader, scene.officer)
    old = trail(container)[start:]
    record = officer_service.read_record(container.uow(), scene.reader, scene.officer, PAGE)
    assert [c.id for c in record.integrity or []] == [scene.case]
    [new] = trail(container)[start + len(old):]
    return old, new


def test_the_record_and_its_cases_are_one_entry_naming_them(
    container: Container, scene: Scene
) -> None:
    old, new = _both_shapes(container, scene)
    assert [e.action for e in old] == list(PAGE_ACTS)
    assert (new.actor, new.action, new.resource_id) == ("chj", A.OFFICER_READ,
                                                        str(scene.officer))
    assert new.detail == {"sections": ["identity", "status_history", "integrity"],
                          "cases": [scene.case], "files_offered": []}
    assert acts_of(new.action, new.detail) == PAGE_ACTS


def test_a_role_without_the_case_permission_is_refused_the_whole_act(
    container: Container, scene: Scene
) -> None:
    clerk = person(container, "clerk", Role.REGISTRY_CLERK)
    before = len(trail(container))
    with pytest.raises(Forbidden):
        officer_service.read_record(container.uow(), clerk, scene.officer, PAGE)
    [refusal] = trail(container)[before:]
    assert (refusal.action, refusal.detail["permission"]) == (
        A.ACCESS_DENIED, "integrity:case:stage_read")


def test_a_reader_outside_the_scope_reads_nothing(container: Container, scene: Scene) -> None:
    elsewhere = person(container, "chj.nl", Role.HONOUR_COMMISSION,
                       Scope(ScopeKind.STATE, "19"))
    before = len(trail(container))
    with pytest.raises(Forbidden):
        officer_service.read_record(container.uow(), elsewhere, scene.officer, PAGE)
    assert [e.action for e in trail(container)[before:]] == [A.ACCESS_DENIED]


def test_the_access_history_and_the_timeline_read_both_shapes_alike(
    container: Container, scene: Scene
) -> None:
    old, new = _both_shapes(container, scene)
    # The officer's report first (reading the history is an access too): newest first.
    report = access.officer_report(container.uow(), scene.auditor, scene.officer, limit=500)
    assert [line.acts for line in report.lines][:3] == [
        PAGE_ACTS, *((a,) for a in reversed(PAGE_ACTS))]
    assert all(line.role is Role.HONOUR_COMMISSION for line in report.lines[:3])
    page = access.officer_access(container.uow(), scene.auditor, scene.officer, limit=500)
    lines = {line.entry.id: line for line in page.items}
    assert [lines[e.id].acts for e in old] == [(a,) for a in PAGE_ACTS]
    assert lines[new.id].acts == PAGE_ACTS
    timeline = timeline_service.officer_timeline(container.uow(), scene.auditor, scene.officer,
                                                 (Section.ACCESSES,))
    acts = {e.ref: e.fields["acts"] for e in timeline.events if e.kind is EventKind.ACCESSED}
    assert acts[new.id] == PAGE_ACTS
    assert [acts[e.id] for e in old] == [(a,) for a in PAGE_ACTS]


@pytest.mark.parametrize("prefix", ["integrity:case:stage_read", "integrity"])
def test_an_accounts_history_filtered_by_the_sections_action_finds_both_shapes(
    container: Container, scene: Scene, prefix: str
) -> None:
    old, new = _both_shapes(container, scene)
    page = access.user_history(container.uow(), scene.auditor, "chj",
                               HistoryFilter(action=prefix), limit=50)
    wanted_old = [e.id for e in old if e.action.startswith(prefix)]
    assert [e.id for e in page.items] == sorted([new.id, *wanted_old], reverse=True)
