"""Use cases of the certification officer: decide, confirm, and the consequences.

Who examined does not decide; a not-approved decision takes effect only when a second officer
confirms it, and then at once: the officer is removed from operational duty, the agency is
notified, a separation process opens and the certificate is revoked, all in the transaction of
the confirmation.
"""

from __future__ import annotations

from datetime import timedelta

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require_person
from confianza.certification.rules.decisions import (
    Verdict,
    check_confirmation,
    check_decision,
    integrate,
)
from confianza.certification.service.certificates import grant_trust_control, refresh_certificate
from confianza.core.errors import Conflict, FieldError, InvalidTransition, ValidationFailed
from confianza.credentials.rules.issuer import Issuer
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service.officers import apply_status
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.vetting.rules.evaluations import EvaluationStatus
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.vetting.rules.records import Evaluation, SeparationStatus
from confianza.vetting.service.evaluations import (
    GONE,
    EvaluationView,
    evaluation_holder,
    load,
    officer_of,
    view,
)
from confianza.work import Transaction, UnitOfWork

NOTE_MIN = 10
NOTE_MAX = 4000


def _examiners(tx: Transaction, evaluation: Evaluation) -> frozenset[str]:
    return frozenset(str(e.examiner_id) for e in tx.evaluations.exams(evaluation.id)
                     if e.examiner_id is not None)


def _refuse_if_gone(tx: Transaction, evaluation: Evaluation) -> None:
    officer = officer_of(tx, evaluation)
    if officer.status in GONE:
        raise Conflict(f"officer {officer.id} is {officer.status}: no decision can be taken "
                       "about them")


def decide(
    uow: UnitOfWork, actor: Actor, evaluation_id: int, verdict: Verdict, grounds: str, *,
    policy: WorkflowPolicy, issuer: Issuer | None,
) -> EvaluationView:
    """Approve, or propose not to approve (which waits for a second officer)."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EVALUATION_DECIDE, "evaluation", evaluation_id
    ):
        evaluation = load(tx, evaluation_id, lock=True)
        decider = require_person(actor, Permission.EVALUATION_DECIDE,
                                 evaluation_holder(tx, evaluation),
                                 resource_type="evaluation", resource_id=evaluation_id)
        _refuse_if_gone(tx, evaluation)
        exams = tx.evaluations.exams(evaluation_id)
        if evaluation.status in (EvaluationStatus.REQUESTED, EvaluationStatus.SCHEDULED):
            missing = ", ".join(e.exam_type for e in exams if not e.recorded)
            raise InvalidTransition(f"evaluation {evaluation_id} cannot be decided before every "
                                    f"exam is in (missing: {missing})", code="exams_missing")
        if evaluation.status is not EvaluationStatus.AWAITING_DECISION:
            raise InvalidTransition(f"evaluation {evaluation_id} is {evaluation.status}: it was "
                                    "already decided", code="already_decided")
        if len(grounds) > 4000:
            raise ValidationFailed(FieldError("grounds", "is longer than 4,000 characters"))
        results = {e.exam_type: e.outcome or "" for e in exams}
        integration = integrate(frozenset(results), results)
        check_decision(integration, verdict, str(decider), _examiners(tx, evaluation), grounds)
        written = grounds.strip() or None
        if verdict is Verdict.APPROVED:
            valid_until = policy.validity.valid_until(tx.today, evaluation.rank_level)
            tx.evaluations.update(evaluation_id, EvaluationStatus.APPROVED, verdict=verdict,
                                  decided_by=decider, decided_on=tx.today, grounds=written,
                                  valid_until=valid_until, closed_at=tx.now)
            grant_trust_control(tx, actor, evaluation.officer_id, evaluation_id, tx.today,
                                valid_until, issuer)
        else:
            tx.evaluations.update(evaluation_id, EvaluationStatus.AWAITING_CONFIRMATION,
                                  verdict=verdict, decided_by=decider, decided_on=tx.today,
                                  grounds=written)
        tx.audit.record(actor, AuditAction.EVALUATION_DECIDE, "evaluation", evaluation_id,
                        detail={"verdict": verdict.value, "officer_id": evaluation.officer_id})
        return view(tx, load(tx, evaluation_id), results=True)


def confirm(
    uow: UnitOfWork, actor: Actor, evaluation_id: int, *, agree: bool, note: str = "",
    policy: WorkflowPolicy, issuer: Issuer | None,
) -> EvaluationView:
    """The second officer's step on a not-approved decision: confirm it (it takes effect) or
    return it to be decided again, saying why."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.EVALUATION_CONFIRM, "evaluation", evaluation_id
    ):
        evaluation = load(tx, evaluation_id, lock=True)
        confirmer = require_person(actor, Permission.EVALUATION_DECIDE,
                                   evaluation_holder(tx, evaluation),
                                   resource_type="evaluation", resource_id=evaluation_id)
        if evaluation.status is not EvaluationStatus.AWAITING_CONFIRMATION:
            raise InvalidTransition(f"evaluation {evaluation_id} is {evaluation.status}: no "
                                    "decision awaits confirmation")
        _refuse_if_gone(tx, evaluation)
        check_confirmation(str(evaluation.decided_by), str(confirmer),
                           _examiners(tx, evaluation))
        if len(note.strip()) > NOTE_MAX:
            raise ValidationFailed(FieldError("note", "is longer than 4,000 characters"))
        if not agree:
            if len(note.strip()) < NOTE_MIN:
                raise ValidationFailed(FieldError("note", "say why the decision goes back (at "
                                                  f"least {NOTE_MIN} characters)"))
            tx.evaluations.clear_decision(evaluation_id, EvaluationStatus.AWAITING_DECISION)
            tx.audit.record(actor, AuditAction.EVALUATION_RETURN, "evaluation", evaluation_id,
                            detail={"decided_by": evaluation.decided_by,
                                    "note": note.strip()[:500]})
            return view(tx, load(tx, evaluation_id), results=True)
        tx.evaluations.update(evaluation_id, EvaluationStatus.NOT_APPROVED,
                              confirmed_by=confirmer, confirmed_on=tx.today, closed_at=tx.now)
        tx.audit.record(actor, AuditAction.EVALUATION_CONFIRM, "evaluation", evaluation_id,
                        detail={"verdict": Verdict.NOT_APPROVED.value,
                                "officer_id": evaluation.officer_id})
        apply_not_approved(tx, actor, load(tx, evaluation_id), policy, issuer)
        return view(tx, load(tx, evaluation_id), results=True)


def apply_not_approved(tx: Transaction, actor: Actor, evaluation: Evaluation,
                       policy: WorkflowPolicy, issuer: Issuer | None) -> None:
    """What a confirmed not-approved decision sets in motion, in the same transaction."""
    officer = officer_of(tx, evaluation)
    tx.certification.set_standing(
        officer.id, last_evaluation_id=evaluation.id,
        last_verdict=Verdict.NOT_APPROVED, last_decided_on=tx.today, approved_until=None,
    )
    refresh_certificate(tx, actor, officer.id, issuer=issuer, ending="revoked")
    serving = [a for a in tx.officers.assignments(officer.id) if a.end_date is None]
    if officer.status in (OfficerStatus.ACTIVE, OfficerStatus.SUSPENDED) and serving:
        apply_status(tx, actor, officer, OfficerStatus.REMOVED_FROM_DUTY,
                     f"not approved in evaluation {evaluation.id}", tx.today,
                     detail={"evaluation_id": evaluation.id})
        tx.audit.record(actor, AuditAction.OFFICER_REMOVED_FROM_DUTY, "officer", officer.id,
                        detail={"evaluation_id": evaluation.id})
    agencies = sorted({a.agency_id for a in serving} | {evaluation.agency_id})
    if serving:
        process_id = tx.certification.add_separation(
            officer_id=officer.id, agency_id=serving[0].agency_id,
            evaluation_id=evaluation.id, opened_on=tx.today, status=SeparationStatus.OPEN,
        )
        tx.audit.record(actor, AuditAction.SEPARATION_OPEN, "separation", process_id,
                        detail={"officer_id": officer.id, "evaluation_id": evaluation.id})
    deadline = tx.today + timedelta(days=policy.appeal_days)
    message = (
        f"Officer {officer.id} was not approved in evaluation {evaluation.id}. "
        + ("They are removed from operational duty as of today and a separation process is "
           "open. " if serving else "They may not be appointed. ")
        + f"An appeal may be filed until {deadline.isoformat()}."
    )
    for agency_id in agencies:
        notification_id = tx.certification.notify(
            agency_id=agency_id, officer_id=officer.id, evaluation_id=evaluation.id,
            kind="not_approved", message=message, created_at=tx.now,
        )
        tx.audit.record(actor, AuditAction.AGENCY_NOTIFY, "notification", notification_id,
                        detail={"agency_id": agency_id, "officer_id": officer.id})
