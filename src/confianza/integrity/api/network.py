"""The co-accusal network over HTTP (issue 17, item 5): one officer's co-accused and the
groups of the stored cases.

The route declares the role's permission; the service checks scope and need-to-know and
writes the audit entry of every read (and of a refused one). The groups are computed whole
and answered a page at a time (`offset`, `limit`), the ranking fixed by the seeded method.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from confianza.accounts.rules.permissions import Permission as P
from confianza.app.contract import ContractRoute, permit, problems
from confianza.app.deps import ActorDep, UowDep
from confianza.integrity.rules.network import Method, Ranking
from confianza.integrity.schemas.network import NetworkGroupsOut, OfficerNetworkOut
from confianza.integrity.service.network import NetworkWindow, network_groups, officer_network

router = APIRouter(tags=["integrity"], route_class=ContractRoute)

GROUPS_MAX = 200
Since = Annotated[date | None, Query(description="First day of the period (inclusive)")]
Until = Annotated[date | None, Query(description="Last day of the period (inclusive)")]
AllSources = Annotated[bool, Query(description="Count complaints of every channel, not only "
                                   "civilian ones")]


@router.get("/officers/{officer_id}/co-accused", dependencies=[permit(P.NETWORK_READ)],
            response_model=OfficerNetworkOut, responses=problems(404))
def co_accused(
    officer_id: int, actor: ActorDep, uow: UowDep, since: Since = None, until: Until = None,
    min_shared: Annotated[int, Query(ge=1, le=1000)] = 1, all_sources: AllSources = False,
) -> OfficerNetworkOut:
    """Who the officer was accused with in the stored complaints, how often, when and in
    which complaints (most frequent first), with the small graph of them and their closest
    partners. Internal affairs within its scope only; the read is audited."""
    window = NetworkWindow(since, until, min_shared, all_sources)
    return OfficerNetworkOut.of(officer_network(uow, actor, officer_id, window), window)


@router.get("/integrity/network", dependencies=[permit(P.NETWORK_READ)],
            response_model=NetworkGroupsOut)
def groups(
    actor: ActorDep, uow: UowDep, since: Since = None, until: Until = None,
    min_shared: Annotated[int, Query(ge=1, le=1000)] = 2, all_sources: AllSources = False,
    method: Method = Method.COMMUNITIES, ranking: Ranking = Ranking.SIZE,
    limit: Annotated[int, Query(ge=1, le=GROUPS_MAX)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> NetworkGroupsOut:
    """The groups of officers accused together in the caller's scope (Louvain communities or
    connected components of pairs sharing at least `min_shared` complaints), ranked by size
    or by sustained findings; `total` says how many, `groups` holds `limit` from `offset`."""
    window = NetworkWindow(since, until, min_shared, all_sources)
    found = network_groups(uow, actor, window, method=method, ranking=ranking, limit=limit,
                           offset=offset)
    return NetworkGroupsOut.of(found, window, method, ranking, offset, limit)
