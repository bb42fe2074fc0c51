"""One alert as the auditor's page shows it (issue 19 §3): the alert with its reads and marks,
and what the page needs beside it to judge them, read in the same transaction and recorded in
the same entry as `alerts.get_alert` records an alert opened.

Beside the alert: the civil time of the reader's office (the zone the `off_hours` signal
judged the reads in), the officers read by their listed names (the entry already names them),
and the reader's other alerts with how each was marked, so an auditor sees a second alert on
the same person as such. Nobody is told of the read: not the reader, not their manager.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

from confianza.access.rules.alerts import Alert, Outcome
from confianza.access.rules.facts import Reader
from confianza.access.rules.scoring import reader_zone
from confianza.access.service.alerts import alert_in_scope
from confianza.accounts.rules.permissions import Actor
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import UnitOfWork

#: The reader's other alerts shown beside one (the latest days first).
EARLIER = 20


@dataclass(frozen=True)
class ReaderHistory:
    """The reader's other alerts (at most `EARLIER`), and how they were marked."""

    alerts: list[Alert] = field(default_factory=list)

    def count(self, outcome: Outcome | str) -> int:
        return sum(1 for a in self.alerts if a.outcome == outcome)


@dataclass(frozen=True)
class AlertReview:
    alert: Alert
    zone: tzinfo  # the civil time of the reader's office
    zone_name: str
    officers: dict[int, str]  # officer id -> listed name, of the officers read
    reader_known: bool  # the account still exists (its role and scope are the current ones)
    history: ReaderHistory


def alert_review(uow: UnitOfWork, actor: Actor, alert_id: int) -> AlertReview:
    """One alert with its reads in the reader's civil time, the officers by name, and the
    reader's other alerts; recorded as an alert read (the reader, the officers named)."""
    with uow.transaction() as tx, refusals_recorded(
            actor, AuditAction.ACCESS_ALERT_READ, "access_alert", alert_id):
        found = alert_in_scope(tx, actor, alert_id)
        account = tx.users.by_username(found.reader)
        zone = tx.zone
        if account is not None:
            user = account[0]
            zone = reader_zone(Reader(user.username, user.id, user.role, user.scope), tx.zone)
        officer_ids = sorted({r.officer_id for r in found.read_list})
        names = {o.id: o.listed_name for o in tx.officers.many(officer_ids)}
        earlier = [a for a in tx.access.reader_alerts(found.reader, EARLIER + 1)
                   if a.id != alert_id][:EARLIER]
        tx.audit.record(actor, AuditAction.ACCESS_ALERT_READ, "access_alert", alert_id, detail={
            "reader": found.reader, "officers": officer_ids, "view": "page",
            "earlier": [a.id for a in earlier]})
        return AlertReview(found, zone, str(getattr(zone, "key", zone)), names,
                           account is not None, ReaderHistory(earlier))
