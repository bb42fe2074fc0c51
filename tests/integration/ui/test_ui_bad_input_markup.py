"""Issue 6, bad input: HTML and script typed into every free-text field of the pages is kept as
the text it is, and shown escaped wherever it is displayed: the page that took it, the pages
that show it later, and the HTMX fragments. On both databases."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import bad_input_ui_support
from bad_input_ui_support import (
    APPEAL,
    GROUNDS,
    MARKUP,
    OPERATOR,
    RESOLUTION,
    SEPARATION_NOTE,
    Scene,
    assert_escaped,
    login,
)
from fastapi.testclient import TestClient
from sqlalchemy import text
from ui_support import csrf_of

from confianza.app.bootstrap import Container
from confianza.registry.service import officers as officer_service

SCRIPT, IMAGE = MARKUP


# The fixtures, defined once in bad_input_ui_support (see ui_support).
scene, client = bad_input_ui_support.scene, bad_input_ui_support.client


def one(container: Container, sql: str, **values: Any) -> Any:
    with container.engine.connect() as connection:
        return connection.execute(text(sql), values).scalar_one()


def test_a_declared_purpose_is_text_in_the_fragment_the_page_and_the_access_pages(
    client: TestClient, scene: Scene, container: Container
) -> None:
    officer_id = scene.with_contacts
    auditor = scene.auditor
    for typed in MARKUP:
        purpose = typed + " citatorio 12/2026"
        csrf = login(client, scene.clerk)
        fragment = client.post(f"/officers/{officer_id}/contacts", data={"purpose": purpose},
                               headers={"HX-Request": "true", "X-CSRF-Token": csrf})
        assert fragment.status_code == 200 and "<html" not in fragment.text
        assert_escaped(fragment.text, purpose)
        page = client.post(f"/officers/{officer_id}/contacts",
                           data={"purpose": purpose, "csrf_token": csrf})
        assert page.status_code == 200
        assert_escaped(page.text, purpose)
        # Too short with markup: the form comes back with it, escaped, in the field.
        short = client.post(f"/officers/{officer_id}/contacts",
                            data={"purpose": typed[:8], "csrf_token": csrf})
        assert short.status_code == 422
        assert_escaped(short.text, typed[:8])
        assert one(container, "SELECT count(*) FROM audit_entries WHERE purpose = :p",
                   p=purpose) == 2  # kept as typed, twice
        login(client, auditor)
        for url in (f"/access/officers/{officer_id}", f"/access/officers/{officer_id}/report",
                    f"/access/users?usuario={scene.clerk}"):
            shown = client.get(url)
            assert shown.status_code == 200, url
            assert_escaped(shown.text, purpose)


def test_rank_and_reason_of_a_request_are_text_on_every_page_that_shows_them(
    client: TestClient, scene: Scene, container: Container
) -> None:
    world = scene.world
    officer_id = scene.officer()
    reason = SCRIPT + " por concurso de ascenso"
    csrf = login(client, world.hr.username)
    url = f"/certification/officers/{officer_id}/evaluation"
    fields = {"kind": "promotion", "rank": IMAGE, "reason": reason, "csrf_token": csrf}
    # Refused first (no agency chosen): the form keeps both, escaped.
    again = client.post(url, data={**fields, "agency_id": ""})
    assert again.status_code == 422
    assert_escaped(again.text, IMAGE)
    assert_escaped(again.text, reason)
    sent = client.post(url, data={**fields, "agency_id": str(scene.agencies["JAL-SSP"])})
    assert sent.status_code == 303, sent.text[:400]
    evaluation_id = one(container, "SELECT id FROM evaluations WHERE officer_id = :o",
                        o=officer_id)
    assert one(container, "SELECT rank FROM evaluations WHERE id = :e", e=evaluation_id) == IMAGE
    assert one(container, "SELECT reason FROM evaluations WHERE id = :e",
               e=evaluation_id) == reason
    login(client, world.coordinator.username)
    for url in ("/scheduling", f"/scheduling/{evaluation_id}"):
        assert_escaped(client.get(url).text, IMAGE)
    login(client, world.decider.username)
    decision_page = client.get(f"/decisions/{evaluation_id}").text
    assert_escaped(decision_page, IMAGE)
    assert_escaped(decision_page, reason)
    world.schedule(evaluation_id)
    login(client, world.examiner.username)
    assert_escaped(client.get(f"/exams/{evaluation_id}/medical").text, IMAGE)


def test_grounds_notes_and_resolutions_are_text_where_they_are_read(
    client: TestClient, scene: Scene, container: Container
) -> None:
    world = scene.world
    # The decision's grounds.
    deciding = scene.deciding
    grounds = IMAGE + " " + GROUNDS
    csrf = login(client, world.decider.username)
    decided = client.post(f"/decisions/{deciding}/decision",
                          data={"verdict": "not_approved", "grounds": grounds,
                                "csrf_token": csrf})
    assert decided.status_code == 303, decided.text[:400]
    assert_escaped(client.get(f"/decisions/{deciding}").text, grounds)
    # The note of a decision sent back is kept, as typed, in the trail.
    note = SCRIPT + " revise la cadena de custodia"
    csrf = login(client, world.confirmer.username)
    returned = client.post(f"/decisions/{deciding}/confirmation",
                           data={"accion": "devolver", "note": note, "csrf_token": csrf})
    assert returned.status_code == 303, returned.text[:400]
    detail = one(container, "SELECT detail FROM audit_entries WHERE action = "
                 "'evaluation:decision:return' ORDER BY id DESC LIMIT 1")
    assert json.loads(detail)["note"] == note
    # An appeal's grounds, filed by the agency, and its resolution.
    failed = scene.failed
    appeal_text = SCRIPT + " " + APPEAL
    csrf = login(client, world.hr.username)
    filed = client.post(f"/certification/evaluations/{failed}/appeal",
                        data={"grounds": appeal_text, "csrf_token": csrf})
    assert filed.status_code == 303, filed.text[:400]
    assert_escaped(client.get(f"/certification/evaluations/{failed}/appeal").text, appeal_text)
    appeal_id = one(container, "SELECT id FROM appeals WHERE evaluation_id = :e", e=failed)
    assert one(container, "SELECT grounds FROM appeals WHERE id = :a", a=appeal_id) == appeal_text
    resolution = IMAGE + " " + RESOLUTION
    csrf = login(client, world.appeals_officer.username)
    assert_escaped(client.get("/decisions/appeals").text, SCRIPT)
    page = client.get(f"/decisions/{failed}").text
    assert_escaped(page, appeal_text)
    resolved = client.post(f"/decisions/{failed}/appeals/{appeal_id}",
                           data={"outcome": "upheld", "resolution": resolution,
                                 "csrf_token": csrf})
    assert resolved.status_code == 303, resolved.text[:400]
    assert_escaped(client.get(f"/decisions/{failed}").text, resolution)
    login(client, world.hr.username)
    assert_escaped(client.get(f"/certification/evaluations/{failed}/appeal").text, resolution)


def test_a_separation_note_is_text_when_the_form_comes_back_and_when_kept(
    client: TestClient, scene: Scene, container: Container
) -> None:
    process = scene.separation  # the appeal period is still open: the close is refused
    note = IMAGE + " " + SEPARATION_NOTE
    csrf = login(client, scene.world.hr.username)
    url = f"/certification/separations/{process}/close"
    refused = client.post(url, data={"note": note, "csrf_token": csrf})
    assert refused.status_code == 409
    assert_escaped(refused.text, note)
    scene.container.clock.advance(days=16)  # type: ignore[attr-defined]
    csrf = login(client, scene.world.hr.username)
    closed = client.post(url, data={"note": note, "csrf_token": csrf})
    assert closed.status_code == 303, closed.text[:400]
    assert one(container, "SELECT outcome FROM separation_processes WHERE id = :p",
               p=process) == note


def test_exam_notes_restrictions_custody_and_file_names_are_text(
    client: TestClient, scene: Scene, container: Container
) -> None:
    world = scene.world
    evaluation_id = scene.scheduled
    csrf = login(client, world.examiner.username)
    # A custody id with markup is refused, and comes back escaped in its field.
    toxicology = client.post(f"/exams/{evaluation_id}/toxicology", data={
        "csrf_token": csrf, "chain_of_custody_id": IMAGE, "notes": SCRIPT,
        "panel.cannabinoids": "negative"})
    assert toxicology.status_code == 422
    assert_escaped(toxicology.text, IMAGE)
    assert_escaped(toxicology.text, SCRIPT)
    name = "<img src=x onerror=alert(1)>.pdf"  # a browser sends a quote in a name as %22
    attached = client.post(f"/exams/{evaluation_id}/medical/files", data={"csrf_token": csrf},
                           files={"file": (name, b"%PDF-1.4 informe", "application/pdf")})
    assert attached.status_code == 303, attached.text[:400]
    restrictions = SCRIPT + " sin portación de arma"
    notes = IMAGE + " observaciones del examen"
    recorded = client.post(f"/exams/{evaluation_id}/medical", data={
        "csrf_token": csrf, "outcome": "fit_with_restrictions", "restrictions": restrictions,
        "notes": notes})
    assert recorded.status_code == 303, recorded.text[:400]
    page = client.get(f"/exams/{evaluation_id}/medical").text
    for typed in (name, restrictions, notes):
        assert_escaped(page, typed)
    assert one(container, "SELECT notes FROM evaluation_exams WHERE evaluation_id = :e AND "
               "exam_type = 'medical'", e=evaluation_id) == notes


def test_typed_search_and_sign_in_values_come_back_as_text(
    client: TestClient, scene: Scene
) -> None:
    form = client.get("/login")
    refused = client.post("/login", data={"username": IMAGE, "password": "x" * 12,
                                          "csrf_token": csrf_of(form.text), "next": "/"})
    assert refused.status_code == 401
    assert_escaped(refused.text, IMAGE)
    login(client, scene.clerk)
    for url, typed in (("/officers?nombre=", IMAGE), ("/officers?placa=", SCRIPT),
                       ("/agencies?texto=", IMAGE)):
        page = client.get(url + typed)
        assert page.status_code == 200, url
        assert_escaped(page.text, typed)
    fragment = client.get("/officers?nombre=" + IMAGE,
                          headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in fragment.text and "<img src=x" not in fragment.text
    login(client, scene.auditor)
    missing = client.get("/access?elemento=" + SCRIPT)
    assert missing.status_code == 404
    assert_escaped(missing.text, SCRIPT)
    history = client.get("/access/users", params={"usuario": IMAGE, "desde": SCRIPT[:10]})
    assert history.status_code == 422
    assert_escaped(history.text, IMAGE)
    assert_escaped(history.text, SCRIPT[:10])
    public = client.get("/verify", params={"credential": SCRIPT})
    assert public.status_code == 200
    assert SCRIPT not in public.text and "<script>alert" not in public.text


def test_names_with_markup_are_text_in_lists_and_their_fragments(
    client: TestClient, scene: Scene, container: Container
) -> None:
    officer_service.register_officer(container.uow(), OPERATOR, officer_service.NewOfficer(
        given_names=IMAGE, first_surname="Zúñiga", assignment=officer_service.FirstAssignment(
            scene.agencies["JAL-SSP"], SCRIPT, date(2020, 1, 1))))
    login(client, scene.world.hr.username)
    for headers in ({}, {"HX-Request": "true", "HX-Target": "alert-results"}):
        alerts = client.get("/certification/alerts", headers=headers)
        assert alerts.status_code == 200
        assert_escaped(alerts.text, IMAGE)
        assert_escaped(alerts.text, SCRIPT)
    login(client, scene.clerk)
    results = client.get("/officers?nombre=Zúñiga",
                         headers={"HX-Request": "true", "HX-Target": "results"})
    assert_escaped(results.text, IMAGE)
