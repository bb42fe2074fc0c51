"""Every page as every role: what the role table allows opens, anything else is a 403 page.

The table below must name every page route of the app, so a new page without an entry here
fails the suite instead of slipping through untested.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from ui_support import PASSWORD, csrf_of, open_client, seed, sign_in

from confianza.bootstrap import Container
from confianza.domain.permissions import ROLE_PERMISSIONS, Actor, Permission, Role, Scope
from confianza.services import users as user_service
from confianza.web.app import create_app

P = Permission
ANYONE = None  # any signed-in account
PAGES: dict[tuple[str, str], Permission | None] = {
    ("GET", "/"): ANYONE,
    ("GET", "/officers"): P.OFFICER_SEARCH,
    ("GET", "/officers/{officer_id}"): P.OFFICER_READ,
    ("POST", "/officers/{officer_id}/contacts"): P.OFFICER_SENSITIVE_READ,
    ("GET", "/agencies"): P.AGENCY_READ,
    ("GET", "/agencies/{agency_id}/roster"): P.OFFICER_SEARCH,
    ("POST", "/logout"): ANYONE,
}
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/healthz")}


def page_routes(app: FastAPI) -> set[tuple[str, str]]:
    def walk(routes: list[Any]) -> Iterator[tuple[str, str]]:
        for route in routes:
            nested = getattr(route, "effective_route_contexts", None)
            if nested is not None:
                yield from walk(list(nested()))
                continue
            methods = getattr(route, "methods", None) or getattr(
                getattr(route, "original_route", None), "methods", None)
            for method in methods or ():
                yield method, getattr(route, "path", "")

    return {
        (m, p) for m, p in walk(list(app.routes))
        if m not in {"HEAD", "OPTIONS"} and not p.startswith(("/api", "/static"))
    }


def test_every_page_is_in_the_table(container: Container) -> None:
    assert page_routes(create_app(container)) == set(PAGES) | PUBLIC


@pytest.mark.parametrize("role", list(Role))
def test_every_page_as_every_role(
    container: Container, operator: Actor, agencies: dict[str, int], role: Role
) -> None:
    world = seed(container, operator, agencies)
    user_service.create_user(container.uow(), operator, user_service.NewUser(
        "probe", "Probe", PASSWORD, role, Scope()))
    held = ROLE_PERMISSIONS[role]
    for client in open_client(container):
        csrf = sign_in(client, "probe")
        for (method, path), needed in PAGES.items():
            if path == "/logout":
                continue  # would end the session the loop needs; covered by the session tests
            url = path.format(officer_id=world.maria, agency_id=agencies["JAL-SSP"])
            if path == "/officers":
                url += "?nombre=PENA"
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={
                    "purpose": "Revisión de matriz de permisos", "csrf_token": csrf})
            allowed = needed is None or needed in held
            expected = 200 if allowed else 403
            assert response.status_code == expected, (role, method, path, response.text[:300])
            if not allowed:
                assert "403" in response.text or "permiso" in response.text.lower()
        # A refusal does not end the session: the account is still signed in.
        home = client.get("/")
        assert home.status_code == 200 and csrf_of(home.text) == csrf
