"""The officer timeline use case on both databases: which sections each role sees, the order of
the events, the one audit entry of the read, and who is refused."""

from __future__ import annotations

from datetime import date

import pytest
from statement_support import counted
from timeline_support import (
    APPEAL_DAY,
    APPEAL_GROUNDS,
    DECISION_GROUNDS,
    EXAM_NOTES,
    SECOND_DAY,
    Career,
    build_career,
)

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import Forbidden, NotFound
from confianza.registry.service import officers as officer_service
from confianza.timeline import service as timeline_service
from confianza.timeline.rules import EventKind, Section, Timeline
from confianza.trail.rules import AuditAction, AuditEntry
from conftest import FakeClock, actor

S = Section
K = EventKind


@pytest.fixture
def career(container: Container, agencies: dict[str, int], clock: FakeClock) -> Career:
    return build_career(container, agencies, clock)


def read(career: Career, who: Actor, sections: list[Section] | None = None) -> Timeline:
    return timeline_service.officer_timeline(career.world.uow, who, career.officer_id, sections)


def trail(container: Container) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return tx.audit.entries(limit=100_000)


def kinds(timeline: Timeline) -> set[EventKind]:
    return {e.kind for e in timeline.events}


def test_each_role_sees_only_its_sections(career: Career) -> None:
    w = career.world
    examiner = read(career, w.examiner)
    assert examiner.shown == (S.ASSIGNMENTS,)
    assert {e.section for e in examiner.events} == {S.ASSIGNMENTS}
    hr = read(career, w.hr)
    assert hr.shown == (S.ASSIGNMENTS, S.EVALUATIONS, S.DECISIONS, S.CERTIFICATES, S.APPEALS)
    assert K.EXAM_RECORDED not in kinds(hr) and K.ACCESSED not in kinds(hr)
    # A verdict, never what it rests on: the grounds speak of the results.
    decided = [e for e in hr.events if e.kind is K.DECIDED]
    assert [e.fields["verdict"] for e in decided] == ["not_approved", "approved"]
    assert all(e.fields["grounds"] is None for e in decided)
    decider = read(career, w.decider)
    assert S.RESULTS in decider.shown and S.ACCESSES not in decider.shown
    exams = [e for e in decider.events if e.kind is K.EXAM_RECORDED]
    assert len(exams) == 10
    toxicology = [e for e in exams if e.fields["evaluation_id"] == career.not_approved
                  and e.fields["exam_type"] == "toxicology"]
    assert [(e.fields["outcome"], e.fields["notes"]) for e in toxicology] == [
        ("positive", EXAM_NOTES)]
    assert [e.fields["grounds"] for e in decider.events if e.kind is K.DECIDED] == [
        DECISION_GROUNDS, None]
    auditor = read(career, career.auditor)
    assert auditor.shown == (S.ASSIGNMENTS, S.EVALUATIONS, S.DECISIONS, S.CERTIFICATES,
                             S.APPEALS, S.ACCESSES)
    assert K.EXAM_RECORDED not in kinds(auditor)
    accesses = [e for e in auditor.events if e.kind is K.ACCESSED]
    assert accesses and len(accesses) <= timeline_service.ACCESS_LIMIT
    # The HR's earlier read is among the accesses the auditor sees, by name and action.
    assert any(e.fields["actor"] == w.hr.username
               and e.fields["action"] == AuditAction.TIMELINE_READ for e in accesses)
    assert auditor.accesses_examined_down_to == 1 and auditor.accesses_more is False


def test_events_come_newest_first_and_group_by_year(career: Career) -> None:
    timeline = read(career, career.world.hr)
    keys = [e.sort_key() for e in timeline.events]
    assert keys == sorted(keys, reverse=True)
    assert [y.year for y in timeline.by_year()] == [2026, 2025, 2020, 2015, 2010]
    first = [(e.on, e.kind) for e in timeline.events[:8]]
    assert first == [
        (APPEAL_DAY.date(), K.APPEAL_FILED),
        # The confirmed verdict removed the officer from duty: the status history's line
        # (ADR 0025), after the decision that caused it.
        (SECOND_DAY.date(), K.STATUS_CHANGED),
        (SECOND_DAY.date(), K.SEPARATION_OPENED),
        (SECOND_DAY.date(), K.CERTIFICATE_ENDED),
        (SECOND_DAY.date(), K.CONFIRMED),
        (SECOND_DAY.date(), K.DECIDED),
        (SECOND_DAY.date(), K.EVALUATION_REQUESTED),
        (date(2025, 3, 10), K.CREDENTIAL_ISSUED),
    ]
    assert timeline.events[0].fields["grounds"] == APPEAL_GROUNDS
    # The transfer's day: the new posting above the end of the old one (ends come first).
    last = [(e.on, e.kind, e.fields.get("agency")) for e in timeline.events[-5:]]
    assert last == [
        # Registered with the Jalisco posting: the first line of the status history (the
        # Guardia's posting, recorded later as a past one, changed no status).
        (date(2015, 1, 5), K.STATUS_CHANGED, None),
        (date(2015, 1, 5), K.ASSIGNMENT_STARTED, "Secretaría de Seguridad de Jalisco"),
        (date(2015, 1, 5), K.ASSIGNMENT_ENDED, "Guardia Nacional"),
        (date(2015, 1, 1), K.COMPONENT_RECORDED, None),
        (date(2010, 2, 1), K.ASSIGNMENT_STARTED, "Guardia Nacional"),
    ]
    status = [(e.fields["status"], e.fields["actor"]) for e in timeline.events
              if e.kind is K.STATUS_CHANGED]
    assert [s for s, _ in status] == ["removed_from_duty", "active"]
    # The revoked certificate's credential is reported as revoked, for the not-approved verdict.
    [credential] = [e for e in timeline.events if e.kind is K.CREDENTIAL_ISSUED]
    assert (credential.fields["status"], credential.fields["reason"]) == (
        "revoked", "not_approved")


def test_one_audit_entry_names_the_sections_shown(container: Container, career: Career) -> None:
    before = len(trail(container))
    timeline = read(career, career.world.hr, [S.APPEALS, S.RESULTS, S.ACCESSES])
    assert timeline.shown == (S.APPEALS,)
    assert {e.kind for e in timeline.events} == {K.APPEAL_FILED}
    entries = trail(container)[before:]
    assert [(e.actor, e.action, e.resource_type, e.resource_id) for e in entries] == [
        (career.world.hr.username, AuditAction.TIMELINE_READ, "officer",
         str(career.officer_id))]
    assert entries[0].detail == {"sections": ["appeals"], "events": 1}


def test_hr_of_another_agency_and_roles_without_the_record_are_refused(
    container: Container, career: Career
) -> None:
    before = len(trail(container))
    with pytest.raises(Forbidden, match="outside your scope"):
        read(career, career.other_hr)
    with pytest.raises(Forbidden, match="does not allow"):
        read(career, actor(Role.ADMINISTRATOR))
    refusals = trail(container)[before:]
    assert [(e.actor, e.action) for e in refusals] == [
        ("rh-nuevo-leon", AuditAction.ACCESS_DENIED),
        ("test-administrator", AuditAction.ACCESS_DENIED)]
    assert not any(e.action == AuditAction.TIMELINE_READ for e in refusals)
    with pytest.raises(NotFound):
        timeline_service.officer_timeline(career.world.uow, actor(Role.REGISTRY_CLERK),
                                          999_999)
    # The HR of the officer's own state (a state scope) reads it.
    jalisco = actor(Role.AGENCY_HR, Scope(ScopeKind.STATE, "14"))
    assert read(career, jalisco).events


def test_accesses_stop_at_the_limit_newest_first(container: Container, career: Career) -> None:
    clerk = actor(Role.REGISTRY_CLERK, username="lector")
    for _ in range(timeline_service.ACCESS_LIMIT + 5):
        officer_service.get_officer(career.world.uow, clerk, career.officer_id)
    timeline = read(career, career.auditor, [S.ACCESSES])
    seqs = [e.ref or 0 for e in timeline.events]
    assert len(seqs) == timeline_service.ACCESS_LIMIT and seqs == sorted(seqs, reverse=True)
    assert {e.fields["actor"] for e in timeline.events} == {"lector"}
    assert timeline.accesses_more is True
    assert timeline.accesses_examined_down_to == seqs[-1]


def test_each_kind_of_record_is_read_once_however_many_evaluations(
    container: Container, career: Career
) -> None:
    """The timeline's reads (issue 15): the officer with postings (agencies and units) and the
    badges, the status history (ADR 0025), the evaluations, their separations, exams and
    appeals, the certification and the credentials, one statement each whatever the number of
    evaluations (two here, each with five exams; they used to be read one evaluation at a
    time, and each unit on its own)."""
    decider = career.world.decider  # every section but the accesses
    timeline, statements = counted(container.engine, lambda: read(career, decider))
    assert {S.RESULTS, S.DECISIONS, S.APPEALS, S.CERTIFICATES} <= set(timeline.shown)
    assert len([e for e in timeline.events if e.kind is K.EXAM_RECORDED]) >= 10
    assert len(statements) == 9, statements
    assert len(set(statements)) == len(statements)  # no statement sent twice
    # A reader of fewer sections reads fewer kinds of record.
    _, fewer = counted(container.engine, lambda: read(career, decider, [S.ASSIGNMENTS]))
    assert len(fewer) == 3, fewer
