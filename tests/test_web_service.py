"""kg.web.service: a named query that cannot run stops the start, before any worker is
started -- on Oxigraph checked by Oxigraph's own parser, elsewhere by kg's guard; a
service may start its workers in the background, and a query sent before one is ready
waits for it and is answered."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path

import pytest

from kg.errors import QuerySyntaxError, UnsafeQueryError
from kg.execute import Limits
from kg.queries import queries
from kg.store import BACKENDS
from kg.web.service import Service, check_named, records_json

from .conftest import seed_graph


def _with_query(backend: str, folder: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    graph = seed_graph(backend)
    shutil.copytree(graph.bundle.queries, folder)
    (folder / f"{name}.rq").write_text(text, encoding="utf-8")
    return dataclasses.replace(graph, bundle=dataclasses.replace(graph.bundle, queries=folder))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_named_query_that_does_not_parse_stops_the_start(backend: str,
                                                           tmp_path: Path) -> None:
    graph = _with_query(backend, tmp_path / "queries", "zz-broken",
                        "# title: Broken\n# description: a brace is missing\n"
                        "SELECT ?s WHERE { ?s ?p ?o \n")
    with pytest.raises(QuerySyntaxError):
        Service.start(graph, Limits(timeout=5), workers=1, wait=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_named_query_asking_another_server_stops_the_start(backend: str,
                                                            tmp_path: Path) -> None:
    graph = _with_query(backend, tmp_path / "queries", "zz-service",
                        "# title: Elsewhere\n# description: asks another server\n"
                        "SELECT ?s WHERE { SERVICE <http://example.org/sparql> "
                        "{ ?s ?p ?o } }\n")
    with pytest.raises(UnsafeQueryError):
        Service.start(graph, Limits(timeout=5), workers=1, wait=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_bundled_named_query_passes_the_start_check(backend: str) -> None:
    graph = seed_graph(backend)
    for query in queries(folder=graph.bundle.queries):
        check_named(query, graph)


def test_a_service_started_in_the_background_answers_a_query_sent_before_a_worker_is_ready(
) -> None:
    graph = seed_graph("oxigraph")
    query = queries(folder=graph.bundle.queries)[1]
    expected = json.loads(records_json(query, {}, query.run(graph)))["rows"]
    began = time.monotonic()
    service = Service.start(graph, Limits(timeout=5), workers=2, wait=True, ready=0)
    try:
        returned = time.monotonic() - began
        answer = json.loads(service.run_named("cq01-agreements-between", {}, "records").body)
        assert answer["query"] == query.name
        assert answer["rows"] == expected  # the lists sorted as a named query's are
        assert answer["rows"] and len(service.pool.pids()) == 2
        print(f"Service.start returned after {returned:.2f} s")  # no worker waited for
    finally:
        service.close()
    assert service.pool.pids() == []


def imported(graph: object, names: tuple[str, ...]) -> list[str]:
    """A job: which of the modules ``names`` the worker has imported."""
    import sys

    return sorted(name for name in names if name in sys.modules)


def test_a_query_worker_runs_queries_without_importing_flask() -> None:
    service = Service.start(seed_graph("oxigraph"), Limits(timeout=60), workers=1, wait=True)
    try:
        assert json.loads(service.run_named("cq07-member-since", {}, "records").body)["rows"]
        assert service.run(imported, ("flask", "jinja2", "kg.web.service")) == \
            ["kg.web.service"]
    finally:
        service.close()


def test_an_application_never_closed_leaves_no_projection_file_behind_when_python_exits(
) -> None:
    # create_app's caller (a WSGI server's module, a notebook) may never close the service:
    # the scratch projection and its measures, hundreds of MB on a large graph, must still go
    import os
    import subprocess
    import sys

    from .conftest import SEED_DATA

    program = ("from kg.web import create_app\n"
               f"app = create_app({{'DATA': {str(SEED_DATA)!r}, 'WORKERS': 2, "
               "'WAIT_FOR_WORKERS': True})\n"
               "service = app.extensions['kg']\n"
               "assert service.measures.ready(120)\n"
               "print(service.scratch, service.measures.path)\n")
    from .scratch import folder

    scratch = folder("tmp")  # (a short path: the fork server's socket is made in it)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "TMPDIR": str(scratch)})
    assert done.returncode == 0, done.stderr
    written = [Path(name) for name in done.stdout.split()]
    assert [path.parent for path in written] == [scratch, scratch]  # it wrote both there
    assert not list(scratch.glob("kg-projection-*"))  # and both are gone


def test_a_service_collected_unclosed_stops_its_workers_before_removing_its_files() -> None:
    """An application dropped without being closed (a doctest's, a notebook cell run
    again): its workers stop, then its scratch projection and its measures go; a worker
    still computing the measures had written them after they were removed."""
    import gc

    service = Service.start(seed_graph("oxigraph"), Limits(timeout=60), workers=2, wait=True)
    pids, scratch = service.pool.pids(), service.scratch
    measures = service.measures.path if service.measures is not None else None
    assert pids and scratch is not None and scratch.exists()
    del service
    gc.collect()
    assert not scratch.exists() and (measures is None or not measures.exists())
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or \
            Path(f"/proc/{pid}/status").read_text().count("zombie")
