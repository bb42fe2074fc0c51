"""Issue 6, bad input: a form posted without its CSRF token, with an altered one, with another
session's or with one no string comparison takes is refused with a page that says the form
expired and nothing was saved; the registry is left as it was, and the trail holds only the
refusal (`user:session:csrf_refused`). Every form of the pages that writes, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import bad_input_ui_support
import pytest
from bad_input_ui_support import (
    FORGED,
    FORMS,
    Scene,
    login,
    post_of,
    send,
    snapshot,
    trail,
    visible_text,
)
from fastapi.testclient import TestClient
from sqlalchemy import text
from ui_support import csrf_of, open_client

from confianza.accounts.pages import LOGIN_CSRF_COOKIE
from confianza.app.bootstrap import Container
from confianza.app.deps import SESSION_COOKIE

EXPIRED = "El formulario caducó o no corresponde a su sesión, así que no se guardó nada."


# The fixtures, defined once in bad_input_ui_support (see ui_support).
scene, client = bad_input_ui_support.scene, bad_input_ui_support.client


@pytest.fixture
def other_client(container: Container) -> Iterator[TestClient]:
    yield from open_client(container)


def assert_refused(response: Any, what: str) -> None:
    assert response.status_code == 403, (what, response.status_code, response.text[:300])
    assert EXPIRED in visible_text(response.text), what
    assert "Traceback" not in response.text


@pytest.mark.parametrize("form", FORMS)
def test_a_form_without_its_own_csrf_token_writes_nothing(
    client: TestClient, other_client: TestClient, scene: Scene, container: Container, form: str
) -> None:
    post = post_of(scene, form)
    # The same account in another browser: a real token, of another session.
    stolen = login(other_client, post.user)
    csrf = login(client, post.user)
    before, entries = snapshot(container), trail(container)
    tokens = (None, *FORGED, csrf[:-1] + ("A" if csrf[-1] != "A" else "B"), stolen, "ñandú-é")
    for token in tokens:
        assert_refused(send(client, post, token), f"{form} with token {token!r}")
    assert snapshot(container) == before, f"a refused {form} changed the registry"
    # Each refusal leaves its trace, and only that (before, this test said "nothing").
    assert_only_csrf_refusals(container, entries, len(tokens), form)
    # The same form with its own token is accepted: the refusals were the token's.
    accepted = send(client, post, csrf)
    assert accepted.status_code == post.accepted, (form, accepted.text[:500])


@pytest.mark.parametrize("form", ["contacts", "notification"])
def test_an_htmx_post_with_a_wrong_csrf_header_writes_nothing(
    client: TestClient, scene: Scene, container: Container, form: str
) -> None:
    post = post_of(scene, form)
    csrf = login(client, post.user)
    before, entries = snapshot(container), trail(container)
    # (A header is bytes: "é" in Latin-1, as a browser may send it.)
    headers = ("forged-token", csrf.upper(), "é".encode("latin-1"))
    for header in headers:
        response = client.post(post.url, data=post.data,
                               headers={"HX-Request": "true", "X-CSRF-Token": header})
        assert_refused(response, f"{form} with header {header!r}")
    assert snapshot(container) == before
    assert_only_csrf_refusals(container, entries, len(headers), form)
    accepted = client.post(post.url, data=post.data,
                           headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert accepted.status_code == 200


def assert_only_csrf_refusals(container: Container, entries: list[tuple[str, str, str | None]],
                              refused: int, what: str, *, signed_in: bool = True) -> None:
    """The trail grew by one `user:session:csrf_refused` entry per refused request, naming the
    session's account (or nobody, for the sign-in form), and by nothing else."""
    added = trail(container)[len(entries):]
    assert trail(container)[:len(entries)] == entries
    assert [(a, t) for a, t, _ in added] == [("user:session:csrf_refused", "user")] * refused, what
    assert all((r is not None) == signed_in for _, _, r in added), (what, added)


def sessions(container: Container) -> int:
    with container.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM sessions")).scalar_one())


def test_the_sign_in_form_refuses_a_token_not_its_own_and_keeps_the_name(
    client: TestClient, other_client: TestClient, scene: Scene, container: Container
) -> None:
    username = scene.world.hr.username
    theirs = csrf_of(other_client.get("/login").text)  # another browser's sign-in form
    mine = csrf_of(client.get("/login").text)
    before, entries, opened = snapshot(container), trail(container), sessions(container)
    for token in (theirs, "forged", "", mine + "x", "ñandú"):
        response = client.post("/login", data={"username": username, "password": "x" * 20,
                                               "csrf_token": token, "next": "/"})
        assert response.status_code == 403, (token, response.text[:300])
        assert "El formulario caducó. Intente de nuevo." in response.text
        assert f'value="{username}"' in response.text  # what was typed is kept
        assert SESSION_COOKIE not in response.cookies
    # Without the form's cookie, even the form's own token is refused.
    client.cookies.delete(LOGIN_CSRF_COOKIE, path="/login")
    response = client.post("/login", data={"username": username, "password": "x" * 20,
                                           "csrf_token": mine, "next": "/"})
    assert response.status_code == 403
    assert snapshot(container) == before
    assert_only_csrf_refusals(container, entries, 6, "sign-in", signed_in=False)
    assert sessions(container) == opened, "a refused sign-in opened a session"
