"""The :class:`~kg.store.Store` seam on `Oxigraph <https://github.com/oxigraph/oxigraph>`_
(pyoxigraph), in memory or in a folder on disk.

Same methods, same answers as the rdflib store, with three of Oxigraph's ways worked
around rather than leaked to callers:

* **the union is a set.** Oxigraph's union default graph is a bag (a triple stated by two
  articles would come back twice); kg's default graph is the union of the named graphs
  as a set. So every triple added to a named graph is also added to Oxigraph's own
  default graph, which then *is* that union, deduplicated, and queries run on it;
* **the dataset a query sees** (``FROM`` / ``FROM NAMED``, or the protocol's
  ``default-graph-uri`` / ``named-graph-uri``, which :mod:`kg.sparql_guard` turns into
  :attr:`~kg.sparql_guard.PreparedQuery.default_graphs` / ``named_graphs``) is passed to
  Oxigraph explicitly, which overrides whatever the text says. A default graph merged
  from several graphs is built as a set in a scratch store (rare: a bag otherwise);
* **bindings** go in as a ``VALUES`` block where a named query's bindings go
  (:func:`kg.queries.with_values`; Oxigraph's own substitutions refuse a variable
  that the query does not project); kg's prefixes are predeclared.

Oxigraph normalizes literals when it stores them (``"01"^^xsd:integer`` comes back as
``"1"``); kg's data has no such literal, and the query tests compare both stores.

An on-disk store travels to a worker process as its path (the worker opens it
read-only); an in-memory one as N-Quads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from .entail import Vocabulary, rdfs_entailment
from .errors import QueryError
from .namespaces import PREFIXES, bind_prefixes
from .parse import read_quads
from .queries import with_values
from .sparql_guard import PreparedQuery, QueryKind
from .store import Store

__all__ = ["OxigraphStore", "write_oxigraph"]

_XSD_STRING = str(XSD.string)
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_DEFAULT = ox.DefaultGraph()
#: the RDFS vocabulary in pyoxigraph terms, for :func:`kg.entail.rdfs_entailment`
_OX_TERMS = Vocabulary(term=lambda iri: ox.NamedNode(str(iri)),
                       is_literal=lambda node: isinstance(node, ox.Literal))


def to_ox(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot store {term!r} in Oxigraph")


def from_ox(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term (lexical forms kept as Oxigraph returns them)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise QueryError(f"kg cannot use the RDF term {term!r}")


class OxigraphStore(Store):
    """A dataset of named graphs in Oxigraph; its default graph is their union (a set).

    >>> store = Store(backend="oxigraph")
    >>> store.add_triples(URIRef("urn:g"), [(URIRef("urn:a"), URIRef("urn:b"), Literal("c"))])
    >>> store.query("SELECT ?o WHERE { ?s ?p ?o }").bindings[0][Variable("o")]
    rdflib.term.Literal('c')
    """

    backend = "oxigraph"

    def __init__(self, backend: str = "oxigraph", *, path: Path | str | None = None,
                 read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        if self.path is None:
            self._ox = ox.Store()
        elif read_only:
            if not self.path.is_dir():
                from .errors import InputError

                raise InputError(f"{self.path}: no Oxigraph store in this folder "
                                 f"(kg build --store-dir writes one)")
            self._ox = ox.Store.read_only(str(self.path))
        else:
            self._ox = ox.Store(str(self.path))

    # -- travelling to worker processes ---------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        if self.path is not None:
            return {"path": str(self.path)}
        return {"nquads": self._ox.dump(format=ox.RdfFormat.N_QUADS)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "path" in state:
            self.__init__(path=state["path"], read_only=True)  # type: ignore[misc]
        else:
            self.__init__()  # type: ignore[misc]
            self._ox.load(state["nquads"], format=ox.RdfFormat.N_QUADS)

    # -- writing (only while loading) ------------------------------------------------
    def add_triples(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add triples to the named graph ``graph`` (and to the union)."""
        if self.read_only:
            raise QueryError("this Oxigraph store is open read-only")
        name = to_ox(graph)
        quads = []
        for s, p, o in triples:
            subject, predicate, obj = to_ox(s), to_ox(p), to_ox(o)
            quads.append(ox.Quad(subject, predicate, obj, name))
            quads.append(ox.Quad(subject, predicate, obj, _DEFAULT))
        self._ox.extend(quads)

    def load_file(self, path: Path, *, graph: URIRef) -> tuple[set[URIRef], set[Node]]:
        """Parse one RDF file straight into Oxigraph (pyoxigraph's parser, kg's checks and
        located errors: :func:`kg.parse.read_quads`), no rdflib terms on the way."""
        if self.read_only:
            raise QueryError("this Oxigraph store is open read-only")
        own = to_ox(graph)
        quads = []
        graphs = set()
        subjects = set()
        for quad in read_quads(path):
            name = quad.graph_name
            if isinstance(name, ox.DefaultGraph):
                name = own
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            quads.append(ox.Quad(subject, predicate, obj, name))
            quads.append(ox.Quad(subject, predicate, obj, _DEFAULT))
            graphs.add(name)
            subjects.add(subject)
        self._ox.extend(quads)
        return {URIRef(name.value) for name in graphs}, {from_ox(s) for s in subjects}

    def materialize_entailment(self, *, ontology: URIRef, into: URIRef) -> int:
        """:meth:`Store.materialize_entailment` on Oxigraph's own terms, none converted."""
        data = []
        schema = []
        ontology_name, into_name = to_ox(ontology), to_ox(into)
        for quad in self._ox.quads_for_pattern(None, None, None, None):
            name = quad.graph_name
            if isinstance(name, ox.DefaultGraph) or name == into_name:
                continue
            (schema if name == ontology_name else data).append(
                (quad.subject, quad.predicate, quad.object))
        derived = rdfs_entailment(data, schema, terms=_OX_TERMS)
        quads = []
        for s, p, o in derived:
            quads.append(ox.Quad(s, p, o, into_name))
            quads.append(ox.Quad(s, p, o, _DEFAULT))
        self._ox.extend(quads)
        return len(derived)

    # -- reading ----------------------------------------------------------------------
    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._ox.named_graphs()
                      if isinstance(g, ox.NamedNode))

    def graph(self, name: URIRef) -> Graph:
        """One named graph, copied into an rdflib graph (empty if absent)."""
        return self._copy(to_ox(name), Graph(identifier=name))

    def union(self) -> Graph:
        """The default graph (the union of the named graphs), copied into an rdflib graph."""
        return self._copy(_DEFAULT, Graph())

    def _copy(self, graph: Any, into: Graph) -> Graph:
        bind_prefixes(into)
        for quad in self._ox.quads_for_pattern(None, None, None, graph):
            into.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        return into

    def quads(self, pattern: tuple[Node | None, Node | None, Node | None] = (None, None, None),
              ) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        s, p, o = (None if t is None else to_ox(t) for t in pattern)
        for quad in self._ox.quads_for_pattern(s, p, o, None):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                continue
            yield (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object),
                   URIRef(quad.graph_name.value))

    def size(self, graph: URIRef | None = None) -> int:
        name = _DEFAULT if graph is None else to_ox(graph)
        count = self._ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=name)
        return int(next(iter(count))["n"].value)

    def __len__(self) -> int:
        union = next(iter(self._ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
        return len(self._ox) - int(union["n"].value)

    def query(self, sparql: Any, *, bindings: Mapping[str, Node] | None = None,
              default_graphs: Iterable[URIRef] | None = None,
              named_graphs: Iterable[URIRef] | None = None) -> Result:
        """Run a SPARQL query (a text, or a :class:`~kg.sparql_guard.PreparedQuery`) on
        Oxigraph; the answer as an rdflib :class:`~rdflib.query.Result`."""
        kind: QueryKind | None = None
        if isinstance(sparql, PreparedQuery):
            kind = sparql.kind
            if default_graphs is None and named_graphs is None:
                default_graphs, named_graphs = sparql.default_graphs, sparql.named_graphs
            text = sparql.text
        elif isinstance(sparql, str):
            text = sparql
        else:
            raise QueryError("the Oxigraph store runs SPARQL text, not an rdflib algebra")
        store, options = self._dataset(default_graphs, named_graphs)
        answer = store.query(with_values(text, bindings or {}), prefixes=_PREFIXES, **options)
        return _result(answer, kind)

    def _dataset(self, default_graphs: Iterable[URIRef] | None,
                 named_graphs: Iterable[URIRef] | None) -> tuple[Any, dict[str, Any]]:
        """The store to query and the dataset options; only this store's graphs count."""
        if default_graphs is None and named_graphs is None:
            return self._ox, {"default_graph": _DEFAULT}
        known = set(self.graph_names())
        named = None if named_graphs is None else [ox.NamedNode(str(g)) for g in named_graphs
                                                   if g in known]
        if default_graphs is None:
            return self._ox, {"default_graph": _DEFAULT, "named_graphs": named}
        defaults = [g for g in default_graphs if g in known]
        if len(defaults) <= 1:
            return self._ox, {"default_graph": [ox.NamedNode(str(g)) for g in defaults],
                              "named_graphs": named if named is not None else []}
        # several graphs merged into the default graph: a set, as SPARQL says, not a bag
        scratch = ox.Store()
        for name in defaults:
            scratch.extend(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT)
                           for q in self._ox.quads_for_pattern(None, None, None,
                                                               ox.NamedNode(str(name))))
        for graph in named or []:
            scratch.extend(self._ox.quads_for_pattern(None, None, None, graph))
        return scratch, {"default_graph": _DEFAULT, "named_graphs": named or []}

    def serialize(self, *, format: str) -> str:
        data = Dataset()
        bind_prefixes(data)
        for name in self.graph_names():
            target = data.graph(name)
            for triple in self.graph(name):
                target.add(triple)
        return data.serialize(format=format)

    # -- for validation: the asserted graphs handed to a SHACL engine ------------------
    def ntriples(self, graphs: Iterable[URIRef]) -> bytes:
        """:meth:`Store.ntriples`, written by Oxigraph (no rdflib term on the way)."""
        return b"".join(self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=to_ox(name))
                        for name in graphs)


def _result(answer: Any, kind: QueryKind | None) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QuerySolutions):
        result = Result("SELECT")
        pairs = [(Variable(v.value), v) for v in answer.variables]
        result.vars = [name for name, _ in pairs]
        result.bindings = ({name: from_ox(solution[var]) for name, var in pairs
                            if solution[var] is not None} for solution in answer)
        return result
    result = Result("DESCRIBE" if kind is QueryKind.DESCRIBE else "CONSTRUCT")
    graph = Graph()
    bind_prefixes(graph)
    for triple in answer:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    result.graph = graph
    return result


def write_oxigraph(store: Store, folder: Path | str) -> Path:
    """Write every named graph of ``store`` into a new Oxigraph store in ``folder`` (which
    must not exist yet), with the union as its default graph; returns the folder."""
    folder = Path(folder)
    target = ox.Store(str(folder))
    if isinstance(store, OxigraphStore):  # the union is already its default graph
        target.bulk_extend(store._ox.quads_for_pattern(None, None, None, None))
    for name in store.graph_names() if not isinstance(store, OxigraphStore) else ():
        graph = ox.NamedNode(str(name))
        quads = []
        for s, p, o in store.graph(name):
            subject, predicate, obj = to_ox(s), to_ox(p), to_ox(o)
            quads.append(ox.Quad(subject, predicate, obj, graph))
            quads.append(ox.Quad(subject, predicate, obj, _DEFAULT))
        target.bulk_extend(quads)
    target.flush()
    target.optimize()
    del target
    return folder
