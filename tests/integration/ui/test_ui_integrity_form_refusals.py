"""Integrity forms refused for what the page itself can see (issue 17, Bad input), on both
databases: an intake with no agency chosen, a channel or grade outside the lists, a date that is
no date; a finding with no finding chosen. Each is refused beside its field with everything
typed still there, nothing is written, and the refusal leaves the entry every refused step
leaves (ADR 0010): `workflow:request:refused`, naming the step and the fields, never the values.
The same goes for the network's window over the API (since after until), refused after the
role and audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import text
from test_ui_integrity_decisions import GROUNDS, case_at_finding
from test_ui_integrity_intake import SECRET, complaint, user
from ui_support import PASSWORD, csrf_of, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.core.errors import Forbidden, ValidationFailed
from confianza.integrity.service import cases, network
from confianza.integrity.service.network import NetworkWindow
from confianza.trail.rules import AuditAction


def refusals(container: Container) -> list[tuple[str, str | None, dict[str, object]]]:
    """The trail's refused attempts, oldest first: actor, resource id, detail."""
    with container.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT actor, resource_id, detail FROM audit_entries "
            "WHERE action = 'workflow:request:refused' ORDER BY id")).all()
        return [(r[0], r[1], json.loads(r[2]) if isinstance(r[2], str) else r[2]) for r in rows]


def person(container: Container, operator: Actor, name: str, role: Role) -> Actor:
    found = user_service.create_user(container.uow(), operator, user_service.NewUser(
        name, name.title(), PASSWORD, role, Scope()))
    return Actor(found.id, name, role, Scope(), ActorKind.USER)


def case_count(container: Container) -> int:
    with container.engine.connect() as connection:
        return int(connection.execute(text("SELECT COUNT(*) FROM integrity_cases")).scalar_one())


def test_an_incomplete_intake_is_refused_audited_and_kept(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    seed(container, operator, agencies)
    user(container, operator, "ai-recibe", Role.INTERNAL_AFFAIRS)
    for client in open_client(container):
        sign_in(client, "ai-recibe")
        csrf = csrf_of(client.get("/integrity/cases/new").text)
        before = len(refusals(container))
        # No agency, a channel no list offers, a grade out of range, a received day that is
        # no date, an allegation with no kind: the page sees every one of them.
        refused = client.post("/integrity/cases/new", data={**complaint(
            agencies["JAL-SSP"], csrf, channel="carta", reliability="Z", received_on="ayer",
            a1_kind=""), "agency": ""})
        assert refused.status_code == 422
        assert "Cobró 500 pesos por dejar pasar un camión." in refused.text  # kept
        assert SECRET in refused.text and "Amenazó al chofer con detenerlo." in refused.text
        [(who, resource, detail)] = refusals(container)[before:]
        assert who == "ai-recibe" and resource is None
        assert detail["attempted"] == AuditAction.CASE_OPEN.value
        assert detail["status"] == 422
        assert detail["fields"] == sorted([
            "agency_id", "sources[0].channel", "sources[0].reliability",
            "sources[0].received_on", "allegations[1].kind"])
        assert "carta" not in json.dumps(detail) and "ayer" not in json.dumps(detail)
        # Only the agency wrong: named, with the agency typed as the resource.
        before = len(refusals(container))
        client.post("/integrity/cases/new", data=complaint(
            agencies["JAL-SSP"], csrf, a0_when="30/10/2026"))
        [(_, resource, detail)] = refusals(container)[before:]
        assert resource == str(agencies["JAL-SSP"])
        assert detail["fields"] == ["allegations[0].occurred_on"]
    assert case_count(container) == 0
    # A fault the service finds (a missing text) is audited the same way, as it was.
    for client in open_client(container):
        sign_in(client, "ai-recibe")
        csrf = csrf_of(client.get("/integrity/cases/new").text)
        before = len(refusals(container))
        client.post("/integrity/cases/new", data=complaint(agencies["JAL-SSP"], csrf,
                                                           a1_summary=""))
        [(_, _, detail)] = refusals(container)[before:]
        assert detail["attempted"] == AuditAction.CASE_OPEN.value
        assert "allegations[1].summary" in detail["fields"]  # type: ignore[operator]
    assert case_count(container) == 0


def test_a_finding_with_no_finding_chosen_is_refused_and_audited(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    world = seed(container, operator, agencies)
    case_id, allegations, _, _ = case_at_finding(container, operator, agencies, world.maria)
    page_url = f"/integrity/cases/{case_id}"
    for client in open_client(container):
        sign_in(client, "chj-uno")
        csrf = csrf_of(client.get(page_url).text)
        before = len(refusals(container))
        refused = client.post(f"{page_url}/allegations/{allegations[0]}/finding", data={
            "csrf_token": csrf, "finding": "", "grounds": GROUNDS})
        assert refused.status_code == 422 and GROUNDS in refused.text
        [(who, resource, detail)] = refusals(container)[before:]
        assert (who, resource) == ("chj-uno", str(case_id))
        assert (detail["attempted"], detail["fields"]) == (
            AuditAction.CASE_FINDING.value, ["finding"])
    assert cases.read_case(container.uow(), operator, case_id).allegations[0].finding is None


def test_the_networks_window_refused_is_audited_after_the_role(
    container: Container, operator: Actor, agencies: dict[str, int]
) -> None:
    """What the network's API and page are refused for (since after until) is refused by the
    service after the role, and audited; a role without the permission is refused for that."""
    world = seed(container, operator, agencies)
    window = NetworkWindow(since=date(2024, 1, 1), until=date(2020, 1, 1))
    supervisor = person(container, operator, "ai-red", Role.INTERNAL_AFFAIRS_SUPERVISOR)
    for read in (lambda who: network.network_groups(container.uow(), who, window),
                 lambda who: network.officer_network(container.uow(), who, world.maria,
                                                     window)):
        before = len(refusals(container))
        with pytest.raises(ValidationFailed):
            read(supervisor)
        [(who, _, detail)] = refusals(container)[before:]
        assert (who, detail["attempted"], detail["status"]) == (
            "ai-red", AuditAction.NETWORK_READ.value, 422)
        clerk = person(container, operator, f"clerk-{before}", Role.REGISTRY_CLERK)
        with pytest.raises(Forbidden):
            read(clerk)
