"""The integrity section of the officer's record, on both databases: the case's investigator and
the supervisors see the officer's cases with their stage and a link to each file they may open
(and, in internal affairs, to the co-accusal network); a commission member who is not one of the
case's people and agency HR learn only that a case exists and its stage; a registry clerk, who
holds no case permission, sees no section and leaves no entry for one.

Whatever the role, one page view is one entry (issue 15, §2; ADR 0024): the record's read,
naming the integrity section among those read, with the cases shown and the files offered."""

from __future__ import annotations

from datetime import date

from ui_support import PASSWORD, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.core.web import strings
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service import cases
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.trail.rules import AuditAction, AuditEntry, acts_of

TEXT = strings.TEXT


def user(container: Container, operator: Actor, name: str, role: Role) -> int:
    return user_service.create_user(container.uow(), operator, user_service.NewUser(
        name, name.title(), PASSWORD, role, Scope(ScopeKind.STATE, "14"))).id


def trail(container: Container) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return tx.audit.entries(limit=100_000)


def test_the_record_shows_cases_by_need_to_know(container: Container, operator: Actor,
                                                agencies: dict[str, int]) -> None:
    world = seed(container, operator, agencies)
    case_id = cases.open_case(container.uow(), operator, NewCase(
        agencies["JAL-SSP"], "Cobro de cuotas en el retén de la carretera 15.", (
            NewSource(SourceChannel.CITIZEN_COMPLAINT, Reliability.B, Credibility.PROBABLY_TRUE,
                      "Le cobraron 500 pesos.", date(2026, 11, 2), reporter_name="Rosa Ruiz"),),
        (NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos.", (0,),
                       officer_id=world.maria),))).case.id
    investigator = user(container, operator, "ai-investiga", Role.INTERNAL_AFFAIRS)
    user(container, operator, "ai-otro", Role.INTERNAL_AFFAIRS)
    user(container, operator, "ai-supervisa", Role.INTERNAL_AFFAIRS_SUPERVISOR)
    user(container, operator, "chj-uno", Role.HONOUR_COMMISSION)
    cases.assign(container.uow(), operator, case_id, investigator, Duty.INVESTIGATOR)
    record = f"/officers/{world.maria}"
    link = f'href="/integrity/cases/{case_id}"'
    network = f'href="/officers/{world.maria}/network"'
    folio = TEXT["in_record_case"].format(id=case_id)
    expected = {  # who: (a link to the file, a link to the network)
        "ai-investiga": (True, True), "ai-supervisa": (True, True), "ai-otro": (False, True),
        "chj-uno": (False, False), "jal.hr": (False, False),
    }
    for username, (opens, sees_network) in expected.items():
        for client in open_client(container):
            sign_in(client, username)
            before = len(trail(container))
            page = client.get(record)
            assert page.status_code == 200, username
            assert 'id="h-integrity"' in page.text and folio in page.text, username
            assert "Asignado" in page.text, username  # the stage, in words
            assert (link in page.text) is opens, username
            assert (network in page.text) is sees_network, username
            assert "Rosa Ruiz" not in page.text and "500 pesos" not in page.text, username
            [read] = trail(container)[before:]  # one view, one entry
            assert (read.actor, read.action, read.resource_id) == (
                username, AuditAction.OFFICER_READ, str(world.maria)), username
            assert "integrity" in read.detail["sections"], username
            assert AuditAction.CASE_STAGE_READ in acts_of(read.action, read.detail), username
            assert (read.detail["cases"], read.detail["files_offered"]) == (
                [case_id], [case_id] if opens else []), username
    # A role without any case permission: no section, no read, no entry.
    for client in open_client(container):
        sign_in(client, "clerk")
        before = len(trail(container))
        page = client.get(record)
        assert page.status_code == 200 and 'id="h-integrity"' not in page.text
        [read] = trail(container)[before:]
        assert read.action == AuditAction.OFFICER_READ
        assert "integrity" not in read.detail["sections"] and "cases" not in read.detail
    # An officer without cases, in English.
    for client in open_client(container):
        sign_in(client, "jal.hr")
        page = client.get(f"/officers/{world.evil}?lang=en")
        assert "They are accused in no case." in page.text
