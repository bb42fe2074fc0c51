"""Appeals against not-approved decisions, and the separation processes they hold up.

An appeal is filed within the configured period after the confirmation; someone who took no
part in the evaluation (examined, decided or confirmed) decides it. A separation cannot be
completed while an appeal may still be filed or is pending: an officer must not lose their post
before the due process the law gives them has run.
"""

from __future__ import annotations

from datetime import date, timedelta

from confianza.accounts.rules.permissions import Actor, Holder, Permission
from confianza.accounts.service.authorization import require, require_person
from confianza.certification.rules.decisions import appeal_open
from confianza.certification.service.certificates import grant_trust_control
from confianza.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from confianza.core.pagination import INTEGER_MAX, Page, decode_cursor, encode_cursor
from confianza.credentials.rules.issuer import Issuer
from confianza.registry.rules.officers import OfficerStatus
from confianza.registry.service.agencies import holder_of
from confianza.registry.service.officers import apply_status
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.vetting.rules.evaluations import EvaluationStatus
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.vetting.rules.records import (
    Appeal,
    AppealStatus,
    Evaluation,
    Notification,
    SeparationProcess,
    SeparationStatus,
)
from confianza.vetting.service.evaluations import GONE, evaluation_holder, load, officer_of
from confianza.work import Transaction, UnitOfWork

GROUNDS_MIN = 30
NOTE_MIN = 10
NOTE_MAX = 4000
TEXT_MAX = 4000  # the grounds of an appeal and its resolution


def _deadline(evaluation: Evaluation, policy: WorkflowPolicy) -> date:
    assert evaluation.confirmed_on is not None  # a not-approved evaluation is confirmed
    return evaluation.confirmed_on + timedelta(days=policy.appeal_days)


def _text(value: str, where: str) -> str:
    text = value.strip()
    if len(text) < GROUNDS_MIN:
        raise ValidationFailed(FieldError(where, f"must be at least {GROUNDS_MIN} characters"))
    if len(text) > TEXT_MAX:
        raise ValidationFailed(FieldError(where, "is longer than 4,000 characters"))
    return text


def file_appeal(uow: UnitOfWork, actor: Actor, evaluation_id: int, grounds: str, *,
                policy: WorkflowPolicy) -> Appeal:
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.APPEAL_FILE, "evaluation", evaluation_id
    ):
        evaluation = load(tx, evaluation_id, lock=True)
        require(actor, Permission.APPEAL_FILE, evaluation_holder(tx, evaluation),
                resource_type="evaluation", resource_id=evaluation_id)
        if evaluation.status is not EvaluationStatus.NOT_APPROVED:
            raise InvalidTransition(f"evaluation {evaluation_id} is {evaluation.status}; only a "
                                    "confirmed not-approved decision can be appealed")
        if officer_of(tx, evaluation).status is OfficerStatus.DECEASED:
            raise Conflict("the officer is deceased")
        if (existing := tx.evaluations.appeal_of(evaluation_id)) is not None:
            raise Conflict(f"evaluation {evaluation_id} was already appealed on "
                           f"{existing.filed_on.isoformat()} (appeal {existing.id})")
        assert evaluation.confirmed_on is not None
        if not appeal_open(evaluation.confirmed_on, tx.today, policy.appeal_days):
            raise Conflict(f"the appeal period ended on {_deadline(evaluation, policy).isoformat()}"
                           f" ({policy.appeal_days} days after the decision took effect)")
        text = _text(grounds, "grounds")
        appeal_id = tx.evaluations.add_appeal(
            evaluation_id=evaluation_id, filed_by=actor.username, filed_on=tx.today,
            grounds=text, status=AppealStatus.OPEN,
        )
        tx.audit.record(actor, AuditAction.APPEAL_FILE, "appeal", appeal_id,
                        detail={"evaluation_id": evaluation_id,
                                "officer_id": evaluation.officer_id})
        found = tx.evaluations.appeal(appeal_id)
        assert found is not None
        return found


def decide_appeal(
    uow: UnitOfWork, actor: Actor, appeal_id: int, outcome: AppealStatus, resolution: str, *,
    policy: WorkflowPolicy, issuer: Issuer | None,
) -> Appeal:
    """Uphold the decision, or overturn it: the officer then counts as approved from the
    decision's date, returns to duty, and the separation process is withdrawn."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.APPEAL_DECIDE, "appeal", appeal_id
    ):
        appeal = tx.evaluations.appeal(appeal_id)
        if appeal is None:
            raise NotFound(f"appeal {appeal_id} does not exist")
        evaluation = load(tx, appeal.evaluation_id, lock=True)
        person = require_person(actor, Permission.APPEAL_DECIDE,
                                evaluation_holder(tx, evaluation),
                                resource_type="appeal", resource_id=appeal_id)
        if appeal.status is not AppealStatus.OPEN:
            raise InvalidTransition(f"appeal {appeal_id} was already decided ({appeal.status})")
        if outcome is AppealStatus.OPEN:
            raise ValidationFailed(FieldError("outcome", "must be upheld or overturned"))
        took_part = {evaluation.decided_by, evaluation.confirmed_by} | {
            e.examiner_id for e in tx.evaluations.exams(evaluation.id)
        }
        if person in took_part:
            raise Forbidden("you took part in this evaluation; someone who did not must decide "
                            "the appeal", code="took_part")
        text = _text(resolution, "resolution")
        if not tx.evaluations.decide_appeal(appeal_id, status=outcome, decided_by=person,
                                            decided_on=tx.today, resolution=text):
            raise InvalidTransition(f"appeal {appeal_id} was decided by another request")
        tx.audit.record(actor, AuditAction.APPEAL_DECIDE, "appeal", appeal_id,
                        detail={"outcome": outcome.value, "evaluation_id": evaluation.id})
        if outcome is AppealStatus.OVERTURNED:
            _overturn(tx, actor, evaluation, policy, issuer)
        _notify(tx, actor, evaluation, f"The appeal against evaluation {evaluation.id} was "
                f"{outcome.value}.")
        found = tx.evaluations.appeal(appeal_id)
        assert found is not None
        return found


def _overturn(tx: Transaction, actor: Actor, evaluation: Evaluation, policy: WorkflowPolicy,
              issuer: Issuer | None) -> None:
    assert evaluation.confirmed_on is not None
    valid_until = policy.validity.valid_until(evaluation.confirmed_on, evaluation.rank_level)
    tx.evaluations.update(evaluation.id, EvaluationStatus.APPROVED, valid_until=valid_until)
    grant_trust_control(tx, actor, evaluation.officer_id, evaluation.id,
                        evaluation.confirmed_on, valid_until, issuer)
    officer = officer_of(tx, evaluation)
    if officer.status is OfficerStatus.REMOVED_FROM_DUTY:
        apply_status(tx, actor, officer, OfficerStatus.ACTIVE,
                     f"appeal against evaluation {evaluation.id} overturned", tx.today,
                     detail={"evaluation_id": evaluation.id})
    process = tx.certification.separation_of(evaluation.id)
    if process is not None and process.status is SeparationStatus.OPEN:
        tx.certification.close_separation(process.id, SeparationStatus.WITHDRAWN, tx.today,
                                          "the appeal overturned the decision")
        tx.audit.record(actor, AuditAction.SEPARATION_CLOSE, "separation", process.id,
                        detail={"status": SeparationStatus.WITHDRAWN.value})


def _notify(tx: Transaction, actor: Actor, evaluation: Evaluation, message: str) -> None:
    notification_id = tx.certification.notify(
        agency_id=evaluation.agency_id, officer_id=evaluation.officer_id,
        evaluation_id=evaluation.id, kind="appeal", message=message, created_at=tx.now,
    )
    tx.audit.record(actor, AuditAction.AGENCY_NOTIFY, "notification", notification_id,
                    detail={"agency_id": evaluation.agency_id,
                            "officer_id": evaluation.officer_id})


def list_appeals(
    uow: UnitOfWork, actor: Actor, *, status: AppealStatus | None = None,
    cursor: str | None = None, limit: int = 50,
) -> Page[Appeal]:
    after = decode_cursor(cursor, largest=INTEGER_MAX)  # appeals have 32-bit keys
    with uow.transaction() as tx:
        if not (actor.has(Permission.APPEAL_DECIDE) or actor.has(Permission.APPEAL_FILE)):
            require(actor, Permission.APPEAL_DECIDE, resource_type="appeal")
        rows = tx.evaluations.appeals(status=status, scope=actor.scope,
                                      after=after[1] if after else None, limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        tx.audit.record(actor, AuditAction.EVALUATION_QUEUE_READ, "appeal", None,
                        detail={"results": [a.id for a in rows]})
        return Page(rows, encode_cursor(("", rows[-1].id)) if more and rows else None)


def close_separation(uow: UnitOfWork, actor: Actor, process_id: int, note: str, *,
                     policy: WorkflowPolicy) -> None:
    """Complete a separation process: the officer is separated and their assignments end."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.SEPARATION_CLOSE, "separation", process_id
    ):
        process = tx.certification.separation(process_id)
        if process is None:
            raise NotFound(f"separation process {process_id} does not exist")
        agency = tx.agencies.get(process.agency_id)
        require(actor, Permission.SEPARATION_MANAGE,
                holder_of(agency) if agency else Holder(), resource_type="separation",
                resource_id=process_id)
        if process.status is not SeparationStatus.OPEN:
            raise InvalidTransition(f"separation process {process_id} is already "
                                    f"{process.status}")
        # A separation an integrity case opened comes after its appeal was decided or its
        # period lapsed (ADR 0030): only an evaluation's separation waits for an appeal here.
        if process.evaluation_id is not None:
            _appeal_settled(tx, process.evaluation_id, policy)
        if len(note.strip()) < NOTE_MIN:
            raise ValidationFailed(FieldError("note", "say how the process ended (at least "
                                              f"{NOTE_MIN} characters)"))
        if len(note.strip()) > NOTE_MAX:
            raise ValidationFailed(FieldError("note", "is longer than 4,000 characters"))
        officer = tx.officers.get(process.officer_id)
        if officer is None:  # the foreign key makes this impossible; say so if it happens
            raise NotFound(f"officer {process.officer_id} does not exist")
        if officer.status not in GONE:
            opened_by: dict[str, object] = ({"evaluation_id": process.evaluation_id}
                         if process.evaluation_id is not None
                         else {"integrity_case_id": process.integrity_case_id})
            apply_status(tx, actor, officer, OfficerStatus.SEPARATED,
                         f"separation process {process_id}: {note.strip()[:200]}", tx.today,
                         detail=opened_by)
        tx.certification.close_separation(process_id, SeparationStatus.SEPARATED, tx.today,
                                          note.strip())
        tx.audit.record(actor, AuditAction.SEPARATION_CLOSE, "separation", process_id,
                        detail={"status": SeparationStatus.SEPARATED.value,
                                "officer_id": officer.id})


def _appeal_settled(tx: Transaction, evaluation_id: int, policy: WorkflowPolicy) -> None:
    """Refuse while the evaluation's appeal is pending or may still be filed."""
    evaluation = load(tx, evaluation_id, lock=True)
    appeal = tx.evaluations.appeal_of(evaluation.id)
    if appeal is not None and appeal.status is AppealStatus.OPEN:
        raise Conflict(f"appeal {appeal.id} is pending; the separation waits for its "
                       "decision")
    if appeal is None and evaluation.confirmed_on is not None and appeal_open(
        evaluation.confirmed_on, tx.today, policy.appeal_days
    ):
        raise Conflict("an appeal may still be filed until "
                       f"{_deadline(evaluation, policy).isoformat()}; the separation waits")


def list_separations(
    uow: UnitOfWork, actor: Actor, *, open_only: bool = True, agency_id: int | None = None,
    limit: int = 100,
) -> list[SeparationProcess]:
    with uow.transaction() as tx:
        require(actor, Permission.SEPARATION_MANAGE, resource_type="separation")
        rows = tx.certification.separations(open_only=open_only, scope=actor.scope,
                                            agency_id=agency_id, limit=limit)
        tx.audit.record(actor, AuditAction.EVALUATION_QUEUE_READ, "separation", None,
                        detail={"results": [p.id for p in rows]})
        return rows


def list_notifications(
    uow: UnitOfWork, actor: Actor, *, agency_id: int | None = None, unread_only: bool = False,
    limit: int = 100,
) -> list[Notification]:
    with uow.transaction() as tx:
        require(actor, Permission.EVALUATION_READ, resource_type="notification")
        rows = tx.certification.notifications(scope=actor.scope, agency_id=agency_id,
                                              unread_only=unread_only, limit=limit)
        tx.audit.record(actor, AuditAction.NOTIFICATION_READ, "notification", None,
                        detail={"results": [n.id for n in rows]})
        return rows


def mark_notification_read(uow: UnitOfWork, actor: Actor, notification_id: int) -> None:
    with uow.transaction() as tx:
        found = tx.certification.notification(notification_id)
        if found is None:
            raise NotFound(f"notification {notification_id} does not exist")
        agency = tx.agencies.get(found.agency_id)
        require(actor, Permission.SEPARATION_MANAGE, holder_of(agency) if agency else Holder(),
                resource_type="notification", resource_id=notification_id)
        if found.read_at is not None:
            return  # marked already (a second click): nothing changes, nothing to record
        tx.certification.mark_read(notification_id, tx.now)
        tx.audit.record(actor, AuditAction.NOTIFICATION_READ, "notification", notification_id,
                        detail={"marked_read": True})
