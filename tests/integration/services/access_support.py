"""A small trail to read back: one officer (María, Jalisco) whose record was read, searched,
revealed (by a clerk and by internal affairs, each with a purpose) and evaluated, and a second
officer (Jorge, Nuevo León) whose entries must never leak into María's report.

Every actor is a real account, so the officer's report can name roles and agencies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from confianza.accounts.rules.permissions import (
    Actor,
    ActorKind,
    Role,
    Scope,
    ScopeKind,
    system_actor,
)
from confianza.accounts.service import users as user_service
from confianza.app.bootstrap import Container
from confianza.kit.curp import build_curp
from confianza.registry.rules.officers import Contact, ContactKind, Sex
from confianza.registry.service import officers as officer_service
from confianza.vetting.rules.evaluations import EvaluationKind
from confianza.vetting.service import evaluations as evaluation_service

PASSWORD = "frase-de-prueba-larga-2026"
OPERATOR = system_actor("access-operator")
CLERK_PURPOSE = "Actualización del expediente de personal"
IA_PURPOSE = "Citatorio en la investigación AI-2026-017"


@dataclass(frozen=True)
class Accesses:
    maria: int
    maria_curp: str
    jorge: int
    evaluation_id: int
    clerk: Actor
    internal_affairs: Actor
    hr: Actor  # agency HR of Jalisco (state scope)
    auditor: Actor


def person(container: Container, username: str, role: Role, scope: Scope = Scope()) -> Actor:
    user = user_service.create_user(container.uow(), OPERATOR, user_service.NewUser(
        username, username.title(), PASSWORD, role, scope))
    return Actor(user.id, username, role, scope, ActorKind.USER)


def seed_accesses(container: Container, agencies: dict[str, int]) -> Accesses:
    uow = container.uow()
    clerk = person(container, "clerk", Role.REGISTRY_CLERK)
    ia = person(container, "ia.agent", Role.INTERNAL_AFFAIRS)
    hr = person(container, "jal.hr", Role.AGENCY_HR, Scope(ScopeKind.STATE, "14"))
    auditor = person(container, "auditor", Role.AUDITOR)
    birth = date(1988, 3, 14)
    curp = build_curp("Peña", "Ruiz", "María Fernanda", birth, "M", "JC")
    maria = officer_service.register_officer(uow, OPERATOR, officer_service.NewOfficer(
        given_names="María Fernanda", first_surname="Peña", second_surname="Ruiz",
        birth_date=birth, sex=Sex.FEMALE, curp=curp,
        assignment=officer_service.FirstAssignment(agencies["JAL-SSP"], "Policía",
                                                   date(2012, 1, 16)),
    )).officer.id
    jorge = officer_service.register_officer(uow, OPERATOR, officer_service.NewOfficer(
        given_names="Jorge", first_surname="Treviño", second_surname="Garza",
        assignment=officer_service.FirstAssignment(agencies["NL-FC"], "Policía",
                                                   date(2015, 2, 1)),
    )).officer.id
    officer_service.set_contacts(uow, OPERATOR, maria, [
        Contact(ContactKind.PHONE, "+52 33 1234 5678", "móvil")])
    officer_service.reveal_contacts(uow, clerk, maria, CLERK_PURPOSE)
    officer_service.reveal_contacts(uow, ia, maria, IA_PURPOSE)
    officer_service.search_officers(uow, clerk, officer_service.OfficerQuery(name="Peña"))
    officer_service.search_officers(uow, clerk, officer_service.OfficerQuery(name="Treviño"))
    officer_service.get_officer(uow, clerk, jorge)
    evaluation_id = evaluation_service.request_evaluation(uow, hr, evaluation_service.
        EvaluationRequest(maria, agencies["JAL-SSP"], EvaluationKind.PERMANENCE),
                                                          policy=container.policy).evaluation.id
    evaluation_service.get_evaluation(uow, hr, evaluation_id)
    return Accesses(maria, curp, jorge, evaluation_id, clerk, ia, hr, auditor)
