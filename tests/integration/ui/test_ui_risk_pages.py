"""The early-intervention pages over HTTP on both databases (ADR 0034): agency HR's queue
with the factors in words (Spanish and English), one flag with the history behind it and the
review form, refusals said beside the form with what was typed kept, the review once, and
the report; another agency's HR is refused the flag."""

from __future__ import annotations

from datetime import date
from typing import Any

from risk_ui_support import NOTE, PASSWORD, add_run, build_history, person
from ui_support import csrf_of, open_client, sign_in

from confianza.accounts.rules.permissions import Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.db.models import AuditEntryRow
from confianza.risk.rules.records import ModelSource, ReviewOutcome


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


def test_the_queue_says_why_nobody_is_scored_in_the_page_s_language(
        container: Container, agencies: dict[str, int], clock: Any) -> None:
    """No model yet: how one is trained; a model that was not promoted: that it scores
    nobody; both in Spanish and in English, never the console's English under a heading."""
    person(container, Role.AGENCY_HR, "rh-jal",
           Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-SSP"]))
    for client in open_client(container):
        sign_in(client, "rh-jal", PASSWORD)
        spanish = client.get("/risk").text
        assert "No hay ningún modelo entrenado" in spanish and "confianza risk train" in spanish
        english = client.get("/risk", cookies={"confianza_lang": "en"}).text
        assert "No model has been trained" in english
        assert "No hay ningún modelo" not in english
    with container.uow().transaction() as tx:
        tx.risk.add_model(
            version="not-promoted", learner="logistic", source=ModelSource.REGISTRY,
            as_of=date(2023, 8, 21), trained_from=date(2001, 12, 31),
            trained_until=date(2015, 12, 31), rows=100, outcomes=10, code_version="test",
            sha256="0" * 64, seal="0" * 64, artefact=b"never loaded", evaluation={},
            promoted=False, reasons=("recall at the top 5% does not beat the count baseline",),
            trained_by="test", trained_at=tx.now)
    for client in open_client(container):
        sign_in(client, "rh-jal", PASSWORD)
        spanish = client.get("/risk").text
        assert "El último modelo entrenado (not-promoted, al " in spanish
        assert "no se promovió" in spanish
        assert "does not beat" not in spanish
        english = client.get("/risk", cookies={"confianza_lang": "en"}).text
        assert "was not promoted" in english and "scores nobody" in english


def test_a_second_review_is_refused_in_the_page_s_language(
        container: Container, agencies: dict[str, int], clock: Any) -> None:
    officers = build_history(container, agencies["JAL-SSP"], officers=10)
    flags = add_run(container, officers, 1)
    person(container, Role.AGENCY_HR, "rh-jal",
           Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-SSP"]))
    with container.uow().transaction() as tx:
        tx.risk.add_review(score_id=flags[0], officer_id=officers[0],
                           outcome=ReviewOutcome.NO_ACTION, useful=False, note=NOTE,
                           evaluation_id=None, reviewer_id=None, reviewed_by="otra-persona",
                           reviewed_at=tx.now)
    for client in open_client(container):
        csrf = sign_in(client, "rh-jal", PASSWORD)
        data = {"csrf_token": csrf, "outcome": "training", "useful": "yes", "note": NOTE}
        again = client.post(f"/risk/flags/{flags[0]}", data=data)
        assert again.status_code == 409
        assert "Esta alerta ya se revisó" in again.text and "already reviewed" not in again.text
        english = client.post(f"/risk/flags/{flags[0]}", data=data,
                              cookies={"confianza_lang": "en"})
        assert english.status_code == 409
        assert "This flag was already reviewed" in english.text
