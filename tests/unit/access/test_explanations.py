"""Each explanation rule explains the read its facts justify at the read's time, and no other
(ADR 0037)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from confianza.access.rules.explanations import (
    RULE_NAMES,
    RULES,
    explain,
    rules_named,
    tally,
)
from confianza.access.rules.facts import (
    GRACE,
    CaseFact,
    Facts,
    Posting,
    Reader,
    Span,
    Task,
    TaskKind,
    from_trail,
)
from confianza.access.rules.reads import (
    Act,
    Read,
    Ref,
    Shown,
    TrailLine,
    changes_by,
    reads_of,
    references,
    shown_by,
)
from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.trail.rules import AuditAction

AT = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
OFFICER = 501
AGENCY = 7


def read(reader: str = "ana", *, at: datetime = AT, officer: int = OFFICER,
         action: str = AuditAction.OFFICER_READ, purpose: str | None = None) -> Read:
    lines = reads_of(TrailLine(1, at, reader, action, "officer", str(officer), purpose, {}), {})
    return lines[0]


def facts_with(role: Role, *, user_id: int = 10, scope: Scope = Scope(),
               officers: frozenset[int] = frozenset(), **parts: Any) -> Facts:
    return Facts(readers={"ana": Reader("ana", user_id, role, scope, officers)},
                 agency_states={AGENCY: "14", 8: "19"}, **parts)


def names(facts: Facts, r: Read | None = None) -> tuple[str, ...]:
    return explain(r or read(), facts)


def before(**delta: float) -> datetime:
    return AT - timedelta(**delta)


def test_the_exam_assigned_to_the_examiner_explains_their_read_until_it_is_recorded() -> None:
    facts = facts_with(Role.EXAMINER, exams={(10, OFFICER): [Span(before(days=3), None)]})
    assert "assigned_exam" in names(facts)
    recorded = facts_with(Role.EXAMINER, exams={(10, OFFICER): [
        Span(before(days=30), before(days=20))]})
    assert "assigned_exam" not in names(recorded)
    another = facts_with(Role.EXAMINER, user_id=11,
                         exams={(10, OFFICER): [Span(before(days=3), None)]})
    assert "assigned_exam" not in names(another)


def test_an_evaluation_awaiting_decision_explains_a_certification_officers_read() -> None:
    waiting = {OFFICER: [Span(before(days=1), None)]}
    assert "pending_decision" in names(facts_with(Role.CERTIFICATION_OFFICER, decisions=waiting))
    # The same fact explains nothing for an examiner, and nothing before the last result.
    assert "pending_decision" not in names(facts_with(Role.EXAMINER, decisions=waiting))
    later = {OFFICER: [Span(AT + timedelta(hours=1), None)]}
    assert "pending_decision" not in names(facts_with(Role.CERTIFICATION_OFFICER,
                                                      decisions=later))


def test_a_decision_read_back_within_the_grace_after_it_closed() -> None:
    closed = {OFFICER: [Span(before(days=10), before(days=1))]}
    assert "pending_decision" in names(facts_with(Role.CERTIFICATION_OFFICER, decisions=closed))
    long_closed = {OFFICER: [Span(before(days=40), AT - GRACE - timedelta(minutes=1))]}
    assert "pending_decision" not in names(facts_with(Role.CERTIFICATION_OFFICER,
                                                      decisions=long_closed))


def test_an_open_appeal_explains_its_decider_and_the_hr_of_the_officers_agency() -> None:
    appeals = {OFFICER: [Span(before(days=2), None)]}
    assert "appeal" in names(facts_with(Role.CERTIFICATION_OFFICER, appeals=appeals))
    postings = {OFFICER: [Posting(AGENCY, date(2020, 1, 1), None)]}
    own = Scope(ScopeKind.AGENCY, agency_id=AGENCY)
    other = Scope(ScopeKind.AGENCY, agency_id=8)
    assert "appeal" in names(facts_with(Role.AGENCY_HR, scope=own, appeals=appeals,
                                        postings=postings))
    assert "appeal" not in names(facts_with(Role.AGENCY_HR, scope=other, appeals=appeals,
                                            postings=postings))


def test_an_evaluation_waiting_to_be_booked_explains_the_coordinators_read() -> None:
    bookings = {OFFICER: [Span(before(hours=5), None)]}
    assert "evaluation_booking" in names(facts_with(Role.CENTRE_COORDINATOR, bookings=bookings))
    assert "evaluation_booking" not in names(facts_with(Role.AGENCY_HR, bookings=bookings))


def test_a_case_explains_its_people_its_taker_and_its_supervisors_while_open() -> None:
    case = CaseFact(9, AGENCY, Span(before(days=20), None), "taker",
                    {10: Span(before(days=5), None)})
    assert "integrity_case" in names(facts_with(Role.INTERNAL_AFFAIRS, cases={OFFICER: [case]}))
    assert "integrity_case" not in names(facts_with(Role.INTERNAL_AFFAIRS, user_id=12,
                                                    cases={OFFICER: [case]}))
    state = Scope(ScopeKind.STATE, "14")
    assert "integrity_case" in names(facts_with(Role.INTERNAL_AFFAIRS_SUPERVISOR, user_id=12,
                                                scope=state, cases={OFFICER: [case]}))
    assert "integrity_case" not in names(facts_with(
        Role.INTERNAL_AFFAIRS_SUPERVISOR, user_id=12, scope=Scope(ScopeKind.STATE, "19"),
        cases={OFFICER: [case]}))
    # Assigned only after the read: the assignment did not hold then.
    late = CaseFact(9, AGENCY, Span(before(days=20), None), "taker",
                    {10: Span(AT + timedelta(days=1), None)})
    assert "integrity_case" not in names(facts_with(Role.INTERNAL_AFFAIRS,
                                                    cases={OFFICER: [late]}))


def test_a_current_task_explains_hr_reading_its_own_officer_only() -> None:
    own = Scope(ScopeKind.AGENCY, agency_id=AGENCY)
    task = {OFFICER: [Task(TaskKind.NOTIFICATION, AGENCY, Span(before(hours=2), None))]}
    here = {OFFICER: [Posting(AGENCY, date(2020, 1, 1), None)]}
    gone = {OFFICER: [Posting(AGENCY, date(2020, 1, 1), date(2026, 1, 1)),
                      Posting(8, date(2026, 1, 2), None)]}
    assert "agency_task" in names(facts_with(Role.AGENCY_HR, scope=own, tasks=task,
                                             postings=here))
    # The officer left the agency before the read: the notification no longer explains it.
    assert "agency_task" not in names(facts_with(Role.AGENCY_HR, scope=own, tasks=task,
                                                 postings=gone))
    # An evaluation the agency asked for explains reading an applicant, posted nowhere.
    request = {OFFICER: [Task(TaskKind.EVALUATION, AGENCY, Span(before(days=3), None))]}
    assert "agency_task" in names(facts_with(Role.AGENCY_HR, scope=own, tasks=request))


def test_a_roster_conflict_explains_the_clerk() -> None:
    conflicts = {OFFICER: [Span(before(days=1), None)]}
    assert "roster_conflict" in names(facts_with(Role.REGISTRY_CLERK, conflicts=conflicts))
    assert "roster_conflict" not in names(facts_with(Role.AGENCY_HR, conflicts=conflicts))


def test_a_work_list_explains_that_working_day_and_a_search_the_hour_after() -> None:
    facts = facts_with(Role.AGENCY_HR)
    from_trail(facts, shown=[Act(before(hours=3), "ana", OFFICER, Shown.WORK),
                             Act(before(hours=3), "ana", 502, Shown.SEARCH)],
               acts=[], sensitive=[])
    assert "work_list" in names(facts)
    assert "search_result" not in names(facts, read(officer=502))  # three hours is too long
    from_trail(facts, shown=[Act(before(minutes=5), "ana", 502, Shown.SEARCH)], acts=[],
               sensitive=[])
    assert "search_result" in names(facts, read(officer=502))
    # Shown to someone else, or after the read: no explanation.
    from_trail(facts, shown=[Act(before(hours=1), "bea", OFFICER, Shown.WORK),
                             Act(AT + timedelta(minutes=1), "ana", OFFICER, Shown.WORK)],
               acts=[], sensitive=[])
    assert names(facts) == ()


def test_a_declared_purpose_is_fulfilled_by_a_later_act_of_the_reader() -> None:
    facts = facts_with(Role.AGENCY_HR)
    from_trail(facts, shown=[], sensitive=[],
               acts=[Act(AT + timedelta(days=6), "ana", OFFICER, AuditAction.ASSIGNMENT_CREATE)])
    with_purpose = read(action=AuditAction.OFFICER_CONTACT_READ, purpose="notify a transfer")
    assert "purpose_fulfilled" in names(facts, with_purpose)
    assert "own_act" not in names(facts, with_purpose)  # six days is past a working day
    assert names(facts) == ()  # without a declared purpose nothing fulfils it


def test_a_read_that_prepares_or_reads_back_an_act_of_the_reader() -> None:
    facts = facts_with(Role.REGISTRY_CLERK)
    from_trail(facts, shown=[], sensitive=[],
               acts=[Act(AT + timedelta(hours=2), "ana", OFFICER, AuditAction.OFFICER_UPDATE)])
    assert names(facts) == ("own_act",)
    from_trail(facts, shown=[], sensitive=[],
               acts=[Act(before(hours=3), "ana", OFFICER, AuditAction.OFFICER_UPDATE)])
    assert names(facts) == ()


def test_the_readers_own_record() -> None:
    assert "own_record" in names(facts_with(Role.INTERNAL_AFFAIRS, officers=frozenset({OFFICER})))
    assert "own_record" not in names(facts_with(Role.INTERNAL_AFFAIRS,
                                                officers=frozenset({OFFICER + 1})))


def test_an_auditor_reviewing_a_sensitive_read() -> None:
    facts = facts_with(Role.AUDITOR)
    from_trail(facts, shown=[], acts=[], sensitive=[
        Act(before(days=2), "bea", OFFICER, AuditAction.OFFICER_CONTACT_READ)])
    assert "access_review" in names(facts, read(action=AuditAction.AUDIT_READ))
    assert "access_review" not in names(facts, read(officer=502, action=AuditAction.AUDIT_READ))
    hr = facts_with(Role.AGENCY_HR)
    hr.sensitive = facts.sensitive
    assert "access_review" not in names(hr, read(action=AuditAction.AUDIT_READ))


def test_an_account_the_registry_does_not_hold_is_explained_only_by_the_trail() -> None:
    facts = Facts(decisions={OFFICER: [Span(before(days=1), None)]})
    assert explain(read("console"), facts) == ()


def test_every_rule_has_a_unique_name_and_an_unknown_name_is_refused() -> None:
    assert len(set(RULE_NAMES)) == len(RULES)
    assert [r.name for r in rules_named(["own_act", "appeal"])] == ["appeal", "own_act"]
    with pytest.raises(KeyError, match="no_such_rule"):
        rules_named(["appeal", "no_such_rule"])


def test_the_tally_counts_each_rule_and_the_reads_explained_by_role() -> None:
    facts = facts_with(Role.CERTIFICATION_OFFICER, decisions={OFFICER: [Span(before(days=1))]})
    reads = [read(), read(officer=502), read("nobody")]
    report = tally(reads, facts)
    assert report.overall.reads == 3 and report.overall.explained == 1
    assert report.by_role["certification_officer"].by_rule["pending_decision"] == 1
    assert report.by_role["none"].reads == 1
    assert [r.officer_id for r in report.unexplained] == [502, OFFICER]


def test_entries_become_reads_lists_and_acts() -> None:
    case = TrailLine(2, AT, "ana", AuditAction.CASE_READ, "integrity_case", "9", None,
                     {"officers": [1, 2]})
    assert [r.officer_id for r in reads_of(case, {})] == [1, 2]
    exam_file = TrailLine(3, AT, "ana", AuditAction.EXAM_READ, "evaluation_exam", "40", None,
                          {"sha256": "ab"})
    assert list(references(exam_file)) == [(Ref.EXAM, 40)]
    assert [r.officer_id for r in reads_of(exam_file, {(Ref.EXAM, 40): (7,)})] == [7]
    queue = TrailLine(4, AT, "ana", AuditAction.EVALUATION_QUEUE_READ, "evaluation", None, None,
                      {"results": [5, 6]})
    resolved = {(Ref.EVALUATION, 5): (50,), (Ref.EVALUATION, 6): (60,)}
    assert [a.officer_id for a in shown_by(queue, resolved)] == [50, 60]
    search = TrailLine(5, AT, "ana", AuditAction.OFFICER_SEARCH, "officer", None, None,
                       {"criteria": ["curp"], "results": [8]})
    assert [(a.officer_id, a.kind) for a in shown_by(search, {})] == [(8, Shown.SEARCH)]
    assert reads_of(search, {}) == []
    update = TrailLine(6, AT, "ana", AuditAction.OFFICER_UPDATE, "officer", "8", None, {})
    assert [a.officer_id for a in changes_by(update, {})] == [8]
    stage = TrailLine(7, AT, "ana", AuditAction.CASE_STAGE_READ, "integrity_case", "9", None, {})
    assert reads_of(stage, {}) == []  # a case's stage names no officer's record
