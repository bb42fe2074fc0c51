"""The co-accusal network of the stored cases: one officer's co-accused, and the groups of a
period and scope (issue 17, item 5; ADR 0031 for the graph, ADR 0033 for where it is read from).

Need-to-know: the network is read by internal affairs and its supervisors, within their scope;
every read writes an entry, and a refused one leaves its own. The graph work is
`rules.network` (networkx); this module only chooses which stored cases it is given: for one
officer, the cases naming them and then those naming their closest partners (enough for the
partners' ties to each other), never the whole store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from confianza.accounts.rules.permissions import Actor, Permission
from confianza.accounts.service.authorization import require
from confianza.core.errors import FieldError, NotFound, ValidationFailed
from confianza.integrity.rules.imported import StoredInvolvement, accused_label
from confianza.integrity.rules.network import (
    CoAccusals,
    Group,
    Involvement,
    Method,
    Ranking,
    SmallGraph,
    Window,
)
from confianza.trail.rules import AuditAction
from confianza.trail.service.refusals import refusals_recorded
from confianza.work import Transaction, UnitOfWork

#: Partners drawn on the record page's graph (the list shows them all).
GRAPH_PARTNERS = 25
GROUPS_SHOWN = 50


@dataclass(frozen=True)
class NetworkWindow:
    """Which stored complaints count: a period (inclusive), civilian ones only unless
    `all_sources`, and the fewest complaints two accused must share."""

    since: date | None = None
    until: date | None = None
    min_shared: int = 1
    all_sources: bool = False

    def window(self) -> Window:
        try:
            return Window(self.since, self.until, not self.all_sources, self.min_shared)
        except ValueError as exc:
            where = "min_shared" if "min_shared" in str(exc) else "since"
            raise ValidationFailed(FieldError(where, str(exc))) from exc

    def detail(self) -> dict[str, object]:
        return {"since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "min_shared": self.min_shared, "all_sources": self.all_sources}


@dataclass(frozen=True)
class CoAccused:
    key: str  # o:<id> for an officer of the registry, u:... for an unmatched accused
    label: str
    officer_id: int | None
    shared: int
    sustained_together: int
    complaints: tuple[tuple[str, date | None], ...]  # (complaint key, date), oldest first


@dataclass(frozen=True)
class OfficerNetwork:
    officer_id: int
    label: str
    complaints: int  # the officer's complaints in the window
    partners: list[CoAccused]
    graph: SmallGraph = field(default_factory=SmallGraph)


@dataclass(frozen=True)
class GroupView:
    group: Group
    members: tuple[tuple[str, str], ...]  # (key, label)


@dataclass(frozen=True)
class NetworkGroups:
    accused: int  # accused in the stored cases of the scope
    groups: list[GroupView]
    total: int  # groups found (more than shown when the limit cuts)


def _index(found: Iterable[StoredInvolvement]) -> CoAccusals:
    # In one order whatever the database returned: Louvain's seeded groups depend on it.
    return CoAccusals(Involvement(i.complaint, i.day, i.civilian, i.accused, i.finding)
                      for i in sorted(found, key=lambda i: (i.complaint, i.accused)))


def _officer_of(key: str) -> int | None:
    kind, _, rest = key.partition(":")
    return int(rest) if kind == "o" and rest.isdigit() else None


def _labels(tx: Transaction, keys: Iterable[str]) -> dict[str, str]:
    keys = list(keys)
    officers = tx.integrity.officer_labels(
        {i for k in keys if (i := _officer_of(k)) is not None})
    return {k: accused_label(k, officers) for k in keys}


def officer_network(uow: UnitOfWork, actor: Actor, officer_id: int,
                    query: NetworkWindow = NetworkWindow()) -> OfficerNetwork:
    """Who the officer was accused with in the stored cases, how often, when and in which
    complaints, with the small graph of them and their closest partners."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.NETWORK_READ, "officer", officer_id
    ):
        require(actor, Permission.NETWORK_READ, resource_type="officer", resource_id=officer_id)
        # A window that is no window (since after until) is refused after the role, and
        # audited as a refused read (ADR 0010, 0018).
        window = query.window()
        if tx.officers.get(officer_id) is None:
            raise NotFound(f"officer {officer_id} does not exist")
        require(actor, Permission.NETWORK_READ, tx.officers.holder(officer_id),
                resource_type="officer", resource_id=officer_id)
        me = f"o:{officer_id}"
        first = tx.integrity.involvements(actor.scope, officers=[officer_id])
        partners = _index(first).partners(me, window)
        closest = [p.accused for p in partners[:GRAPH_PARTNERS]]
        more = tx.integrity.involvements(
            actor.scope, officers=[i for k in closest if (i := _officer_of(k)) is not None],
            accused=[k for k in closest if _officer_of(k) is None]) if closest else []
        network = _index([*first, *more])
        labels = _labels(tx, [me, *(p.accused for p in partners)])
        graph = network.neighbourhood(me, window, limit=GRAPH_PARTNERS, labels=labels)
        found = OfficerNetwork(
            officer_id, labels[me], len(network.complaints_of(me, window)),
            [CoAccused(p.accused, labels[p.accused], _officer_of(p.accused), p.shared,
                       p.sustained_together, p.complaints) for p in partners], graph)
        tx.audit.record(actor, AuditAction.NETWORK_READ, "officer", officer_id, detail={
            **query.detail(), "partners": len(found.partners),
            "complaints": found.complaints, **actor.attribution()})
        return found


def network_groups(uow: UnitOfWork, actor: Actor, query: NetworkWindow = NetworkWindow(
        min_shared=2), *, method: Method = Method.COMMUNITIES, ranking: Ranking = Ranking.SIZE,
        limit: int = GROUPS_SHOWN, offset: int = 0) -> NetworkGroups:
    """The groups of the stored cases in the caller's scope over the window, ranked by size or
    by sustained findings; `limit` of them from the `offset`-th (a page of the ranking)."""
    with uow.transaction() as tx, refusals_recorded(
        actor, AuditAction.NETWORK_READ, "integrity_network", None
    ):
        require(actor, Permission.NETWORK_READ, resource_type="integrity_network")
        window = query.window()  # refused after the role, and audited
        network = _index(tx.integrity.involvements(actor.scope, everyone=True))
        groups = network.groups(window, method=method, ranking=ranking)
        shown = groups[max(0, offset):max(0, offset) + max(1, limit)]
        labels = _labels(tx, {m for g in shown for m in g.members})
        found = NetworkGroups(network.accused, [
            GroupView(g, tuple((m, labels[m]) for m in g.members)) for g in shown], len(groups))
        tx.audit.record(actor, AuditAction.NETWORK_READ, "integrity_network", None, detail={
            **query.detail(), "method": method.value, "ranking": ranking.value,
            "groups": len(groups), "scope": actor.scope.describe(), **actor.attribution()})
        return found
