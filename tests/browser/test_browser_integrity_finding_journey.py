"""Intake to finding in a real Chromium, and a refused unsafe finding.

A clerk of internal affairs takes a complaint by phone on `/integrity/cases/new` (the accused
found in the registry by the name the caller gave, attached only by choice); the supervisor
assigns an investigator and a member of the commission, the investigator serves the notice,
records the answer and a document (through the services: those steps have no page yet); the
member records a sustained finding on the case file's form. In the second journey a member asks
for a sustained finding resting only on an anonymous call: refused beside that form, in words,
with the finding, grounds and choices still in place, the refusal in the trail, nothing
recorded. Every page on the way passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import json
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
    unexpected_console,
    window_fixture,  # noqa: F401 - the fixture `window`
)
from sqlalchemy import text

from confianza.accounts.rules.permissions import ActorKind, Role, system_actor
from confianza.accounts.rules.users import User
from confianza.accounts.service.users import actor_for
from confianza.app.bootstrap import Container
from confianza.core.web.strings import integrity as labels
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    FindingKind,
    LinkKind,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service import cases, process
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.registry.service import officers as officer_service
from confianza.trail.rules import AuditAction
from conftest import FakeClock

pytestmark = pytest.mark.browser
TEXT = labels.TEXT
GROUNDS = "El video de la caseta y el acta del ministerio público acreditan el cobro."


@dataclass(frozen=True)
class World:
    base_url: str
    container: Container
    agency: int
    officer: int
    supervisor: User
    investigator: User
    decider: User


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    clock = FakeClock(SUITE_NOW)
    with fresh_registry(tmp_path_factory.mktemp("integrity-finding"), clock) as container:
        agencies = add_agencies(container, "JAL-SSP")
        officer = officer_service.register_officer(
            container.uow(), system_actor("browser-test"), officer_service.NewOfficer(
                given_names="Ramiro", first_surname="Zendejas", second_surname="Lugo",
                assignment=officer_service.FirstAssignment(agencies["JAL-SSP"], "Policía",
                                                           date(2015, 3, 1)),
                badge="7702")).officer.id
        add_account(container, "ai-recibe", "Recepción de quejas", Role.INTERNAL_AFFAIRS)
        supervisor = add_account(container, "ai-supervisa", "Supervisión de Asuntos Internos",
                                 Role.INTERNAL_AFFAIRS_SUPERVISOR)
        investigator = add_account(container, "ai-investiga", "Investigación",
                                   Role.INTERNAL_AFFAIRS)
        decider = add_account(container, "chj-uno", "Comisión de Honor y Justicia",
                              Role.HONOUR_COMMISSION)
        with served(container) as base_url:
            yield World(base_url, container, agencies["JAL-SSP"], officer, supervisor,
                        investigator, decider)


def investigate(world: World, case_id: int, allegation_id: int) -> None:
    """What the supervisor and the investigator do between intake and finding, as themselves:
    no page offers these steps yet."""
    uow = world.container.uow
    supervisor = actor_for(world.supervisor, ActorKind.USER)
    investigator = actor_for(world.investigator, ActorKind.USER)
    cases.assign(uow(), supervisor, case_id, world.investigator.id, Duty.INVESTIGATOR)
    cases.assign(uow(), supervisor, case_id, world.decider.id, Duty.DECIDER)
    process.issue_notice(uow(), investigator, case_id)
    process.serve_notice(uow(), investigator, case_id, SUITE_NOW.date())
    process.record_answer(uow(), investigator, case_id, "Niego haber cobrado nada.")
    evidence = process.add_evidence(uow(), investigator, case_id, "acta.pdf",
                                    "application/pdf", b"%PDF-1.4 acta", "Acta del MP.")
    process.add_link(uow(), investigator, case_id, allegation_id, LinkKind.SUPPORTS,
                     evidence_id=evidence)
    process.submit_for_decision(uow(), investigator, case_id)


def refusals(container: Container) -> list[dict[str, Any]]:
    with container.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT detail FROM audit_entries WHERE action = 'workflow:request:refused' "
            "ORDER BY id")).scalars()
        return [json.loads(detail) for detail in rows]


def test_complaint_taken_by_phone_ends_in_a_sustained_finding(
    world: World, window: Callable[..., Any]
) -> None:
    clerk = window("clerk")
    sign_in(clerk, world.base_url, "ai-recibe", "/integrity/cases/new")
    check_accessibility(clerk, "intake form")
    clerk.get_by_label(TEXT["in_intake_agency"]).select_option(
        label="Secretaría de Seguridad de Jalisco")
    clerk.get_by_label(TEXT["in_intake_summary"]).fill(
        "Un transportista denuncia cobros en el retén de la carretera 15.")
    clerk.get_by_label(TEXT["in_col_channel"]).select_option(
        label=labels.IN_SOURCE_CHANNEL["citizen_complaint"])
    clerk.get_by_label(labels.IN_RELIABILITY["B"]).check()
    clerk.get_by_label(labels.IN_CREDIBILITY["2"]).check()
    clerk.get_by_label(TEXT["in_intake_reporter"]).fill("Rosa Martínez Calderón")
    clerk.get_by_label(TEXT["in_intake_account"]).fill(
        "Le pidieron 500 pesos para dejar pasar su camión el martes por la noche.")
    clerk.get_by_label(TEXT["in_intake_kind"]).select_option(label=labels.IN_ALLEGATION_KIND[
        "bribery"])
    clerk.get_by_label(TEXT["in_intake_accused_name"]).fill("Zendejas")
    clerk.get_by_label(TEXT["in_intake_what"]).fill("Cobró 500 pesos por dejar pasar el camión.")
    # The search sends the form back with the matches: everything typed must still be there.
    clerk.get_by_role("button", name=TEXT["in_intake_search"]).click()
    match = clerk.get_by_label(re.compile(r"Zendejas"))
    match.check()
    assert clerk.get_by_label(TEXT["in_intake_reporter"]).input_value() == \
        "Rosa Martínez Calderón"
    check_accessibility(clerk, "intake form with the registry's matches")
    clerk.get_by_role("button", name=TEXT["in_intake_submit"]).click()
    clerk.wait_for_url(re.compile(r"/integrity\?recibido=\d+$"))
    case_id = int(clerk.url.rsplit("=", 1)[1])
    assert clerk.get_by_role("status").first.is_visible()
    assert clerk.console_problems == []

    opened = cases.read_case(world.container.uow(), system_actor("browser-test"), case_id)
    [allegation] = opened.allegations
    assert allegation.allegation.officer_id == world.officer  # attached by the clerk's choice
    [source] = opened.sources
    investigate(world, case_id, allegation.allegation.id)

    member = window("commission")
    sign_in(member, world.base_url, "chj-uno", f"/integrity/cases/{case_id}")
    check_accessibility(member, "case file with the finding form")
    form = member.locator(f"#allegation-{allegation.allegation.id} form")
    form.get_by_label(labels.IN_FINDING["sustained"]).check()
    form.locator(f'input[name="relied_on"][value="source-{source.id}"]').check()
    form.locator('input[name="relied_on"][value^="evidence-"]').check()
    form.get_by_label(TEXT["in_decide_grounds"]).fill(GROUNDS)
    form.get_by_role("button", name=TEXT["in_decide_submit"].format(
        id=allegation.allegation.id)).click()
    member.wait_for_url(re.compile(rf"/integrity/cases/{case_id}\?hecho=resolucion"))
    assert member.get_by_role("status").filter(has_text=TEXT["in_done_finding"]).count() == 1
    assert member.get_by_text(labels.IN_FINDING["sustained"], exact=True).count() >= 1
    check_accessibility(member, "case file after the finding")
    # The accused's record shows the case, linked for a member who decides it.
    member.goto(f"{world.base_url}/officers/{world.officer}")
    check_accessibility(member, "officer record with its integrity section")
    section = member.locator("#integrity")
    section.get_by_role("link", name=TEXT["in_record_case"].format(id=case_id)).click()
    member.wait_for_url(re.compile(rf"/integrity/cases/{case_id}$"))
    assert member.console_problems == []

    found = cases.read_case(world.container.uow(), system_actor("browser-test"),
                            case_id).allegations[0].finding
    assert found is not None and found.finding is FindingKind.SUSTAINED and found.in_effect


def test_finding_on_an_anonymous_call_alone_is_refused_beside_its_form(
    world: World, window: Callable[..., Any]
) -> None:
    operator = system_actor("browser-test")
    opened = cases.open_case(world.container.uow(), operator, NewCase(
        world.agency, "Llamada anónima sobre cobros en el retén.", (
            NewSource(SourceChannel.ANONYMOUS_LINE, Reliability.F, Credibility.CANNOT_BE_JUDGED,
                      "Una llamada relata cobros cada noche.", date(2026, 11, 2)),),
        (NewAllegation(AllegationKind.EXTORTION, "Exige cuotas a los transportistas.", (0,),
                       officer_id=world.officer),)))
    case_id = opened.case.id
    allegation = opened.allegations[0].allegation.id
    anonymous = opened.sources[0].id
    uow = world.container.uow
    supervisor = actor_for(world.supervisor, ActorKind.USER)
    investigator = actor_for(world.investigator, ActorKind.USER)
    cases.assign(uow(), supervisor, case_id, world.investigator.id, Duty.INVESTIGATOR)
    cases.assign(uow(), supervisor, case_id, world.decider.id, Duty.DECIDER)
    process.issue_notice(uow(), investigator, case_id)
    process.serve_notice(uow(), investigator, case_id, SUITE_NOW.date())
    process.record_answer(uow(), investigator, case_id, "Niego los hechos.")
    process.submit_for_decision(uow(), investigator, case_id)
    before = len(refusals(world.container))

    member = window("commission")
    sign_in(member, world.base_url, "chj-uno", f"/integrity/cases/{case_id}")
    form = member.locator(f"#allegation-{allegation} form")
    form.get_by_label(labels.IN_FINDING["sustained"]).check()
    form.locator(f'input[name="relied_on"][value="source-{anonymous}"]').check()
    form.get_by_label(TEXT["in_decide_grounds"]).fill(GROUNDS)
    form.get_by_role("button", name=TEXT["in_decide_submit"].format(id=allegation)).click()
    member.wait_for_load_state("load")

    refused = member.locator(f"#refused-{allegation}")
    assert refused.get_attribute("role") == "alert"
    assert TEXT["in_ref_only_weak_support"] in refused.inner_text()
    # Beside its form: the alert sits in the allegation's article, just before the form.
    assert member.locator(f"#allegation-{allegation} #refused-{allegation} + form").count() == 1
    form = member.locator(f"#allegation-{allegation} form")
    assert form.get_by_label(labels.IN_FINDING["sustained"]).is_checked()
    assert form.locator(f'input[name="relied_on"][value="source-{anonymous}"]').is_checked()
    assert form.get_by_label(TEXT["in_decide_grounds"]).input_value() == GROUNDS
    check_accessibility(member, "case file with a refused finding")
    assert unexpected_console(member, 409) == []

    [entry] = refusals(world.container)[before:]
    assert entry["attempted"] == AuditAction.CASE_FINDING.value
    assert cases.read_case(uow(), operator, case_id).allegations[0].finding is None
