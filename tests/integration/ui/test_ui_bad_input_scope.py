"""Issue 6, bad input: another agency's or another state's record number typed into an address.
Agency HR (scoped to JAL-SSP), state-scoped HR and Jalisco's centre staff and certification
officers ask for Nuevo León's officer, evaluation, appeal, notification and separation, by
page and by post: each gets the 403 page, with nothing of the record on it, and nothing is
written but the trace of the refused attempt. On both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import bad_input_ui_support
import pytest
from bad_input_ui_support import (
    APPEAL,
    GROUNDS,
    REFUSAL_ACTIONS,
    Scene,
    actions,
    booking_of,
    login,
    snapshot,
    trail,
    visible_text,
)
from fastapi.testclient import TestClient

from confianza.app.bootstrap import Container
from confianza.kit.curp import build_curp

# The fixtures, defined once in bad_input_ui_support (see ui_support).
scene, client = bad_input_ui_support.scene, bad_input_ui_support.client
# One attempt: (account, method, address, fields).
Attempt = tuple[str, str, str, dict[str, Any]]


def sent(client: TestClient, container: Container, tried: list[Attempt]
         ) -> Iterator[tuple[str, Any, int]]:
    """Each attempt made as its account (signed in when the account changes): what it was, the
    answer, and how long the audit trail was before it."""
    signed_as, csrf = None, ""
    for account, method, url, fields in tried:
        if account != signed_as:
            csrf = login(client, account)
            signed_as = account
        mark = len(trail(container))
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={**fields, "csrf_token": csrf})
        yield f"{account} {method} {url}", response, mark


def attempts(scene: Scene) -> list[Attempt]:
    """(account, method, address, fields): each reaches for a record of Nuevo León."""
    nl = scene.elsewhere
    world = scene.world
    hr, state_hr = world.hr.username, scene.state_hr
    nl_agency, jalisco = scene.agencies["NL-FC"], scene.agencies["JAL-SSP"]
    officer, evaluation = nl.officer_id, nl.evaluation_id
    return [
        (hr, "GET", f"/officers/{officer}", {}),
        (hr, "GET", f"/certification/officers/{officer}/evaluation", {}),
        (hr, "POST", f"/certification/officers/{officer}/evaluation",
         {"kind": "permanence", "agency_id": str(nl_agency)}),
        (hr, "POST", f"/certification/officers/{officer}/evaluation",
         {"kind": "permanence", "agency_id": str(jalisco)}),
        (hr, "GET", f"/certification/evaluations/{evaluation}/appeal", {}),
        (hr, "POST", f"/certification/evaluations/{evaluation}/appeal", {"grounds": APPEAL}),
        (hr, "POST", f"/certification/notifications/{nl.notification_id}/read", {}),
        (hr, "POST", f"/certification/separations/{nl.process_id}/close",
         {"note": "El proceso concluyó con la baja."}),
        (hr, "GET", f"/agencies/{nl_agency}/roster", {}),
        (hr, "GET", f"/agencies/{nl_agency}/roster.csv", {}),
        (hr, "GET", f"/decisions/{evaluation}", {}),
        (hr, "GET", f"/certification/alerts?corporacion={nl_agency}", {}),
        (hr, "GET", f"/certification/alerts.csv?corporacion={nl_agency}", {}),
        (hr, "GET", f"/certification/reevaluations?corporacion={nl_agency}", {}),
        (state_hr, "GET", f"/officers/{officer}", {}),
        (state_hr, "GET", f"/agencies/{nl_agency}/roster", {}),
        (state_hr, "GET", f"/agencies/{nl_agency}/roster.csv", {}),
        (state_hr, "GET", f"/certification/evaluations/{evaluation}/appeal", {}),
        (state_hr, "POST", f"/certification/evaluations/{evaluation}/appeal",
         {"grounds": APPEAL}),
        (hr, "GET", f"/officers/{officer}/credential", {}),
        (hr, "GET", f"/officers/{officer}/credential.pdf", {}),
        (hr, "GET", f"/officers/{officer}/timeline", {}),
        (state_hr, "GET", f"/officers/{officer}/timeline", {}),
        (world.examiner.username, "GET", f"/exams/{evaluation}/medical", {}),
        (world.examiner.username, "POST", f"/exams/{evaluation}/medical/files", {}),
        (world.examiner.username, "GET", f"/exams/{evaluation}/medical/files/{'0' * 64}", {}),
        (world.examiner.username, "POST", f"/exams/{evaluation}/medical", {"outcome": "fit"}),
        (world.coordinator.username, "GET", f"/scheduling/{nl.requested_id}", {}),
        (world.coordinator.username, "POST", f"/scheduling/{nl.requested_id}",
         booking_of(scene, scene.requested)),
        # Jalisco's own request booked at Nuevo León's centre: a forged hidden field.
        (world.coordinator.username, "POST", f"/scheduling/{scene.requested}",
         {**booking_of(scene, scene.requested), "centre_id": str(nl.centre_id)}),
        (world.decider.username, "GET", f"/decisions/{evaluation}", {}),
        (world.decider.username, "POST", f"/decisions/{evaluation}/decision",
         {"verdict": "approved", "grounds": GROUNDS}),
        (world.decider.username, "POST", f"/decisions/{evaluation}/confirmation",
         {"accion": "confirmar"}),
        (world.decider.username, "POST", f"/decisions/{evaluation}/appeals/{nl.appeal_id}",
         {"outcome": "overturned", "resolution": GROUNDS}),
    ]


def record_marks(scene: Scene) -> list[str]:
    """What Nuevo León's records would show if a page leaked them."""
    given, first, second = scene.names[scene.elsewhere.officer_id]
    curp = build_curp(first, second, given, date(1990, 5, 17), "M", "JC")
    return [given, f"{first} {second}", curp, GROUNDS, APPEAL, "Fuerza Civil", "cocaine",
            "CC-2026-0001", "was not approved"]


def test_records_of_another_agency_or_state_are_refused_by_page_and_by_post(
    client: TestClient, scene: Scene, container: Container
) -> None:
    tried = attempts(scene)
    marks = record_marks(scene)
    before = snapshot(container)
    for what, response, mark in sent(client, container, tried):
        assert response.status_code == 403, (what, response.status_code, response.text[:400])
        assert "Acceso denegado" in response.text, what
        shown = visible_text(response.text)
        for leaked in marks:
            assert leaked not in shown, (what, leaked)
        # Reading the page back in the error path may be audited; nothing else is.
        written = set(actions(container, mark)) - REFUSAL_ACTIONS
        assert not {a for a in written if not a.endswith(":read")}, (what, written)
        assert set(actions(container, mark)) & REFUSAL_ACTIONS, f"{what} left no trace"
    assert snapshot(container) == before, "a refused attempt changed the registry"


def number_attempts(scene: Scene, number: str) -> list[Attempt]:
    """(account, method, address, fields): a record number typed where a record is named."""
    world = scene.world
    hr, auditor, decider = world.hr.username, scene.auditor, world.decider.username
    return [
        (hr, "GET", f"/officers/{number}", {}),
        (hr, "GET", f"/agencies/{number}/roster", {}),
        (hr, "GET", f"/agencies/{number}/roster.csv", {}),
        (hr, "GET", f"/agencies/{scene.agencies['JAL-SSP']}/roster?cursor={number}", {}),
        (hr, "GET", f"/agencies?despues={number}", {}),
        (hr, "GET", f"/officers?corporacion={number}&nombre=Luna", {}),
        (hr, "GET", f"/certification/alerts?corporacion={number}", {}),
        (hr, "GET", f"/certification/reevaluations?corporacion={number}", {}),
        (hr, "GET", f"/certification/officers/{number}/evaluation", {}),
        (hr, "POST", f"/certification/officers/{scene.officer()}/evaluation",
         {"kind": "permanence", "agency_id": number}),
        (hr, "GET", f"/certification/evaluations/{number}/appeal", {}),
        (hr, "POST", f"/certification/evaluations/{number}/appeal", {"grounds": APPEAL}),
        (hr, "POST", f"/certification/notifications/{number}/read", {}),
        (hr, "POST", f"/certification/separations/{number}/close", {"note": "x" * 20}),
        (world.examiner.username, "GET", f"/exams/{number}/medical", {}),
        (world.coordinator.username, "GET", f"/scheduling/{number}", {}),
        (world.coordinator.username, "GET", f"/scheduling?programada={number}", {}),
        (world.coordinator.username, "GET", f"/scheduling/{scene.requested}?centro={number}",
         {}),
        (decider, "GET", f"/decisions/{number}", {}),
        (decider, "POST", f"/decisions/{number}/decision", {"verdict": "approved"}),
        (decider, "POST", f"/decisions/{number}/confirmation", {"accion": "confirmar"}),
        (decider, "POST", f"/decisions/{scene.deciding}/appeals/{number}",
         {"outcome": "upheld", "resolution": GROUNDS}),
        (auditor, "GET", f"/access?elemento={number}", {}),
        (auditor, "GET", f"/access/officers/{number}", {}),
        (auditor, "GET", f"/access/officers/{number}/report", {}),
    ]


@pytest.mark.parametrize("number", [str(2**63), str(2**31), "²", "9" * 40])
def test_record_numbers_no_key_holds_are_missing_records_never_failures(
    client: TestClient, scene: Scene, container: Container, number: str
) -> None:
    tried = number_attempts(scene, number)  # the records it names are made first
    before = snapshot(container)
    for what, response, mark in sent(client, container, tried):
        assert response.status_code in (200, 303, 403, 404, 422), (what, response.status_code)
        assert "Error interno" not in response.text, what
        written = set(actions(container, mark)) - REFUSAL_ACTIONS
        assert all(a.endswith((":read", ":search")) for a in written), (what, written)
    assert snapshot(container) == before, "a record number no key holds changed the registry"
