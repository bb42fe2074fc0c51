"""A small trust-control world for service, API and UI tests: one centre, its staff, officers.

Every person is a real account (decisions need a user id); the officer serves at JAL-SSP.
`world` is the world as a fixture: a test module names it (`world = evaluation_support.world`,
or through a module that re-exports it) and pytest finds it by that name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from confianza.accounts.rules.permissions import (
    Actor,
    ActorKind,
    Role,
    Scope,
    ScopeKind,
    system_actor,
)
from confianza.accounts.service import users
from confianza.app.bootstrap import Container
from confianza.certification.rules.cup import CupComponent
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import certificates, decisions
from confianza.kit.curp import build_curp
from confianza.registry.rules.officers import Sex
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import EvaluationKind, ExamType
from confianza.vetting.service import centres, evaluations, exams

OPERATOR = system_actor("evaluation-test-operator")
PASSWORD = "correct horse battery staple"
TODAY = date(2026, 11, 20)
# A not-approved decision's grounds and the appeal against it, in the words the pages show.
GROUNDS = "Toxicología positiva a cocaína confirmada por la segunda muestra del laboratorio."
APPEAL = "El elemento impugna la cadena de custodia de la muestra toxicológica tomada."

#: A passing result for each exam, in the fields the result forms and the API take.
PASS: dict[ExamType, dict[str, Any]] = {
    ExamType.TOXICOLOGY: {"chain_of_custody_id": "CC-2026-0001", "panel": {
        "cannabinoids": "negative", "cocaine": "negative", "amphetamines": "negative",
        "methamphetamines": "negative", "benzodiazepines": "negative"}},
    ExamType.POLYGRAPH: {"topics": ["drug_use", "bribery"], "outcome": "no_significant_reaction"},
    ExamType.PSYCHOLOGICAL: {"instruments": ["mmpi-2", "structured_interview"],
                             "outcome": "suitable"},
    ExamType.MEDICAL: {"outcome": "fit"},
    ExamType.SOCIOECONOMIC: {"declared_income": 18000, "assets": 250000, "debts": 40000,
                             "monthly_spending": 15000, "household_size": 4,
                             "outcome": "consistent"},
}


def failing(exam_type: ExamType) -> dict[str, Any]:
    result = dict(PASS[exam_type])
    if exam_type is ExamType.TOXICOLOGY:
        result["panel"] = {**result["panel"], "cocaine": "positive"}
    elif exam_type is ExamType.POLYGRAPH:
        result["outcome"] = "significant_reaction"
    elif exam_type is ExamType.PSYCHOLOGICAL:
        result["outcome"] = "not_suitable"
    elif exam_type is ExamType.MEDICAL:
        result["outcome"] = "unfit"
    else:
        result["outcome"] = "inconsistent"
    return result


def person(container: Container, role: Role, username: str, scope: Scope = Scope()) -> Actor:
    user = users.create_user(container.uow(), OPERATOR,
                             users.NewUser(username, username.title(), PASSWORD, role, scope))
    return Actor(user.id, username, role, scope, ActorKind.USER)


@dataclass
class World:
    container: Container
    agencies: dict[str, int]
    centre_id: int
    hr: Actor
    coordinator: Actor
    examiner: Actor
    second_examiner: Actor
    decider: Actor
    confirmer: Actor
    appeals_officer: Actor
    officer_id: int

    @property
    def uow(self) -> Any:
        return self.container.uow()

    def new_officer(self, given: str = "Ana Luisa", first: str = "Ortega",
                    second: str = "Vela", agency: str = "JAL-SSP") -> int:
        birth = date(1990, 5, 17)
        curp = build_curp(first, second, given, birth, "M", "JC")
        profile = officer_service.register_officer(
            self.container.uow(), OPERATOR,
            officer_service.NewOfficer(
                given, first, second, curp=curp, birth_date=birth, sex=Sex.FEMALE,
                assignment=officer_service.FirstAssignment(self.agencies[agency], "Policía",
                                                           date(2015, 1, 5)),
            ),
        )
        return profile.officer.id

    def request(self, officer_id: int | None = None,
                kind: EvaluationKind = EvaluationKind.PERMANENCE, **extra: Any) -> int:
        requested = evaluations.request_evaluation(
            self.container.uow(), self.hr,
            evaluations.EvaluationRequest(officer_id or self.officer_id,
                                          self.agencies["JAL-SSP"], kind, **extra),
         policy=self.container.policy)
        return requested.evaluation.id

    def schedule(self, evaluation_id: int, *, day: date = TODAY) -> None:
        """Book every exam with the main examiner, except the polygraph (second examiner)."""
        view = evaluations.get_evaluation(self.container.uow(), self.coordinator, evaluation_id)
        bookings = {
            e.exam_type: evaluations.ExamBooking(
                (self.second_examiner if e.exam_type is ExamType.POLYGRAPH
                 else self.examiner).user_id or 0, day)
            for e in view.exams
        }
        evaluations.schedule_evaluation(self.container.uow(), self.coordinator, evaluation_id,
                                        self.centre_id, bookings)

    def examiner_for(self, exam_type: ExamType) -> Actor:
        return self.second_examiner if exam_type is ExamType.POLYGRAPH else self.examiner

    def record_all(self, evaluation_id: int,
                   results: dict[ExamType, dict[str, Any]] | None = None) -> None:
        view = evaluations.get_evaluation(self.container.uow(), self.coordinator, evaluation_id)
        for exam in view.exams:
            fields = (results or {}).get(exam.exam_type, PASS[exam.exam_type])
            exams.record_exam(self.container.uow(), self.examiner_for(exam.exam_type),
                              evaluation_id, exam.exam_type, fields)

    def ready_for_decision(self, results: dict[ExamType, dict[str, Any]] | None = None,
                           officer_id: int | None = None) -> int:
        evaluation_id = self.request(officer_id)
        self.schedule(evaluation_id)
        self.record_all(evaluation_id, results)
        return evaluation_id

    def certify(self, officer_id: int | None = None) -> None:
        """Approve an officer's evaluation and record the other three components: a
        certificate valid until 2029-03-01 is issued, and with it a signed credential."""
        officer = officer_id or self.officer_id
        evaluation_id = self.ready_for_decision(officer_id=officer)
        decisions.decide(self.container.uow(), self.decider, evaluation_id,
                         Verdict.APPROVED, "",
                         policy=self.container.policy, issuer=self.container.issuer)
        for component, done, extra in (
            (CupComponent.SKILLS, date(2026, 6, 1), {"score": 88}),
            (CupComponent.PERFORMANCE, date(2026, 3, 1), {"score": 91}),
            (CupComponent.INITIAL_TRAINING, date(2015, 1, 1), {"hours": 972}),
        ):
            certificates.record_component(self.container.uow(), self.hr, officer, component,
                                          done,
                                          policy=self.container.policy,
                                          issuer=self.container.issuer, **extra)


def build_world(container: Container, agencies: dict[str, int]) -> World:
    detail = centres.create_centre(
        container.uow(), OPERATOR, "C3-JAL", "Centro Estatal de Control de Confianza de Jalisco",
        "14", dict.fromkeys(ExamType, 4),
    )
    centre_id = detail.centre.id
    jalisco = Scope(ScopeKind.STATE, "14")
    examiner = person(container, Role.EXAMINER, "examinador-uno", jalisco)
    second = person(container, Role.EXAMINER, "examinador-dos", jalisco)
    centres.set_examiner(container.uow(), OPERATOR, centre_id, examiner.user_id or 0,
                         frozenset(ExamType) - {ExamType.POLYGRAPH})
    centres.set_examiner(container.uow(), OPERATOR, centre_id, second.user_id or 0,
                         frozenset({ExamType.POLYGRAPH}))
    world = World(
        container, agencies, centre_id,
        hr=person(container, Role.AGENCY_HR, "rh-jalisco",
                  Scope(ScopeKind.AGENCY, agency_id=agencies["JAL-SSP"])),
        coordinator=person(container, Role.CENTRE_COORDINATOR, "coordinacion-jal", jalisco),
        examiner=examiner,
        second_examiner=second,
        decider=person(container, Role.CERTIFICATION_OFFICER, "certificador-uno", jalisco),
        confirmer=person(container, Role.CERTIFICATION_OFFICER, "certificador-dos", jalisco),
        appeals_officer=person(container, Role.CERTIFICATION_OFFICER, "certificador-tres"),
        officer_id=0,
    )
    world.officer_id = world.new_officer()
    return world


@pytest.fixture
def world(container: Container, agencies: dict[str, int]) -> World:
    return build_world(container, agencies)


def not_approved(world: World, officer_id: int | None = None) -> int:
    """An evaluation failed on toxicology, decided and confirmed: it takes effect today."""
    evaluation_id = world.ready_for_decision(
        {ExamType.TOXICOLOGY: failing(ExamType.TOXICOLOGY)}, officer_id)
    decisions.decide(world.uow, world.decider, evaluation_id, Verdict.NOT_APPROVED, GROUNDS,
                     policy=world.container.policy, issuer=world.container.issuer)
    decisions.confirm(world.uow, world.confirmer, evaluation_id, agree=True,
                      policy=world.container.policy, issuer=world.container.issuer)
    return evaluation_id
