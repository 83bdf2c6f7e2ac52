"""The date keys: each date indexed by its month (or year) when the store is loaded, for
``events-between.rq``.

``events-between`` finds the events dated in a range. Testing every date of the graph
against the range reads every dated thing (tens of thousands at 10,000 articles), so each
thing's ``kg:date`` is indexed here once, as statements in the entailed graph (derived,
never validated, never counted as a source's statement)::

    ?thing kg:dateKey "2015-01"                         # a day or month: its month
    ?thing kg:dateKey "2015"                            # a date given only by a year
    <entailed graph> kg:indexedDateKey "2015-01"        # each key some thing has, once

The query tests the few keys (one per month or year that has a dated thing) against the
range with the very test it applies to a date (a month spans its first to its 31st day,
a year its 1 January to its 31 December), looks up the things of the keys that pass, and
only then tests their dates exactly as before. A day's key is the month that starts its
text, and the month's span holds the day, so a key passes whenever one of its dates
does: the keys only narrow the things the exact test reads, and the answers are those of
testing every date (``tests/test_date_keys.py``).

The key is taken from the date's text as the store holds it (``STR``, after Oxigraph's
normalization of literals), so each store's keys match what its engine compares.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef

from .namespaces import KG
from .store import Store

__all__ = ["date_key", "materialize_date_keys"]

_SPARQL = Path(__file__).resolve().parent / "sparql"


def date_key(date: str) -> str:
    """The key of a date's text: the month of a day (``YYYY-MM-DD...``), else the text
    itself (a month ``YYYY-MM``, a year ``YYYY``, or anything else).

    >>> date_key("2015-01-31"), date_key("2015-01"), date_key("2015")
    ('2015-01', '2015-01', '2015')
    """
    if len(date) >= 10 and date[4] == "-" and date[7] == "-":
        return date[:7]
    return date


def materialize_date_keys(store: Store, *, into: URIRef) -> int:
    """Write a ``kg:dateKey`` for every dated thing of ``store``, and a
    ``kg:indexedDateKey`` of the graph ``into`` for each distinct key, into ``into`` (the
    entailed graph: call it after entailment); returns how many things' keys."""
    dates = (_SPARQL / "date-keys.rq").read_text(encoding="utf-8")
    if store.backend == "oxigraph":
        return _on_oxigraph(store, dates, into)
    keys = {(thing, date_key(str(date))) for thing, date in store.query(dates)}
    store.add_triples(into, [(thing, KG.dateKey, Literal(key)) for thing, key in keys]
                      + [(into, KG.indexedDateKey, Literal(key))
                         for key in {key for _, key in keys}])
    return len(keys)


def _on_oxigraph(store: Store, dates: str, into: URIRef) -> int:
    """:func:`materialize_date_keys` in pyoxigraph terms: each statement written into
    ``into`` and into the union default graph at once, as entailment and
    :mod:`kg.search_keys` write theirs (the union is not refilled from the entailed
    graph)."""
    import pyoxigraph as ox

    from .namespaces import PREFIXES

    ox_store = store._ox  # type: ignore[attr-defined]
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    predicate, graph = ox.NamedNode(str(KG.dateKey)), ox.NamedNode(str(into))
    keys = {(thing, date_key(date.value))
            for thing, date in ox_store.query(dates, prefixes=prefixes)}
    quads = []
    for thing, key in keys:
        literal = ox.Literal(key)
        quads += [ox.Quad(thing, predicate, literal, graph),
                  ox.Quad(thing, predicate, literal, ox.DefaultGraph())]
    indexed = ox.NamedNode(str(KG.indexedDateKey))
    for key in {key for _, key in keys}:
        literal = ox.Literal(key)
        quads += [ox.Quad(graph, indexed, literal, graph),
                  ox.Quad(graph, indexed, literal, ox.DefaultGraph())]
    # outside a transaction, as the load writes the rest: nothing reads the store yet
    ox_store.bulk_extend(quads)
    store._written()  # type: ignore[attr-defined]
    return len(keys)
