"""The projection is read from the store in pages, through ``Store.query`` and ``select`` only
(and ``graph_names``, to read by graph), and is the same graph -- every node, edge and
attribute -- whatever the page size and however many graphs a batch reads, on every
backend, the remote triplestores included.

Page sizes 1 and 7 run on Oxigraph; on the rdflib store each page re-evaluates the whole
query (rdflib has no cursor), so page size 1 over every query of the bundled graph takes
minutes there: the rdflib store reads the projection at page size 40 (several pages for the
large answers), and pages of 1 and 7 are checked on its engine query by query, for the
queries whose rows have unbound values and mixed datatypes (what ORDER BY must order).
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from typing import Any

import pytest

import kg
from kg.analysis import reading
from kg.analysis.projection import VIEWS, Filters, build
from kg.contradictions import CHECKED
from kg.errors import ParameterError, QueryTimeout
from kg.namespaces import ONTOLOGY_GRAPH
from kg.store import BACKENDS
from kg.synth import synth

from .conftest import REMOTE_STORES, seed_graph

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
    """A store that answers ``query``, ``select`` (its rows as plain values) and
    ``graph_names`` only, and records each query's text and how many rows it answered."""

    #: where it is (said when a store read in pages is read), and no projection handed
    #: over at once (kg's server's, :meth:`kg.remote.RemoteStore.projection_input`)
    url = "a store that answers queries only"
    projection_input = None

    def __init__(self, store: Any) -> None:
        self._store = store
        # what the store declares of how it answers (whether it streams each answer,
        # whether it orders joins itself), which decides how the projection asks
        self.streams_answers = getattr(store, "streams_answers", False)
        self.plans_joins = getattr(store, "plans_joins", True)
        self.answers: list[int] = []
        self.texts: list[str] = []
        self.named: list[Any] = []

    def query(self, *args: Any, **kwargs: Any) -> list[Any]:
        rows = list(self._store.query(*args, **kwargs))
        self.answers.append(len(rows))
        self.texts.append(args[0])
        return rows

    def select(self, *args: Any, **kwargs: Any) -> list[Any]:
        rows = list(self._store.select(*args, **kwargs))
        self.answers.append(len(rows))
        self.texts.append(args[0])
        self.named.append(kwargs.get("named_graphs"))
        return rows

    def graph_names(self) -> list[Any]:
        return self._store.graph_names()

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
    from kg.remote import RemoteStore

    assert not RemoteStore.streams_answers  # (nor kg's remote triplestore, its subclass)
    remote = _Graph(type("Remote", (), {"streams_answers": False})())
    assert reading.pages_for(remote, reading.AUTO) == reading.PAGE_SIZE
    for given in (None, 1, 7, reading.PAGE_SIZE):
        assert reading.pages_for(remote, given) == given
    monkeypatch.setattr(reading, "PAGE_SIZE", 3)  # pages smaller than the seed's answers
    whole = _QueryOnly(seed_graph("oxigraph").store)  # (it says it streams its answers)
    reading.read(_Graph(whole))
    assert max(whole.answers) > 3  # not paged
    given = _QueryOnly(seed_graph("oxigraph").store)
    reading.read(_Graph(given), page_size=None)
    assert whole.answers == given.answers  # one answer per query, as with page_size=None
    assert reading.pages_for(remote, reading.AUTO) == 3


class _Overlapping(_QueryOnly):
    """A store that records how many of its ``select`` calls run at once (each held a
    moment, as a remote endpoint holds it)."""

    def __init__(self, store: Any) -> None:
        super().__init__(store)
        self._lock = threading.Lock()
        self._running = 0
        self.most = 0

    def select(self, *args: Any, **kwargs: Any) -> list[Any]:
        with self._lock:
            self._running += 1
            self.most = max(self.most, self._running)
        try:
            time.sleep(0.02)
            return super().select(*args, **kwargs)
        finally:
            with self._lock:
                self._running -= 1


def test_a_store_read_in_pages_is_asked_several_queries_at_once_to_the_same_projection(
        ) -> None:
    """(a remote store: its engine answers one query while kg reads another's answer; at
    10,000 articles through kg's server, kg.connect's projection 91 -> 57-64 s)"""
    graph = seed_graph("oxigraph")
    expected = reading.read(graph, page_size=None)
    paged = _Overlapping(graph.store)
    assert reading.read(_Graph(paged), page_size=7) == expected
    assert 1 < paged.most <= reading.READERS
    streamed = _Overlapping(graph.store)  # an embedded store's answers: one at a time
    assert reading.read(_Graph(streamed), page_size=None) == expected
    assert streamed.most == 1


#: the analysis queries each of whose rows comes from one named graph#: the analysis queries each of whose rows comes from one named graph (a GRAPH pattern on
#: the variable given), read a batch of graphs at a time; the others read kg's default graph
BY_GRAPH = {"all-edges": "graph", "alt-labels": "graph", "articles": "article",
            "checked-statements": "graph", "dates": "graph", "inferred": "graph",
            "labels": "graph", "mentions": "graph", "property-edges": "graph",
            "quotes": "graph", "stated-in": "graph", "types": "graph",
            "node-classes": "graph", "events": "graph"}
WHOLE = ("relationships", "excluded-properties")


def test_a_query_whose_rows_each_come_from_one_named_graph_is_read_by_graph() -> None:
    for name, variable in BY_GRAPH.items():
        assert reading.graph_variable(name) == variable, name
        assert f"GRAPH ?{variable} {{" in reading.sparql_text(name), name
    for name in WHOLE:
        assert reading.graph_variable(name) is None, name


def test_a_batchs_graph_names_drive_its_graph_pattern_in_a_subquery_of_their_own() -> None:
    """(beside the rest of the group, Oxigraph joined a batch's VALUES block with every
    graph's rows: 256 articles' checked properties at 10,000 articles took 2.8 s, 0.1 s
    so)"""
    for name, variable in BY_GRAPH.items():
        driven = reading.driven_by_batch(reading.sparql_text(name), variable)
        inner = re.search(rf"\{{ SELECT \* WHERE \{{\n\s*# VALUES \?{variable}\n"
                          rf"\s*GRAPH \?{variable} \{{", driven)
        assert inner, name
        assert driven.count("VALUES") == reading.sparql_text(name).count("VALUES"), name


@pytest.mark.parametrize("backend, driven", [("oxigraph", True), ("rdflib", False)])
def test_a_batch_drives_its_graph_group_where_the_store_plans_its_joins(
        backend: str, driven: bool) -> None:
    """rdflib's store evaluates a group in its written order and a subquery again for each
    row before it (the paged projection of two articles: 17-23 s, 73 s driven), so it
    gets a batch's graph names where the query writes them; a store that orders its joins
    (``plans_joins``: Oxigraph, an endpoint) gets them in a subquery of their own."""
    store = _QueryOnly(seed_graph(backend).store)
    assert store.plans_joins is driven
    list(reading.rows(_Graph(store), "mentions", page_size=1000))
    subquery = re.compile(r"\{ SELECT \* WHERE \{\n\s*VALUES \?graph \{")
    assert store.texts and all(bool(subquery.search(text)) is driven for text in store.texts)


@pytest.mark.parametrize("between", ["BIND (1 AS ?one)", "OPTIONAL { ?s ?p ?o }",
                                     "FILTER (?s != ?o)"])
def test_a_query_read_by_graph_with_more_than_patterns_before_its_graph_group_is_refused(
        between: str) -> None:
    """(what stands between the marker and the GRAPH group is moved before the subquery:
    only what joins the same wherever it stands)"""
    from kg.errors import QueryError

    text = f"SELECT * WHERE {{\n  # VALUES ?g\n  {between}\n  GRAPH ?g {{ ?s ?p ?o }}\n}}"
    with pytest.raises(QueryError, match="sparql/x.rq: only patterns, VALUES and subqueries"):
        reading.driven_by_batch(text, "g", what="sparql/x.rq")
    with pytest.raises(QueryError, match="no '# VALUES \\?graph' line followed by"):
        reading.driven_by_batch(text, "graph", what="sparql/x.rq")


def _graphs_of(text: str, variable: str) -> list[str]:
    """The graphs of the batch a query's ``text`` reads (its ``VALUES ?variable`` block)."""
    block = re.search(rf"VALUES \?{variable} \{{(.*?)\}}\n", text)
    assert block, f"a query read by graph without its graphs: {text}"
    return re.findall(r"<([^>]+)>", block.group(1))


def _batches(store: _QueryOnly, variable: str, page_size: int) -> list[list[str]]:
    """The graphs of each batch ``store`` was asked for, in order: a batch is asked once, in
    no order; one whose answer filled the page is then read in ordered pages (which repeat
    its graphs)."""
    found: list[list[str]] = []
    filled = False
    for text, answered in zip(store.texts, store.answers, strict=True):
        graphs = _graphs_of(text, variable)
        if "ORDER BY" not in text:
            assert "OFFSET" not in text and f"LIMIT {page_size}\n" in text
            found.append(graphs)
            filled = answered == page_size
        else:
            assert filled, "ordered pages only for a batch whose answer filled a page"
            assert graphs == found[-1], "a batch's pages are of its graphs"
    return found


@pytest.mark.parametrize("backend", BACKENDS + REMOTE_STORES)
def test_read_by_graph_the_batches_partition_the_named_graphs_and_the_answer(
        backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """(read in pages over the whole answer, a store evaluated and sorted the whole answer
    for every page: at 10,000 articles on an Oxigraph server, about 45 minutes for the
    mentions alone; then each batch in ordered pages: sorting took an Oxigraph server 15
    times as long as finding the rows)"""
    graph = seed_graph(backend)
    names = [str(name) for name in graph.store.graph_names()]
    assert len(names) >= 4
    monkeypatch.setattr(reading, "FIRST_BATCH", 1)  # batches of 1, then 1 or 2 graphs
    monkeypatch.setattr(reading, "MAX_BATCH", 2)
    page_size = PAGE_SIZES[backend][-2] if backend in PAGE_SIZES else 7
    asked_again: dict[str, int] = {}
    for name, variable in BY_GRAPH.items():
        tables = {"properties": (["property"], [[p] for p in CHECKED])} \
            if name == "checked-statements" else None
        whole = set(reading.rows(graph, name, page_size=None, tables=tables))
        store = _QueryOnly(graph.store)
        batched = list(reading.rows(_Graph(store), name, page_size=page_size, tables=tables))
        assert set(batched) == whole, name
        batches = _batches(store, variable, page_size)
        assert [graph for batch in batches for graph in batch] == names, name
        assert len(batches[0]) == 1 and all(len(batch) <= 2 for batch in batches), name
        asked_again[name] = len(store.texts) - len(batches)
        assert max(store.answers) <= page_size, name
        # each batch's dataset: its graphs and the ontology, not every graph of the store
        for text, named in zip(store.texts, store.named, strict=True):
            assert [str(g) for g in named] == [*_graphs_of(text, variable),
                                               str(ONTOLOGY_GRAPH)], name
    assert any(asked_again.values()), "no batch filled a page: the test reads too little"
    assert not all(asked_again.values()), "every batch filled a page: the test reads too much"


@pytest.mark.parametrize("backend", BACKENDS + REMOTE_STORES)
def test_a_select_narrowed_to_some_named_graphs_sees_those_and_the_whole_default_graph(
        backend: str) -> None:
    """(a remote store then sends those graphs' names with the request, not all of them:
    ten thousand with each page of a 10,000-article store; rdflib's store ignores it)"""
    store = seed_graph(backend).store
    names = sorted(store.graph_names())
    seen = {row[0] for row in store.select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=names[:1])}
    assert seen == {str(name) for name in (names if backend == "rdflib" else names[:1])}
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert list(store.select(count, named_graphs=names[:1])) == list(store.select(count))


def test_the_projection_read_by_graph_is_the_same_however_many_graphs_a_batch_holds(
        synth_data: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = loaded("synth", "oxigraph", synth_data)
    whole = snapshot(graph, None)
    for first, most in ((1, 1), (1, 3), (64, 1024)):
        monkeypatch.setattr(reading, "FIRST_BATCH", first)
        monkeypatch.setattr(reading, "MAX_BATCH", most)
        assert snapshot(graph, 7) == whole, (first, most)


class _StopsLargeBatches(_QueryOnly):
    """A store whose time limit stops any query over more than ``most`` named graphs (a
    server busy with other work), once for each batch it stops."""

    def __init__(self, store: Any, most: int) -> None:
        super().__init__(store)
        self.most, self.stopped = most, 0

    def select(self, *args: Any, **kwargs: Any) -> list[Any]:
        named = kwargs.get("named_graphs") or []
        if len(named) - 1 > self.most:  # (the ontology's graph comes with every batch)
            self.stopped += 1
            raise QueryTimeout("the query ran longer than 10 seconds, the time limit, "
                               "and was stopped")
        return super().select(*args, **kwargs)


def test_a_batch_the_store_stops_at_its_time_limit_is_asked_again_in_halves(
        synth_data: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """(kg.connect at 10,000 articles lost two minutes' reading to one batch a busy server
    stopped: it answers such batches in 0.2 s, and took 13 to 19 s while it computed its
    centrality measures)"""
    graph = loaded("synth", "oxigraph", synth_data)
    whole = snapshot(graph, None)
    monkeypatch.setattr(reading, "FIRST_BATCH", 8)
    store = _StopsLargeBatches(graph.store, most=3)
    raw = reading.read(_Graph(store), page_size=7)
    reading.read_all_edges(_Graph(store), raw, page_size=7)
    assert store.stopped > 0
    views = [build(raw, Filters(view=view)) for view in VIEWS]
    assert [(g.graph, list(g.nodes(data=True)), list(g.edges(keys=True, data=True)))
            for g in views] == whole
    # one graph the store stops too is no batch to halve: said, as the store said it
    with pytest.raises(QueryTimeout, match="the time limit"):
        reading.read(_Graph(_StopsLargeBatches(graph.store, most=0)), page_size=7)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "7"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_refused(bad: Any) -> None:
    with pytest.raises(ParameterError, match="page_size must be a whole number of rows"):
        kg.project(graph=seed_graph("oxigraph"), page_size=bad)
