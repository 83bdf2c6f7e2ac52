"""kg.analysis.warmup: a server's worker, once ready, prepares in the background what the
first request of each kind would otherwise build -- the folded names a search reads, the
undirected view neighbours and paths walk, every named query parsed and checked -- so that
"ready" means every route answers without a first-request penalty (the whole timeline too); a request arriving
meanwhile waits for that one build instead of starting another, and answers the same."""

from __future__ import annotations

import threading

from kg.analysis import jobs, matching, pathfinding
from kg.analysis.projection import Filters, projection
from kg.execute import Limits
from kg.queries import queries
from kg.web.service import Service

from .conftest import seed_graph

FILTERS = {"view": "actors", "as_of": None, "reported_by": None, "source": None, "node_types": []}


def test_a_ready_worker_holds_names_undirected_view_timeline_and_every_named_query_prepared(
        ) -> None:
    graph = seed_graph("oxigraph")
    service = Service.start(graph, Limits(timeout=60), workers=1, wait=True)
    try:
        state = service.run(jobs.prepared_job, 50.0)
        named = len(queries(folder=graph.bundle.queries))
        assert state == {"projection": True, "shared": False, "names": True,
                         "undirected": True, "timeline": True, "queries": named}
        # and the routes answer from what was prepared, as they did before
        found = service.run(jobs.search_job, dict(text="almalik", limit=1, **FILTERS))
        assert found["results"][0]["label"] == "Salim bin Mohammed Al-Malik"
    finally:
        service.close()


def test_callers_arriving_during_a_build_wait_for_that_one_build() -> None:
    actors = projection(seed_graph("oxigraph"), Filters())
    matching._folded.pop(actors, None)
    pathfinding._undirected.pop(actors, None)
    names: list[object] = []
    views: list[object] = []
    threads = [threading.Thread(target=lambda: (names.append(matching.folded_names(actors)),
                                                views.append(pathfinding.undirected(actors))))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(found is names[0] for found in names)  # one list, built once
    assert all(view is views[0] for view in views)
