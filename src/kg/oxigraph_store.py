"""The :class:`~kg.store.Store` seam on `Oxigraph <https://github.com/oxigraph/oxigraph>`_
(pyoxigraph), in memory or in a folder on disk.

Same methods, same answers as the rdflib store, with three of Oxigraph's ways worked
around rather than leaked to callers:

* **the union is a set.** Oxigraph's union default graph is a bag (a triple stated by two
  articles would come back twice); kg's default graph is the union of the named graphs
  as a set. So Oxigraph's own default graph is filled with that union, deduplicated,
  and queries run on it. Loading writes the named graphs only (each file parsed by
  pyoxigraph and handed over whole, no term converted); the union is filled inside
  Oxigraph when loading is done (:meth:`OxigraphStore.finish_loading`, or before the
  first read after a write), from the graphs written since, one SPARQL ``ADD`` per
  graph (a graph copied as it is read: an ``INSERT … WHERE`` would gather every solution
  before writing one). Entailment writes its graph and the union together (the rules'
  updates insert into both);
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

import functools
import itertools
import mmap
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from .asserted import internal_query
from .entail import (
    RuleTables,
    SchemaGrew,
    Vocabulary,
    meta_class_triples,
    needed_predicates,
    rdfs_entailment,
    rdfs_entailment_of,
    rule_tables,
)
from .errors import QueryError
from .namespaces import PREFIXES, bind_prefixes
from .parse import read_quads
from .queries import with_values
from .results import check_size, json_literal, select_json
from .sparql_guard import PreparedQuery, QueryKind
from .store import Store
from .values_blocks import at_markers

__all__ = ["BackgroundCopy", "FolderCopy", "OxigraphStore", "copy_to_folder",
           "write_oxigraph"]

_XSD_STRING = str(XSD.string)
_XSD_BOOLEAN = str(XSD.boolean)
_XSD_INTEGER = str(XSD.integer)
#: what a string literal's text escapes in N-Triples (``"``, ``\\``, line ends)
_ESCAPES = str.maketrans({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r"})
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_DEFAULT = ox.DefaultGraph()
#: how many derived triples :meth:`OxigraphStore._write_derived` writes at once
_DERIVED_BATCH = 50_000
#: how many named graphs one update copies into the union (:meth:`OxigraphStore._fill_union`:
#: one operation per graph; the batch bounds the update's text, not what it gathers)
_UNION_BATCH = 10_000
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
        return _literal(term)
    raise QueryError(f"kg cannot use the RDF term {term!r}")


@functools.lru_cache(maxsize=1 << 16)
def _literal(term: Any) -> Literal:
    """A pyoxigraph literal as an rdflib one, made once per distinct literal (rdflib's
    ``Literal`` parses a typed value when made: about 20-80 us each, where a result's
    rows repeat the same labels and dates; both kinds of term are immutable)."""
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype), normalize=False)


class OxigraphStore(Store):
    """A dataset of named graphs in Oxigraph; its default graph is their union (a set).

    >>> store = Store(backend="oxigraph")
    >>> store.add_triples(URIRef("urn:g"), [(URIRef("urn:a"), URIRef("urn:b"), Literal("c"))])
    >>> store.query("SELECT ?o WHERE { ?s ?p ?o }").bindings[0][Variable("o")]
    rdflib.term.Literal('c')
    """

    backend = "oxigraph"
    plans_joins = True
    looks_up_faster = False
    runs_rdflib_algebra = False
    validates_in_place = True

    def __init__(self, backend: str = "oxigraph", *, path: Path | str | None = None,
                 read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        #: the named graphs, sorted, until the next write
        self._names: list[URIRef] | None = None
        #: graph (``None``: the union) -> how many triples it holds, until the next write
        self._sizes: dict[URIRef | None, int] = {}
        #: the named graphs (pyoxigraph terms) written since the union was last filled
        self._stale: set[Any] = set()
        self._union_lock = threading.Lock()
        if self.path is None:
            self._ox = ox.Store()
        elif read_only:
            from .errors import InputError

            if not (self.path / "CURRENT").is_file():  # (RocksDB's: every store folder has it)
                what = "folder" if self.path.is_dir() else "path"
                raise InputError(f"{self.path}: no Oxigraph store in this {what} "
                                 f"(kg build --store-dir writes one)")
            try:
                self._ox = ox.Store.read_only(str(self.path))
            except (OSError, RuntimeError) as error:  # (RuntimeError: RocksDB's corruption)
                raise InputError(f"{self.path}: cannot open the Oxigraph store in this "
                                 f"folder ({error}); write it again with kg build "
                                 f"--store-dir") from None
        else:
            self._ox = ox.Store(str(self.path))

    def check_syntax(self, sparql: str) -> bool:
        """:meth:`kg.store.Store.check_syntax`: parsed by Oxigraph on an empty store of its
        own (milliseconds), this one left alone."""
        ox.Store().query(sparql, prefixes=_PREFIXES)
        return True

    # -- travelling to worker processes ---------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        self._fill_union()
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
        """Add triples to the named graph ``graph`` (the union follows, see the module)."""
        self._writable()
        name = to_ox(graph)
        self._ox.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in triples])
        self._written(name)

    def add_derived(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """:meth:`Store.add_derived`: each triple written into ``graph`` and into the
        union default graph (:meth:`_write_derived`), so the union is not refilled from
        ``graph``."""
        self._writable()
        self._write_derived(to_ox(graph), triples, line=_rdflib_line, term=to_ox)
        self._written()

    def add_derived_values(self, graph: URIRef,
                           rows: Iterable[tuple[str, URIRef, str | int | URIRef]]) -> None:
        """:meth:`Store.add_derived_values`: each row written as an N-Triples line straight
        from its values (no rdflib term made), into ``graph`` and the union."""
        self._writable()
        self._write_derived(to_ox(graph), rows, line=_value_line, term=_same)
        self._written()

    def load_file(self, path: Path, *, graph: URIRef) -> tuple[set[URIRef], set[Node] | None]:
        """Parse one RDF file straight into Oxigraph (pyoxigraph's parser, kg's checks and
        located errors: :func:`kg.parse.read_quads`), its quads handed over as pyoxigraph
        made them; nothing is written when the file is not well-formed. The file's
        subjects are not collected (``None``): :class:`~kg.load.KnowledgeGraph` asks the
        store for them when it needs them."""
        self._writable()
        quads = read_quads(path)
        names = {quad.graph_name for quad in quads}
        if any(isinstance(name, ox.DefaultGraph) for name in names):  # Turtle, N-Triples
            own = to_ox(graph)
            quads = [ox.Quad(q.subject, q.predicate, q.object, own)
                     if isinstance(q.graph_name, ox.DefaultGraph) else q for q in quads]
            names = {own if isinstance(name, ox.DefaultGraph) else name for name in names}
        self._ox.extend(quads)
        self._written(*names)
        return {URIRef(name.value) for name in names}, None

    def subjects_by_graph(self) -> dict[URIRef, set[Node]]:
        """Each named graph -> the subjects of its triples."""
        found: dict[URIRef, set[Node]] = {}
        for row in self._ox.query(internal_query("graph-subjects").text):
            found.setdefault(URIRef(row[0].value), set()).add(from_ox(row[1]))
        return found

    def materialize_entailment(self, *, ontology: URIRef, into: URIRef) -> int:
        """:meth:`Store.materialize_entailment` inside Oxigraph: for data that states no
        schema, the rules run as SPARQL updates (``src/kg/sparql/entail-*.rq``) joining
        the data with the tables :func:`kg.entail.rule_tables` draws from the ontology;
        only the ontology, the data's predicates and classes are read into Python.
        Otherwise (data stating schema, or reaching a meta-class) the rules run in Python
        on the data triples they use (:meth:`_entail_in_python`)."""
        ontology_name, into_name = to_ox(ontology), to_ox(into)
        skip = (ontology_name, into_name)
        schema = [(q.subject, q.predicate, q.object)
                  for q in self._ox.quads_for_pattern(None, None, None, ontology_name)]
        outside = {"graphs": (("ontology", "entailed"), [skip])}
        used = [row[0] for row in self._ox.query(
            at_markers(internal_query("entail-predicates").text, outside))]
        data_schema = self._data_triples(
            [p for p in used if p in (_OX_TERMS.sub_class_of, _OX_TERMS.sub_property_of,
                                      _OX_TERMS.domain, _OX_TERMS.range)], skip)
        tables = None
        if not data_schema:
            classes = [row[0] for row in self._ox.query(
                at_markers(internal_query("entail-classes").text, outside))]
            tables = rule_tables(schema, used, classes, terms=_OX_TERMS)
        if tables is None:
            self._add_entailed(into_name, self._entail_in_python(schema, used, data_schema,
                                                                 skip))
        else:
            # the schema's closure and the predicates' own types, about data subjects
            rest = rdfs_entailment_of((), schema, terms=_OX_TERMS, predicates=used,
                                      subjects=_DataSubjects(self._ox, skip, ()),
                                      stated=_DataTriples(self._ox, skip, set(), set()))
            self._add_entailed(into_name, rest)
            graphs = (ontology_name, into_name)
            self._run_rules(tables, graphs)
            for name, rows in (("entail-domain-nodes", tables.meta_domains),
                               ("entail-range-nodes", tables.meta_ranges)):
                for predicate, cls in rows:  # (a few nodes: typed rdf:Property, say)
                    nodes = self._ox.query(at_markers(_update_text(name), {
                        "": (("ontology", "entailed", "p"), [(*graphs, predicate)])}))
                    stated = _DataTriples(self._ox, (into_name,), set(), set())
                    self._add_entailed(into_name, [
                        triple for row in nodes
                        for triple in meta_class_triples(row[0], cls, terms=_OX_TERMS)
                        if triple not in stated])
        self._written()  # (the union has the entailed triples already)
        return self.size_of(into_name)

    def _run_rules(self, tables: RuleTables, graphs: tuple[Any, Any]) -> None:
        """The data rules of ``tables`` as two SPARQL updates inside Oxigraph, each over all
        the data at once: the statements under their super-properties
        (``entail-super-properties.rq``) and the nodes' classes from the domains, the
        ranges and the superclasses (``entail-types.rq``). Each derived triple is written
        once (the updates keep distinct rows, where a rule per predicate and class wrote a
        node's class once per rule and predicate that gave it) and only when no named
        graph states it (so no triple is written to be deleted after)."""
        at = ("ontology", "entailed")
        if tables.super_properties:
            self._ox.update(at_markers(_update_text("entail-super-properties"), {
                "graphs": (at, [graphs]),
                "predicates": (("p",), _column(tables.super_properties, 0)),
                "pairs": (("p", "super"), tables.super_properties),
                "supers": (("super",), _column(tables.super_properties, 1))}))
        if tables.domains or tables.ranges or tables.superclasses:
            self._ox.update(at_markers(_update_text("entail-types"), {
                "graphs": (at, [graphs]),
                "domain-predicates": (("p",), _column(tables.domains, 0)),
                "domains": (("p", "class"), tables.domains),
                "range-predicates": (("p",), _column(tables.ranges, 0)),
                "ranges": (("p", "class"), tables.ranges),
                "typed": (("type",), _column(tables.superclasses, 0)),
                "superclasses": (("type", "class"), tables.superclasses),
                "classes": (("class",), _column(
                    (*tables.domains, *tables.ranges, *tables.superclasses), 1))}))

    def _add_entailed(self, into: Any, triples: Iterable[tuple[Any, Any, Any]]) -> None:
        """Add ``triples`` (pyoxigraph terms) to the graph ``into`` and to the union, as
        the rules' updates do (:meth:`materialize_entailment`)."""
        self._write_derived(into, triples, line=_oxigraph_line, term=_same)

    def _write_derived(self, into: Any, triples: Iterable[tuple[Any, Any, Any]], *,
                       line: Callable[[tuple[Any, Any, Any]], str | None],
                       term: Callable[[Any], Any]) -> None:
        """Write ``triples`` into the graph ``into`` (a pyoxigraph term) and into the union
        default graph, in batches of :data:`_DERIVED_BATCH` (only a batch is held in
        Python at once). A batch is written as N-Triples text, each triple's
        ``line``, that Oxigraph parses and loads into each of the two graphs, leniently
        (its IRIs were checked when the files were read, or are made by kg from such; a
        bulk load, which checks them again, took longer): no pyoxigraph term or quad is
        made in Python (which cost more than the writing). A
        triple with a blank node (``line`` gives ``None``) is written as quads instead, its
        terms made by ``term``: parsing it would give the node a new label."""
        todo = iter(triples)
        while batch := list(itertools.islice(todo, _DERIVED_BATCH)):
            lines, quads = [], []
            for triple in batch:
                text = line(triple)
                if text is not None:
                    lines.append(text)
                    continue
                s, p, o = (term(t) for t in triple)
                quads += (ox.Quad(s, p, o, into), ox.Quad(s, p, o, _DEFAULT))
            if lines:
                data = "".join(lines).encode("utf-8")
                for graph in (into, _DEFAULT):
                    self._ox.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph,
                                  lenient=True)
            if quads:
                self._ox.bulk_extend(quads)

    def size_of(self, name: Any) -> int:
        """How many triples the graph ``name`` (a pyoxigraph term) holds (counted inside
        Oxigraph: no quad is made in Python)."""
        count = self._ox.query(internal_query("statement-count").text, default_graph=name)
        return int(next(iter(count))[0].value)

    def _entail_in_python(self, schema: list[Any], used: list[Any], data_schema: set[Any],
                          skip: tuple[Any, ...]) -> set[Any]:
        """The rules in Python (:mod:`kg.entail`), reading into Python only the data
        triples the rules use (:func:`kg.entail.needed_predicates`): each data predicate
        with a super-property, a domain or a range, ``rdf:type`` and the schema
        predicates; whether a derived triple is about a data subject, or already stated,
        is asked of the store. Should the data derive schema statements
        (:class:`kg.entail.SchemaGrew`), every triple is read, as the rules then need."""
        needed = needed_predicates([*schema, *data_schema], used, terms=_OX_TERMS)
        given = self._data_triples(needed, skip)
        try:
            return rdfs_entailment_of(given, schema, terms=_OX_TERMS, predicates=used,
                                      subjects=_DataSubjects(self._ox, skip, given),
                                      stated=_DataTriples(self._ox, skip, given, needed))
        except SchemaGrew:
            return rdfs_entailment(self._data_triples(used, skip), schema, terms=_OX_TERMS)

    def _data_triples(self, predicates: Iterable[Any], skip: tuple[Any, ...]) -> set[Any]:
        """The triples of ``predicates`` in the named graphs but ``skip``, as a set."""
        found = set()
        for predicate in predicates:
            for q in self._ox.quads_for_pattern(None, predicate, None, None):
                name = q.graph_name
                if not isinstance(name, ox.DefaultGraph) and name not in skip:
                    found.add((q.subject, predicate, q.object))
        return found

    def finish_loading(self) -> None:
        """Fill the union default graph now, once, rather than at the first read."""
        self._fill_union()

    def remove_graphs(self, names: Iterable[URIRef]) -> None:
        """:meth:`Store.remove_graphs`: inside Oxigraph, one graph at a time (a triple that
        two removed graphs hold leaves the union with the last of them): the graph's
        triples that no other named graph holds are deleted from the union
        (``sparql/union-without-graph.rq``), then the graph."""
        self._writable()
        self._fill_union()
        forget = _update_text("union-without-graph")
        for name in names:
            self._ox.update(at_markers(forget, {"": (("g",), [(f"<{name}>",)])}))
            self._ox.remove_graph(to_ox(name))
        self._written()

    def close(self) -> None:
        """:meth:`Store.close`: the pyoxigraph store is dropped, so RocksDB closes its
        files and ends its background work (a flush or compaction that would otherwise
        write into a folder being removed). Any use afterwards raises
        :class:`~kg.errors.KgError`."""
        self._ox = _Closed(self.path)

    def copy_to(self, folder: Path) -> OxigraphStore:
        """:meth:`Store.copy_to`: RocksDB's checkpoint of the store (its immutable files
        hard-linked when ``folder`` is on the same file system: milliseconds), opened for
        writing; the union is filled first, so that the copy holds it."""
        if self.path is None:
            return super().copy_to(folder)  # type: ignore[return-value]
        self._fill_union()
        self._ox.backup(str(folder))
        return OxigraphStore(path=folder)

    def _writable(self) -> None:
        if self.read_only:
            raise QueryError("this Oxigraph store is open read-only")

    def _written(self, *graphs: Any) -> None:
        """Note a write into the named graphs ``graphs`` (pyoxigraph terms), whose triples
        the union then lacks until :meth:`_fill_union`."""
        self._names = None
        self._sizes = {}
        self._stale.update(graphs)

    def _fill_union(self) -> None:
        """Add to Oxigraph's default graph (the union, a set) the triples of the graphs
        written since it was last filled: inside Oxigraph, one ``ADD`` per graph
        (``sparql/union-of-graphs.rq``), :data:`_UNION_BATCH` of them per update."""
        if not self._stale:
            return
        with self._union_lock:
            for blank in [g for g in self._stale if not isinstance(g, ox.NamedNode)]:
                # (a graph named by a blank node: SPARQL cannot name it in an update; rare)
                self._ox.extend([ox.Quad(q.subject, q.predicate, q.object, _DEFAULT)
                                 for q in self._ox.quads_for_pattern(None, None, None, blank)])
                self._stale.discard(blank)
            stale = sorted(self._stale, key=str)
            operation = _operation(_update_text("union-of-graphs"))
            for start in range(0, len(stale), _UNION_BATCH):
                batch = stale[start:start + _UNION_BATCH]
                self._ox.update(" ;\n".join(operation.replace("<urn:x-kg:graph>", str(name))
                                             for name in batch))
                self._stale.difference_update(batch)

    # -- reading ----------------------------------------------------------------------
    def graph_names(self) -> list[URIRef]:
        """The named graphs, sorted; Oxigraph's list, kept until the next write."""
        names = self._names
        if names is None:
            # sorted as strings (URIRef's order, compared in C, not by rdflib's __lt__)
            names = self._names = [URIRef(value) for value in sorted(
                g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))]
        return list(names)

    def graph(self, name: URIRef) -> Graph:
        """One named graph, copied into an rdflib graph (empty if absent)."""
        return self._copy(to_ox(name), Graph(identifier=name))

    def merged(self, *, without: Iterable[URIRef] = ()) -> Graph:
        """The named graphs but ``without``, merged (a set) into one rdflib graph: one pass
        over Oxigraph's quads, each distinct term converted once."""
        skip = {to_ox(name) for name in without}
        term = functools.lru_cache(maxsize=None)(from_ox)  # each distinct term once

        into = Graph()
        bind_prefixes(into)
        into.addN((term(q.subject), term(q.predicate), term(q.object), into)
                  for q in self._ox.quads_for_pattern(None, None, None, None)
                  if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name not in skip)
        return into

    def union(self) -> Graph:
        """The default graph (the union of the named graphs), copied into an rdflib graph."""
        self._fill_union()
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
        """How many triples ``graph`` (default: the union) holds; counted once until the
        next write (a count scans the graph: about 0.5 s for the union at a million)."""
        if graph not in self._sizes:
            self._fill_union()
            self._sizes[graph] = self.size_of(_DEFAULT if graph is None else to_ox(graph))
        return self._sizes[graph]

    def graph_sizes(self) -> dict[URIRef, int]:
        """:meth:`Store.graph_sizes` in one query (``sparql/graph-sizes.rq``), where a count
        per graph is a query per graph (ten thousand at ten thousand articles); kept as
        :meth:`size` keeps a count."""
        counted = {URIRef(name): int(count)
                   for name, count in self.select(internal_query("graph-sizes").text)}
        sizes = {name: counted.get(name, 0) for name in self.graph_names()}
        self._sizes.update(sizes)
        return sizes

    def __len__(self) -> int:
        self._fill_union()
        union = next(iter(self._ox.query(internal_query("statement-count").text)))
        return len(self._ox) - int(union[0].value)

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
        return _result(self._answer(text, bindings, default_graphs, named_graphs), kind)

    def _answer(self, text: str, bindings: Mapping[str, Node] | None,
                default_graphs: Iterable[URIRef] | None,
                named_graphs: Iterable[URIRef] | None) -> Any:
        """Oxigraph's answer to the query ``text`` (``bindings`` written in as ``VALUES``)
        over the dataset of :meth:`_dataset`, the union filled first."""
        self._fill_union()
        store, options = self._dataset(default_graphs, named_graphs)
        return store.query(with_values(text, bindings or {}), prefixes=_PREFIXES, **options)

    def _solutions(self, text: str, bindings: Mapping[str, Node] | None,
                   default_graphs: Iterable[URIRef] | None,
                   named_graphs: Iterable[URIRef] | None, *, what: str) -> Any:
        """:meth:`_answer` of a ``SELECT``: its solutions (``what`` runs nothing else)."""
        answer = self._answer(text, bindings, default_graphs, named_graphs)
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError(f"{what} runs SELECT queries only")
        return answer

    def select_json(self, prepared: PreparedQuery, *, max_rows: int | None = None) -> bytes:
        """The SPARQL JSON results of a checked ``SELECT``, written from Oxigraph's
        solutions: what :meth:`query` then :meth:`kg.results.QueryResult.serialize` give,
        byte for byte (lexical forms kept as Oxigraph returns them, as :func:`from_ox`
        does), without an rdflib term or row object per value (a quarter of the endpoint's
        time on large answers). More than ``max_rows`` rows is
        :class:`~kg.errors.ResultTooLarge`, read no further."""
        answer = self._solutions(prepared.text, None, prepared.default_graphs,
                                 prepared.named_graphs, what="select_json")
        names = [variable.value for variable in answer.variables]
        limit = None if max_rows is None else max_rows + 1
        bindings = [{name: _json_term(term) for name, term in zip(names, solution)
                     if term is not None}
                    for solution in itertools.islice(answer, limit)]
        check_size(len(bindings), max_rows, "rows")
        return select_json(names, bindings)

    def select(self, sparql: str, *, bindings: Mapping[str, Node] | None = None,
               named_graphs: Iterable[URIRef] | None = None) -> Iterator[tuple[Any, ...]]:
        """:meth:`Store.select` straight from Oxigraph's solutions: no rdflib term made;
        ``named_graphs`` narrow the dataset's named graphs (the default graph stays the
        union)."""
        answer = self._solutions(sparql, bindings, None, named_graphs, what="Store.select")
        for solution in answer:
            yield tuple(map(_plain, solution))

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
        """The named graphs (not the union), written by Oxigraph itself: ``nquads`` (each
        graph dumped as N-Triples, its name appended to each line: the same lines as the
        rdflib store writes) or ``trig`` (graph by graph in name order, with kg's
        prefixes)."""
        names = [ox.NamedNode(str(name)) for name in self.graph_names()]
        if format == "nquads":
            lines = []
            for name in names:
                suffix = f"{name} .\n"
                text = self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
                lines.extend(line[:-1] + suffix for line in text.decode("utf-8").splitlines()
                             if line)
            return "".join(lines)
        if format == "trig":
            quads = (quad for name in names
                     for quad in self._ox.quads_for_pattern(None, None, None, name))
            return (ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=_PREFIXES)
                    or b"").decode("utf-8")
        return super().serialize(format=format)

    # -- for validation: the asserted graphs handed to a SHACL engine ------------------
    def constructed(self, sparql: str) -> bytes:
        """:meth:`Store.constructed`, written by Oxigraph (no rdflib term on the way)."""
        self._fill_union()
        answer = self._ox.query(sparql, prefixes=_PREFIXES, default_graph=_DEFAULT)
        if not isinstance(answer, ox.QueryTriples):
            raise QueryError("Store.constructed runs CONSTRUCT queries only")
        return answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b""

    def ntriples(self, graphs: Iterable[URIRef]) -> bytes:
        """:meth:`Store.ntriples`, written by Oxigraph (no rdflib term on the way)."""
        return b"".join(self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=to_ox(name))
                        for name in graphs)


class _DataSubjects:
    """``node in subjects``: is ``node`` the subject of a triple in a named graph but
    ``skip``? (Asked of the store, the answers kept.)"""

    def __init__(self, store: Any, skip: tuple[Any, ...], given: Iterable[Any]) -> None:
        self._store, self._skip = store, skip
        self._known: dict[Any, bool] = {s: True for s, _, _ in given}  # data triples' own

    def __contains__(self, node: Any) -> bool:
        found = self._known.get(node)
        if found is None:
            found = self._known[node] = not isinstance(node, ox.Literal) and any(
                not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name not in self._skip
                for q in self._store.quads_for_pattern(node, None, None, None))
        return found


class _DataTriples:
    """``(s, p, o) in stated``: is the triple in a named graph but ``skip``? ``given``
    holds every such triple of the predicates ``complete``: those are answered from it,
    the others asked of the store."""

    def __init__(self, store: Any, skip: tuple[Any, ...], given: set[Any],
                 complete: set[Any]) -> None:
        self._store, self._skip = store, skip
        self._given, self._complete = given, complete

    def __contains__(self, triple: Any) -> bool:
        if triple in self._given:
            return True
        s, p, o = triple
        if p in self._complete or isinstance(s, ox.Literal):
            return False
        return any(not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name not in self._skip
                   for q in self._store.quads_for_pattern(s, p, o, None))


class _Closed:
    """What a closed :class:`OxigraphStore` holds instead of its pyoxigraph store: any use
    says so, where ``None`` would fail with an ``AttributeError`` naming nothing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def __getattr__(self, name: str) -> Any:
        from .errors import KgError

        where = f"{self.path}: " if self.path is not None else ""
        raise KgError(f"{where}this Oxigraph store was closed; open it again to use it")


def _rdflib_line(triple: tuple[Node, Node, Node]) -> str | None:
    """An N-Triples line of rdflib terms; ``None`` when one is a blank node."""
    s, p, o = triple
    if isinstance(s, BNode) or isinstance(o, BNode):
        return None
    if isinstance(o, Literal):
        text = '"' + str(o).translate(_ESCAPES) + '"'
        if o.language:
            text += "@" + o.language
        elif o.datatype is not None and str(o.datatype) != _XSD_STRING:
            text += f"^^<{o.datatype}>"
        return f"<{s}> <{p}> {text} .\n"
    return f"<{s}> <{p}> <{o}> .\n"


def _value_line(row: tuple[str, URIRef, str | int | URIRef]) -> str:
    """An N-Triples line of a row of :meth:`Store.add_derived_values`."""
    s, p, value = row
    if isinstance(value, str):
        if isinstance(value, URIRef):
            return f"<{s}> <{p}> <{value}> .\n"
        return f'<{s}> <{p}> "{value.translate(_ESCAPES)}" .\n'
    return f'<{s}> <{p}> "{int(value)}"^^<{_XSD_INTEGER}> .\n'


def _oxigraph_line(triple: tuple[Any, Any, Any]) -> str | None:
    """An N-Triples line of pyoxigraph terms (their ``str`` is their N-Triples form);
    ``None`` when one is a blank node."""
    s, p, o = triple
    if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
        return None
    return f"{s} {p} {o} .\n"


def _same(term: Any) -> Any:
    return term


def _column(rows: Iterable[tuple[Any, ...]], index: int) -> list[tuple[Any]]:
    """The distinct values of column ``index`` of ``rows``, in their order, as rows of a
    one-variable ``VALUES`` table."""
    return [(value,) for value in dict.fromkeys(row[index] for row in rows)]


def _update_text(name: str) -> str:
    """One of kg's own SPARQL updates (``src/kg/sparql/<name>.rq``), read once."""
    return internal_query(name).text


def _operation(text: str) -> str:
    """An update's text without its comment lines (repeated once per graph, they would
    only be parsed again)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#"))


def _json_term(term: Any) -> dict[str, str]:
    """A pyoxigraph term as SPARQL JSON results write it (as :func:`kg.results.QueryResult.serialize`
    writes :func:`from_ox`'s term)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    return json_literal(term.value, term.language, term.datatype.value)


def _plain(term: Any) -> Any:
    """A pyoxigraph term as :meth:`Store.select` gives it (see :func:`kg.store.plain_value`)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD_BOOLEAN:
        return term.value in ("true", "1")
    return term.value


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


def copy_to_folder(store: OxigraphStore, folder: Path | str, *,
                   unless_blank_nodes: bool = False, optimize: bool = False) -> Path | None:
    """Copy an Oxigraph store, its union default graph included, into a new store folder
    (which must not exist yet), inside Oxigraph: dumped as N-Quads, bulk-loaded (then
    compacted, with ``optimize``); the folder. Blank nodes get new labels in the copy (the
    same node, the same label): with ``unless_blank_nodes``, a store that may hold one is
    not copied (``None``, no folder made)."""
    folder = Path(folder)
    dump = folder.with_name(folder.name + ".nq")  # streamed through a file, not memory
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        store._fill_union()
        store._ox.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        if unless_blank_nodes and _may_hold_blank_nodes(dump):
            return None
        target = ox.Store(str(folder))
        target.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        target.flush()
        if optimize:
            target.optimize()
        del target
        return folder
    finally:
        dump.unlink(missing_ok=True)


class FolderCopy:
    """A copy of an Oxigraph store into a new store folder, begun while the store is still
    being loaded, so that writing the copy and loading overlap (on two cores).

    Begun, it dumps the named graphs the store holds (N-Quads, through a file) and
    bulk-loads them into the new store in a background thread: Oxigraph builds the new
    store's files without holding Python's lock, so the load goes on meanwhile.
    :meth:`finish` then dumps every named graph written since (the entailed graph, say) and
    the union default graph, and bulk-loads the union in a thread of its own, beside the
    rest, so that both cores write; and closes the copy.

    The graphs the first part copies must not be written again in between (a load writes
    the ontology and data graphs first, then only the entailed graph and the union); a
    store whose union is not empty yet is not copied early (:meth:`begin` returns
    ``None``). A bulk load gives blank nodes new labels, so a node split between two bulk
    loads would become two: a store holding a blank node is not copied early either, and
    should one appear in what is written after, :meth:`finish` copies the whole store in
    one bulk load instead (:func:`copy_to_folder`).
    """

    def __init__(self, store: OxigraphStore, folder: Path, dump: Path) -> None:
        self._store, self.folder = store, folder
        self._first = set(store._ox.named_graphs())
        self._target: Any = ox.Store(str(folder))
        self._errors: list[BaseException] = []
        self._threads = [self._in_background(dump)]

    @classmethod
    def begin(cls, store: Store, folder: Path | str) -> FolderCopy | None:
        """A copy of ``store`` into ``folder`` (which must not exist yet) begun now;
        ``None`` when ``store`` is not copied early (see the class)."""
        if not isinstance(store, OxigraphStore) or next(iter(store._ox.quads_for_pattern(
                None, None, None, _DEFAULT)), None) is not None:
            return None
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        dump = folder.with_name(folder.name + "-0.nq")
        store._ox.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        if _may_hold_blank_nodes(dump):
            dump.unlink()
            return None
        return cls(store, folder, dump)

    def _in_background(self, dump: Path, graph: Any = None) -> threading.Thread:
        """A thread, started, that bulk-loads ``dump`` (its error kept for :meth:`finish`)."""
        def load() -> None:
            try:
                self._load(dump, graph)
            except BaseException as error:  # noqa: BLE001 - raised by finish()
                self._errors.append(error)

        thread = threading.Thread(target=load, name="kg-copy-store", daemon=True)
        thread.start()
        return thread

    def _load(self, dump: Path, graph: Any) -> None:
        """Bulk-load ``dump`` (N-Quads; with ``graph``, N-Triples into that graph) into the
        copy, then remove it."""
        try:
            if graph is None:
                self._target.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
            else:
                self._target.bulk_load(path=str(dump), format=ox.RdfFormat.N_TRIPLES,
                                       to_graph=graph)
        finally:
            dump.unlink(missing_ok=True)

    def finish(self) -> Path:
        """Add what was written since the copy began, close the copy; its folder."""
        store = self._store
        store._fill_union()
        dumps = []
        for number, name in enumerate([_DEFAULT, *(g for g in store._ox.named_graphs()
                                                   if g not in self._first)], start=1):
            dump = self.folder.with_name(f"{self.folder.name}-{number}.nt")
            dumps.append((dump, name))
            store._ox.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        if any(_may_hold_blank_nodes(dump) for dump, _ in dumps):
            self.close()
            for dump, _ in dumps:
                dump.unlink(missing_ok=True)
            shutil.rmtree(self.folder, ignore_errors=True)
            copy_to_folder(store, self.folder)
            return self.folder
        self._threads.append(self._in_background(*dumps[0]))  # the union
        try:
            for dump, name in dumps[1:]:
                self._load(dump, name)
        finally:
            self.close()
        if self._errors:
            raise self._errors[0]
        return self.folder

    def close(self) -> None:
        """Wait for the copying threads, close the copy: once it is finished (called by
        :meth:`finish`), or to give it up (the caller then removes its folder)."""
        for thread in self._threads:
            thread.join()
        self._threads = []
        if self._target is not None and not self._errors:
            self._target.flush()
        self._target = None


class BackgroundCopy:
    """A copy of a loaded store into a new store folder, made in a thread of its own while
    the caller goes on (``kg build`` validates, writes its files and projects meanwhile):
    the store is dumped as N-Quads and bulk-loaded into the folder, both inside Oxigraph,
    which holds Python's lock for neither. Nothing may be written into the store until
    :meth:`wait` returns.

    A bulk load gives blank nodes new labels, where whoever reads the copy beside the
    store (the build's projection, read from the store in memory) needs the same ones: a
    store holding a blank node is not copied this way, :meth:`wait` answering ``False``
    (the caller copies it with :func:`write_oxigraph`, which keeps them; ``folder`` is
    not made then). A store of another backend is not copied either.
    """

    def __init__(self, store: Store, folder: Path | str) -> None:
        self.folder = Path(folder)
        self._error: BaseException | None = None
        self._copied = False
        self._thread: threading.Thread | None = None
        if not isinstance(store, OxigraphStore):
            return
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        store._fill_union()  # (now: nothing is written into the store from the thread)
        self._thread = threading.Thread(target=self._copy, args=(store,),
                                        name="kg-copy-store", daemon=True)
        self._thread.start()

    def _copy(self, store: OxigraphStore) -> None:
        try:
            self._copied = copy_to_folder(store, self.folder, unless_blank_nodes=True,
                                          optimize=True) is not None
        except BaseException as error:  # noqa: BLE001 - raised by wait()
            self._error = error

    def wait(self) -> bool:
        """Wait for the copy: whether ``folder`` now holds it (``False``: not copied, see
        the class); an error the copy met is raised here."""
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._copied


def _may_hold_blank_nodes(dump: Path) -> bool:
    """Whether an N-Triples or N-Quads file may name a blank node (``_:``; a literal or an
    IRI holding those two characters answers yes too, which only costs a slower copy)."""
    if dump.stat().st_size == 0:
        return False
    with dump.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as text:
        return text.find(b"_:") != -1


def write_oxigraph(store: Store, folder: Path | str) -> Path:
    """Write every named graph of ``store`` into a new Oxigraph store in ``folder`` (which
    must not exist yet), with the union as its default graph; returns the folder."""
    folder = Path(folder)
    target = ox.Store(str(folder))
    if isinstance(store, OxigraphStore):  # the union is already its default graph
        store._fill_union()
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
