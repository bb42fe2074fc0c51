"""Access history on both databases: an officer's entries (reads, contact reveals with their
purpose, evaluations that name them, searches that returned them), one account's history, the
officer's own report, and who is refused."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

import pytest
from access_support import CLERK_PURPOSE, IA_PURPOSE, Accesses, person, seed_accesses

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import Forbidden, NotFound, ValidationFailed
from confianza.trail.rules import AuditAction, AuditEntry
from confianza.trail.service import access_history as access
from confianza.trail.service.access_history import HistoryFilter, Reach

A = AuditAction


@pytest.fixture
def seeded(container: Container, agencies: dict[str, int]) -> Accesses:
    return seed_accesses(container, agencies)


def trail(container: Container) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return tx.audit.entries(limit=100_000)


def test_the_officer_report_finds_every_kind_of_access(
    container: Container, seeded: Accesses
) -> None:
    page = access.officer_access(container.uow(), seeded.auditor, seeded.maria, limit=500)
    assert page.next_cursor is None and page.examined_down_to == 1
    ids = [line.entry.id or 0 for line in page.items]
    assert ids == sorted(ids, reverse=True)  # newest first
    reveals = [(x.entry.actor, x.entry.purpose) for x in page.items
               if x.entry.action == A.OFFICER_CONTACT_READ]
    assert reveals == [("ia.agent", IA_PURPOSE), ("clerk", CLERK_PURPOSE)]
    searches = [x for x in page.items if x.entry.action == A.OFFICER_SEARCH]
    assert [(x.entry.actor, x.reach) for x in searches] == [("clerk", Reach.LISTED)]
    evaluation = [x for x in page.items if x.entry.action == A.EVALUATION_READ]
    assert [(x.entry.resource_type, x.entry.resource_id, x.reach) for x in evaluation] == [
        ("evaluation", str(seeded.evaluation_id), Reach.NAMED)]
    assert any(x.entry.action == A.EVALUATION_REQUEST for x in page.items)
    # Nothing about Jorge: not his read, not the search that returned only him.
    assert all(x.entry.resource_id != str(seeded.jorge) for x in page.items)
    assert len(searches) == 1


def test_reading_the_history_is_itself_recorded(container: Container, seeded: Accesses) -> None:
    before = len(trail(container))
    page = access.officer_access(container.uow(), seeded.auditor, seeded.maria)
    entries = trail(container)
    assert len(entries) == before + 1
    last = entries[-1]
    assert (last.actor, last.action, last.resource_type, last.resource_id) == (
        "auditor", A.AUDIT_READ, "officer", str(seeded.maria))
    assert last.detail["entries"] == len(page.items)
    # ... and the next reader sees that read too.
    again = access.officer_access(container.uow(), seeded.auditor, seeded.maria)
    assert again.items[0].entry.id == last.id


def test_pages_and_bounded_walks_add_up_to_the_whole_report(
    container: Container, seeded: Accesses
) -> None:
    uow = container.uow()
    whole = [x.entry.id for x in access.officer_access(uow, seeded.auditor, seeded.maria,
                                                        limit=500).items]
    for limit, scan_rows in ((2, access.SCAN_ROWS), (50, 3), (1, 2)):
        collected: list[int | None] = []
        cursor = None
        short_pages = 0
        for _ in range(200):
            page = access.officer_access(uow, seeded.auditor, seeded.maria, cursor=cursor,
                                         limit=limit, scan_rows=scan_rows)
            assert len(page.items) <= limit
            short_pages += len(page.items) < limit and page.next_cursor is not None
            collected += [x.entry.id for x in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        # Each read is recorded, so every walk starts above the last: compare what was there.
        assert [s for s in collected if (s or 0) <= (whole[0] or 0)] == whole
        if scan_rows < limit:
            assert short_pages > 0  # a bounded walk answers short pages, and says so


def test_user_history_with_filters(container: Container, seeded: Accesses) -> None:
    uow = container.uow()
    everything = access.user_history(uow, seeded.auditor, "clerk", limit=500)
    actions = [e.action for e in everything.items]
    assert set(actions) >= {A.OFFICER_CONTACT_READ, A.OFFICER_SEARCH, A.OFFICER_READ}
    assert all(e.actor == "clerk" for e in everything.items)
    assert [e.id for e in everything.items] == sorted(
        (e.id or 0 for e in everything.items), reverse=True)
    contact = access.user_history(uow, seeded.auditor, "clerk",
                                  HistoryFilter(action="officer:contact"))
    assert [(e.action, e.purpose) for e in contact.items] == [
        (A.OFFICER_CONTACT_READ, CLERK_PURPOSE)]
    today = uow.today()
    assert access.user_history(uow, seeded.auditor, "clerk",
                               HistoryFilter(since=today, until=today)).items
    assert not access.user_history(uow, seeded.auditor, "clerk",
                                   HistoryFilter(until=today - timedelta(days=1))).items
    first = access.user_history(uow, seeded.auditor, "clerk", limit=2)
    rest = access.user_history(uow, seeded.auditor, "clerk", cursor=first.next_cursor,
                               limit=500)
    assert [e.id for e in first.items + rest.items] == [e.id for e in everything.items]
    last = trail(container)[-1]
    assert (last.action, last.resource_type, last.detail["username"]) == (
        A.AUDIT_READ, "user", "clerk")


def test_user_history_refuses_bad_filters(container: Container, seeded: Accesses) -> None:
    uow = container.uow()
    with pytest.raises(ValidationFailed) as caught:
        access.user_history(uow, seeded.auditor, "clerk", HistoryFilter(
            action="officer%", since=date(2026, 2, 1), until=date(2026, 1, 1)))
    assert {e.location for e in caught.value.errors} == {"action", "since"}
    with pytest.raises(ValidationFailed):
        access.officer_access(uow, seeded.auditor, seeded.maria, cursor="bm90LWEtY3Vyc29y")


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.AUDITOR,
                                                              Role.ADMINISTRATOR)])
def test_only_trail_readers_read_the_trail(
    container: Container, seeded: Accesses, role: Role
) -> None:
    probe = person(container, f"probe-{role.value}", role)
    uow = container.uow()
    for attempt in (
        lambda: access.officer_access(uow, probe, seeded.maria),
        lambda: access.user_history(uow, probe, "clerk"),
        lambda: access.open_access(uow, probe),
    ):
        with pytest.raises(Forbidden):
            attempt()
        denied = trail(container)[-1]
        assert (denied.actor, denied.action) == (probe.username, A.ACCESS_DENIED)
        assert denied.detail["permission"] == "audit:entry:read"


def test_the_officers_own_report_names_roles_never_staff(
    container: Container, seeded: Accesses
) -> None:
    report = access.officer_report(container.uow(), seeded.hr, seeded.maria)
    flat = repr([asdict(line) for line in report.lines])
    for username in ("clerk", "ia.agent", "jal.hr", "access-operator"):
        assert repr(username) not in flat
    reveals = [line for line in report.lines if line.action == A.OFFICER_CONTACT_READ]
    assert [(x.role, x.purpose, x.purpose_withheld) for x in reveals] == [
        (Role.INTERNAL_AFFAIRS, None, True), (Role.REGISTRY_CLERK, CLERK_PURPOSE, False)]
    requested = next(x for x in report.lines if x.action == A.EVALUATION_REQUEST)
    assert (requested.role, requested.scope, requested.place) == (
        Role.AGENCY_HR, ScopeKind.STATE, "Jalisco")
    registered = next(x for x in report.lines if x.action == A.OFFICER_CREATE)
    assert registered.role is None  # the console operator
    assert any(x.reach is Reach.LISTED for x in report.lines)
    last = trail(container)[-1]
    assert (last.actor, last.action, last.resource_id) == (
        "jal.hr", A.OFFICER_ACCESS_REPORT, str(seeded.maria))


def test_who_may_produce_the_officers_report(container: Container, seeded: Accesses) -> None:
    uow = container.uow()
    assert access.officer_report(uow, seeded.auditor, seeded.maria).lines
    outside = person(container, "nl.hr", Role.AGENCY_HR, Scope(ScopeKind.STATE, "19"))
    with pytest.raises(Forbidden, match="outside your scope"):
        access.officer_report(uow, outside, seeded.maria)
    for refused in (seeded.clerk, seeded.internal_affairs):
        with pytest.raises(Forbidden, match="does not allow"):
            access.officer_report(uow, refused, seeded.maria)
        assert trail(container)[-1].detail["permission"] == "audit:officer_report:create"


def test_find_an_officer_by_number_or_curp(container: Container, seeded: Accesses) -> None:
    uow = container.uow()
    assert access.find_officer(uow, seeded.auditor, seeded.maria_curp.lower()) == seeded.maria
    assert access.find_officer(uow, seeded.auditor, f" {seeded.maria} ") == seeded.maria
    with pytest.raises(NotFound):
        access.find_officer(uow, seeded.auditor, "AAAA000000HDFXXX00")
    with pytest.raises(NotFound):
        access.officer_access(uow, seeded.auditor, 999_999)
