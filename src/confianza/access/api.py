"""The auditors' queue over HTTP: the alerts, one alert with its reads, and a mark."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from confianza.access.rules.alerts import Outcome
from confianza.access.schemas import AlertOut, AlertPageOut, MarkIn, OutcomesOut
from confianza.access.service import alerts
from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, UowDep

router = APIRouter(prefix="/access/alerts", tags=["access"], route_class=ContractRoute)


@router.get("", dependencies=[permit(P.ACCESS_ALERT_REVIEW)], response_model=AlertPageOut)
def list_alerts(
    actor: ActorDep, uow: UowDep, outcome: Outcome | None = None,
    after: Annotated[int | None, Query(ge=0, description="The last id of the previous page")]
    = None,
    limit: Annotated[int, Query(ge=1, le=500)] = alerts.PAGE_SIZE,
) -> AlertPageOut:
    """Alerts on unexplained reads, newest first (auditors only), and how the marks stand."""
    page = alerts.list_alerts(uow, actor, outcome=outcome, after=after, limit=limit)
    return AlertPageOut(items=[AlertOut.of(a) for a in page.items],
                        outcomes=OutcomesOut.of(page.report),
                        next_after=page.items[-1].id if len(page.items) == limit else None)


@router.get("/{alert_id}", dependencies=[permit(P.ACCESS_ALERT_REVIEW)],
            response_model=AlertOut, responses=problems(404))
def get_alert(alert_id: int, actor: ActorDep, uow: UowDep) -> AlertOut:
    """One alert: why, the reads behind it and every mark."""
    return AlertOut.of(alerts.get_alert(uow, actor, alert_id))


@router.post("/{alert_id}/outcome", dependencies=[permit(P.ACCESS_ALERT_REVIEW)],
             response_model=AlertOut, responses=problems(404))
def mark_alert(alert_id: int, body: MarkIn, actor: ActorDep, uow: UowDep) -> AlertOut:
    """Mark the alert justified, misuse or needing an interview, with a note."""
    return AlertOut.of(alerts.mark_alert(uow, actor, alert_id, body.outcome, body.note))
