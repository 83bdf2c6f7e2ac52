"""``kg push``: put a build (``kg build`` output) into a remote triplestore, graph by graph.

Each named graph of the build's ``kg.nq`` is replaced whole with one Graph Store Protocol
``PUT`` (never appended to), then kg's union graph, then the catalogue that lists the graphs
and names the build (its ``kg.nq``'s SHA-256; see :mod:`kg.remote_store`). Pushing the same build twice leaves the store as it was after
the first push. The build is checked against its manifest before anything is sent.

>>> push("build", "sparql+http://127.0.0.1:9/query")      # doctest: +SKIP
Pushed(graphs=7, quads=1234, union=1100, url='http://127.0.0.1:9/query')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .build import checked_build
from .remote_store import (
    _SUBSET,
    BUILD_IDENTIFIER,
    CATALOGUE_GRAPH,
    UNION_GRAPH,
    SparqlHttpStore,
    build_identity,
)

__all__ = ["push", "Pushed"]


@dataclass(frozen=True)
class Pushed:
    """What a push wrote: named graphs replaced, their quads, the union's triples."""

    graphs: int
    quads: int
    union: int
    url: str
    #: graphs the store's previous catalogue listed that this build no longer has (left
    #: in the store, no longer part of kg's dataset)
    dropped: list[str] = field(default_factory=list)


def push(build: Path | str, store: str | SparqlHttpStore, *, gsp: str | None = None,
         timeout: float = 60.0) -> Pushed:
    """Replace, in the triplestore ``store`` (``sparql+http(s)://…``), every named graph of
    the build in the folder ``build``, then kg's union graph and catalogue.

    ``gsp`` is the Graph Store endpoint (default: guessed from the query endpoint); raises
    :class:`~kg.build.CorruptBuild` before sending anything when the build is damaged, and
    :class:`~kg.errors.EndpointUnreachable` / :class:`~kg.errors.EndpointError` when the
    store cannot be reached or refuses a graph.
    """
    path, digest = checked_build(Path(build))
    target = store if isinstance(store, SparqlHttpStore) else \
        SparqlHttpStore(store, gsp=gsp, timeout=timeout)
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            continue
        graphs[quad.graph_name.value].append(quad.triple)
    union: set[ox.Triple] = set()
    for name in sorted(graphs):
        triples = graphs[name]
        union.update(triples)
        target.put_graph(name, _ntriples(triples))
    target.put_graph(UNION_GRAPH, _ntriples(sorted(union, key=str)))
    try:
        before = set(map(str, target.graph_names()))
    except Exception:  # noqa: BLE001 - no catalogue yet
        before = set()
    catalogue = [ox.Triple(ox.NamedNode(str(CATALOGUE_GRAPH)), ox.NamedNode(str(_SUBSET)),
                           ox.NamedNode(name)) for name in sorted(graphs)]
    # what identifies the dataset: a server keeps the projection it reads under it
    catalogue.append(ox.Triple(ox.NamedNode(str(CATALOGUE_GRAPH)),
                               ox.NamedNode(str(BUILD_IDENTIFIER)),
                               ox.Literal(build_identity(digest))))
    target.put_graph(CATALOGUE_GRAPH, _ntriples(catalogue))
    target.forget_graph_names()
    return Pushed(graphs=len(graphs), quads=sum(map(len, graphs.values())), union=len(union),
                  url=target.url, dropped=sorted(before - set(graphs)))


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
