"""The supervisors' review queue: the flags of their scope, why, the history behind each,
and what they did about it (ADR 0034).

Flags, scores and factors are need-to-know: agency HR of an agency holding the officer (its
scope covering the officer's open postings) sees them, each read audited in its transaction;
anyone else is refused, and the refusal is audited. A review records what was done and
whether the flag was useful; a special trust-control evaluation is requested through the
vetting workflow in the same transaction, so the review and the request stand or fall
together. Nothing here changes an officer's status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from confianza.accounts.rules.permissions import Actor, Holder, Permission, ScopeKind
from confianza.accounts.service.authorization import require
from confianza.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from confianza.risk.rules.history import OfficerHistory
from confianza.risk.rules.records import (
    Flag,
    Review,
    ReviewOutcome,
    RuleEvaluation,
    Run,
    ScoringMethod,
    StoredModel,
    Usefulness,
    rule_evaluation,
)
from confianza.risk.service.models import until_of
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.vetting.rules.policy import WorkflowPolicy
from confianza.vetting.service.evaluations import open_special_evaluation
from confianza.work import Transaction, UnitOfWork

NOTE_MIN = 10
NOTE_MAX = 4000


@dataclass(frozen=True)
class Queue:
    run: Run | None
    flags: list[Flag]
    #: The model trained last (promoted or not): what the page says when nobody is scored,
    #: or when the threshold rule flagged instead.
    model: StoredModel | None = None


@dataclass(frozen=True)
class FlagView:
    """A flag with the history behind it, as the registry held it on the day it is read."""

    flag: Flag
    run: Run
    history: OfficerHistory
    as_of: date
    places: dict[str, str]  # the postings' keys in words ("Unidad Centro (JAL-SSP)")

    def place(self, key: str) -> str:
        return self.places.get(key, key)


def holder(flag: Flag) -> Holder:
    return Holder(flag.agency_ids, flag.state_codes)


def queue(uow: UnitOfWork, actor: Actor) -> Queue:
    """The latest run's flags the actor's scope covers, highest first."""
    with uow.transaction() as tx:
        require(actor, Permission.RISK_REVIEW, resource_type="risk_queue")
        run = tx.risk.latest_run()
        if run is None:
            tx.audit.record(actor, AuditAction.RISK_QUEUE_READ, "risk_run", None,
                            detail={"shown": [], **actor.attribution()})
            return Queue(None, [], tx.risk.latest_model())
        flags = [f for f in tx.risk.flags(run.id) if actor.scope.covers(holder(f))]
        tx.audit.record(actor, AuditAction.RISK_QUEUE_READ, "risk_run", run.id, detail={
            "shown": [f.officer_id for f in flags], **actor.attribution()})
        return Queue(run, flags, tx.risk.latest_model() if run.by_rule else None)


def _flag(tx: Transaction, actor: Actor, score_id: int, permission: Permission) -> Flag:
    found = tx.risk.score(score_id)
    if found is None or not found.flagged:
        raise NotFound(f"flag {score_id} does not exist")
    require(actor, permission, holder(found), resource_type="risk_flag",
            resource_id=score_id)
    return found


def flag(uow: UnitOfWork, actor: Actor, score_id: int) -> FlagView:
    """One flag, its factors and the officer's history behind it (complaints, postings,
    trust control), the read audited."""
    with uow.transaction() as tx:
        found = _flag(tx, actor, score_id, Permission.RISK_REVIEW)
        today = tx.today
        history = tx.risk.history(today, until_of(tx, today), found.officer_id)
        officer = history.population.officers[0]
        run = tx.risk.run(found.run_id)
        assert run is not None  # a score belongs to its run (a foreign key)
        places = tx.risk.places([p.unit for p in officer.postings])
        tx.audit.record(actor, AuditAction.RISK_FLAG_READ, "officer", found.officer_id,
                        detail={"score_id": score_id, "run_id": found.run_id,
                                **actor.attribution()})
        return FlagView(found, run, officer, today, places)


def _check_note(note: str) -> str:
    text = note.strip()
    if not NOTE_MIN <= len(text) <= NOTE_MAX:
        raise ValidationFailed(FieldError("note", f"must say what was done and why, in "
                                          f"{NOTE_MIN} to {NOTE_MAX} characters"))
    return text


def review(uow: UnitOfWork, actor: Actor, score_id: int, outcome: ReviewOutcome,
           useful: bool, note: str, *, policy: WorkflowPolicy) -> Review:
    """Record what was done about a flag; a special evaluation is requested with it."""
    with uow.transaction() as tx, refusals_recorded(actor, AuditAction.RISK_REVIEW,
                                                    "risk_flag", score_id):
        found = _flag(tx, actor, score_id, Permission.RISK_REVIEW)
        text = _check_note(note)
        if found.review is not None:
            raise Conflict(f"flag {score_id} was already reviewed by "
                           f"{found.review.reviewed_by}", code="already_reviewed")
        evaluation_id = None
        if outcome is ReviewOutcome.SPECIAL_EVALUATION:
            require(actor, Permission.EVALUATION_REQUEST, holder(found),
                    resource_type="officer", resource_id=found.officer_id)
            agency_id = _requesting_agency(actor, found)
            evaluation_id = open_special_evaluation(
                tx, actor, found.officer_id, agency_id,
                f"Intervención temprana: revisión de la alerta {score_id}. {text}",
                policy=policy)
        review_id = tx.risk.add_review(
            score_id=score_id, officer_id=found.officer_id, outcome=outcome, useful=useful,
            note=text, evaluation_id=evaluation_id, reviewer_id=actor.user_id,
            reviewed_by=actor.username, reviewed_at=tx.now)
        tx.audit.record(actor, AuditAction.RISK_REVIEW, "risk_flag", score_id, detail={
            "review_id": review_id, "officer_id": found.officer_id, "outcome": outcome.value,
            "useful": useful, "evaluation_id": evaluation_id, **actor.attribution()})
        stored = tx.risk.score(score_id)
        assert stored is not None and stored.review is not None
        return stored.review


def _requesting_agency(actor: Actor, found: Flag) -> int:
    """The agency that asks for the special evaluation: the reviewer's own, else the one
    agency holding the officer."""
    if actor.scope.kind is ScopeKind.AGENCY and actor.scope.agency_id is not None:
        return actor.scope.agency_id
    if len(found.agency_ids) == 1:
        return next(iter(found.agency_ids))
    raise ValidationFailed(FieldError("outcome", "the officer holds no single posting from "
                                      "which to request a special evaluation"))


@dataclass(frozen=True)
class Report:
    """The flags found useful over every run and by the method that raised them, and, when
    the threshold rule has flagged, the rule's own evaluation beside it (counts, no names)."""

    usefulness: Usefulness
    by_method: dict[ScoringMethod, Usefulness]
    #: The last run made by the threshold rule, if any.
    rule_run: Run | None
    #: What the evaluation kept with the latest model said of the rule (None: none kept).
    rule_evaluation: RuleEvaluation | None

    @property
    def rule_measured(self) -> bool:
        """Whether the evaluation shown is of the rule that flagged (same count, months)."""
        return (self.rule_run is not None and self.rule_evaluation is not None
                and self.rule_evaluation.measures(self.rule_run.rule_count,
                                                  self.rule_run.rule_months))


def report(uow: UnitOfWork, actor: Actor) -> Report:
    """How many flags were reviewed and found useful, over every run and per method, with
    the threshold rule's evaluation (counts, no names)."""
    with uow.transaction() as tx:
        require(actor, Permission.RISK_REPORT, resource_type="risk_report")
        found = Report(tx.risk.usefulness(),
                       {m: tx.risk.usefulness(method=m) for m in ScoringMethod},
                       tx.risk.latest_run(ScoringMethod.THRESHOLD),
                       rule_evaluation(tx.risk.latest_model()))
        tx.audit.record(actor, AuditAction.RISK_REPORT_READ, "risk_report", None,
                        detail={**actor.attribution()})
        return found
