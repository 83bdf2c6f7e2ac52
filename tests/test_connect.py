"""``kg.connect``: the graph's methods against kg's own server and against Oxigraph, each
answer checked against the same method on the loaded graph; the errors a remote graph
raises; ``kg.serve_in_background``."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.background import BackgroundServer, oxigraph_in_background, serve_in_background
from kg.errors import (EndpointError, EndpointUnreachable, QuerySyntaxError, UnknownEntity)

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
    server = serve_in_background()
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
    kg.build(out=out)
    server = oxigraph_in_background([out / "kg.nq"])
    yield server
    scratch = server.scratch
    server.stop()
    assert not server.running and (scratch is None or not scratch.exists())


@pytest.fixture(scope="module", params=["kg", "oxigraph"])
def remote(request: pytest.FixtureRequest) -> kg.RemoteGraph:
    server = request.getfixturevalue(f"{request.param}_server")
    return kg.connect(server.sparql)


def _unordered(value: object) -> str:
    """A value with the parts of a GROUP_CONCAT sorted and deduplicated: engines differ in
    their order, in repeats (``posts-of-person`` concatenates without DISTINCT, and
    Oxigraph repeats a quote rdflib gives once) and in the concatenation of nothing
    (rdflib ``""``, Oxigraph unbound)."""
    text = "" if value is None else str(value)
    separator = next((s for s in ("; ", " | ") if s in text),
                     " " if text.startswith("https://") else None)
    return separator.join(sorted(set(text.split(separator)))) if separator else text


def _records(result: kg.QueryResult) -> list[tuple[tuple[str, str], ...]]:
    return sorted(tuple(sorted((k, _unordered(v)) for k, v in r.items()))
                  for r in result.to_records())


# -- the same answers as the loaded graph ----------------------------------------------

@pytest.mark.parametrize("query", kg.queries(), ids=lambda q: q.name)
def test_every_named_query_answers_as_on_the_loaded_graph(remote: kg.RemoteGraph,
                                                           graph: kg.KnowledgeGraph,
                                                           query: kg.NamedQuery) -> None:
    params = {p.name: p.example for p in query.params if p.use != "optional"}
    ours = graph.query(query.name, **params)
    assert ours, "the example answers something"
    assert _records(remote.query(query.name, **params)) == _records(ours)


def test_a_query_with_parameters_and_a_dataframe(remote: kg.RemoteGraph) -> None:
    df = remote.query("cq03-posts-at-organization", organization="kgr:icesco").to_df()
    assert list(df["personLabel"]) == ["Salim bin Mohammed Al-Malik"]


def test_a_sparql_text_with_kgs_prefixes(remote: kg.RemoteGraph) -> None:
    result = remote.query("SELECT ?name WHERE { kgr:icesco rdfs:label ?name }")
    assert [r["name"] for r in result.to_records()] == ["ICESCO"]


def test_the_projection_is_the_loaded_graphs(remote: kg.RemoteGraph,
                                             graph: kg.KnowledgeGraph) -> None:
    for options in ({}, {"as_of": "2006"}, {"reported_by": "2024-06-01"}, {"view": "full"}):
        theirs, ours = remote.project(**options), graph.project(**options)
        assert nx.utils.nodes_equal(theirs.nodes(data=True), ours.nodes(data=True)), options
        assert sorted(theirs.edges(keys=True)) == sorted(ours.edges(keys=True)), options
        assert all(theirs.edges[e] == ours.edges[e] for e in ours.edges(keys=True)), options


def test_search_entity_neighbors(remote: kg.RemoteGraph, graph: kg.KnowledgeGraph) -> None:
    assert remote.search("Al Malik")[0].label == "Salim bin Mohammed Al-Malik"
    entity = remote.entity("Salim bin Mohammed Almalik")
    assert entity.to_json() == graph.entity("Salim bin Mohammed Almalik").to_json()
    assert [s["issued"] for s in entity.sources] == ["2024-05-11", "2024-10-15"]
    assert remote.neighbors("ICESCO", radius=2).to_json() == \
        graph.neighbors("ICESCO", radius=2).to_json()


def test_the_cq8_path_with_its_citations(remote: kg.RemoteGraph) -> None:
    path = remote.paths("Leyla Aliyeva", "Burkina Faso")[0]
    assert [hop["target_label"] for hop in path.hops] == CQ8
    assert all(edge["sources"] and edge["sources"][0]["quotes"]
               for hop in path.hops for edge in hop["edges"])


def test_measures_and_timeline(remote: kg.RemoteGraph, graph: kg.KnowledgeGraph) -> None:
    assert remote.centrality().to_json() == graph.centrality().to_json()
    assert remote.communities().to_json() == graph.communities().to_json()
    pairs = remote.communities(kind="coaffiliation", via="Heydar Aliyev Foundation")
    assert len(pairs) == 3
    october = remote.timeline(start="2024-10", end="2024-10")
    assert october.to_json() == graph.timeline(start="2024-10", end="2024-10").to_json()
    assert [r["date"] for r in october][-1] == "2024-10-15"


# -- errors -------------------------------------------------------------------------------

def test_an_unknown_entity_gets_suggestions(remote: kg.RemoteGraph) -> None:
    with pytest.raises(UnknownEntity) as caught:
        remote.paths("Leyla Aliyev", "Burkina Faso")
    assert caught.value.candidates[0]["label"] == "Leyla Aliyeva"
    assert "did you mean Leyla Aliyeva" in str(caught.value)


def test_a_query_error_has_line_and_column(remote: kg.RemoteGraph) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        remote.query("SELECT ?x\nWHERE { ?x ?y }")
    assert (caught.value.line, caught.value.column) == (2, 9)


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


def test_an_unreachable_endpoint_names_the_url_and_why() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/sparql"
    with pytest.raises(EndpointUnreachable) as caught:
        kg.connect(url).query("cq07-member-since")
    assert caught.value.url == url
    assert str(caught.value) == f"cannot reach the SPARQL endpoint {url}: connection refused"
    assert isinstance(caught.value, kg.KgError)


def test_a_url_that_is_no_endpoint(kg_server: BackgroundServer) -> None:
    with pytest.raises(EndpointError) as caught:
        kg.connect(kg_server.url + "no-such-page").query("cq07-member-since")
    assert caught.value.status == 404 and "no SPARQL endpoint at" in str(caught.value)


def test_not_a_url() -> None:
    with pytest.raises(kg.KgError, match="not an http"):
        kg.connect("file:///etc/passwd")


# -- the loaded graph has the same methods --------------------------------------------------

def test_the_loaded_graph_has_the_same_methods(graph: kg.KnowledgeGraph) -> None:
    for name in ("query", "search", "entity", "neighbors", "paths", "centrality",
                 "communities", "timeline", "project"):
        assert callable(getattr(graph, name)) and callable(getattr(kg.RemoteGraph, name))
    assert graph.paths("Leyla Aliyeva", "Burkina Faso").to_json() == \
        kg.paths("Leyla Aliyeva", "Burkina Faso", graph=graph).to_json()
    assert graph.entity("ICESCO").to_json() == kg.entity("ICESCO", graph=graph).to_json()


def test_options_are_keyword_only(graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(TypeError):
        graph.paths("Leyla Aliyeva", "Burkina Faso", 4)  # type: ignore[misc]
    with pytest.raises(TypeError):
        kg.connect("http://127.0.0.1:1/sparql", 5)  # type: ignore[misc]


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
