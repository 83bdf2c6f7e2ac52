"""The IRIs kg mints, in one place: ontology, resources, sources and graph names."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "KG", "KGR", "SRC", "KGSH", "GRAPH", "ORG", "SCHEMA", "FOAF", "TIME",
    "ONTOLOGY_GRAPH", "ENTAILED_GRAPH", "PREFIXES", "bind_prefixes",
    "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
]

KG = Namespace("https://w3id.org/kg/ontology#")
KGR = Namespace("https://w3id.org/kg/id/")
SRC = Namespace("https://w3id.org/kg/source/")
KGSH = Namespace("https://w3id.org/kg/shapes#")
GRAPH = Namespace("https://w3id.org/kg/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
TIME = Namespace("http://www.w3.org/2006/time#")

#: the named graph that holds the ontology inside a loaded dataset
ONTOLOGY_GRAPH = URIRef(GRAPH["ontology"])
#: the named graph that holds triples derived by RDFS entailment
ENTAILED_GRAPH = URIRef(GRAPH["entailed"])

PREFIXES: dict[str, Namespace] = {
    "kg": KG, "kgr": KGR, "src": SRC, "kgsh": KGSH, "graph": GRAPH,
    "dcterms": Namespace(str(DCTERMS)), "foaf": FOAF, "org": ORG,
    "owl": Namespace(str(OWL)), "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)), "rdfs": Namespace(str(RDFS)),
    "schema": SCHEMA, "skos": Namespace(str(SKOS)), "time": TIME,
    "xsd": Namespace(str(XSD)),
}


def bind_prefixes(graph) -> None:  # type: ignore[no-untyped-def]
    """Bind kg's prefixes on an rdflib graph or dataset (replacing rdflib's defaults)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
