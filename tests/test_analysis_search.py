"""Entity search: fuzzy, ranked, blind to case, accents, hyphens and spacing (CQ4)."""

from __future__ import annotations

import pytest

import kg


@pytest.fixture
def graph(graph_on_each_store):
    """Every test of this module runs on each store backend, the remote triplestores
    included, and expects the same answers."""
    return graph_on_each_store


KGR = "https://w3id.org/kg/id/"


@pytest.mark.parametrize("text, first", [
    ("Al Malik", "salim-al-malik"), ("almalik", "salim-al-malik"),
    ("al-Malik", "salim-al-malik"), ("Salim", "salim-al-malik"),
    ("Salim bin Mohammed Almalik", "salim-al-malik"), ("ICESCO", "icesco"),
    ("Islamic World Educational", "icesco"), ("Heydar Aliev Foundation", "heydar-aliyev-foundation"),
    ("LEYLA  ALIYEVA", "leyla-aliyeva"), ("Léyla Aliyéva", "leyla-aliyeva"),
])
def test_each_spelling_puts_the_right_entity_first(graph, text, first) -> None:
    assert kg.search(text, graph=graph)[0].iri == KGR + first


def test_results_are_ranked_with_scores(graph) -> None:
    found = kg.search("ICESCO", graph=graph)
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True) and len(found) > 1
    assert list(found.to_df().columns) == ["iri", "label", "kind", "score", "matched"]


def test_cq4_both_names_of_the_director_general_are_one_person(graph) -> None:
    names = {a["label"] for a in kg.neighbors("Salim bin Mohammed Almalik", radius=0,
                                              graph=graph).nodes[0]["alt_labels"]}
    assert names == {"Salim bin Mohammed Almalik", "Salim bin Mohammed al-Malik"}
    assert kg.search("Salim bin Mohammed al-Malik", graph=graph)[0].iri == KGR + "salim-al-malik"


def test_an_unknown_name_lists_the_nearest_matches(graph) -> None:
    from kg.errors import UnknownEntity

    with pytest.raises(UnknownEntity) as raised:
        kg.paths("Al Malik", "Leyla Aliyeva", graph=graph)
    assert raised.value.candidates[0]["iri"] == KGR + "salim-al-malik"
