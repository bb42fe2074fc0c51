"""`explain`: the share of a period's reads of officers' records that the registry's own
records explain, by rule and by role (issue 19 §1, ADR 0037).

Who may ask: `audit:entry:read` (auditors, administrators), national or scoped alike (the
figures are shares and counts: no officer is named in them). The period is civil days of the
deployment's zone, both included. The trail is read by entry id: the reads of the period, and
around them the lists shown the working day before (`WORK_WINDOW`) and the acts done up to a
fortnight after (`PURPOSE_WINDOW`), which explain reads at the period's edges. Asking is
itself audited (`audit:explanation:read`, with the period and the figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from confianza.access.rules.explanations import (
    PURPOSE_WINDOW,
    RULE_NAMES,
    WORK_WINDOW,
    Report,
    Rule,
    rules_named,
    tally,
)
from confianza.access.service.gathering import gather
from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.civil_time import start_of_day
from confianza.core.errors import FieldError, NotFound, ValidationFailed
from confianza.core.memory import collector_held_off
from confianza.trail.rules import AuditAction
from confianza.work import UnitOfWork


@dataclass(frozen=True)
class Explained:
    since: date
    until: date
    report: Report


def check_period(since: date, until: date, rules: Sequence[str]) -> tuple[Rule, ...]:
    """The rules asked for (all when none is named); every fault of the request at once."""
    errors: list[FieldError] = []
    if until < since:
        errors.append(FieldError("to", f"{until.isoformat()} is before the period's first day "
                                 f"{since.isoformat()}"))
    chosen: tuple[Rule, ...] = ()
    unknown = [name for name in rules if name not in RULE_NAMES]
    if unknown:
        errors.append(FieldError("rule", f"no rule is named {', '.join(map(repr, unknown))}; "
                                 f"the rules are {', '.join(RULE_NAMES)}"))
    else:
        chosen = rules_named(rules or RULE_NAMES)
    if errors:
        raise ValidationFailed(errors)
    return chosen


def explain(uow: UnitOfWork, actor: Actor, since: date, until: date,
            rules: Sequence[str] = ()) -> Explained:
    """Explain every read of an officer's record written from `since` to `until` (civil days,
    both included) with `rules` (all of them by default)."""
    chosen = check_period(since, until, rules)
    with collector_held_off(), uow.transaction() as tx:
        require(actor, Permission.AUDIT_READ, resource_type="audit")
        start = start_of_day(since, tx.zone)
        end = start_of_day(until + timedelta(days=1), tx.zone)
        store = tx.access
        low = store.first_entry_at(start - WORK_WINDOW)
        first = store.first_entry_at(start)
        last = store.first_entry_at(end)
        high = store.first_entry_at(end + PURPOSE_WINDOW)
        gathered = gather(store, low, first, last, high)
        reads = gathered.reads
        if not reads:
            raise NotFound(f"no read of an officer's record was written from "
                           f"{since.isoformat()} to {until.isoformat()}: nothing to explain")
        facts = store.facts({read.officer_id for read in reads}, start, end)
        gathered.into(facts)
        report = tally(reads, facts, chosen)
        tx.audit.record(actor, AuditAction.ACCESS_EXPLAIN, "audit", None, detail={
            "from": since.isoformat(), "to": until.isoformat(), "rules": list(report.rules),
            "reads": report.overall.reads, "explained": report.overall.explained,
            **actor.attribution()})
        return Explained(since, until, report)
