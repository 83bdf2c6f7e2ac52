"""The date keys: each date indexed by its month (or year) when the store is loaded, for
``events-between.rq`` and ``cq09-month-timeline.rq``.

``events-between`` finds the events dated in a range. Testing every date of the graph
against the range reads every dated thing (tens of thousands at 10,000 articles), so each
thing's ``kg:date`` (and each article's ``dcterms:issued``) is indexed here once, as
statements in the entailed graph (derived, never validated, never counted as a source's
statement)::

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

``cq09-month-timeline`` looks up the month's own key and tests each date's text: a lookup
of plain strings, where a typed date made for each day of the month is taken for another
by some engines (Virtuoso 7.2 takes ``"2015-02"^^xsd:gYearMonth`` for 2015-02-01).

The key is taken from the date's text as the store holds it (``STR``, after Oxigraph's
normalization of literals), so each store's keys match what its engine compares.
"""

from __future__ import annotations

from rdflib import URIRef

from .asserted import internal_query
from .namespaces import KG
from .store import Store

__all__ = ["date_key", "materialize_date_keys"]

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
    entailed graph: call it after entailment) and the union
    (:meth:`~kg.store.Store.add_derived_values`); returns how many things' keys."""
    dates = internal_query("date-keys").text
    keys = {(thing, date_key(date)) for thing, date in store.select(dates)}
    predicate, indexed = KG.dateKey, KG.indexedDateKey  # (looked up once, not per key)
    store.add_derived_values(into, [(thing, predicate, key) for thing, key in keys]
                             + [(into, indexed, key) for key in sorted({k for _, k in keys})])
    return len(keys)
