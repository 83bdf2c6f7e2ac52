"""RDFS entailment, materialized once at load time, in one linear pass over the data.

Queries for a superclass (``?x a kg:Organization``, ``?x a org:Membership``) then find
instances of its subclasses, and super-properties (``org:member``) find their
sub-properties' values, on any SPARQL engine. The derived triples live in their own named
graph (:data:`kg.namespaces.ENTAILED_GRAPH`), so they can be told apart from what the
sources state.

What is materialized is what the RDFS rules (rdf1, rdfs2-rdfs13, without the axiomatic
triples) add *about the data's own subjects*, minus trivia (``a rdfs:Resource``, ``a
rdf:Property``...): the same triples as a full owlrl RDFS closure of ontology and data,
which the tests keep as the reference. How, without owlrl's cost (a closure over the
whole union, with a comparison of every pair of literals, quadratic in their number):

1. the schema (``rdfs:subClassOf``, ``rdfs:subPropertyOf``, ``rdfs:domain``,
   ``rdfs:range``, from the ontology and the data alike) is closed first: it is small;
2. then every triple is visited once: its predicate's super-properties give the
   triple again under each of them; their domains and ranges, and ``rdf:type``, give
   classes, each with all its superclasses;
3. should that derive schema statements (a data node typed ``rdfs:Class``, say), the
   schema grows and step 2 runs again; for kg's data it never does.

One rule of owlrl is left out on purpose: it copies every statement between two literals
whose Python values are equal (``"x"`` and ``"x"@en``, ``true`` and ``1``), which RDF does
not entail. The engine works on any hashable terms, so a store can run it on its own
terms without converting them (:class:`Vocabulary`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Hashable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

__all__ = ["RDFLIB_TERMS", "RuleTables", "SchemaGrew", "Vocabulary", "entailed_triples",
           "meta_class_triples", "needed_predicates", "rdfs_entailment", "rdfs_entailment_of",
           "reachable", "rule_tables"]

Triple = tuple[Any, Any, Any]

# Classes every resource or property belongs to under RDFS; stating them helps nobody.
_TRIVIAL_TYPES = (RDFS.Resource, RDFS.Class, RDF.Property, OWL.Thing, RDFS.Datatype,
                  RDFS.Literal, OWL.Class, RDFS.ContainerMembershipProperty)


@dataclass(frozen=True)
class Vocabulary:
    """The RDF and RDFS terms the rules use, as one store's term objects, and how to tell
    a literal: the engine never looks inside a term otherwise."""

    term: Callable[[URIRef], Hashable]
    is_literal: Callable[[Any], bool]

    def __post_init__(self) -> None:
        t = self.term
        object.__setattr__(self, "type", t(RDF.type))
        object.__setattr__(self, "sub_class_of", t(RDFS.subClassOf))
        object.__setattr__(self, "sub_property_of", t(RDFS.subPropertyOf))
        object.__setattr__(self, "domain", t(RDFS.domain))
        object.__setattr__(self, "range", t(RDFS.range))
        object.__setattr__(self, "resource", t(RDFS.Resource))
        object.__setattr__(self, "property", t(RDF.Property))
        object.__setattr__(self, "cls", t(RDFS.Class))
        object.__setattr__(self, "member", t(RDFS.member))
        object.__setattr__(self, "literal", t(RDFS.Literal))
        object.__setattr__(self, "container_property", t(RDFS.ContainerMembershipProperty))
        object.__setattr__(self, "datatype", t(RDFS.Datatype))
        object.__setattr__(self, "trivial", frozenset(t(c) for c in _TRIVIAL_TYPES))


#: the vocabulary in rdflib terms
RDFLIB_TERMS = Vocabulary(term=lambda iri: iri, is_literal=lambda node: isinstance(node, Literal))


def entailed_triples(data: Graph, ontology: Graph) -> set[tuple[Node, Node, Node]]:
    """The triples RDFS entailment adds about the data's own subjects, minus trivia.

    >>> from rdflib import Graph
    >>> ont = Graph().parse(data='''@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <urn:Cat> rdfs:subClassOf <urn:Animal> .''', format="turtle")
    >>> data = Graph().parse(data="<urn:tom> a <urn:Cat> .", format="turtle")
    >>> sorted(str(o) for _, _, o in entailed_triples(data, ont))
    ['urn:Animal']
    """
    return rdfs_entailment(data, ontology, terms=RDFLIB_TERMS)


def rdfs_entailment(data: Iterable[Triple], ontology: Iterable[Triple], *,
                    terms: Vocabulary) -> set[Triple]:
    """:func:`entailed_triples` on any terms: ``data`` and ``ontology`` are iterables of
    ``(subject, predicate, object)`` in the terms ``terms`` describes."""
    stated = set(data)
    return _entailment(stated, set(ontology), terms, predicates=(),
                       subjects={s for s, _, _ in stated}, stated=stated, partial=False)


class SchemaGrew(Exception):
    """Raised by :func:`rdfs_entailment_of` when the data derives schema statements: the
    triples it was given may then not be all that matter (the caller reads them all)."""


def needed_predicates(schema: Iterable[Triple], predicates: Iterable[Any], *,
                      terms: Vocabulary) -> set[Any]:
    """Of ``predicates`` (those the data uses), the ones whose triples the rules read
    given ``schema`` (the ontology and the data's own schema statements): those with a
    super-property, a domain or a range, ``rdf:type`` and the schema predicates. A
    triple of any other predicate derives nothing but trivia about its predicate, which
    :func:`rdfs_entailment_of` takes from its ``predicates``."""
    v = terms
    schema_predicates = {v.sub_class_of, v.sub_property_of, v.domain, v.range}
    triples = [t for t in schema if t[1] in schema_predicates]
    edges: dict[Any, set[Any]] = defaultdict(set)
    annotated = set()
    for s, p, o in triples:
        if p == v.sub_property_of:
            edges[s].add(o)
        elif p in (v.domain, v.range):
            annotated.add(s)
    reach = reachable(edges)
    return {p for p in predicates
            if p in schema_predicates or p == v.type or p in annotated
            or any(q in annotated or q == v.type for q in reach.get(p, ()))
            or reach.get(p)}


def rdfs_entailment_of(data: Iterable[Triple], ontology: Iterable[Triple], *,
                       terms: Vocabulary, predicates: Iterable[Any],
                       subjects: Container[Any], stated: Container[Triple]) -> set[Triple]:
    """:func:`rdfs_entailment` from part of the data: ``data`` holds (at least) every data
    triple whose predicate is in :func:`needed_predicates`, ``predicates`` every predicate
    the data uses, ``subjects`` and ``stated`` answer ``in`` for the whole data (its
    subjects, its triples). Same answer as :func:`rdfs_entailment` on the whole data, or
    :class:`SchemaGrew` when the data derives schema statements (never for kg's data)."""
    return _entailment(set(data), set(ontology), terms, predicates=tuple(predicates),
                       subjects=subjects, stated=stated, partial=True)


@dataclass(frozen=True)
class RuleTables:
    """What the RDFS rules derive from the data's own statements, as pairs a store can
    join with its statements (the rules then run inside it, :func:`rule_tables`)."""

    #: (predicate, a strict super-property): ``s p o`` gives ``s super o`` (rdfs7)
    super_properties: tuple[tuple[Any, Any], ...]
    #: (predicate, class): ``s p o`` gives ``s a class`` (rdfs2 with rdfs9)
    domains: tuple[tuple[Any, Any], ...]
    #: (predicate, class): ``s p o`` gives ``o a class`` when ``o`` is a data subject
    #: and not a literal (rdfs3 with rdfs9)
    ranges: tuple[tuple[Any, Any], ...]
    #: (class, a strict superclass): ``s a class`` gives ``s a super`` (rdfs9)
    superclasses: tuple[tuple[Any, Any], ...]
    #: (predicate, meta-class): the subjects (``domains``) or the objects that are data
    #: subjects (``ranges``) of ``p`` are typed a meta-class (``rdf:Property``...), which
    #: gives them the statements of :func:`meta_class_triples`
    meta_domains: tuple[tuple[Any, Any], ...] = ()
    meta_ranges: tuple[tuple[Any, Any], ...] = ()


def rule_tables(ontology: Iterable[Triple], predicates: Iterable[Any], classes: Iterable[Any],
                *, terms: Vocabulary) -> RuleTables | None:
    """The data rules of :func:`rdfs_entailment` as tables, for data that states no schema
    (no ``rdfs:subClassOf``, ``rdfs:subPropertyOf``, ``rdfs:domain`` or ``rdfs:range``):
    ``predicates`` are those the data uses, ``classes`` the ``rdf:type`` values it gives.
    Trivial types are left out. ``None`` when a rule beyond the tables would apply: a
    class the data reaches is a meta-class (``rdfs:Class``, ``rdf:Property``...) or a
    predicate other than ``rdf:type`` has it as a super-property; the caller then runs
    :func:`rdfs_entailment_of`. What the tables leave to the caller in every case is
    :func:`rdfs_entailment_of` on no data triple (the schema's closure and the
    predicates' own types, about data subjects): small.

    >>> from rdflib import URIRef as U
    >>> ont = [(U("urn:Cat"), RDFS.subClassOf, U("urn:Animal"))]
    >>> rule_tables(ont, [RDF.type], [U("urn:Cat")], terms=RDFLIB_TERMS).superclasses
    ((rdflib.term.URIRef('urn:Cat'), rdflib.term.URIRef('urn:Animal')),)
    """
    v = terms
    super_classes, super_properties, domains, ranges = _indexed(ontology, v)
    meta = {v.property, v.cls, v.container_property, v.datatype}
    schema_predicates = {v.sub_class_of, v.sub_property_of, v.domain, v.range}

    def expanded(cls: Any) -> set[Any]:
        """``cls`` and its superclasses."""
        return {cls, *super_classes.get(cls, ())}

    pairs: dict[str, set[tuple[Any, Any]]] = {"sub": set(), "domain": set(), "range": set(),
                                              "super": set(), "meta-domain": set(),
                                              "meta-range": set()}
    for p in predicates:
        supers = super_properties.get(p, frozenset()) - {p}
        if (p != v.type and v.type in supers) or supers & schema_predicates:
            return None  # (a data triple would type its subject, or grow the schema)
        pairs["sub"].update((p, q) for q in supers)
        for kind, table in (("domain", domains), ("range", ranges)):
            for declared in {c for q in (p, *supers) for c in table.get(q, ())}:
                reached = expanded(declared)
                pairs[kind].update((p, c) for c in reached if c not in v.trivial)
                pairs[f"meta-{kind}"].update((p, c) for c in reached & meta)
    for cls in classes:
        if v.is_literal(cls):
            continue  # (a literal is no class: rdfs9 gives it nothing)
        reached = expanded(cls)
        if reached & meta:
            return None  # (a data node typed a meta-class: rare, left to the caller)
        pairs["super"].update((cls, c) for c in reached - {cls} if c not in v.trivial)
    return RuleTables(**{field: tuple(pairs[key]) for field, key in (
        ("super_properties", "sub"), ("domains", "domain"), ("ranges", "range"),
        ("superclasses", "super"), ("meta_domains", "meta-domain"),
        ("meta_ranges", "meta-range"))})


def meta_class_triples(node: Any, cls: Any, *, terms: Vocabulary) -> tuple[Triple, ...]:
    """What typing ``node`` with the meta-class ``cls`` adds (rdfs6, rdfs8, rdfs10, rdfs12,
    rdfs13); nothing for any other class."""
    v = terms
    if cls == v.property:  # rdfs6
        return ((node, v.sub_property_of, node),)
    if cls == v.cls:  # rdfs8, rdfs10
        return ((node, v.sub_class_of, v.resource), (node, v.sub_class_of, node))
    if cls == v.container_property:  # rdfs12
        return ((node, v.sub_property_of, v.member),)
    if cls == v.datatype:  # rdfs13
        return ((node, v.sub_class_of, v.literal),)
    return ()


def _entailment(given: set[Triple], schema_triples: set[Triple], v: Vocabulary, *,
                predicates: Iterable[Any], subjects: Container[Any],
                stated: Container[Triple], partial: bool) -> set[Triple]:
    schema_predicates = {v.sub_class_of, v.sub_property_of, v.domain, v.range}
    schema = {t for t in chain(given, schema_triples) if t[1] in schema_predicates}
    while True:  # (data and ontology chained, not copied into one more set)
        derived, implied = _consequences(chain(given, schema_triples), schema, v, predicates)
        grown = {t for t in derived if t[1] in schema_predicates and t not in schema
                 and not implied(t)}
        if not grown:
            break
        if partial:
            raise SchemaGrew(f"the data derives {len(grown)} schema statements")
        schema |= grown
    return {t for t in derived
            if not v.is_literal(t[0]) and t[0] in subjects and t not in stated
            and not (t[1] == v.type and t[2] in v.trivial) and t not in schema_triples}


def _indexed(schema: Iterable[Triple], v: Vocabulary) -> tuple[
        dict[Any, frozenset[Any]], dict[Any, frozenset[Any]], dict[Any, set[Any]],
        dict[Any, set[Any]]]:
    """The schema's closed superclasses and super-properties, and its domains and ranges
    (each by subject); triples of other predicates are ignored."""
    edges: dict[Any, dict[Any, set[Any]]] = {v.sub_class_of: defaultdict(set),
                                             v.sub_property_of: defaultdict(set)}
    domains: dict[Any, set[Any]] = defaultdict(set)
    ranges: dict[Any, set[Any]] = defaultdict(set)
    for s, p, o in schema:
        if p == v.domain:
            domains[s].add(o)
        elif p == v.range:
            ranges[s].add(o)
        elif p in edges:
            edges[p][s].add(o)
    return (reachable(edges[v.sub_class_of]), reachable(edges[v.sub_property_of]), domains,
            ranges)


def reachable(edges: dict[Any, set[Any]]) -> dict[Any, frozenset[Any]]:
    """Each node -> everything reachable from it (itself not included unless on a cycle)."""
    reach: dict[Any, frozenset[Any]] = {}
    for start, targets in edges.items():
        seen: set[Any] = set()
        todo = list(targets)
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(edges.get(node, ()))
        reach[start] = frozenset(seen)
    return reach


def _consequences(triples: Iterable[Triple], schema: set[Triple], v: Vocabulary,
                  predicates: Iterable[Any] = (),
                  ) -> tuple[set[Triple], Callable[[Triple], bool]]:
    """Every triple the RDFS rules derive from ``triples`` given ``schema`` (those
    already in ``triples`` may be included), and a test telling a schema triple that the
    closed schema already implies (it would change nothing)."""
    super_classes, super_properties, domains, ranges = _indexed(schema, v)

    out: set[Triple] = set()
    add = out.add
    # rdfs5, rdfs11: the schema's own transitive closure
    for link, reach in ((v.sub_class_of, super_classes), (v.sub_property_of, super_properties)):
        for node, supers in reach.items():
            for other in supers:
                add((node, link, other))

    types_cache: dict[Any, tuple[Any, ...]] = {}
    meta = {v.property, v.cls, v.container_property, v.datatype}

    def classes(cls: Any) -> tuple[Any, ...]:
        found = types_cache.get(cls)
        if found is None:
            found = types_cache[cls] = (cls, *(super_classes.get(cls, frozenset()) - {cls}))
        return found

    def typed(node: Any, cls: Any) -> None:  # rdfs9, with the meta-class rules
        if v.is_literal(node):
            return
        for c in classes(cls):
            add((node, v.type, c))
            if c in meta:
                for triple in meta_class_triples(node, c, terms=v):
                    add(triple)

    plan_cache: dict[Any, tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], bool]] = {}

    def plan(predicate: Any) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], bool]:
        """The super-properties of ``predicate``, their domains, ranges, and whether one of
        them is ``rdf:type``; each predicate's plan once."""
        found = plan_cache.get(predicate)
        if found is None:
            supers = (predicate, *(super_properties.get(predicate, frozenset()) - {predicate}))
            found = plan_cache[predicate] = (
                supers[1:],
                tuple({c for q in supers for c in domains.get(q, ())}),
                tuple({c for q in supers for c in ranges.get(q, ())}),
                v.type in supers,
            )
            for q in supers:  # rdf1 and rdfs6 on every property used
                typed(q, v.property)
        return found

    for p in predicates:  # rdf1, rdfs6 for predicates whose triples were not read
        plan(p)
    for s, p, o in triples:
        supers, domain, range_, is_type = plan(p)
        for q in supers:  # rdfs7
            add((s, q, o))
        for c in domain:  # rdfs2
            typed(s, c)
        for c in range_:  # rdfs3
            typed(o, c)
        if is_type:
            typed(s, o)

    def implied(triple: Triple) -> bool:
        s, p, o = triple
        reach = {v.sub_class_of: super_classes, v.sub_property_of: super_properties}.get(p)
        return reach is not None and (s == o or o in reach.get(s, ()))

    return out, implied
