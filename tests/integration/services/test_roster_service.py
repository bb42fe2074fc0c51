"""An agency's roster on both databases: keyset pages both ways (every officer exactly once, in
surname, name and id order), counts by status for the whole agency, the filter, bad input, the
statements a page reads, and the whole roster as one audited export, refused outside scope."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import event
from test_officer_service import new_officer

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import Forbidden, NotFound, ValidationFailed
from confianza.kit.curp import build_curp
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.officers import (
    ExternalId,
    OfficerStatus,
    RosterLine,
    Sex,
    search_key,
)
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import assignments as assignment_service
from confianza.registry.service import officers as officer_service
from confianza.registry.service.agencies import RosterQuery
from confianza.trail.rules import AuditAction, AuditEntry
from confianza.trail.service import access_history as access
from conftest import actor

# (given names, first surname, second surname): twins of name on purpose, so the order needs
# the id to be total, and accents, so the order is the folded one.
PEOPLE = [
    ("Ana", "Zamora", "Ruiz"), ("José", "Ávila", "Núñez"), ("Luis", "Peña", "Ruiz"),
    ("Luis", "Peña", "Ruiz"), ("Luis", "Peña", "Ruiz"), ("Marta", "Ortiz", None),
    ("Óscar", "Núñez", "Lara"), ("Pedro", "Nava", "Soto"), ("Rosa", "Benítez", "Cruz"),
    ("Sara", "Cárdenas", "Mora"), ("Teresa", "Díaz", "Gil"), ("Úrsula", "Vega", "Paz"),
    ("Víctor", "Luna", "Rey"), ("Yolanda", "Salas", None), ("Adrián", "Peñaloza", "Ibarra"),
]
SUSPENDED = {"Marta", "Pedro", "Yolanda"}


@dataclass(frozen=True)
class Roster:
    agency: int
    other: int
    ids: list[int]  # in roster order: (search_name, id)
    by_name: dict[str, int]  # given names -> id (the last of the twins)
    curp_of_ana: str
    gone: int  # an officer whose posting here ended: not on the roster


@pytest.fixture
def roster(container: Container, operator: Actor, agencies: dict[str, int]) -> Roster:
    uow = container.uow()
    agency = agencies["JAL-SSP"]
    keyed: list[tuple[str, int]] = []
    by_name: dict[str, int] = {}
    ana_curp = build_curp("Zamora", "Ruiz", "Ana", date(1990, 5, 2), "M", "JC")
    for n, (given, first, second) in enumerate(PEOPLE):
        extra: dict[str, object] = {"curp": None, "badge": f"B-{n:03d}", "external_ids": ()}
        if given == "Ana":
            extra.update(curp=ana_curp, birth_date=date(1990, 5, 2), sex=Sex.FEMALE)
        if given == "Víctor":
            extra["external_ids"] = (ExternalId("jal.nomina", "NOM-7781"),)
        profile = officer_service.register_officer(uow, operator, new_officer(
            agency, given_names=given, first_surname=first, second_surname=second,
            **extra))
        oid = profile.officer.id
        if given in SUSPENDED:
            officer_service.change_status(uow, operator, oid, OfficerStatus.SUSPENDED,
                                          "Suspensión cautelar por investigación")
        keyed.append((search_key(first, second, given), oid))
        by_name[given] = oid
    # Elsewhere: another agency's officer, with a badge number used here too, and one who left.
    other = officer_service.register_officer(uow, operator, new_officer(
        agencies["NL-FC"], given_names="Luisa", first_surname="Peña", second_surname="Alba",
        curp=None, badge="B-000")).officer.id
    gone = officer_service.register_officer(uow, operator, new_officer(
        agency, given_names="Irma", first_surname="Peña", second_surname="Ruiz", curp=None,
        badge="B-900")).officer.id
    assignment_service.add_assignment(uow, operator, gone, assignment_service.NewAssignment(
        agencies["GN"], "Agente", date(2024, 1, 1), ChangeReason.TRANSFER))
    return Roster(agency, other, [oid for _, oid in sorted(keyed)], by_name, ana_curp, gone)


def trail(container: Container) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return tx.audit.entries(limit=10_000)


def walk(container: Container, who: Actor, agency: int, query: RosterQuery = RosterQuery(),
         limit: int = 4) -> list[list[int]]:
    """Every page from the first, following the next cursors: the ids of each page."""
    pages: list[list[int]] = []
    cursor = None
    while True:
        page = agency_service.roster_page(container.uow(), who, agency, query, cursor=cursor,
                                          limit=limit)
        pages.append([line.officer_id for line in page.lines])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_pages_list_every_officer_once_in_surname_name_id_order(
    container: Container, operator: Actor, roster: Roster
) -> None:
    pages = walk(container, operator, roster.agency)
    assert [len(p) for p in pages] == [4, 4, 4, 3]
    assert [oid for page in pages for oid in page] == roster.ids
    assert roster.gone not in roster.ids and roster.other not in roster.ids
    # Backwards from the last page, each previous cursor gives the page before it.
    uow = container.uow()
    page = agency_service.roster_page(uow, operator, roster.agency, limit=4)
    assert page.previous_cursor is None  # the first page has none
    seen = [page]
    while seen[-1].next_cursor:
        seen.append(agency_service.roster_page(uow, operator, roster.agency,
                                               cursor=seen[-1].next_cursor, limit=4))
    back = [seen[-1]]
    while back[-1].previous_cursor:
        back.append(agency_service.roster_page(uow, operator, roster.agency,
                                               cursor=back[-1].previous_cursor, limit=4))
    assert [[x.officer_id for x in p.lines] for p in reversed(back)] == pages
    assert back[-1].previous_cursor is None and back[-1].next_cursor is not None


def test_descending_order_is_the_same_list_reversed(
    container: Container, operator: Actor, roster: Roster
) -> None:
    pages = walk(container, operator, roster.agency, RosterQuery(descending=True), limit=6)
    assert [oid for page in pages for oid in page] == list(reversed(roster.ids))


def test_counts_are_the_whole_agency_whatever_the_filter_or_page(
    container: Container, operator: Actor, roster: Roster
) -> None:
    uow = container.uow()
    expected = {"active": len(PEOPLE) - len(SUSPENDED), "suspended": len(SUSPENDED)}
    for query in (RosterQuery(), RosterQuery(status=OfficerStatus.SUSPENDED),
                  RosterQuery(text="peña")):
        page = agency_service.roster_page(uow, operator, roster.agency, query, limit=2)
        assert page.counts == expected, query
        assert page.total == len(PEOPLE)


def test_the_filter_matches_status_name_curp_badge_and_external_id(
    container: Container, operator: Actor, roster: Roster
) -> None:
    def found(query: RosterQuery) -> list[int]:
        return [oid for page in walk(container, operator, roster.agency, query, limit=2)
                for oid in page]

    suspended = found(RosterQuery(status=OfficerStatus.SUSPENDED))
    assert sorted(suspended) == sorted(roster.by_name[g] for g in SUSPENDED)
    assert suspended == [oid for oid in roster.ids if oid in suspended]
    # The start of the folded name, accents and case aside: Peña and Peñaloza, not Irma (gone)
    # nor Luisa (another agency).
    pena = found(RosterQuery(text="  PENA "))
    assert len(pena) == 4 and roster.by_name["Adrián"] in pena
    assert found(RosterQuery(text="peña ruiz")) == [oid for oid in pena
                                                    if oid != roster.by_name["Adrián"]]
    assert found(RosterQuery(text=roster.curp_of_ana.lower())) == [roster.by_name["Ana"]]
    # A badge this agency issued; the same number issued elsewhere does not list that officer.
    assert found(RosterQuery(text="B-000")) == [roster.by_name["Ana"]]
    assert found(RosterQuery(text="B-900")) == []  # Irma's badge: she has left
    assert found(RosterQuery(text="NOM-7781")) == [roster.by_name["Víctor"]]
    both = found(RosterQuery(status=OfficerStatus.SUSPENDED, text="ortiz"))
    assert both == [roster.by_name["Marta"]]
    assert found(RosterQuery(status=OfficerStatus.ACTIVE, text="ortiz")) == []
    assert found(RosterQuery(text="nadie se llama así")) == []


def test_bad_input_is_refused_by_name_and_writes_nothing(
    container: Container, operator: Actor, roster: Roster
) -> None:
    uow = container.uow()
    before = len(trail(container))
    forged = base64.urlsafe_b64encode(json.dumps(["PENA", "x"]).encode()).decode()
    bad_before = base64.urlsafe_b64encode(json.dumps(["PENA", 3, ">"]).encode()).decode()
    nul = base64.urlsafe_b64encode(json.dumps(["PE\u0000NA", 3]).encode()).decode()
    surrogate = base64.urlsafe_b64encode(b'["\\ud800", 3]').decode()
    for cursor in ("not-a-cursor", forged, bad_before, nul, surrogate, "A" * 401):
        with pytest.raises(ValidationFailed) as refused:
            agency_service.roster_page(uow, operator, roster.agency, cursor=cursor)
        assert [e.location for e in refused.value.errors] == ["cursor"], cursor
    for text in ("x" * 101, "peña\x00", "tab\there"):
        with pytest.raises(ValidationFailed) as refused:
            agency_service.roster_page(uow, operator, roster.agency, RosterQuery(text=text))
        assert [e.location for e in refused.value.errors] == ["text"]
    assert len(trail(container)) == before
    # A previous-page cursor belongs to lists that page both ways: the search refuses it.
    page = agency_service.roster_page(uow, operator, roster.agency,
                                      cursor=walk_cursor(container, operator, roster), limit=2)
    assert page.previous_cursor is not None
    with pytest.raises(ValidationFailed):
        officer_service.search_officers(uow, operator, officer_service.OfficerQuery(name="p"),
                                        cursor=page.previous_cursor)


def walk_cursor(container: Container, operator: Actor, roster: Roster) -> str:
    page = agency_service.roster_page(container.uow(), operator, roster.agency, limit=2)
    assert page.next_cursor is not None
    return page.next_cursor


def test_a_cursor_past_the_end_gives_an_empty_page_not_an_error(
    container: Container, operator: Actor, roster: Roster
) -> None:
    from confianza.core.pagination import encode_cursor

    page = agency_service.roster_page(container.uow(), operator, roster.agency,
                                      cursor=encode_cursor(("ZZZZ", 1)))
    assert page.lines == [] and page.next_cursor is None and page.previous_cursor is None
    assert page.total == len(PEOPLE)


def test_each_page_is_audited_with_its_criteria_and_the_officers_shown(
    container: Container, operator: Actor, roster: Roster
) -> None:
    uow = container.uow()
    page = agency_service.roster_page(uow, operator, roster.agency,
                                      RosterQuery(status=OfficerStatus.SUSPENDED, text="Ortiz"))
    last = trail(container)[-1]
    assert (last.action, last.resource_type, last.resource_id) == (
        AuditAction.AGENCY_ROSTER_READ, "agency", str(roster.agency))
    assert last.detail["criteria"] == ["status", "text"]
    assert last.detail["results"] == [line.officer_id for line in page.lines]
    assert "Ortiz" not in json.dumps(last.detail)  # the typed value is not kept
    # The officers a page showed find it in their access history.
    auditor = actor(Role.AUDITOR)
    listed = access.officer_access(uow, auditor, roster.by_name["Marta"])
    assert any(x.entry.action == AuditAction.AGENCY_ROSTER_READ
               and x.reach is access.Reach.LISTED for x in listed.items)


def test_a_page_reads_three_statements_whatever_the_page_or_filter(
    container: Container, operator: Actor, roster: Roster
) -> None:
    """The agency, the counts (one GROUP BY) and the page (one statement): no lookups in a
    loop, so a page of 100 costs what a page of 2 does."""
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    uow = container.uow()
    cursor = walk_cursor(container, operator, roster)
    asked = [
        (RosterQuery(), None, 2), (RosterQuery(), cursor, 2), (RosterQuery(), None, 100),
        (RosterQuery(status=OfficerStatus.SUSPENDED, text="ortiz"), None, 2),
        (RosterQuery(text="B-000"), None, 2), (RosterQuery(descending=True), cursor, 3),
    ]
    reads: list[int] = []
    for query, at, limit in asked:
        statements.clear()
        event.listen(container.engine, "before_cursor_execute", count)
        try:
            agency_service.roster_page(uow, operator, roster.agency, query, cursor=at,
                                       limit=limit)
        finally:
            event.remove(container.engine, "before_cursor_execute", count)
        reads.append(len([s for s in statements if "audit" not in s and "log_" not in s]))
    assert reads == [3] * len(asked), reads


def test_the_export_hands_every_officer_in_order_and_records_one_entry(
    container: Container, operator: Actor, roster: Roster
) -> None:
    got: list[RosterLine] = []
    before = len(trail(container))
    export = agency_service.export_roster(container.uow(), operator, roster.agency, got.extend)
    assert [line.officer_id for line in got] == roster.ids
    assert export.officers == len(PEOPLE) and export.agency.id == roster.agency
    entries = trail(container)[before:]
    assert [(e.action, e.resource_type, e.resource_id, e.detail["export"], e.detail["officers"])
            for e in entries] == [
        (AuditAction.AGENCY_ROSTER_READ, "agency", str(roster.agency), "csv", len(PEOPLE))]
    assert "results" not in entries[0].detail


def test_the_export_records_what_was_read_and_nothing_if_the_file_fails(
    container: Container, operator: Actor, roster: Roster
) -> None:
    before = len(trail(container))

    def first_three(lines: Iterator[RosterLine]) -> None:
        for _ in range(3):
            next(lines)

    agency_service.export_roster(container.uow(), operator, roster.agency, first_three)
    assert trail(container)[-1].detail["officers"] == 3

    def broken(lines: Iterator[RosterLine]) -> None:
        next(lines)
        raise OSError("disk full")

    mark = len(trail(container))
    with pytest.raises(OSError):
        agency_service.export_roster(container.uow(), operator, roster.agency, broken)
    assert len(trail(container)) == mark == before + 1


def test_the_roster_is_refused_outside_the_scope_by_page_and_by_file(
    container: Container, roster: Roster, agencies: dict[str, int]
) -> None:
    uow = container.uow()
    own = actor(Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=roster.agency))
    state = actor(Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="14"))
    elsewhere = actor(Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=agencies["NL-FC"]))
    other_state = actor(Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="19"))
    examiner = actor(Role.EXAMINER)  # reads identities, but does not search rosters
    for allowed in (own, state):
        assert agency_service.roster_page(uow, allowed, roster.agency).total == len(PEOPLE)
        agency_service.export_roster(uow, allowed, roster.agency, list)
    called: list[bool] = []
    for refused in (elsewhere, other_state, examiner):
        before = len(trail(container))
        with pytest.raises(Forbidden):
            agency_service.roster_page(uow, refused, roster.agency)
        with pytest.raises(Forbidden):
            agency_service.export_roster(uow, refused, roster.agency,
                                         lambda lines: called.append(True))
        assert not called, "the file was written for a refused reader"
        written = [e.action for e in trail(container)[before:]]
        assert written == [AuditAction.ACCESS_DENIED] * 2, written
    with pytest.raises(NotFound):
        agency_service.export_roster(uow, own, 10**9, list)
