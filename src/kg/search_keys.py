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
"word" characters, for one), so on Oxigraph the names holding such a character are folded
by Oxigraph itself, with the very expressions of ``search.rq``
(``src/kg/sparql/search-keys.rq``): each key is what the query would compute on that store.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef

from .namespaces import KG
from .store import Store

__all__ = ["ACCENTS", "fold", "search_key", "materialize_search_keys"]

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
_SPARQL = Path(__file__).resolve().parent / "sparql"


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
    return all(char.isascii() or char.lower() in _FOLDABLE for char in text)


def search_key(name: str) -> str:
    """The key of one name, as Python (and rdflib) fold it: the folded name, a space,
    the name.

    >>> search_key("Al-Malik")
    'almalik Al-Malik'
    """
    return f"{fold(name)} {name}"


def materialize_search_keys(store: Store, *, into: URIRef) -> int:
    """Write a ``kg:searchKey`` for every thing and name of ``store`` into the graph
    ``into`` (the entailed graph: call it after entailment, which adds names too);
    returns how many."""
    names = (_SPARQL / "search-names.rq").read_text(encoding="utf-8")
    if store.backend == "oxigraph":
        return _on_oxigraph(store, names, into)
    keys = {(entity, search_key(str(name))) for entity, name in store.query(names)}
    store.add_triples(into, ((entity, KG.searchKey, Literal(key))  # type: ignore[misc]
                             for entity, key in keys))
    return len(keys)


def _on_oxigraph(store: Store, names: str, into: URIRef) -> int:
    """:func:`materialize_search_keys` in pyoxigraph terms, the names Python may fold
    otherwise than Oxigraph folded by Oxigraph. Each key is written into ``into`` and into
    the union default graph at once, as entailment writes its own triples (the union is not
    refilled from the entailed graph)."""
    import pyoxigraph as ox

    from .namespaces import PREFIXES
    from .oxigraph_store import _update_text
    from .values_blocks import at_markers

    ox_store = store._ox  # type: ignore[attr-defined]
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    predicate, graph = ox.NamedNode(str(KG.searchKey)), ox.NamedNode(str(into))
    keys, unfolded = set(), {}
    for entity, name in ox_store.query(names, prefixes=prefixes):
        if _foldable(name.value):
            keys.add((entity, predicate, ox.Literal(search_key(name.value))))
        else:
            unfolded[entity, name] = None
    store._add_entailed(graph, keys)  # type: ignore[attr-defined]
    if unfolded:
        ox_store.update(at_markers(_update_text("search-keys"),
                                   {"": (("entity", "name"), list(unfolded))}))
    store._written()  # type: ignore[attr-defined]
    return len(keys) + len(unfolded)
