"""kg's web application: a read-only SPARQL 1.1 endpoint, named queries as JSON, a query page.

Routes, one blueprint per area:

======================  =====================  ==============================================
route                   blueprint              what
======================  =====================  ==============================================
``/``                   :mod:`.ui`             the explorer (Cytoscape.js, shipped in the package)
``/query``              :mod:`.ui`             the query page (YASGUI, shipped in the package)
``/id/SLUG``            :mod:`.entities`       a page per entity (HTML, Turtle, JSON-LD, ...)
``/source/ID``          :mod:`.entities`       a page per article (HTML; its named graph)
``/sparql``             :mod:`.sparql`         the SPARQL 1.1 Protocol; Service Description
``/api/queries``        :mod:`.api`            the named queries (JSON)
``/api/queries/NAME``   :mod:`.api`            run one (JSON, or CSV)
``/api/entities`` ...   :mod:`.analysis`       relationship analysis (JSON); OpenAPI document
``/-/health``           :mod:`.system`         the graph is loaded (JSON)
``/-/version``          :mod:`.system`         versions and limits (JSON)
======================  =====================  ==============================================

:func:`create_app` takes a mapping of settings (all optional):

``GRAPH``
    a loaded :class:`~kg.load.KnowledgeGraph` to serve; otherwise one is loaded from
    ``PROJECT`` / ``DATA`` (paths), or the bundled graph.
``QUERY_TIMEOUT``
    seconds a query may run (default 10); then the client gets 503 and the worker is free.
``MAX_ROWS``
    most rows / triples in a result (default 10 000); a larger result is a 400.
``MAX_BODY``
    largest request body in bytes (default 1 000 000); a larger one is a 413.
``MAX_ELEMENTS``
    most nodes and edges together that ``/api/graph`` draws (default 5000,
    :data:`kg.analysis.jobs.MAX_DRAWN`); a larger graph is a 400, and the explorer then
    draws it in part, from the entities one looks for.
``MAX_NEIGHBOURS``
    most entities a neighbourhood (``/api/neighbors``, an entity page) gives (default 500,
    :data:`kg.analysis.jobs.MAX_NEIGHBOURS`):
    past it, the nearest, most connected, and how many there are (``reached``).
``MAX_MEMORY``
    bytes of memory a worker may use on top of the loaded graph (default 2 GiB; None: no
    cap); a query that needs more is stopped with a 500 that says so.
``WORKERS``
    worker processes that run queries (default: two per core, plus one); a query that
    runs past ``QUERY_TIMEOUT`` has its worker replaced, the others keep serving.
``WAIT_FOR_WORKERS``
    start every worker before returning (default False: they start with the first query).
``READY_WORKERS``
    with ``WAIT_FOR_WORKERS``, return once this many workers are ready (default: all);
    the others go on starting, and jobs go to those that are ready. ``0`` (``kg serve``):
    launch every worker now, in the background, and return at once; a job sent before
    one is ready waits for it.
``ACCESS_LOG``
    log one line per request on the ``kg.access`` logger (default False; ``kg serve`` sets
    it).

Answers are compressed for the clients that ask (:mod:`.compression`).

Serve it with ``kg serve`` (waitress), never Flask's development server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..analysis.jobs import MAX_DRAWN, MAX_NEIGHBOURS
from ..execute import Limits

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app", "DEFAULTS"]

DEFAULTS: dict[str, Any] = {
    "GRAPH": None,
    "PROJECT": None,
    "DATA": None,
    "ONTOLOGY": None,
    "QUERY_TIMEOUT": Limits.timeout,
    "MAX_ROWS": Limits.max_rows,
    "MAX_BODY": Limits.max_body,
    "MAX_ELEMENTS": MAX_DRAWN,
    "MAX_NEIGHBOURS": MAX_NEIGHBOURS,
    "MAX_MEMORY": Limits.max_memory,
    "WORKERS": None,
    "WAIT_FOR_WORKERS": False,
    "READY_WORKERS": None,
    "ACCESS_LOG": False,
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The application, with the graph loaded (or the one given) and attached to it.

    >>> app = create_app({"QUERY_TIMEOUT": 5})
    >>> app.test_client().get("/-/health").json["status"]
    'ok'
    """
    # imported here, not with the package: a query worker runs jobs of kg.web.service
    # and never needs flask (its fork server would import it for nothing)
    from flask import Flask

    from ..load import KnowledgeGraph, load
    from . import (
        access,
        analysis,
        api,
        compression,
        entities,
        errors,
        sparql,
        system,
        ui,
    )
    from .service import Service

    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    if config:
        app.config.from_mapping(config)
    limits = Limits(timeout=float(app.config["QUERY_TIMEOUT"]),
                    max_rows=int(app.config["MAX_ROWS"]),
                    max_body=int(app.config["MAX_BODY"]),
                    max_memory=app.config["MAX_MEMORY"])
    app.config["MAX_CONTENT_LENGTH"] = limits.max_body
    app.config["MAX_FORM_MEMORY_SIZE"] = limits.max_body
    app.json.sort_keys = False  # type: ignore[attr-defined]

    graph = app.config["GRAPH"]
    if graph is None:
        graph = load(project=app.config["PROJECT"], data=app.config["DATA"],
                     ontology=app.config["ONTOLOGY"])
    if not isinstance(graph, KnowledgeGraph):
        raise TypeError("GRAPH must be a kg.load.KnowledgeGraph")
    app.extensions["kg"] = Service.start(graph, limits, workers=app.config["WORKERS"],
                                         wait=bool(app.config["WAIT_FOR_WORKERS"]),
                                         ready=app.config["READY_WORKERS"])

    errors.install(app)
    compression.install(app)
    if app.config["ACCESS_LOG"]:
        access.install(app)
    for blueprint in (ui.blueprint, entities.blueprint, sparql.blueprint, api.blueprint,
                      analysis.blueprint, system.blueprint):
        app.register_blueprint(blueprint)
    return app
