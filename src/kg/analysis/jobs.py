"""The analyses as jobs for bounded execution: ``job(graph, params) -> JSON-able dict``.

The CLI runs them with :func:`kg.execute.run_job`, the web routes with
:meth:`kg.web.service.Service.run`. Each is a module-level function whose arguments and
result are plain (picklable) values; ``params`` holds the checked options of the
function of the same name in :mod:`.public`. The analysis modules (networkx) are imported
when a job runs -- in a worker, whose fork server has them already -- so that the web
application, which only names the jobs, starts without them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["search_job", "neighbors_job", "paths_job", "centrality_job", "communities_job",
           "timeline_job", "graph_job", "export_job", "entity_job", "warm_job", "prepared_job",
           "articles_job", "article_job", "MAX_DRAWN", "MAX_NEIGHBOURS", "check_drawable",
           "COMMUNITY_KINDS", "GROUP_KINDS"]

#: the most nodes and edges together that a drawing takes (the explorer's ``/api/graph``,
#: a notebook's view): beyond, a browser lays it out for minutes, and so does the static
#: drawing's spring layout (53 s for the 17,000 of 1,000 articles)
MAX_DRAWN = 5000

#: what :func:`kg.communities` computes (its ``kind``), and the kinds whose rows are groups
#: that list their members (``members`` cuts those lists)
COMMUNITY_KINDS = ("louvain", "components", "brokers", "coaffiliation")
GROUP_KINDS = ("louvain", "components")

#: the most entities a neighbourhood gives a server's client (``kg serve
#: --max-neighbours``): past it, the nearest and most connected, and how many there are
MAX_NEIGHBOURS = 500


def check_drawable(graph: Any, limit: int = MAX_DRAWN, *, by_type: str = "node_types") -> None:
    """Raise :class:`~kg.errors.ResultTooLarge` when ``graph`` (a projection) has more than
    ``limit`` nodes and edges together, saying how to narrow it (``by_type``: what the
    caller calls the filter by type, ``type`` over HTTP)."""
    _refuse_past(graph.number_of_nodes() + graph.number_of_edges(), limit, by_type=by_type)


def _refuse_past(size: int, limit: int, *, at_least: bool = False,
                 by_type: str = "node_types", top: bool = True) -> None:
    """``top``: whether keeping the most connected nodes is a way out."""
    from ..errors import ResultTooLarge

    if size > limit:
        narrow = f"narrow it with {by_type}, source, as_of or reported_by"
        raise ResultTooLarge(f"the graph has {'at least ' if at_least else ''}{size:,} "
                             f"elements, more than the limit of {limit:,}; {narrow}"
                             + (", or keep its most connected nodes (top)" if top else
                                " (the whole full view is not built, even to keep its most "
                                "connected nodes)"))


def search_job(graph: Any, params: dict[str, Any]) -> dict[str, Any]:
    from . import public

    return public.search(graph=graph, **params).to_json()


def neighbors_job(graph: Any, params: dict[str, Any]) -> dict[str, Any]:
    from . import public

    return public.neighbors(graph=graph, **params).to_json()


def paths_job(graph: Any, params: dict[str, Any]) -> dict[str, Any]:
    from . import public

    return public.paths(graph=graph, **params).to_json()


def centrality_job(graph: Any, params: dict[str, Any],
                   kept: tuple[str, str] | None = None) -> dict[str, Any]:
    """``kept``: the file holding the whole projection's measures, and the stamp of the
    snapshot they must have been computed from (:mod:`.kept_measures`), read first (else
    :func:`.public.centrality` looks where a server keeps them)."""
    from . import public

    if kept is not None:
        from .kept_measures import recall_file
        from .projection import Filters, projection

        recall_file(projection(graph, Filters()), kept[0], stamp=kept[1])
    return public.centrality(graph=graph, **params).to_json()


def communities_job(graph: Any, params: dict[str, Any]) -> dict[str, Any]:
    from . import public

    return public.communities(graph=graph, **params).to_json()


def timeline_job(graph: Any, params: dict[str, Any]) -> dict[str, Any]:
    from . import public

    return public.timeline(graph=graph, **params).to_json()


def graph_job(graph: Any, params: dict[str, Any], max_elements: int,
              top: int | None = None, overview: int | None = None) -> dict[str, Any]:
    """Cytoscape.js elements JSON of the projection (for ``/api/graph``: its errors name
    the HTTP parameters); more than ``max_elements`` nodes plus edges is an error (narrow it
    with filters: :func:`check_drawable`). With ``top``, of
    its ``top`` most connected nodes and the edges among them, fewer when they would be
    more than ``max_elements`` (the most that fit), and ``"top"``: how many nodes were kept
    of how many. With ``overview``, the whole when it fits, else as with ``top=overview``
    and ``"too_large"``: why not the whole (no nodes when even those are refused)."""
    from . import public
    from .exporters import cytoscape_elements
    from .pathfinding import most_connected
    from .projection import raw_of

    if overview is not None:
        from ..errors import ResultTooLarge

        try:
            return graph_job(graph, params, max_elements)
        except ResultTooLarge as whole:
            try:
                cut = graph_job(graph, params, max_elements, top=overview)
            except ResultTooLarge:  # (the whole full view: refused before it is built)
                cut = {"elements": {"nodes": [], "edges": []}}
            return {**cut, "too_large": str(whole)}

    if params.get("view") == "full" and not any(
            params.get(name) for name in ("as_of", "reported_by", "source", "node_types")):
        # the whole full view has every node the data declares, and more: when they alone
        # are too many, it is refused before it is built (21.7 s at 10,000 articles, past
        # the time limit: a timeout said nothing of narrowing it)
        _refuse_past(len(raw_of(graph).node_classes), max_elements, at_least=True,
                     by_type="type", top=False)
    projected = public.shared_projection(graph=graph, **params)
    if top is None:
        check_drawable(projected, max_elements, by_type="type")
        return cytoscape_elements(projected)
    kept = most_connected(projected, top, max_elements=max_elements)
    return {**cytoscape_elements(kept),
            "top": {"nodes": kept.number_of_nodes(), "of": projected.number_of_nodes()}}


def export_job(graph: Any, params: dict[str, Any], format: str,
               top: int | None = None) -> dict[str, bytes]:
    """The export files: file name -> bytes (with ``top``, of the ``top`` most connected
    nodes and the edges among them)."""
    from . import public
    from .exporters import write

    return write(public.project(graph=graph, top=top, **params), format)


def entity_job(graph: Any, entity: str, params: dict[str, Any]) -> dict[str, Any]:
    from . import public

    return public.entity_facts(entity, graph=graph, **params)


def articles_job(graph: Any, text: str | None = None, limit: int | None = None,
                 offset: int = 0) -> dict[str, Any]:
    from . import articles

    return articles.articles(graph, text, limit=limit, offset=offset)


def article_job(graph: Any, name: str) -> dict[str, Any]:
    from . import articles

    return articles.article(graph, name)


def warm_job(graph: Any, *, snapshot: str | None = None,
             fingerprint: str | None = None, queries: tuple[str, ...] = (),
             turn: Any = None) -> int:
    """What a worker does once before its first job: load the unfiltered projection saved
    at ``snapshot`` (:mod:`.snapshot`; checked against ``graph``'s ``fingerprint``), or,
    without one, build it; then start preparing, in the background, what the first
    request of each kind needs (:mod:`.warmup`; ``queries``: the named queries' texts;
    ``turn``: the lock the workers share to prepare one at a time)."""
    from . import snapshot as saved
    from . import warmup
    from .projection import Filters, projection

    if snapshot is not None and fingerprint is not None:
        saved.load(graph, snapshot, expected=fingerprint)
    nodes = projection(graph, Filters()).number_of_nodes()
    warmup.start(graph, queries, turn=turn)
    return nodes


def prepared_job(graph: Any, timeout: float) -> dict[str, Any]:
    """What this worker holds ready once its warm-up is done (waiting up to ``timeout``
    seconds for it): what "ready, with no first-request penalty" means
    (:func:`.warmup.state`)."""
    from . import warmup

    warmup.wait(timeout)
    return warmup.state(graph)


#: waits for the warm-up thread, so it runs without the parser lock (kg.execute._call)
prepared_job.waits_for_warmup = True  # type: ignore[attr-defined]
