"""Facts about the ontology itself: its terms, and which of them are undocumented."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

__all__ = ["TERM_TYPES", "terms", "undocumented_terms"]

#: what makes a subject of the ontology a term
TERM_TYPES = frozenset({OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                        OWL.AnnotationProperty, RDF.Property, OWL.TransitiveProperty,
                        OWL.SymmetricProperty, OWL.FunctionalProperty})


def terms(ontology: Graph) -> set[URIRef]:
    """Every class and property the ontology declares (its own and the reused ones)."""
    return {s for s, o in ontology.subject_objects(RDF.type)
            if o in TERM_TYPES and isinstance(s, URIRef)}


def undocumented_terms(ontology: Graph) -> dict[URIRef, list[str]]:
    """Each term lacking an ``rdfs:label``, ``rdfs:comment`` or ``rdfs:isDefinedBy``,
    with what it lacks.

    >>> g = Graph().parse(data='''@prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... <urn:x> a owl:Class .''', format="turtle")
    >>> undocumented_terms(g)
    {rdflib.term.URIRef('urn:x'): ['rdfs:label', 'rdfs:comment', 'rdfs:isDefinedBy']}
    """
    missing: dict[URIRef, list[str]] = {}
    for term in sorted(terms(ontology)):
        lacks = [name for name, prop in (("rdfs:label", RDFS.label),
                                         ("rdfs:comment", RDFS.comment),
                                         ("rdfs:isDefinedBy", RDFS.isDefinedBy))
                 if ontology.value(term, prop) is None]
        if lacks:
            missing[term] = lacks
    return missing
