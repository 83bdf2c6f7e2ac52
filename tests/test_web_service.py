"""kg.web.service: a named query that cannot run stops the start, before any worker is
started -- on Oxigraph checked by Oxigraph's own parser, elsewhere by kg's guard."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from kg.errors import QuerySyntaxError, UnsafeQueryError
from kg.execute import Limits
from kg.queries import queries
from kg.store import BACKENDS
from kg.web.service import Service, check_named

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
