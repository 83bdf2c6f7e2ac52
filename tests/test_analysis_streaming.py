"""The projection is read from the store in pages, through ``Store.query`` and ``select`` only,
and is the same graph -- every node, edge and attribute -- whatever the page size, on every
backend.

Page sizes 1 and 7 run on Oxigraph; on the rdflib store each page re-evaluates the whole
query (rdflib has no cursor), so page size 1 over every query of the bundled graph takes
minutes there: the rdflib store reads the projection at page size 40 (several pages for the
large answers), and pages of 1 and 7 are checked on its engine query by query, for the
queries whose rows have unbound values and mixed datatypes (what ORDER BY must order).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

import kg
from kg.analysis import reading
from kg.analysis.projection import VIEWS, Filters, build
from kg.errors import ParameterError
from kg.store import BACKENDS
from kg.synth import synth

from .conftest import seed_graph

PAGE_SIZES = {"oxigraph": (1, 7, None), "rdflib": (40, None)}


@pytest.fixture(scope="module")
def synth_data(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return synth(articles=2, seed=5, out=tmp_path_factory.mktemp("synth") / "data").out


_graphs: dict[tuple[str, str], kg.KnowledgeGraph] = {}


def loaded(corpus: str, backend: str, synth_data: Any) -> kg.KnowledgeGraph:
    if (corpus, backend) not in _graphs:
        _graphs[(corpus, backend)] = (seed_graph(backend) if corpus == "bundled"
                                      else kg.load(data=synth_data, store=backend))
    return _graphs[(corpus, backend)]


class _QueryOnly:
    """A store that answers ``query`` and ``select`` (its rows as plain values) only, and
    records how many rows each answer had."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.answers: list[int] = []

    def query(self, *args: Any, **kwargs: Any) -> list[Any]:
        rows = list(self._store.query(*args, **kwargs))
        self.answers.append(len(rows))
        return rows

    def select(self, *args: Any, **kwargs: Any) -> list[Any]:
        rows = list(self._store.select(*args, **kwargs))
        self.answers.append(len(rows))
        return rows

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the projection used Store.{name}, not Store.query or select")


class _Graph:
    def __init__(self, store: Any) -> None:
        self.store = store


def snapshot(graph: Any, page_size: int | None) -> list[Any]:
    """Both views, as exact lists: graph attributes, nodes and edges with all their data;
    read through a store that answers ``query`` and nothing else, in pages no longer than
    ``page_size`` rows."""
    store = _QueryOnly(graph.store)
    raw = reading.read(_Graph(store), page_size=page_size)
    reading.read_all_edges(_Graph(store), raw, page_size=page_size)
    if page_size is not None:
        assert max(store.answers) <= page_size
        assert store.answers.count(page_size) >= 3, "answers longer than a page came in pages"
    views = [build(raw, Filters(view=view)) for view in VIEWS]
    return [(g.graph, list(g.nodes(data=True)), list(g.edges(keys=True, data=True)))
            for g in views]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("corpus", ["bundled", "synth"])
def test_the_projection_read_only_by_store_query_is_the_same_at_every_page_size(
        corpus: str, backend: str, synth_data: Any) -> None:
    graph = loaded(corpus, backend, synth_data)
    whole, *paged = [snapshot(graph, size) for size in PAGE_SIZES[backend][::-1]]
    assert whole[0][2], "the actors view has edges"
    assert any(d["sources"] and d["dates"] for *_, d in whole[0][2]), \
        "some edges carry citations and dates"
    for other in paged:
        assert other == whole


def test_the_projection_is_the_same_on_both_backends_and_as_kg_project_gives_it(
        synth_data: Any) -> None:
    expected = snapshot(loaded("synth", "rdflib", synth_data), None)
    assert snapshot(loaded("synth", "oxigraph", synth_data), 7) == expected
    projected = kg.project(graph=loaded("synth", "oxigraph", synth_data), page_size=3)
    assert list(projected.edges(keys=True, data=True)) == expected[0][2]


@pytest.mark.parametrize("name", ["dates", "inferred", "alt-labels", "articles", "stated-in"])
def test_pages_of_1_and_7_tile_each_answer_on_the_rdflib_engine(name: str) -> None:
    graph = seed_graph("rdflib")
    whole = Counter(reading.rows(graph, name, page_size=None))
    assert whole
    for size in (1, 7):
        assert Counter(reading.rows(graph, name, page_size=size)) == whole


def test_by_default_an_embedded_store_is_read_whole_and_a_remote_one_in_pages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """(paging an embedded store sorts each whole answer again for every page: at 1,000
    articles its projection input took 29.7 s in pages, 2.3 s whole)"""
    for backend in ("oxigraph", "rdflib"):
        assert reading.pages_for(seed_graph(backend), reading.AUTO) is None
    remote = _Graph(type("Remote", (), {"backend": "sparql+http"})())
    assert reading.pages_for(remote, reading.AUTO) == reading.PAGE_SIZE
    for given in (None, 1, 7, reading.PAGE_SIZE):
        assert reading.pages_for(remote, given) == given
    monkeypatch.setattr(reading, "PAGE_SIZE", 3)  # pages smaller than the seed's answers
    whole = _QueryOnly(seed_graph("oxigraph").store)
    whole.backend = "oxigraph"  # (what an embedded store says it is)
    reading.read(_Graph(whole))
    assert max(whole.answers) > 3  # not paged
    given = _QueryOnly(seed_graph("oxigraph").store)
    reading.read(_Graph(given), page_size=None)
    assert whole.answers == given.answers  # one answer per query, as with page_size=None
    assert reading.pages_for(remote, reading.AUTO) == 3


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "7"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_refused(bad: Any) -> None:
    with pytest.raises(ParameterError, match="page_size must be a whole number of rows"):
        kg.project(graph=seed_graph("oxigraph"), page_size=bad)
