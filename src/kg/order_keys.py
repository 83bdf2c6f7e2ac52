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

from rdflib import URIRef

from .asserted import internal_query
from .namespaces import KG
from .store import Store

__all__ = ["materialize_earlier_counts"]

def materialize_earlier_counts(store: Store, *, into: URIRef) -> int:
    """Write a ``kg:earlierCount`` for every thing of ``store`` that comes after something
    into the graph ``into`` (the entailed graph: call it after entailment) and the union
    (:meth:`~kg.store.Store.add_derived`); returns how many."""
    counts = internal_query("earlier-counts").text
    predicate = KG.earlierCount  # (looked up once, not per thing)
    rows = [(thing, predicate, int(count)) for thing, count in store.select(counts)]
    store.add_derived_values(into, rows)
    return len(rows)
