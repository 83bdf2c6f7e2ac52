"""Measures on a projection: centralities, communities, components, brokers, co-affiliation.

Connection measures (betweenness, PageRank, communities, components, brokers) read the
projection as an undirected simple graph: who is connected to whom, whatever the arrow.
Degree counts every edge (parallel ones too). Louvain runs with a fixed seed, so the same
graph always gives the same communities. Betweenness and Louvain run on the ``engine`` of
:mod:`.engines` (networkx, the reference, or igraph; ``"auto"`` by the graph's size).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

import networkx as nx

from ..errors import ParameterError
from .engines import louvain
from .kept_measures import measures, recalled
from .model import Table
from .pathfinding import undirected

__all__ = ["centrality_table", "community_table", "component_table", "broker_table",
           "coaffiliation_table", "most_connected_members", "MEASURES", "SEED", "QUICK_BETWEENNESS"]

MEASURES = ("degree", "betweenness", "pagerank")
#: the seed of Louvain, so results repeat
SEED = 42


def _node(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    data = graph.nodes[node]
    return {"iri": node, "label": data["label"], "kind": data["kind"]}


#: past this many nodes times links (of the undirected view), exact betweenness takes
#: longer than a request may (about 3 s here; 291 s at 47,600 x 123,917 on igraph), so it
#: is computed only when asked for: sorting by it, or already known (kept, or computed)
QUICK_BETWEENNESS = 50_000_000


def centrality_table(graph: nx.MultiDiGraph, *, by: str = "betweenness",
                     limit: int | None = None, engine: str = "auto") -> Table:
    """Degree, betweenness and PageRank of every node, sorted by ``by`` (highest first),
    the first ``limit`` (``total``: every node); betweenness computed by ``engine``
    (:mod:`.engines`), once per projection (:mod:`.kept_measures`). Sorted by degree or
    PageRank, a graph past :data:`QUICK_BETWEENNESS` has betweenness ``None`` unless it is
    known already: a request by degree would otherwise wait minutes for it."""
    if by not in MEASURES:
        raise ParameterError(f"by must be one of {', '.join(MEASURES)}, not {by!r}")
    simple = undirected(graph)
    if by == "betweenness" or recalled(graph, engine) is not None \
            or simple.number_of_nodes() * simple.number_of_edges() <= QUICK_BETWEENNESS:
        found = measures(graph, engine=engine)
        betweenness, pagerank = found["betweenness"], found["pagerank"]
    else:
        betweenness, pagerank = None, nx.pagerank(simple) if len(simple) else {}
    degree = dict(graph.degree())
    rows = [dict(_node(graph, n), degree=degree[n],
                 betweenness=None if betweenness is None else round(betweenness[n], 6),
                 pagerank=round(pagerank[n], 6)) for n in graph.nodes]
    rows.sort(key=lambda r: (-r[by], r["label"], r["iri"]))
    return Table("centrality", ["iri", "label", "kind", "degree", "betweenness", "pagerank"],
                 rows).cut(limit)


def community_table(graph: nx.MultiDiGraph, *, seed: int = SEED,
                    engine: str = "auto") -> Table:
    """Louvain communities (seeded), largest first, members sorted by label; computed by
    ``engine`` (:mod:`.engines`)."""
    simple = undirected(graph)
    found = louvain(simple, seed=seed, engine=engine) if len(simple) else []
    return _groups(graph, found, name="communities", column="community")


def component_table(graph: nx.MultiDiGraph) -> Table:
    """Connected components, largest first."""
    return _groups(graph, nx.connected_components(undirected(graph)), name="components",
                   column="component")


def _groups(graph: nx.MultiDiGraph, found: Any, *, name: str, column: str) -> Table:
    """Groups of nodes as a table: largest first, members sorted by label, numbered."""
    groups = sorted((sorted(c, key=lambda n: (graph.nodes[n]["label"], n)) for c in found),
                    key=lambda members: (-len(members), graph.nodes[members[0]]["label"]))
    rows = [{column: i, "size": len(members), "members": members,
             "labels": [graph.nodes[n]["label"] for n in members]}
            for i, members in enumerate(groups, 1)]
    return Table(name, [column, "size", "members", "labels"], rows)


def most_connected_members(table: Table, graph: nx.MultiDiGraph, most: int | None) -> Table:
    """``table``'s groups (of :func:`community_table` or :func:`component_table`) with at
    most ``most`` members listed each (None: every one): those with the most links within
    the graph (ties by label), still in label order; ``size`` still counts every member.
    The largest communities of 10,000 articles have over a thousand members each."""
    if most is None or all(row["size"] <= most for row in table.rows):
        return table
    degree = undirected(graph).degree
    rows = []
    for row in table.rows:
        if row["size"] > most:
            kept = set(sorted(row["members"], key=lambda n: (-degree[n], graph.nodes[n]["label"],
                                                             n))[:most])
            pairs = [(n, label) for n, label in zip(row["members"], row["labels"]) if n in kept]
            row = dict(row, members=[n for n, _ in pairs], labels=[label for _, label in pairs])
        rows.append(row)
    return Table(table.name, table.columns, rows, total=table.total)


def broker_table(graph: nx.MultiDiGraph) -> Table:
    """Brokers: articulation points (nodes whose removal splits a component) and bridges
    (edges whose removal does)."""
    simple = undirected(graph)
    rows: list[dict[str, Any]] = []
    for node in sorted(nx.articulation_points(simple), key=lambda n: graph.nodes[n]["label"]):
        rows.append(dict(_node(graph, node), broker="articulation point", other=None,
                         other_label=None))
    for u, v in sorted(nx.bridges(simple), key=lambda e: (graph.nodes[e[0]]["label"],
                                                           graph.nodes[e[1]]["label"])):
        rows.append(dict(_node(graph, u), broker="bridge", other=v,
                         other_label=graph.nodes[v]["label"]))
    return Table("brokers", ["broker", "iri", "label", "kind", "other", "other_label"], rows)


def _ties(graph: nx.MultiDiGraph, node: str, category: str) -> dict[str, list[str]]:
    """The neighbours of ``node`` in ``category``, each with the labels of the edges."""
    ties: dict[str, list[str]] = defaultdict(list)
    for u, v, d in itertools.chain(graph.out_edges(node, data=True),
                                   graph.in_edges(node, data=True)):
        other = v if u == node else u
        if category in graph.nodes[other]["categories"] and d["label"] not in ties[other]:
            ties[other].append(d["label"])
    return ties


def coaffiliation_table(graph: nx.MultiDiGraph, *, via: str | None = None) -> Table:
    """Pairs tied through a shared node: people sharing an organization; organizations
    sharing a person or an agreement. ``via`` keeps only pairs through that node."""
    patterns = [("Organization", "Person"), ("Person", "Organization"),
                ("Agreement", "Organization")]
    rows = []
    for hub_category, member_category in patterns:
        for hub, data in graph.nodes(data=True):
            if hub_category not in data["categories"] or (via is not None and hub != via):
                continue
            ties = _ties(graph, hub, member_category)
            members = sorted(ties, key=lambda n: (graph.nodes[n]["label"], n))
            for a, b in itertools.combinations(members, 2):
                rows.append({"via": hub, "via_label": data["label"], "via_kind": data["kind"],
                             "first": a, "first_label": graph.nodes[a]["label"],
                             "first_relation": ", ".join(ties[a]),
                             "second": b, "second_label": graph.nodes[b]["label"],
                             "second_relation": ", ".join(ties[b])})
    rows.sort(key=lambda r: (r["via_label"], r["first_label"], r["second_label"]))
    return Table("coaffiliation", ["via", "via_label", "via_kind", "first", "first_label",
                                   "first_relation", "second", "second_label",
                                   "second_relation"], rows)
