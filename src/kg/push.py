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

Before any graph the store's catalogue vouches for is replaced, the catalogue is put
again without their SHA-256s (nor the build's); the full one is put last. So a push
stopped halfway leaves a catalogue that vouches only for graphs it did not touch, and the
next push puts the others again, whatever build it pushes. A graph changed in the store
other than by a push is not noticed: ``every`` replaces every graph.

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
    digests: dict[str, str] = {}
    bodies: dict[str, bytes] = {}  # what is put for each graph that changed, written once
    for name in sorted(graphs):
        body = _graph_body(graphs[name])
        digests[name] = build_identity(hashlib.sha256(body).hexdigest())
        if held.get(name) != digests[name]:
            bodies[name] = body
    changed = list(bodies)
    if changed and before:
        # first a catalogue that vouches for none of the graphs about to change, nor for
        # the build: a push stopped halfway leaves it, and the next puts them again
        # (whatever build it pushes: one that goes back to the old graphs too)
        target.put_graph(CATALOGUE_GRAPH, _catalogue(
            sorted(before), {name: held[name] for name in held
                             if name not in changed and name in before}, None))
    for name, body in bodies.items():
        target.put_graph(name, body)
    union: set[ox.Triple] = set()
    for triples in graphs.values():
        union.update(triples)
    if changed or every or before != set(graphs):
        target.put_graph(UNION_GRAPH, _ntriples(sorted(union, key=str)))
    target.put_graph(CATALOGUE_GRAPH, _catalogue(sorted(graphs), digests,
                                                 build_identity(digest)))
    target.forget_graph_names()
    return Pushed(graphs=len(graphs), quads=sum(map(len, graphs.values())), union=len(union),
                  url=target.url, replaced=len(changed), dropped=sorted(before - set(graphs)))


def _graph_body(triples: list[ox.Triple]) -> bytes:
    """What is put for a named graph: its triples as N-Triples, in one order (so that the
    same graph has the same SHA-256 in every build)."""
    return _ntriples(sorted(triples, key=str))


def _catalogue(names: list[str], digests: dict[str, str], build: str | None) -> bytes:
    """The catalogue graph: the dataset's graphs, the SHA-256 of each one's N-Triples as
    put (those given), and the build's identity (if given)."""
    node = ox.NamedNode(str(CATALOGUE_GRAPH))
    identifier = ox.NamedNode(str(BUILD_IDENTIFIER))
    triples = [ox.Triple(node, ox.NamedNode(str(_SUBSET)), ox.NamedNode(name))
               for name in names]
    triples += [ox.Triple(ox.NamedNode(name), identifier, ox.Literal(digests[name]))
                for name in names if name in digests]
    if build is not None:
        triples.append(ox.Triple(node, identifier, ox.Literal(build)))
    return _ntriples(triples)


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
