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
The keys are written with :meth:`kg.store.Store.add_derived` (the entailed graph and the
union at once), as the date and order keys are.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable

from rdflib import Literal, URIRef

from .asserted import internal_query
from .namespaces import KG
from .store import Store
from .values_blocks import at_markers

__all__ = ["ACCENTS", "BLOCK_SIZE", "BLOCK_ENTRIES", "fold", "search_key", "search_blocks", "materialize_search_keys"]

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
#: at most how many things one block holds (their places are two digits: ``search.rq``
#: lists them)
BLOCK_ENTRIES = 100


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
    """Write a ``kg:searchKey`` for every thing of the data and name of ``store`` into the
    graph ``into`` (the entailed graph: call it after entailment, which adds names and
    kinds too) and the union (:meth:`~kg.store.Store.add_derived`), with the blocks of
    :func:`search_blocks`; returns how many keys.

    The names Python folds as every engine does are folded here; the others by the
    store's own engine, with the very expressions of ``search.rq``
    (``src/kg/sparql/search-keys.rq``, one query for all of them)."""
    keys, unfolded, first = set(), set(), set()
    for entity, name, is_first in store.select(internal_query("search-names").text):
        if is_first:
            first.add(entity)
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
    store.add_derived(into, itertools.chain(
        ((URIRef(entity), predicate, Literal(key)) for entity, key in keys),
        search_blocks(keys, graph=into, first=first)))
    return len(keys)


def search_blocks(keys: Iterable[tuple[str, str]], *, graph: URIRef,
                  first: Collection[str] = (), size: int = BLOCK_SIZE,
                  ) -> list[tuple[URIRef, URIRef, Literal]]:
    """The block statements of ``keys`` (entity IRI, key), in the order the search lists
    things: the entities of ``first`` (people, organizations and places), then the
    others, each group by its first folded name, then IRI. They are cut into blocks of
    about ``size`` folded names and at most :data:`BLOCK_ENTRIES` things (an entity's
    names all in one block).

    Block ``n`` is the IRI ``<graph>#search-block-NNNNN`` (``n`` written with the same
    number of digits in every block, five at least). Its ``kg:searchText`` holds one
    entry per thing, each a space, the thing's place ``PP`` in the block (two digits), a
    colon and its folded names separated by ``/``: ``" 00:almalik/almalikfund
    01:baki"`` (no folded name holds a space, a colon or a slash). Each thing has
    ``"NNNNN.PP"`` as its ``kg:searchBlock``: a short text that every engine sorts as
    the search lists things.

    >>> rows = search_blocks([("urn:a", "almalik Al-Malik"), ("urn:b", "baki Bakı"),
    ...                       ("urn:b", "icesco ĪCESCO"), ("urn:c", "abc ABC")],
    ...                      graph=URIRef("urn:g"), first={"urn:a", "urn:b"}, size=2)
    >>> sorted((str(s), str(p).split("#")[1], str(o)) for s, p, o in rows)
    ... # doctest: +NORMALIZE_WHITESPACE
    [('urn:a', 'searchBlock', '00000.00'),
     ('urn:b', 'searchBlock', '00000.01'),
     ('urn:c', 'searchBlock', '00001.00'),
     ('urn:g#search-block-00000', 'searchText', ' 00:almalik 01:baki/icesco'),
     ('urn:g#search-block-00001', 'searchText', ' 00:abc')]
    """
    folded: dict[str, set[str]] = {}
    for entity, key in keys:
        folded.setdefault(entity, set()).add(key.split(" ", 1)[0])
    blocks: list[list[tuple[str, list[str]]]] = []
    count = 0
    ordered = sorted(folded.items(),
                     key=lambda item: (item[0] not in first, min(item[1]), item[0]))
    for entity, parts in ordered:
        if not blocks or count >= size or len(blocks[-1]) >= BLOCK_ENTRIES:
            blocks.append([])
            count = 0
        blocks[-1].append((entity, sorted(parts)))
        count += len(parts)
    width = max(5, len(str(len(blocks) - 1)))
    rows: list[tuple[URIRef, URIRef, Literal]] = []
    text, in_block = KG.searchText, KG.searchBlock
    for number, entries in enumerate(blocks):
        block = f"{number:0{width}d}"
        rows.append((URIRef(f"{graph}#search-block-{block}"), text, Literal("".join(
            f" {place:02d}:{'/'.join(parts)}" for place, (_, parts) in enumerate(entries)))))
        rows.extend((URIRef(entity), in_block, Literal(f"{block}.{place:02d}"))
                    for place, (entity, _) in enumerate(entries))
    return rows
