"""The officer's status history and the kinds of their postings on the pages (issue 16 item 3,
ADR 0025), in both languages: the profile's section and the timeline's events."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from ui_support import World, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.registry.rules.assignments import ChangeReason, PostingKind
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service import assignments as assignment_service
from confianza.registry.service import officers as officer_service

SUSPENSION = "Suspensión por investigación de asuntos internos"


@pytest.fixture
def world(container: Container, operator: Actor, agencies: dict[str, int]) -> World:
    built = seed(container, operator, agencies)
    uow = container.uow()
    assignment_service.add_assignment(uow, operator, built.maria, assignment_service.NewAssignment(
        agencies["GN"], "Policía", date(2024, 2, 1), ChangeReason.REASSIGNMENT,
        kind=PostingKind.TASK_FORCE))
    with container.uow().transaction() as tx:
        main = next(a for a in tx.officers.assignments(built.maria)
                    if a.end_date is None and a.kind is PostingKind.FULL_TIME)
    assignment_service.set_leave(uow, operator, main.id, True, date(2026, 9, 1),
                                 "Licencia por estudios")
    officer_service.change_status(uow, operator, built.maria, OfficerStatus.SUSPENDED,
                                  SUSPENSION, date(2026, 10, 5))
    return built


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def test_the_profile_shows_the_status_history_and_the_postings_kinds(
    client: TestClient, world: World
) -> None:
    sign_in(client, "clerk")
    page = html.unescape(client.get(f"/officers/{world.maria}").text)
    assert "Historial de estatus" in page
    history = page[page.index('id="h-status-history"'):page.index('id="h-badges"')]
    # Newest first: the suspension above the registration.
    assert history.index("Suspendido") < history.index("Activo")
    assert SUSPENSION in history and "05/10/2026" in history
    current = page[page.index('id="h-current"'):page.index('id="h-history"')]
    assert "Comisión a fuerza de tarea" in current
    assert "Con licencia" in current and "Licencia desde el 01/09/2026" in current
    english = html.unescape(client.get(f"/officers/{world.maria}", params={"lang": "en"}).text)
    assert "Status history" in english and "Task force secondment" in english


def test_the_timeline_shows_the_status_changes_and_the_leave(
    client: TestClient, world: World
) -> None:
    sign_in(client, "clerk")
    page = html.unescape(client.get(f"/officers/{world.maria}/timeline").text)
    assert "Cambio de estatus" in page and SUSPENSION in page
    assert "Inicio de licencia" in page
    assert "Comisión a fuerza de tarea" in page  # the secondment's start names its kind
