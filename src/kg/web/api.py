"""``/api``: the named queries as JSON, one URL each.

* ``GET /api/queries`` -- the catalogue: name, title, description, parameters (with type,
  example, whether required), and the URL that runs each;
* ``GET /api/queries/NAME?param=value`` (or ``POST``, a form or a JSON object, the URL's
  parameters counting too) -- runs it; JSON by
  default (kg's records: the query, its parameters, the rows as plain values, and
  ``warnings`` when an IRI parameter names nothing the graph knows, with the nearest
  entities); CSV, or a standard SPARQL results format (JSON, XML, TSV), by ``Accept`` or
  ``format=`` (``json``, ``csv``, ``sparql-json``, ``xml``, ``tsv``).

Errors are JSON: ``{"error": {"status": 400, "type": "ParameterError", "message": ...}}``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from werkzeug.datastructures import MIMEAccept, MultiDict

from ..errors import ParameterError
from .analysis import only_known_parameters
from .errors import FORM, unsupported_media_type
from .negotiate import NotAcceptable
from .service import service

__all__ = ["blueprint"]

blueprint = Blueprint("api", __name__, url_prefix="/api")

_JSON, _CSV = "application/json", "text/csv"


@blueprint.route("/queries")
def catalogue() -> Response:
    """Every named query, with its parameters and the URL that runs it."""
    # (a parameter meant for a query, sent to the catalogue by mistake)
    only_known_parameters("; a query's go to /api/queries/NAME")
    listed = []
    for query in sorted(service().named.values(), key=lambda q: q.name):
        entry = query.to_json()
        entry["url"] = url_for("api.run", name=query.name, _external=True)
        listed.append(entry)
    return jsonify(queries=listed)


@blueprint.route("/queries/<name>", methods=["GET", "POST"])
def run(name: str) -> Response:
    """Run one named query with the request's parameters."""
    if request.method == "POST":
        values = _posted()
        if values is None:
            return unsupported_media_type(f"a form ({FORM}) or a JSON object "
                                          f"(application/json)")
    else:
        values = request.args
    params: dict[str, Any] = {}
    for key in values:
        given = values.getlist(key)
        if len(given) > 1:
            raise ParameterError(f"parameter {key!r} is given {len(given)} times")
        params[key] = given[0]
    render = _choose(params.pop("format", None), request.accept_mimetypes)
    answer = service().run_named(name, params, render)
    response = Response(answer.body, mimetype=answer.media_type)
    response.headers["Content-Type"] = f"{answer.media_type}; charset=utf-8"
    response.vary.add("Accept")
    return response


def _posted() -> MultiDict[str, str] | None:
    """A POST's parameters: its URL's and its body's, a form or a JSON object of names and
    values (the URL's were ignored, ``format=`` among them, and a JSON body was too: its
    parameters were then said to be missing); ``None`` for a body of another media type."""
    mimetype = request.mimetype
    if mimetype in (FORM, "multipart/form-data") or not request.get_data(cache=True):
        return MultiDict(request.values.items(multi=True))
    if mimetype != "application/json":
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in body.values()):
        raise ParameterError('a JSON body is an object of parameter names and values, each '
                             'a text or a number, e.g. {"organization": "kgr:icesco"}')
    return MultiDict([*request.args.items(multi=True),
                      *((str(k), str(v)) for k, v in body.items())])


#: what a named query's answer is offered as, each ``(media type, render)``: kg's JSON
#: records first, then CSV and the standard SPARQL results formats (what SPARQL clients
#: ask for), named by their :class:`~kg.results.ResultFormat` label
OFFERS: list[tuple[str, str]] = [
    (_JSON, "records"),
    (_CSV, "csv"),
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/tab-separated-values", "tsv"),
]
_FORMAT_NAMES = {"json": "records", "csv": "csv", "tsv": "tsv", "xml": "xml",
                 "sparql-json": "json", "srj": "json", "srx": "xml"}


def _choose(format: str | None, accept: MIMEAccept) -> str:
    """The render for ``format=`` (which wins) or ``Accept``; 406 lists what is offered."""
    offered = [media_type for media_type, _ in OFFERS]
    if format:
        key = format.strip().lower()
        for media_type, render in OFFERS:
            if key == media_type:
                return render
        if key in _FORMAT_NAMES:
            return _FORMAT_NAMES[key]
        raise NotAcceptable(f"format={format} is not offered here; it is one of "
                            f"{', '.join(sorted(_FORMAT_NAMES))}", offered=offered)
    if not accept:
        return "records"
    best = accept.best_match(offered)
    if best is None:
        raise NotAcceptable("named-query results are offered as " + ", ".join(offered),
                            offered=offered)
    return dict(OFFERS)[best]
