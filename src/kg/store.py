"""The one seam between kg and a triple store.

Everything that reads or queries the graph goes through :class:`Store`. Today it wraps an
in-memory :class:`rdflib.Dataset` whose default graph is the union of its named graphs;
a later store (embedded Oxigraph, a remote SPARQL 1.1 endpoint) implements the same
few methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Node

from .namespaces import bind_prefixes

__all__ = ["Store"]


class Store:
    """A dataset of named graphs, queried with SPARQL; its default graph is their union."""

    def __init__(self) -> None:
        self._dataset = Dataset(default_union=True)
        bind_prefixes(self._dataset)

    # -- writing (only while loading) ------------------------------------------------
    def add_triples(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add triples to the named graph ``graph`` (created when new)."""
        target = self._dataset.graph(graph)
        for triple in triples:
            target.add(triple)  # type: ignore[arg-type]

    # -- reading ----------------------------------------------------------------------
    def graph_names(self) -> list[URIRef]:
        """The names of the dataset's named graphs, sorted."""
        return sorted(
            g.identifier for g in self._dataset.graphs()  # type: ignore[misc]
            if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)
        )

    def graph(self, name: URIRef) -> Graph:
        """One named graph (empty if absent)."""
        return self._dataset.graph(name)

    def union(self) -> Graph:
        """The default graph: every triple of every named graph."""
        return self._dataset

    def quads(self, pattern: tuple[Node | None, Node | None, Node | None] = (None, None, None),
              ) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Quads matching a triple pattern, in every named graph."""
        for s, p, o, g in self._dataset.quads(pattern):  # type: ignore[arg-type]
            if g is None or g == DATASET_DEFAULT_GRAPH_ID:
                continue
            yield s, p, o, (g.identifier if isinstance(g, Graph) else g)  # type: ignore[misc]

    def __len__(self) -> int:
        """The number of quads (a triple in two graphs counts twice)."""
        return sum(len(self._dataset.graph(name)) for name in self.graph_names())

    def query(self, sparql: Any, *, bindings: Mapping[str, Node] | None = None,
              default_graphs: Iterable[URIRef] | None = None,
              named_graphs: Iterable[URIRef] | None = None) -> Result:
        """Run a SPARQL query (text or prepared) with variables bound, never pasted.

        ``default_graphs`` / ``named_graphs`` restrict the dataset the query sees to graphs
        of this store (the SPARQL protocol's ``default-graph-uri`` / ``named-graph-uri``);
        nothing is ever fetched from elsewhere.
        """
        target = self._dataset
        if default_graphs is not None or named_graphs is not None:
            target = self._view(default_graphs, named_graphs)
        return target.query(sparql, initBindings=dict(bindings or {}))

    def _view(self, default_graphs: Iterable[URIRef] | None,
              named_graphs: Iterable[URIRef] | None) -> Dataset:
        known = set(self.graph_names())
        defaults = list(default_graphs) if default_graphs is not None else None
        named = list(named_graphs) if named_graphs is not None else None
        view = Dataset(default_union=defaults is None)
        bind_prefixes(view)
        for name in named if named is not None else sorted(known):
            if name in known:
                target = view.graph(name)
                for triple in self._dataset.graph(name):
                    target.add(triple)
        if defaults is not None:
            base = view.default_context
            for name in defaults:
                if name in known:
                    for triple in self._dataset.graph(name):
                        base.add(triple)
        return view

    def serialize(self, *, format: str) -> str:
        """The whole dataset in an RDF syntax that keeps graph names (``trig`` or ``nquads``)."""
        data = Dataset()
        bind_prefixes(data)
        for name in self.graph_names():
            target = data.graph(name)
            for triple in self._dataset.graph(name):
                target.add(triple)
        return data.serialize(format=format)
