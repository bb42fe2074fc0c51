"""Officer use cases on both databases: registration, reads that leave a trace, scope."""

from __future__ import annotations

from datetime import date

import pytest
from statement_support import counted

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.errors import Conflict, Forbidden, PurposeRequired, ValidationFailed
from confianza.kit.curp import build_curp
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.officers import Contact, ContactKind, ExternalId, OfficerStatus, Sex
from confianza.registry.service import assignments as assignment_service
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction, RecordSection
from conftest import actor


def new_officer(agency_id: int, **overrides: object) -> officer_service.NewOfficer:
    birth = date(1988, 3, 14)
    values: dict[str, object] = {
        "given_names": "María Fernanda",
        "first_surname": "Peña",
        "second_surname": "Ruiz",
        "birth_date": birth,
        "sex": Sex.FEMALE,
        "curp": build_curp("Peña", "Ruiz", "María Fernanda", birth, "M", "JC"),
        "assignment": officer_service.FirstAssignment(agency_id, "Policía", date(2012, 1, 16)),
        "badge": "4411",
    }
    values.update(overrides)
    return officer_service.NewOfficer(**values)  # type: ignore[arg-type]


def entries(container: Container, action: str) -> list[object]:
    with container.uow().transaction() as tx:
        return [e for e in tx.audit.entries(limit=1000) if e.action == action]


def test_register_read_and_search_write_audit_entries(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    uow = container.uow("req-test-0001")
    profile = officer_service.register_officer(uow, operator, new_officer(agencies["JAL-SSP"]))
    assert profile.officer.status is OfficerStatus.ACTIVE
    assert [a.agency_id for a in profile.current] == [agencies["JAL-SSP"]]
    assert [b.number for b in profile.badges] == ["4411"]

    clerk = actor(Role.REGISTRY_CLERK)
    officer_service.get_officer(uow, clerk, profile.officer.id)
    page = officer_service.search_officers(uow, clerk, officer_service.OfficerQuery(name="pena r"))
    assert [o.id for o in page.items] == [profile.officer.id]

    reads = entries(container, AuditAction.OFFICER_READ)
    assert len(reads) == 1
    assert reads[0].resource_id == str(profile.officer.id)  # type: ignore[attr-defined]
    assert reads[0].request_id == "req-test-0001"  # type: ignore[attr-defined]
    searches = entries(container, AuditAction.OFFICER_SEARCH)
    assert searches[0].detail == {  # type: ignore[attr-defined]
        "criteria": ["name"], "results": [profile.officer.id]
    }


def test_contact_data_needs_a_purpose_and_is_recorded(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    uow = container.uow()
    officer_id = officer_service.register_officer(
        uow, operator, new_officer(agencies["JAL-SSP"])
    ).officer.id
    officer_service.set_contacts(
        uow, operator, officer_id, [Contact(ContactKind.PHONE, "+52 33 1234 5678", "móvil")]
    )
    ia = actor(Role.INTERNAL_AFFAIRS)
    with pytest.raises(PurposeRequired):
        officer_service.reveal_contacts(uow, ia, officer_id, "")
    contacts = officer_service.reveal_contacts(uow, ia, officer_id, "Citatorio expediente 12/2026")
    assert contacts[0].value == "+52 33 1234 5678"
    reads = entries(container, AuditAction.OFFICER_CONTACT_READ)
    assert [r.purpose for r in reads] == ["Citatorio expediente 12/2026"]  # type: ignore[attr-defined]
    # An auditor may read identities but never contact data; the refusal itself is recorded.
    with pytest.raises(Forbidden):
        officer_service.reveal_contacts(uow, actor(Role.AUDITOR), officer_id, "curiosity, really")
    assert len(entries(container, AuditAction.ACCESS_DENIED)) == 1


def test_state_scope_hides_other_states(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    uow = container.uow()
    jal = officer_service.register_officer(uow, operator, new_officer(agencies["JAL-GDL-PM"]))
    nl_hr = actor(Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="19"))
    with pytest.raises(Forbidden):
        officer_service.get_officer(uow, nl_hr, jal.officer.id)
    page = officer_service.search_officers(uow, nl_hr, officer_service.OfficerQuery(name="PENA"))
    assert page.items == []
    jal_hr = actor(Role.AGENCY_HR, Scope(ScopeKind.STATE, state_code="14"))
    page = officer_service.search_officers(uow, jal_hr, officer_service.OfficerQuery(name="PENA"))
    assert [o.id for o in page.items] == [jal.officer.id]


def test_bad_identity_is_refused_whole(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    uow = container.uow()
    with pytest.raises(ValidationFailed) as caught:
        officer_service.register_officer(
            uow, operator,
            new_officer(agencies["JAL-SSP"], curp="PERM880314MJCXXX09", given_names=" ",
                        birth_date=date(2031, 1, 1)),
        )
    locations = {e.location for e in caught.value.errors}
    assert {"curp", "given_names", "birth_date"} <= locations
    first = officer_service.register_officer(uow, operator, new_officer(agencies["JAL-SSP"]))
    with pytest.raises(Conflict):
        officer_service.register_officer(uow, operator, new_officer(agencies["NL-FC"], badge=None))
    page = officer_service.search_officers(uow, operator, officer_service.OfficerQuery(name="PE"))
    assert [o.id for o in page.items] == [first.officer.id]


def test_transfer_closes_the_open_assignment_and_refuses_overlaps(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    uow = container.uow()
    officer_id = officer_service.register_officer(
        uow, operator, new_officer(agencies["JAL-SSP"])
    ).officer.id
    assignment_service.add_assignment(
        uow, operator, officer_id,
        assignment_service.NewAssignment(agencies["GN"], "Agente", date(2020, 7, 1),
                                         ChangeReason.TRANSFER),
    )
    history = officer_service.get_officer(uow, operator, officer_id).assignments
    assert [(a.agency_id, a.end_date, a.end_reason) for a in history] == [
        (agencies["JAL-SSP"], date(2020, 7, 1), ChangeReason.TRANSFER),
        (agencies["GN"], None, None),
    ]
    with pytest.raises(Conflict):
        assignment_service.add_assignment(
            uow, operator, officer_id,
            assignment_service.NewAssignment(agencies["NL-FC"], "Policía", date(2015, 1, 1),
                                             ChangeReason.TRANSFER, end_date=date(2016, 1, 1)),
        )


def test_identity_keys_other_than_curp(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    uow = container.uow()
    key = ExternalId("chicago-pd", "13001")
    profile = officer_service.register_officer(
        uow, operator,
        new_officer(agencies["GN"], curp=None, birth_date=None, birth_year=1971,
                    external_ids=(key,)),
    )
    page = officer_service.search_officers(
        uow, operator, officer_service.OfficerQuery(identifier=key)
    )
    assert [o.id for o in page.items] == [profile.officer.id]
    with pytest.raises(Conflict):
        officer_service.register_officer(
            uow, operator, new_officer(agencies["GN"], curp=None, external_ids=(key,))
        )


def test_recording_a_past_posting_never_ends_the_current_one(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    uow = container.uow()
    officer_id = officer_service.register_officer(
        uow, operator, new_officer(agencies["JAL-SSP"])
    ).officer.id
    # A closed posting inside the open one's period is an overlap, not a transfer.
    with pytest.raises(Conflict):
        assignment_service.add_assignment(
            uow, operator, officer_id,
            assignment_service.NewAssignment(agencies["NL-FC"], "Policía", date(2015, 1, 1),
                                             ChangeReason.CORRECTION, end_date=date(2016, 1, 1)),
        )
    current = officer_service.get_officer(uow, operator, officer_id).current
    assert [(a.agency_id, a.end_date) for a in current] == [(agencies["JAL-SSP"], None)]
    # Before the first posting it is simply history.
    assignment_service.add_assignment(
        uow, operator, officer_id,
        assignment_service.NewAssignment(agencies["NL-FC"], "Cadete", date(2010, 1, 1),
                                         ChangeReason.APPOINTMENT, end_date=date(2012, 1, 16)),
    )
    history = officer_service.get_officer(uow, operator, officer_id).assignments
    assert [a.agency_id for a in history] == [agencies["NL-FC"], agencies["JAL-SSP"]]


def test_a_profile_costs_the_same_queries_however_many_units_the_career_crossed(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    """The profile page's read (issue 15): the officer with every posting, its agency and unit in
    one statement, the badges with their agencies in another, the external ids, the
    certification (standing, components, certificates) and the evaluations in one each: five
    statements however long the career, the officer read once, no lookup per posting (it used
    to read the officer four times, each posting's unit on its own, in three transactions)."""
    from confianza.registry.service import agencies as agency_service

    uow = container.uow()
    agency = agencies["JAL-SSP"]
    units = [agency_service.create_unit(uow, operator, agency, f"U{n}", f"Unidad {n}").id
             for n in range(4)]
    # Serving since 2020; the postings below are their earlier career.
    since = officer_service.FirstAssignment(agency, "Policía", date(2020, 1, 6))
    first = officer_service.register_officer(uow, operator, new_officer(agency, assignment=since))
    second = officer_service.register_officer(uow, operator, new_officer(
        agency, given_names="Rosa", curp=build_curp("Peña", "Ruiz", "Rosa", date(1990, 5, 2),
                                                     "M", "JC"),
        birth_date=date(1990, 5, 2), badge="4412", assignment=since))
    for year, unit in enumerate(units, start=2013):
        assignment_service.add_assignment(uow, operator, second.officer.id,
                                          assignment_service.NewAssignment(
                                              agencies["GN"] if year % 2 else agency, "Policía",
                                              date(year, 2, 1), ChangeReason.TRANSFER,
                                              unit_id=None if year % 2 else unit,
                                              end_date=date(year, 12, 31)))
        assignment_service.add_badge(uow, operator, second.officer.id, agencies["NL-FC"],
                                     f"B{year}", date(year, 2, 1), date(year, 12, 31))
    assignment_service.add_assignment(uow, operator, first.officer.id,
                                      assignment_service.NewAssignment(
                                          agency, "Policía", date(2013, 2, 1),
                                          ChangeReason.TRANSFER, unit_id=units[0],
                                          end_date=date(2013, 12, 31)))
    page = (RecordSection.CERTIFICATE, RecordSection.EVALUATIONS)

    def queries_for(officer_id: int) -> tuple[officer_service.OfficerRecord, list[str]]:
        return counted(container.engine, lambda: officer_service.read_record(
            uow, operator, officer_id, page))

    one, statements_one = queries_for(first.officer.id)
    many, statements_many = queries_for(second.officer.id)
    assert set(one.profile.unit_names.values()) == {"Unidad 0"}
    assert set(many.profile.unit_names.values()) == {"Unidad 1", "Unidad 3"}
    assert set(many.profile.agencies) == {agency, agencies["GN"], agencies["NL-FC"]}
    assert len(many.profile.assignments) == 5 and len(many.profile.badges) == 5
    assert len(statements_one) == len(statements_many) == 5, statements_many
    officer_reads = [s for s in statements_many if "FROM officers" in s]
    assert len(officer_reads) == 1, officer_reads
    # The API's profile: the same first three, without the certification's two, and the
    # status history (ADR 0025) in one more.
    _, alone = counted(container.engine, lambda: officer_service.get_officer(
        uow, operator, second.officer.id))
    assert len(alone) == 4, alone
    assert sum("FROM officer_status_changes" in s for s in alone) == 1, alone


def test_an_applicants_profile_asks_who_holds_them_once_more(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    """Never posted, an applicant is held by the agency that last asked to evaluate them: the
    one case whose holder the postings cannot tell, and the one extra statement it costs."""
    from confianza.vetting.service import evaluations as evaluation_service

    uow = container.uow()
    birth = date(2001, 2, 3)
    applicant = evaluation_service.request_applicant_evaluation(
        uow, operator, officer_service.NewOfficer(
            "Diego", "Ramos", "Luna", curp=build_curp("Ramos", "Luna", "Diego", birth, "H", "JC"),
            birth_date=birth, sex=Sex.MALE),
        agencies["JAL-SSP"], "Policía", policy=container.policy).officer.id
    jalisco = actor(Role.REGISTRY_CLERK, Scope(ScopeKind.STATE, "14"))
    record, statements = counted(container.engine, lambda: officer_service.read_record(
        uow, jalisco, applicant, (RecordSection.CERTIFICATE, RecordSection.EVALUATIONS)))
    assert record.profile.assignments == [] and len(record.evaluations or []) == 1
    assert len(statements) == 6, statements
    with pytest.raises(Forbidden):
        officer_service.read_record(uow, actor(Role.REGISTRY_CLERK, Scope(ScopeKind.STATE, "19")),
                                    applicant)


def test_a_search_is_one_statement_and_one_more_for_its_agency(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    """The name search reads its page of officers in one statement; naming an agency adds the
    agency's own read (its scope is checked); nothing is looked up per officer."""
    uow = container.uow()
    for n, name in enumerate(("Ana", "Berta", "Carla")):
        officer_service.register_officer(uow, operator, new_officer(
            agencies["JAL-SSP"], given_names=name, curp=None, badge=f"90{n}"))
    page, statements = counted(container.engine, lambda: officer_service.search_officers(
        uow, operator, officer_service.OfficerQuery(name="Peña"), limit=2))
    assert len(page.items) == 2 and page.next_cursor and len(statements) == 1, statements
    page, statements = counted(container.engine, lambda: officer_service.search_officers(
        uow, operator, officer_service.OfficerQuery(name="Peña", agency_id=agencies["JAL-SSP"])))
    assert len(page.items) == 3 and len(statements) == 2, statements
