"""``/api`` relationship analysis: thin JSON routes over the functions of :mod:`kg.analysis`.

Each route checks its parameters in the request thread (a bad one is a 400 naming it),
then runs the analysis bounded (:meth:`~kg.web.service.Service.run`). Every route takes the
filters ``view``, ``as_of``, ``reported_by``, ``source`` and ``type`` (repeatable). An
unknown entity is a 404 listing the nearest matches (``candidates``). Hard limits keep any
request from walking the whole graph unbounded: see :data:`LIMITS`.

The OpenAPI 3.1 document of every ``/api`` route and ``/sparql`` is at ``/api/openapi.json``.
"""

from __future__ import annotations

import difflib
import re
import shlex
import sys
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.datastructures import MultiDict

from ..analysis import jobs
from ..analysis.timefilter import parse_when
from ..errors import (
    AmbiguousEntity,
    ParameterError,
    QueryTimeout,
    ServiceBusy,
    UnknownEntity,
)
from .openapi import document, query_parameters
from .service import service

__all__ = ["blueprint", "LIMITS", "only_known_parameters"]

blueprint = Blueprint("analysis", __name__, url_prefix="/api")

#: the most a request may ask for
LIMITS = {"radius": 3, "max_hops": 6, "paths": 50, "results": 100, "top": jobs.MAX_DRAWN,
          "elements": jobs.MAX_DRAWN, "articles": 1000, "groups": 1000, "dated": 10000,
          "members": 10000}

#: how many rows a table answers when ``limit`` is not given (``total`` says how many
#: there are in all), and members a group lists (``size`` counts them all): at 10,000
#: articles, 7,566 communities were 5.8 MB (the 100 largest, every member listed, 5.0 MB)
#: and the timeline 69,000 rows, 36 MB
DEFAULT_ROWS = {"articles": 100, "groups": 100, "dated": 1000, "members": 100}


#: a route's variable part as Werkzeug writes it (``<name>``), and as OpenAPI does
_RULE_VARIABLE = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


@blueprint.before_request
def only_known_parameters(hint: str = "") -> None:
    """Refuse a query-string parameter the route does not take, naming it and the nearest
    one it does (and ``hint``, for a route that takes none); what each route takes is what
    the OpenAPI document says (:func:`~kg.web.openapi.query_parameters`)."""
    rule = request.url_rule
    method = "get" if request.method == "HEAD" else request.method.lower()
    known = None if rule is None else query_parameters(
        _RULE_VARIABLE.sub(r"{\1}", rule.rule), method)
    if known is None:  # no such route (a 404 follows) or a method it documents no form of
        return
    for name in request.args:
        if name not in known:
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            raise ParameterError(
                f"unknown parameter {name!r} for {request.path}"
                + (f"; did you mean {near[0]!r}?" if near else "")
                + (f" (its parameters: {', '.join(known)})" if known else
                   f" (it takes no parameter{hint})"))


def _one(args: MultiDict[str, str], name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise ParameterError(f"parameter {name!r} is given {len(values)} times")
    return values[0] if values else None


def _int(args: MultiDict[str, str], name: str, default: int | None, low: int,
         high: int) -> int | None:
    value = _one(args, name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ParameterError(f"{name} must be an integer, not {value!r}") from None
    if not low <= number <= high:
        raise ParameterError(f"{name} must be between {low} and {high}, not {number}")
    return number


def _choice(args: MultiDict[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = _one(args, name) or default
    if value not in allowed:
        raise ParameterError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _required(args: MultiDict[str, str], name: str) -> str:
    value = _one(args, name)
    if not value or not value.strip():
        raise ParameterError(f"parameter {name!r} is required")
    return value


def _bool(args: MultiDict[str, str], name: str) -> bool:
    value = (_one(args, name) or "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise ParameterError(f"{name} must be true or false, not {value!r}")
    return value in ("true", "1")


def filters() -> dict[str, Any]:
    """The common filters of the request, checked."""
    args = request.args
    as_of, reported_by = _one(args, "as_of"), _one(args, "reported_by")
    parse_when(as_of, name="as_of")
    parse_when(reported_by, name="reported_by")
    return {"view": _choice(args, "view", "actors", ("actors", "full")), "as_of": as_of,
            "reported_by": reported_by, "source": _one(args, "source") or None,
            "node_types": [t for t in args.getlist("type") if t]}


def _run(command: list[Any], job: Any, *args: Any) -> Any:
    """``service().run(job, *args)``; past the time limit, the 503 names the kg command
    that does the same on the server's data with the time it needs: ``command``, its
    words, with the request's filters (:func:`_given`, :func:`_as_options`)."""
    try:
        return service().run(job, *args)
    except QueryTimeout as error:
        words = [str(word) for word in command]
        raise QueryTimeout(f"{error}; on a graph this large, `{shlex.join(words)} "
                           f"--timeout SECONDS` takes the time it needs, or narrow the "
                           f"graph (type, source, as_of, reported_by)") from None


def _given(*options: tuple[str, Any]) -> list[Any]:
    """Each ``(option, value)`` as a command's words, those not given (``None`` or empty)
    left out; a value ``True`` is a flag, the option alone."""
    found: list[Any] = []
    for option, value in options:
        if value is True:
            found.append(option)
        elif value is not None and value is not False and value != "":  # (0 is a value)
            found += [option, value]
    return found


def _as_options(params: dict[str, Any]) -> list[Any]:
    """The request's filters as the analysis commands take them."""
    return _given(("--view", "full" if params.get("view") == "full" else None),
                  ("--as-of", params.get("as_of")), ("--reported-by", params.get("reported_by")),
                  ("--source", params.get("source")),
                  *(("--type", kind) for kind in params.get("node_types") or ()))


def _engines() -> tuple[str, ...]:
    from ..analysis.engines import ENGINES  # networkx: imported by workers, not here

    return tuple(ENGINES)


@blueprint.route("/entities")
def entities() -> Response:
    """Entities whose names match ``q``, best first."""
    params = {"text": _required(request.args, "q"),
              "limit": _int(request.args, "limit", 10, 1, LIMITS["results"]), **filters()}
    return jsonify(_run(["kg", "search", params["text"], *_as_options(params)],
                        jobs.search_job, params))


@blueprint.route("/entities/<path:name>", merge_slashes=False)
def entity(name: str) -> Response:
    """Every fact about one entity (slug, CURIE, label or IRI: its slashes, written as
    they are or as ``%2F``, are part of the name), by source, with quotes."""
    params = filters()
    return jsonify(service().run(jobs.entity_job, name, {"reported_by": params["reported_by"],
                                                         "source": params["source"]}))


@blueprint.route("/neighbors")
def neighbors() -> Response:
    args = request.args
    params = {"entity": _required(args, "entity"),
              "radius": _int(args, "radius", 1, 0, LIMITS["radius"]),
              "max_nodes": int(current_app.config["MAX_NEIGHBOURS"]), **filters()}
    return jsonify(_run(["kg", "neighbors", params["entity"], "--radius", params["radius"],
                         *_as_options(params)], jobs.neighbors_job, params))


@blueprint.route("/paths")
def paths() -> Response:
    args = request.args
    params = {"start": _required(args, "from"), "end": _required(args, "to"),
              "max_hops": _int(args, "max_hops", 4, 1, LIMITS["max_hops"]),
              "limit": _int(args, "limit", 10, 1, LIMITS["paths"]),
              "shortest": _bool(args, "shortest"), **filters()}
    try:
        return jsonify(_run(["kg", "path", params["start"], params["end"], "--max-hops",
                             params["max_hops"], *_as_options(params)], jobs.paths_job,
                            params))
    except (UnknownEntity, AmbiguousEntity) as error:  # which end: by its HTTP name
        error.parameter = _ENDS.get(error.what)
        raise


#: the ends of a path as the analysis names them, and as /api/paths' parameters do
_ENDS = {"start entity": "from", "end entity": "to"}


@blueprint.route("/centrality")
def centrality() -> Response:
    args = request.args
    params = {"by": _choice(args, "by", "betweenness", ("degree", "betweenness", "pagerank")),
              "limit": _int(args, "limit", 20, 1, LIMITS["results"]),
              "engine": _choice(args, "engine", "auto", _engines()), **filters()}
    return jsonify(_run(["kg", "centrality", "--by", params["by"], *_as_options(params)],
                        jobs.centrality_job, params, _kept_measures(params)))


def _kept_measures(params: dict[str, Any]) -> tuple[str, str] | None:
    """Where the whole graph's measures are kept (and their stamp), for a request about the
    whole graph: once the server's background computation is over, waiting for it up to
    the time limit (a 503 to try again when it is still going);
    ``None`` for a request about part of it."""
    kept = service().measures
    whole = (params["view"] == "actors" and not params["node_types"]
             and not any(params[name] for name in ("as_of", "reported_by", "source")))
    if kept is None or not whole:
        return None
    if params["by"] != "betweenness" and not kept.ready(0):
        return None  # degree and PageRank now, betweenness null until it is computed
    if not kept.ready(service().limits.timeout):
        raise ServiceBusy(f"the centrality of the whole graph is computed once, in the "
                          f"background, from the server's start, and kept for its next "
                          f"starts (exact betweenness takes minutes on a graph this large); "
                          f"it is still being computed after {kept.elapsed():.0f} s: try "
                          f"again later, or narrow the graph (type, source, as_of)")
    return (str(kept.path), kept.stamp) if kept.outcome in ("kept", "computed") else None


@blueprint.route("/communities")
def communities() -> Response:
    args = request.args
    kind = _choice(args, "kind", "louvain", jobs.COMMUNITY_KINDS)
    params = {"kind": kind,
              "via": _one(args, "via") or None,
              "engine": _choice(args, "engine", "auto", _engines()),
              "limit": _int(args, "limit", DEFAULT_ROWS["groups"], 1, LIMITS["groups"]),
              "members": _int(args, "members", DEFAULT_ROWS["members"]
                              if kind in jobs.GROUP_KINDS else None, 1, LIMITS["members"]),
              **filters()}
    return jsonify(_run(["kg", "communities", "--kind", params["kind"],
                         *_given(("--via", params["via"]), ("--members", params["members"])),
                         *_as_options(params)],
                        jobs.communities_job, params))


@blueprint.route("/timeline")
def timeline() -> Response:
    args = request.args
    start, end = _one(args, "start"), _one(args, "end")
    parse_when(start, name="start")
    parse_when(end, name="end")
    params = {"entity": _one(args, "entity") or None, "start": start, "end": end,
              "years": _bool(args, "years"),
              "limit": _int(args, "limit", DEFAULT_ROWS["dated"], 1, LIMITS["dated"]),
              **filters()}
    return jsonify(_run(["kg", "timeline",
                         *_given(("--entity", params["entity"]), ("--start", start),
                                 ("--end", end), ("--years", params["years"])),
                         *_as_options(params)], jobs.timeline_job, params))


@blueprint.route("/graph")
def graph() -> Response:
    """The projection as Cytoscape.js elements JSON."""
    limit = int(current_app.config["MAX_ELEMENTS"])  # (kg.web.DEFAULTS: LIMITS["elements"])
    top = _int(request.args, "top", None, 1, LIMITS["top"])
    overview = _int(request.args, "overview", None, 1, LIMITS["top"])
    if top is not None and overview is not None:
        raise ParameterError("give top (always the most connected) or overview (the whole "
                             "graph when it fits), not both")
    params = filters()
    return jsonify(_run(["kg", "export", "--format", "cytoscape",
                         *_given(("--top", top or overview)), *_as_options(params)],
                        jobs.graph_job, params, limit, top, overview))


@blueprint.route("/export")
def export() -> Response:
    """The projection as a file: ``format=graphml|gexf|cytoscape|csv`` (``part=nodes|edges``
    for csv)."""
    from ..analysis.exporters import ExportFormat  # networkx: imported by workers only

    fmt = ExportFormat.parse(_required(request.args, "format"))
    part = _choice(request.args, "part", "edges", ("nodes", "edges"))
    top = _int(request.args, "top", None, 1, LIMITS["top"])
    params = filters()
    files = _run(["kg", "export", "--format", fmt.label, *_given(("--top", top)),
                  *_as_options(params)], jobs.export_job, params, fmt.label, top)
    name = f"{part}.csv" if fmt is ExportFormat.CSV else next(iter(files))
    response = Response(files[name], mimetype=fmt.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@blueprint.route("/sources")
def sources() -> Response:
    """The source articles, oldest first, a page at a time (``limit``, ``offset``); ``q``
    keeps those with each of its words (:func:`kg.analysis.articles.articles`)."""
    args = request.args
    return jsonify(service().run(jobs.articles_job, (_one(args, "q") or "").strip() or None,
                                 _int(args, "limit", DEFAULT_ROWS["articles"], 1,
                                      LIMITS["articles"]),
                                 _int(args, "offset", 0, 0, sys.maxsize)))


@blueprint.route("/sources/<path:name>", merge_slashes=False)
def source(name: str) -> Response:
    """One source article (id, ``src:`` CURIE or IRI: its slashes, written as they are or
    as ``%2F``, are part of the name) with its text (to show a quote in its context)."""
    return jsonify(service().run(jobs.article_job, name))


@blueprint.route("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of the API."""
    return jsonify(document(request.host_url.rstrip("/")))
