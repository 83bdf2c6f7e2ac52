"""The one seam between kg and a triple store.

Everything that reads or queries the graph goes through :class:`Store`. Two backends
implement its few methods with the same answers:

* ``Store()`` / ``Store(backend="rdflib")``: an in-memory :class:`rdflib.Dataset` whose
  default graph is the union of its named graphs (the default);
* ``Store(backend="oxigraph")``: embedded Oxigraph, in memory, or on disk with
  ``path=`` (see :mod:`kg.oxigraph_store`).

:func:`parse_store_spec` reads the ``--store`` option of the command line.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from .errors import InputError
from .namespaces import bind_prefixes
from .sparql_guard import PARSER_LOCK, PreparedQuery

__all__ = ["Store", "BACKENDS", "parse_store_spec"]

#: the backends a :class:`Store` can run on
BACKENDS = ("rdflib", "oxigraph")


def plain_value(value: Any) -> Any:
    """An RDF term as :meth:`Store.select` gives it: its text, a boolean as ``bool``."""
    if value is None:
        return None
    if isinstance(value, Literal) and value.datatype == XSD.boolean:
        return value.toPython() is True
    return str(value)


def parse_store_spec(spec: str) -> tuple[str, Path | None]:
    """``rdflib``, ``oxigraph`` (in memory) or ``oxigraph:DIR`` (on disk), as
    ``(backend, folder)``.

    >>> parse_store_spec("oxigraph:build/oxigraph")
    ('oxigraph', PosixPath('build/oxigraph'))
    """
    backend, colon, folder = spec.partition(":")
    if backend not in BACKENDS or (colon and (backend != "oxigraph" or not folder)):
        raise InputError(f"--store {spec!r}: expected rdflib, oxigraph, oxigraph:DIR or "
                         f"sparql+http(s)://HOST:PORT/PATH")
    return backend, Path(folder) if folder else None


class Store:
    """A dataset of named graphs, queried with SPARQL; its default graph is their union.

    ``backend`` chooses the engine (:data:`BACKENDS`); ``rdflib`` is the default.
    """

    #: which engine answers
    backend = "rdflib"
    #: whether each answer comes whole, streamed from this process's memory or disk (no
    #: endpoint between that cuts a long answer short): the projection then reads each
    #: answer at once, not in sorted pages (:func:`kg.analysis.reading.pages_for`)
    streams_answers = True
    #: whether the engine chooses the order of a group's joins itself: rdflib's evaluates a
    #: group in its written order, and a subquery again for each row before it, so a
    #: batch's graph names are not moved into a subquery of their own for it
    #: (:func:`kg.analysis.reading.driven_by_batch`)
    plans_joins = False
    #: whether looking triple patterns up in the store's own indexes answers faster than
    #: its engine answers the same rows as one query: rdflib's memory store, whose engine
    #: walks each pattern again per binding; the checks (:func:`kg.check_rows.in_store`),
    #: the kinds and the asserted graph's counts then look up rather than ask
    looks_up_faster = True
    #: whether the engine runs rdflib's parsed algebra of a query, so that a named query
    #: is parsed before it is first asked for (:mod:`kg.analysis.warmup`)
    runs_rdflib_algebra = True
    #: whether kg's SHACL-SPARQL rules and the validation's CONSTRUCT of a neighbourhood
    #: run on the store's own engine, in this process, when its default graph holds the
    #: data and the ontology alone (:func:`kg.shacl_sparql.store_runner`); else on a
    #: scratch Oxigraph store read from their N-Triples
    validates_in_place = False

    def __new__(cls, backend: str = "rdflib", **options: Any) -> Store:
        if backend not in BACKENDS:
            raise InputError(f"unknown store backend {backend!r} (expected "
                             f"{', '.join(BACKENDS)})")
        if cls is Store and backend == "oxigraph":
            from .oxigraph_store import OxigraphStore

            return super().__new__(OxigraphStore)
        return super().__new__(cls)

    def __init__(self, backend: str = "rdflib") -> None:
        self._dataset = Dataset(default_union=True)
        bind_prefixes(self._dataset)

    def __getnewargs_ex__(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return (self.backend,), {}

    def check_syntax(self, sparql: str) -> bool:
        """Parse ``sparql`` (kg's prefixes declared) with the engine that will run it,
        apart from running it, raising :class:`SyntaxError` if it cannot: ``True`` when it
        was parsed so, ``False`` when the engine has no such parse (rdflib's, whose parser
        is kg's guard's own: :func:`kg.sparql_guard.prepare` then parses it)."""
        return False

    # -- writing (only while loading) ------------------------------------------------
    def add_triples(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add triples to the named graph ``graph`` (created when new)."""
        target = self._dataset.graph(graph)
        for triple in triples:
            target.add(triple)  # type: ignore[arg-type]

    def add_derived(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add triples derived from the store's own statements (the search, date and order
        keys: :mod:`kg.search_keys`) to the named graph ``graph`` (the entailed graph) and
        to the union default graph at once, as entailment writes its own. Here the union
        is the named graphs' (it follows); Oxigraph writes its union's copy too."""
        self.add_triples(graph, triples)

    def add_derived_values(self, graph: URIRef,
                           rows: Iterable[tuple[str, URIRef, str | int | URIRef]]) -> None:
        """:meth:`add_derived` for rows of plain Python values, as the keys come: each
        ``(subject IRI, predicate, value)``, the value a ``str`` (a plain literal), an
        ``int`` (an ``xsd:integer``) or a :class:`~rdflib.URIRef` (an IRI). A store that
        writes text (Oxigraph) makes no rdflib term of them (made one by one, the terms
        cost more than the writing); this one makes them, each distinct literal once."""
        literal = functools.lru_cache(maxsize=None)(Literal)
        self.add_derived(graph, ((URIRef(s), p, v if isinstance(v, URIRef) else literal(v))
                                 for s, p, v in rows))

    def load_file(self, path: Path, *, graph: URIRef) -> tuple[set[URIRef], set[Node] | None]:
        """Parse one RDF file (strictly, :func:`kg.parse.parse_file`) into the store: a
        TriG or N-Quads file's named graphs keep their names, the rest goes into ``graph``.
        Returns the named graphs written and the file's subjects (``None`` from a store
        that does not collect them: :meth:`subjects_by_graph` gives them later). Nothing
        is written when the file is not well-formed."""
        from .parse import parse_file

        by_graph: dict[URIRef, list[tuple[Node, Node, Node]]] = {}
        subjects: set[Node] = set()
        for s, p, o, g in parse_file(path).quads():
            name = graph if g is None or g == DATASET_DEFAULT_GRAPH_ID else g
            name = name.identifier if isinstance(name, Graph) else name  # type: ignore[assignment]
            by_graph.setdefault(name, []).append((s, p, o))  # type: ignore[arg-type]
            subjects.add(s)
        for name, triples in by_graph.items():  # one write per graph, not one per triple
            self.add_triples(name, triples)
        return set(by_graph), subjects

    def remove_graphs(self, names: Iterable[URIRef]) -> None:
        """Remove the named graphs ``names``, and from the union (the default graph) the
        triples that no remaining named graph holds (here the union follows by itself)."""
        for name in names:
            self._dataset.remove_graph(name)

    def copy_to(self, folder: Path) -> Store:
        """A writable copy of this store in the new folder ``folder`` (the union with it);
        this store is only read. Only a store kept in a folder can be copied to one."""
        raise NotImplementedError(f"the {self.backend} store is kept in memory, not in a "
                                  f"folder: it cannot be copied to {folder}")

    def close(self) -> None:
        """Let go of what the store holds open, now rather than when its last reference
        goes (nothing for rdflib's memory store); the store is not used afterwards. A
        caller about to remove a store's folder closes it first: an exception's traceback
        may keep the store referenced while the folder is removed."""

    def finish_loading(self) -> None:
        """Called once the files are loaded: whatever the store prepares for reading is
        done now, once (nothing for rdflib; Oxigraph fills its union default graph)."""

    def subjects_by_graph(self) -> dict[URIRef, set[Node]]:
        """Each named graph -> the subjects of its triples."""
        return {name: set(self._dataset.graph(name).subjects()) for name in self.graph_names()}

    def materialize_entailment(self, *, ontology: URIRef, into: URIRef) -> int:
        """Write into the graph ``into`` what RDFS entailment adds about the data's own
        subjects (:mod:`kg.entail`; the ontology is the graph ``ontology``, the data every
        other graph); returns how many triples."""
        from .entail import RDFLIB_TERMS, rdfs_entailment

        data: list[tuple[Node, Node, Node]] = []
        schema: list[tuple[Node, Node, Node]] = []
        for s, p, o, g in self.quads():
            if g == ontology:
                schema.append((s, p, o))
            elif g != into:
                data.append((s, p, o))
        derived = rdfs_entailment(data, schema, terms=RDFLIB_TERMS)
        self.add_triples(into, derived)
        return len(derived)

    # -- reading ----------------------------------------------------------------------
    def graph_names(self) -> list[URIRef]:
        """The names of the dataset's named graphs, sorted."""
        return sorted(
            g.identifier for g in self._dataset.graphs()  # type: ignore[misc]
            if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)
        )

    def merged(self, *, without: Iterable[URIRef] = ()) -> Graph:
        """The named graphs but ``without``, merged (a set) into one rdflib graph: a copy."""
        skip = set(without)
        union = Graph()
        bind_prefixes(union)
        for name in self.graph_names():
            if name not in skip:
                for triple in self._dataset.graph(name):
                    union.add(triple)
        return union

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

    def size(self, graph: URIRef | None = None) -> int:
        """The number of triples in the named graph ``graph``, or in the default graph
        (the union, a set) with ``None``; nothing is copied."""
        return len(self._dataset if graph is None else self._dataset.graph(graph))

    def graph_sizes(self) -> dict[URIRef, int]:
        """Each named graph -> how many triples it holds (:meth:`size` of each, at once: a
        store may count them all in one pass)."""
        return {name: self.size(name) for name in self.graph_names()}

    def __len__(self) -> int:
        """The number of quads (a triple in two graphs counts twice)."""
        return sum(len(self._dataset.graph(name)) for name in self.graph_names())

    def query(self, sparql: Any, *, bindings: Mapping[str, Node] | None = None,
              default_graphs: Iterable[URIRef] | None = None,
              named_graphs: Iterable[URIRef] | None = None) -> Result:
        """Run a SPARQL query (text or prepared) with variables bound, never pasted.

        ``sparql`` is a text, or a :class:`~kg.sparql_guard.PreparedQuery` (whose own
        dataset applies unless ``default_graphs`` / ``named_graphs`` are given).
        ``default_graphs`` / ``named_graphs`` restrict the dataset the query sees to graphs
        of this store (the SPARQL protocol's ``default-graph-uri`` / ``named-graph-uri``);
        nothing is ever fetched from elsewhere.
        """
        if isinstance(sparql, PreparedQuery):
            if default_graphs is None and named_graphs is None:
                default_graphs, named_graphs = sparql.default_graphs, sparql.named_graphs
            sparql = sparql.query
        target = self._dataset
        if default_graphs is not None or named_graphs is not None:
            target = self._view(default_graphs, named_graphs)
        if not isinstance(sparql, str):
            return target.query(sparql, initBindings=dict(bindings or {}))
        # rdflib parses the text with pyparsing, whose grammar is not safe to use from two
        # threads at once (the projection's reading asks three queries at once: a parse
        # action's arity, worked out at its first call, came out wrong, a TypeError from
        # then on); the answer is read after, unlocked
        with PARSER_LOCK:
            return target.query(sparql, initBindings=dict(bindings or {}))

    def select(self, sparql: str, *, bindings: Mapping[str, Node] | None = None,
               named_graphs: Iterable[URIRef] | None = None) -> Iterator[tuple[Any, ...]]:
        """The rows of a SELECT query text over the whole dataset, as plain values in the
        order of its variables: IRIs, blank nodes and literals as their text (a literal's
        lexical form), ``xsd:boolean`` literals as ``bool``, ``None`` when unbound.

        For readers that want values, not RDF terms (the analysis projection): a store
        may answer it without building a term per value (Oxigraph does).

        ``named_graphs``, when given, are the only named graphs the query's ``GRAPH``
        patterns need: a store may leave the others out of its dataset (the default graph
        stays the union of all). A remote store does, so as not to send every graph's
        name with each request; this one ignores it (a narrowed view would be a copy).
        """
        for row in self.query(sparql, bindings=bindings):
            yield tuple(plain_value(value) for value in row)  # type: ignore[union-attr]

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
            for triple in self.graph(name):
                target.add(triple)
        return data.serialize(format=format)

    # -- for validation: the asserted graphs handed to a SHACL engine ------------------
    def constructed(self, sparql: str) -> bytes:
        """The triples of a CONSTRUCT query text over the whole dataset, as N-Triples
        (UTF-8; a store may write them without building a term per value: Oxigraph does)."""
        return self.query(sparql).serialize(format="nt", encoding="utf-8") or b""

    def ntriples(self, graphs: Iterable[URIRef]) -> bytes:
        """The triples of the named graphs ``graphs``, as N-Triples (UTF-8); a triple in
        two of them is written twice."""
        return b"".join(self.graph(name).serialize(format="nt", encoding="utf-8")
                        for name in graphs)
