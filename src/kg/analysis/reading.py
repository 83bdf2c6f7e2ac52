"""Read what the projection needs from the store, with the SPARQL of ``sparql/*.rq`` only.

Every query goes through :meth:`kg.store.Store.query` with its graph names bound (never
pasted in), so another store serves the projection unchanged. The answer is a
:class:`Raw`: plain strings and tuples, no rdflib objects, read once per loaded graph.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from rdflib import Literal, URIRef

from ..contradictions import contradicted
from ..namespaces import ENTAILED_GRAPH, ONTOLOGY_GRAPH

__all__ = ["Raw", "read", "read_all_edges", "sparql_text", "run"]

#: the graph names every analysis query may use
BINDINGS = {"ontology": ONTOLOGY_GRAPH, "entailed": ENTAILED_GRAPH}


@functools.cache
def sparql_text(name: str) -> str:
    """The text of ``sparql/NAME.rq``, shipped inside the package."""
    return (resources.files(__package__) / "sparql" / f"{name}.rq").read_text(encoding="utf-8")


def run(graph: Any, name: str, **bindings: Any) -> list[tuple[Any, ...]]:
    """Run the analysis query ``name`` with the graph names and ``bindings`` bound;
    rows of plain values (IRIs and literals as ``str``, ``None`` when unbound)."""
    bound = dict(BINDINGS)
    bound.update({k: v if isinstance(v, (URIRef, Literal)) else URIRef(v)
                  for k, v in bindings.items()})
    result = graph.store.query(sparql_text(name), bindings=bound)
    return [tuple(_plain(value) for value in row) for row in result]


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Literal):
        datatype = str(value.datatype) if value.datatype is not None else None
        if datatype and datatype.endswith("#boolean"):
            return value.toPython() is True
        return str(value)
    return str(value)


def _typed(value: Any) -> tuple[str, str | None]:
    return str(value), (str(value.datatype) if isinstance(value, Literal) and value.datatype
                        else None)


@dataclass
class Raw:
    """Everything the projection is built from, as plain Python values."""

    #: node -> the network-node classes it is an instance of
    node_classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (relationship, class, source, target, label value or None)
    relationships: list[tuple[str, str, str, str, str | None]] = field(default_factory=list)
    #: (subject, property, object) -> graphs stating it (edge properties)
    property_edges: dict[tuple[str, str, str], set[str]] = field(
        default_factory=lambda: defaultdict(set))
    #: (subject, property, object) -> graphs stating it (every resource statement)
    all_edges: dict[tuple[str, str, str], set[str]] = field(
        default_factory=lambda: defaultdict(set))
    #: article -> {"label", "publisher", "publisher_label", "issued"}
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: node -> article -> quotes
    quotes: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    #: node -> articles stating it (kg:statedIn)
    stated_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, str] = field(default_factory=dict)
    editorial: set[str] = field(default_factory=set)
    #: node -> [(alt label, graph)]
    alt_labels: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: node -> [(property, lexical value, datatype, graph)]
    dates: dict[str, list[tuple[str, str, str | None, str]]] = field(
        default_factory=lambda: defaultdict(list))
    #: (node, property, graph) -> inference note ("" when none)
    inferred: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: node -> articles whose graph mentions it
    mentions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    events: set[str] = field(default_factory=set)
    #: fact -> the properties two sources give different values of (:mod:`kg.contradictions`)
    contradicted: dict[str, set[str]] = field(default_factory=dict)
    #: whether ``all_edges`` has been read
    full_read: bool = False

    def label(self, iri: str) -> str:
        """The node's label, or the last segment of its IRI."""
        return self.labels.get(iri) or iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def read(graph: Any) -> Raw:
    """Read the whole projection input of ``graph`` (a :class:`~kg.load.KnowledgeGraph`)."""
    raw = Raw()
    for node, cls in run(graph, "node-classes"):
        raw.node_classes[node].add(cls)
    raw.relationships = sorted(run(graph, "relationships"), key=lambda r: tuple(x or "" for x in r))
    for s, p, o, g in run(graph, "property-edges"):
        raw.property_edges[(s, p, o)].add(g)
    for article, label, publisher, publisher_label, issued in run(graph, "articles"):
        raw.articles[article] = {"label": label, "publisher": publisher,
                                 "publisher_label": publisher_label, "issued": issued}
    for node, g, quote in run(graph, "quotes"):
        if quote not in raw.quotes[node][g]:
            raw.quotes[node][g].append(quote)
    for node, g in run(graph, "stated-in"):
        raw.stated_in[node].add(g)
    for node, label, editorial in run(graph, "labels"):
        if node not in raw.labels or label < raw.labels[node]:
            raw.labels[node] = label
        if editorial is True:
            raw.editorial.add(node)
    for node, alt, g in run(graph, "alt-labels"):
        raw.alt_labels[node].append((alt, g))
    for node, type_ in run(graph, "types"):
        raw.types[node].add(type_)
    result = graph.store.query(sparql_text("dates"), bindings=BINDINGS)
    for node, prop, value, g in result:
        lexical, datatype = _typed(value)
        raw.dates[str(node)].append((str(prop), lexical, datatype, str(g)))
    for node, prop, note, g in run(graph, "inferred"):
        raw.inferred[(node, prop, g)] = note or ""
    for node, g in run(graph, "mentions"):
        raw.mentions[node].add(g)
    raw.events = {row[0] for row in run(graph, "events")}
    raw.contradicted = contradicted(graph)
    for values in raw.quotes.values():
        for quotes in values.values():
            quotes.sort()
    for alts in raw.alt_labels.values():
        alts.sort()
    return raw


def read_all_edges(graph: Any, raw: Raw) -> None:
    """Fill ``raw.all_edges`` (only the ``full`` view needs them)."""
    excluded = {row[0] for row in run(graph, "excluded-properties")}
    for s, p, o, g in run(graph, "all-edges"):
        if p not in excluded:
            raw.all_edges[(s, p, o)].add(g)
    raw.full_read = True
