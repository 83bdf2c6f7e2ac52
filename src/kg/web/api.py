"""``/api``: the named queries as JSON, one URL each.

* ``GET /api/queries`` -- the catalogue: name, title, description, parameters (with type,
  example, whether required), and the URL that runs each;
* ``GET /api/queries/NAME?param=value`` (or ``POST`` form-encoded) -- runs it; JSON by
  default, CSV with ``Accept: text/csv`` or ``format=csv``.

Errors are JSON: ``{"error": {"status": 400, "type": "ParameterError", "message": ...}}``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from werkzeug.datastructures import MIMEAccept

from ..errors import QueryError
from ..queries import NamedQuery
from ..results import QueryResult, ResultFormat
from .negotiate import NotAcceptable
from .service import Answer, records_json, service

__all__ = ["blueprint"]

blueprint = Blueprint("api", __name__, url_prefix="/api")

_JSON, _CSV = "application/json", "text/csv"


@blueprint.route("/queries")
def catalogue() -> Response:
    """Every named query, with its parameters and the URL that runs it."""
    listed = []
    for query in sorted(service().named.values(), key=lambda q: q.name):
        entry = query.to_json()
        entry["url"] = url_for("api.run", name=query.name, _external=True)
        listed.append(entry)
    return jsonify(queries=listed)


@blueprint.route("/queries/<name>", methods=["GET", "POST"])
def run(name: str) -> Response:
    """Run one named query with the request's parameters."""
    values = request.form if request.method == "POST" else request.args
    params: dict[str, Any] = {}
    for key in values:
        if key == "format":
            continue
        given = values.getlist(key)
        if len(given) > 1:
            raise QueryError(f"parameter {key!r} is given {len(given)} times")
        params[key] = given[0]
    media_type = _choose(values.get("format"), request.accept_mimetypes)
    render = _render_csv if media_type == _CSV else _render_json
    answer = service().run_named(name, params, render)
    response = Response(answer.body, mimetype=answer.media_type)
    response.headers["Content-Type"] = f"{answer.media_type}; charset=utf-8"
    response.vary.add("Accept")
    return response


def _choose(format: str | None, accept: MIMEAccept) -> str:
    if format:
        if format.lower() in ("json", _JSON):
            return _JSON
        if format.lower() in ("csv", _CSV):
            return _CSV
        raise NotAcceptable(f"format={format} is not offered here; it is json or csv",
                            offered=[_JSON, _CSV])
    if not accept:
        return _JSON
    best = accept.best_match([_JSON, _CSV])
    if best is None:
        raise NotAcceptable("named-query results are offered as application/json or "
                            "text/csv", offered=[_JSON, _CSV])
    return best


def _render_json(query: NamedQuery, params: dict[str, Any], result: QueryResult) -> Answer:
    return Answer(_JSON, records_json(query, params, result))


def _render_csv(query: NamedQuery, params: dict[str, Any], result: QueryResult) -> Answer:
    return Answer(_CSV, result.serialize(ResultFormat.CSV))
