"""The projection's input as JSON: what kg's server hands a ``kg.connect`` client at once.

A client of kg's server (``kg.connect(".../sparql")``) needs the same
:class:`~.reading.Raw` the server's workers were built from. Read over SPARQL, it is
about 400 requests at 10,000 articles (two minutes); the server already holds it, in its
projection file (:mod:`.snapshot`), and hands it over at ``/-/projection`` in one answer:
this document, gzip-compressed (13 MB at 10,000 articles, 170 MB as text), made once per
server. Never a pickle: a pickle runs code when loaded, and a client does not run what a
server sends it. The document is plain JSON, read back field by field, each checked for
its type (:func:`loads`: any other document is refused with a ``ValueError``, and the
client reads the store over SPARQL instead).

Layout: ``{"format": FORMAT, "raw": {field: value}}``, each field of :class:`~.reading.Raw`
in plain JSON: sets as sorted lists, a dict keyed by a tuple as a list of rows (the key's
parts, then the value); every dict and list in its order (the projection built from the
document is the one built from the ``Raw``, node for node, in the same order).
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable
from typing import Any

from .reading import Raw
from .snapshot import FORMAT as SNAPSHOT_FORMAT

__all__ = ["FORMAT", "dumps", "loads"]

#: what the document's ``format`` says: the projection file's format it follows (what a
#: ``Raw`` holds changes with it)
FORMAT = f"kg-projection-input/{SNAPSHOT_FORMAT}"


def dumps(raw: Raw) -> bytes:
    """``raw`` as the gzip-compressed JSON document (the same ``raw``, the same bytes)."""
    unknown = sorted(set(vars(raw)) - set(_FIELDS))
    if unknown:  # (a field Raw gained, not handed over)
        raise TypeError(f"kg.analysis.transfer does not write {unknown}")
    # written a field at a time into the compressed stream: never the whole text at once
    # (170 MB at 10,000 articles) beside the Raw
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=6, mtime=0) as out:
        out.write(f'{{"format":{json.dumps(FORMAT)},"raw":{{'.encode())
        for number, (name, (write, _)) in enumerate(_FIELDS.items()):
            text = json.dumps(write(raw), ensure_ascii=False, separators=(",", ":"))
            out.write(f'{"," if number else ""}{json.dumps(name)}:{text}'.encode())
        out.write(b"}}")
    return packed.getvalue()


def loads(body: bytes) -> Raw:
    """The :class:`~.reading.Raw` of a document :func:`dumps` wrote (gzip-compressed, or
    not); a ``ValueError`` saying what is wrong for anything else."""
    try:
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        document = json.loads(body)
    except (OSError, EOFError, ValueError) as error:
        raise ValueError(f"not a projection input document: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise ValueError(f"not a projection input document of format {FORMAT!r} "
                         f"(format {found!r})")
    fields = document.get("raw")
    expected = set(_FIELDS)
    if not isinstance(fields, dict) or set(fields) != expected:
        missing = sorted(expected - set(fields)) if isinstance(fields, dict) else ["raw"]
        extra = sorted(set(fields) - expected) if isinstance(fields, dict) else []
        raise ValueError(f"a projection input document without the fields kg reads "
                         f"(missing {missing}, unknown {extra})")
    raw = Raw()
    for name, (_, read) in _FIELDS.items():
        try:
            read(raw, fields[name])
        except (TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"the projection input's {name!r} is not as kg writes it: "
                             f"{error or type(error).__name__}") from None
    return raw


# -- writing ---------------------------------------------------------------------------

def _sets(mapping: dict[str, set[str]]) -> dict[str, list[str]]:
    return {key: sorted(values) for key, values in mapping.items()}


def _keyed_sets(mapping: dict[tuple[str, ...], set[str]]) -> list[list[Any]]:
    return [[*key, sorted(values)] for key, values in mapping.items()]


# -- reading, each field checked ---------------------------------------------------------

def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    return value


def _text_or_none(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise TypeError(f"{value!r} is not a list")
    return [_text(item) for item in value]


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{type(value).__name__} is not an object")
    return value


def _row(value: Any, width: int) -> list[Any]:
    if not isinstance(value, list) or len(value) != width:
        raise TypeError(f"{value!r} is not a row of {width}")
    return value


def _set_map(target: dict[str, set[str]], value: Any) -> None:
    for key, items in _mapping(value).items():
        target[_text(key)].update(_texts(items))


def _keyed(target: dict[tuple[str, str, str], set[str]], value: Any) -> None:
    if not isinstance(value, list):
        raise TypeError("not a list of rows")
    for row in value:
        s, p, o, graphs = _row(row, 4)
        target[(_text(s), _text(p), _text(o))].update(_texts(graphs))


def _relationships(raw: Raw, value: Any) -> None:
    if not isinstance(value, list):
        raise TypeError("not a list of rows")
    raw.relationships = [(_text(r), _text(c), _text(s), _text(t), _text_or_none(label))
                         for r, c, s, t, label in (_row(row, 5) for row in value)]


def _articles(raw: Raw, value: Any) -> None:
    keys = ("label", "publisher", "publisher_label", "issued")  # (as reading.read has them)
    for article, about in _mapping(value).items():
        if set(_mapping(about)) != set(keys):
            raise ValueError(f"{article}: not {list(keys)}")
        raw.articles[_text(article)] = {k: _text_or_none(about[k]) for k in keys}


def _quotes(raw: Raw, value: Any) -> None:
    for node, by_graph in _mapping(value).items():
        for graph, quotes in _mapping(by_graph).items():
            raw.quotes[_text(node)][_text(graph)] = _texts(quotes)


def _labels(raw: Raw, value: Any) -> None:
    raw.labels.update((_text(node), _text(label)) for node, label in _mapping(value).items())


def _alt_labels(raw: Raw, value: Any) -> None:
    for node, alts in _mapping(value).items():
        if not isinstance(alts, list):
            raise TypeError(f"{node}: not a list")
        raw.alt_labels[_text(node)] = [(_text(a), _text(g)) for a, g in
                                       (_row(alt, 2) for alt in alts)]


def _dates(raw: Raw, value: Any) -> None:
    for node, found in _mapping(value).items():
        if not isinstance(found, list):
            raise TypeError(f"{node}: not a list")
        raw.dates[_text(node)] = [(_text(p), _text(v), _text_or_none(d), _text(g))
                                  for p, v, d, g in (_row(row, 4) for row in found)]


def _inferred(raw: Raw, value: Any) -> None:
    if not isinstance(value, list):
        raise TypeError("not a list of rows")
    for node, prop, graph, note in (_row(row, 4) for row in value):
        raw.inferred[(_text(node), _text(prop), _text(graph))] = _text(note)


def _full_read(raw: Raw, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{value!r} is not true or false")
    raw.full_read = value


#: each field of :class:`~.reading.Raw`: how it is written as JSON, and read back
_FIELDS: dict[str, tuple[Callable[[Raw], Any], Callable[[Raw, Any], None]]] = {
    "node_classes": (lambda raw: _sets(raw.node_classes),
                     lambda raw, v: _set_map(raw.node_classes, v)),
    "relationships": (lambda raw: [list(row) for row in raw.relationships], _relationships),
    "property_edges": (lambda raw: _keyed_sets(raw.property_edges),
                       lambda raw, v: _keyed(raw.property_edges, v)),
    "all_edges": (lambda raw: _keyed_sets(raw.all_edges),
                  lambda raw, v: _keyed(raw.all_edges, v)),
    "articles": (lambda raw: raw.articles, _articles),
    "quotes": (lambda raw: raw.quotes, _quotes),
    "stated_in": (lambda raw: _sets(raw.stated_in), lambda raw, v: _set_map(raw.stated_in, v)),
    "labels": (lambda raw: raw.labels, _labels),
    "editorial": (lambda raw: sorted(raw.editorial),
                  lambda raw, v: raw.editorial.update(_texts(v))),
    "alt_labels": (lambda raw: raw.alt_labels, _alt_labels),
    "types": (lambda raw: _sets(raw.types), lambda raw, v: _set_map(raw.types, v)),
    "dates": (lambda raw: raw.dates, _dates),
    "inferred": (lambda raw: [[*key, note] for key, note in raw.inferred.items()], _inferred),
    "mentions": (lambda raw: _sets(raw.mentions), lambda raw, v: _set_map(raw.mentions, v)),
    "events": (lambda raw: sorted(raw.events), lambda raw, v: raw.events.update(_texts(v))),
    "contradicted": (lambda raw: _sets(raw.contradicted),
                     lambda raw, v: raw.contradicted.update(
                         (_text(k), set(_texts(items))) for k, items in _mapping(v).items())),
    "full_read": (lambda raw: raw.full_read, _full_read),
}
