"""The pages for a browser: the explorer at ``/``, the query page at ``/query``, the HTTP
API's documentation at ``/api/docs`` (Swagger UI, shipped in the package, reading
``/api/openapi.json``).

The explorer (``templates/explorer.html``, ``static/explorer/*.js``) draws the network
with Cytoscape.js and talks only to this server's JSON API and ``/sparql``.

The query page is YASGUI, shipped inside the package, pointed at this endpoint.

The named queries are offered as examples: choosing one opens it in a new tab, with its
example parameter values written in as a ``VALUES`` block (see
:meth:`kg.queries.NamedQuery.example_text`). No script is inline and nothing is loaded
from another origin, so the page runs under a ``'self'``-only Content-Security-Policy.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from flask import Blueprint, Response, render_template, url_for

from .. import __version__, palette
from ..namespaces import PREFIXES
from ..queries import NamedQuery
from .service import service

__all__ = ["blueprint", "query_page", "explorer_page"]

blueprint = Blueprint("ui", __name__)


@blueprint.route("/")
def index() -> Response:
    """The explorer."""
    return explorer_page()


@blueprint.route("/query")
def query() -> Response:
    """The query page."""
    return query_page()


#: the query that gives the labels of a result's IRIs (the pages write the IRIs in)
_LABELS = Path(__file__).resolve().parents[1] / "sparql" / "labels.rq"


@functools.cache
def labels_query() -> str:
    """The text of ``kg/sparql/labels.rq``: the pages show a result's IRIs by their labels."""
    return NamedQuery.from_file(_LABELS).text


@functools.cache
def kinds_query() -> str:
    """The text of ``kg/sparql/kinds.rq``: the explorer draws a query result's nodes by
    their network kind, as it draws the graph."""
    return NamedQuery.from_file(_LABELS.with_name("kinds.rq")).text


def _config(config: dict[str, object]) -> str:
    """JSON for a ``<script type="application/json">``: "<" escaped, so that "</script>"
    cannot occur."""
    return json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")


def explorer_page() -> Response:
    """The HTML explorer page; its scripts read everything else from the API."""
    config = _config({"labels": labels_query(), "kinds": kinds_query(),
                      "palette": palette.for_page()})
    return Response(render_template("explorer.html", version=__version__, config=config),
                    mimetype="text/html")


@blueprint.route("/api/docs")
def api_docs() -> Response:
    """The HTTP API's documentation: Swagger UI on ``/api/openapi.json``."""
    return Response(render_template("api_docs.html", version=__version__),
                    mimetype="text/html")


@blueprint.route("/favicon.ico")
def favicon() -> Response:
    """No icon (an empty answer rather than a 404 in every browser's console)."""
    return Response(status=204)


#: what the query page opens on: short, and a sketch of what the graph holds (its comments
#: are the page's: the file is shown as it is)
FIRST_QUERY = (Path(__file__).parent / "first-query.rq").read_text(encoding="utf-8").rstrip()


def with_prefixes(text: str) -> str:
    """``text`` with a ``PREFIX`` line for each of kg's prefixes it uses: kg predeclares
    them, but the editor marks a prefix it does not see declared as an error."""
    code = re.sub(r"#[^\n]*", "", text)  # prefixes in comments are no prefixes
    used = [name for name in PREFIXES
            if re.search(rf"(?<![\w:<]){re.escape(name)}:", code)
            and not re.search(rf"PREFIX\s+{re.escape(name)}:", text, re.IGNORECASE)]
    lines = [f"PREFIX {name}: <{PREFIXES[name]}>" for name in used]
    return "\n".join(lines + [text]) if lines else text


def query_page() -> Response:
    """The HTML query page (also what ``/sparql`` shows a browser without a query)."""
    config = {
        "endpoint": url_for("sparql.sparql", _external=True),
        "first": {"name": "what is in the graph", "text": with_prefixes(FIRST_QUERY)},
        "labels": labels_query(),
        "prefixes": {name: str(namespace) for name, namespace in PREFIXES.items()},
        "queries": [
            {"name": q.name, "title": q.title, "description": q.description,
             "text": with_prefixes(q.example_text())}
            for q in sorted(service().named.values(), key=lambda q: q.name)
        ],
    }
    html = render_template("query.html", config=_config(config), version=__version__,
                           queries=config["queries"])
    return Response(html, mimetype="text/html")
