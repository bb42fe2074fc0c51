"""The early-intervention pages over HTTP on both databases (ADR 0034): agency HR's queue
with the factors in words (Spanish and English), one flag with the history behind it and the
review form, refusals said beside the form with what was typed kept, the review once, and
the report; another agency's HR is refused the flag."""

from __future__ import annotations

from typing import Any

from risk_ui_support import NOTE, PASSWORD, add_run, build_history, person
from ui_support import csrf_of, open_client, sign_in

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.db.models import AuditEntryRow


def _actions(container: Container) -> list[str]:
    with container.session_factory() as session:
        return [e.action for e in session.query(AuditEntryRow).order_by(AuditEntryRow.id)]


def test_queue_flag_review_and_report(container: Container, agencies: dict[str, int],
                                      clock: Any) -> None:
    officers = build_history(container, agencies["JAL-SSP"], officers=30)
    flags = add_run(container, officers, 3)
    person(container, Role.AGENCY_HR, "rh-jal",
           Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-SSP"]))
    person(container, Role.AGENCY_HR, "rh-nl",
           Scope(ScopeKind.AGENCY, agency_id=agencies["NL-FC"]))
    person(container, Role.AUDITOR, "auditoria", Scope())
    for client in open_client(container):
        csrf = sign_in(client, "rh-jal", PASSWORD)
        home = client.get("/")
        assert 'href="/risk"' in home.text and "Intervención temprana" in home.text
        queue = client.get("/risk")
        assert queue.status_code == 200
        assert "4 quejas por uso excesivo de la fuerza en 12 meses" in queue.text
        assert "3 alertas sin revisar" in queue.text
        assert f'href="/risk/flags/{flags[0]}"' in queue.text
        english = client.get("/risk", cookies={"confianza_lang": "en"})
        assert "4 complaints of excessive force in 12 months" in english.text
        assert "Early-intervention flags to review" in english.text
        page = client.get(f"/risk/flags/{flags[0]}")
        assert page.status_code == 200
        assert "Por qué se señaló" in page.text and "Quejas" in page.text
        assert "Secretaría de Seguridad de Jalisco" in page.text
        assert 'name="outcome"' in page.text
        # Refused in words beside the form, with what was typed kept.
        short = client.post(f"/risk/flags/{flags[0]}", data={
            "csrf_token": csrf, "outcome": "training", "useful": "yes", "note": "corta"})
        assert short.status_code == 422
        assert "No se registró la revisión" in short.text and "de 10 a 4000" in short.text
        assert ">corta</textarea>" in short.text and 'value="training" checked' in short.text
        missing = client.post(f"/risk/flags/{flags[0]}", data={
            "csrf_token": csrf, "note": NOTE})
        assert missing.status_code == 422 and "Elija qué se hizo" in missing.text
        assert "Diga si la alerta fue útil" in missing.text
        done = client.post(f"/risk/flags/{flags[0]}", data={
            "csrf_token": csrf, "outcome": "conversation", "useful": "yes", "note": NOTE})
        assert done.status_code == 303 and done.headers["location"].endswith("?hecho=1")
        after = client.get(done.headers["location"])
        assert "Revisión registrada" in after.text and "Conversación con el elemento" in after.text
        assert 'name="outcome"' not in after.text  # reviewed once: no form any more
        assert client.get("/risk").text.count("Sin revisar") == 2
    for client in open_client(container):
        sign_in(client, "rh-nl", PASSWORD)
        assert client.get(f"/risk/flags/{flags[1]}").status_code == 403
        assert "No hay alertas en su ámbito" in client.get("/risk").text
    for client in open_client(container):
        sign_in(client, "auditoria", PASSWORD)
        assert client.get("/risk").status_code == 403
        report = client.get("/risk/report")
        assert report.status_code == 200 and "100 %" in report.text
        assert 'href="/risk/report"' in report.text
        csrf_of(report.text)
    actions = _actions(container)
    assert actions.count("risk:review:create") == 1
    assert actions.count("risk:review:report") == 1
    assert actions.count("risk:flag:read") >= 4
