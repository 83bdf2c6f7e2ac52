"""Neighbours, and paths between two entities, each hop explained by its edges' sources.

Connections are followed in either direction (a path may go against an edge's arrow; each
hop keeps its edges as they point). Between two nodes, every parallel edge is part of the
hop (a post and a founding, say). Paths are ranked: fewer hops first, then more sources
(distinct hop-article citations), then fewer inferred dates.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from typing import Any

import networkx as nx

from ..arguments import at_least
from ..errors import ParameterError
from .model import Neighbourhood, Path, Paths, edge_record

__all__ = ["neighbourhood", "find_paths", "undirected", "most_connected"]


#: projection -> its undirected simple graph (built once per projection, then frozen)
_undirected: weakref.WeakKeyDictionary[nx.MultiDiGraph, nx.Graph] = weakref.WeakKeyDictionary()
_undirected_lock = threading.Lock()


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """A simple undirected graph with the same nodes; an edge wherever ``graph`` has one.

    Made once per projection (a projection is shared and never changed) and frozen: read
    it, never change it (``nx.Graph(undirected(g))`` is a copy to change).
    """
    with _undirected_lock:  # built under the lock: one build, others wait (.warmup)
        simple = _undirected.get(graph)
        if simple is None:
            simple = nx.Graph()
            simple.add_nodes_from(graph.nodes)
            simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
            nx.freeze(simple)
            _undirected[graph] = simple
    return simple


def _hop(graph: nx.MultiDiGraph, a: str, b: str) -> dict[str, Any]:
    edges = [edge_record(graph, a, b, k, d) for k, d in sorted(graph.get_edge_data(a, b, default={}).items())]
    edges += [edge_record(graph, b, a, k, d) for k, d in sorted(graph.get_edge_data(b, a, default={}).items())]
    return {"source": a, "source_label": graph.nodes[a]["label"], "target": b,
            "target_label": graph.nodes[b]["label"], "edges": edges}


def explain(graph: nx.MultiDiGraph, nodes: list[str]) -> Path:
    """The path through ``nodes``, hop by hop, with its ranking figures."""
    hops = [_hop(graph, a, b) for a, b in itertools.pairwise(nodes)]
    sources = sum(len({s["article"] for e in h["edges"] for s in e["sources"]}) for h in hops)
    inferred = sum(e["inferred"] for h in hops for e in h["edges"])
    return Path(nodes=list(nodes), labels=[graph.nodes[n]["label"] for n in nodes], hops=hops,
                sources=sources, inferred=inferred)


def find_paths(graph: nx.MultiDiGraph, start: str, end: str, *, max_hops: int = 4,
               limit: int = 10, shortest: bool = False) -> Paths:
    """Simple paths of at most ``max_hops`` hops from ``start`` to ``end``, ranked, at most
    ``limit``; with ``shortest`` only those of the fewest hops."""
    at_least(max_hops, "max_hops", 1)
    at_least(limit, "limit", 1)
    result = Paths(start=start, end=end, max_hops=max_hops)
    if start == end:
        raise ParameterError("start and end are the same entity")
    simple = undirected(graph)
    if start not in simple or end not in simple:
        return result
    try:  # (a breadth-first search from both ends: cheap beside the paths)
        result.fewest_hops = nx.shortest_path_length(simple, start, end)
    except nx.NetworkXNoPath:
        return result
    if result.fewest_hops > max_hops:
        return result
    cap = min(2000, max(limit * 20, 100))
    # Fewer hops rank first: when the paths of the fewest hops are ``limit`` or more, the
    # answer is among them, and they come from one breadth-first search (between two hubs
    # at 10,000 articles, 356 of them in 0.2 s); Yen's algorithm, which goes on to longer
    # ones, took 7 s to reach its 1,000 candidates.
    first = list(itertools.islice(nx.all_shortest_paths(simple, start, end), cap))
    if shortest or len(first) >= limit:
        found = [explain(graph, nodes) for nodes in first]
    else:
        found = []
        for nodes in nx.shortest_simple_paths(simple, start, end):
            if len(nodes) - 1 > max_hops:
                break
            found.append(explain(graph, nodes))
            if len(found) >= cap:
                break
    found.sort(key=lambda p: (p.length, -p.sources, p.inferred, p.labels))
    result.items = found[:limit]
    return result


def most_connected(graph: nx.MultiDiGraph, top: int, *,
                   max_elements: int | None = None) -> nx.MultiDiGraph:
    """The ``top`` most connected nodes of ``graph`` (the most distinct neighbours, either
    direction; ties by label, then IRI) and every edge among them, as a read-only view: an
    overview of a graph too large to draw whole. With ``max_elements``, fewer nodes when
    they and the edges among them would be more than that together: the most of them
    that fit.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([(n, {"label": n}) for n in "abcd"])
    >>> _ = g.add_edges_from([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c")])
    >>> sorted(most_connected(g, 3).edges())
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    >>> sorted(most_connected(g, 3, max_elements=4).nodes())
    ['a', 'b']
    """
    at_least(top, "top", 1)
    simple = undirected(graph)
    ranked = [node for node, _ in sorted(
        simple.degree, key=lambda pair: (-pair[1], graph.nodes[pair[0]]["label"], pair[0]))]
    kept = min(top, len(ranked))
    if max_elements is not None:  # nodes and the edges among them grow with the nodes
        low, high = 0, kept
        while low < high:
            middle = (low + high + 1) // 2
            first = graph.subgraph(ranked[:middle])
            if middle + first.number_of_edges() <= max_elements:
                low = middle
            else:
                high = middle - 1
        kept = low
    return graph.subgraph(ranked[:kept])


def neighbourhood(graph: nx.MultiDiGraph, center: str, *, radius: int = 1,
                  max_nodes: int = 500) -> Neighbourhood:
    """The nodes within ``radius`` hops of ``center`` (either direction), with distances,
    and every edge among them. When the radius reaches more than ``max_nodes`` nodes, the
    ``max_nodes`` nearest are kept, the most connected first (``reached`` says how many
    there were): a hub of 527 neighbours at 10,000 articles could not be shown at all."""
    at_least(radius, "radius", 0)
    at_least(max_nodes, "max_nodes", 1)
    simple = undirected(graph)
    distances = nx.single_source_shortest_path_length(simple, center, cutoff=radius)
    reached = len(distances)
    if reached > max_nodes:
        kept = sorted(distances, key=lambda n: (distances[n], -simple.degree(n),
                                                graph.nodes[n]["label"], n))[:max_nodes]
        distances = {node: distances[node] for node in kept}
    nodes = []
    for node in sorted(distances, key=lambda n: (distances[n], graph.nodes[n]["label"], n)):
        nodes.append(dict(graph.nodes[node], distance=distances[node]))
    inside = set(distances)
    # the edges of the nodes kept, not every edge of the graph looked at
    edges = [edge_record(graph, u, v, k, d)
             for u, v, k, d in graph.out_edges(inside, keys=True, data=True) if v in inside]
    edges.sort(key=lambda e: (e["source_label"], e["label"], e["target_label"], e["key"],
                              e["source"], e["target"]))
    return Neighbourhood(center=center, radius=radius, nodes=nodes, edges=edges,
                         reached=reached)
