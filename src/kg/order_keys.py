"""The order keys: for each thing, how many things the sources put before it, counted
once when the store is loaded, for ``events-between.rq``.

Within a day, ``events-between`` orders the events as the sources do: by how many things
an event comes after (``kg:after``), counting what it is part of (``kg:partOf``), directly
or through others. Counting that in the query walks the paths of every event of the graph
at every question (the count is not per event there: Virtuoso 7.2 drops the rows a
property path inside ``OPTIONAL`` does not match), so it is counted here once
(``src/kg/sparql/earlier-counts.rq``) and written into the entailed graph (derived, never
validated, never counted as a source's statement)::

    ?thing kg:earlierCount 2

A thing that comes after nothing has no count (the query reads it as 0).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef

from .namespaces import KG
from .store import Store

__all__ = ["materialize_earlier_counts"]

_SPARQL = Path(__file__).resolve().parent / "sparql"


def materialize_earlier_counts(store: Store, *, into: URIRef) -> int:
    """Write a ``kg:earlierCount`` for every thing of ``store`` that comes after something
    into the graph ``into`` (the entailed graph: call it after entailment); returns how
    many."""
    counts = (_SPARQL / "earlier-counts.rq").read_text(encoding="utf-8")
    if store.backend == "oxigraph":
        return _on_oxigraph(store, counts, into)
    rows = [(thing, int(count)) for thing, count in store.query(counts)]
    store.add_triples(into, [(thing, KG.earlierCount, Literal(count))
                             for thing, count in rows])
    return len(rows)


def _on_oxigraph(store: Store, counts: str, into: URIRef) -> int:
    """:func:`materialize_earlier_counts` in pyoxigraph terms: each count written into
    ``into`` and into the union default graph at once, as entailment writes its own
    triples (the union is not refilled from the entailed graph)."""
    import pyoxigraph as ox

    from .namespaces import PREFIXES

    ox_store = store._ox  # type: ignore[attr-defined]
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    predicate, graph = ox.NamedNode(str(KG.earlierCount)), ox.NamedNode(str(into))
    quads = []
    # over every named graph: the union default graph is filled later (lazily)
    for thing, count in ox_store.query(counts, prefixes=prefixes,
                                       use_default_graph_as_union=True):
        quads += [ox.Quad(thing, predicate, count, graph),
                  ox.Quad(thing, predicate, count, ox.DefaultGraph())]
    # outside a transaction, as the load writes the rest: nothing reads the store yet
    ox_store.bulk_extend(quads)
    store._written()  # type: ignore[attr-defined]
    return len(quads) // 2
