"""The home panels of the integrity roles and agency HR's early-intervention flags, on both
databases: each person sees the cases waiting for them (the supervisor's scope to assign and
what is late, the investigator's own cases, the commission's findings, second-person
confirmations and appeals), never someone else's; HR sees the unreviewed flags of its agency
only; each panel that names something is recorded as its list page is."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from evaluation_support import World, build_world, person
from sqlalchemy import insert, text

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.core.db.models import RiskModelRow, RiskRunRow, RiskScoreRow
from confianza.home.service import panels as home
from confianza.home.service.panels import Home, Panel
from confianza.integrity.rules.catalogue import (
    AllegationKind,
    Credibility,
    Duty,
    FindingKind,
    LinkKind,
    Reliability,
    SanctionKind,
    SourceChannel,
)
from confianza.integrity.rules.safeguards import SupportKind
from confianza.integrity.service import cases, decisions, process
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.integrity.service.decisions import Relied
from confianza.risk.rules.records import ReviewOutcome
from confianza.risk.service import reviews

GROUNDS = "El video de la caseta y el acta del ministerio público acreditan el cobro."
JALISCO = Scope(ScopeKind.STATE, "14")


def panel(view: Home, name: str) -> Panel:
    [found] = [p for p in view.panels if p.name == name]
    return found


def ids(view: Home, name: str) -> list[int]:
    return [item.case.id for item in panel(view, name).items]


def home_of(container: Container, who: Actor) -> Home:
    return home.home(container.uow(), who, policy=container.policy)


def home_reads(container: Container, action: str) -> list[dict[str, Any]]:
    with container.engine.connect() as connection:
        rows = connection.execute(text("SELECT detail FROM audit_entries WHERE action = :a "
                                       "ORDER BY id"), {"a": action}).scalars()
        return [d for d in map(json.loads, rows) if d.get("view") == "home"]


def new_case(container: Container, operator: Actor, world: World, *,
             coerced: bool = False) -> tuple[int, int, int]:
    """A case against the world's officer: its id, allegation and source."""
    opened = cases.open_case(container.uow(), operator, NewCase(
        world.agencies["JAL-SSP"], "Cobro de cuotas en el retén de la carretera 15.", (
            NewSource(SourceChannel.WITNESS_STATEMENT if coerced
                      else SourceChannel.CITIZEN_COMPLAINT, Reliability.B,
                      Credibility.PROBABLY_TRUE, "Vio el cobro desde la caseta.",
                      date(2026, 11, 2), reporter_name="Ana Ríos",
                      coercion_claimed=coerced),),
        (NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos por dejar pasar un camión.",
                       (0,), officer_id=world.officer_id),)))
    return opened.case.id, opened.allegations[0].allegation.id, opened.sources[0].id


def test_each_integrity_role_sees_the_cases_waiting_for_it(
    container: Container, operator: Actor, agencies: dict[str, int], clock: Any
) -> None:
    world = build_world(container, agencies)
    supervisor = person(container, Role.INTERNAL_AFFAIRS_SUPERVISOR, "ai-supervisa", JALISCO)
    investigator = person(container, Role.INTERNAL_AFFAIRS, "ai-investiga", JALISCO)
    other = person(container, Role.INTERNAL_AFFAIRS, "ai-otra", JALISCO)
    first, second, third = (person(container, Role.HONOUR_COMMISSION, n, JALISCO)
                            for n in ("chj-uno", "chj-dos", "chj-tres"))
    waiting, _, _ = new_case(container, operator, world)
    clock.advance(days=7)  # five days to assign: two late
    coerced, allegation, source = new_case(container, operator, world, coerced=True)
    uow = container.uow
    for who, duty in ((investigator, Duty.INVESTIGATOR), (first, Duty.DECIDER),
                      (second, Duty.DECIDER), (third, Duty.APPEAL_DECIDER)):
        cases.assign(uow(), supervisor, coerced, who.user_id or 0, duty)

    view = home_of(container, supervisor)
    assert ids(view, "cases_to_assign") == [waiting]
    late = panel(view, "cases_late")
    assert [(i.case.id, i.due.days_late) for i in late.items] == [(waiting, 2)]
    assert late.extra == 1
    assert ids(home_of(container, investigator), "my_cases") == [coerced]
    assert panel(home_of(container, other), "my_cases").count == 0

    process.issue_notice(uow(), investigator, coerced)
    process.serve_notice(uow(), investigator, coerced, uow().today())
    process.record_answer(uow(), investigator, coerced, "Niego los hechos; me amenazaron.",
                          (source,))
    evidence = process.add_evidence(uow(), investigator, coerced, "acta.pdf",
                                    "application/pdf", b"%PDF-1.4 acta", "Acta del MP.")
    process.add_link(uow(), investigator, coerced, allegation, LinkKind.SUPPORTS,
                     evidence_id=evidence)
    process.submit_for_decision(uow(), investigator, coerced)
    assert ids(home_of(container, first), "findings_due") == [coerced]
    assert panel(home_of(container, third), "findings_due").count == 0
    decisions.record_finding(uow(), first, coerced, allegation, FindingKind.SUSTAINED, GROUNDS,
                             [Relied(SupportKind.SOURCE, source),
                              Relied(SupportKind.EVIDENCE, evidence)])
    # The second person is asked; the first is not asked to confirm their own finding.
    confirm = panel(home_of(container, second), "findings_to_confirm")
    [item] = confirm.items
    found = cases.read_case(uow(), operator, coerced).allegations[0].finding
    assert found is not None and (item.case.id, item.finding_id) == (coerced, found.id)
    assert panel(home_of(container, first), "findings_to_confirm").count == 0

    decisions.confirm_finding(uow(), second, coerced, found.id)
    decisions.record_sanction(uow(), first, coerced, world.officer_id, SanctionKind.DISMISSAL,
                              GROUNDS)
    assert panel(home_of(container, third), "case_appeals").count == 0
    decisions.file_appeal(uow(), world.hr, coerced,
                          "El video no corresponde a la fecha de los hechos.")
    assert ids(home_of(container, third), "case_appeals") == [coerced]
    assert panel(home_of(container, first), "case_appeals").count == 0

    reads = home_reads(container, "integrity:queue:read")
    assert reads and all(r["results"] for r in reads)
    assert {"duty": "appeal_decider"}.items() <= reads[-1].items()
    assert reads[-1]["results"] == [coerced]


def _flags(container: Container, agencies: dict[str, int], jalisco: int,
           nuevo_leon: int) -> list[int]:
    """A run that flagged one officer of Jalisco's police and one of Nuevo León's (written
    as the scoring would: the model itself plays no part in what the panel shows)."""
    with container.session_factory() as session, session.begin():
        model = session.execute(insert(RiskModelRow).values(
            version="v-home", learner="logistic", source="registry", as_of=date(2026, 6, 30),
            trained_from=date(2013, 1, 1), trained_until=date(2026, 6, 30), rows=10,
            outcomes=2, code_version="test", sha256="0" * 64, seal="0" * 64,
            artefact=b"", evaluation="{}", promoted=True, reasons="[]", trained_by="console",
            trained_at=container.clock(),
        ).returning(RiskModelRow.id)).scalar_one()
        run = session.execute(insert(RiskRunRow).values(
            model_id=model, as_of=date(2026, 11, 1), officers=2, flagged=2, share=0.05,
            scored_by="console", scored_at=container.clock(),
        ).returning(RiskRunRow.id)).scalar_one()
        factors = json.dumps([{"feature": "complaints", "value": 3.0, "effect": 0.4,
                               "es": "Tres quejas", "en": "Three complaints"}])
        scores = [session.execute(insert(RiskScoreRow).values(
            run_id=run, officer_id=officer, score=0.9 - rank / 10, rank=rank, flagged=True,
            factors=factors).returning(RiskScoreRow.id)).scalar_one()
            for rank, officer in ((1, nuevo_leon), (2, jalisco))]
    return scores


def test_agency_hr_sees_the_unreviewed_flags_of_its_agency(
    container: Container, agencies: dict[str, int]
) -> None:
    world = build_world(container, agencies)
    elsewhere = world.new_officer("Jorge", "Treviño", "Garza", agency="NL-FC")
    nl_score, jal_score = _flags(container, agencies, world.officer_id, elsewhere)
    view = home_of(container, world.hr)
    flags = panel(view, "flags")
    assert (flags.count, [f.score_id for f in flags.items]) == (1, [jal_score])
    [read] = home_reads(container, "risk:queue:read")
    assert read["shown"] == [world.officer_id]
    reviews.review(container.uow(), world.hr, jal_score, ReviewOutcome.CONVERSATION, False,
                   "Plática con su mando; sin más acciones.", policy=container.policy)
    assert panel(home_of(container, world.hr), "flags").count == 0
    assert nl_score != jal_score
