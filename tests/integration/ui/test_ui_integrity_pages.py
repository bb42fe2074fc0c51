"""The integrity pages over HTTP on both databases: the queue with its deadlines and what is
late, the case file with each allegation's standing and its reasons in words (Spanish and
English), sources graded, evidence with its SHA-256, a protected witness never named, and a
member of the commission who is not one of the case's people refused."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from ui_support import PASSWORD, open_client, seed, sign_in

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    LinkKind,
    Reliability,
    SourceChannel,
)
from confianza.integrity.service import cases, process
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource

SECRET = "Juan Testigo Secreto"
PDF = b"%PDF-1.4 acta de hechos"


def user(container: Container, operator: Actor, name: str, role: Role) -> int:
    return user_service.create_user(container.uow(), operator, user_service.NewUser(
        name, name.title(), PASSWORD, role, Scope(ScopeKind.STATE, "14"))).id


def test_queue_and_case_file(container: Container, operator: Actor, agencies: dict[str, int],
                             clock: Any) -> None:
    world = seed(container, operator, agencies)
    investigator = user(container, operator, "ai-investiga", Role.INTERNAL_AFFAIRS)
    user(container, operator, "ai-supervisa", Role.INTERNAL_AFFAIRS_SUPERVISOR)
    user(container, operator, "chj-ajena", Role.HONOUR_COMMISSION)
    received = date(2026, 11, 2)
    opened = cases.open_case(container.uow(), operator, NewCase(
        agencies["JAL-SSP"], "Cobro de cuotas en el retén de la carretera 15.", (
            NewSource(SourceChannel.WITNESS_STATEMENT, Reliability.C, Credibility.POSSIBLY_TRUE,
                      "Dice haber visto el cobro desde la caseta.", received, protected=True,
                      benefit=True, protected_identity=SECRET),
            NewSource(SourceChannel.ANONYMOUS_LINE, Reliability.F, Credibility.CANNOT_BE_JUDGED,
                      "Una llamada relata cobros cada noche.", received)),
        (NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos por dejar pasar un camión.",
                       (0, 1), officer_id=world.maria),
         NewAllegation(AllegationKind.ABUSE_OF_AUTHORITY, "Amenazó al chofer.", (1,),
                       accused_name="El Güero", accused_badge="4471"))))
    case_id = opened.case.id
    cases.assign(container.uow(), operator, case_id, investigator, Duty.INVESTIGATOR)
    evidence = process.add_evidence(container.uow(), operator, case_id, "acta.pdf",
                                    "application/pdf", PDF, "Acta de hechos del MP.")
    process.add_link(container.uow(), operator, case_id,
                     opened.allegations[0].allegation.id, LinkKind.SUPPORTS,
                     evidence_id=evidence)
    # Twenty days after assignment, five past the fifteen the notice may take.
    clock.advance(days=20)
    for client in open_client(container):
        sign_in(client, "ai-supervisa")
        assert 'href="/integrity"' in client.get("/").text
        queue = client.get("/integrity")
        assert queue.status_code == 200
        assert f"/integrity/cases/{case_id}" in queue.text
        assert "5 días de retraso" in queue.text and "1 expedientes fuera de plazo" in queue.text
        page = client.get(f"/integrity/cases/{case_id}")
        assert page.status_code == 200
        text = page.text
        assert "Corroborada" in text and "Pruebas que la sustentan" in text
        assert "Sin corroborar" in text and "Ninguna fuente puede sostenerla" in text
        assert "testigo protegido que recibió un beneficio" in text
        assert "Sin vincular al padrón: El Güero 4471" in text
        assert hashlib.sha256(PDF).hexdigest() in text
        assert "Testigo protegido" in text and "Secreto" not in text
        english = client.get(f"/integrity/cases/{case_id}?lang=en").text
        assert "Corroborated" in english and "Evidence" in english
        assert "Secreto" not in english
    for client in open_client(container):
        sign_in(client, "chj-ajena")
        refused = client.get(f"/integrity/cases/{case_id}")
        assert refused.status_code == 403 and "Secreto" not in refused.text
