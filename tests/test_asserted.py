"""kg.asserted: the asserted data of a loaded graph, read where it is stored."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

import kg
from kg.asserted import Asserted
from kg.namespaces import ENTAILED_GRAPH, KG, ONTOLOGY_GRAPH

from .conftest import DATA

STORES = ("oxigraph", "rdflib")


@pytest.fixture(scope="module", params=STORES)
def loaded(request: pytest.FixtureRequest) -> kg.KnowledgeGraph:
    return kg.load(data=DATA, store=request.param)


def _asserted_copy(graph: kg.KnowledgeGraph) -> set[tuple]:
    return {(s, p, o) for s, p, o, g in graph.store.quads()
            if g not in (ONTOLOGY_GRAPH, ENTAILED_GRAPH)}


def test_it_holds_every_asserted_triple_once_and_nothing_entailed(
        loaded: kg.KnowledgeGraph) -> None:
    asserted = Asserted(loaded)
    triples = set(asserted.triples((None, None, None)))
    assert triples == _asserted_copy(loaded)
    assert len(asserted) == len(triples)
    assert ENTAILED_GRAPH in loaded.store.graph_names()  # loaded with entailment, left out


def test_it_answers_lookups_as_an_rdflib_graph_of_the_same_triples(
        loaded: kg.KnowledgeGraph) -> None:
    asserted, copy = Asserted(loaded), Graph()
    for triple in _asserted_copy(loaded):
        copy.add(triple)
    articles = set(copy.subjects(RDF.type, KG.NewsArticle))
    assert set(asserted.subjects(RDF.type, KG.NewsArticle)) == articles
    for article in articles:
        assert set(asserted.objects(article, None)) == set(copy.objects(article, None))
        assert asserted.value(article, RDFS.label) in set(copy.objects(article, RDFS.label))
        assert (article, RDF.type, KG.NewsArticle) in asserted
    assert (KG.nothing, None, None) not in asserted


def test_it_counts_the_things_of_each_class_and_the_store_each_graphs_statements(
        loaded: kg.KnowledgeGraph) -> None:
    """What kg build's manifest counts, counted by the store at once: the same on every
    backend as looking each up (each class's distinct typed things; each graph's size)."""
    asserted = Asserted(loaded)
    typed = {(s, o) for s, o in asserted.subject_objects(RDF.type)}
    expected = {cls: sum(1 for _, o in typed if o == cls) for _, cls in typed}
    assert asserted.class_counts() == expected
    assert asserted.class_counts()[KG.NewsArticle] == 2
    sizes = loaded.store.graph_sizes()
    assert list(sizes) == loaded.store.graph_names()
    assert sizes == {name: len(loaded.store.graph(name)) for name in sizes}


def test_its_ntriples_are_written_by_the_store_and_read_back_the_same(
        loaded: kg.KnowledgeGraph) -> None:
    asserted = Asserted(loaded, with_ontology=True)
    read = Graph().parse(data=asserted.ntriples().decode("utf-8"), format="nt")
    assert set(read) == _asserted_copy(loaded) | set(loaded.ontology)


def test_on_oxigraph_the_ntriples_are_oxigraphs_own_dump_not_an_rdflib_copy() -> None:
    import pyoxigraph

    from kg.oxigraph_store import OxigraphStore, to_ox
    from kg.store import Store

    loaded = kg.load(data=DATA, store="oxigraph", entail=False)
    asserted = Asserted(loaded)
    assert type(loaded.store).ntriples is not Store.ntriples  # its own, not the generic copy
    assert isinstance(loaded.store, OxigraphStore)
    dumped = b"".join(loaded.store._ox.dump(format=pyoxigraph.RdfFormat.N_TRIPLES,
                                            from_graph=to_ox(name))
                      for name in asserted.graph_names)
    assert asserted.ntriples() == dumped
