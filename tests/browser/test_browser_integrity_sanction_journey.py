"""A sustained finding's sanction, its appeal, and the appeal decided by a third person, in a
real Chromium.

Intake, investigation and the finding go through the services (the earlier journeys drive
those pages). Then a member of the commission imposes a dismissal on the case file's form; the
officer's agency HR, who may know only the case's stage, finds the appeal link on the
officer's record and files the appeal on its own page; the member who sanctioned is offered no
appeal form, and the third person, whose home lists the appeal, decides it on the case file:
the dismissal stands and the separation process opens. Every page passes axe-core's WCAG 2.1
AA rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from browser_support import (
    SUITE_NOW,
    add_account,
    add_agencies,
    browser_fixture,  # noqa: F401 - the fixture `browser`
    check_accessibility,
    fresh_registry,
    served,
    sign_in,
    window_fixture,  # noqa: F401 - the fixture `window`
)
from sqlalchemy import text

from confianza.accounts.rules.permissions import ActorKind, Role, Scope, ScopeKind, system_actor
from confianza.accounts.service.users import actor_for
from confianza.app.bootstrap import Container
from confianza.core.web.strings import TEXT
from confianza.core.web.strings import integrity as labels
from confianza.core.web.strings.integrity_decisions import IN_APPEAL_OUTCOME
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    FindingKind,
    LinkKind,
    Reliability,
    SourceChannel,
)
from confianza.integrity.rules.safeguards import SupportKind
from confianza.integrity.rules.stages import Stage
from confianza.integrity.service import cases, decisions, process
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.integrity.service.decisions import Relied
from confianza.registry.service import officers as officer_service
from conftest import FakeClock

pytestmark = pytest.mark.browser
GROUNDS = "El video de la caseta y el acta del ministerio público acreditan el cobro."
APPEAL = "El video no corresponde a la fecha de los hechos que se le imputan."
RESOLUTION = "El video está fechado por la caseta y coincide con el acta del ministerio público."


@dataclass(frozen=True)
class World:
    base_url: str
    container: Container
    officer: int
    case_id: int


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    clock = FakeClock(SUITE_NOW)
    with fresh_registry(tmp_path_factory.mktemp("integrity-sanction"), clock) as container:
        agencies = add_agencies(container, "JAL-SSP")
        operator = system_actor("browser-test")
        officer = officer_service.register_officer(
            container.uow(), operator, officer_service.NewOfficer(
                given_names="Ramiro", first_surname="Zendejas", second_surname="Lugo",
                assignment=officer_service.FirstAssignment(agencies["JAL-SSP"], "Policía",
                                                           date(2015, 3, 1)),
                badge="7702")).officer.id
        add_account(container, "rh-jalisco", "Recursos Humanos", Role.AGENCY_HR,
                    Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-SSP"]))
        supervisor = add_account(container, "ai-supervisa", "Supervisión",
                                 Role.INTERNAL_AFFAIRS_SUPERVISOR)
        people = {name: add_account(container, name, title, role) for name, title, role in (
            ("ai-investiga", "Investigación", Role.INTERNAL_AFFAIRS),
            ("chj-uno", "Comisión, primer integrante", Role.HONOUR_COMMISSION),
            ("chj-tres", "Comisión, tercera persona", Role.HONOUR_COMMISSION))}
        opened = cases.open_case(container.uow(), operator, NewCase(
            agencies["JAL-SSP"], "Cobro de cuotas en el retén de la carretera 15.", (
                NewSource(SourceChannel.CITIZEN_COMPLAINT, Reliability.B,
                          Credibility.PROBABLY_TRUE, "Le cobraron 500 pesos en el retén.",
                          date(2026, 11, 2), reporter_name="Rosa Martínez"),),
            (NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos por dejar pasar un camión.",
                           (0,), officer_id=officer),)))
        case_id, allegation = opened.case.id, opened.allegations[0].allegation.id
        uow = container.uow
        boss = actor_for(supervisor, ActorKind.USER)
        for name, duty in (("ai-investiga", Duty.INVESTIGATOR), ("chj-uno", Duty.DECIDER),
                           ("chj-tres", Duty.APPEAL_DECIDER)):
            cases.assign(uow(), boss, case_id, people[name].id, duty)
        investigator = actor_for(people["ai-investiga"], ActorKind.USER)
        process.issue_notice(uow(), investigator, case_id)
        process.serve_notice(uow(), investigator, case_id, SUITE_NOW.date())
        process.record_answer(uow(), investigator, case_id, "Niego haber cobrado nada.")
        evidence = process.add_evidence(uow(), investigator, case_id, "acta.pdf",
                                        "application/pdf", b"%PDF-1.4 acta", "Acta del MP.")
        process.add_link(uow(), investigator, case_id, allegation, LinkKind.SUPPORTS,
                         evidence_id=evidence)
        process.submit_for_decision(uow(), investigator, case_id)
        decisions.record_finding(uow(), actor_for(people["chj-uno"], ActorKind.USER), case_id,
                                 allegation, FindingKind.SUSTAINED, GROUNDS,
                                 [Relied(SupportKind.EVIDENCE, evidence)])
        with served(container) as base_url:
            yield World(base_url, container, officer, case_id)


def test_sanction_then_appeal_decided_by_a_third_person(
    world: World, window: Callable[..., Any]
) -> None:
    case_url = f"{world.base_url}/integrity/cases/{world.case_id}"
    member = window("commission")
    sign_in(member, world.base_url, "chj-uno", f"/integrity/cases/{world.case_id}")
    check_accessibility(member, "case file with the sanction form")
    form = member.locator(f'form[action$="/integrity/cases/{world.case_id}/sanction"]')
    form.get_by_label(labels.IN_SANCTION["dismissal"]).check()
    form.get_by_label(TEXT["in_sanction_grounds"]).fill(GROUNDS)
    form.get_by_role("button", name=TEXT["in_sanction_submit"]).click()
    member.wait_for_url(re.compile(rf"/integrity/cases/{world.case_id}\?hecho=sancion"))
    assert member.get_by_role("status").filter(has_text=TEXT["in_done_sanction"]).count() == 1
    assert member.get_by_text(re.compile("Se puede interponer un recurso hasta el")).count() == 1
    check_accessibility(member, "case file after the sanction")
    assert member.console_problems == []

    hr = window("hr")
    sign_in(hr, world.base_url, "rh-jalisco", f"/officers/{world.officer}")
    hr.locator("#integrity").get_by_role("link", name=TEXT["in_appeal_link"]).click()
    hr.wait_for_url(re.compile(rf"/integrity/cases/{world.case_id}/appeal$"))
    check_accessibility(hr, "HR's appeal page")
    assert hr.get_by_text(GROUNDS).count() == 0  # the stage and the deadline, not the file
    hr.get_by_label(TEXT["in_appeal_grounds"]).fill(APPEAL)
    hr.get_by_role("button", name=TEXT["in_appeal_submit"]).click()
    hr.wait_for_url(re.compile(r"/appeal\?hecho=recurso$"))
    assert hr.get_by_role("status").filter(has_text=TEXT["in_done_appeal_filed"]).count() == 1
    check_accessibility(hr, "HR's appeal page after filing")
    assert hr.console_problems == []

    # Who sanctioned is offered no appeal form; the third person finds the appeal at home.
    member.goto(case_url)
    assert member.locator('form[action$="/appeal/decision"]').count() == 0
    third = window("third person")
    sign_in(third, world.base_url, "chj-tres")
    check_accessibility(third, "the third person's home")
    third.locator("#panel-case_appeals").get_by_role(
        "link", name=TEXT["in_case_folio"].format(id=world.case_id)).click()
    third.wait_for_url(re.compile(rf"/integrity/cases/{world.case_id}#recurso$"))
    form = third.locator("#recurso-form")
    form.get_by_label(IN_APPEAL_OUTCOME["upheld"]).check()
    form.get_by_label(TEXT["in_appeal_resolution"]).fill(RESOLUTION)
    form.get_by_role("button", name=TEXT["in_appeal_decide_submit"]).click()
    third.wait_for_url(re.compile(r"\?hecho=recurso"))
    assert third.get_by_text(TEXT["in_separation_opened"]).count() == 1
    check_accessibility(third, "case file after the appeal")
    assert third.console_problems == []

    found = cases.read_case(world.container.uow(), system_actor("browser-test"), world.case_id)
    assert found.case.stage is Stage.CLOSED and found.appeal is not None
    with world.container.engine.connect() as connection:
        opened = connection.execute(text(
            "SELECT officer_id FROM separation_processes WHERE integrity_case_id = :c"),
            {"c": world.case_id}).scalars().all()
    assert opened == [world.officer]
