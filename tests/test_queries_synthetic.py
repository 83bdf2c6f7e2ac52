"""Named queries on a synthetic corpus: the same answers on every store backend.

The seed data is small; a synthetic corpus (``kg synth``, 100 articles) has what makes a
query's text matter: many agreements, posts, events and names, dates at every precision.
Every named query runs on it on each local backend, with its example parameters (mostly
names of the seed data, absent here: the answer is then empty on every backend) and with
the corpus's busiest values (the organization with the most posts, the month with the
most dated things...), and the answers must be equal, row for row. The same corpus is
built and pushed to each remote triplestore (new servers on loopback, of this module's
own: the session's ones hold the seed build), whose answers must be Oxigraph's.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef

import kg
from kg.load import open_oxigraph
from kg.namespaces import KG
from kg.oxigraph_store import copy_to_folder
from kg.queries import NamedQuery, named_query, queries
from kg.results import QueryResult
from kg.store import BACKENDS
from kg.synth import synth
from tests.conftest import REMOTE_STORES, pushed_graph
from tests.test_queries import _normalized

DCTERMS_ISSUED = URIRef("http://purl.org/dc/terms/issued")
#: the search-by-scan query (every name folded at every search, every row ordered)
SEARCH_BY_SCAN = Path(__file__).parent / "fixtures" / "search-by-scan.rq"

#: the queries whose busiest parameters find something in the synthetic corpus (the
#: others ask about what kg synth does not write: titles conferred, a state's membership
#: of the organization with the most posts)
ANSWERED = {"agreements-of-organization", "cq01-agreements-between", "cq02-signatories",
            "cq03-posts-at-organization", "cq04-names-of-post-holder", "cq05-sources-of-fact",
            "cq08-person-to-place", "cq09-month-timeline", "cq10-fields-of-agreement",
            "entity", "events-between", "memberships-of-state", "people-of-organization",
            "posts-of-person", "search", "sources-of-statement"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic corpus: its data folder."""
    return synth(articles=100, seed=1, out=tmp_path_factory.mktemp("synth") / "data").out


@pytest.fixture(scope="module")
def graphs(corpus: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, kg.KnowledgeGraph]:
    """The corpus on each backend, and (``oxigraph-folder``) the Oxigraph store copied to
    a folder and reopened read-only, as the cache and ``kg build --store-dir`` keep it: it
    stores the same values in another order than the in-memory store."""
    folder = tmp_path_factory.mktemp("store")
    loaded = {backend: kg.load(data=corpus, store=backend) for backend in BACKENDS}
    copy_to_folder(loaded["oxigraph"].store, folder / "store")
    return {**loaded, "oxigraph-folder": open_oxigraph(folder / "store",
                                                       bundle=loaded["oxigraph"].bundle)}


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus built (``kg build``), as ``kg push`` sends it."""
    build = tmp_path_factory.mktemp("build") / "build"
    kg.build(data=corpus, out=build)
    return build


@pytest.fixture(scope="module", params=REMOTE_STORES)
def remote(request: pytest.FixtureRequest, built: Path) -> tuple[str, kg.KnowledgeGraph]:
    """The built corpus pushed to a new server of each remote triplestore: its name and
    the graph it serves."""
    return request.param, pushed_graph(request.param, built, new=True)


def _most(graph: kg.KnowledgeGraph, predicate: URIRef, *, subject: bool = False,
          rank: int = 0) -> str | None:
    """The value most often the object (or subject) of ``predicate`` in the articles."""
    counts = Counter(s if subject else o for s, _, o, _ in graph.store.quads((None, predicate,
                                                                                None)))
    ranked = [value for value, _ in sorted(counts.items(), key=lambda c: (-c[1], str(c[0])))
              if isinstance(value, URIRef)]
    return f"<{ranked[rank]}>" if len(ranked) > rank else None


def _busiest_month(graph: kg.KnowledgeGraph) -> str:
    months = Counter(str(o)[:7] for predicate in (KG.date, DCTERMS_ISSUED)
                     for _, _, o, _ in graph.store.quads((None, predicate, None))
                     if isinstance(o, Literal) and len(str(o)) >= 7)
    return min(months.items(), key=lambda c: (-c[1], c[0]))[0]


def busiest(graph: kg.KnowledgeGraph) -> dict[str, Any]:
    """For each parameter name of the named queries, the corpus's most connected value."""
    fact = _most(graph, KG.statedIn, subject=True)
    agreement = _most(graph, KG.agreement)
    parties = sorted(f"<{o}>" for _, _, o, _ in graph.store.quads(
        (URIRef(agreement[1:-1]), KG.party, None))) if agreement else []
    return {"organization": _most(graph, KG.organization), "person": _most(graph, KG.holder),
            "first": parties[0] if parties else None,
            "second": parties[-1] if parties else None,
            "designee": _most(graph, KG.designee), "state": _most(graph, KG.member),
            "place": _most(graph, KG.locatedIn), "role": _most(graph, KG.role),
            "agreement": agreement, "fact": fact, "subject": fact,
            "entity": _most(graph, KG.party), "month": _busiest_month(graph),
            "start": "2015-01-01", "end": "2015-12-31", "text": "nasser"}


def parameter_sets(query: NamedQuery, graph: kg.KnowledgeGraph
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two sets of parameters each named query runs with: its examples, and the
    corpus's busiest values (:func:`busiest`; the example where the corpus has none)."""
    values = busiest(graph)
    given = [p for p in query.params if p.use != "optional"]
    return ({p.name: p.example for p in given},
            {p.name: values.get(p.name) or p.example for p in given})


def _rows(result: QueryResult) -> list[str]:
    """Rows comparable across backends, in their order (lists are sorted when read), a
    list of nothing None: a known difference, rdflib gives "" (as SPARQL says) where
    Oxigraph leaves the variable unbound when every value in the group is unbound."""
    return _normalized(result, empty_is_unbound=True, in_order=True)


@pytest.mark.parametrize("query", queries(), ids=lambda q: q.name)
def test_each_named_query_answers_alike_on_every_backend_on_a_synthetic_corpus(
        graphs: dict[str, kg.KnowledgeGraph], query: NamedQuery) -> None:
    examples, busy = parameter_sets(query, graphs["rdflib"])
    for params in (examples, busy):
        answers = {backend: query.run(graph, params) for backend, graph in graphs.items()}
        reference = answers["rdflib"]
        for backend, answer in answers.items():
            assert answer.vars == reference.vars, (backend, params)
            assert _rows(answer) == _rows(reference), (backend, params)
    assert (len(answers["rdflib"]) > 0) == (query.name in ANSWERED), busy


@pytest.mark.parametrize("query", queries(), ids=lambda q: q.name)
def test_each_named_query_answers_byte_identical_from_the_in_memory_and_the_folder_store(
        graphs: dict[str, kg.KnowledgeGraph], query: NamedQuery) -> None:
    """The lists a named query joins come out sorted, and its rows in one order: so a first
    ``kg query`` (answered from the store it loaded) prints what every later one (from the
    cache's folder) prints, in every format."""
    _, busy = parameter_sets(query, graphs["rdflib"])
    memory = query.run(graphs["oxigraph"], busy)
    folder = query.run(graphs["oxigraph-folder"], busy)
    for form in ("table", "csv", "json"):
        assert memory.serialize(form) == folder.serialize(form), form


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph", "oxigraph-folder"])
def test_every_page_of_a_search_with_many_matches_is_the_full_ordered_list_cut_there(
        graphs: dict[str, kg.KnowledgeGraph], backend: str) -> None:
    """The search takes the keys that sort first (kg.search_keys.search_orders) before it
    looks up each row, so that a page costs its own rows only: every page, of any size and
    offset, must still be the full ordered list (the rows of folding every name at every
    search, all of them ordered) from the offset on, up to the limit; the full list too."""
    search, graph, text = named_query("search"), graphs[backend], "org"
    full = NamedQuery.from_file(SEARCH_BY_SCAN).run(graph, {"text": text}).to_records()
    assert len(full) > 200
    assert search.run(graph, {"text": text, "limit": len(full) + 1}).to_records() == full
    pages = [(limit, offset) for limit in (37, 100)
             for offset in range(0, len(full) + limit, limit)]
    pages += [(1, offset) for offset in (0, 1, 2, len(full) // 2, len(full) - 1, len(full))]
    for limit, offset in pages:
        page = search.run(graph, {"text": text, "limit": limit, "offset": offset})
        assert page.to_records() == full[offset:offset + limit], (limit, offset)


#: named queries that a remote triplestore cannot answer on the corpus, with the reason:
#: not run there (a query that hangs the server would fail every test after it)
UNANSWERED: dict[str, dict[str, str]] = {}

#: named queries whose answers on the corpus differ on a remote triplestore, with the
#: reason: marked xfail(strict=True), so that one that starts agreeing is noticed
DIFFERENT: dict[str, dict[str, str]] = {}


@pytest.mark.parametrize("query", queries(), ids=lambda q: q.name)
def test_each_named_query_answers_on_a_remote_triplestore_as_on_oxigraph(
        request: pytest.FixtureRequest, graphs: dict[str, kg.KnowledgeGraph],
        remote: tuple[str, kg.KnowledgeGraph], query: NamedQuery) -> None:
    store, served = remote
    unanswered = UNANSWERED.get(store, {}).get(query.name)
    if unanswered is not None:
        pytest.xfail(unanswered)
    different = DIFFERENT.get(store, {}).get(query.name)
    if different is not None:
        request.applymarker(pytest.mark.xfail(reason=different, strict=True))
    for params in parameter_sets(query, graphs["rdflib"]):
        answer, reference = query.run(served, params), query.run(graphs["oxigraph"], params)
        assert answer.vars == reference.vars, params
        assert _rows(answer) == _rows(reference), params
