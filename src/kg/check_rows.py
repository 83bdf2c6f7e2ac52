"""The rows of kg's own check queries as plain values, over the whole store or a few nodes.

The dataset checks (:mod:`kg.checks`, :mod:`kg.kinds`, :mod:`kg.contradictions`) each ask
the store one set-based question, written in ``src/kg/sparql/<name>.rq``, and read the
answer with :meth:`kg.store.Store.select`: plain values (an IRI, a blank node's label or a
literal's lexical form as text), no RDF term built per value. A query restricts itself to
a table of terms (the nodes of an incremental run, the properties the ontology gives a
domain) at a marker line ``# VALUES <name>``: :func:`rows` writes the table there as a
``VALUES`` block (every line with that marker, so that each branch of a ``UNION`` gets
it); a marker without a table stays a comment, and the query is not restricted there.

The terms are kg's own (the ontology's) or the data's IRIs and literals, written with
:meth:`rdflib.term.Node.n3`, as :func:`kg.queries.with_values` binds a named query's
parameters for a store that takes only text; a blank node cannot be named in a query, so
a table holds none (:func:`nameable`). On rdflib's store the checks look up instead
(:func:`in_store`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import BNode, URIRef
from rdflib.term import Node

from .asserted import internal_query
from .values_blocks import Table, at_markers

if TYPE_CHECKING:
    from .load import KnowledgeGraph

__all__ = ["Table", "in_store", "nameable", "rows", "term", "with_tables"]



def in_store(graph: KnowledgeGraph) -> bool:
    """Whether the checks ask ``graph``'s store these queries: yes for Oxigraph (and a
    remote endpoint); rdflib's in-memory store answers the checks' look-ups in its own
    indexes faster than its SPARQL engine answers the queries, so the checks look up."""
    return not getattr(graph.store, "looks_up_faster", False)


def nameable(nodes: Iterable[Node]) -> bool:
    """Whether every one of ``nodes`` can be written in a query (no blank node)."""
    return not any(isinstance(n, BNode) for n in nodes)


def term(value: str, blank: Any) -> URIRef | BNode:
    """The rdflib term of a subject that :func:`rows` gave as ``value``, with ``blank`` the
    query's ``isBlank`` of it."""
    return BNode(value) if blank is True else URIRef(value)


def rows(graph: KnowledgeGraph, name: str, *,
         tables: Mapping[str, Table] | None = None) -> list[tuple[Any, ...]]:
    """The rows of ``src/kg/sparql/<name>.rq`` on ``graph``'s store, as plain values, with
    each of ``tables`` written at its marker line."""
    return list(graph.store.select(with_tables(name, tables)))


def with_tables(name: str, tables: Mapping[str, Table] | None = None) -> str:
    """The text of ``src/kg/sparql/<name>.rq`` with each of ``tables`` written at its
    marker line (:func:`rows`)."""
    return at_markers(internal_query(name).text, tables or {}, write=lambda term: term.n3(),
                      what=f"{name}.rq")
