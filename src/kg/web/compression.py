"""Answers compressed for the clients that ask (``Accept-Encoding``), with Flask-Compress.

A graph drawing, a timeline or a results table is text that shrinks several times over
(the 100 most connected entities of a 10,000-article graph: 856 KB of JSON, 144 KB in
zstd, 216 KB in gzip), and the explorer's scripts are sent to every browser. A client
that does not ask (``urllib``, ``curl`` without ``--compressed``) gets the answer as it is.
Answers under 500 bytes are not worth it and go as they are; every compressed answer says
``Vary: Accept-Encoding``.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

__all__ = ["MIMETYPES", "install"]

#: what kg sends that is text: web pages, the API's JSON, SPARQL results in every format,
#: RDF in every syntax, the network exports
MIMETYPES = [
    "text/html", "text/css", "text/javascript", "application/javascript", "text/plain",
    "application/json", "application/ld+json",
    "application/sparql-results+json", "application/sparql-results+xml",
    "text/csv", "text/tab-separated-values",
    "text/turtle", "application/n-triples", "application/n-quads", "application/trig",
    "application/rdf+xml", "application/xml", "text/xml",
    "application/graphml+xml", "application/gexf+xml", "image/svg+xml",
]


def install(app: Flask) -> None:
    """Compress ``app``'s answers (gzip, Brotli, Zstandard or deflate: the best the
    client accepts)."""
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    Compress(app)
