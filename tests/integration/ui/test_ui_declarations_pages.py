"""Declarations' pages, on SQLite and PostgreSQL (ADR 0038, addendum 2): the findings beside
the socio-economic exam for its examiner (and not beside the other exams), an officer's
declarations and findings with a case opened from one, agency HR's missing and late list, in
Spanish and English; reads audited."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from evaluation_ui_support import OPERATOR, PASSWORD, World, build_world, signed
from fastapi.testclient import TestClient
from sqlalchemy import select
from ui_support import open_client

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.accounts.service import users
from confianza.app.bootstrap import Container
from confianza.core.db.models import AuditEntryRow
from declarations_results_support import officer_with_cash_house

JALISCO = Scope(ScopeKind.STATE, "14")


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def person(container: Container, role: Role, username: str, scope: Scope) -> None:
    users.create_user(container.uow(), OPERATOR,
                      users.NewUser(username, username.title(), PASSWORD, role, scope))


def _entries(container: Container, action: str) -> list[dict[str, object]]:
    with container.session_factory() as s:
        return [json.loads(d) for d in s.scalars(
            select(AuditEntryRow.detail).where(AuditEntryRow.action == action))]


def test_the_socioeconomic_exam_shows_the_examinees_findings(
        client: TestClient, world: World, container: Container) -> None:
    officer = officer_with_cash_house(container, world.agencies["JAL-SSP"],
                                      "PERM880314MJCXXX02")
    evaluation_id = world.request(officer)
    world.schedule(evaluation_id)
    signed(client, world.examiner.username)
    page = client.get(f"/exams/{evaluation_id}/socioeconomic")
    assert page.status_code == 200, page.text
    assert "Declaraciones patrimoniales del evaluado" in page.text
    assert "Compras de contado" in page.text and "2,500,000" in page.text
    assert "Abrir expediente" not in page.text  # the examiner opens no case
    assert _entries(container, "declaration:check:read")[-1]["evaluation_id"] == evaluation_id
    medical = client.get(f"/exams/{evaluation_id}/medical")
    assert "Declaraciones patrimoniales del evaluado" not in medical.text
    english = client.get(f"/exams/{evaluation_id}/socioeconomic?lang=en")
    assert "The examinee&#39;s asset declarations" in english.text
    assert "Cash purchases" in english.text and "Bought 1 property outright" in english.text


def test_internal_affairs_opens_a_case_from_a_finding(
        client: TestClient, world: World, container: Container) -> None:
    officer = officer_with_cash_house(container, world.agencies["JAL-SSP"],
                                      "PERM880314MJCXXX02")
    person(container, Role.INTERNAL_AFFAIRS_SUPERVISOR, "supervisora-ai", JALISCO)
    csrf = signed(client, "supervisora-ai")
    record = client.get(f"/officers/{officer}")  # the record leads to the declarations
    assert f'<a href="/declarations/officers/{officer}">' in record.text
    page = client.get(f"/declarations/officers/{officer}")
    assert page.status_code == 200, page.text
    assert "Compras de contado" in page.text and "Abrir expediente" in page.text
    opened = client.post(f"/declarations/officers/{officer}/checks/cash_purchases/case",
                         data={"csrf_token": csrf})
    assert opened.status_code == 303
    assert opened.headers["location"].startswith("/integrity/cases/")
    refused = client.post(f"/declarations/officers/{officer}/checks/vanished_assets/case",
                          data={"csrf_token": csrf})
    assert refused.status_code == 409
    assert "No se pudo abrir el expediente" in refused.text


def test_hr_lists_missing_and_late_declarations(
        client: TestClient, world: World, container: Container) -> None:
    officer_with_cash_house(container, world.agencies["JAL-SSP"], "PERM880314MJCXXX02")
    person(container, Role.AGENCY_HR, "rh-declaraciones", JALISCO)
    signed(client, "rh-declaraciones")
    home = client.get("/")
    assert '<a href="/declarations/due"' in home.text  # HR's menu offers the list
    page = client.get("/declarations/due")
    assert page.status_code == 200, page.text
    assert "María Peña Ruiz" in page.text
    assert "Modificación 2024 (vence 31/05/2024)" in page.text
    assert _entries(container, "declaration:due:read")
    english = client.get("/declarations/due?lang=en")
    assert "Missing and late declarations" in english.text
    assert "Modification 2024" in english.text


def test_roles_without_the_findings_get_no_link_to_them(
        client: TestClient, world: World, container: Container) -> None:
    officer = officer_with_cash_house(container, world.agencies["JAL-SSP"],
                                      "PERM880314MJCXXX02")
    person(container, Role.REGISTRY_CLERK, "capturista-decl", Scope())
    signed(client, "capturista-decl")
    record = client.get(f"/officers/{officer}")
    assert record.status_code == 200
    assert "/declarations/" not in record.text
