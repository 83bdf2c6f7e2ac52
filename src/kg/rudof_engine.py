"""The core SHACL shapes evaluated by rudof, written as pySHACL's report graph.

rudof (the ``pyrudof`` package, one of kg's dependencies) is a SHACL engine written in
Rust, and kg's default engine for the core shapes. It evaluates the core constraints (classes, datatypes,
counts, patterns, ``sh:or``, ``sh:not`` …); it does not evaluate SHACL-SPARQL, so kg
evaluates those constraints itself (:mod:`kg.shacl_sparql`) whichever engine runs the core
shapes. pySHACL stays the reference: ``tests/test_shapes.py`` runs every shape case on both
engines and compares the results.

Each rudof result becomes an ``sh:ValidationResult`` with pySHACL's fields: focus node,
path, value, source shape, component, severity, and the source shape's own
``sh:message`` values (what pySHACL reports for a shape that has messages; rudof's own
texts, such as "OR not satisfied", are not used).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node
from rdflib.util import from_n3

from .errors import InputError

__all__ = ["available", "rudof_report"]


def available() -> bool:
    """True when pyrudof is installed."""
    try:
        import pyrudof  # noqa: F401
    except ImportError:
        return False
    return True


def _term(text: Any, graph: Graph) -> Node | None:
    if text is None:
        return None
    text = str(text)
    if text.startswith('"'):
        return from_n3(text, nsm=graph.namespace_manager)  # type: ignore[return-value]
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    return URIRef(text)


def _value(data: Graph, focus: Node | None, path: Node | None, text: Any) -> Node | None:
    """The value node rudof names: rudof shows a typed literal by its lexical form alone,
    so the value is looked up among the focus node's values on the path when it can be."""
    if text is None:
        return None
    if focus is not None and isinstance(path, URIRef):
        same = {o for o in data.objects(focus, path)
                if str(text) in (str(o), o.n3(), o.n3(data.namespace_manager))}
        if len(same) == 1:
            return same.pop()
    return _term(text, data)


def rudof_report(data: Graph, shapes: Graph, *, focus: Collection[Node] | None = None,
                 ntriples: bytes | None = None) -> Graph:
    """The report graph of ``shapes`` (without SHACL-SPARQL constraints) over ``data``, as
    rudof finds it; only the results on ``focus`` nodes, when given.

    ``ntriples``, when given, is ``data`` already written as N-Triples (by the store that
    holds it: :meth:`kg.asserted.Asserted.ntriples`); ``data`` is then only looked up,
    for the values of the few results (any graph with rdflib's ``objects``)."""
    try:
        import pyrudof
    except ImportError as missing:
        raise InputError("the rudof engine needs pyrudof (a dependency of kg): "
                         "pip install pyrudof, or use --engine pyshacl") from missing
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    text = ntriples.decode("utf-8") if ntriples is not None else data.serialize(format="nt")
    rudof.read_data(text, format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(shapes.serialize(format="nt"), format=pyrudof.ShaclFormat.NTriples)
    found = rudof.validate_shacl()

    report = Graph()
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    conforms = True
    for entry in found:
        focus_node = _term(entry.focus_node, data)
        if focus is not None and focus_node not in focus:
            continue
        shape = _term(entry.source_shape, shapes)
        severity = shapes.value(shape, SH.severity) or SH.Violation
        result = BNode()
        report.add((node, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, focus_node))  # type: ignore[arg-type]
        report.add((result, SH.sourceShape, shape))  # type: ignore[arg-type]
        report.add((result, SH.sourceConstraintComponent, URIRef(str(entry.constraint_component))))
        report.add((result, SH.resultSeverity, severity))
        path = _term(entry.path, shapes)
        value = _value(data, focus_node, path, entry.value)
        for predicate, term in ((SH.resultPath, path), (SH.value, value)):
            if term is not None:
                report.add((result, predicate, term))
        for message in shapes.objects(shape, SH.message):
            if isinstance(message, Literal):
                report.add((result, SH.resultMessage, message))
        conforms = conforms and severity != SH.Violation
    report.add((node, SH.conforms, Literal(conforms)))
    return report
