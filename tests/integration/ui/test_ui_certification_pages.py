"""Agency trust-control pages: alerts and their CSV, re-evaluations, coverage, requesting an
evaluation, the profile's certification section. Run as agency HR (scoped to JAL-SSP) and as a
certification officer, on both databases."""

from __future__ import annotations

import csv
import html
import io

import agency_trust_ui_support
import pytest
import ui_support
from agency_trust_ui_support import (
    PASSWORD,
    RESULT_MARKS,
    World,
    approved,
    not_approved,
)
from fastapi.testclient import TestClient
from ui_support import sign_in

from confianza.app.bootstrap import Container
from confianza.certification.pages import lists as certification_pages
from confianza.certification.rules.coverage import AlertLine, AlertReason
from confianza.trail.rules import AuditAction, AuditEntry
from confianza.vetting.service import evaluations as evaluation_service

HR = "rh-jalisco"
NATIONAL = "certificador-tres"  # a certification officer with national scope
ANA = "Ortega Vela, Ana Luisa"


# The fixtures, defined once in the support modules (see ui_support).
world, client = agency_trust_ui_support.world, ui_support.client


def login(client: TestClient, username: str) -> str:
    return sign_in(client, username, PASSWORD)


def entries(container: Container, action: str) -> list[AuditEntry]:
    with container.uow().transaction() as tx:
        return [e for e in tx.audit.entries(limit=2000) if e.action == action]


def advance(container: Container, days: int) -> None:
    container.clock.advance(days=days)  # type: ignore[attr-defined]


# Alerts -------------------------------------------------------------------------------------

def test_alerts_list_officers_on_duty_without_certification_in_words(
    client: TestClient, world: World, container: Container
) -> None:
    outside = world.new_officer("Jorge", "Treviño", "Garza", agency="NL-FC")
    login(client, HR)
    page = client.get("/certification/alerts")
    assert page.status_code == 200
    assert f'href="/officers/{world.officer_id}"' in page.text and ANA in page.text
    assert "Nunca evaluado" in page.text and "Sin CUP vigente" in page.text
    assert f'href="/officers/{outside}"' not in page.text
    assert 'href="/certification/alerts.csv"' in page.text
    assert 'aria-current="page"' in page.text.split("/certification/alerts")[1][:40]
    # The home opened at sign-in names the same officer, and is audited as the page is.
    home_read, entry = entries(container, AuditAction.ALERTS_READ)
    assert home_read.detail == {"view": "home", "results": [world.officer_id]}
    assert entry.detail["results"] == [world.officer_id]


def test_alerts_filter_by_state_for_a_national_account_and_htmx_fragment(
    client: TestClient, world: World
) -> None:
    outside = world.new_officer("Jorge", "Treviño", "Garza", agency="NL-FC")
    login(client, NATIONAL)
    page = client.get("/certification/alerts")
    assert f"/officers/{outside}" in page.text and f"/officers/{world.officer_id}" in page.text
    assert 'name="estado"' in page.text and "Nuevo León" in page.text
    fragment = client.get("/certification/alerts", params={"estado": "19"},
                          headers={"HX-Request": "true", "HX-Target": "alert-results"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert f"/officers/{outside}" in fragment.text
    assert f"/officers/{world.officer_id}" not in fragment.text
    assert 'href="/certification/alerts.csv?estado=19"' in fragment.text


def test_alerts_page_with_a_keyset_next_link(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = world.new_officer("Rosa", "Méndez", "Luna")
    monkeypatch.setattr(certification_pages, "PAGE_SIZE", 1)
    login(client, HR)
    first = client.get("/certification/alerts")
    assert f"/officers/{world.officer_id}" in first.text and f"/officers/{second}" not in first.text
    next_url = html.unescape(first.text.split('rel="next" href="')[1].split('"')[0])
    assert "cursor=" in next_url
    following = client.get(next_url)
    assert f"/officers/{second}" in following.text
    assert f"/officers/{world.officer_id}" not in following.text
    assert 'rel="next"' not in following.text


def test_alerts_download_is_a_csv_file_of_the_whole_list(
    client: TestClient, world: World, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = world.new_officer("Rosa", "Méndez", "Luna")
    monkeypatch.setattr(certification_pages, "PAGE_SIZE", 1)  # the file is not one page
    login(client, HR)
    response = client.get("/certification/alerts.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="alertas-2026-11-20.csv"')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["folio", "nombre", "curp"]
    assert [int(r[0]) for r in rows[1:]] == [world.officer_id, second]
    assert rows[1][1] == ANA and rows[1][3] == "JAL-SSP" and rows[1][4] == "Jalisco"
    assert rows[1][-1] == "Nunca evaluado; Sin CUP vigente"
    assert entries(container, AuditAction.ALERTS_READ)[-1].detail["export"] is True
    filtered = client.get("/certification/alerts.csv",
                          params={"corporacion": str(world.agencies["JAL-SSP"])})
    assert f"alertas-corporacion-{world.agencies['JAL-SSP']}-2026-11-20.csv" in (
        filtered.headers["content-disposition"])


def test_alerts_csv_writes_formula_like_cells_as_text() -> None:
    line = AlertLine(7, "=HYPERLINK(\"x\"), Ana", None, 1, "+SSP", "14", "@rank", None, None,
                     (AlertReason.NEVER_EVALUATED,))
    rows = list(csv.reader(io.StringIO(
        certification_pages.alerts_csv_body([line]).decode("utf-8-sig"))))
    assert rows[1][1].startswith("'=") and rows[1][3] == "'+SSP" and rows[1][5] == "'@rank"


def test_another_agencys_filter_is_refused_with_the_403_page(
    client: TestClient, world: World
) -> None:
    login(client, HR)
    refused = client.get("/certification/alerts",
                         params={"corporacion": str(world.agencies["NL-FC"])})
    assert refused.status_code == 403
    assert "Acceso denegado" in refused.text and "Traceback" not in refused.text
    assert client.get("/certification/alerts.csv", params={
        "corporacion": str(world.agencies["NL-FC"])}).status_code == 403


# Re-evaluations and requests ------------------------------------------------------------------

def test_reevaluation_list_requests_a_permanence_evaluation_once(
    client: TestClient, world: World, container: Container
) -> None:
    approved(world)
    advance(container, 365 * 3 - 100)  # the approval now ends in about 100 days
    csrf = login(client, HR)
    page = client.get("/certification/reevaluations")
    assert page.status_code == 200 and ANA in page.text
    assert "Solicitar evaluación de permanencia" in page.text
    form = {"csrf_token": csrf, "kind": "permanence",
            "agency_id": str(world.agencies["JAL-SSP"]), "next": "/certification/reevaluations"}
    done = client.post(f"/certification/officers/{world.officer_id}/evaluation", data=form)
    assert done.status_code == 303
    assert done.headers["location"] == "/certification/reevaluations?aviso=evaluacion_solicitada"
    after = client.get(done.headers["location"])
    assert "Evaluación solicitada" in after.text and "En curso (folio" in after.text
    assert "Solicitar evaluación de permanencia" not in after.text
    # The same button again (a double submit): a clear message, not a second evaluation.
    again = client.post(f"/certification/officers/{world.officer_id}/evaluation", data=form)
    assert again.status_code == 409
    assert "Ya hay una evaluación en curso" in again.text
    assert len(evaluation_service.officer_evaluations(world.uow, world.hr,
                                                      world.officer_id)) == 2


def test_request_form_from_the_profile_shows_errors_beside_the_fields(
    client: TestClient, world: World
) -> None:
    csrf = login(client, HR)
    profile = client.get(f"/officers/{world.officer_id}")
    assert f'href="/certification/officers/{world.officer_id}/evaluation"' in profile.text
    form_page = client.get(f"/certification/officers/{world.officer_id}/evaluation")
    assert form_page.status_code == 200
    assert "Secretaría de Seguridad de Jalisco" in form_page.text
    url = f"/certification/officers/{world.officer_id}/evaluation"
    base = {"csrf_token": csrf, "agency_id": str(world.agencies["JAL-SSP"])}
    promotion = client.post(url, data={**base, "kind": "promotion", "rank": ""})
    assert promotion.status_code == 422
    assert 'id="f-rank-error"' in promotion.text
    assert "Indique el grado al que asciende" in promotion.text
    special = client.post(url, data={**base, "kind": "special", "reason": "corto <b>"})
    assert special.status_code == 422 and 'id="f-reason-error"' in special.text
    assert "corto &lt;b&gt;</textarea>" in special.text  # what was typed stays, escaped
    bad_kind = client.post(url, data={**base, "kind": "whatever"})
    assert bad_kind.status_code == 422 and 'id="f-kind-error"' in bad_kind.text
    done = client.post(url, data={**base, "kind": "special", "sensitive": "1",
                                  "reason": "Denuncia anónima recibida el 12 de noviembre"})
    assert done.status_code == 303
    assert done.headers["location"] == (
        f"/officers/{world.officer_id}?aviso=evaluacion_solicitada")
    shown = client.get(done.headers["location"])
    assert "Evaluación solicitada" in shown.text
    assert "Especial" in shown.text and "Solicitada" in shown.text
    assert "Hay una evaluación en curso" in shown.text


def test_another_agencys_officer_in_the_url_is_refused(
    client: TestClient, world: World
) -> None:
    outside = world.new_officer("Jorge", "Treviño", "Garza", agency="NL-FC")
    csrf = login(client, HR)
    page = client.get(f"/certification/officers/{outside}/evaluation")
    assert page.status_code == 403 and "Acceso denegado" in page.text
    post = client.post(f"/certification/officers/{outside}/evaluation", data={
        "csrf_token": csrf, "kind": "permanence", "agency_id": str(world.agencies["NL-FC"])})
    assert post.status_code == 403 and "Acceso denegado" in post.text
    assert evaluation_service.officer_evaluations(world.uow, world.appeals_officer, outside) == []


def test_request_without_the_csrf_token_is_refused(client: TestClient, world: World) -> None:
    login(client, HR)
    response = client.post(f"/certification/officers/{world.officer_id}/evaluation", data={
        "kind": "permanence", "agency_id": str(world.agencies["JAL-SSP"])})
    assert response.status_code == 403


# Profile section and coverage ----------------------------------------------------------------

def test_profile_certification_section_shows_standing_and_verdicts(
    client: TestClient, world: World
) -> None:
    approved(world)
    login(client, HR)
    page = client.get(f"/officers/{world.officer_id}")
    assert page.status_code == 200
    assert 'id="h-certification"' in page.text
    assert "Aprobado" in page.text and "20/11/2029" in page.text  # 3 years of validity
    assert "Evaluación de control de confianza" in page.text  # the CUP component
    assert "Sin CUP vigente" in page.text  # the other three components are missing
    assert "Permanencia" in page.text


def test_profile_section_is_not_shown_to_a_role_without_the_permissions(
    client: TestClient, world: World
) -> None:
    login(client, "examinador-uno")
    page = client.get(f"/officers/{world.officer_id}")
    assert page.status_code == 200 and 'id="h-certification"' not in page.text


def test_coverage_per_agency_for_hr_and_per_state_for_a_national_account(
    client: TestClient, world: World
) -> None:
    approved(world)
    world.new_officer("Rosa", "Méndez", "Luna")
    world.new_officer("Jorge", "Treviño", "Garza", agency="NL-FC")
    login(client, HR)
    page = client.get("/certification/coverage")
    assert page.status_code == 200
    assert "Secretaría de Seguridad de Jalisco" in page.text and "Fuerza Civil" not in page.text
    assert "(50.0 %)" in page.text  # one of two approved, written out: no colour needed
    assert "En servicio sin certificación vigente" in page.text
    client.cookies.clear()
    login(client, NATIONAL)
    by_state = client.get("/certification/coverage")
    assert "Jalisco" in by_state.text and "Nuevo León" in by_state.text
    assert "<tfoot>" in by_state.text  # a total row under more than one state
    one_state = client.get("/certification/coverage", params={"por": "corporacion",
                                                              "estado": "19"})
    assert "Fuerza Civil de Nuevo León" in one_state.text
    assert "Secretaría de Seguridad de Jalisco" not in one_state.text


def test_hr_sees_no_exam_result_on_any_page(client: TestClient, world: World) -> None:
    evaluation_id = not_approved(world)
    login(client, HR)
    for url in (f"/officers/{world.officer_id}", "/certification/alerts",
                "/certification/reevaluations", "/certification/coverage",
                "/certification/notifications", "/certification/separations",
                f"/certification/evaluations/{evaluation_id}/appeal",
                f"/certification/officers/{world.officer_id}/evaluation",
                "/certification/alerts.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        for mark in RESULT_MARKS:
            assert mark not in response.text, (url, mark)
    profile = client.get(f"/officers/{world.officer_id}").text
    assert "No aprobado" in profile  # the verdict is shown; what led to it is not
