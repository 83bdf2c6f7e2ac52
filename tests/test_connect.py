"""The graph's methods -- ``query(...).to_df()``, ``search``, ``entity``, ``neighbors``,
``paths``, ``centrality``, ``communities``, ``timeline``, ``project(view=, as_of=,
reported_by=)`` -- on each kind of graph: the loaded one (``kg.load``), and ``kg.connect``
to kg's own server and to an Oxigraph server, both on loopback and serving the same seed
data. Each method's tests run on all three (``each_graph``) with the same expected answers;
a remote graph's answers are also checked against the loaded graph's. Then the errors (an
unknown entity, a query error, an unreachable endpoint) and ``kg.serve_in_background``."""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import requests

import kg
from kg.background import BackgroundServer, oxigraph_in_background, serve_in_background
from kg.errors import (
    EndpointError,
    EndpointUnreachable,
    QuerySyntaxError,
    UnknownEntity,
)

from .conftest import SEED_DATA, seed_data_with

CQ8 = ["Heydar Aliyev Foundation",
       "Cooperation agreement between the Heydar Aliyev Foundation and ICESCO (Rabat, 2024-10-14)",
       "Project supporting displaced girls and orphanages in Burkina Faso", "Burkina Faso"]


def _oxigraph_available() -> bool:
    from kg.background import oxigraph_command

    try:
        oxigraph_command()
    except kg.KgError:
        return False
    return True


@pytest.fixture(scope="module")
def kg_server() -> Iterator[BackgroundServer]:
    server = serve_in_background(data=SEED_DATA)
    yield server
    server.stop()
    assert not server.running


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    if not _oxigraph_available():
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph package (the test extra) is not installed")
        pytest.skip("the oxigraph package is not installed (pip install oxigraph)")
    out = tmp_path_factory.mktemp("build")
    kg.build(out=out, data=SEED_DATA)
    server = oxigraph_in_background([out / "kg.nq"])
    yield server
    scratch = server.scratch
    server.stop()
    assert not server.running and (scratch is None or not scratch.exists())


@pytest.fixture(scope="module", params=["kg", "oxigraph"])
def remote(request: pytest.FixtureRequest) -> kg.RemoteGraph:
    """A remote graph: kg's server, then Oxigraph."""
    server = request.getfixturevalue(f"{request.param}_server")
    return kg.connect(server.sparql)


@pytest.fixture(scope="module", params=["loaded", "kg", "oxigraph"])
def each_graph(request: pytest.FixtureRequest) -> kg.KnowledgeGraph | kg.RemoteGraph:
    """The seed data loaded (``kg.load``), then served by kg, then by Oxigraph."""
    if request.param == "loaded":
        return request.getfixturevalue("graph")
    return kg.connect(request.getfixturevalue(f"{request.param}_server").sparql)


def _unordered(value: object) -> str:
    """A value with the repeats of a list dropped (its order kept: a named query's lists
    are sorted when read): engines differ in repeats (``posts-of-person`` concatenates
    without DISTINCT, and Oxigraph repeats a quote rdflib gives once) and in the
    concatenation of nothing (rdflib ``""``, Oxigraph unbound)."""
    text = "" if value is None else str(value)
    separator = next((s for s in ("; ", " | ") if s in text),
                     " " if text.startswith("https://") else None)
    return separator.join(dict.fromkeys(text.split(separator))) if separator else text


def _records(result: kg.QueryResult) -> list[tuple[tuple[str, str], ...]]:
    return [tuple(sorted((k, _unordered(v)) for k, v in r.items()))
            for r in result.to_records()]


# -- the same answers as the loaded graph ----------------------------------------------

@pytest.mark.parametrize("query", kg.queries(), ids=lambda q: q.name)
def test_every_named_query_answers_as_on_the_loaded_graph(remote: kg.RemoteGraph,
                                                           graph: kg.KnowledgeGraph,
                                                           query: kg.NamedQuery) -> None:
    params = {p.name: p.example for p in query.params if p.use != "optional"}
    ours = graph.query(query.name, **params)
    assert ours, "the example answers something"
    assert _records(remote.query(query.name, **params)) == _records(ours)


def test_query_to_df_with_a_bound_parameter(each_graph: kg.KnowledgeGraph) -> None:
    df = each_graph.query("cq03-posts-at-organization", organization="kgr:icesco").to_df()
    assert list(df["personLabel"]) == ["Salim bin Mohammed Al-Malik"]


def test_query_a_sparql_text_with_kgs_prefixes(each_graph: kg.KnowledgeGraph) -> None:
    result = each_graph.query("SELECT ?name WHERE { kgr:icesco rdfs:label ?name }")
    assert [r["name"] for r in result.to_records()] == ["ICESCO"]


def test_search_finds_al_malik_by_another_spelling(each_graph: kg.KnowledgeGraph) -> None:
    matches = each_graph.search("Al Malik", limit=3)
    assert (matches[0].label, matches[0].kind) == ("Salim bin Mohammed Al-Malik", "Person")
    assert matches.to_df()["label"].iloc[0] == "Salim bin Mohammed Al-Malik"


def test_entity_lists_its_sources_with_quotes(each_graph: kg.KnowledgeGraph) -> None:
    entity = each_graph.entity("Salim bin Mohammed Almalik")
    assert [s["issued"] for s in entity.sources] == ["2024-05-11", "2024-10-15"]
    assert all(s["quotes"] for s in entity.sources)
    assert "2024-10-15" in entity._repr_html_()


def test_a_notebook_links_only_web_addresses(tmp_path: Path) -> None:
    """An IRI of another scheme (``javascript:`` runs code where a notebook's output is
    trusted) is shown as text in the HTML a notebook displays: kg validate refuses such
    data (kgsh:WebIriShape), and a loaded graph is shown safely all the same."""
    data = seed_data_with(tmp_path, "odd.ttl",
                          '<javascript:alert(1)> a kg:Person ; rdfs:label "Odd one"@en .\n')
    graph = kg.load(data=data)
    assert [f.rule for f in kg.validate(graph=graph, data=data).violations] == [
        "kgsh:WebIriShape"]
    html = graph.entity("Odd one")._repr_html_()
    assert "Odd one" in html and 'title="javascript:alert(1)"' in html
    assert "href=\"javascript:" not in html
    listed = graph.query("SELECT ?x WHERE { ?x a kg:Person }")._repr_html_()
    assert "javascript:alert(1)" in listed and "href=\"javascript:" not in listed


def test_neighbors_of_icesco(each_graph: kg.KnowledgeGraph) -> None:
    near = each_graph.neighbors("ICESCO")
    assert (len(near.nodes), len(near.edges)) == (9, 10)
    assert "Salim bin Mohammed Al-Malik" in {n["label"] for n in near.nodes}


def test_paths_the_cq8_chain_with_its_citations(each_graph: kg.KnowledgeGraph) -> None:
    path = each_graph.paths("Leyla Aliyeva", "Burkina Faso")[0]
    assert [hop["target_label"] for hop in path.hops] == CQ8
    assert all(edge["sources"] and edge["sources"][0]["quotes"]
               for hop in path.hops for edge in hop["edges"])


def test_centrality_ranks_icesco_first_by_betweenness(each_graph: kg.KnowledgeGraph) -> None:
    top = each_graph.centrality(limit=3)
    assert [r["label"] for r in top] == ["ICESCO", "Heydar Aliyev Foundation", "Leyla Aliyeva"]
    assert list(top.to_df().columns) == ["iri", "label", "kind", "degree", "betweenness",
                                         "pagerank"]


def test_communities_brokers_and_coaffiliation(each_graph: kg.KnowledgeGraph) -> None:
    communities = each_graph.communities()
    assert len(communities) == 6 and communities[0]["size"] == 9
    assert "Leyla Aliyeva" in {r["label"] for r in each_graph.communities(kind="brokers")}
    assert len(each_graph.communities(kind="coaffiliation",
                                      via="Heydar Aliyev Foundation")) == 3


def test_timeline_in_date_order_with_precision(each_graph: kg.KnowledgeGraph) -> None:
    whole = each_graph.timeline()
    assert len(whole) == 18 and (whole[0]["date"], whole[0]["precision"]) == ("1991", "year")
    october = each_graph.timeline(start="2024-10", end="2024-10")
    assert [r["date"] for r in october][-1] == "2024-10-15"
    assert len(each_graph.timeline(entity="Leyla Aliyeva")) == 4


def test_sources_lists_the_articles_oldest_first_and_narrows_them_by_words(
        each_graph: kg.KnowledgeGraph) -> None:
    every = each_graph.sources()
    assert [a["id"] for a in every] == ["000_b2925a6198033b1b", "001_9e02c3f3c2711bf1"]
    assert every.columns == ["article", "id", "label", "publisher", "publisher_label",
                             "issued"]
    assert every[0]["publisher_label"] == "Trend" and every[0]["issued"] == "2024-05-11"
    # each word the start of one of an article's words, case and accents aside
    assert [a["issued"] for a in each_graph.sources("BURKINA faso")] == ["2024-10-15"]
    assert [a["issued"] for a in each_graph.sources("trend 2024-05")] == ["2024-05-11"]
    assert len(each_graph.sources("trend icesco")) == 2
    assert len(each_graph.sources("urkina")) == 0  # a word's start, not any part of it
    page = each_graph.sources(limit=1, offset=1)
    assert [a["id"] for a in page] == [every[1]["id"]] and page.to_json()["total"] == 2
    assert each_graph.sources("Trend").to_df()["issued"].tolist() == ["2024-05-11",
                                                                       "2024-10-15"]


@pytest.mark.parametrize(("options", "size"), [
    ({}, (32, 52)), ({"as_of": "2006"}, (23, 24)), ({"as_of": "2024"}, (32, 52)),
    ({"reported_by": "2024-06-01"}, (16, 22)), ({"view": "full"}, (67, 124))],
    ids=["actors", "as_of-2006", "as_of-2024", "reported_by-2024-06-01", "view-full"])
def test_project_by_view_valid_time_and_knowledge_time(each_graph: kg.KnowledgeGraph,
                                                       options: dict[str, str],
                                                       size: tuple[int, int]) -> None:
    projected = each_graph.project(**options)
    assert isinstance(projected, nx.MultiDiGraph)
    assert (projected.number_of_nodes(), projected.number_of_edges()) == size


def test_show_draws_a_neighbourhood_as_an_interactive_view(each_graph: kg.KnowledgeGraph,
                                                           ) -> None:
    pytest.importorskip("anywidget")
    view = each_graph.show(entity="ICESCO")
    near = each_graph.neighbors("ICESCO")
    assert set(view.graph) == {n["iri"] for n in near.nodes}
    assert len(view.elements["nodes"]) == len(near.nodes)


def test_show_and_project_keep_the_most_connected_with_top(each_graph: kg.KnowledgeGraph,
                                                          ) -> None:
    """A graph too large to draw whole, drawn as its most connected nodes; of a
    neighbourhood, its most connected."""
    pytest.importorskip("anywidget")
    top = each_graph.project(top=4)
    assert set(each_graph.show(top=4).graph) == set(top) and len(top) == 4
    near = {n["iri"] for n in each_graph.neighbors("ICESCO").nodes}
    shown = set(each_graph.show(entity="ICESCO", top=2).graph)
    assert len(shown) == 2 and shown <= near


# -- a remote graph answers as the loaded one does ----------------------------------------

def test_the_projection_is_the_loaded_graphs(remote: kg.RemoteGraph,
                                             graph: kg.KnowledgeGraph) -> None:
    for options in ({}, {"as_of": "2006"}, {"reported_by": "2024-06-01"}, {"view": "full"}):
        theirs, ours = remote.project(**options), graph.project(**options)
        assert nx.utils.nodes_equal(theirs.nodes(data=True), ours.nodes(data=True)), options
        assert sorted(theirs.edges(keys=True)) == sorted(ours.edges(keys=True)), options
        assert all(theirs.edges[e] == ours.edges[e] for e in ours.edges(keys=True)), options


def test_entity_and_neighbors_as_on_the_loaded_graph(remote: kg.RemoteGraph,
                                                    graph: kg.KnowledgeGraph) -> None:
    entity = remote.entity("Salim bin Mohammed Almalik")
    assert entity.to_json() == graph.entity("Salim bin Mohammed Almalik").to_json()
    assert remote.neighbors("ICESCO", radius=2).to_json() == \
        graph.neighbors("ICESCO", radius=2).to_json()


def test_measures_and_timeline_as_on_the_loaded_graph(remote: kg.RemoteGraph,
                                                      graph: kg.KnowledgeGraph) -> None:
    assert remote.centrality().to_json() == graph.centrality().to_json()
    assert remote.communities().to_json() == graph.communities().to_json()
    assert remote.timeline().to_json() == graph.timeline().to_json()


def test_a_client_keeps_the_projection_it_read_from_kgs_server_for_its_next_session(
        kg_server: BackgroundServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    """kg's /-/health names the projection its workers read; a kg.connect client keeps the
    projection it reads under that name in its cache, and its next session (a new
    kg.connect to the same server) reads the kept file, not every fact through the
    endpoint. Another endpoint names none: nothing is kept."""
    from kg.analysis import projection

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    named = requests.get(kg_server.url + "-/health", timeout=30).json()["projection"]
    first = kg.connect(kg_server.sparql)
    assert named.startswith("sha256:") and first.store.dataset_identity() == named
    capfd.readouterr()
    expected = list(first.project().edges(keys=True, data=True))
    [kept] = (tmp_path / "cache" / "remote").glob("*/kg-projection-*.pickle")
    # read from kg's server in one request (/-/projection), and said (two minutes at
    # 10,000 articles over SPARQL, in silence)
    [told] = capfd.readouterr().err.splitlines()
    assert re.fullmatch(rf"kg: read \d+ entities of {re.escape(kg_server.sparql)} from kg's "
                        rf"server in one request, in \d+\.\d s", told)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the endpoint was read for the projection")

    monkeypatch.setattr(projection, "read", no_reading)
    again = kg.connect(kg_server.sparql)
    assert list(again.project().edges(keys=True, data=True)) == expected != []
    assert "kg: reading" not in capfd.readouterr().err
    assert list((tmp_path / "cache" / "remote").glob("*/kg-projection-*.pickle")) == [kept]
    # (an endpoint that is not kg's server: no /-/health asked, or none answers)
    assert kg.connect("http://127.0.0.1:9/query").store.dataset_identity() is None
    assert kg.connect("http://127.0.0.1:9/sparql").store.dataset_identity() is None


def test_another_endpoint_is_read_over_sparql_and_the_reading_said(
        oxigraph_server: BackgroundServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    """(an Oxigraph server has no /-/projection: about 400 queries at 10,000 articles, two
    minutes, which said nothing)"""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    remote = kg.connect(oxigraph_server.sparql)
    capfd.readouterr()
    assert remote.project().number_of_edges() > 0
    told = capfd.readouterr().err.splitlines()
    assert told[0].startswith(f"kg: reading the entities and relationships of "
                              f"{oxigraph_server.sparql} (") and told[0].endswith(
        " named graphs) for the analysis, once; a large graph takes minutes")
    assert re.fullmatch(r"kg: read \d+ entities in \d+\.\d s", told[1])


def test_kgs_server_without_the_projection_route_is_read_over_sparql(
        kg_server: BackgroundServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """An older kg server (no /-/projection), or an answer that is not as kg writes it: the
    same projection, read over SPARQL; the second said in the log."""
    from kg.analysis import transfer

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    expected = list(kg.connect(kg_server.sparql).project().edges(keys=True, data=True))

    def garbled(body: bytes) -> None:
        raise ValueError("not a projection input document: garbled")

    monkeypatch.setattr(transfer, "loads", garbled)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "another-cache"))
    assert list(kg.connect(kg_server.sparql).project().edges(keys=True, data=True)) == expected
    assert "projection: not a projection input document: garbled; reading the projection " \
           "over SPARQL" in caplog.text


# -- errors -------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["paths", "entity", "neighbors"])
def test_an_unknown_entity_gets_suggestions(each_graph: kg.KnowledgeGraph,
                                            method: str) -> None:
    call = {"paths": lambda: each_graph.paths("Leyla Aliyev", "Burkina Faso"),
            "entity": lambda: each_graph.entity("Leyla Aliyev"),
            "neighbors": lambda: each_graph.neighbors("Leyla Aliyev")}[method]
    with pytest.raises(UnknownEntity) as caught:
        call()
    assert caught.value.candidates[0]["label"] == "Leyla Aliyeva"
    assert "'Leyla Aliyev': did you mean Leyla Aliyeva" in str(caught.value)


def test_a_query_error_has_line_and_column(each_graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        each_graph.query("SELECT ?x\nWHERE { ?x ?y }")
    assert (caught.value.line, caught.value.column) == (2, 9)
    assert isinstance(caught.value, kg.KgError)


def test_the_endpoints_own_syntax_error_keeps_line_and_column(kg_server: BackgroundServer,
                                                              ) -> None:
    store = kg.connect(kg_server.sparql).store
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?x\nWHERE { ?x ?y }")
    assert caught.value.line is not None and kg_server.sparql in str(caught.value)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("url", ["", "ftp://127.0.0.1/sparql", "http://[::1/sparql",
                                 "http://127.0.0.1:99999/sparql", "http://127.0.0.1:abc/"])
def test_a_url_that_is_no_endpoints_is_an_input_error_naming_it(url: str) -> None:
    with pytest.raises(kg.errors.InputError,
                       match=f"not an http\\(s\\) URL of a SPARQL endpoint: {re.escape(repr(url))}"):
        kg.connect(url)


def test_an_unreachable_endpoint_names_the_url_and_why() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/sparql"
    with pytest.raises(EndpointUnreachable) as caught:
        kg.connect(url).query("cq07-member-since")
    assert caught.value.url == url
    assert str(caught.value) == f"cannot reach the SPARQL endpoint {url}: connection refused"
    assert isinstance(caught.value, kg.KgError)


def test_an_endpoint_that_never_answers_names_the_url_and_the_time_limit() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with pytest.raises(EndpointUnreachable) as caught:
            kg.connect(url, timeout=0.5).query("cq07-member-since")
    assert str(caught.value) == \
        f"cannot reach the SPARQL endpoint {url}: no answer within 0.5 seconds"


def test_a_url_that_is_no_endpoint(kg_server: BackgroundServer) -> None:
    with pytest.raises(EndpointError) as caught:
        kg.connect(kg_server.url + "no-such-page").query("cq07-member-since")
    assert caught.value.status == 404 and "no SPARQL endpoint at" in str(caught.value)


def test_the_servers_own_address_is_no_endpoint_and_says_where_it_is(
        kg_server: BackgroundServer) -> None:
    """kg serve's root is the explorer, which takes no query: HTTP 405."""
    with pytest.raises(EndpointError) as caught:
        kg.connect(kg_server.url).query("cq07-member-since")
    assert caught.value.status == 405
    assert str(caught.value) == (f"no SPARQL endpoint at {kg_server.url} (HTTP 405: it takes "
                                 f"no query); kg serve's is at /sparql")


@pytest.mark.parametrize("timeout", [0, -1, float("inf"), float("nan"), "30", None, True])
def test_a_timeout_that_is_no_time_is_a_parameter_error(timeout: object) -> None:
    """It was taken, and the first query failed with the socket's own complaint."""
    with pytest.raises(kg.errors.ParameterError, match="timeout must be a number of seconds "
                                                       "above 0"):
        kg.connect("http://127.0.0.1:8000/sparql", timeout=timeout)  # type: ignore[arg-type]


def test_not_a_url() -> None:
    with pytest.raises(kg.KgError, match="not an http"):
        kg.connect("file:///etc/passwd")


# -- the loaded graph has the same methods --------------------------------------------------

def test_the_loaded_graph_has_the_same_methods(graph: kg.KnowledgeGraph) -> None:
    for name in ("query", "search", "entity", "neighbors", "paths", "centrality",
                 "communities", "timeline", "sources", "project"):
        assert callable(getattr(graph, name)) and callable(getattr(kg.RemoteGraph, name))
    assert graph.paths("Leyla Aliyeva", "Burkina Faso").to_json() == \
        kg.paths("Leyla Aliyeva", "Burkina Faso", graph=graph).to_json()
    assert graph.entity("ICESCO").to_json() == kg.entity("ICESCO", graph=graph).to_json()


def test_options_are_keyword_only(graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(TypeError):
        graph.paths("Leyla Aliyeva", "Burkina Faso", 4)  # type: ignore[misc]
    with pytest.raises(TypeError):
        kg.connect("http://127.0.0.1:1/sparql", 5)  # type: ignore[misc]


def test_a_background_server_keeps_answering_however_much_it_logs(
        kg_server: BackgroundServer) -> None:
    """Its access log went to a pipe nobody read: at 64 KiB the server stopped answering,
    about 500 requests in. It goes to a file now, removed when the server stops."""
    with requests.Session() as session:
        for _ in range(800):
            response = session.get(kg_server.url + "api/entities",
                                   params={"q": "icesco" + "x" * 60}, timeout=10)
            assert response.status_code == 200
    assert kg_server.log is not None
    assert kg_server.log.stat().st_size > 64 * 1024  # (more than a pipe holds)
    assert "GET /api/entities" in kg_server.log.read_text(encoding="utf-8")


def test_a_server_that_does_not_start_says_why_and_leaves_nothing(tmp_path: Path) -> None:
    scratch = set(Path(tempfile.gettempdir()).glob("kg-serve-*"))
    with pytest.raises(kg.errors.InputError, match="kg serve did not start: .*kg: no such "
                                                   "file or directory"):
        serve_in_background(data=tmp_path / "nothing")
    assert set(Path(tempfile.gettempdir()).glob("kg-serve-*")) == scratch
    with pytest.raises(kg.errors.ParameterError, match="startup must be a number of seconds "
                                                       "above 0, not -5"):
        serve_in_background(startup=-5)
    with pytest.raises(kg.errors.InputError, match="kg serve did not start within 0.01 "
                                                   "seconds"):
        serve_in_background(data=SEED_DATA, startup=0.01)


def test_the_oxigraph_command_is_found_or_named() -> None:
    if shutil.which("oxigraph") is None and not (Path(os.sys.executable).parent
                                                 / "oxigraph").exists():
        with pytest.raises(kg.KgError, match="pip install oxigraph"):
            oxigraph_in_background([])


def test_queries_still_parse_after_matplotlib_drew_text(graph: kg.KnowledgeGraph) -> None:
    """matplotlib switches pyparsing's packrat cache on when it first draws text, which
    deepens rdflib's SPARQL parse: a notebook that plotted must still query."""
    pytest.importorskip("matplotlib")
    import io

    from kg.plots import timeline_chart

    timeline_chart(graph.timeline()).savefig(io.BytesIO(), format="png")
    from kg.queries import named_query

    # (search.rq is the query that needs more than 1 000 frames once packrat is on)
    fresh = named_query("search").text + "\n# not in any parse cache\n"
    assert graph.query(fresh, text="Al Malik").to_records()[0]["entityLabel"] == \
        "Salim bin Mohammed Al-Malik"
