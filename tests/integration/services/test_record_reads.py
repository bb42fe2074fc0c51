"""One entry per act (issue 15, ADR 0024), on both databases: a page that shows several sections
of one officer writes ONE entry naming them, and the access history, the officer's report, the
timeline's accesses and an account's filtered history read it as they read the separate entries
written before (which a trail still holds, and which still read as they did)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from access_support import OPERATOR, person

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.certification.service import certificates as certificate_service
from confianza.core.errors import Forbidden, PurposeRequired
from confianza.registry.rules.officers import Contact, ContactKind
from confianza.registry.service import officers as officer_service
from confianza.timeline import service as timeline_service
from confianza.timeline.rules import EventKind, Section
from confianza.trail.rules import AuditAction, AuditEntry, RecordSection, acts_of
from confianza.trail.service import access_history as access
from confianza.trail.service.access_history import HistoryFilter
from confianza.vetting.rules.evaluations import EvaluationKind
from confianza.vetting.service import evaluations as evaluation_service
from conftest import actor

A = AuditAction
S = RecordSection
PROFILE = (S.CERTIFICATE, S.EVALUATIONS)  # what the page asks for, for a role reading both
PURPOSE = "Citatorio del expediente IA-12/2026"
#: What one profile read records, in the old shape (three entries) and the new (one).
PROFILE_ACTS = (A.OFFICER_READ, A.CUP_READ, A.EVALUATION_READ)


@dataclass(frozen=True)
class Scene:
    officer: int
    evaluation: int
    clerk: Actor
    auditor: Actor


@pytest.fixture
def scene(container: Container, agencies: dict[str, int]) -> Scene:
    uow = container.uow()
    officer = officer_service.register_officer(uow, OPERATOR, officer_service.NewOfficer(
        given_names="Rosa", first_surname="Peña", second_surname="Ruiz",
        assignment=officer_service.FirstAssignment(agencies["JAL-SSP"], "Policía",
                                                   date(2014, 3, 1)),
    )).officer.id
    officer_service.set_contacts(uow, OPERATOR, officer, [
        Contact(ContactKind.PHONE, "+52 33 5555 0101", "móvil")])
    evaluation = evaluation_service.request_evaluation(uow, OPERATOR, evaluation_service.
        EvaluationRequest(officer, agencies["JAL-SSP"], EvaluationKind.PERMANENCE),
        policy=container.policy).evaluation.id
    return Scene(officer, evaluation, person(container, "clerk", Role.REGISTRY_CLERK),
                 person(container, "auditor", Role.AUDITOR))


def trail(container: Container) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return tx.audit.entries(limit=100_000)


def new_entries(container: Container, before: int) -> list[AuditEntry]:
    return trail(container)[before:]


def old_style_profile_read(container: Container, who: Actor, officer_id: int) -> None:
    """What one profile page wrote before acts were combined: an entry per section, each
    from the use case that read it (these use cases still answer the API, one section each)."""
    uow = container.uow()
    officer_service.get_officer(uow, who, officer_id)
    certificate_service.officer_certification(uow, who, officer_id)
    evaluation_service.officer_evaluations(uow, who, officer_id)


# Writing ------------------------------------------------------------------------------------


def test_a_page_of_several_sections_writes_one_entry_naming_them(
    container: Container, scene: Scene
) -> None:
    before = len(trail(container))
    record = officer_service.read_record(container.uow(), scene.clerk, scene.officer, PROFILE)
    [entry] = new_entries(container, before)
    assert (entry.actor, entry.action, entry.resource_type, entry.resource_id) == (
        "clerk", A.OFFICER_READ, "officer", str(scene.officer))
    assert entry.purpose is None
    assert entry.detail == {"sections": ["identity", "certificate", "evaluations"],
                            "evaluations": [scene.evaluation]}
    assert acts_of(entry.action, entry.detail) == PROFILE_ACTS
    # ... and the page has every section it named.
    assert record.profile.officer.id == scene.officer
    assert record.certification is not None and record.certification.officer_id == scene.officer
    assert [e.id for e in record.evaluations or []] == [scene.evaluation]
    assert record.contacts is None


def test_the_identity_alone_writes_the_entry_it_always_did(
    container: Container, scene: Scene
) -> None:
    before = len(trail(container))
    officer_service.read_record(container.uow(), scene.clerk, scene.officer)
    [entry] = new_entries(container, before)
    assert (entry.action, entry.detail) == (A.OFFICER_READ, {})
    assert acts_of(entry.action, entry.detail) == (A.OFFICER_READ,)


def test_the_apis_profile_names_the_status_history_it_shows(
    container: Container, scene: Scene
) -> None:
    """The history is read under the record's own permission and act (ADR 0025): the entry
    names the section, and the access history reads it as the one record read it is."""
    before = len(trail(container))
    profile = officer_service.get_officer(container.uow(), scene.clerk, scene.officer)
    [entry] = new_entries(container, before)
    assert (entry.action, entry.detail) == (
        A.OFFICER_READ, {"sections": ["identity", "status_history"]})
    assert acts_of(entry.action, entry.detail) == (A.OFFICER_READ,)
    assert profile.status_history is not None and profile.status_history[0].status == "active"


def test_the_whole_page_with_contact_data_is_one_reveal_with_its_purpose(
    container: Container, scene: Scene
) -> None:
    before = len(trail(container))
    record = officer_service.read_record(container.uow(), scene.clerk, scene.officer,
                                         (*PROFILE, S.CONTACTS), purpose=f"  {PURPOSE} ")
    [entry] = new_entries(container, before)
    assert (entry.action, entry.purpose) == (A.OFFICER_CONTACT_READ, PURPOSE)
    assert entry.detail == {"sections": ["identity", "contacts", "certificate", "evaluations"],
                            "items": 1, "evaluations": [scene.evaluation]}
    assert acts_of(entry.action, entry.detail) == (
        A.OFFICER_CONTACT_READ, A.OFFICER_READ, A.CUP_READ, A.EVALUATION_READ)
    assert [c.value for c in record.contacts or []] == ["+52 33 5555 0101"]


def test_contact_data_without_a_purpose_reads_and_records_nothing(
    container: Container, scene: Scene
) -> None:
    before = len(trail(container))
    with pytest.raises(PurposeRequired):
        officer_service.read_record(container.uow(), scene.clerk, scene.officer,
                                    (*PROFILE, S.CONTACTS), purpose="corto")
    assert new_entries(container, before) == []


def test_a_section_the_role_may_not_read_refuses_the_act_and_leaves_its_trace(
    container: Container, scene: Scene
) -> None:
    examiner = actor(Role.EXAMINER)  # reads identities, not certificates
    before = len(trail(container))
    with pytest.raises(Forbidden):
        officer_service.read_record(container.uow(), examiner, scene.officer, PROFILE)
    [refusal] = new_entries(container, before)
    assert (refusal.actor, refusal.action, refusal.resource_id) == (
        examiner.username, A.ACCESS_DENIED, str(scene.officer))
    assert refusal.detail["permission"] == "certificate:record:read"


def test_an_officer_outside_the_scope_is_refused_as_before(
    container: Container, scene: Scene
) -> None:
    elsewhere = actor(Role.REGISTRY_CLERK, Scope(ScopeKind.STATE, "19"))
    before = len(trail(container))
    with pytest.raises(Forbidden):
        officer_service.read_record(container.uow(), elsewhere, scene.officer, PROFILE)
    [refusal] = new_entries(container, before)
    assert (refusal.action, refusal.detail["permission"]) == (
        A.ACCESS_DENIED, "officer:identity:read")


# Reading: the new shape as the old ---------------------------------------------------------


def _both_shapes(container: Container, scene: Scene) -> tuple[list[AuditEntry], AuditEntry]:
    """An old-style profile read (three entries), then a new one (one entry)."""
    start = len(trail(container))
    old_style_profile_read(container, scene.clerk, scene.officer)
    old = new_entries(container, start)
    officer_service.read_record(container.uow(), scene.clerk, scene.officer, PROFILE)
    [new] = new_entries(container, start + len(old))
    return old, new


def test_the_access_history_shows_what_both_shapes_read_by_whom_when_and_why(
    container: Container, scene: Scene
) -> None:
    old, new = _both_shapes(container, scene)
    assert [e.action for e in old] == list(PROFILE_ACTS)
    # The officer's own report first (reading the history is an access too): newest first,
    # the new entry's three acts, then the old entries' one each, all by a registry clerk.
    report = access.officer_report(container.uow(), scene.auditor, scene.officer, limit=500)
    assert [line.acts for line in report.lines][:4] == [
        PROFILE_ACTS, *((a,) for a in reversed(PROFILE_ACTS))]
    assert all(line.role is Role.REGISTRY_CLERK for line in report.lines[:4])
    page = access.officer_access(container.uow(), scene.auditor, scene.officer, limit=500)
    lines = {line.entry.id: line for line in page.items}
    # The old entries read as they did: one act each.
    assert [lines[e.id].acts for e in old] == [(a,) for a in PROFILE_ACTS]
    # The new one reads as all three, by the same reader, at its time, on the record.
    combined = lines[new.id]
    assert combined.acts == PROFILE_ACTS
    assert (combined.entry.actor, combined.entry.at, combined.reach) == (
        "clerk", new.at, access.Reach.RECORD)


def test_the_timeline_shows_the_acts_of_both_shapes(container: Container, scene: Scene) -> None:
    old, new = _both_shapes(container, scene)
    timeline = timeline_service.officer_timeline(container.uow(), scene.auditor, scene.officer,
                                                 (Section.ACCESSES,))
    acts = {e.ref: e.fields["acts"] for e in timeline.events if e.kind is EventKind.ACCESSED}
    assert acts[new.id] == PROFILE_ACTS
    assert [acts[e.id] for e in old] == [(a,) for a in PROFILE_ACTS]


@pytest.mark.parametrize("prefix", ["certificate:record:read", "certificate", "evaluation:status",
                                    "officer:identity:read"])
def test_an_accounts_history_filtered_by_a_sections_action_finds_both_shapes(
    container: Container, scene: Scene, prefix: str
) -> None:
    old, new = _both_shapes(container, scene)
    page = access.user_history(container.uow(), scene.auditor, "clerk",
                               HistoryFilter(action=prefix), limit=50)
    found = [e.id for e in page.items]
    wanted_old = [e.id for e in old if e.action.startswith(prefix)]
    assert found == sorted([new.id, *wanted_old], reverse=True)
    assert page.next_cursor is None


def test_a_filtered_history_pages_through_both_shapes_without_loss_or_repeat(
    container: Container, scene: Scene
) -> None:
    for _ in range(3):
        _both_shapes(container, scene)
        officer_service.get_officer(container.uow(), scene.clerk, scene.officer)  # no section
    uow = container.uow()
    where = HistoryFilter(action="certificate")
    whole = [e.id for e in access.user_history(uow, scene.auditor, "clerk", where,
                                                limit=100).items]
    assert len(whole) == 6  # three old certificate reads, three combined reads
    for limit in (1, 2, 4):
        collected: list[int | None] = []
        cursor = None
        for _ in range(50):
            page = access.user_history(uow, scene.auditor, "clerk", where, cursor=cursor,
                                       limit=limit)
            assert len(page.items) <= limit
            collected += [e.id for e in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert collected == whole, limit


def test_the_contact_filter_finds_the_full_page_reveal(container: Container, scene: Scene) -> None:
    officer_service.read_record(container.uow(), scene.clerk, scene.officer,
                                (*PROFILE, S.CONTACTS), purpose=PURPOSE)
    page = access.user_history(container.uow(), scene.auditor, "clerk",
                               HistoryFilter(action="officer:contact"))
    assert [(e.action, e.purpose) for e in page.items] == [(A.OFFICER_CONTACT_READ, PURPOSE)]
