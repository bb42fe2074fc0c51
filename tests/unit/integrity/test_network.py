"""The co-accusal network on small hand-built complaints: partners, groups, filters, the graph."""

from __future__ import annotations

from datetime import date

import pytest

from confianza.integrity.rules.network import (
    CoAccusals,
    Involvement,
    Method,
    Ranking,
    Window,
    svg,
)


def _complaints(*rows: tuple[str, date | None, bool, tuple[str, ...], tuple[str, ...]]
                ) -> CoAccusals:
    """(complaint, date, civilian, accused, those of them sustained)."""
    return CoAccusals(
        Involvement(key, day, civilian, who, "sustained" if who in sustained else "unfounded")
        for key, day, civilian, accused, sustained in rows for who in accused)


D = date(2020, 1, 1)
# Two crews: A-B-C accused together twice, and D-E twice (one of them departmental), plus
# a once-only pair B-F and an unmatched accused u:X who shares two complaints with D.
NETWORK = _complaints(
    ("c1", date(2019, 3, 1), True, ("o:A", "o:B", "o:C"), ("o:A",)),
    ("c2", date(2020, 6, 1), True, ("o:A", "o:B", "o:C"), ("o:A", "o:B")),
    ("c3", date(2021, 1, 1), True, ("o:B", "o:F"), ()),
    ("c4", date(2019, 5, 5), True, ("o:D", "o:E", "u:X"), ("o:D", "o:E", "u:X")),
    ("c5", date(2022, 5, 5), False, ("o:D", "o:E"), ()),
    ("c6", date(2022, 7, 7), True, ("o:D", "u:X"), ()),
    ("c7", None, True, ("o:A",), ()),
)


def test_partners_say_who_how_often_when_and_where() -> None:
    partners = NETWORK.partners("o:B")
    assert [(p.accused, p.shared) for p in partners] == [("o:A", 2), ("o:C", 2), ("o:F", 1)]
    a = partners[0]
    assert a.complaints == (("c1", date(2019, 3, 1)), ("c2", date(2020, 6, 1)))
    assert a.sustained_together == 1  # only in c2 were both sustained
    assert NETWORK.partners("o:B", Window(min_shared=2))[-1].accused == "o:C"
    assert NETWORK.partners("o:nobody") == []


def test_civilian_only_by_default_and_all_when_asked() -> None:
    assert [(p.accused, p.shared) for p in NETWORK.partners("o:E")] == [("o:D", 1), ("u:X", 1)]
    everything = NETWORK.partners("o:E", Window(civilian_only=False, min_shared=1))
    assert ("o:D", 2) in [(p.accused, p.shared) for p in everything]


def test_a_period_limits_the_complaints_and_drops_undated_ones() -> None:
    assert NETWORK.complaints_of("o:A", Window()) == ["c1", "c2", "c7"]
    in_2020 = Window(since=date(2020, 1, 1), until=date(2020, 12, 31))
    assert NETWORK.complaints_of("o:A", in_2020) == ["c2"]
    assert NETWORK.partners("o:A", Window(since=date(2020, 1, 1), min_shared=1))[0].shared == 1
    with pytest.raises(ValueError, match="starts"):
        Window(since=date(2021, 1, 1), until=date(2020, 1, 1))
    with pytest.raises(ValueError, match="min_shared"):
        Window(min_shared=0)


@pytest.mark.parametrize("method", list(Method))
def test_groups_need_two_shared_complaints_and_keep_unmatched_accused(method: Method) -> None:
    groups = NETWORK.groups(Window(), method=method)
    assert [g.members for g in groups] == [("o:A", "o:B", "o:C"), ("o:D", "u:X")]
    crew = groups[0]
    assert (crew.size, crew.complaints, crew.sustained, crew.edges) == (3, 2, 3, 3)
    assert groups[1].complaints == 2 and groups[1].sustained == 2


def test_departmental_complaints_join_a_group_only_when_asked() -> None:
    groups = NETWORK.groups(Window(civilian_only=False), method=Method.COMPONENTS)
    assert ("o:D", "o:E", "u:X") in [g.members for g in groups]


def test_groups_rank_by_size_or_by_sustained_findings() -> None:
    net = _complaints(
        ("k1", D, True, ("o:A", "o:B", "o:C"), ()), ("k2", D, True, ("o:A", "o:B", "o:C"), ()),
        ("k3", D, True, ("o:X", "o:Y"), ("o:X", "o:Y")),
        ("k4", D, True, ("o:X", "o:Y"), ("o:X",)),
    )
    assert [g.size for g in net.groups(ranking=Ranking.SIZE)] == [3, 2]
    assert [g.members for g in net.groups(ranking=Ranking.SUSTAINED)] == [
        ("o:X", "o:Y"), ("o:A", "o:B", "o:C")]


def test_communities_split_two_crews_joined_by_one_bridge() -> None:
    # Two cliques of four, each pair accused together three times, joined by one pair twice:
    # one component, two communities.
    rows = []
    for crew in (("o:1", "o:2", "o:3", "o:4"), ("o:5", "o:6", "o:7", "o:8")):
        rows += [(f"{crew[0]}-{i}", D, True, crew, ()) for i in range(3)]
    rows += [(f"bridge-{i}", D, True, ("o:4", "o:5"), ()) for i in range(2)]
    net = _complaints(*rows)
    assert [g.size for g in net.groups(method=Method.COMPONENTS)] == [8]
    assert [g.members for g in net.groups(method=Method.COMMUNITIES)] == [
        ("o:1", "o:2", "o:3", "o:4"), ("o:5", "o:6", "o:7", "o:8")]


def test_the_small_graph_is_json_and_draws_as_svg() -> None:
    graph = NETWORK.neighbourhood("o:B", labels={"o:A": "ANA <RUIZ>"})
    data = graph.as_json()
    nodes = {n["id"]: n for n in data["nodes"]}  # type: ignore[attr-defined]
    assert set(nodes) == {"o:A", "o:B", "o:C", "o:F"}
    assert (nodes["o:B"]["x"], nodes["o:B"]["y"]) == (0.5, 0.5)
    assert nodes["o:A"]["label"] == "ANA <RUIZ>" and nodes["o:A"]["sustained"] == 2
    assert all(0 <= float(n["x"]) <= 1 and 0 <= float(n["y"]) <= 1 for n in nodes.values())
    edges = {(e["source"], e["target"]): e["weight"] for e in data["edges"]}  # type: ignore
    assert edges[("o:A", "o:B")] == 2 and edges[("o:A", "o:C")] == 2
    assert edges[("o:B", "o:F")] == 1 and ("o:A", "o:F") not in edges
    drawn = svg(graph, title="Red de B")
    assert drawn.startswith("<svg") and "ANA &lt;RUIZ&gt;" in drawn and "<script" not in drawn
    assert NETWORK.neighbourhood("o:nobody").as_json() == {"nodes": [], "edges": []}
