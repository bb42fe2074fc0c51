"""Support for the page tests: a small registry, three accounts, a client, sign-in by form.

Not a conftest.py: a second conftest module would shadow tests/conftest.py for every
`from conftest import ...` in the suite. The fixtures shared by the page tests (`client` here,
`world` and `scene` in the other support modules) are defined once and named by each test module
that uses them, `client = ui_support.client`: pytest finds a fixture by its name in the test
module (a `from ui_support import client` would read to the linter as an unused import that
each test's argument redefines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.app.web import create_app
from confianza.kit.curp import build_curp
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.rules.officers import Contact, ContactKind, ExternalId, Sex
from confianza.registry.service import assignments as assignment_service
from confianza.registry.service import officers as officer_service

PASSWORD = "frase-de-prueba-larga-2026"
EVIL_NAME = '<script>alert("x")</script>'


@dataclass(frozen=True)
class World:
    agencies: dict[str, int]
    maria: int  # Jalisco, with contacts, a past posting in the Guardia Nacional
    nuevo_leon: int  # Nuevo León: outside a Jalisco-scoped account
    evil: int  # an officer whose name is markup


def seed(container: Container, operator: Actor, agencies: dict[str, int]) -> World:
    uow = container.uow()
    birth = date(1988, 3, 14)
    maria = officer_service.register_officer(uow, operator, officer_service.NewOfficer(
        given_names="María Fernanda", first_surname="Peña", second_surname="Ruiz",
        birth_date=birth, sex=Sex.FEMALE,
        curp=build_curp("Peña", "Ruiz", "María Fernanda", birth, "M", "JC"),
        external_ids=(ExternalId("sesnsp.cui", "CUI-0042"),),
        assignment=officer_service.FirstAssignment(agencies["GN"], "Agente", date(2012, 1, 16)),
    )).officer.id
    assignment_service.add_assignment(uow, operator, maria, assignment_service.NewAssignment(
        agencies["JAL-SSP"], "Policía Tercero", date(2019, 6, 1), ChangeReason.TRANSFER))
    assignment_service.add_badge(uow, operator, maria, agencies["JAL-SSP"], "4411",
                                 date(2019, 6, 1))
    officer_service.set_contacts(uow, operator, maria, [
        Contact(ContactKind.PHONE, "+52 33 1234 5678", "móvil"),
        Contact(ContactKind.ADDRESS, "Av. Juárez 100, Guadalajara", None),
    ])
    nl = officer_service.register_officer(uow, operator, officer_service.NewOfficer(
        given_names="Jorge", first_surname="Treviño", second_surname="Garza",
        assignment=officer_service.FirstAssignment(agencies["NL-FC"], "Policía",
                                                   date(2015, 2, 1)),
    )).officer.id
    evil = officer_service.register_officer(uow, operator, officer_service.NewOfficer(
        given_names=EVIL_NAME, first_surname="Zúñiga",
        assignment=officer_service.FirstAssignment(agencies["JAL-SSP"], "Policía",
                                                   date(2020, 1, 1)),
    )).officer.id
    for username, role, scope in (
        ("clerk", Role.REGISTRY_CLERK, Scope()),
        ("jal.hr", Role.AGENCY_HR, Scope(ScopeKind.STATE, "14")),
        ("auditor", Role.AUDITOR, Scope()),
    ):
        user_service.create_user(uow, operator, user_service.NewUser(
            username, username.title(), PASSWORD, role, scope))
    return World(agencies, maria, nl, evil)


def open_client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "the page carries no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token (from the home page)."""
    form = client.get("/login")
    response = client.post("/login", data={
        "username": username, "password": password, "csrf_token": csrf_of(form.text),
        "next": "/",
    })
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)
