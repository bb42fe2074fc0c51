"""A well-travelled officer for the timeline tests: a career over three postings, an approved
evaluation with its certificate (2025), a not-approved one confirmed (2026) and an appeal the
next day whose grounds carry markup; plus the readers (the trust world's staff, an auditor,
the HR of another agency) and a second officer whose name is markup.

Dates move with the tests' clock, so events fall on different days and years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from evaluation_support import OPERATOR, PASS, World, build_world, failing, person

from confianza.accounts.rules.permissions import Actor, Role, Scope, ScopeKind
from confianza.app.bootstrap import Container
from confianza.certification.rules.cup import CupComponent
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import appeals, certificates, decisions
from confianza.registry.rules.assignments import ChangeReason
from confianza.registry.service import assignments
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import ExamType
from confianza.vetting.service import evaluations, exams

MARKUP = '<img src=x onerror="alert(1)">'
APPEAL_GROUNDS = (f"La cadena de custodia de la muestra está incompleta {MARKUP} según el "
                  "laboratorio.")
EXAM_NOTES = f"Segunda muestra confirmada {MARKUP}"
DECISION_GROUNDS = "La toxicología resultó positiva a cocaína y la segunda muestra lo confirmó."
EVIL_NAME = '<script>alert("x")</script>'
FIRST_DAY = datetime(2025, 3, 10, 15, 0, tzinfo=UTC)
SECOND_DAY = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
APPEAL_DAY = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


class Clock:
    """What the tests' clock offers: a settable `now` (tests/conftest.py FakeClock)."""

    now: datetime


@dataclass(frozen=True)
class Career:
    world: World
    officer_id: int
    approved: int  # the 2025 evaluation
    not_approved: int  # the 2026 evaluation
    appeal_id: int
    auditor: Actor
    other_hr: Actor  # HR of Nuevo León's agency: outside the officer's agencies
    evil: int  # an officer whose name is markup


def _evaluate(world: World, officer_id: int, day: date,
              results: dict[ExamType, dict[str, object]] | None = None,
              notes: str = "") -> int:
    evaluation_id = world.request(officer_id)
    world.schedule(evaluation_id, day=day)
    view = evaluations.get_evaluation(world.uow, world.coordinator, evaluation_id)
    for exam in view.exams:
        fields = (results or {}).get(exam.exam_type) or PASS[exam.exam_type]
        exams.record_exam(world.uow, world.examiner_for(exam.exam_type), evaluation_id,
                          exam.exam_type, fields,
                          notes=notes if exam.exam_type is ExamType.TOXICOLOGY else None)
    return evaluation_id


def build_career(container: Container, agencies: dict[str, int], clock: Clock) -> Career:
    clock.now = FIRST_DAY
    world = build_world(container, agencies)
    officer_id = world.officer_id  # JAL-SSP since 2015-01-05, as "Policía"
    uow = container.uow()
    assignments.add_assignment(uow, OPERATOR, officer_id, assignments.NewAssignment(
        agencies["GN"], "Agente", date(2010, 2, 1), ChangeReason.APPOINTMENT,
        end_date=date(2015, 1, 5)))
    assignments.add_assignment(uow, OPERATOR, officer_id, assignments.NewAssignment(
        agencies["JAL-SSP"], "Policía Tercero", date(2020, 7, 1), ChangeReason.PROMOTION))
    assignments.add_badge(uow, OPERATOR, officer_id, agencies["JAL-SSP"], "7301",
                          date(2020, 7, 1))
    approved = _evaluate(world, officer_id, FIRST_DAY.date())
    decisions.decide(uow, world.decider, approved, Verdict.APPROVED, "",
                     policy=container.policy, issuer=container.issuer)
    for component, done, extra in (
        (CupComponent.SKILLS, date(2025, 1, 15), {"score": 88}),
        (CupComponent.PERFORMANCE, date(2025, 2, 1), {"score": 91}),
        (CupComponent.INITIAL_TRAINING, date(2015, 1, 1), {"hours": 972}),
    ):
        certificates.record_component(uow, world.hr, officer_id, component, done,
                                      policy=container.policy, issuer=container.issuer, **extra)
    clock.now = SECOND_DAY
    fail = {ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)}
    not_approved = _evaluate(world, officer_id, SECOND_DAY.date(), fail, EXAM_NOTES)
    decisions.decide(uow, world.decider, not_approved, Verdict.NOT_APPROVED, DECISION_GROUNDS,
                     policy=container.policy, issuer=container.issuer)
    decisions.confirm(uow, world.confirmer, not_approved, agree=True,
                      policy=container.policy, issuer=container.issuer)
    clock.now = APPEAL_DAY
    appeal = appeals.file_appeal(uow, world.hr, not_approved, APPEAL_GROUNDS,
                                 policy=container.policy)
    auditor = person(container, Role.AUDITOR, "auditoria-nacional")
    other_hr = person(container, Role.AGENCY_HR, "rh-nuevo-leon",
                      Scope(ScopeKind.AGENCY, agency_id=agencies["NL-FC"]))
    evil = officer_service.register_officer(uow, OPERATOR, officer_service.NewOfficer(
        given_names=EVIL_NAME, first_surname="Zúñiga",
        assignment=officer_service.FirstAssignment(agencies["JAL-SSP"], "Policía",
                                                   date(2020, 1, 1)),
    )).officer.id
    return Career(world, officer_id, approved, not_approved, appeal.id, auditor, other_hr, evil)
