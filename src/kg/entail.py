"""RDFS entailment, materialized once at load time with owlrl.

Queries for a superclass (``?x a kg:Organization``, ``?x a org:Membership``) then find
instances of its subclasses, and super-properties (``org:member``) find their
sub-properties' values, on any SPARQL engine. The derived triples live in their own named
graph (:data:`kg.namespaces.ENTAILED_GRAPH`), so they can be told apart from what the
sources state.
"""

from __future__ import annotations

import owlrl
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

__all__ = ["entailed_triples"]

# Classes every resource or property belongs to under RDFS; stating them helps nobody.
_TRIVIAL_TYPES = {RDFS.Resource, RDFS.Class, RDF.Property, OWL.Thing, RDFS.Datatype,
                  RDFS.Literal, OWL.Class, RDFS.ContainerMembershipProperty}


def entailed_triples(data: Graph, ontology: Graph) -> set[tuple[Node, Node, Node]]:
    """The triples RDFS entailment adds about the data's own subjects, minus trivia.

    >>> from rdflib import Graph
    >>> ont = Graph().parse(data='''@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <urn:Cat> rdfs:subClassOf <urn:Animal> .''', format="turtle")
    >>> data = Graph().parse(data="<urn:tom> a <urn:Cat> .", format="turtle")
    >>> sorted(str(o) for _, _, o in entailed_triples(data, ont))
    ['urn:Animal']
    """
    closure = Graph()
    for triple in ontology:
        closure.add(triple)
    for triple in data:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closure)
    subjects = set(data.subjects())
    derived: set[tuple[Node, Node, Node]] = set()
    for s, p, o in closure:
        if s not in subjects or isinstance(s, Literal) or (s, p, o) in data:
            continue
        if p == RDF.type and o in _TRIVIAL_TYPES:
            continue
        if (s, p, o) in ontology:
            continue
        derived.add((s, p, o))
    return derived
