"""Pages: sign-in, sign-out, redirects when signed out, CSRF, home and error pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from ui_support import PASSWORD, World, csrf_of, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor
from confianza.app.bootstrap import Container
from confianza.app.deps import SESSION_COOKIE
from confianza.trail.rules import AuditAction
from conftest import FakeClock


@pytest.fixture
def world(container: Container, operator: Actor, agencies: dict[str, int]) -> World:
    return seed(container, operator, agencies)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def audit_actions(container: Container) -> list[str]:
    with container.uow().transaction() as tx:
        return [e.action for e in tx.audit.entries(limit=1000)]


def test_signed_out_pages_redirect_to_login_with_next(client: TestClient, world: World) -> None:
    response = client.get("/officers?nombre=pe")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fofficers%3Fnombre%3Dpe"
    htmx = client.get("/officers?nombre=pe", headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"].startswith("/login?next=")


def test_sign_in_sets_a_strict_http_only_cookie_and_goes_to_next(
    client: TestClient, world: World, container: Container
) -> None:
    form = client.get("/login?next=/agencies")
    assert 'name="next" value="/agencies"' in form.text
    response = client.post("/login", data={
        "username": "clerk", "password": PASSWORD, "csrf_token": csrf_of(form.text),
        "next": "/agencies",
    })
    assert response.status_code == 303
    assert response.headers["location"] == "/agencies"
    cookie = next(h for h in response.headers.get_list("set-cookie")
                  if h.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # the test environment serves plain http
    assert client.get("/agencies").status_code == 200
    assert AuditAction.USER_LOGIN in audit_actions(container)


def test_next_never_leaves_the_site(client: TestClient, world: World) -> None:
    form = client.get("/login?next=//evil.example/x")
    assert 'name="next" value="/"' in form.text
    response = client.post("/login", data={
        "username": "clerk", "password": PASSWORD, "csrf_token": csrf_of(form.text),
        "next": "https://evil.example/",
    })
    assert response.headers["location"] == "/"


def test_wrong_password_keeps_the_username_and_says_nothing_specific(
    client: TestClient, world: World, container: Container
) -> None:
    for username in ("clerk", "nobody"):
        form = client.get("/login")
        response = client.post("/login", data={
            "username": username, "password": "not the password", "csrf_token": csrf_of(form.text),
        })
        assert response.status_code == 401
        assert f'value="{username}"' in response.text
        assert "no son correctos" in response.text
        assert SESSION_COOKIE not in response.cookies
    assert audit_actions(container).count(AuditAction.USER_LOGIN_FAILED) == 2


def test_sign_in_form_without_its_csrf_token_is_refused(client: TestClient, world: World) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "clerk", "password": PASSWORD,
                                           "csrf_token": "forged"})
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


def test_logout_needs_the_csrf_token_and_ends_the_session(
    client: TestClient, world: World, container: Container
) -> None:
    csrf = sign_in(client, "clerk")
    refused = client.post("/logout", data={"csrf_token": "wrong"})
    assert refused.status_code == 403
    assert "Acceso denegado" in refused.text
    assert client.get("/").status_code == 200  # still signed in
    response = client.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?salida=1"
    assert AuditAction.USER_LOGOUT in audit_actions(container)
    assert client.get("/").status_code == 303


def test_htmx_post_without_the_csrf_header_is_refused(client: TestClient, world: World) -> None:
    csrf = sign_in(client, "clerk")
    url = f"/officers/{world.maria}/contacts"
    headers = {"HX-Request": "true"}
    purpose = {"purpose": "Citatorio del expediente 12/2026"}
    assert client.post(url, data=purpose, headers=headers).status_code == 403
    ok = client.post(url, data=purpose, headers={**headers, "X-CSRF-Token": csrf})
    assert ok.status_code == 200


def test_session_timeout_sends_back_to_login_with_a_message(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    sign_in(client, "clerk")
    clock.advance(minutes=31)
    response = client.get("/agencies")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fagencies&expirada=1"
    assert "Su sesión terminó" in client.get(response.headers["location"]).text


def test_home_shows_who_you_are_role_and_scope(client: TestClient, world: World) -> None:
    sign_in(client, "jal.hr")
    page = client.get("/")
    assert page.status_code == 200
    assert "jal.hr" in page.text
    assert "Recursos humanos de corporación" in page.text
    assert "Estado: Jalisco" in page.text
    assert 'href="/officers"' in page.text
    # the HTMX requests of every page carry the session's CSRF token
    assert "X-CSRF-Token" in page.text


def test_error_pages_are_friendly_with_the_request_id(client: TestClient, world: World) -> None:
    sign_in(client, "clerk")
    missing = client.get("/officers/999999", headers={"X-Request-ID": "req-ui-404-0001"})
    assert missing.status_code == 404
    assert "No encontrado" in missing.text
    assert "req-ui-404-0001" in missing.text
    assert "Traceback" not in missing.text
    unknown = client.get("/no-such-page")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("text/html")
    invalid = client.get("/officers/not-a-number")
    assert invalid.status_code == 422
    assert "Datos no válidos" in invalid.text


def test_pages_send_the_security_headers(client: TestClient, world: World) -> None:
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>" not in response.text  # no inline script the CSP would block
    assert " style=" not in response.text
    assert client.get("/static/htmx.min.js").status_code == 200


def test_a_crash_shows_the_request_id_and_no_traceback(
    container: Container, world: World
) -> None:
    from confianza.app.web import create_app

    app = create_app(container)

    @app.get("/ui-test-crash")
    def crash() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/ui-test-crash", headers={"X-Request-ID": "req-ui-500-0001"})
    assert response.status_code == 500
    assert "Error interno" in response.text
    assert "req-ui-500-0001" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text
