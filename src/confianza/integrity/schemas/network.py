"""API bodies of the co-accusal network (issue 17, item 5; ADR 0031, 0033): one officer's
co-accused with the small graph, and a page of the ranked groups.

An accused is named by a key: `o:<id>` for an officer of the registry (with `officer_id`),
`u:...` for an accused the import left unmatched, who stays a node of their own.
"""

from __future__ import annotations

from datetime import date

from confianza.core.web.schemas import Output
from confianza.integrity.rules.network import Method, Ranking
from confianza.integrity.service.network import (
    CoAccused,
    GroupView,
    NetworkGroups,
    NetworkWindow,
    OfficerNetwork,
)


def _officer_of(key: str) -> int | None:
    kind, _, rest = key.partition(":")
    return int(rest) if kind == "o" and rest.isdigit() else None


class WindowOut(Output):
    """The window the answer was computed over, as asked (defaults filled in)."""

    since: date | None
    until: date | None
    min_shared: int
    all_sources: bool

    @classmethod
    def of(cls, window: NetworkWindow) -> WindowOut:
        return cls(since=window.since, until=window.until, min_shared=window.min_shared,
                   all_sources=window.all_sources)


class ComplaintOut(Output):
    key: str
    day: date | None


class CoAccusedOut(Output):
    key: str
    label: str
    officer_id: int | None
    shared: int
    sustained_together: int
    complaints: list[ComplaintOut]

    @classmethod
    def of(cls, found: CoAccused) -> CoAccusedOut:
        return cls(key=found.key, label=found.label, officer_id=found.officer_id,
                   shared=found.shared, sustained_together=found.sustained_together,
                   complaints=[ComplaintOut(key=k, day=d) for k, d in found.complaints])


class GraphNodeOut(Output):
    id: str
    label: str
    officer: bool
    complaints: int
    sustained: int
    x: float
    y: float


class GraphEdgeOut(Output):
    source: str
    target: str
    weight: int


class GraphOut(Output):
    """The officer and their closest partners, positions in a 0..1 square (officer centred)."""

    nodes: list[GraphNodeOut]
    edges: list[GraphEdgeOut]


class OfficerNetworkOut(Output):
    officer_id: int
    label: str
    window: WindowOut
    complaints: int
    partners: list[CoAccusedOut]
    graph: GraphOut

    @classmethod
    def of(cls, found: OfficerNetwork, window: NetworkWindow) -> OfficerNetworkOut:
        return cls(officer_id=found.officer_id, label=found.label, window=WindowOut.of(window),
                   complaints=found.complaints,
                   partners=[CoAccusedOut.of(p) for p in found.partners],
                   graph=GraphOut.model_validate(found.graph.as_json()))


class MemberOut(Output):
    key: str
    label: str
    officer_id: int | None


class GroupOut(Output):
    size: int
    complaints: int  # complaints naming at least two members
    sustained: int  # sustained findings of members in those complaints
    edges: int
    members: list[MemberOut]

    @classmethod
    def of(cls, view: GroupView) -> GroupOut:
        g = view.group
        return cls(size=g.size, complaints=g.complaints, sustained=g.sustained, edges=g.edges,
                   members=[MemberOut(key=k, label=label, officer_id=_officer_of(k))
                            for k, label in view.members])


class NetworkGroupsOut(Output):
    window: WindowOut
    method: Method
    ranking: Ranking
    accused: int  # accused in the stored cases of the caller's scope
    total: int  # groups found; `groups` is the page from `offset`
    offset: int
    limit: int
    groups: list[GroupOut]

    @classmethod
    def of(cls, found: NetworkGroups, window: NetworkWindow, method: Method, ranking: Ranking,
           offset: int, limit: int) -> NetworkGroupsOut:
        return cls(window=WindowOut.of(window), method=method, ranking=ranking,
                   accused=found.accused, total=found.total, offset=offset, limit=limit,
                   groups=[GroupOut.of(v) for v in found.groups])
