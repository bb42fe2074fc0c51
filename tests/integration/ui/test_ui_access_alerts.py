"""The auditors' pages of alerts on unexplained reads over HTTP, on both databases (issue 19
§3): the home's panel and the queue with the reasons in words (Spanish and English); one
alert with the reads behind it in the reader's civil time, the officers linked; marks refused
beside the form with what was typed kept and the refusal recorded; a mark, a second one, the
share confirmed as misuse; nobody but an auditor sees any of it; the queue paged by id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from access_alerts_ui_support import (
    PASSWORD,
    TODAY,
    World,
    build_world,
    person,
    raise_alerts,
    store_alert,
    stray_burst,
)
from ui_support import csrf_of, open_client, sign_in

from confianza.access.service.alerts import PAGE_SIZE
from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.db.models import AccessAlertRow
from confianza.trail.rules import AuditEntry


def _entries(container: Container, actor: str, prefix: str) -> list[AuditEntry]:
    """The account's entries of actions starting `prefix`, oldest first."""
    with container.uow().transaction(read_only=True) as tx:
        return tx.audit.by_actor(actor, action_prefix=prefix, limit=500)[::-1]


def _outcome(container: Container, alert_id: int) -> str:
    with container.session_factory() as session:
        row = session.get(AccessAlertRow, alert_id)
        assert row is not None
        return row.outcome


def _world_with_alert(container: Container, agencies: dict[str, int],
                      clock: Any) -> tuple[World, int, list[int]]:
    world = build_world(container, agencies)
    officers = stray_burst(world, clock)
    auditor = person(container, Role.AUDITOR, "auditora")
    [alert_id] = raise_alerts(world, auditor, TODAY)
    return world, alert_id, officers


def test_an_auditor_reads_the_queue_opens_an_alert_and_marks_it(
        container: Container, agencies: dict[str, int], clock: Any) -> None:
    world, alert_id, officers = _world_with_alert(container, agencies, clock)
    reader = world.second_examiner.username
    for client in open_client(container):
        csrf = sign_in(client, "auditora", PASSWORD)
        home = client.get("/")
        assert 'href="/access/alerts"' in home.text and "Alertas de consultas" in home.text
        assert "Alertas de consultas abiertas" in home.text
        assert f'href="/access/alerts/{alert_id}">{reader}</a>' in home.text
        assert "12 consultas" in home.text

        queue = client.get("/access/alerts")
        assert queue.status_code == 200
        assert f'href="/access/alerts/{alert_id}"' in queue.text and reader in queue.text
        assert "Evaluador(a)" in queue.text
        assert "12 expedientes abiertos en menos de una hora" in queue.text
        assert "Todavía no hay alertas decididas" in queue.text
        english = client.get("/access/alerts", cookies={"confianza_lang": "en"}).text
        assert "Alerts on unexplained reads" in english and "Examiner" in english
        assert "12 records opened within an hour" in english
        assert "expedientes abiertos" not in english

        page = client.get(f"/access/alerts/{alert_id}")
        assert page.status_code == 200
        assert "Las consultas detrás de la alerta" in page.text
        assert "America/Mexico_City" in page.text  # Jalisco's offices keep the capital's time
        for officer in officers:
            assert f'href="/officers/{officer}"' in page.text
        assert "Ibarra Luna, Berta" in page.text and "Consultó el expediente" in page.text
        assert "vie 20/11/2026 09:03" in page.text  # 15:03 UTC, on the reader's wall clock
        assert "Ráfaga" in page.text and "Es la primera alerta sobre esta cuenta" in page.text
        assert "Todavía nadie ha calificado esta alerta" in page.text
        assert 'name="outcome"' in page.text and 'value="interview"' in page.text
        assert "ni la persona ni su mando" in page.text
        english = client.get(f"/access/alerts/{alert_id}", cookies={"confianza_lang": "en"})
        assert "Fri Nov 20, 2026, 9:03 AM" in english.text and "Burst" in english.text
        assert "The reads behind the alert" in english.text

        # Refused beside the form in the page's words, what was typed kept, nothing marked.
        no_note = client.post(f"/access/alerts/{alert_id}", data={
            "csrf_token": csrf, "outcome": "misuse", "note": "   "})
        assert no_note.status_code == 422
        assert "No se registró la calificación" in no_note.text
        assert "Escriba una nota" in no_note.text and 'value="misuse" checked' in no_note.text
        unknown = client.post(f"/access/alerts/{alert_id}", data={
            "csrf_token": csrf, "outcome": "closed", "note": "Revisé la agenda del centro."})
        assert unknown.status_code == 422
        assert "Elija justificada, uso indebido o requiere entrevista" in unknown.text
        assert ">Revisé la agenda del centro.</textarea>" in unknown.text
        too_long = client.post(f"/access/alerts/{alert_id}", data={
            "csrf_token": csrf, "outcome": "justified", "note": "x" * 4001})
        assert too_long.status_code == 422 and "4,001 caracteres" in too_long.text
        assert _outcome(container, alert_id) == "open"

        interview = client.post(f"/access/alerts/{alert_id}", data={
            "csrf_token": csrf, "outcome": "interview", "note": "Citado a entrevista el lunes."})
        assert interview.status_code == 303
        assert interview.headers["location"] == f"/access/alerts/{alert_id}?hecho=1"
        after = client.get(interview.headers["location"])
        assert "Calificación registrada." in after.text and "Calificar de nuevo" in after.text
        assert "Requiere entrevista" in after.text and "Citado a entrevista el lunes." in after.text
        clock.advance(minutes=5)
        misuse = client.post(f"/access/alerts/{alert_id}", data={
            "csrf_token": csrf_of(after.text), "outcome": "misuse",
            "note": "Admitió consultar expedientes por encargo de un tercero."})
        assert misuse.headers["location"] == f"/access/alerts/{alert_id}?hecho=1"
        marked = client.get(f"/access/alerts/{alert_id}").text
        assert marked.index("Citado a entrevista") < marked.index("Admitió consultar")

        assert "No hay alertas con ese filtro" in client.get("/access/alerts").text
        decided = client.get("/access/alerts?estado=misuse").text
        assert f'href="/access/alerts/{alert_id}"' in decided
        assert "Confirmadas como uso indebido" in decided and "100.0" in decided
        assert "de 1 alertas decididas" in decided
        bad = client.get("/access/alerts?estado=cerradas")
        assert bad.status_code == 422 and "Ese filtro no existe" in bad.text
        assert f'href="/access/alerts/{alert_id}"' in bad.text  # every alert, meanwhile
        assert client.get("/access/alerts/999999").status_code == 404
    assert _outcome(container, alert_id) == "misuse"
    done = [e.action for e in _entries(container, "auditora", "audit:access_alert")]
    assert done.count("audit:access_alert:mark") == 2
    assert "audit:access_alert:list" in done and "audit:access_alert:read" in done
    refused = [e for e in _entries(container, "auditora", "workflow:request:refused")
               if e.detail["attempted"] == "audit:access_alert:mark"]
    assert [e.detail["fields"] for e in refused] == [["note"], ["outcome"], ["note"]]
    # The home's panel was recorded as the list is, naming the alert it showed.
    shown = [e for e in _entries(container, "auditora", "audit:access_alert:list")
             if e.detail.get("view") == "home"]
    assert shown and shown[0].detail["results"] == [alert_id]


def test_nobody_but_an_auditor_sees_or_marks_an_alert(
        container: Container, agencies: dict[str, int], clock: Any) -> None:
    world, alert_id, _ = _world_with_alert(container, agencies, clock)
    for username in (world.hr.username, world.second_examiner.username):
        for client in open_client(container):
            csrf = sign_in(client, username, PASSWORD)
            home = client.get("/").text
            assert "/access/alerts" not in home and "Alertas de consultas" not in home
            assert client.get("/access/alerts").status_code == 403
            page = client.get(f"/access/alerts/{alert_id}")
            assert page.status_code == 403 and "expedientes abiertos" not in page.text
            mark = client.post(f"/access/alerts/{alert_id}", data={
                "csrf_token": csrf, "outcome": "justified", "note": "Era mi trabajo."})
            assert mark.status_code == 403
    assert _outcome(container, alert_id) == "open"
    denied = _entries(container, world.hr.username, "authz:permission:denied")
    assert {e.detail["permission"] for e in denied} == {"audit:access_alert:review"}
    assert len(denied) == 3


def test_reads_in_another_zone_the_reader_s_other_alerts_and_the_pages_of_the_queue(
        container: Container, agencies: dict[str, int], clock: Any) -> None:
    """A reader in Baja California: the reads in Tijuana's time; two earlier alerts on the
    same account summed up beside the third; more alerts than a page, paged by id."""
    person(container, Role.AUDITOR, "auditora")
    person(container, Role.REGISTRY_CLERK, "captura-bc", Scope(ScopeKind.STATE, "02"))
    at = datetime(2026, 11, 20, 15, 3, tzinfo=UTC)  # 07:03 in Tijuana, 09:03 in the capital
    earlier = [store_alert(container, "captura-bc", "registry_clerk", TODAY - timedelta(days=n),
                           [(1, at - timedelta(days=n))]) for n in (14, 7)]
    alert_id = store_alert(container, "captura-bc", "registry_clerk", TODAY, [(1, at), (2, at)])
    fillers = [store_alert(container, f"lector-{n}", None, TODAY, [(3, at)])
               for n in range(PAGE_SIZE)]
    for client in open_client(container):
        csrf = sign_in(client, "auditora", PASSWORD)
        client.post(f"/access/alerts/{earlier[0]}", data={
            "csrf_token": csrf, "outcome": "justified", "note": "Cotejo del padrón estatal."})
        page = client.get(f"/access/alerts/{alert_id}")
        assert page.status_code == 200
        assert "America/Tijuana" in page.text and "vie 20/11/2026 07:03" in page.text
        assert "Capturista del registro" in page.text
        assert "Elemento 1" in page.text  # no record of that number: said by its number
        assert ("2 alertas más: 0 confirmadas como uso indebido, 1 justificadas, 0 en espera "
                "de entrevista y 1 abiertas.") in page.text
        for other in earlier:
            assert f'href="/access/alerts/{other}"' in page.text

        first = client.get("/access/alerts?estado=all")
        assert first.text.count('<tr>') - 1 == PAGE_SIZE  # the header's row, then a page
        assert "Sin rol (cuenta eliminada o consola)" in first.text
        next_link = f'href="/access/alerts?estado=all&amp;despues={fillers[0]}"'
        assert next_link in first.text
        second = client.get(f"/access/alerts?estado=all&despues={fillers[0]}")
        assert second.status_code == 200
        for older in (alert_id, *earlier):
            assert f'href="/access/alerts/{older}"' in second.text
        assert f'href="/access/alerts/{fillers[0]}"' not in second.text
        assert 'rel="next"' not in second.text


def test_a_home_with_no_open_alert_records_no_list(
        container: Container, agencies: dict[str, int], clock: Any) -> None:
    """The panel counts nothing and names nobody, so the home writes no list read; the
    queue says there is nothing, in either language."""
    person(container, Role.AUDITOR, "auditora")
    for client in open_client(container):
        sign_in(client, "auditora", PASSWORD)
        home = client.get("/").text
        assert 'id="panel-access_alerts"' in home and "Ir a las alertas de consultas" in home
        assert not _entries(container, "auditora", "audit:access_alert:list")
        assert "No hay alertas con ese filtro" in client.get("/access/alerts").text
        english = client.get("/access/alerts", cookies={"confianza_lang": "en"}).text
        assert "No alerts match that filter" in english and "No alert has been decided" in english
    assert len(_entries(container, "auditora", "audit:access_alert:list")) == 2
