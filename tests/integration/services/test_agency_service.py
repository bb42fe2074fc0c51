"""Agency use cases on both databases: levels, parents, units, and merger with history kept."""

from __future__ import annotations

from datetime import date

import pytest
from test_officer_service import new_officer

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import Conflict, Forbidden, ValidationFailed
from confianza.registry.rules.agencies import AgencyLevel
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction
from conftest import actor


def test_agency_levels_are_checked(container: Container, operator: Actor) -> None:
    uow = container.uow()
    with pytest.raises(ValidationFailed) as caught:
        agency_service.create_agency(
            uow, operator,
            agency_service.NewAgency("x", "", AgencyLevel.MUNICIPAL, "33", "14039"),
        )
    assert {e.location for e in caught.value.errors} == {
        "code", "name", "state_code", "municipality_key"
    }
    with pytest.raises(ValidationFailed) as caught:
        agency_service.create_agency(
            uow, operator,
            agency_service.NewAgency("GDL", "Guadalajara", AgencyLevel.MUNICIPAL, "19", "14039"),
        )
    assert [e.reason for e in caught.value.errors] == ["does not belong to state 19"]
    with pytest.raises(Forbidden):
        agency_service.create_agency(
            uow, actor(Role.REGISTRY_CLERK),
            agency_service.NewAgency("GN", "Guardia Nacional", AgencyLevel.FEDERAL),
        )


def test_duplicate_code_is_a_conflict(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    with pytest.raises(Conflict):
        agency_service.create_agency(
            container.uow(), operator,
            agency_service.NewAgency("gn", "Otra", AgencyLevel.FEDERAL),
        )


def test_merge_moves_open_assignments_and_keeps_history(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    uow = container.uow()
    source = agency_service.create_agency(
        uow, operator, agency_service.NewAgency("PF", "Policía Federal", AgencyLevel.FEDERAL)
    )
    unit = agency_service.create_unit(uow, operator, source.id, "DIV-SEG", "División de Seguridad")
    officer = officer_service.register_officer(
        uow, operator,
        new_officer(source.id, assignment=officer_service.FirstAssignment(
            source.id, "Suboficial", date(2010, 5, 1), unit.id)),
    )
    result = agency_service.merge_agency(uow, operator, source.id, agencies["GN"],
                                         date(2019, 6, 30))
    assert result.moved_assignments == 1
    assert result.units_created == 1
    assert result.source.dissolved_on == date(2019, 6, 30)
    assert result.source.merged_into_id == agencies["GN"]

    history = officer_service.get_officer(uow, operator, officer.officer.id).assignments
    first, second = history
    assert (first.agency_id, first.end_date, first.end_reason) == (
        source.id, date(2019, 6, 30), ChangeReason.MERGER)
    assert (second.agency_id, second.start_date, second.start_reason, second.rank) == (
        agencies["GN"], date(2019, 6, 30), ChangeReason.MERGER, "Suboficial")
    _, target_units = agency_service.get_agency(uow, operator, agencies["GN"])
    assert [u.code for u in target_units] == ["DIV-SEG"]
    assert second.unit_id == target_units[0].id

    # A dissolved agency takes no new officers and cannot be merged again.
    with pytest.raises(ValidationFailed):
        agency_service.merge_agency(uow, operator, source.id, agencies["GN"], date(2020, 1, 1))
    with pytest.raises(ValidationFailed):
        officer_service.register_officer(uow, operator, new_officer(source.id, curp=None))
    with container.uow().transaction() as tx:
        merges = [e for e in tx.audit.entries() if e.action == AuditAction.AGENCY_MERGE]
    assert merges[0].detail["assignments"] == 1


def test_roster_lists_current_officers_and_is_audited(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    uow = container.uow()
    officer_service.register_officer(uow, operator, new_officer(agencies["JAL-SSP"]))
    page = agency_service.roster_page(uow, operator, agencies["JAL-SSP"])
    assert page.agency.code == "JAL-SSP"
    assert [(line.name, line.rank) for line in page.lines] == [
        ("Peña Ruiz, María Fernanda", "Policía")]
    assert page.counts == {"active": 1}
    with container.uow().transaction() as tx:
        assert [e.action for e in tx.audit.entries()][-1] == AuditAction.AGENCY_ROSTER_READ


def test_an_agency_scoped_account_lists_its_own_agency(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    # Its agency is not on the first page of a national listing: the scope must narrow the
    # query, not filter a page afterwards.
    hr = actor(Role.AGENCY_HR, Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-GDL-PM"]))
    listed = agency_service.search_agencies(container.uow(), hr, limit=1)
    assert [a.code for a in listed] == ["JAL-GDL-PM"]
    state = actor(Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="14"))
    assert {a.code for a in agency_service.search_agencies(container.uow(), state)} == {
        "JAL-SSP", "JAL-GDL-PM"}
