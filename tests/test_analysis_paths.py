"""Neighbours and paths, each hop explained with its articles and quotes (CQ8, CQ14)."""

from __future__ import annotations

import pytest

import kg
from kg.analysis.model import absent_text
from kg.analysis.pathfinding import undirected

from .test_cli import kg as run


@pytest.fixture
def graph(graph_on_each_store):
    """Every test of this module runs on each store backend, the remote triplestores
    included, and expects the same answers."""
    return graph_on_each_store


KGR = "https://w3id.org/kg/id/"


def test_cq8_leyla_aliyeva_to_burkina_faso_is_four_hops_with_quotes(graph) -> None:
    found = kg.paths("Leyla Aliyeva", "Burkina Faso", graph=graph)
    best = found[0]
    assert best.labels == [
        "Leyla Aliyeva", "Heydar Aliyev Foundation",
        "Cooperation agreement between the Heydar Aliyev Foundation and ICESCO (Rabat, 2024-10-14)",
        "Project supporting displaced girls and orphanages in Burkina Faso", "Burkina Faso"]
    assert [h["edges"][0]["label"] for h in best.hops] == [
        "Vice President", "party", "for project", "located in"]
    for hop in best.hops:
        assert hop["edges"][0]["sources"][0]["quotes"]
    assert "Vice President of the Heydar Aliyev Foundation Leyla Aliyeva" in \
        best.hops[0]["edges"][0]["sources"][0]["quotes"]
    assert best.hops[1]["edges"][0]["dates"][0]["value"] == "2024-10-14"
    assert len(found.to_df()) >= 4


def test_cq14_salim_and_leyla_meet_directly_and_through_the_agreement(graph) -> None:
    found = kg.paths("Salim bin Mohammed Almalik", "Leyla Aliyeva", max_hops=3, graph=graph)
    assert found[0].nodes == [KGR + "salim-al-malik", KGR + "meeting-2024-10-14-rabat",
                              KGR + "leyla-aliyeva"]
    assert [KGR + "salim-al-malik", KGR + "agreement-2024-10-14-haf-icesco",
            KGR + "heydar-aliyev-foundation", KGR + "leyla-aliyeva"] in [p.nodes for p in found]


def test_paths_are_ranked_by_hops_then_sources(graph) -> None:
    found = kg.paths("Mehriban Aliyeva", "ICESCO", max_hops=3, graph=graph)
    keys = [(p.length, -p.sources, p.inferred) for p in found]
    assert keys == sorted(keys)


def test_shortest_keeps_only_the_fewest_hops(graph) -> None:
    found = kg.paths("Leyla Aliyeva", "ICESCO", shortest=True, limit=50, graph=graph)
    assert {p.length for p in found} == {found[0].length}


def test_reported_by_june_2024_there_is_no_path_to_burkina_faso(graph) -> None:
    assert len(kg.paths("Leyla Aliyeva", "Burkina Faso", reported_by="2024-06-01",
                        graph=graph)) == 0


def test_an_end_the_filters_leave_out_is_named_as_why_there_is_no_path(graph) -> None:
    """Burkina Faso is no person, and the first article does not name it: there is no
    path because an end is not in that graph, which ``absent`` says, not for want of a
    link within the hops (as within two hops, when both are in the graph)."""
    people = kg.paths("Leyla Aliyeva", "Burkina Faso", node_types=["Person"], graph=graph)
    assert len(people) == 0
    assert people.absent == [{"iri": KGR + "burkina-faso", "label": "Burkina Faso"}]
    assert people.to_json()["absent"] == people.absent
    first = kg.sources(graph=graph)[0]["id"]
    neither = kg.paths("Leyla Aliyeva", "Burkina Faso", source=first, graph=graph)
    assert [end["label"] for end in neither.absent] == ["Leyla Aliyeva", "Burkina Faso"]
    assert "Leyla Aliyeva and Burkina Faso are not in the graph with these filters" in \
        neither._repr_html_()
    near = kg.paths("Leyla Aliyeva", "Burkina Faso", max_hops=2, graph=graph)
    assert len(near) == 0 and near.absent == []
    assert kg.paths("Leyla Aliyeva", "Burkina Faso", graph=graph).absent == []


def test_an_end_not_reported_by_then_says_when_it_was_first_reported(graph) -> None:
    """("Green Foundation of Kuwait is not in the graph with these filters", as reported by
    2020, of an organization first named in 2026: as of when, says who)"""
    found = kg.paths("Leyla Aliyeva", "Burkina Faso", reported_by="2024-06-01", graph=graph)
    assert found.absent == [
        {"iri": KGR + "leyla-aliyeva", "label": "Leyla Aliyeva", "first_reported": "2024-10-15"},
        {"iri": KGR + "burkina-faso", "label": "Burkina Faso", "first_reported": "2024-10-15"}]
    assert ("Leyla Aliyeva (first reported on 2024-10-15) and Burkina Faso (first reported "
            "on 2024-10-15) are not in the graph with these filters") in found._repr_html_()
    near = kg.neighbors("Burkina Faso", reported_by="2024-06-01", graph=graph)
    assert near.absent == [found.absent[1]]


def test_kg_path_says_when_an_end_left_out_was_first_reported() -> None:
    done = run("path", "leyla-aliyeva", "burkina-faso", "--reported-by", "2024-06-01")
    assert done.returncode == 0, done.stderr
    assert "Leyla Aliyeva (first reported on 2024-10-15) and Burkina Faso" in done.stdout
    # an entity no article mentions was reported by none
    assert absent_text([{"iri": "x", "label": "X", "first_reported": None}]) == (
        "X (reported by no article) is not in the graph with these filters")


def test_no_path_within_the_hops_says_how_many_hops_the_shortest_connection_has(graph) -> None:
    """Burkina Faso is six hops from IDEA's environmental projects: within four there is no
    path, and the answer says how far the shortest is (which max_hops finds it), not just
    "none"; an entity nothing links to is told apart from one too far."""
    far = kg.paths("Burkina Faso", "Environmental projects of IDEA", graph=graph)
    assert len(far) == 0 and far.absent == []
    assert (far.max_hops, far.fewest_hops) == (4, 6)
    assert far.to_json()["fewest_hops"] == 6 and far.to_json()["max_hops"] == 4
    assert "no path of at most 4 hops: the shortest connection has 6 hops (max_hops 6 " \
        "finds it)" in far._repr_html_()
    found = kg.paths("Burkina Faso", "Environmental projects of IDEA", max_hops=6, graph=graph)
    assert found[0].length == 6 and found.fewest_hops == 6
    assert kg.paths("Leyla Aliyeva", "Burkina Faso", graph=graph).fewest_hops == 4
    apart = kg.paths("Trend", "ICESCO", graph=graph)
    assert len(apart) == 0 and apart.absent == [] and apart.fewest_hops is None
    assert "nothing connects them in this graph, however many hops" in apart._repr_html_()
    left_out = kg.paths("Leyla Aliyeva", "Burkina Faso", node_types=["Person"], graph=graph)
    assert left_out.fewest_hops is None and left_out.absent


def test_neighbours_within_a_radius_with_distances(graph) -> None:
    around = kg.neighbors("Burkina Faso", radius=2, graph=graph)
    distances = {n["label"]: n["distance"] for n in around.nodes}
    assert distances["Burkina Faso"] == 0
    assert distances["Project supporting displaced girls and orphanages in Burkina Faso"] == 1
    assert distances["Cooperation agreement between the Heydar Aliyev Foundation and ICESCO "
                     "(Rabat, 2024-10-14)"] == 2
    assert all(e["sources"] for e in around.edges)


def test_a_neighbourhood_whose_center_the_filters_leave_out_says_so(graph) -> None:
    """(it was an empty neighbourhood, as of an entity with no link: "edges:" and nothing
    on the command line, no node over HTTP, an empty picture in a notebook)"""
    people = kg.neighbors("Burkina Faso", node_types=["Person"], graph=graph)
    assert people.nodes == [] and people.edges == []
    assert people.absent == [{"iri": KGR + "burkina-faso", "label": "Burkina Faso"}]
    assert people.to_json()["absent"] == people.absent
    assert "Burkina Faso is not in the graph with these filters" in people._repr_html_()
    assert kg.neighbors("Burkina Faso", graph=graph).absent == []
    alone = kg.neighbors("Trend", node_types=["Organization"], graph=graph)
    assert alone.absent == [] and [n["label"] for n in alone.nodes] == ["Trend"]
    pytest.importorskip("anywidget")
    with pytest.warns(UserWarning, match="Burkina Faso is not in the graph with these "
                                         "filters: nothing to draw"):
        graph.show(entity="Burkina Faso", node_types=["Person"])


def test_a_neighbourhood_past_max_nodes_keeps_the_nearest_most_connected_and_says_so(
        graph) -> None:
    """At 10,000 articles a hub had 527 neighbours: more than 500 was an error, so it could
    not be shown at all, not even at radius 1."""
    whole = kg.neighbors("ICESCO", graph=graph)
    assert whole.reached == len(whole.nodes) > 4
    cut = kg.neighbors("ICESCO", max_nodes=4, graph=graph)
    assert len(cut.nodes) == 4 and cut.reached == len(whole.nodes)
    assert cut.nodes[0]["label"] == "ICESCO" and cut.nodes[0]["distance"] == 0
    degree = dict(undirected(kg.project(graph=graph)).degree())
    kept = {n["iri"] for n in cut.nodes}
    dropped = {n["iri"] for n in whole.nodes} - kept
    assert min(degree[n] for n in kept) >= max(degree[n] for n in dropped)
    assert all(e["source"] in kept and e["target"] in kept for e in cut.edges)
    assert [e for e in whole.edges if e["source"] in kept and e["target"] in kept] == cut.edges
    assert "4 of " in cut._repr_html_()


@pytest.mark.parametrize("call, words", [
    (lambda g: g.neighbors("kgr:icesco", radius=None), "radius must be a whole number, not None"),
    (lambda g: g.neighbors("kgr:icesco", max_nodes=0), "max_nodes must be at least 1, not 0"),
    (lambda g: g.neighbors("kgr:icesco", radius=-1), "radius must be at least 0"),
    (lambda g: g.paths("kgr:icesco", "kgr:burkina-faso", max_hops="3"),
     "max_hops must be a whole number, not '3'"),
    (lambda g: g.paths("kgr:icesco", "kgr:burkina-faso", limit=0), "limit must be at least 1"),
    (lambda g: g.search(None), "q (the text to search for) must be text, not None"),
    (lambda g: g.search("icesco", limit=2.5), "limit must be a whole number, not 2.5"),
    (lambda g: g.centrality(limit=-1), "limit must be at least 1"),  # (it dropped the last)
    (lambda g: g.centrality(limit="x"), "limit must be a whole number, not 'x'"),
    (lambda g: g.timeline(start="2025", end="2020-06"),
     "start 2025 is after end 2020-06: no date lies between"),
    # None or a number named no entity, with "did you mean" suggestions
    (lambda g: g.entity(None), "the entity must be a name, IRI, CURIE or slug (text), not None"),
    (lambda g: g.paths("kgr:icesco", 42), "the end entity must be a name, IRI, CURIE or slug"),
    (lambda g: g.timeline(entity=7), "the entity must be a name, IRI, CURIE or slug"),
    (lambda g: kg.query(None, graph=g), "the query must be a name or a SPARQL text, not None"),
])
def test_a_wrong_number_or_text_in_python_is_a_parameter_error_naming_it(graph, call,
                                                                         words) -> None:
    with pytest.raises(kg.errors.ParameterError, match=words.replace("(", r"\(")
                       .replace(")", r"\)")):
        call(graph)


@pytest.mark.parametrize("call", [
    lambda: kg.search("icesco", graph="data"),
    lambda: kg.paths("kgr:icesco", "kgr:rabat", graph=42),
    lambda: kg.query("cq07-member-since", graph="data"),
    lambda: kg.entity("icesco", graph=object()),
])
def test_a_graph_that_is_no_graph_is_a_parameter_error(call) -> None:
    """It failed on a missing attribute (``'str' object has no attribute 'store'``)."""
    with pytest.raises(kg.errors.ParameterError,
                       match="graph must be a graph that kg.load.. or kg.connect.. returns"):
        call()


def test_a_numpy_integer_from_a_data_frame_is_a_whole_number(graph) -> None:
    import numpy as np

    assert len(graph.neighbors("kgr:icesco", radius=np.int64(1)).nodes) == len(
        graph.neighbors("kgr:icesco", radius=1).nodes)
    assert len(graph.search("icesco", limit=np.int64(1))) == 1


def test_the_ranked_paths_are_the_best_of_every_simple_path_within_the_hops() -> None:
    """Against every simple path of at most four hops, enumerated and ranked (fewer hops,
    more sources, fewer inferred dates, then labels), for every pair of the bundled graph:
    the paths of the fewest hops come from one breadth-first search when they are enough,
    else from Yen's algorithm, and the answer is the same either way."""
    import itertools

    import networkx as nx

    from kg.analysis.pathfinding import explain, find_paths

    projected = kg.project()
    simple = undirected(projected)
    compared = 0
    for a, b in itertools.permutations(sorted(simple), 2):
        every = [explain(projected, nodes)
                 for nodes in nx.all_simple_paths(simple, a, b, cutoff=4)]
        every.sort(key=lambda p: (p.length, -p.sources, p.inferred, p.labels))
        for limit in (1, 3):
            found = find_paths(projected, a, b, limit=limit)
            assert [p.nodes for p in found] == [p.nodes for p in every[:limit]], (a, b, limit)
            compared += bool(every)
    assert compared > 1000
