"""The co-accusal network: officers accused together in the same complaint (issue 17, item 5).

Pure; networkx does the graph work. The input is one `Involvement` per accused and complaint
(an officer of the registry, `o:<id>`, or an accused the linking left unmatched, `u:...`, who
stays in the network as their own node); from it:

- `CoAccusals.partners`: for one accused, who they were accused with, how often, when and in
  which complaints;
- `CoAccusals.groups`: the groups internal affairs looks at — Louvain communities (default:
  on Chicago the components at two shared complaints hold one blob of 613 officers) or
  connected components of the graph whose edges are pairs with at least `min_shared`
  complaints together, civilian complaints only unless asked, within a period — ranked by size
  or by sustained findings;
- `CoAccusals.neighbourhood`: a small graph for the record page, nodes and weighted edges in a
  JSON-able form with positions computed here (a radial layout: no script, no numpy), and
  `svg` to draw it on the server.

The index is built once (about a second for all of Chicago) and answers an officer's
network from it without building the whole graph; ADR 0031 gives the figures.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import combinations
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    # networkx is imported where a graph is built (`graph`, `groups`), not with the module:
    # every process imports this one (the history records of early intervention name
    # `Involvement`), and networkx costs a fifth of a second and megabytes at each start.
    import networkx as nx

SUSTAINED = "sustained"
#: Louvain is randomised: a fixed seed gives the same groups on every run of the same data.
SEED = 2018


@dataclass(frozen=True, slots=True)
class Involvement:
    """One accused in one complaint, with the complaint's date and channel and the accused's
    finding there (the most serious of their allegations: sustained if any is)."""

    complaint: str
    day: date | None
    civilian: bool
    accused: str
    finding: str


@dataclass(frozen=True)
class Window:
    """Which complaints count: a period (inclusive; a complaint without a date counts only
    when no period is asked), civilian complaints only unless asked, and the fewest complaints
    two accused must share to be joined in the groups."""

    since: date | None = None
    until: date | None = None
    civilian_only: bool = True
    min_shared: int = 2

    def __post_init__(self) -> None:
        if self.min_shared < 1:
            raise ValueError("min_shared must be at least 1")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"the period starts ({self.since}) after it ends ({self.until})")

    def admits(self, day: date | None, civilian: bool) -> bool:
        if self.civilian_only and not civilian:
            return False
        if self.since is None and self.until is None:
            return True
        if day is None:
            return False
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until)


class Method(StrEnum):
    COMPONENTS = "components"
    COMMUNITIES = "communities"  # Louvain, on the shared-complaint weights


class Ranking(StrEnum):
    SIZE = "size"
    SUSTAINED = "sustained"


@dataclass(frozen=True, slots=True)
class Partner:
    """Someone accused together with the officer asked about."""

    accused: str
    shared: int
    complaints: tuple[tuple[str, date | None], ...]  # (key, date), oldest first
    sustained_together: int  # shared complaints in which both had a sustained finding


@dataclass(frozen=True, slots=True)
class Group:
    members: tuple[str, ...]
    complaints: int  # complaints naming at least two members
    sustained: int  # sustained findings of members in those complaints
    edges: int

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class SmallGraph:
    """What the record page draws: JSON-able nodes and edges, positions in a 0..1 square."""

    nodes: list[dict[str, object]] = field(default_factory=list)
    edges: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"nodes": self.nodes, "edges": self.edges}


_Complaint = tuple[date | None, bool, tuple[tuple[str, bool], ...]]


class CoAccusals:
    """An index of who was accused in which complaint, to answer network questions."""

    def __init__(self, involvements: Iterable[Involvement]) -> None:
        accused: dict[str, dict[str, bool]] = defaultdict(dict)
        meta: dict[str, tuple[date | None, bool]] = {}
        for item in involvements:
            sustained = item.finding == SUSTAINED
            seen = accused[item.complaint]
            seen[item.accused] = seen.get(item.accused, False) or sustained
            meta.setdefault(item.complaint, (item.day, item.civilian))
        self._complaints: dict[str, _Complaint] = {
            key: (*meta[key], tuple(sorted(people.items()))) for key, people in accused.items()}
        by_accused: dict[str, list[str]] = defaultdict(list)
        for key, (_, _, people) in self._complaints.items():
            for who, _ in people:
                by_accused[who].append(key)
        self._by_accused = dict(by_accused)

    def __contains__(self, accused: str) -> bool:
        return accused in self._by_accused

    @property
    def accused(self) -> int:
        return len(self._by_accused)

    def complaints_of(self, accused: str, window: Window) -> list[str]:
        return [k for k in self._by_accused.get(accused, ())
                if window.admits(*self._complaints[k][:2])]

    def partners(self, accused: str, window: Window = Window(min_shared=1)) -> list[Partner]:
        """Who `accused` was accused with and how often (at least `window.min_shared`), the
        most frequent first."""
        together: dict[str, list[tuple[str, date | None, bool]]] = defaultdict(list)
        for key in self.complaints_of(accused, window):
            day, _, people = self._complaints[key]
            mine = dict(people)[accused]
            for who, sustained in people:
                if who != accused:
                    together[who].append((key, day, mine and sustained))
        found = [
            Partner(who, len(items),
                    tuple(sorted(((k, d) for k, d, _ in items), key=_by_day)),
                    sum(1 for *_, both in items if both))
            for who, items in together.items() if len(items) >= window.min_shared]
        return sorted(found, key=lambda p: (-p.shared, -p.sustained_together, p.accused))

    def _pairs(self, window: Window) -> Counter[tuple[str, str]]:
        """Complaints shared by each pair of accused in the window."""
        pairs: Counter[tuple[str, str]] = Counter()
        for day, civilian, people in self._complaints.values():
            if len(people) < 2 or not window.admits(day, civilian):
                continue
            pairs.update(combinations([who for who, _ in people], 2))
        return pairs

    def graph(self, window: Window = Window()) -> nx.Graph[str]:
        """The accused joined by an edge when they share at least `min_shared` complaints in
        the window; the edge's weight is how many."""
        import networkx as nx

        pairs = self._pairs(window)
        g: nx.Graph[str] = nx.Graph()
        g.add_weighted_edges_from((a, b, n) for (a, b), n in pairs.items()
                                  if n >= window.min_shared)
        return g

    def groups(self, window: Window = Window(), *, method: Method = Method.COMMUNITIES,
               ranking: Ranking = Ranking.SIZE, minimum_size: int = 2) -> list[Group]:
        """The groups of the network in the window, ranked (ties: the other ranking, then the
        members' keys)."""
        import networkx as nx

        g = self.graph(window)
        if method is Method.COMMUNITIES:
            parts: Iterable[set[str]] = nx.community.louvain_communities(
                g, weight="weight", seed=SEED)
        else:
            parts = nx.connected_components(g)
        member_of: dict[str, int] = {}
        members: list[tuple[str, ...]] = []
        for part in parts:
            if len(part) >= minimum_size:
                for who in part:
                    member_of[who] = len(members)
                members.append(tuple(sorted(part)))
        complaints = [0] * len(members)
        sustained = [0] * len(members)
        for day, civilian, people in self._complaints.values():
            if len(people) < 2 or not window.admits(day, civilian):
                continue
            by_group: dict[int, list[bool]] = defaultdict(list)
            for who, was_sustained in people:
                if (index := member_of.get(who)) is not None:
                    by_group[index].append(was_sustained)
            for index, findings in by_group.items():
                if len(findings) >= 2:
                    complaints[index] += 1
                    sustained[index] += sum(findings)
        found = [Group(m, complaints[i], sustained[i], g.subgraph(m).number_of_edges())
                 for i, m in enumerate(members)]
        if ranking is Ranking.SIZE:
            return sorted(found, key=lambda x: (-x.size, -x.sustained, x.members))
        return sorted(found, key=lambda x: (-x.sustained, -x.size, x.members))

    def neighbourhood(self, accused: str, window: Window = Window(min_shared=1), *,
                      limit: int = 25, labels: Mapping[str, str] | None = None) -> SmallGraph:
        """The officer and their `limit` most frequent partners, with the edges among all of
        them, laid out radially: the officer in the middle, closer partners nearer."""
        partners = self.partners(accused, window)[:limit]
        if not partners and accused not in self:
            return SmallGraph()
        keys = [accused, *(p.accused for p in partners)]
        inside = set(keys)
        weights: Counter[tuple[str, str]] = Counter()
        sustained: Counter[str] = Counter()
        counted: Counter[str] = Counter()
        for key in self.complaints_of(accused, window):
            _, _, people = self._complaints[key]
            present = [(w, s) for w, s in people if w in inside]
            for who, was in present:
                counted[who] += 1
                sustained[who] += was
            weights.update((min(accused, w), max(accused, w)) for w, _ in present
                           if w != accused)
        # Ties between two partners come from complaints of theirs the officer is not in too.
        for a, b in combinations(sorted(inside - {accused}), 2):
            shared = len(set(self.complaints_of(a, window)) & set(self.complaints_of(b, window)))
            weights[(a, b)] = shared
        positions = _radial(accused, partners)
        names = labels or {}
        nodes: list[dict[str, object]] = [
            {"id": key, "label": names.get(key, key), "officer": key.startswith("o:"),
             "complaints": counted[key] if key != accused else len(
                 self.complaints_of(accused, window)),
             "sustained": sustained[key], "x": positions[key][0], "y": positions[key][1]}
            for key in keys]
        edges: list[dict[str, object]] = [
            {"source": a, "target": b, "weight": n}
            for (a, b), n in sorted(weights.items()) if n >= 1]
        return SmallGraph(nodes, edges)


def _by_day(item: tuple[str, date | None]) -> tuple[date, str]:
    return (item[1] or date.min, item[0])


def _radial(centre: str, partners: Sequence[Partner]) -> dict[str, tuple[float, float]]:
    """The officer at (0.5, 0.5); partners on a circle, strongest ties nearest (radius 0.2 to
    0.45), spread evenly by angle in order of strength so that the eye reads it round."""
    positions = {centre: (0.5, 0.5)}
    if not partners:
        return positions
    most = max(p.shared for p in partners)
    for i, partner in enumerate(partners):
        angle = 2 * math.pi * i / len(partners) - math.pi / 2
        radius = 0.45 - 0.25 * (partner.shared - 1) / max(most - 1, 1)
        positions[partner.accused] = (round(0.5 + radius * math.cos(angle), 4),
                                      round(0.5 + radius * math.sin(angle), 4))
    return positions


def svg(graph: SmallGraph, *, size: int = 320, title: str = "") -> str:
    """The small graph drawn as an SVG document (server-side; the page needs no script).
    Edge width grows with the shared complaints; a node with a sustained finding is ringed."""
    def at(value: object) -> float:
        return round(float(value) * (size - 40) + 20, 1)  # type: ignore[arg-type]

    where = {str(n["id"]): (at(n["x"]), at(n["y"])) for n in graph.nodes}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
             f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for edge in graph.edges:
        (x1, y1), (x2, y2) = where[str(edge["source"])], where[str(edge["target"])]
        width = min(1 + int(str(edge["weight"])), 8)
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#777" '
                     f'stroke-width="{width}"><title>{int(str(edge["weight"]))}</title></line>')
    for node in graph.nodes:
        x, y = where[str(node["id"])]
        ring = ' stroke="#b00" stroke-width="3"' if int(str(node["sustained"])) else ""
        fill = "#246" if node["officer"] else "#999"
        parts.append(f'<circle cx="{x}" cy="{y}" r="7" fill="{fill}"{ring}>'
                     f'<title>{escape(str(node["label"]))}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)
