"""Disjoint kinds after entailment: a node that a property's domain or range retypes into a
kind its stated kind excludes.

The shapes run on the stated data, but kg loads the data with RDFS entailment: a property's
``rdfs:domain`` (or ``rdfs:range``) gives every subject (or object) its class. ``kg:partOf``
on an agreement would make the agreement a ``kg:Event`` too, silently. This module works
out the types entailment adds (domain and range through ``rdfs:subPropertyOf``, then
``rdfs:subClassOf``), and runs the shapes that keep kinds apart (every node shape with a
``sh:targetClass`` and a ``sh:not``, as the shapes file declares them; no list of kinds
here) over the stated and the entailed types together. Each node they reject because of an
entailed type is a ``kg:disjoint-after-entailment`` problem naming the property that
retypes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .asserted import Asserted
from .check_rows import Table, in_store, nameable, rows, term
from .checks import Problem

__all__ = ["Retyping", "disjoint_after_entailment", "disjointness_shapes", "entailed_types"]

#: (property, "domain" or "range") that entails a type
Retyping = tuple[URIRef, str]


def entailed_types(data: Graph, ontology: Graph, *, within: set[Node] | None = None,
                   nodes: set[Node] | None = None) -> dict[tuple[Node, Node], list[Retyping]]:
    """Each (node, class) RDFS entailment adds to ``data`` through a domain or a range,
    with the statements' properties responsible (stated types and their superclasses are
    left out: they are not a retyping). With ``within``, only the classes that are one of
    those or a subclass of one; with ``nodes``, only the types of those nodes.

    Only the properties the ontology gives a domain or a range (and their subproperties)
    are read. When ``data`` is a :class:`kg.asserted.Asserted`, the store answers two
    set-based queries (``retyped-nodes.rq``: which nodes those properties' statements
    give a domain or a range; ``stated-types.rq``: their stated types), read as plain
    values; else (rdflib's store, or any graph with rdflib's ``subject_objects`` and
    ``objects``) each property is looked up.

    >>> ont = Graph().parse(data='''@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <urn:partOf> rdfs:domain <urn:Event> .''', format="turtle")
    >>> data = Graph().parse(data="<urn:deal> a <urn:Agreement> ; <urn:partOf> <urn:m> .",
    ...                      format="turtle")
    >>> entailed_types(data, ont)
    {(rdflib.term.URIRef('urn:deal'), rdflib.term.URIRef('urn:Event')): [(rdflib.term.URIRef('urn:partOf'), 'domain')]}
    """
    supers = _Closures(ontology)
    table = _retypings(ontology, supers, within)
    if isinstance(data, Asserted) and in_store(data.graph) and (nodes is None or nameable(nodes)):
        return _entailed_in_store(data, table, supers, nodes)
    stated_types: dict[Node, set[Node]] = {}

    def stated(node: Node) -> set[Node]:
        if node not in stated_types:
            stated_types[node] = set().union(*(supers(o, RDFS.subClassOf)
                                               for o in data.objects(node, RDF.type)))
        return stated_types[node]

    found: dict[tuple[Node, Node], list[Retyping]] = defaultdict(list)
    for prop, role, classes in table:
        for s, o in _uses(data, prop, role, nodes):
            node = s if role == "domain" else o
            if isinstance(node, Literal):
                continue
            for entailed in classes:
                if entailed not in stated(node) and (prop, role) not in found[(node, entailed)]:
                    found[(node, entailed)].append((prop, role))  # type: ignore[arg-type]
    return dict(found)


class _Closures:
    """``supers(node, link)``: ``node`` and everything it reaches along ``link`` in the
    ontology (``rdfs:subClassOf``, ``rdfs:subPropertyOf``), each worked out once."""

    def __init__(self, ontology: Graph) -> None:
        self.ontology = ontology
        self.known: dict[tuple[Node, URIRef], set[Node]] = {}

    def __call__(self, node: Node, link: URIRef) -> set[Node]:
        if (node, link) not in self.known:
            self.known[(node, link)] = set(self.ontology.transitive_objects(node, link))
        return self.known[(node, link)]


def _retypings(ontology: Graph, supers: _Closures, within: set[Node] | None,
               ) -> list[tuple[URIRef, str, list[Node]]]:
    """(property, role, the classes a statement of it entails for its subject (role
    ``domain``) or object (``range``)), in a stable order: every property the ontology
    gives a domain or a range, and their subproperties; classes outside ``within`` left
    out, and the entries left with none."""
    typed = {p for link in (RDFS.domain, RDFS.range) for p in ontology.subjects(link, None)}
    props = {sub for p in typed for sub in ontology.transitive_subjects(RDFS.subPropertyOf, p)}
    table: list[tuple[URIRef, str, list[Node]]] = []
    for prop in sorted(props - {RDF.type}, key=str):
        for p in supers(prop, RDFS.subPropertyOf):
            for role, link in (("domain", RDFS.domain), ("range", RDFS.range)):
                for cls in ontology.objects(p, link):
                    classes = [c for c in supers(cls, RDFS.subClassOf)
                               if within is None or within & supers(c, RDFS.subClassOf)]
                    if classes:
                        table.append((prop, role, classes))  # type: ignore[arg-type]
    return table


def _entailed_in_store(data: Asserted, table: list[tuple[URIRef, str, list[Node]]],
                       supers: _Closures, nodes: set[Node] | None,
                       ) -> dict[tuple[Node, Node], list[Retyping]]:
    """:func:`entailed_types` asked of the store: one query (``retyped-nodes.rq``, or
    ``retyped-nodes-of.rq`` for ``nodes``) finds
    the retyped nodes, the stated types left out inside the store; the answer is read as
    plain values, and only the retypings found become rdflib terms."""
    if not table:
        return {}
    order: dict[tuple[str, str, str], int] = {}  # (property, role, class) -> first entry
    for index, (prop, role, classes) in enumerate(table):
        for cls in classes:
            order.setdefault((str(prop), role, str(cls)), index)
    entailed = {c for _, _, classes in table for c in classes}
    candidates = entailed | set(supers.ontology.subjects(RDFS.subClassOf, None))
    tables: dict[str, Table] = {
        f"{role}s": (["property", "class"], [[prop, cls] for prop, r, classes in table
                                             if r == role for cls in classes])
        for role in ("domain", "range")}
    tables["covers"] = (["stated", "class"], [[t, c] for t in sorted(candidates, key=str)
                                              for c in sorted(supers(t, RDFS.subClassOf)
                                                              & entailed, key=str)])
    if nodes is not None:  # the same question, each of a few nodes looked up in the store
        tables["nodes"] = (["node"], [[n] for n in nodes if not isinstance(n, Literal)])
        for role in ("domain", "range"):
            tables[f"{role}-properties"] = (["property"], [
                [prop] for prop in sorted({p for p, r, _ in table if r == role}, key=str)])
    name = "retyped-nodes" if nodes is None else "retyped-nodes-of"
    first: dict[tuple[str, bool, str], dict[Retyping, int]] = defaultdict(dict)
    for value, blank, prop, role, cls in rows(data.graph, name, tables=tables):
        first[(value, blank is True, cls)][(URIRef(prop), role)] = order[(prop, role, cls)]
    ordered = sorted(first.items(), key=lambda kv: (min(kv[1].values()), kv[0]))
    return {(term(value, blank), URIRef(cls)): sorted(reasons, key=reasons.__getitem__)
            for (value, blank, cls), reasons in ordered}


def _uses(data: Graph, prop: Node, role: str,
          nodes: set[Node] | None) -> Iterator[tuple[Node, Node | None]]:
    """The (subject, object) pairs of ``prop``; with ``nodes``, one pair (the other end
    left out) for each of them that is the subject (``role`` domain) or the object (range)
    of a ``prop`` statement: all that decides the types entailment gives those nodes."""
    if nodes is None:
        yield from data.subject_objects(prop)
        return
    for node in nodes:
        if isinstance(node, Literal):
            continue
        if role == "domain" and (node, prop, None) in data:
            yield node, None
        elif role == "range" and (None, prop, node) in data:
            yield None, node


def disjointness_shapes(shapes: Graph) -> Graph:
    """The shapes that keep kinds apart: node shapes with a ``sh:targetClass`` and a
    ``sh:not``, each with the blank nodes it is built of."""
    kept = Graph()
    for shape in set(shapes.subjects(SH["not"], None)):
        if (shape, SH.targetClass, None) not in shapes or (shape, RDF.type, SH.NodeShape) not in shapes:
            continue
        todo = [shape]
        while todo:
            node = todo.pop()
            for p, o in shapes.predicate_objects(node):
                kept.add((node, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
    return kept


def disjoint_after_entailment(data: Any, shapes: Graph, ontology: Graph, *,
                              shacl_report: Callable[[Graph, Graph, Graph], Graph],
                              nodes: set[Node] | None = None) -> Iterator[Problem]:
    """A problem for each node a disjointness shape rejects once the types entailed by
    domains and ranges are added, and would not reject on the stated types alone.
    ``shacl_report(data, shapes, ontology)`` runs the shapes (kg's own way, from
    :mod:`kg.validate`). ``nodes``: only those (incremental validation)."""
    kinds = disjointness_shapes(shapes)
    named = {c for p in (SH.targetClass, SH["class"]) for c in kinds.objects(None, p)}
    added = {(node, cls): why
             for (node, cls), why in entailed_types(data, ontology, within=named,
                                                    nodes=nodes).items()
             if named & set(ontology.transitive_objects(cls, RDFS.subClassOf))}
    if not added:  # no entailed type that a shape keeping kinds apart looks at
        return
    stated = Graph()
    for node in {node for node, _ in added}:
        for triple in data.triples((node, RDF.type, None)):
            stated.add(triple)
    both = Graph()
    both += stated
    for node, cls in added:
        both.add((node, RDF.type, cls))
    before = {(r.focus, r.shape) for r in _results(shacl_report(stated, kinds, ontology))}
    for result in _results(shacl_report(both, kinds, ontology)):
        if (result.focus, result.shape) in before:
            continue
        reasons = {(cls, prop, role) for (node, cls), why in added.items()
                   if node == result.focus for prop, role in why}
        if not reasons:
            continue
        # the narrowest entailed class (kg:Event rather than its superclass prov:Activity)
        cls, prop, role = min(reasons, key=lambda r: (
            -len(set(ontology.transitive_objects(r[0], RDFS.subClassOf))), str(r)))
        names = data.namespace_manager
        stated_kinds = ", ".join(sorted(t.n3(names) for t in data.objects(result.focus, RDF.type)
                                        if isinstance(t, URIRef))) or "nothing"
        comment = ontology.value(prop, RDFS.comment)
        yield Problem(
            rule="kg:disjoint-after-entailment", focus=result.focus, path=prop, value=cls,
            message=(f"{result.message.rstrip('.')}: the rdfs:{role} of {prop.n3(names)} makes "
                     f"it a {cls.n3(names)} (RDFS entailment, when kg loads the data), and it "
                     f"is a {stated_kinds} as stated"),
            hint=(f"{'drop' if role == 'domain' else 'check'} this {prop.n3(names)} statement, "
                  f"or use a property meant for a {stated_kinds}"
                  + (f"; {prop.n3(names)}: {comment}" if comment else "")))


class _Result:
    def __init__(self, focus: Node, shape: Node, message: str) -> None:
        self.focus, self.shape, self.message = focus, shape, message


def _results(report: Graph) -> Iterator[_Result]:
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        yield _Result(report.value(result, SH.focusNode), shape,  # type: ignore[arg-type]
                      "; ".join(messages) or "kinds that exclude each other")
