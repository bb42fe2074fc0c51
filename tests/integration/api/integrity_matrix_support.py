"""Fresh integrity cases for the permission matrix, one per call (ADR 0030).

Each allowed call must find its case in the stage the step needs, with the calling account
among the case's people for the duty it exercises: the internal-affairs account as the
investigator, the honour commission's as the decider (or the appeal's decider). The steps
leading there are taken by the console operator (who may drive an investigation) and by helper
accounts of the commission (decisions take a named person), never by the matrix's own
accounts, so that the safeguards never refuse an allowed call.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, system_actor
from confianza.accounts.service import users
from confianza.app.bootstrap import Container
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
from confianza.integrity.rules.stages import Stage
from confianza.integrity.service import cases, decisions, process
from confianza.integrity.service.cases import NewAllegation, NewCase, NewSource
from confianza.integrity.service.decisions import Relied
from confianza.work import UnitOfWork

OPERATOR = system_actor("integrity-matrix-operator")
PASSWORD = "correct horse battery staple"
TEXT = "Grounds long enough for every rule that asks for them to be written down."


class IntegrityRecords:
    def __init__(self, container: Container, agency_id: int, usernames: dict[Role, str],
                 officer: Callable[[], int]) -> None:
        self.container = container
        self.agency_id = agency_id
        self.officer = officer
        self.counter = itertools.count()
        self.helpers = {name: self._helper(name, role) for name, role in (
            ("investigator", Role.INTERNAL_AFFAIRS), ("decider", Role.HONOUR_COMMISSION),
            ("decider2", Role.HONOUR_COMMISSION), ("appeal", Role.HONOUR_COMMISSION))}
        with container.uow().transaction() as tx:
            self.matrix = {role: found[0].id for role, name in usernames.items()
                           if (found := tx.users.by_username(name)) is not None}

    def _helper(self, name: str, role: Role) -> Actor:
        user = users.create_user(self.container.uow(), OPERATOR, users.NewUser(
            f"integrity-helper-{name}", name.title(), PASSWORD, role, Scope()))
        return Actor(user.id, user.username, role, Scope(), ActorKind.USER)

    @property
    def uow(self) -> UnitOfWork:
        return self.container.uow()

    def opened(self, *, coerced: bool = False) -> int:
        sources = [NewSource(SourceChannel.CITIZEN_COMPLAINT, Reliability.B,
                             Credibility.PROBABLY_TRUE, "Relata el cobro de una cuota.",
                             date(2026, 1, 2), reporter_name="Rosa Pérez")]
        new = NewCase(self.agency_id, "Cobro de cuotas en el retén.", tuple(sources), (
            NewAllegation(AllegationKind.BRIBERY, "Cobró 500 pesos en el retén.", (0,),
                          officer_id=self.officer()),))
        return cases.open_case(self.uow, OPERATOR, new).case.id

    def _assign(self, case_id: int, who: int, duty: Duty) -> None:
        cases.assign(self.uow, OPERATOR, case_id, who, duty)

    def case(self, role: Role, upto: Stage, *, evidence: bool = True, linked: bool = True,
             coerced: bool = False, finding: FindingKind | None = None,
             sanctioned: bool = False, appeal_role: bool = False) -> int:
        """A case brought to `upto`, with the calling role's account among its people."""
        case_id = self.opened()
        ia = self.matrix.get(role, 0) if role is Role.INTERNAL_AFFAIRS else 0
        ia = ia or self.helpers["investigator"].user_id or 0
        if upto is Stage.INTAKE:
            return case_id
        self._assign(case_id, ia, Duty.INVESTIGATOR)
        hc = self.matrix.get(Role.HONOUR_COMMISSION)
        self._assign(case_id, self.helpers["decider"].user_id or 0, Duty.DECIDER)
        if role is Role.HONOUR_COMMISSION and hc is not None:
            self._assign(case_id, hc, Duty.APPEAL_DECIDER if appeal_role else Duty.DECIDER)
        if upto is Stage.ASSIGNED:
            return case_id
        process.issue_notice(self.uow, OPERATOR, case_id)
        if upto is Stage.NOTIFIED:
            return case_id
        process.serve_notice(self.uow, OPERATOR, case_id, date(2026, 11, 20))
        if upto is Stage.ANSWER_PERIOD:
            return case_id
        read = cases.read_case(self.uow, OPERATOR, case_id)
        source_id = read.sources[0].id
        allegation_id = read.allegations[0].allegation.id
        process.record_answer(self.uow, OPERATOR, case_id, "Niego los hechos del retén.",
                              (source_id,) if coerced else ())
        evidence_id = None
        if evidence:
            evidence_id = process.add_evidence(
                self.uow, OPERATOR, case_id, "acta.pdf", "application/pdf",
                f"%PDF acta {next(self.counter)}".encode(), "Acta de hechos del MP.")
            if linked:
                process.add_link(self.uow, OPERATOR, case_id, allegation_id,
                                 LinkKind.SUPPORTS, evidence_id=evidence_id)
        if upto is Stage.EVIDENCE:
            return case_id
        process.submit_for_decision(self.uow, OPERATOR, case_id)
        if finding is not None:
            relied = [Relied(SupportKind.SOURCE, source_id)]
            if evidence_id is not None:
                relied.append(Relied(SupportKind.EVIDENCE, evidence_id))
            decisions.record_finding(self.uow, self.helpers["decider"], case_id,
                                     allegation_id, finding, TEXT, relied)
        if sanctioned:
            officer_id = read.allegations[0].allegation.officer_id or 0
            decisions.record_sanction(self.uow, self.helpers["decider"], case_id, officer_id,
                                      SanctionKind.REPRIMAND, TEXT)
            if upto is Stage.APPEAL:
                decisions.file_appeal(self.uow, OPERATOR, case_id, TEXT)
        return case_id

    def allegation(self, case_id: int) -> int:
        return cases.read_case(self.uow, OPERATOR, case_id).allegations[0].allegation.id

    def evidence(self, case_id: int) -> int:
        return cases.read_case(self.uow, OPERATOR, case_id).evidence[0].id

    def waiting_finding(self, role: Role) -> tuple[int, int]:
        """A case whose sustained finding, resting on a statement said to be coerced, waits
        for its second decider: the calling role's account."""
        case_id = self.case(role, Stage.FINDING, coerced=True, finding=FindingKind.SUSTAINED)
        found = cases.read_case(self.uow, OPERATOR, case_id).allegations[0].finding
        assert found is not None
        return case_id, found.id
