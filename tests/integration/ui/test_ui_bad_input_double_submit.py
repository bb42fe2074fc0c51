"""Issue 6, bad input: the same form sent twice (a double click, a reload, the back button).
The second is refused with a message that says what happened, or changes nothing; either way
exactly one record and one audit entry of the act are written. On both databases."""

from __future__ import annotations

import bad_input_ui_support
import pytest
from bad_input_ui_support import (
    Scene,
    actions,
    login,
    post_of,
    send,
    snapshot,
    trail,
    visible_text,
)
from fastapi.testclient import TestClient

from confianza.app.bootstrap import Container
from confianza.trail.rules import AuditAction

# form -> (the act's audit action, what the second submit answers, what it says)
SECOND: dict[str, tuple[str, int, str]] = {
    "exam_result": (AuditAction.EXAM_RECORD, 409,
                    "Este examen ya tiene un resultado registrado (¿se envió el formulario "
                    "dos veces?)"),
    "exam_file": (AuditAction.EXAM_ATTACH, 409, "Ese archivo ya estaba adjunto a este examen."),
    "booking": (AuditAction.EVALUATION_SCHEDULE, 409,
                "La evaluación ya estaba programada con estos evaluadores y fechas; no se "
                "guardó nada nuevo."),
    "decision": (AuditAction.EVALUATION_DECIDE, 409, "La evaluación ya fue dictaminada."),
    "confirmation": (AuditAction.EVALUATION_CONFIRM, 409,
                     "Esta evaluación no tiene una decisión en espera de confirmación."),
    "request": (AuditAction.EVALUATION_REQUEST, 409,
                "Ya hay una evaluación en curso para este elemento."),
    "appeal": (AuditAction.APPEAL_FILE, 409,
               "Ya se presentó una apelación contra esta evaluación el 20/11/2026."),
    "appeal_decision": (AuditAction.APPEAL_DECIDE, 409, "La apelación ya fue resuelta."),
    "separation": (AuditAction.SEPARATION_CLOSE, 409, "El proceso ya no está abierto."),
    "notification": (AuditAction.NOTIFICATION_READ, 303, "Aviso marcado como leído"),
}


# The fixtures, defined once in bad_input_ui_support (see ui_support).
scene, client = bad_input_ui_support.scene, bad_input_ui_support.client


def acts(container: Container, action: str, resource_id: str | None = None) -> int:
    """How many entries of `action` the trail holds (about one record, when named)."""
    return sum(1 for a, _, rid in trail(container)
               if a == action and (resource_id is None or rid == resource_id))


@pytest.mark.parametrize("form", sorted(SECOND))
def test_the_same_form_sent_twice_is_written_once(
    client: TestClient, scene: Scene, container: Container, form: str
) -> None:
    action, answer, said = SECOND[form]
    post = post_of(scene, form)
    csrf = login(client, post.user)
    # Marking a notice read is recorded against the notice; the list's reads are not.
    about = str(scene.notification) if form == "notification" else None
    first = send(client, post, csrf)
    assert first.status_code == post.accepted, (form, first.text[:400])
    assert acts(container, action, about) == 1
    after_first = snapshot(container)
    mark = len(trail(container))
    second = send(client, post, csrf)
    assert second.status_code == answer, (form, second.status_code, second.text[:400])
    page = client.get(second.headers["location"]) if answer == 303 else second
    assert said in visible_text(page.text), form
    assert snapshot(container) == after_first, f"the second {form} changed the registry"
    assert acts(container, action, about) == 1, f"the second {form} was recorded again"
    # What the second one leaves is at most the trace of its refusal and the page's reads.
    assert all(a == AuditAction.REQUEST_REFUSED or a.endswith(":read")
               for a in actions(container, mark)), actions(container, mark)


def test_signing_out_twice_ends_one_session_and_says_so(
    client: TestClient, scene: Scene, container: Container
) -> None:
    csrf = login(client, scene.world.hr.username)
    first = client.post("/logout", data={"csrf_token": csrf})
    assert first.status_code == 303
    client.cookies.set("confianza_session", "stale")  # the second click's old cookie
    second = client.post("/logout", data={"csrf_token": csrf})
    assert second.status_code == 303 and second.headers["location"].startswith("/login")
    assert "Su sesión terminó" in client.get(second.headers["location"]).text
    assert acts(container, AuditAction.USER_LOGOUT) == 1
