"""Fresh trust-control records for the permission matrix, one per call.

Each allowed call must find its record in the state the step needs: an evaluation to book, an
exam booked to the very examiner who calls, an evaluation awaiting a decision that the calling
certification officer took no part in, an appeal, a separation the agency may close. The steps
leading there are taken through the services by helper accounts, never by the matrix's own
accounts, so that separation of duties never refuses an allowed call.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

from confianza.accounts.rules.permissions import Actor, ActorKind, Role, Scope, system_actor
from confianza.accounts.service import users
from confianza.app.bootstrap import Container
from confianza.certification.rules.decisions import Verdict
from confianza.certification.service import appeals, decisions
from confianza.vetting.rules.evaluations import EvaluationKind, ExamType
from confianza.vetting.rules.exam_results import REQUIRED_SUBSTANCES
from confianza.vetting.rules.records import AppealStatus
from confianza.vetting.service import centres, evaluations, exams

OPERATOR = system_actor("trust-matrix-operator")
PASSWORD = "correct horse battery staple"
TEXT = "Grounds long enough for every rule that asks for them to be written down."
MEDICAL_PASS = {"outcome": "fit"}


def _results(exam_type: ExamType, failing: bool = False) -> dict[str, object]:
    """The smallest valid result of each exam (toxicology fails on cocaine when asked)."""
    if exam_type is ExamType.TOXICOLOGY:
        panel = dict.fromkeys(REQUIRED_SUBSTANCES, "negative")
        if failing:
            panel["cocaine"] = "positive"
        return {"chain_of_custody_id": "CC-MATRIX-1", "panel": panel}
    return {
        ExamType.POLYGRAPH: {"topics": ["bribery"], "outcome": "no_significant_reaction"},
        ExamType.PSYCHOLOGICAL: {"instruments": ["16pf"], "outcome": "suitable"},
        ExamType.MEDICAL: MEDICAL_PASS,
        ExamType.SOCIOECONOMIC: {"declared_income": 1, "assets": 1, "debts": 0,
                                 "monthly_spending": 1, "household_size": 1,
                                 "outcome": "consistent"},
    }[exam_type]


class TrustRecords:
    def __init__(self, container: Container, agency_id: int, usernames: dict[Role, str],
                 new_officer: Callable[[], int]) -> None:
        self.container = container
        self.agency_id = agency_id
        self.new_officer = new_officer
        self.serial = itertools.count()
        self.centre_id = centres.create_centre(
            container.uow(), OPERATOR, "MX-C3", "Centro de la matriz de permisos", "14",
            dict.fromkeys(ExamType, 5_000),
        ).centre.id
        self.examiner = self._person(Role.EXAMINER, "mx-examiner")
        self.placed = self._person(Role.EXAMINER, "mx-placed")
        self.decider = self._person(Role.CERTIFICATION_OFFICER, "mx-decider")
        self.confirmer = self._person(Role.CERTIFICATION_OFFICER, "mx-confirmer")
        self.appeals_officer = self._person(Role.CERTIFICATION_OFFICER, "mx-appeals")
        self._place(self.examiner)
        # The matrix's own examiner gets exams booked to them, so that their calls are allowed.
        self.matrix_examiner: Actor | None = None
        with container.uow().transaction() as tx:
            found = tx.users.by_username(usernames[Role.EXAMINER])
        if found is not None:
            user = found[0]
            self.matrix_examiner = Actor(user.id, user.username, Role.EXAMINER, Scope(),
                                         ActorKind.USER)
            self._place(self.matrix_examiner)

    def _person(self, role: Role, username: str) -> Actor:
        user = users.create_user(self.container.uow(), OPERATOR,
                                 users.NewUser(username, username, PASSWORD, role, Scope()))
        return Actor(user.id, username, role, Scope(), ActorKind.USER)

    def _place(self, examiner: Actor) -> None:
        centres.set_examiner(self.container.uow(), OPERATOR, self.centre_id,
                             examiner.user_id or 0, frozenset(ExamType))

    @property
    def today(self) -> date:
        return self.container.uow().today()

    def examiner_for(self, role: Role) -> Actor:
        if role is Role.EXAMINER and self.matrix_examiner is not None:
            return self.matrix_examiner
        return self.examiner

    # --- evaluations in each state ----------------------------------------------------------

    def requested(self) -> int:
        view = evaluations.request_evaluation(
            self.container.uow(), OPERATOR,
            evaluations.EvaluationRequest(self.new_officer(), self.agency_id,
                                          EvaluationKind.PERMANENCE),
         policy=self.container.policy)
        return view.evaluation.id

    def scheduled(self, role: Role = Role.AUDITOR) -> int:
        evaluation_id = self.requested()
        examiner = self.examiner_for(role)
        bookings = {t: evaluations.ExamBooking(examiner.user_id or 0, self.today)
                    for t in ExamType}
        evaluations.schedule_evaluation(self.container.uow(), OPERATOR, evaluation_id,
                                        self.centre_id, bookings)
        return evaluation_id

    def awaiting_decision(self, failing: bool = False) -> int:
        evaluation_id = self.scheduled()
        for exam_type in ExamType:
            exams.record_exam(self.container.uow(), self.examiner, evaluation_id, exam_type,
                              _results(exam_type, failing))
        return evaluation_id

    def awaiting_confirmation(self) -> int:
        evaluation_id = self.awaiting_decision(failing=True)
        decisions.decide(self.container.uow(), self.decider, evaluation_id,
                         Verdict.NOT_APPROVED, TEXT,
                         policy=self.container.policy, issuer=self.container.issuer)
        return evaluation_id

    def not_approved(self) -> int:
        evaluation_id = self.awaiting_confirmation()
        decisions.confirm(self.container.uow(), self.confirmer, evaluation_id, agree=True,
                          policy=self.container.policy, issuer=self.container.issuer)
        return evaluation_id

    def appeal(self) -> int:
        return appeals.file_appeal(self.container.uow(), OPERATOR, self.not_approved(),
                                   TEXT, policy=self.container.policy).id

    def separation(self) -> int:
        """An open separation whose appeal was upheld: the agency may close it now."""
        appeal_id = self.appeal()
        decided = appeals.decide_appeal(self.container.uow(), self.appeals_officer, appeal_id,
                                        AppealStatus.UPHELD, TEXT,
                                        policy=self.container.policy, issuer=self.container.issuer)
        view = evaluations.get_evaluation(self.container.uow(), OPERATOR, decided.evaluation_id)
        assert view.separation is not None
        return view.separation.id

    def notification(self) -> int:
        evaluation_id = self.not_approved()
        found = appeals.list_notifications(self.container.uow(), OPERATOR)
        return next(n.id for n in found if n.evaluation_id == evaluation_id)

    def attachment(self, role: Role) -> tuple[int, str]:
        evaluation_id = self.scheduled(role)
        digest = exams.attach_file(
            self.container.uow(), self.examiner_for(role), evaluation_id, ExamType.MEDICAL,
            "report.txt", "text/plain", f"report {next(self.serial)}".encode(),
        )
        return evaluation_id, digest
