"""System routes, under the reserved prefix ``/-/``: health and versions (JSON), and the
projection's input for a ``kg.connect`` client (:mod:`kg.analysis.transfer`)."""

from __future__ import annotations

import platform
from importlib import metadata

from flask import Blueprint, Response, current_app, jsonify, request

from .. import __version__
from .errors import error_response
from .service import service

__all__ = ["blueprint"]

blueprint = Blueprint("system", __name__, url_prefix="/-")


@blueprint.route("/health")
def health() -> Response:
    """Whether the graph is loaded, with its size; ``workers``: the query workers the
    server runs, ``workers_ready``: how many of them hold the graph and take queries now
    (while it is 0, a query waits for the first to start); ``centrality``: where the
    whole graph's centrality measures stand (``computing``, in the background from the
    start; ``computed``; ``kept``, from an earlier start; ``failed``: each request
    computes them; ``null``: not computed in the background: a server of one worker,
    which it would hold, or a graph with no saved projection); ``projection``: the SHA-256
    of the network projection the workers read (another dataset, or the same read again
    into a file of its own, names another: a ``kg.connect`` client keeps the projection it
    reads under it, :meth:`kg.remote.RemoteStore.dataset_identity`)."""
    sizes = service().sizes()
    pool = service().pool
    measures = service().measures
    stamp = service().projection
    return jsonify(status="ok", graphs=sizes["graphs"], quads=sizes["quads"],
                   queries=len(service().named), workers=pool.workers,
                   workers_ready=pool.ready_workers(),
                   centrality=None if measures is None else measures.outcome,
                   projection=None if stamp is None else f"sha256:{stamp}")


@blueprint.route("/version")
def version() -> Response:
    """The versions of kg and of what it runs on."""
    versions = {"kg": __version__, "python": platform.python_version()}
    for package in ("rdflib", "flask", "waitress", "pyparsing"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover
            versions[package] = None
    limits = service().limits
    return jsonify(versions=versions, limits={
        "timeout": limits.timeout, "max_rows": limits.max_rows, "max_body": limits.max_body,
        "max_elements": int(current_app.config["MAX_ELEMENTS"])})


@blueprint.route("/projection")
def projection() -> Response:
    """What the network projection is built from (every entity, relationship, date, quote
    and source the analysis reads), as :mod:`kg.analysis.transfer`'s JSON document, sent
    gzip-compressed only (13 MB at 10,000 articles; 170 MB as text): a ``kg.connect``
    client reads it in one request instead of about 400 SPARQL queries. Its
    ``X-KG-Projection`` and ``ETag`` are the ``projection`` of ``/-/health``."""
    if service().projection is None:  # (a projection file whose header records no SHA-256)
        return error_response(404, "404 Not Found: this server names no projection",
                              kind="NotFound")
    stamp = f"sha256:{service().projection}"
    if request.accept_encodings["gzip"] <= 0:
        return error_response(406, "406 Not Acceptable: the projection's input is sent "
                              "gzip-compressed only (ask with Accept-Encoding: gzip)",
                              kind="NotAcceptable")
    if request.if_none_match.contains(stamp):
        return Response(status=304, headers={"ETag": f'"{stamp}"'})
    response = Response(service().projection_input(), mimetype="application/json")
    response.headers.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding",
                             "ETag": f'"{stamp}"', "X-KG-Projection": stamp,
                             "Cache-Control": "no-cache"})
    return response
