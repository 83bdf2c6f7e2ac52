"""Two projections side by side (:mod:`kg.compare`, :func:`kg.plots.side_by_side`): the
edges one has and the other lacks, each cited by the article that states it."""

from __future__ import annotations

import networkx as nx
import pytest

import kg
from kg.compare import COLUMNS, edge_changes

BURKINA = "Project supporting displaced girls and orphanages in Burkina Faso"
OCTOBER = "https://w3id.org/kg/source/001_9e02c3f3c2711bf1"


@pytest.fixture(scope="module")
def by_june_and_october(graph: kg.KnowledgeGraph) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    return graph.project(reported_by="2024-06-01"), graph.project(reported_by="2024-10-31")


def test_an_edge_reported_later_is_added_with_its_article_and_words(
        by_june_and_october: tuple[nx.MultiDiGraph, nx.MultiDiGraph]) -> None:
    changes = edge_changes(*by_june_and_october)
    assert changes.columns == COLUMNS
    [row] = [r for r in changes if r["label"] == "for project"]
    assert (row["change"], row["to"], row["issued"], row["article"]) == \
        ("added", BURKINA, "2024-10-15", OCTOBER)
    assert row["dates"] == "date 2024-10-14 (inferred)"
    assert "Burkina Faso" in row["quote"]


def test_every_added_edge_is_one_the_later_graph_has_and_the_earlier_lacks(
        by_june_and_october: tuple[nx.MultiDiGraph, nx.MultiDiGraph]) -> None:
    june, october = by_june_and_october
    added = {(r["from"], r["label"], r["to"]) for r in edge_changes(june, october)
             if r["change"] == "added"}
    expected = {(october.nodes[u]["label"], d["label"], october.nodes[v]["label"])
                for u, v, k, d in october.edges(keys=True, data=True)
                if not june.has_edge(u, v, k)}
    assert added == expected and len(added) > 0


def test_swapped_the_added_edges_are_removed(
        by_june_and_october: tuple[nx.MultiDiGraph, nx.MultiDiGraph]) -> None:
    june, october = by_june_and_october
    forward = [{**r, "change": "x"} for r in edge_changes(june, october)
               if r["change"] == "added"]
    backward = [{**r, "change": "x"} for r in edge_changes(october, june)
                if r["change"] == "removed"]
    assert forward == backward


def test_an_edge_in_both_whose_validity_differs_is_changed(graph: kg.KnowledgeGraph) -> None:
    changes = edge_changes(graph.project(as_of="2006"), graph.project(as_of="2024"))
    changed = [(r["from"], r["label"], r["to"], r["validity"]) for r in changes
               if r["change"] == "changed"]
    assert changed == [("Mehriban Aliyeva", "First Lady", "Azerbaijan", "reported")]


def test_no_change_between_a_graph_and_itself(graph: kg.KnowledgeGraph) -> None:
    projected = graph.project()
    assert len(edge_changes(projected, projected)) == 0
    assert edge_changes(projected, projected).to_df().columns.tolist() == COLUMNS


def test_the_changes_render_as_html_with_article_links(
        by_june_and_october: tuple[nx.MultiDiGraph, nx.MultiDiGraph]) -> None:
    html = edge_changes(*by_june_and_october)._repr_html_()
    assert f'<a href="{OCTOBER}"' in html and "for project" in html


def test_side_by_side_draws_both_on_one_layout_the_differences_in_red(
        graph: kg.KnowledgeGraph) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_rgba

    from kg.plots import MARKED, side_by_side

    before, after = graph.project(as_of="2006"), graph.project(as_of="2024")
    fig = side_by_side(before, after, titles=("as of 2006", "as of 2024"))
    left, right = fig.axes
    assert (left.get_title(), right.get_title()) == ("as of 2006", "as of 2024")

    def red(ax: object) -> int:
        return sum(len(c.get_paths()) for c in ax.collections  # type: ignore[attr-defined]
                   if len(c.get_edgecolor()) and tuple(c.get_edgecolor()[0]) == to_rgba(MARKED))

    assert red(left) == 0 and red(right) > 0  # 2006 has no edge that 2024 lacks

    def place(ax: object, label: str) -> tuple[float, float]:
        [text] = [t for t in ax.texts if t.get_text() == label]  # type: ignore[attr-defined]
        return text.get_position()

    assert place(left, "ICESCO") == place(right, "ICESCO")  # the same layout
