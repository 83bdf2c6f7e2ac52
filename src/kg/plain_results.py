"""SPARQL JSON results read straight into plain values, as :meth:`kg.store.Store.select`
gives them.

``select`` gives each value as its text (an IRI's, a literal's lexical form, a blank node's
label), a boolean as ``bool`` and an unbound variable as ``None``
(:func:`kg.store.plain_value`). Read through rdflib, a remote answer first became an RDF
term per value and a row object per row: reading the projection of 10,000 articles from an
Oxigraph server spent more time so than the server spent answering. Here the JSON is read
with :mod:`json` and only a typed literal other than a string becomes an rdflib
:class:`~rdflib.term.Literal` (for the same lexical form as rdflib's own reading, which
normalizes it: ``"01"^^xsd:integer`` reads ``"1"``). Integers 0 and 1 that a server gives
for a boolean test (Virtuoso) become booleans where the query binds a test
(:mod:`kg.booleans`), as they do in :meth:`kg.remote.RemoteStore.query`.

>>> body = b'''{"head": {"vars": ["s", "n", "ok", "none"]}, "results": {"bindings": [
...   {"s": {"type": "uri", "value": "https://example.org/a"},
...    "n": {"type": "literal", "value": "01",
...          "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
...    "ok": {"type": "literal", "value": "true",
...           "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}}]}}'''
>>> plain_rows(body, "SELECT * WHERE { ?s ?p ?n }")
[('https://example.org/a', '1', True, None)]
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from .booleans import boolean_variables

__all__ = ["plain_rows", "MEDIA_TYPE"]

#: the media type of the answers read here
MEDIA_TYPE = "application/sparql-results+json"
#: datatypes whose lexical form is the value as sent
_AS_SENT = frozenset({str(XSD.string), str(RDF.langString)})
_BOOLEAN = str(XSD.boolean)
#: the datatypes a server may give a boolean it answers as a number
_INTEGERS = frozenset({str(XSD.integer), str(XSD.int)})


class _Bit(str):
    """An integer 0 or 1 as sent: a boolean if its variable is bound to a test."""


def plain_rows(body: bytes, query: str) -> list[tuple[Any, ...]]:
    """The rows of a SPARQL JSON results document (the answer to the ``SELECT`` text
    ``query``) as plain values, in the order of its ``head``'s variables; raises
    :class:`ValueError` for a document that is not one."""
    document = json.loads(body)
    if not isinstance(document, dict) or "results" not in document:
        raise ValueError("not a SPARQL JSON results document of a SELECT")
    variables = list(document.get("head", {}).get("vars", []))
    rows = [tuple(_plain(binding.get(name)) for name in variables)
            for binding in document["results"].get("bindings", [])]
    bits = {index for row in rows for index, value in enumerate(row)
            if isinstance(value, _Bit)}
    if not bits:
        return rows
    try:
        booleans = boolean_variables(query)
    except Exception:  # noqa: BLE001 - a text in a server's own dialect: its answer as sent
        booleans = frozenset()
    tests = {index for index in bits if variables[index] in booleans}
    return [tuple((value == "1" if index in tests else str(value))
                  if isinstance(value, _Bit) else value
                  for index, value in enumerate(row)) for row in rows]


def _plain(term: dict[str, str] | None) -> Any:
    if term is None:
        return None
    value = term["value"]
    datatype = term.get("datatype")
    if datatype is None or datatype in _AS_SENT or term.get("type") not in (
            "literal", "typed-literal"):
        return value
    if datatype == _BOOLEAN:
        return Literal(value, datatype=XSD.boolean).toPython() is True
    if datatype in _INTEGERS and value in ("0", "1"):
        return _Bit(value)
    return str(Literal(value, datatype=URIRef(datatype)))
