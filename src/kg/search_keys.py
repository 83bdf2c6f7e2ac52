"""The search keys: each name folded once, when the store is loaded, for ``search.rq``.

The ``search`` named query finds a name by a part of it, ignoring case, accents, spaces
and punctuation. Folding every name with SPARQL's ``REPLACE`` at every search (twelve
regular expressions per name) scans the whole graph slowly; so each distinct name of a
thing (``rdfs:label`` or ``skos:altLabel`` in any graph, the thing named by an IRI) is
folded here once and written as one statement into the entailed graph (derived, like the
rest of that graph: never validated, never counted as a source's statement)::

    ?thing kg:searchKey "<folded name> <name>"

the folded name, one space (which no folded name holds), then the name's text. The query
scans these keys with ``CONTAINS`` (no regular expression), then joins the names whose
text follows the space.

The folding is the query's own: lower case (``LCASE``), the accented letters of
:data:`ACCENTS` replaced by their base letter, then every character that is not a letter
or a digit removed. :func:`fold` writes it in Python, which folds exactly as rdflib's
engine does (its ``REPLACE`` is Python's ``re``). Oxigraph's regular expressions may
disagree with Python's on characters outside ASCII and :data:`ACCENTS` (which marks are
"word" characters, for one), so the names holding such a character are folded by the
store's own engine, with the very expressions of ``search.rq``
(``src/kg/sparql/search-keys.rq``): each key is what the query would compute on that store.
The keys are written with :meth:`kg.store.Store.add_derived_values` (the entailed graph and the
union at once), as the date and order keys are.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from rdflib import Literal, URIRef

from .asserted import internal_query
from .namespaces import KG
from .store import Store
from .values_blocks import at_markers

__all__ = ["ACCENTS", "BLOCK_SIZE", "fold", "search_key", "search_blocks", "search_orders",
           "materialize_search_keys"]

#: each base letter -> the accented letters the search folds into it (as ``search.rq``)
ACCENTS = {
    "a": "àáâãäåāăą", "c": "çćĉċč", "e": "èéêëēĕėęěə", "i": "ìíîïĩīĭįı", "n": "ñńņňŉ",
    "o": "òóôõöøōŏő", "u": "ùúûüũūŭůűų", "y": "ýÿŷ", "s": "śŝşšș", "z": "źżž",
    "g": "ğĝġģ",
}
_TO_BASE = str.maketrans({accented: base for base, letters in ACCENTS.items()
                          for accented in letters})
_FOLDABLE = frozenset("".join(ACCENTS.values()))
_NOT_WORD = re.compile(r"[\W_\u0300-\u036F]")
#: about how many keys one block of folded names holds (:func:`search_blocks`)
BLOCK_SIZE = 100


def fold(text: str) -> str:
    """``text`` folded as the search folds it.

    >>> fold("Salim bin Mohammed Al-Malik")
    'salimbinmohammedalmalik'
    >>> fold("ĪCESCO")
    'icesco'
    """
    return _NOT_WORD.sub("", text.lower().translate(_TO_BASE))


def _foldable(text: str) -> bool:
    """Whether every engine folds ``text`` as :func:`fold` does: ASCII, or accented
    letters of :data:`ACCENTS` (in either case)."""
    return text.isascii() or all(char.isascii() or char.lower() in _FOLDABLE
                                 for char in text)


def search_key(name: str) -> str:
    """The key of one name, as Python (and rdflib) fold it: the folded name, a space,
    the name.

    >>> search_key("Al-Malik")
    'almalik Al-Malik'
    """
    return f"{fold(name)} {name}"


def materialize_search_keys(store: Store, *, into: URIRef) -> int:
    """Write a ``kg:searchKey`` for every thing and name of ``store`` into the graph
    ``into`` (the entailed graph: call it after entailment, which adds names too) and the
    union (:meth:`~kg.store.Store.add_derived_values`); returns how many.

    The names Python folds as every engine does are folded here; the others by the
    store's own engine, with the very expressions of ``search.rq``
    (``src/kg/sparql/search-keys.rq``, one query for all of them)."""
    keys, unfolded = set(), set()
    for entity, name in store.select(internal_query("search-names").text):
        if _foldable(name):
            keys.add((entity, search_key(name)))
        else:
            unfolded.add((entity, name))
    if unfolded:
        rows = sorted(unfolded)
        keys.update(store.select(at_markers(
            internal_query("search-keys").text,
            {"": (("entity", "name"), [(URIRef(e), Literal(n)) for e, n in rows])},
            write=lambda term: term.n3(), what="search-keys.rq")))
    predicate = KG.searchKey  # (a namespace's attribute is looked up at each use)
    store.add_derived_values(into, itertools.chain(
        ((entity, predicate, key) for entity, key in keys), search_blocks(keys, graph=into),
        search_orders(keys, _order_facts(store))))
    return len(keys)


def _order_facts(store: Store) -> dict[str, tuple[bool, list[str]]]:
    """Each thing of the data with a name -> (whether it is a person, organization or
    place; the texts of its labels), as ``search.rq`` reads them
    (``src/kg/sparql/search-order.rq``)."""
    facts: dict[str, tuple[bool, list[str]]] = {}
    for entity, is_entity, label in store.select(internal_query("search-order").text):
        labels = facts.setdefault(entity, (is_entity is True, []))[1]
        if label is not None:
            labels.append(str(label))
    return facts


def search_orders(keys: Iterable[tuple[str, str]],
                  facts: dict[str, tuple[bool, list[str]]]) -> list[tuple[str, URIRef, str]]:
    """The ``kg:searchOrder`` statements of ``keys`` (entity IRI, key) whose thing is in
    ``facts`` (a thing of the data: :func:`_order_facts`): ``"<position> <key>"``, the
    position (ten digits) of the key in the order of the first row ``search.rq`` lists
    for it: people, organizations and places first, then the least label (none first),
    the name, the IRI.

    Why that order is enough to cut a page before the look-ups: each key of a thing of
    the data gives ``search.rq`` at least one row, and the row of each key that sorts
    first sorts as the key's position does. So the rows ``0 .. n-1`` of the answer all
    come from the first ``n`` keys by position among those that hold the text (a key
    further on has ``n`` keys before it, each with a row before any of its own): the
    query takes those keys (``# PAGE END``: ``n`` is the page's offset plus its limit),
    looks up their rows and cuts the page out of them exactly as it did out of all rows.

    >>> rows = search_orders([("urn:p", "zed Zed"), ("urn:p", "alias Alias"),
    ...                       ("urn:f", "abc Abc"), ("urn:o", "onto Onto")],
    ...                      {"urn:p": (True, ["Zed"]), "urn:f": (False, [])})
    >>> [str(o) for s, p, o in sorted(rows, key=lambda row: str(row[2]))]
    ['0000000000 alias Alias', '0000000001 zed Zed', '0000000002 abc Abc']
    """
    ranked = []
    for entity, key in keys:
        if entity in facts:
            is_entity, labels = facts[entity]
            label = (1, min(labels)) if labels else (0, "")
            ranked.append(((not is_entity, label, key.split(" ", 1)[1], entity), entity, key))
    ranked.sort()
    predicate = KG.searchOrder
    return [(entity, predicate, f"{position:010d} {key}")
            for position, (_, entity, key) in enumerate(ranked)]


def search_blocks(keys: Iterable[tuple[str, str]], *, graph: URIRef,
                  size: int = BLOCK_SIZE) -> list[tuple[str, URIRef, str | URIRef]]:
    """The block statements of ``keys`` (entity IRI, key): the entities, in the order of
    their first folded name, cut into blocks of about ``size`` folded names (an entity's
    all in one block). Block ``n`` is the IRI ``<graph>#search-block-n``, with its folded
    names separated by spaces (which no folded name holds) as its ``kg:searchText``; each
    of its entities has it as ``kg:searchBlock``. The rows are plain values, as
    :meth:`~kg.store.Store.add_derived_values` takes them (no rdflib term made per entity).

    >>> rows = search_blocks([("urn:a", "almalik Al-Malik"), ("urn:b", "baki Bakı"),
    ...                       ("urn:b", "icesco ĪCESCO")], graph=URIRef("urn:g"), size=1)
    >>> sorted((str(s), str(p).split("#")[1], str(o)) for s, p, o in rows)
    ... # doctest: +NORMALIZE_WHITESPACE
    [('urn:a', 'searchBlock', 'urn:g#search-block-0'),
     ('urn:b', 'searchBlock', 'urn:g#search-block-1'),
     ('urn:g#search-block-0', 'searchText', 'almalik'),
     ('urn:g#search-block-1', 'searchText', 'baki icesco')]
    """
    folded: dict[str, set[str]] = {}
    for entity, key in keys:
        folded.setdefault(entity, set()).add(key.split(" ", 1)[0])
    blocks: list[tuple[list[str], list[str]]] = []
    for entity, parts in sorted(folded.items(), key=lambda item: (min(item[1]), item[0])):
        if not blocks or len(blocks[-1][1]) >= size:
            blocks.append(([], []))
        blocks[-1][0].append(entity)
        blocks[-1][1].extend(sorted(parts))
    rows: list[tuple[str, URIRef, str | URIRef]] = []
    text, in_block = KG.searchText, KG.searchBlock
    for number, (entities, texts) in enumerate(blocks):
        block = URIRef(f"{graph}#search-block-{number}")
        rows.append((block, text, " ".join(texts)))
        rows.extend((entity, in_block, block) for entity in entities)
    return rows
