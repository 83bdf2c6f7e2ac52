"""kg.entail: the RDFS consequences about the data's own subjects, in one linear pass, equal
to what a full owlrl RDFS closure gives (kept here as the reference)."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import kg
from kg.entail import RDFLIB_TERMS, entailed_triples, rule_tables
from kg.load import KEY_PREDICATES
from kg.namespaces import ENTAILED_GRAPH, ONTOLOGY_GRAPH
from kg.store import BACKENDS
from kg.synth import synth

from .conftest import REAL_DATA, SEED_DATA

_TRIVIAL_TYPES = {RDFS.Resource, RDFS.Class, RDF.Property, OWL.Thing, RDFS.Datatype,
                  RDFS.Literal, OWL.Class, RDFS.ContainerMembershipProperty}


def owlrl_reference(data: Graph, ontology: Graph) -> set[tuple]:
    """What kg materialized before: owlrl's full RDFS closure of ontology and data, kept to
    the data's own subjects, minus what is stated and minus trivia (quadratic in the
    number of literals: small inputs only)."""
    closure = Graph()
    for triple in ontology:
        closure.add(triple)
    for triple in data:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closure)
    subjects = set(data.subjects())
    return {(s, p, o) for s, p, o in closure
            if s in subjects and not isinstance(s, Literal) and (s, p, o) not in data
            and not (p == RDF.type and o in _TRIVIAL_TYPES) and (s, p, o) not in ontology}


def _entailed(graph: kg.KnowledgeGraph) -> set:
    """The entailed graph's RDFS consequences: all of it but the search, date and order
    keys, which kg derives into it too (kg.search_keys, kg.date_keys, kg.order_keys,
    tested in test_search_keys and test_date_keys)."""
    return {(s, p, o) for s, p, o in graph.store.graph(ENTAILED_GRAPH)
            if p not in KEY_PREDICATES}


def _stated_and_ontology(graph: kg.KnowledgeGraph) -> tuple[Graph, Graph]:
    data = Graph()
    ontology = Graph()
    for s, p, o, g in graph.store.quads():
        if g == ONTOLOGY_GRAPH:
            ontology.add((s, p, o))
        elif g != ENTAILED_GRAPH:
            data.add((s, p, o))
    return data, ontology


@pytest.fixture(scope="module")
def synthetic_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth(articles=4, seed=3, out=tmp_path_factory.mktemp("synth") / "data").out


@pytest.mark.parametrize("store", BACKENDS)
@pytest.mark.parametrize("corpus", ["seed", "bundled", "synthetic"])
def test_the_entailed_graph_is_exactly_what_a_full_owlrl_rdfs_closure_gives(
        corpus: str, store: str, synthetic_corpus: Path) -> None:
    folder = {"seed": SEED_DATA, "bundled": REAL_DATA, "synthetic": synthetic_corpus}[corpus]
    graph = kg.load(data=folder, store=store)
    data, ontology = _stated_and_ontology(graph)
    expected = owlrl_reference(data, ontology)
    assert expected, "the reference derives something"
    assert _entailed(graph) == expected


EDGE_CASES_ONTOLOGY = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
<urn:Cat> rdfs:subClassOf <urn:Mammal> . <urn:Mammal> rdfs:subClassOf <urn:Animal> .
<urn:Animal> rdfs:subClassOf <urn:Cat> .
<urn:kitten> rdfs:subPropertyOf <urn:child> . <urn:child> rdfs:subPropertyOf <urn:relative> .
<urn:relative> rdfs:domain <urn:Animal> ; rdfs:range <urn:Mammal> .
<urn:born> rdfs:subPropertyOf <urn:date> . <urn:date> rdfs:domain <urn:Event> .
<urn:Event> rdfs:label "event" .
<urn:kind> rdfs:range rdfs:Class . <urn:prop> rdfs:range rdf:Property .
"""

EDGE_CASES_DATA = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
<urn:tom> <urn:kitten> <urn:jerry> ; <urn:born> "2020-01-01" , "2020"^^<http://www.w3.org/2001/XMLSchema#gYear> .
<urn:tom> <urn:kind> <urn:Tabby> ; <urn:prop> <urn:purrs> .
<urn:Tabby> rdfs:subClassOf <urn:Cat> ; <urn:kind> <urn:Tabby> .
<urn:felix> a <urn:Tabby> ; <urn:purrs> [ <urn:child> <urn:tom> ] .
<urn:purrs> a rdf:Property ; <urn:born> "x" .
<urn:Event> <urn:born> "y" .
<urn:pet> rdfs:subPropertyOf <urn:kitten> . <urn:rex> <urn:pet> <urn:tom> .
"""


def test_it_follows_owlrl_on_cycles_chains_data_side_schema_and_meta_classes() -> None:
    """Subclass cycles, subproperty chains with domains and ranges on the super-property,
    literal values, blank nodes, classes and properties declared (or retyped) in the data,
    a data node the ontology also describes."""
    ontology = Graph().parse(data=EDGE_CASES_ONTOLOGY, format="turtle")
    data = Graph().parse(data=EDGE_CASES_DATA, format="turtle")
    assert entailed_triples(data, ontology) == owlrl_reference(data, ontology)


def test_statements_are_not_copied_between_literals_of_equal_python_value() -> None:
    """owlrl copies a statement from "x" to "x"@en (and from true to 1), which RDF does not
    entail; kg does not."""
    ontology = Graph()
    data = Graph().parse(data='<urn:a> <urn:p> "x" . <urn:b> <urn:p> "x"@en .', format="turtle")
    assert (URIRef("urn:a"), URIRef("urn:p"), Literal("x", lang="en")) in \
        owlrl_reference(data, ontology)
    assert entailed_triples(data, ontology) == set()


def _without_meta_classes(text: str) -> str:
    """The edge cases minus what types a data node ``rdfs:Class`` (which makes the schema
    grow): what the Oxigraph store entails without reading every triple."""
    return "\n".join(line for line in text.splitlines() if "<urn:kind>" not in line)


@pytest.mark.parametrize("store", BACKENDS)
@pytest.mark.parametrize("case", ["all", "schema-stays"])
def test_each_store_entails_the_edge_cases_as_owlrl_does(
        store: str, case: str, tmp_path: Path) -> None:
    """Loaded from files: the Oxigraph store reads only the triples the rules use (and
    falls back to reading all of them when the data makes the schema grow); both give
    owlrl's answer."""
    text = EDGE_CASES_DATA if case == "all" else _without_meta_classes(EDGE_CASES_DATA)
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "edge.ttl").write_text(EDGE_CASES_ONTOLOGY, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "edge.ttl").write_text(text, encoding="utf-8")
    graph = kg.load(data=tmp_path / "data", ontology=tmp_path / "ontology", store=store)
    data, ontology = _stated_and_ontology(graph)
    assert _entailed(graph) == owlrl_reference(data, ontology)


def _without_data_schema(text: str) -> str:
    """The edge cases minus the data's own schema statements and its ``a rdf:Property``:
    data the Oxigraph store entails inside Oxigraph (SPARQL updates joining the data with
    :func:`kg.entail.rule_tables`), meta-class ranges (``rdfs:Class``, ``rdf:Property``)
    included."""
    return "\n".join(line.replace(" a rdf:Property ;", "") for line in text.splitlines()
                     if "rdfs:sub" not in line)


def _rule_tables_apply(data: Graph, ontology: Graph) -> bool:
    return rule_tables(ontology, set(data.predicates()), set(data.objects(None, RDF.type)),
                       terms=RDFLIB_TERMS) is not None


@pytest.mark.parametrize("store", BACKENDS)
def test_rules_run_inside_oxigraph_give_owlrls_answer_on_chains_cycles_and_meta_ranges(
        store: str, tmp_path: Path) -> None:
    """Subclass cycles, subproperty chains with domains and ranges on the super-property,
    ranges that are meta-classes, blank nodes and literals, with data that states no
    schema: the rules as tables joined with the data (on Oxigraph) give owlrl's answer."""
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "edge.ttl").write_text(EDGE_CASES_ONTOLOGY, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "edge.ttl").write_text(_without_data_schema(EDGE_CASES_DATA),
                                               encoding="utf-8")
    graph = kg.load(data=tmp_path / "data", ontology=tmp_path / "ontology", store=store)
    data, ontology = _stated_and_ontology(graph)
    assert _rule_tables_apply(data, ontology)
    expected = owlrl_reference(data, ontology)
    assert (URIRef("urn:purrs"), RDFS.subPropertyOf, URIRef("urn:purrs")) in expected
    assert _entailed(graph) == expected


def test_kgs_own_data_is_entailed_by_the_rule_tables_not_in_python(
        synthetic_corpus: Path) -> None:
    """kg's ontology and synthetic articles take the fast way: no schema in the data, no
    data node typed a meta-class."""
    graph = kg.load(data=synthetic_corpus, store="rdflib", entail=False)
    data, ontology = _stated_and_ontology(graph)
    assert _rule_tables_apply(data, ontology)


def test_the_rule_tables_give_up_on_data_typed_with_a_meta_class() -> None:
    """A data node typed ``rdf:Property`` (or a predicate whose super-property is
    ``rdf:type``) needs rules beyond the tables: ``None`` sends the caller to Python."""
    ontology = Graph()
    data = Graph().parse(data="@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ."
                              "<urn:p> a rdf:Property .", format="turtle")
    assert not _rule_tables_apply(data, ontology)


@pytest.mark.parametrize("case", ["python", "python-schema-stays", "rule-tables"])
def test_the_union_holds_every_entailed_triple_once_whichever_way_the_rules_ran(
        case: str, tmp_path: Path) -> None:
    """On Oxigraph, entailment writes its graph and the union default graph together (the
    rules in Python, or as SPARQL updates): afterwards the union is exactly the set of the
    triples of every named graph, the entailed ones included, as on the rdflib store."""
    text = {"python": EDGE_CASES_DATA,
            "python-schema-stays": _without_meta_classes(EDGE_CASES_DATA),
            "rule-tables": _without_data_schema(EDGE_CASES_DATA)}[case]
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "edge.ttl").write_text(EDGE_CASES_ONTOLOGY, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "edge.ttl").write_text(text, encoding="utf-8")
    graphs = {store: kg.load(data=tmp_path / "data", ontology=tmp_path / "ontology",
                             store=store) for store in BACKENDS}
    oxigraph = graphs["oxigraph"].store
    named = {(s, p, o) for s, p, o, _ in oxigraph.quads()}
    assert len(oxigraph.graph(ENTAILED_GRAPH)) > 0
    assert set(oxigraph.union()) == named
    assert oxigraph.size() == len(named) == graphs["rdflib"].store.size()


def test_oxigraphs_two_rule_updates_give_what_the_python_engine_gives_on_a_larger_corpus(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """On Oxigraph the rules run as two updates over all the data (each derived triple
    once, none that a named graph states); on the rdflib store they run in Python
    (kg.entail.rdfs_entailment, checked against owlrl above). On a synthetic corpus of
    30 articles (every rule of kg's ontology at work, many statements giving the same
    class) both give the same entailed graph, and the same union."""
    corpus = synth(articles=30, seed=5, out=tmp_path_factory.mktemp("synth30") / "data").out
    graphs = {store: kg.load(data=corpus, store=store) for store in BACKENDS}
    entailed = {store: _entailed(graph) for store, graph in graphs.items()}
    assert len(entailed["oxigraph"]) > 1000
    assert entailed["oxigraph"] == entailed["rdflib"]
    stated = {(s, p, o) for s, p, o, g in graphs["oxigraph"].store.quads()
              if g != ENTAILED_GRAPH}
    assert not entailed["oxigraph"] & stated
    rdflib_union = {(s, p, o) for s, p, o, _ in graphs["rdflib"].store.quads()}
    assert set(graphs["oxigraph"].store.union()) == rdflib_union
