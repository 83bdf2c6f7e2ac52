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

__all__ = ["ACCENTS", "BLOCK_SIZE", "GROUP_SIZE", "fold", "search_key", "search_blocks",
           "search_orders", "materialize_search_keys"]

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
#: how many keys one block of folded names holds (:func:`search_blocks`)
BLOCK_SIZE = 30
#: how many blocks one group of blocks holds (:func:`search_blocks`)
GROUP_SIZE = 10


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
    orders = search_orders(keys, _order_facts(store))
    store.add_derived_values(into, itertools.chain(
        ((entity, predicate, key) for entity, key in keys), orders,
        search_blocks(orders, graph=into)))
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


def search_blocks(orders: Iterable[tuple[str, URIRef, str]], *, graph: URIRef,
                  size: int = BLOCK_SIZE, group: int = GROUP_SIZE,
                  ) -> list[tuple[str, URIRef, str | URIRef]]:
    """The block statements of ``orders`` (:func:`search_orders`' rows: entity IRI,
    ``kg:searchOrder``, ``"<position> <key>"``): the keys, in the order of their
    position, cut into blocks of ``size`` keys. Block ``n`` is the IRI
    ``<graph>#search-block-<n>`` (``n`` zero-padded to seven digits, so that the IRIs
    sort as the numbers do), with the folded names of its keys separated by spaces (which
    no folded name holds) as its ``kg:searchText``; each entity with a key in it has it as
    ``kg:searchBlock`` (an entity whose keys are far apart is in several blocks). The
    blocks are cut again into groups of ``group`` blocks, group ``n`` the IRI
    ``<graph>#search-group-<n>`` (seven digits too) with its blocks' texts as its
    ``kg:searchGroupText`` and as the ``kg:searchGroup`` of each of its blocks: a text that
    no name holds is then tested against a tenth of the texts, and a page's blocks are
    looked for in its first groups only. The rows are plain values, as
    :meth:`~kg.store.Store.add_derived_values` takes them (no rdflib term made per
    entity).

    Why blocks cut in the order of the rows keep ``search.rq``'s page exact: a block's
    text holds the text searched for exactly when one of its keys' folded names does (a
    match never spans the space between two names), and every key of a block sorts
    before every key of the next block. So the first ``n`` keys that hold the text (the
    ``n`` the page needs: :func:`search_orders`) all lie in the first ``n`` blocks that
    hold it (each holds at least one such key; a key further on comes after all of
    theirs), and any key of those blocks' entities that holds the text and sorts before
    their last key lies in one of them too. The query takes those blocks
    (``ORDER BY ?block`` then ``# PAGE END``), the keys of their entities that hold the
    text, and the first ``n`` of these by position: the first ``n`` of all. The groups
    are blocks in turn (each group that holds the text holds a block that does, and
    every block of a group comes before those of the next): the first ``n`` blocks that
    hold the text lie in the first ``n`` groups that hold it, where the query looks for
    them.

    >>> rows = search_blocks([("urn:a", KG.searchOrder, "0000000000 almalik Al-Malik"),
    ...                       ("urn:b", KG.searchOrder, "0000000002 icesco ĪCESCO"),
    ...                       ("urn:b", KG.searchOrder, "0000000001 baki Bakı")],
    ...                      graph=URIRef("urn:g"), size=2, group=2)
    >>> sorted((str(s), str(p).split("#")[1], str(o)) for s, p, o in rows)
    ... # doctest: +NORMALIZE_WHITESPACE
    [('urn:a', 'searchBlock', 'urn:g#search-block-0000000'),
     ('urn:b', 'searchBlock', 'urn:g#search-block-0000000'),
     ('urn:b', 'searchBlock', 'urn:g#search-block-0000001'),
     ('urn:g#search-block-0000000', 'searchGroup', 'urn:g#search-group-0000000'),
     ('urn:g#search-block-0000000', 'searchText', 'almalik baki'),
     ('urn:g#search-block-0000001', 'searchGroup', 'urn:g#search-group-0000000'),
     ('urn:g#search-block-0000001', 'searchText', 'icesco'),
     ('urn:g#search-group-0000000', 'searchGroupText', 'almalik baki icesco')]
    """
    ranked = sorted((order, entity) for entity, _, order in orders)
    rows: list[tuple[str, URIRef, str | URIRef]] = []
    text, in_block = KG.searchText, KG.searchBlock
    group_text, in_group = KG.searchGroupText, KG.searchGroup
    texts: list[str] = []
    for start in range(0, len(ranked), size):
        chunk = ranked[start:start + size]
        number = start // size
        block = URIRef(f"{graph}#search-block-{number:07d}")
        texts.append(" ".join(order.split(" ", 2)[1] for order, _ in chunk))
        rows.append((block, text, texts[-1]))
        rows.append((block, in_group, _group(graph, number // group)))
        rows.extend((entity, in_block, block) for entity in dict.fromkeys(
            entity for _, entity in chunk))
    for start in range(0, len(texts), group):
        rows.append((_group(graph, start // group), group_text,
                     " ".join(texts[start:start + group])))
    return rows


def _group(graph: URIRef, number: int) -> URIRef:
    """The IRI of the group of search blocks ``number`` (:func:`search_blocks`)."""
    return URIRef(f"{graph}#search-group-{number:07d}")
