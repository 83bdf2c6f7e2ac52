"""Centralities, communities, components, brokers, co-affiliation (CQ13), timeline (CQ9)."""

from __future__ import annotations

import pytest

import kg
from kg.errors import ParameterError


@pytest.fixture
def graph(graph_on_each_store):
    """Every test of this module runs on each store backend, the remote triplestores
    included, and expects the same answers."""
    return graph_on_each_store


KGR = "https://w3id.org/kg/id/"
SRC = "https://w3id.org/kg/source/"


def test_centrality_has_three_measures_and_icesco_is_the_hub(graph) -> None:
    table = kg.centrality(graph=graph)
    assert table[0]["label"] == "ICESCO"
    assert set(table.to_df().columns) >= {"degree", "betweenness", "pagerank"}
    assert kg.centrality(by="pagerank", graph=graph)[0]["pagerank"] >= \
        kg.centrality(by="pagerank", graph=graph)[1]["pagerank"]


def test_communities_repeat(graph) -> None:
    from kg.analysis.measures import community_table
    from kg.analysis.projection import Filters, build, raw_of

    first = kg.communities(graph=graph).to_json()
    again = community_table(build(raw_of(graph), Filters()))
    assert first["rows"] == again.rows
    assert sum(r["size"] for r in first["rows"]) == kg.project(graph=graph).number_of_nodes()


def test_components_and_brokers(graph) -> None:
    components = kg.communities(kind="components", graph=graph)
    assert components[0]["size"] > 20
    brokers = kg.communities(kind="brokers", graph=graph)
    assert {"articulation point", "bridge"} <= {r["broker"] for r in brokers}
    assert any(r["label"] == "Project supporting displaced girls and orphanages in Burkina Faso"
               for r in brokers if r["broker"] == "articulation point")


def test_cq13_people_connected_through_the_foundation(graph) -> None:
    table = kg.communities(kind="coaffiliation", via="Heydar Aliyev Foundation", graph=graph)
    pairs = {(r["first_label"], r["first_relation"], r["second_label"], r["second_relation"])
             for r in table}
    assert pairs == {
        ("Anar Alakbarov", "Executive Director", "Leyla Aliyeva", "Vice President"),
        ("Anar Alakbarov", "Executive Director", "Mehriban Aliyeva", "President"),
        ("Leyla Aliyeva", "Vice President", "Mehriban Aliyeva", "President")}


@pytest.mark.parametrize("kind", ["louvain", "components", "brokers"])
def test_via_goes_with_coaffiliation_only(graph, kind) -> None:
    """``via`` narrows co-affiliation pairs; with another kind it would change nothing, so
    the whole graph's groups would come back as if they were those through the entity."""
    with pytest.raises(ParameterError, match=f"goes with kind 'coaffiliation', not '{kind}'"):
        kg.communities(kind=kind, via="Heydar Aliyev Foundation", graph=graph)


def test_organizations_share_an_agreement(graph) -> None:
    table = kg.communities(kind="coaffiliation", graph=graph)
    assert any(r["via_kind"] == "Agreement" and {r["first_label"], r["second_label"]}
               == {"Heydar Aliyev Foundation", "ICESCO"} for r in table)


def test_an_articles_inferred_issue_date_is_marked_with_its_note(graph) -> None:
    """The second article's dateline has no year: its row says so, with the note (each
    article's note is now looked up in one index, not in a pass over every inferred value:
    the timeline of 10,000 articles went from past the server's time limit to 2.3 s)."""
    published = {r["item"]: r for r in kg.timeline(graph=graph).rows
                 if r["kind"] == "NewsArticle"}
    first, second = (published[SRC + name] for name in ("000_b2925a6198033b1b",
                                                         "001_9e02c3f3c2711bf1"))
    assert (first["inferred"], first["note"]) == (False, None)
    assert second["inferred"] is True
    assert second["note"].startswith("The dateline gives '15 Oct.' without a year")


def test_cq9_october_2024_in_date_order(graph) -> None:
    rows = kg.timeline(start="2024-10", end="2024-10", graph=graph).rows
    on_14 = {r["item"] for r in rows if r["date"] == "2024-10-14"}
    assert {KGR + "visit-2024-10-14-icesco-headquarters", KGR + "meeting-2024-10-14-rabat",
            KGR + "agreement-2024-10-14-haf-icesco", KGR + "visit-2024-10-14-museum"} <= on_14
    assert rows[-1]["date"] == "2024-10-15" and rows[-1]["kind"] == "NewsArticle"
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_the_timeline_keeps_precision_and_filters_by_entity(graph) -> None:
    rows = kg.timeline(entity="Azerbaijan", graph=graph).rows
    assert ("1991", "year") in {(r["date"], r["precision"]) for r in rows}
    assert ("2024-11", "month") in {(r["date"], r["precision"]) for r in rows}
    assert rows[0]["date"] == "1991"


def test_an_entitys_timeline_is_the_rows_of_the_whole_that_touch_it(graph) -> None:
    """Made from the entity's own neighbourhood, not a pass over the whole projection
    (the explorer asks for it at each selection): the same rows, in the same order."""
    whole = kg.timeline(graph=graph).rows
    for node in kg.project(graph=graph).nodes:
        touching = [r for r in whole if r["item"] == node or node in r["entities"]]
        assert kg.timeline(entity=node, graph=graph).rows == touching, node


def test_a_timeline_is_made_once_and_each_answer_is_the_callers_own(graph) -> None:
    """The rows are kept for the next call (the whole timeline's years took 1.1 s at each
    explorer load at 10,000 articles): changing an answer changes no later one."""
    first = kg.timeline(graph=graph)
    first.rows[0]["label"] = "changed by its reader"
    first.rows.clear()
    again = kg.timeline(graph=graph)
    assert again.rows and again.rows[0]["label"] != "changed by its reader"
    assert again.rows == kg.timeline(graph=graph, limit=len(again.rows)).rows


def test_the_timeline_by_year_counts_the_dated_facts_of_each_year(graph) -> None:
    from collections import Counter

    for options in ({}, {"entity": "Azerbaijan"}, {"start": "2024-05", "end": "2024"}):
        rows = kg.timeline(graph=graph, **options).rows
        years = kg.timeline(graph=graph, years=True, **options)
        assert years.columns == ["year", "count", "inferred"]
        assert [r["year"] for r in years] == sorted({r["date"][:4] for r in rows})
        assert {r["year"]: r["count"] for r in years} == Counter(r["date"][:4] for r in rows)
        assert {r["year"]: r["inferred"] for r in years} == {
            year: sum(1 for r in rows if r["date"][:4] == year and r["inferred"])
            for year in {r["date"][:4] for r in rows}}
    with pytest.raises(ParameterError, match="years must be True or False"):
        kg.timeline(graph=graph, years="yes")
