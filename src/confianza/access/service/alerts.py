"""The auditors' queue of alerts on unexplained reads (issue 19 §3, ADR 0037 addendum).

Only the holders of `audit:access_alert:review` (auditors) list, open and mark alerts, and
only those on readers inside their scope (a state's auditor: the accounts of that state and of
its agencies; the national accounts' alerts are the national auditors'); every
list, every alert opened and every mark is audited. A mark is justified, misuse or needing an
interview, always with a note; an alert may be marked again (an interview held, then decided),
and every mark is kept. Nobody else is told: the reader's manager hears of an alert from the
auditor, never from the system.
"""

from __future__ import annotations

from dataclasses import dataclass

from confianza.access.rules.alerts import MARKS, NOTE_MAX, Alert, Mark, Outcome, OutcomeReport
from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import FieldError, NotFound, ValidationFailed
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import Transaction, UnitOfWork

PAGE_SIZE = 50


@dataclass(frozen=True)
class AlertPage:
    items: list[Alert]
    report: OutcomeReport


def parse_outcome(text: str | None, location: str = "outcome") -> Outcome | None:
    if text is None or text == "":
        return None
    try:
        return Outcome(text)
    except ValueError:
        raise ValidationFailed(FieldError(location, f"{text!r} is not an outcome; the "
                                          f"outcomes are {', '.join(o.value for o in Outcome)}")
                               ) from None


def list_alerts(uow: UnitOfWork, actor: Actor, *, outcome: Outcome | None = None,
                after: int | None = None, limit: int = PAGE_SIZE) -> AlertPage:
    """Alerts newest first, of one outcome or all, and how the marks stand."""
    with uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.ACCESS_ALERTS_READ, "access_alert", None):
        require(actor, Permission.ACCESS_ALERT_REVIEW, resource_type="access_alert")
        items = tx.access.alerts(outcome, after, limit, actor.scope)
        report = OutcomeReport(tx.access.outcome_counts(actor.scope))
        tx.audit.record(actor, AuditAction.ACCESS_ALERTS_READ, "access_alert", None, detail={
            "outcome": outcome.value if outcome else None, "results": [a.id for a in items]})
        return AlertPage(items, report)


def get_alert(uow: UnitOfWork, actor: Actor, alert_id: int) -> Alert:
    """One alert: why, the reads behind it, every mark."""
    with uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.ACCESS_ALERT_READ, "access_alert", alert_id):
        found = alert_in_scope(tx, actor, alert_id)
        tx.audit.record(actor, AuditAction.ACCESS_ALERT_READ, "access_alert", alert_id, detail={
            "reader": found.reader, "officers": sorted({r.officer_id for r in found.read_list})})
        return found


def alert_in_scope(tx: Transaction, actor: Actor, alert_id: int) -> Alert:
    """The alert, when the actor may review alerts and its reader works inside the actor's
    scope: a state's auditor reviews the state's own staff (and its agencies'), not another
    state's nor the national accounts, whose alerts are the national auditors'."""
    require(actor, Permission.ACCESS_ALERT_REVIEW, resource_type="access_alert",
            resource_id=alert_id)
    found = tx.access.alert(alert_id)
    if found is None:
        raise NotFound(f"there is no alert {alert_id}")
    require(actor, Permission.ACCESS_ALERT_REVIEW, tx.access.reader_holder(found.reader),
            resource_type="access_alert", resource_id=alert_id)
    return found


def check_mark(outcome: str, note: str) -> tuple[Outcome, str]:
    errors: list[FieldError] = []
    chosen = next((m for m in MARKS if m.value == outcome), None)
    if not outcome.strip():
        errors.append(FieldError("outcome", "a mark needs an outcome: "
                                 f"{', '.join(m.value for m in MARKS)}"))
    elif chosen not in MARKS:
        errors.append(FieldError("outcome", f"{outcome!r} is not a mark; mark an alert "
                                 f"{', '.join(m.value for m in MARKS)}"))
    text = note.strip()
    if not text:
        errors.append(FieldError("note", "a mark needs a note saying what was found"))
    elif len(text) > NOTE_MAX:
        errors.append(FieldError("note", f"the note has {len(text)} characters; at most "
                                 f"{NOTE_MAX}"))
    if errors or chosen is None:
        raise ValidationFailed(errors)
    return chosen, text


def mark_alert(uow: UnitOfWork, actor: Actor, alert_id: int, outcome: str,
               note: str) -> Alert:
    """Mark an alert justified, misuse or needing an interview, with a note."""
    with uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.ACCESS_ALERT_MARK, "access_alert", alert_id):
        alert_in_scope(tx, actor, alert_id)
        chosen, text = check_mark(outcome, note)
        tx.access.mark(alert_id, Mark(chosen, text, actor.username, tx.now))
        tx.audit.record(actor, AuditAction.ACCESS_ALERT_MARK, "access_alert", alert_id,
                        detail={"outcome": chosen.value})
        marked = tx.access.alert(alert_id)
        assert marked is not None
        return marked
