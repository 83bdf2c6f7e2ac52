"""``kg push``: put a build (``kg build`` output) into a remote triplestore, graph by graph.

Each named graph of the build's ``kg.nq`` is replaced whole with one Graph Store Protocol
``PUT`` (never appended to), then kg's union graph, then the catalogue that lists the
graphs, each with the SHA-256 of what was put, and names the build (its ``kg.nq``'s
SHA-256; see :mod:`kg.remote_store`). A graph the store's catalogue already lists with
the same SHA-256 is left as it is (an article added to a build of 10,000 is one ``PUT``,
then the union's and the catalogue's), unless ``every`` is asked for; the union is put
again only when a graph changed, or the build has other graphs. Pushing the same build
twice leaves the store as it was after the first push. The build is checked against its
manifest before anything is sent.

The catalogue is written last: a push stopped halfway leaves the previous catalogue, whose
SHA-256s no longer match what it replaced, so the next push replaces those again. A graph
changed in the store other than by a push is not noticed: ``every`` replaces every graph.

>>> push("build", "sparql+http://127.0.0.1:9/query")      # doctest: +SKIP
Pushed(graphs=7, quads=1234, union=1100, url='http://127.0.0.1:9/query', replaced=7)
"""

from __future__ import annotations

import hashlib
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
    """What a push wrote: the build's named graphs and their quads, the union's triples,
    and how many of the graphs were replaced (the others the store held already)."""

    graphs: int
    quads: int
    union: int
    url: str
    #: the named graphs put (the others were unchanged in the store)
    replaced: int = 0
    #: graphs the store's previous catalogue listed that this build no longer has (left
    #: in the store, no longer part of kg's dataset)
    dropped: list[str] = field(default_factory=list)


def push(build: Path | str, store: str | SparqlHttpStore, *, gsp: str | None = None,
         timeout: float = 60.0, every: bool = False) -> Pushed:
    """Replace, in the triplestore ``store`` (``sparql+http(s)://…``), each named graph of
    the build in the folder ``build`` that the store does not hold as it is (``every``:
    each one), then kg's union graph (when a graph changed) and catalogue.

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
    try:
        before = set(map(str, target.graph_names()))
        held = {} if every else target.graph_digests()
    except Exception:  # noqa: BLE001 - no catalogue yet (a store may refuse to read it)
        before, held = set(), {}
    union: set[ox.Triple] = set()
    digests: dict[str, str] = {}
    replaced = 0
    for name in sorted(graphs):
        triples = graphs[name]
        union.update(triples)
        body = _ntriples(sorted(triples, key=str))
        digests[name] = build_identity(hashlib.sha256(body).hexdigest())
        if held.get(name) != digests[name]:
            target.put_graph(name, body)
            replaced += 1
    if replaced or every or before != set(graphs):
        target.put_graph(UNION_GRAPH, _ntriples(sorted(union, key=str)))
    catalogue_node = ox.NamedNode(str(CATALOGUE_GRAPH))
    catalogue = [ox.Triple(catalogue_node, ox.NamedNode(str(_SUBSET)), ox.NamedNode(name))
                 for name in sorted(graphs)]
    # what identifies each graph as put (the next push leaves it if unchanged), and the
    # dataset (a server keeps the projection it reads under it)
    catalogue += [ox.Triple(ox.NamedNode(name), ox.NamedNode(str(BUILD_IDENTIFIER)),
                            ox.Literal(digests[name])) for name in sorted(graphs)]
    catalogue.append(ox.Triple(catalogue_node, ox.NamedNode(str(BUILD_IDENTIFIER)),
                               ox.Literal(build_identity(digest))))
    target.put_graph(CATALOGUE_GRAPH, _ntriples(catalogue))
    target.forget_graph_names()
    return Pushed(graphs=len(graphs), quads=sum(map(len, graphs.values())), union=len(union),
                  url=target.url, replaced=replaced, dropped=sorted(before - set(graphs)))


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
