"""The engine that runs the heavy measures: networkx (the reference) or igraph (fast).

Exact betweenness is O(nodes x edges): pure-Python networkx takes minutes on a projection
of tens of thousands of nodes, where igraph's C core takes seconds. Louvain communities
gain less, but still by an order of magnitude. ``engine`` chooses:

``"networkx"``
    the reference implementation, always;
``"igraph"``
    python-igraph (``igraph.Graph.betweenness``, ``community_multilevel``);
``"auto"`` (the default)
    igraph from :data:`AUTO_NODES` nodes up (when it is installed), networkx below, where
    the conversion would cost more than it saves.

What "the same answer" means, checked by ``tests/test_analysis_engines.py``:

* **betweenness** is a well-defined number: igraph counts each unordered pair of nodes
  once, unnormalized; it is scaled here exactly as networkx scales its own
  (``2 / ((n - 1)(n - 2))`` for an undirected graph), and agrees to floating-point
  rounding (the tables round to 6 decimals);
* **Louvain** is a randomized heuristic: its partition depends on the order nodes are
  visited and on the random draws, so two correct implementations return different
  partitions of equally good modularity (there is no single right answer to be equal
  to). Each engine is seeded (igraph through its own :class:`random.Random`, never the
  global one), so each repeats itself exactly; across engines the test compares the
  modularity of the two partitions (as networkx measures it) and their membership
  (normalized mutual information).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Hashable
from typing import Any

import networkx as nx

from ..errors import ParameterError

__all__ = ["ENGINES", "AUTO_NODES", "choose", "betweenness", "louvain"]

ENGINES = ("auto", "networkx", "igraph")
#: from this many nodes up, ``engine="auto"`` runs igraph
AUTO_NODES = 1_000
_rng_lock = threading.Lock()


def _igraph() -> Any | None:
    try:
        import igraph
    except ImportError:
        return None
    return igraph


def choose(engine: str, graph: nx.Graph) -> str:
    """The engine that runs on ``graph``: ``"networkx"`` or ``"igraph"``.

    >>> choose("auto", nx.path_graph(3))
    'networkx'
    """
    if engine not in ENGINES:
        raise ParameterError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "auto":
        return "igraph" if len(graph) >= AUTO_NODES and _igraph() is not None else "networkx"
    if engine == "igraph" and _igraph() is None:
        raise ParameterError("engine igraph: python-igraph is not installed "
                             "(pip install igraph), or use engine networkx")
    return engine


def _to_igraph(graph: nx.Graph) -> tuple[Any, list[Hashable]]:
    """``graph`` (undirected, simple) as an igraph graph, and the node of each vertex."""
    igraph = _igraph()
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in graph.edges() if u != v]
    return igraph.Graph(n=len(nodes), edges=edges, directed=False), nodes


def betweenness(graph: nx.Graph, *, engine: str = "auto") -> dict[Hashable, float]:
    """Exact betweenness centrality of each node of the undirected simple ``graph``,
    normalized as :func:`networkx.betweenness_centrality` normalizes it.

    >>> betweenness(nx.path_graph(3), engine="networkx")
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    if choose(engine, graph) == "networkx":
        return nx.betweenness_centrality(graph)
    converted, nodes = _to_igraph(graph)
    n = len(nodes)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    raw = converted.betweenness(directed=False)
    return {node: value * scale for node, value in zip(nodes, raw)}


def louvain(graph: nx.Graph, *, seed: int, engine: str = "auto") -> list[set[Hashable]]:
    """Louvain communities of the undirected simple ``graph`` (resolution 1), seeded."""
    if choose(engine, graph) == "networkx":
        return nx.community.louvain_communities(graph, seed=seed)
    igraph = _igraph()
    converted, nodes = _to_igraph(graph)
    with _rng_lock:  # igraph has one random number generator per process
        igraph.set_random_number_generator(random.Random(seed))
        try:
            found = converted.community_multilevel()
        finally:
            igraph.set_random_number_generator(random)
    return [{nodes[i] for i in members} for members in found]
