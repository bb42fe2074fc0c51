"""One entry per act on the pages (issue 15, ADR 0024), on both databases: the profile writes one
entry naming the sections it showed, the full-page contact reveal one entry with its purpose,
and the auditor's pages show such an entry as they showed the separate entries before."""

from __future__ import annotations

import html
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from ui_support import World, open_client, seed, sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from statement_support import statements_of  # noqa: E402

from confianza.accounts.rules.permissions import Actor  # noqa: E402
from confianza.accounts.service import users  # noqa: E402
from confianza.app.bootstrap import Container  # noqa: E402
from confianza.core.web import strings  # noqa: E402
from confianza.trail.rules import AuditAction, AuditEntry  # noqa: E402

A = AuditAction
LABEL = strings.ACC_ACTION


@pytest.fixture
def world(container: Container, operator: Actor, agencies: dict[str, int]) -> World:
    return seed(container, operator, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def trail(container: Container) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return tx.audit.entries(limit=100_000)


def test_the_profile_page_writes_one_entry_for_the_sections_it_shows(
    client: TestClient, world: World, container: Container
) -> None:
    sign_in(client, "clerk")
    before = len(trail(container))
    page = client.get(f"/officers/{world.maria}")
    assert page.status_code == 200
    assert strings.TEXT["tc_cert_title"] in page.text  # the certification section is shown
    [entry] = trail(container)[before:]
    assert (entry.actor, entry.action, entry.resource_id) == (
        "clerk", A.OFFICER_READ, str(world.maria))
    assert entry.detail["sections"] == ["identity", "certificate", "evaluations",
                                        "status_history"]


def test_the_full_page_contact_reveal_writes_one_entry_with_its_purpose(
    client: TestClient, world: World, container: Container
) -> None:
    csrf = sign_in(client, "clerk")
    purpose = "Verificación de domicilio para notificación"
    before = len(trail(container))
    page = client.post(f"/officers/{world.maria}/contacts",
                       data={"purpose": purpose, "csrf_token": csrf})
    assert page.status_code == 200 and "+52 33 1234 5678" in page.text
    [entry] = trail(container)[before:]
    assert (entry.action, entry.purpose, entry.detail["items"]) == (
        A.OFFICER_CONTACT_READ, purpose, 2)
    assert entry.detail["sections"] == ["identity", "contacts", "certificate", "evaluations",
                                        "status_history"]
    # A purpose too short: the page again, with the error, and the read of the rest only.
    before = len(trail(container))
    refused = client.post(f"/officers/{world.maria}/contacts",
                          data={"purpose": "corto", "csrf_token": csrf})
    assert refused.status_code == 422 and "1234 5678" not in refused.text
    [entry] = trail(container)[before:]
    assert (entry.action, entry.purpose) == (A.OFFICER_READ, None)


def test_the_auditors_pages_show_each_section_read(
    client: TestClient, world: World, container: Container
) -> None:
    sign_in(client, "clerk")
    assert client.get(f"/officers/{world.maria}").status_code == 200
    client.cookies.clear()
    sign_in(client, "auditor")
    acts = "; ".join(LABEL[a] for a in (A.OFFICER_READ, A.CUP_READ, A.EVALUATION_READ))
    for address, params in ((f"/access/officers/{world.maria}", {}),
                            (f"/access/officers/{world.maria}/report", {}),
                            ("/access/users", {"usuario": "clerk"}),
                            ("/access/users", {"usuario": "clerk", "accion": "certificate"})):
        page = client.get(address, params=params)
        assert page.status_code == 200, address
        assert acts in html.unescape(page.text), (address, params)
    timeline = client.get(f"/officers/{world.maria}/timeline", params={"tipo": "accesses"})
    assert acts in html.unescape(timeline.text)


def test_the_pages_read_what_they_show_in_a_few_statements(
    client: TestClient, world: World, container: Container
) -> None:
    """Whole pages, session check included (issue 15): the profile in seven statements (the
    session, then the officer with the postings, the badges, the external ids, the
    certification, the evaluations, the status history), the search in three (the session,
    the officers, the agencies of its drop-down; two for the results alone), the timeline of
    an officer never evaluated in seven (the session, the officer with the postings, the
    badges, the status history, the evaluations, the certification, the credentials;
    tests/integration/services/test_timeline_service.py pins a long record's)."""
    sign_in(client, "clerk")
    for address, params, headers, expected in (
        (f"/officers/{world.maria}", {}, {}, 7),
        ("/officers", {"nombre": "Peña"}, {}, 3),
        ("/officers", {"nombre": "Peña"}, {"HX-Request": "true", "HX-Target": "results"}, 2),
        (f"/officers/{world.maria}/timeline", {}, {}, 7),
    ):
        users.SESSIONS.clear()  # the session read too, as on the first page of a process
        with statements_of(container.engine) as statements:
            page = client.get(address, params=params, headers=headers)
        assert page.status_code == 200, address
        assert len(statements) == expected, (address, statements)
