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

import threading
from collections import deque
from collections.abc import Collection, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node
from rdflib.util import from_n3

from .errors import InputError
from .shape_chunks import Chunk

__all__ = ["Entry", "available", "rudof_report", "run_rudof"]


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


#: one rudof result, as rudof writes it: focus node, source shape, component, path, value
Entry = tuple[str, str, str, str | None, str | None]


def _focus_token(text: str) -> str:
    """A focus node as rudof names it, written as an N-Triples term."""
    return text if text.startswith(("_:", "<")) else f"<{text}>"


#: the one statement of rudof's data graph between two validations (:class:`_Engine`):
#: its terms are named by no shape and linked to no data node, so no shape reads it
_BASE = "<urn:x-kg-chunk:base>"


class _Engine:
    """A rudof engine with the shapes read once, validating one data text after another.

    The data graph is made once and each text is staged on it: merged in a staging frame
    that is rolled back after the validation (``begin_staging`` / ``rollback_staging``).
    Making a new data graph (``reset_data`` then ``read_data``) costs rudof about 0.15 s
    of CPU whatever the text, more than validating a small chunk; merging into the graph
    it has costs nothing more than the parsing. The graph holds one statement between
    two texts (rudof stages only loaded data): ``_BASE _BASE _BASE``, which no shape
    reads (a result on it, which cannot occur, would be dropped). Blank nodes keep their
    labels when merged. Reading the shapes again for every chunk cost as much as a
    twentieth of the chunk's validation: they are read once."""

    def __init__(self, shapes: str) -> None:
        import pyrudof

        self._rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        self._rudof.read_shacl(shapes, format=pyrudof.ShaclFormat.NTriples)
        self._rudof.read_data(f"{_BASE} {_BASE} {_BASE} .\n",
                              format=pyrudof.RDFFormat.NTriples)

    def entries(self, data: bytes, keep: frozenset[str] | None) -> list[Entry]:
        """rudof's results of the shapes on ``data`` (N-Triples), those on the focus nodes
        ``keep`` only (N-Triples terms; all when ``None``). rudof releases the GIL while it
        validates: engines in several threads run at once."""
        import pyrudof

        self._rudof.begin_staging()
        try:
            if data.strip():  # (rudof refuses an empty text; the shapes may still find)
                self._rudof.read_data(data.decode("utf-8"),
                                      format=pyrudof.RDFFormat.NTriples, merge=True)
            report = self._rudof.validate_shacl()
        finally:  # the text's statements are not held until the next one
            self._rudof.rollback_staging()
        found = []
        for entry in report:
            focus = str(entry.focus_node)
            if (keep is not None and _focus_token(focus) not in keep) or (
                    _focus_token(focus) == _BASE):
                continue
            found.append((focus, str(entry.source_shape), str(entry.constraint_component),
                          None if entry.path is None else str(entry.path),
                          None if entry.value is None else str(entry.value)))
        return found


def run_rudof(parts: Iterable[Chunk], shapes: Graph, *, workers: int = 1) -> list[Entry]:
    """rudof's results of ``shapes`` over each part (:func:`kg.shape_chunks.chunks`),
    the results on each part's own focus nodes kept, ``workers`` parts at a time (rudof
    releases the GIL). At most ``workers`` + 1 parts are held at once."""
    try:
        import pyrudof  # noqa: F401
    except ImportError as missing:
        raise InputError("the rudof engine needs pyrudof (a dependency of kg): "
                         "pip install pyrudof, or use --engine pyshacl") from missing
    text = shapes.serialize(format="nt")
    if workers <= 1:
        engine = _Engine(text)
        return [e for data, keep in parts for e in engine.entries(data, keep)]
    engines = threading.local()  # one engine per thread: the shapes read once in each

    def entries(data: bytes, keep: frozenset[str] | None) -> list[Entry]:
        if not hasattr(engines, "engine"):
            engines.engine = _Engine(text)
        return engines.engine.entries(data, keep)  # type: ignore[no-any-return]

    found: list[Entry] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running: deque[Future[list[Entry]]] = deque()
        for data, keep in parts:
            running.append(pool.submit(entries, data, keep))
            if len(running) > workers:
                found += running.popleft().result()
        while running:
            found += running.popleft().result()
    return found


def rudof_report(data: Graph, shapes: Graph, *, focus: Collection[Node] | None = None,
                 ntriples: bytes | None = None, entries: list[Entry] | None = None) -> Graph:
    """The report graph of ``shapes`` (without SHACL-SPARQL constraints) over ``data``, as
    rudof finds it; only the results on ``focus`` nodes, when given.

    ``ntriples``, when given, is ``data`` already written as N-Triples (by the store that
    holds it: :meth:`kg.asserted.Asserted.ntriples`); ``entries``, when given, are rudof's
    results already found (:func:`run_rudof`); ``data`` is then only looked up, for the
    values of the few results (any graph with rdflib's ``objects``)."""
    if entries is None:
        whole = ntriples if ntriples is not None else data.serialize(format="nt",
                                                                     encoding="utf-8")
        entries = run_rudof([(whole, None)], shapes)

    report = Graph()
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    conforms = True
    for focus_text, shape_text, component, path_text, value_text in entries:
        focus_node = _term(focus_text, data)
        if focus is not None and focus_node not in focus:
            continue
        shape = _term(shape_text, shapes)
        severity = shapes.value(shape, SH.severity) or SH.Violation
        result = BNode()
        report.add((node, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, focus_node))  # type: ignore[arg-type]
        report.add((result, SH.sourceShape, shape))  # type: ignore[arg-type]
        report.add((result, SH.sourceConstraintComponent, URIRef(component)))
        report.add((result, SH.resultSeverity, severity))
        path = _term(path_text, shapes)
        value = _value(data, focus_node, path, value_text)
        for predicate, term in ((SH.resultPath, path), (SH.value, value)):
            if term is not None:
                report.add((result, predicate, term))
        for message in shapes.objects(shape, SH.message):
            if isinstance(message, Literal):
                report.add((result, SH.resultMessage, message))
        conforms = conforms and severity != SH.Violation
    report.add((node, SH.conforms, Literal(conforms)))
    return report
