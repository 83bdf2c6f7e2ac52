"""What a server's worker prepares once, in the background, so that no request pays for it.

A worker is *ready* (it takes jobs) once it holds the graph and the unfiltered ``actors``
projection (:func:`kg.analysis.jobs.warm_job`). What the first request of each kind would
otherwise build in that worker is then prepared by one background thread of the worker,
while it waits for work:

* the folded names of the projection (what ``/api/entities?q=`` searches);
* its undirected simple view (neighbours, paths, centrality, communities);
* its whole timeline (what the explorer's year strip counts at every load);
* each named query, parsed and checked by kg's guard (:mod:`kg.sparql_guard`).

Each of these is built under its own lock by the function that uses it, so a request that
arrives while the thread builds it waits for that one build instead of starting another;
:func:`wait` lets a caller (a test, a benchmark) wait until everything is prepared.

The workers of one server prepare one after another (``turn``: a lock they share, held
while one prepares): parsing every named query costs a worker a second or two of CPU, and
five workers doing it at once on a small machine would hold every core while the first
requests wait for one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

__all__ = ["start", "wait", "prepare", "state"]

log = logging.getLogger(__name__)

_done = threading.Event()
_started = False
#: how many named queries the warm-up parsed and checked
_queries = 0


def prepare(graph: Any, queries: Sequence[str] = ()) -> None:
    """Build, for ``graph`` (its unfiltered projection installed or built), what the first
    request of each kind needs: folded names, the undirected view, the named queries
    ``queries`` (their texts) parsed and checked."""
    from ..sparql_guard import prepare_cached
    from .matching import folded_names
    from .pathfinding import undirected
    from .projection import Filters, projection
    from .public import timeline

    actors = projection(graph, Filters())
    folded_names(actors)
    undirected(actors)
    timeline(graph=graph, years=True)
    global _queries
    if queries:
        graphs = frozenset(graph.store.graph_names())
        # rdflib's store runs the parsed algebra, which a verdict kept on disk
        # (kg.guard_cache) leaves unparsed until first asked for: parse it here
        algebra = graph.store.runs_rdflib_algebra
        for text in queries:
            try:
                prepared = prepare_cached(text, graphs)
                if algebra:
                    prepared.query  # noqa: B018 - parsed now, not on the first request
            except Exception:  # noqa: BLE001 - checked when the server started; reported then
                log.exception("preparing a named query failed")
            else:
                _queries += 1


#: seconds a worker waits for its turn before preparing anyway (the worker holding the
#: turn may have been stopped while it prepared)
TURN_TIMEOUT = 60.0


def start(graph: Any, queries: Sequence[str] = (), *, turn: Any = None) -> None:
    """Run :func:`prepare` in a background thread of this process (once); ``turn``: a
    lock shared by the server's workers (a ``multiprocessing`` lock), held while
    preparing, so that they prepare one at a time."""
    global _started
    if _started:
        return
    _started = True

    def run() -> None:
        held = turn is not None and turn.acquire(timeout=TURN_TIMEOUT)
        try:
            prepare(graph, queries)
        except Exception:  # noqa: BLE001 - a request then builds what it needs itself
            log.exception("preparing the worker failed")
        finally:
            if held:
                turn.release()
            _done.set()

    threading.Thread(target=run, name="kg-prepare", daemon=True).start()


def wait(timeout: float | None = None) -> bool:
    """Whether everything :func:`start` prepares is ready (waiting up to ``timeout``
    seconds); False when nothing was started."""
    return _started and _done.wait(timeout)


def state(graph: Any) -> dict[str, Any]:
    """What this process holds ready for ``graph``: its unfiltered projection (``shared``:
    the one the fork server preloaded, :func:`.snapshot.preload`), that projection's
    folded names, undirected view and timeline, the number of named queries prepared."""
    from . import chronology, matching, pathfinding, snapshot
    from .projection import Filters, installed, projection

    if not installed(graph):
        return {"projection": False, "shared": False, "names": False, "undirected": False,
                "timeline": False, "queries": _queries}
    actors = projection(graph, Filters())
    with matching._folded_lock:
        names = actors in matching._folded
    with pathfinding._undirected_lock:
        simple = actors in pathfinding._undirected
    with chronology._tables_lock:
        dated = None in chronology._tables.get(actors, {})
    return {"projection": True, "shared": snapshot.shared(graph), "names": names,
            "undirected": simple, "timeline": dated, "queries": _queries}
