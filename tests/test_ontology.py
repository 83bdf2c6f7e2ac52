"""The ontology is a document: header, and label, comment and isDefinedBy on every term."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import kg
from kg.namespaces import DCTERMS, KG
from kg.ontology import terms, undocumented_terms

from .conftest import ROOT

ONTOLOGY = ROOT / "ontology" / "kg.ttl"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def test_the_ontology_has_a_header(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/kg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionInfo, DCTERMS.modified, DCTERMS.license, RDFS.label, RDFS.comment):
        assert ontology.value(header, prop) is not None, prop


def test_every_term_has_a_label_a_comment_and_is_defined_by(ontology: Graph) -> None:
    assert undocumented_terms(ontology) == {}


def test_every_kg_term_used_anywhere_in_the_ontology_is_declared(ontology: Graph) -> None:
    declared = terms(ontology)
    used = {node for triple in ontology for node in triple
            if isinstance(node, URIRef) and str(node).startswith(str(KG))}
    assert used - declared == set()


def test_every_term_the_data_uses_is_declared(graph: kg.KnowledgeGraph, ontology: Graph) -> None:
    declared = terms(ontology) | {RDF.type}
    data = graph.data()
    assert set(data.predicates()) - declared == set()
    assert set(data.objects(None, RDF.type)) - declared == set()


def test_an_undocumented_term_fails_validation(tmp_path: Path) -> None:
    shutil.copy(ONTOLOGY, tmp_path / "kg.ttl")
    (tmp_path / "extra.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/kg/ontology#Undocumented> a owl:Class ;\n"
        '    rdfs:label "Undocumented"@en .\n', encoding="utf-8")
    report = kg.validate(ontology=tmp_path)
    found = [f for f in report.violations if f.rule == "kg:undocumented-term"]
    assert [f.focus for f in found] == ["https://w3id.org/kg/ontology#Undocumented"]
    assert "rdfs:comment" in found[0].message and "rdfs:isDefinedBy" in found[0].message
    assert found[0].file == "extra.ttl" or found[0].file.endswith("extra.ttl")


def test_network_nodes_and_edges_are_declared_on_real_terms(ontology: Graph) -> None:
    declared = terms(ontology)
    nodes = set(ontology.subjects(KG.networkNode, Literal(True)))
    edges = set(ontology.subjects(KG.networkEdge, Literal(True)))
    assert {KG.Person, KG.Organization, KG.Agreement, KG.Project, KG.Place} <= nodes
    assert {KG.party, KG.forProject, KG.locatedIn} <= edges
    assert nodes <= declared and edges <= declared
    for relationship in ontology.subjects(KG.edgeSource, None):
        for prop in (KG.edgeSource, KG.edgeTarget):
            assert ontology.value(relationship, prop) in declared, relationship
