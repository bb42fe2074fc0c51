"""The officer timeline route: one list of the record's dated facts, each section only for the
roles entitled to it (the same service as the page).

A plain function, run in the thread pool (docs/adr/0007): with the accesses section it walks a
window of the audit trail, which is more than a few indexed statements.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit
from confianza.app.deps import ActorDep, UowDep
from confianza.timeline import service as timeline_service
from confianza.timeline.rules import Section
from confianza.timeline.schemas import TimelineOut

router = APIRouter(prefix="/officers", tags=["timeline"], route_class=ContractRoute)


@router.get("/{officer_id}/timeline", dependencies=[permit(P.OFFICER_READ)],
            response_model=TimelineOut)
def officer_timeline(
    officer_id: int, actor: ActorDep, uow: UowDep,
    section: Annotated[list[Section] | None, Query(
        description="Only these sections (repeat for several); every section the caller's "
                    "role may see when omitted.")] = None,
) -> TimelineOut:
    """An officer's assignments, evaluations, exam results, decisions, certificates, appeals
    and accesses, newest first: each section only for roles that read it (exam results for
    certification officers, accesses for auditors). The read is audited."""
    timeline = timeline_service.officer_timeline(uow, actor, officer_id, section)
    return TimelineOut.of(timeline)
