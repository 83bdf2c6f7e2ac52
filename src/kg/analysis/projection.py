"""The network projection: the graph as a :class:`networkx.MultiDiGraph`, sources on every edge.

Driven only by the ontology's declarations (read with SPARQL by :mod:`.reading`): instances
of classes marked ``kg:networkNode true`` are nodes; statements of properties marked
``kg:networkEdge true`` are edges from subject to object; each instance of a class with
``kg:edgeSource`` / ``kg:edgeTarget`` is one edge between those values, labelled by the
label of its ``kg:edgeLabel`` value (else by the class's label). There is no per-class
code: a relationship class declared in the ontology appears here as it is.

Two views:

``actors``
    people, organizations, places, projects, agreements, events (the network-node classes)
    as nodes; relationship nodes (posts, memberships, signatures, designations) become
    labelled edges: ``Leyla Aliyeva --Vice President--> Heydar Aliyev Foundation``.
``full``
    every resource as a node (relationship nodes kept), every statement between two
    resources as an edge (``rdf:type`` and properties marked ``kg:networkEdge false``
    aside). No literal becomes a node.

Node attributes: ``iri``, ``label``, ``alt_labels`` (``[{"label", "source", "source_label"}]``:
the graph that gives the name, and its label when it is an article), ``types``,
``categories`` (the network-node classes it belongs to, as local names), ``kind``,
``label_is_editorial``, ``sources`` (articles mentioning it), ``dates``, ``validity``,
``contradiction``.

Edge attributes (the key is the relationship's IRI, or the property's): ``kind``
(``"relationship"`` or ``"property"``), ``relationship`` (the relationship's IRI, or the
fact that states a property edge), ``predicate``, ``label``, ``dates`` (each
``{"property", "value", "precision", "inferred", "note", "sources"}``), ``sources`` (each
``{"article", "label", "publisher", "publisher_label", "issued", "quotes"}``),
``validity`` (``"known"`` / ``"reported"``, see :mod:`.timefilter`), ``contradiction``
(true when two articles give different values of one property of the fact -- a date, a
place, a role, a party ...: the notion of :func:`kg.contradictions`, values at different
precisions agreeing), ``inferred`` (the number of inferred dates). A fact two articles report is one edge with two sources.

The projection is built once per loaded graph and filter set, and kept in a small LRU cache
per process (in a worker pool, each worker keeps its own). A server's workers do not read
the store themselves: the unfiltered ``actors`` view and its input are built once and
saved (:mod:`.snapshot`), and each worker installs them (:func:`install`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..by_identity import ByIdentity
from ..errors import ParameterError
from .reading import AUTO, Raw, check_page_size, local_name, read, read_all_edges
from .timefilter import Span, holds, validity

__all__ = ["Filters", "VIEWS", "build", "projection", "raw_of", "local_name", "install",
           "installed", "use_saved"]

VIEWS = ("actors", "full")
_CACHE_SIZE = 32
_lock = threading.Lock()
#: each loaded graph's projection input
_raw_cache: ByIdentity[Raw] = ByIdentity()
#: each loaded graph's projections by their filters, the most recently used last (at
#: most _CACHE_SIZE a graph)
_projections: ByIdentity[OrderedDict[Filters, nx.MultiDiGraph]] = ByIdentity()
#: a graph's saved actors view, how to load its Raw, how to load its saved unfiltered
#: full view or None (:func:`install`)
Saved = tuple[nx.MultiDiGraph, Callable[[], Raw], Callable[[], nx.MultiDiGraph] | None]
#: each loaded graph's :data:`Saved`
_installed: ByIdentity[Saved] = ByIdentity()
#: the loaded graphs whose saved projection was looked for (:func:`use_saved`)
_looked_for: ByIdentity[bool] = ByIdentity()


@dataclass(frozen=True)
class Filters:
    """What a projection keeps: the view, the two time axes, one source, node types."""

    view: str = "actors"
    as_of: Span | None = None
    reported_by: Span | None = None
    source: str | None = None
    node_types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.view not in VIEWS:
            raise ParameterError(f"view must be one of {', '.join(VIEWS)}, not {self.view!r}")

    @property
    def by_source(self) -> bool:
        return self.reported_by is not None or self.source is not None


def raw_of(graph: Any, *, page_size: int | str | None = AUTO) -> Raw:
    """The projection input of ``graph``, read once per loaded graph in this process
    (``page_size`` rows per query at a time, when it is read: see :mod:`.reading`)."""
    check_page_size(page_size)
    with _lock:
        known = _raw_cache.get(graph)
        if known is not None:
            return known
    saved = use_saved(graph)
    raw = saved[1]() if saved is not None else read(graph, page_size=page_size)
    with _lock:
        return _raw_cache.put(graph, raw)


def projection(graph: Any, filters: Filters, *,
               page_size: int | str | None = AUTO) -> nx.MultiDiGraph:
    """The (cached, shared: do not modify) projection of ``graph`` under ``filters``;
    ``page_size``: rows per query when the store is read (the first time only)."""
    saved = use_saved(graph)
    with _lock:
        if saved is not None and filters == Filters():
            return saved[0]
        kept = _projections.get(graph)
        cached = None if kept is None else kept.get(filters)
        if cached is not None:
            kept.move_to_end(filters)
            return cached
    if saved is not None and saved[2] is not None and filters == Filters(view="full"):
        return _keep(graph, filters, saved[2]())  # read, not built
    raw = raw_of(graph, page_size=page_size)
    if filters.view == "full" and not raw.full_read:
        with _lock:
            if not raw.full_read:
                read_all_edges(graph, raw, page_size=page_size)
    return _keep(graph, filters, build(raw, filters))


def use_saved(graph: Any, *, before_keeping: Callable[[], None] | None = None
              ) -> Saved | None:
    """``graph``'s installed projection (:func:`install`); the first time, the one saved
    for it is installed if there is one (:func:`.snapshot.install_saved`: in the store
    folder ``kg build --store-dir`` wrote, or kept in kg's cache beside its store or for
    its pushed triplestore), so that every surface (a command, a server, a notebook's
    ``kg.load(store="oxigraph:DIR")``) reads that file rather than every fact again; for a
    store with a place in the cache and none kept there yet (``kg.load(..., cache=True)``
    reopened from it), one is read, kept and installed now, as a command keeps it
    (``before_keeping`` called first)."""
    with _lock:
        saved = _installed.get(graph)
        if saved is not None or _looked_for.get(graph) is not None:
            return saved
        _looked_for.put(graph, True)
    from .snapshot import install_saved

    install_saved(graph, keep=True, before_keeping=before_keeping)
    with _lock:
        return _installed.get(graph)


def _keep(graph: Any, filters: Filters, view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``view``, ``graph``'s projection under ``filters``, kept for the graph's lifetime
    (the least recently used of its projections goes past :data:`_CACHE_SIZE`)."""
    with _lock:
        kept = _projections.get(graph)
        if kept is None:
            kept = _projections.put(graph, OrderedDict())
        kept[filters] = view
        while len(kept) > _CACHE_SIZE:
            kept.popitem(last=False)
    return view


def install(graph: Any, actors: nx.MultiDiGraph, *, raw: Callable[[], Raw],
            full: Callable[[], nx.MultiDiGraph] | None = None) -> None:
    """Use ``actors`` as ``graph``'s unfiltered ``actors`` projection in this process (kept
    for the graph's lifetime, never evicted), ``raw()`` as its input when it is first
    needed, instead of reading the store, and ``full()`` as its unfiltered ``full`` view
    when one is first asked for, instead of building it (see :mod:`.snapshot`)."""
    with _lock:
        _installed.put(graph, (actors, raw, full))


def installed(graph: Any) -> bool:
    """Whether ``graph``'s unfiltered ``actors`` view was installed (:func:`install`)."""
    with _lock:
        return _installed.get(graph) is not None


def _type_names(attrs: dict[str, Any]) -> set[str]:
    """What ``node_types`` may name a node by: its categories, its types' IRIs and local
    names."""
    return set(attrs["categories"]) | set(attrs["types"]) | {local_name(t)
                                                             for t in attrs["types"]}


def build(raw: Raw, filters: Filters) -> nx.MultiDiGraph:
    """Build the projection of ``raw`` under ``filters`` (uncached)."""
    return _Builder(raw, filters).build()


class _Builder:
    def __init__(self, raw: Raw, filters: Filters) -> None:
        self.raw = raw
        self.filters = filters
        self.kept = self._kept_sources()
        # a fact's dates and sources, worked out once: it gives each of its property edges
        # the same (a fact has several; 311,590 workings for 81,470 nodes at 10,000
        # articles). What is shared is only read.
        self._dates: dict[str, tuple[list[dict[str, Any]], dict[str, list[Span]], bool]] = {}
        self._records: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = {}

    def _kept_sources(self) -> set[str]:
        kept = set(self.raw.articles)
        f = self.filters
        if f.source is not None:
            kept &= {f.source}
        if f.reported_by is not None:
            kept = {a for a in kept if self.raw.articles[a]["issued"]
                    and Span.parse(self.raw.articles[a]["issued"]).end <= f.reported_by.end}
        return kept

    # -- pieces ---------------------------------------------------------------------
    def source_records(self, node: str, articles: set[str]) -> list[dict[str, Any]]:
        key = (node, frozenset(articles))
        found = self._records.get(key)
        if found is None:
            found = self._records[key] = self._source_records(node, articles)
        return found

    def _source_records(self, node: str, articles: set[str]) -> list[dict[str, Any]]:
        records = []
        for article in sorted(articles & self.kept,
                              key=lambda a: (self.raw.articles[a]["issued"] or "", a)):
            meta = self.raw.articles[article]
            records.append({"article": article, "label": meta["label"],
                            "publisher": meta["publisher"],
                            "publisher_label": meta["publisher_label"],
                            "issued": meta["issued"],
                            "quotes": list(self.raw.quotes.get(node, {}).get(article, []))})
        return records

    def dates(self, node: str) -> tuple[list[dict[str, Any]], dict[str, list[Span]], bool]:
        found = self._dates.get(node)
        if found is None:
            found = self._dates[node] = self._worked_out_dates(node)
        return found

    def _worked_out_dates(self, node: str) -> tuple[list[dict[str, Any]], dict[str, list[Span]],
                                                    bool]:
        grouped: dict[tuple[str, str], dict[str, Any]] = {}
        for prop, value, _datatype, g in self.raw.dates.get(node, []):
            if g in self.raw.articles and g not in self.kept:
                continue
            try:
                span = Span.parse(value)
            except ValueError:
                continue
            entry = grouped.setdefault((prop, value), {
                "property": local_name(prop), "value": str(span), "precision": span.precision,
                "inferred": False, "note": None, "sources": []})
            if g in self.raw.articles:
                entry["sources"].append(g)
            note = self.raw.inferred.get((node, prop, g))
            if note is not None:
                entry["inferred"] = True
                entry["note"] = entry["note"] or note or None
        entries = sorted(grouped.values(), key=lambda e: (e["property"], e["value"]))
        spans: dict[str, list[Span]] = defaultdict(list)
        for entry in entries:
            entry["sources"].sort()
            spans[entry["property"]].append(Span.parse(entry["value"]))
        return entries, dict(spans), node in self.raw.contradicted

    def node_attrs(self, node: str) -> dict[str, Any] | None:
        raw, f = self.raw, self.filters
        mentioned = raw.mentions.get(node, set()) & self.kept
        if f.by_source and not mentioned:
            return None
        dates, spans, contradiction = self.dates(node)
        if f.as_of is not None and spans and not holds(spans, f.as_of, event=node in raw.events):
            return None
        is_fact = node in raw.stated_in
        categories = sorted({local_name(c) for c in raw.node_classes.get(node, ())})
        types = sorted(raw.types.get(node, ()))
        alts = [{"label": alt, "source": g,
                 "source_label": raw.articles[g]["label"] if g in raw.articles else None}
                for alt, g in raw.alt_labels.get(node, [])
                if g not in raw.articles or g in self.kept]
        return {"iri": node, "label": raw.label(node), "alt_labels": alts, "types": types,
                "categories": categories,
                "kind": categories[0] if categories else (local_name(types[0]) if types else ""),
                "label_is_editorial": node in raw.editorial,
                "sources": sorted(mentioned),
                "dates": dates,
                "validity": validity(spans, f.as_of) if is_fact else "known",
                "contradiction": contradiction}

    # -- the graph ------------------------------------------------------------------
    def build(self) -> nx.MultiDiGraph:
        raw, f = self.raw, self.filters
        g = nx.MultiDiGraph(view=f.view, as_of=str(f.as_of) if f.as_of else "",
                            reported_by=str(f.reported_by) if f.reported_by else "",
                            source=f.source or "", node_types=",".join(f.node_types))
        dropped: set[str] = set()
        wanted = set(f.node_types)

        def ensure(node: str) -> bool:
            if node in g:
                return True
            if node in dropped:
                return False
            attrs = self.node_attrs(node)
            if attrs is None or (wanted and not wanted & _type_names(attrs)):
                dropped.add(node)  # (a node of no wanted type: no edge of its either)
                return False
            g.add_node(node, **attrs)
            return True

        # every person, organization and place, in either view: one the data names without
        # a statement linking it yet is still there to be looked up and shown
        for node in sorted(raw.node_classes):
            ensure(node)
        if f.view == "actors":
            self._relationship_edges(g, ensure)
            statements = raw.property_edges
            only_nodes = True
        else:
            statements = raw.all_edges
            only_nodes = False
        for (s, p, o), graphs in sorted(statements.items()):
            if only_nodes and (s not in g or o not in g):
                continue
            self._property_edge(g, ensure, s, p, o, graphs)
        return g

    def _relationship_edges(self, g: nx.MultiDiGraph, ensure: Any) -> None:
        raw, f = self.raw, self.filters
        grouped: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
        for rel, cls, source, target, label_value in raw.relationships:
            values = grouped[(rel, cls, source, target)]
            if label_value and label_value not in values:
                values.append(label_value)
        seen: set[tuple[str, str, str]] = set()
        for (rel, cls, source, target), label_values in grouped.items():
            if (rel, source, target) in seen:  # a subclass and its superclass both declared
                continue
            seen.add((rel, source, target))
            articles = raw.stated_in.get(rel, set()) & self.kept
            if f.by_source and not articles:
                continue
            dates, spans, contradiction = self.dates(rel)
            if f.as_of is not None and spans and not holds(spans, f.as_of,
                                                           event=rel in raw.events):
                continue
            if not (ensure(source) and ensure(target)):
                continue
            label = ", ".join(raw.label(v) for v in label_values) or raw.label(cls)
            node_validity = [g.nodes[source]["validity"], g.nodes[target]["validity"]]
            own = validity(spans, f.as_of)
            g.add_edge(source, target, key=rel, kind="relationship", relationship=rel,
                       predicate=cls, label=label, class_label=raw.label(cls),
                       dates=dates, sources=self.source_records(rel, articles),
                       validity="reported" if "reported" in node_validity + [own] else "known",
                       contradiction=contradiction,
                       inferred=sum(1 for d in dates if d["inferred"]))

    def _property_edge(self, g: nx.MultiDiGraph, ensure: Any, s: str, p: str, o: str,
                       graphs: set[str]) -> None:
        raw, f = self.raw, self.filters
        articles = graphs & self.kept
        if f.by_source and not articles:
            return
        if not (ensure(s) and ensure(o)):
            return
        fact = s if s in raw.stated_in else None
        dates, spans, contradiction = self.dates(s) if fact else ([], {}, False)
        node_validity = {g.nodes[s]["validity"], g.nodes[o]["validity"]}
        g.add_edge(s, o, key=p, kind="property", relationship=fact, predicate=p,
                   label=raw.label(p), class_label="", dates=dates,
                   sources=self.source_records(s, articles),
                   validity="reported" if "reported" in node_validity else "known",
                   contradiction=contradiction, inferred=sum(1 for d in dates if d["inferred"]))
