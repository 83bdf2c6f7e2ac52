"""The asserted statements of a loaded graph, read where they are stored: no copy.

Validation reads what the files state: every named graph but the ontology and the
entailed one, as one graph (a set). :class:`Asserted` answers the few questions the
validation asks of that graph (``triples``, ``subjects``, ``objects``, ``value``, ``in``,
as an rdflib :class:`~rdflib.Graph` would) through :meth:`kg.store.Store.quads`, the
pattern looked up in the store's own indexes and the two left-out graphs skipped; and it
hands the whole of it to a SHACL engine as N-Triples written by the store
(:meth:`kg.store.Store.ntriples`). Nothing is copied into an rdflib graph unless an engine
needs one (pySHACL, the reference: :meth:`Asserted.to_graph`).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef, Variable
from rdflib.namespace import RDF, NamespaceManager
from rdflib.term import Node

from .namespaces import ENTAILED_GRAPH, ONTOLOGY_GRAPH, bind_prefixes
from .queries import NamedQuery

if TYPE_CHECKING:
    from .load import KnowledgeGraph

__all__ = ["Asserted", "internal_query", "internal_rows"]

_SPARQL = Path(__file__).resolve().parent / "sparql"

#: the graphs that hold no asserted data
_LEFT_OUT = (ONTOLOGY_GRAPH, ENTAILED_GRAPH)

Triple = tuple[Node, Node, Node]
Pattern = tuple[Node | None, Node | None, Node | None]


@functools.cache
def internal_query(name: str) -> NamedQuery:
    """One of kg's own queries (``src/kg/sparql/<name>.rq``), read once."""
    return NamedQuery.from_file(_SPARQL / f"{name}.rq")


def internal_rows(graph: KnowledgeGraph, name: str) -> list[tuple[Node | None, ...]]:
    """The rows of one of kg's own queries, run on ``graph``'s store as they are written
    (kg's own text needs no guard; on Oxigraph it is then not parsed by rdflib at all)."""
    query = internal_query(name)
    answer = graph.store.query(query.text)
    names = [str(v) for v in answer.vars or []]
    return [tuple(row.get(Variable(n)) for n in names) for row in answer.bindings]


class Asserted:
    """The asserted data of ``graph`` (a :class:`~kg.load.KnowledgeGraph`), read-only.

    >>> import kg
    >>> data = Asserted(kg.load(entail=False))
    >>> from kg.namespaces import KG
    >>> from rdflib.namespace import RDF
    >>> len(set(data.subjects(RDF.type, KG.NewsArticle)))
    2
    """

    def __init__(self, graph: KnowledgeGraph, *, with_ontology: bool = False) -> None:
        self.graph = graph
        self.store = graph.store
        #: the graphs left out: the entailed one, and the ontology unless ``with_ontology``
        self.left_out = (ENTAILED_GRAPH,) if with_ontology else _LEFT_OUT
        names = Graph()
        bind_prefixes(names)
        #: kg's prefixes, to write terms short
        self.namespace_manager: NamespaceManager = names.namespace_manager
        self._names: list[URIRef] | None = None
        self._len: int | None = None

    @property
    def graph_names(self) -> list[URIRef]:
        """The named graphs that hold asserted data, sorted."""
        if self._names is None:
            self._names = [n for n in self.store.graph_names() if n not in self.left_out]
        return self._names

    # -- rdflib's read methods, over the store's indexes ------------------------------
    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        """The asserted triples matching ``pattern``, each once."""
        seen: set[Triple] = set()
        for s, p, o, g in self.store.quads(pattern):
            if g in self.left_out or (s, p, o) in seen:
                continue
            seen.add((s, p, o))
            yield s, p, o

    def __contains__(self, pattern: Pattern) -> bool:
        return any(True for _ in self.triples(pattern))

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        for s, _, _ in self.triples((None, predicate, obj)):
            yield s

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        for _, _, o in self.triples((subject, predicate, None)):
            yield o

    def subject_objects(self, predicate: Node | None = None) -> Iterator[tuple[Node, Node]]:
        for s, _, o in self.triples((None, predicate, None)):
            yield s, o

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """One value of ``subject predicate`` (the smallest, so that the answer is stable)."""
        found = list(self.objects(subject, predicate))
        return min(found, key=lambda n: (type(n).__name__, str(n))) if found else None

    def __len__(self) -> int:
        """The number of distinct asserted triples, the ontology's left out (counted by the
        store; on a store that looks up faster than it queries, rdflib's memory store whose
        engine takes seconds for it at a thousand articles, the size of the merged data,
        which the graph keeps for other readers)."""
        if self._len is None:
            if self.store.looks_up_faster:
                self._len = len(self.graph.data())
            elif self.store.size(ENTAILED_GRAPH):
                [(count,)] = internal_rows(self.graph, "asserted-statements")
                self._len = int(count)  # type: ignore[arg-type]
            else:  # the union, less the ontology's statements that no data graph makes
                [(count,)] = internal_rows(self.graph, "ontology-only-statements")
                self._len = self.store.size() - int(count)  # type: ignore[arg-type]
        return self._len

    def class_counts(self) -> dict[URIRef, int]:
        """Each class (an IRI) these graphs give as an ``rdf:type`` -> how many distinct
        things they type with it: counted by the store (``asserted-class-counts.rq``), or
        looked up on a store that looks up faster (rdflib's memory store, whose engine
        would walk every graph's triples once per binding: a minute at a thousand
        articles)."""
        if self.store.looks_up_faster:
            return dict(Counter(o for o in self.objects(None, RDF.type)
                                if isinstance(o, URIRef)))
        return {URIRef(cls): int(count)  # type: ignore[arg-type, call-overload]
                for cls, count in internal_rows(self.graph, "asserted-class-counts")}

    # -- the whole, for an engine -----------------------------------------------------
    def ntriples(self) -> bytes:
        """Every triple of these graphs, as N-Triples written by the store. A triple in
        two graphs is written twice (an RDF graph is a set: a reader keeps it once)."""
        return self.store.ntriples(self.graph_names)

    def to_graph(self, *, extra: Iterable[Triple] = ()) -> Graph:
        """The asserted triples copied into an rdflib graph (for pySHACL), with ``extra``."""
        copy = Graph()
        bind_prefixes(copy)
        for s, p, o, g in self.store.quads((None, None, None)):
            if g not in self.left_out:
                copy.add((s, p, o))
        for triple in extra:
            copy.add(triple)
        return copy
