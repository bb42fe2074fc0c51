"""Integrity cases on both databases: intake, due process, every safeguard refused and audited,
need-to-know access, the notice that hides a protected source, and the hand-offs to the
vetting workflow and to the separation process (ADR 0030)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from evaluation_support import World, build_world, person
from sqlalchemy import text

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.db.models import Base
from confianza.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    AppealOutcome,
    Credibility,
    Duty,
    FindingKind,
    LinkKind,
    Reliability,
    SanctionKind,
    SourceChannel,
    Standing,
)
from confianza.integrity.rules.safeguards import Barred, SafeguardRefused, SupportKind
from confianza.integrity.rules.stages import Stage
from confianza.integrity.service import cases, decisions, process
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.integrity.service.decisions import Relied
from confianza.registry.service import agencies as agency_service
from confianza.registry.service import officers as officer_service
from confianza.registry.service.officers import FirstAssignment, NewOfficer
from confianza.vetting.service import evaluations

TODAY = date(2026, 11, 20)
SECRET = "Juan Testigo Secreto, tel. 33 1234 5678"
GROUNDS = "Video de la caseta y el acta del ministerio público acreditan el cobro."
PDF = b"%PDF-1.4 acta de hechos"


@dataclass
class Cast:
    world: World
    intake: Actor
    investigator: Actor
    supervisor: Actor
    decider: Actor
    second: Actor
    appeal: Actor
    outsider: Actor

    @property
    def container(self) -> Container:
        return self.world.container

    @property
    def uow(self) -> Any:
        return self.world.container.uow()


@pytest.fixture
def cast(container: Container, agencies: dict[str, int]) -> Cast:
    world = build_world(container, agencies)
    jalisco = Scope(ScopeKind.STATE, "14")
    return Cast(
        world,
        intake=person(container, Role.INTERNAL_AFFAIRS, "ai-recepcion", jalisco),
        investigator=person(container, Role.INTERNAL_AFFAIRS, "ai-investiga", jalisco),
        supervisor=person(container, Role.INTERNAL_AFFAIRS_SUPERVISOR, "ai-supervisa", jalisco),
        decider=person(container, Role.HONOUR_COMMISSION, "chj-uno", jalisco),
        second=person(container, Role.HONOUR_COMMISSION, "chj-dos", jalisco),
        appeal=person(container, Role.HONOUR_COMMISSION, "chj-tres", jalisco),
        outsider=person(container, Role.INTERNAL_AFFAIRS, "ai-otra", jalisco),
    )


def source(channel: SourceChannel, **extra: Any) -> NewSource:
    return NewSource(channel, Reliability.B, Credibility.PROBABLY_TRUE,
                     "Relata el cobro de una cuota en el retén de la carretera.",
                     date(2026, 11, 2), **extra)


def new_case(cast: Cast, sources: tuple[NewSource, ...], **allegation: Any) -> int:
    fields: dict[str, Any] = {"officer_id": cast.world.officer_id, **allegation}
    opened = cases.open_case(cast.uow, cast.intake, NewCase(
        cast.world.agencies["JAL-SSP"], "Cobro de cuotas en el retén de la carretera 15.",
        sources, (NewAllegation(AllegationKind.BRIBERY,
                                "Cobró 500 pesos por dejar pasar un camión.",
                                tuple(range(len(sources))), **fields),)))
    return opened.case.id


def to_finding(cast: Cast, case_id: int, *, evidence: bool = True,
               coerced: tuple[int, ...] = ()) -> tuple[int, int | None]:
    """Assign, notify, serve, answer, (add supporting evidence), submit: returns the
    allegation's id and the evidence's."""
    c = cast.uow
    cases.assign(c, cast.supervisor, case_id, cast.investigator.user_id or 0, Duty.INVESTIGATOR)
    for who, duty in ((cast.decider, Duty.DECIDER), (cast.second, Duty.DECIDER),
                      (cast.appeal, Duty.APPEAL_DECIDER)):
        cases.assign(cast.uow, cast.supervisor, case_id, who.user_id or 0, duty)
    process.issue_notice(cast.uow, cast.investigator, case_id)
    process.serve_notice(cast.uow, cast.investigator, case_id, TODAY)
    process.record_answer(cast.uow, cast.investigator, case_id,
                          "Niego los hechos; ese día estaba en otro servicio.", coerced)
    allegation_id = cases.read_case(cast.uow, cast.investigator,
                                    case_id).allegations[0].allegation.id
    evidence_id = None
    if evidence:
        evidence_id = process.add_evidence(cast.uow, cast.investigator, case_id, "acta.pdf",
                                           "application/pdf", PDF, "Acta de hechos del MP.")
        process.add_link(cast.uow, cast.investigator, case_id, allegation_id,
                         LinkKind.SUPPORTS, evidence_id=evidence_id)
    process.submit_for_decision(cast.uow, cast.investigator, case_id)
    return allegation_id, evidence_id


def snapshot(container: Container) -> tuple[dict[str, list[tuple[Any, ...]]], int]:
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with container.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in ("audit_entries", "sessions", "log_state"):
                continue
            rows[table.name] = sorted((tuple(r) for r in connection.execute(table.select())),
                                      key=repr)
        count = connection.execute(text("SELECT count(*) FROM audit_entries")).scalar_one()
    return rows, int(count)


def refused(container: Container, attempt: Callable[[], object], error: type[DomainError],
            match: str) -> dict[str, Any]:
    """The attempt is refused, changes nothing, and leaves exactly one audit entry."""
    before, count = snapshot(container)
    with pytest.raises(error, match=match):
        attempt()
    after, count_after = snapshot(container)
    assert after == before
    assert count_after == count + 1
    with container.engine.connect() as connection:
        action, detail = connection.execute(
            text("SELECT action, detail FROM audit_entries ORDER BY id DESC LIMIT 1")).one()
    return {"action": action, "detail": json.loads(detail)}


def notice_of(container: Container, case_id: int) -> str:
    with container.engine.connect() as connection:
        return str(connection.execute(text("SELECT content FROM integrity_notices WHERE "
                                           "case_id = :c"), {"c": case_id}).scalar_one())


# Intake ------------------------------------------------------------------------------------

def test_an_unknown_accused_is_kept_as_given_and_an_unknown_id_refused(cast: Cast) -> None:
    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT,
                                     reporter_name="Rosa Pérez"),),
                       officer_id=None, accused_name="El Güero", accused_badge="4471")
    held = cases.read_case(cast.uow, cast.supervisor, case_id).allegations[0].allegation
    assert (held.officer_id, held.accused_name, held.accused_badge) == (None, "El Güero", "4471")
    entry = refused(cast.container, lambda: new_case(
        cast, (source(SourceChannel.CITIZEN_COMPLAINT),), officer_id=999_999),
        ValidationFailed, "officer 999999 does not exist")
    assert entry["action"] == "workflow:request:refused"
    assert entry["detail"]["fields"] == ["allegations[0].officer_id"]


def test_a_protected_source_is_never_named_with_the_case(cast: Cast) -> None:
    refused(cast.container, lambda: new_case(cast, (source(
        SourceChannel.WITNESS_STATEMENT, protected=True, reporter_name="Juan"),)),
        ValidationFailed, "protected_identity")
    case_id = new_case(cast, (source(SourceChannel.WITNESS_STATEMENT, protected=True,
                                     protected_identity=SECRET),
                              source(SourceChannel.CITIZEN_COMPLAINT,
                                     reporter_name="Rosa Pérez")))
    to_finding(cast, case_id)
    notice = json.loads(notice_of(cast.container, case_id))
    told = notice["allegations"][0]["sources"]
    assert told[0] == {"channel": "witness_statement", "protected": True}
    assert told[1]["reporter_name"] == "Rosa Pérez"
    assert "Testigo" not in notice_of(cast.container, case_id)
    with cast.container.engine.connect() as connection:
        trail = " ".join(str(d) for (d,) in connection.execute(
            text("SELECT detail FROM audit_entries")))
    assert "Secreto" not in trail and "Rosa" not in trail


# Safeguards --------------------------------------------------------------------------------

@pytest.mark.parametrize("weak", [
    source(SourceChannel.ANONYMOUS_LINE),
    source(SourceChannel.MEDIA_OR_BANNER),
    source(SourceChannel.WITNESS_STATEMENT, protected=True, benefit=True,
           protected_identity=SECRET),
])
def test_no_sustained_finding_on_weak_support_alone(cast: Cast, weak: NewSource) -> None:
    case_id = new_case(cast, (weak,))
    allegation_id, evidence_id = to_finding(cast, case_id)
    sources = cases.read_case(cast.uow, cast.decider, case_id).sources
    entry = refused(cast.container, lambda: decisions.record_finding(
        cast.uow, cast.decider, case_id, allegation_id, FindingKind.SUSTAINED, GROUNDS,
        [Relied(SupportKind.SOURCE, sources[0].id)]),
        SafeguardRefused, "only support cannot stand alone")
    assert entry["action"] == "workflow:request:refused"
    assert entry["detail"]["attempted"] == "integrity:finding:create"
    # The same weak source with the evidence that supports the allegation may carry it.
    done = decisions.record_finding(cast.uow, cast.decider, case_id, allegation_id,
                                    FindingKind.SUSTAINED, GROUNDS,
                                    [Relied(SupportKind.SOURCE, sources[0].id),
                                     Relied(SupportKind.EVIDENCE, evidence_id or 0)])
    assert done.allegations[0].finding is not None
    assert done.allegations[0].assessment.standing is Standing.CORROBORATED


def test_a_finding_without_grounds_is_refused_naming_the_field(cast: Cast) -> None:
    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT),))
    allegation_id, _ = to_finding(cast, case_id)
    entry = refused(cast.container, lambda: decisions.record_finding(
        cast.uow, cast.decider, case_id, allegation_id, FindingKind.UNFOUNDED, "  "),
        ValidationFailed, "grounds")
    assert entry["detail"]["fields"] == ["grounds"]


def test_a_coerced_statement_needs_a_second_decider(cast: Cast) -> None:
    case_id = new_case(cast, (source(SourceChannel.WITNESS_STATEMENT, protected=True,
                                     protected_identity=SECRET),))
    sources = cases.read_case(cast.uow, cast.supervisor,
                              case_id).sources
    allegation_id, evidence_id = to_finding(cast, case_id, coerced=(sources[0].id,))
    found = decisions.record_finding(
        cast.uow, cast.decider, case_id, allegation_id, FindingKind.SUSTAINED, GROUNDS,
        [Relied(SupportKind.SOURCE, sources[0].id), Relied(SupportKind.EVIDENCE,
                                                          evidence_id or 0)])
    finding = found.allegations[0].finding
    assert finding is not None and finding.needs_second and not finding.in_effect
    officer = cast.world.officer_id
    refused(cast.container, lambda: decisions.record_sanction(
        cast.uow, cast.decider, case_id, officer, SanctionKind.REPRIMAND, GROUNDS),
        Conflict, "wait for a second decider")
    refused(cast.container, lambda: decisions.confirm_finding(
        cast.uow, cast.decider, case_id, finding.id), Barred, "another person")
    confirmed = decisions.confirm_finding(cast.uow, cast.second, case_id, finding.id)
    assert confirmed.allegations[0].finding is not None
    assert confirmed.allegations[0].finding.in_effect


def test_who_relayed_it_can_neither_investigate_nor_decide(cast: Cast) -> None:
    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT),))
    entry = refused(cast.container, lambda: cases.assign(
        cast.uow, cast.supervisor, case_id, cast.intake.user_id or 0, Duty.INVESTIGATOR),
        Barred, "filed or relayed")
    assert entry["detail"]["attempted"] == "integrity:case:assign"


def test_the_investigator_cannot_decide_and_the_decider_not_the_appeal(cast: Cast) -> None:
    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT),))
    allegation_id, evidence_id = to_finding(cast, case_id)
    refused(cast.container, lambda: cases.assign(
        cast.uow, cast.supervisor, case_id, cast.investigator.user_id or 0, Duty.DECIDER),
        Conflict, "honour_commission")  # the role, before the safeguard
    decisions.record_finding(cast.uow, cast.decider, case_id, allegation_id,
                             FindingKind.SUSTAINED, GROUNDS,
                             [Relied(SupportKind.EVIDENCE, evidence_id or 0)])
    refused(cast.container, lambda: cases.assign(
        cast.uow, cast.supervisor, case_id, cast.decider.user_id or 0, Duty.APPEAL_DECIDER),
        Barred, "third person")


def test_someone_in_the_chain_of_command_cannot_decide(cast: Cast, operator: Actor) -> None:
    world = cast.world
    unit = agency_service.create_unit(cast.uow, operator, world.agencies["JAL-SSP"],
                                      "REG-NORTE", "Región Norte")
    subject = officer_service.register_officer(cast.uow, operator, NewOfficer(
        "Pedro", "Luna", "Soto", birth_date=date(1985, 1, 2),
        assignment=FirstAssignment(world.agencies["JAL-SSP"], "Policía", date(2012, 1, 1),
                                   unit_id=unit.id))).officer.id
    commander = officer_service.register_officer(cast.uow, operator, NewOfficer(
        "Laura", "Ríos", "Mena", birth_date=date(1975, 3, 4),
        assignment=FirstAssignment(world.agencies["JAL-SSP"], "Comisario",
                                   date(2005, 1, 1)))).officer.id
    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT),), officer_id=subject)
    entry = refused(cast.container, lambda: cases.assign(
        cast.uow, cast.supervisor, case_id, cast.decider.user_id or 0, Duty.DECIDER,
        officer_id=commander), Barred, "chain of command")
    assert entry["detail"]["status"] == 403


# Access ------------------------------------------------------------------------------------

def test_need_to_know(cast: Cast) -> None:
    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT),))
    cases.assign(cast.uow, cast.supervisor, case_id, cast.investigator.user_id or 0,
                 Duty.INVESTIGATOR)
    assert cases.read_case(cast.uow, cast.investigator, case_id).duties == {Duty.INVESTIGATOR}
    entry = refused(cast.container, lambda: cases.read_case(cast.uow, cast.outsider, case_id),
                    Forbidden, "need to know")
    assert entry["action"] == "authz:permission:denied"
    refused(cast.container, lambda: cases.read_case(cast.uow, cast.world.hr, case_id),
            Forbidden, "does not allow integrity:case:read")
    # HR learns that the case exists and its stage, and nothing else.
    stage = cases.case_stage(cast.uow, cast.world.hr, case_id)
    assert (stage.id, stage.stage) == (case_id, Stage.ASSIGNED)
    assert [c.id for c in cases.officer_cases(cast.uow, cast.world.hr,
                                              cast.world.officer_id)] == [case_id]
    other_state = person(cast.container, Role.INTERNAL_AFFAIRS_SUPERVISOR, "ai-nl",
                         Scope(ScopeKind.STATE, "19"))
    refused(cast.container, lambda: cases.read_case(cast.uow, other_state, case_id),
            Forbidden, "outside your scope")
    with cast.container.engine.connect() as connection:
        reads = connection.execute(text("SELECT count(*) FROM audit_entries WHERE action = "
                                        "'integrity:case:read'")).scalar_one()
    assert reads >= 1


def test_the_queue_marks_what_is_late(cast: Cast, clock: Any) -> None:
    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT),))
    clock.advance(days=7)
    lines = cases.queue(cast.uow, cast.supervisor)
    line = next(x for x in lines if x.case.id == case_id)
    assert line.due.stage is Stage.INTAKE and line.due.overdue and line.due.days_late == 2
    assert cases.queue(cast.uow, cast.investigator) == []


# Hand-offs ---------------------------------------------------------------------------------

def test_sustained_bribery_asks_for_a_special_evaluation(cast: Cast) -> None:
    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT),))
    allegation_id, evidence_id = to_finding(cast, case_id)
    decisions.record_finding(cast.uow, cast.decider, case_id, allegation_id,
                             FindingKind.SUSTAINED, GROUNDS,
                             [Relied(SupportKind.EVIDENCE, evidence_id or 0)])
    evaluation_id = decisions.request_special_evaluation(
        cast.uow, cast.decider, case_id, allegation_id, policy=cast.container.policy)
    view = evaluations.get_evaluation(cast.uow, cast.world.hr, evaluation_id)
    assert view.evaluation.kind.value == "special"
    assert view.evaluation.officer_id == cast.world.officer_id
    refused(cast.container, lambda: decisions.request_special_evaluation(
        cast.uow, cast.decider, case_id, allegation_id, policy=cast.container.policy),
        Conflict, "already asked for")


def test_a_dismissal_upheld_on_appeal_opens_the_separation(cast: Cast) -> None:
    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT),))
    allegation_id, evidence_id = to_finding(cast, case_id)
    decisions.record_finding(cast.uow, cast.decider, case_id, allegation_id,
                             FindingKind.SUSTAINED, GROUNDS,
                             [Relied(SupportKind.EVIDENCE, evidence_id or 0)])
    decisions.record_sanction(cast.uow, cast.decider, case_id, cast.world.officer_id,
                              SanctionKind.DISMISSAL, GROUNDS)
    decisions.file_appeal(cast.uow, cast.world.hr, case_id,
                          "La prueba de video no corresponde a la fecha de los hechos.")
    entry = refused(cast.container, lambda: decisions.decide_appeal(
        cast.uow, cast.decider, case_id, AppealOutcome.UPHELD, GROUNDS),
        Forbidden, "need to know")
    assert entry["action"] == "authz:permission:denied"
    closed = decisions.decide_appeal(cast.uow, cast.appeal, case_id, AppealOutcome.UPHELD,
                                     GROUNDS)
    assert closed.case.stage is Stage.CLOSED
    with cast.container.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT officer_id, evaluation_id, integrity_case_id, status FROM "
            "separation_processes")).all()
    assert [tuple(r) for r in rows] == [(cast.world.officer_id, None, case_id, "open")]


def test_evidence_too_large_or_of_a_refused_type(cast: Cast) -> None:
    from confianza.vetting.service.exams import ATTACHMENT_MAX

    case_id = new_case(cast, (source(SourceChannel.CITIZEN_COMPLAINT),))
    cases.assign(cast.uow, cast.supervisor, case_id, cast.investigator.user_id or 0,
                 Duty.INVESTIGATOR)
    entry = refused(cast.container, lambda: process.add_evidence(
        cast.uow, cast.investigator, case_id, "x.exe", "application/x-msdownload", b"MZ",
        "Archivo recibido por correo."), ValidationFailed, "is not accepted")
    assert entry["detail"]["fields"] == ["media_type"]
    refused(cast.container, lambda: process.add_evidence(
        cast.uow, cast.investigator, case_id, "big.pdf", "application/pdf",
        b"0" * (ATTACHMENT_MAX + 1), "Expediente escaneado completo."),
        ValidationFailed, "larger than")
    process.add_evidence(cast.uow, cast.investigator, case_id, "acta.pdf", "application/pdf",
                         PDF, "Acta de hechos del MP.")
    refused(cast.container, lambda: process.add_evidence(
        cast.uow, cast.investigator, case_id, "copia.pdf", "application/pdf", PDF,
        "La misma acta, otra vez."), Conflict, "already holds this file")
