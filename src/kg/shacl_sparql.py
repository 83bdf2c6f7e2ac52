"""SHACL-SPARQL constraints evaluated once over the whole graph, with pySHACL's results.

pySHACL runs a SPARQL-based constraint (``sh:sparql [ sh:select … ]``) once per focus
node, with ``$this`` pre-bound: at a thousand articles that is thousands of queries for
each rule, and the cost of the rules grows with the square of the data. Here each such
constraint is one prepared query, evaluated once with ``$this`` free; the rows whose
``$this`` is a focus node of the shape are the violations, and each becomes the same
``sh:ValidationResult`` pySHACL would write (focus node, path, value, source shape,
source constraint, component, severity and the messages with ``{?var}`` filled in).

Why that gives the same rows: SHACL pre-binding substitutes the focus node for ``$this``
everywhere in the query. When every solution of the query binds ``$this`` through a
triple pattern that is not optional, and every expression that reads ``$this`` (a
``FILTER``, a ``BIND``, an ``OPTIONAL``'s condition, an ``EXISTS``) is evaluated on
solutions where that pattern has already bound it, then the solutions of the substituted
query for focus ``f`` are exactly the solutions of the free query with ``$this = f``.
:func:`evaluable` checks that on the query's algebra (and refuses aggregates, sub-queries,
``LIMIT``/``OFFSET``, ``VALUES`` and queries that do not select ``$this``); a constraint
that fails the check, sits on a property shape, is reached through another shape
(``sh:node``, ``sh:property``, logical lists …) or has targets other than the four core
kinds stays with pySHACL, which then evaluates it its own way. ``tests/test_shapes.py``
runs every shape case both ways and compares the results.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from .cache import cache_root
from .oxigraph_store import from_ox, to_ox

if TYPE_CHECKING:  # (rdflib's SPARQL parser takes a third of a second to import: only when a
    # query is judged, :func:`_evaluable_text`)
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["Runner", "SparqlRule", "add_results", "among", "evaluable", "ntriples_runner",
           "oxigraph_runner", "rule_results", "split_sparql_rules", "store_runner"]

_THIS = Variable("this")
#: shape parameters through which a shape is reached from another shape
_REFERENCES = (SH.node, SH.property, SH.qualifiedValueShape, SH["not"])
_LISTS = (SH["and"], SH["or"], SH.xone)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_OTHER_TARGETS = (SH.target,)


@dataclass(frozen=True)
class SparqlRule:
    """One SPARQL-based constraint of a node shape, prepared once."""

    shape: Node
    constraint: Node
    text: str
    severity: URIRef
    #: the constraint's messages then the shape's, as pySHACL orders them
    messages: tuple[Literal, ...]
    target_classes: tuple[Node, ...]
    target_nodes: tuple[Node, ...]
    target_subjects_of: tuple[Node, ...]
    target_objects_of: tuple[Node, ...]

    def focus_nodes(self, data: Graph) -> set[Node]:
        """The shape's focus nodes in ``data``, as SHACL's core targets define them."""
        found: set[Node] = set(self.target_nodes)
        for cls in self.target_classes:
            for sub in _subclasses(data, cls):
                found.update(data.subjects(RDF.type, sub))
        for prop in self.target_subjects_of:
            found.update(data.subjects(prop, None))
        for prop in self.target_objects_of:
            found.update(data.objects(None, prop))
        return found

    def is_focus(self, node: Node, data: Graph) -> bool:
        """Whether ``node`` is one of the shape's focus nodes in ``data`` (looked up, not
        enumerated: ``data`` is any graph with rdflib's ``in`` and ``subjects``)."""
        if node in self.target_nodes:
            return True
        if any((node, RDF.type, sub) in data for cls in self.target_classes
               for sub in _subclasses(data, cls)):
            return True
        return (any((node, prop, None) in data for prop in self.target_subjects_of)
                or any((None, prop, node) in data for prop in self.target_objects_of))


    def focus_among(self, nodes: Iterable[Node], data: Graph, known: _Known) -> list[Node]:
        """Those of ``nodes`` that are focus nodes of the shape (:meth:`is_focus`), the
        target classes' subclasses looked up once; ``known`` keeps the answers to the
        look-ups (a node's types, whether a property names it), for every rule that asks."""
        classes = {sub for cls in self.target_classes for sub in _subclasses(data, cls)}
        found = []
        for node in nodes:
            if node in self.target_nodes or (classes and known.types(node, data) & classes):
                found.append(node)
            elif (any(known.has((node, prop, None), data) for prop in self.target_subjects_of)
                  or any(known.has((None, prop, node), data) for prop in self.target_objects_of)):
                found.append(node)
        return found


class _Known:
    """The answers of the look-ups :meth:`SparqlRule.focus_among` makes, kept for the
    other rules (one incremental run: the data does not change meanwhile)."""

    def __init__(self) -> None:
        self._types: dict[Node, set[Node]] = {}
        self._has: dict[tuple[Node | None, Node | None, Node | None], bool] = {}

    def types(self, node: Node, data: Graph) -> set[Node]:
        if node not in self._types:
            self._types[node] = set(data.objects(node, RDF.type))
        return self._types[node]

    def has(self, pattern: tuple[Node | None, Node | None, Node | None], data: Graph) -> bool:
        if pattern not in self._has:
            self._has[pattern] = pattern in data
        return self._has[pattern]


def _subclasses(data: Graph, cls: Node) -> set[Node]:
    """``cls`` and its subclasses in ``data`` (``rdfs:subClassOf*``, backwards)."""
    found, todo = {cls}, [cls]
    while todo:
        for sub in data.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _referenced_shapes(shapes: Graph) -> set[Node]:
    referenced: set[Node] = set()
    for prop in _REFERENCES:
        referenced.update(shapes.objects(None, prop))
    for prop in _LISTS:
        for head in shapes.objects(None, prop):
            referenced.update(Collection(shapes, head))  # type: ignore[arg-type]
    return referenced


def _prefixes(shapes: Graph, constraint: Node) -> str:
    """The ``PREFIX`` lines of the constraint's ``sh:prefixes`` (and of every ontology's
    ``sh:declare``, as pySHACL collects them)."""
    declares: set[Node] = set()
    for ontology in shapes.subjects(RDF.type, OWL.Ontology):
        declares.update(shapes.objects(ontology, SH.declare))
    for holder in shapes.objects(constraint, SH.prefixes):
        declares.update(shapes.objects(holder, SH.declare))
    lines = {}
    for declare in declares:
        prefix, namespace = shapes.value(declare, SH.prefix), shapes.value(declare, SH.namespace)
        if prefix is not None and namespace is not None:
            lines[str(prefix)] = f"PREFIX {prefix}: <{namespace}>\n"
    return "".join(lines[p] for p in sorted(lines))


def split_sparql_rules(shapes: Graph) -> tuple[Graph, list[SparqlRule]]:
    """The shapes without the constraints kg evaluates itself, and those constraints.

    A constraint kg cannot evaluate the same way (see the module docstring) stays in the
    returned shapes graph, for pySHACL.
    """
    referenced = _referenced_shapes(shapes)
    rules: list[SparqlRule] = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=str):
        rule = _rule(shapes, shape, constraint, referenced)
        if rule is not None:
            rules.append(rule)
    if not rules:
        return shapes, rules
    kept = Graph(namespace_manager=shapes.namespace_manager)
    taken = {(r.shape, r.constraint) for r in rules}
    dropped = _described(shapes, [r.constraint for r in rules])
    for triple in shapes:
        s, p, o = triple
        if (p == SH.sparql and (s, o) in taken) or s in dropped:
            continue
        kept.add(triple)
    return kept, rules


def _described(shapes: Graph, nodes: Iterable[Node]) -> set[Node]:
    """The blank nodes given and the blank nodes they describe, transitively."""
    todo, seen = [n for n in nodes if isinstance(n, BNode)], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo += [o for o in shapes.objects(node, None) if isinstance(o, BNode)]
    return seen


def _rule(shapes: Graph, shape: Node, constraint: Node, referenced: set[Node]) -> SparqlRule | None:
    if (shape, SH.path, None) in shapes or shape in referenced:
        return None
    if any((shape, p, None) in shapes for p in _OTHER_TARGETS):
        return None
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        return None  # an implicit class target: left to pySHACL
    for node in (shape, constraint):
        if shapes.value(node, SH.deactivated) == Literal(True):
            return None
    select = shapes.value(constraint, SH.select)
    if select is None or (constraint, SH.ask, None) in shapes:
        return None
    text = _prefixes(shapes, constraint) + "\n" + str(select)
    if not _evaluable_text(text):
        return None
    own = [m for m in shapes.objects(constraint, SH.message) if isinstance(m, Literal)]
    general = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
    if not own and not general:
        return None  # pySHACL would write generic messages
    severity = shapes.value(shape, SH.severity)
    return SparqlRule(
        shape=shape, constraint=constraint, text=text,
        severity=severity if isinstance(severity, URIRef) else SH.Violation,
        messages=tuple(m for m in own if m not in general) + tuple(general),
        target_classes=tuple(shapes.objects(shape, SH.targetClass)),
        target_nodes=tuple(shapes.objects(shape, SH.targetNode)),
        target_subjects_of=tuple(shapes.objects(shape, SH.targetSubjectsOf)),
        target_objects_of=tuple(shapes.objects(shape, SH.targetObjectsOf)))


@functools.lru_cache(maxsize=256)
def _evaluable_text(text: str) -> bool:
    """:func:`evaluable` for a query text, which must parse; the verdict is kept on disk.

    Parsing with rdflib costs about 0.2 s a query (pyparsing): more than the whole of an
    incremental validation. The verdict depends only on the text, on rdflib (its parser
    and algebra) and on this module's code, so it is kept in the cache folder
    (:func:`kg.cache.cache_root`, ``.sparql-rules/``), one small file per text, keyed on
    the SHA-256 of all three: a new text, rdflib version or checkout is judged afresh.
    Each file is written whole and renamed into place; one that cannot be read or
    written is only a cache miss."""
    folder = cache_root() / ".sparql-rules"
    key = hashlib.sha256(f"{text}\0{rdflib.__version__}\0{_code_digest()}".encode())
    known = folder / key.hexdigest()
    try:
        return {"1": True, "0": False}[known.read_text(encoding="ascii")]
    except (OSError, KeyError, UnicodeDecodeError):
        pass
    query = _prepared(text)
    verdict = query is not None and evaluable(query)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=folder, prefix=".new-", delete=False,
                                         encoding="ascii") as out:
            out.write("1" if verdict else "0")
    except OSError:
        return verdict
    try:
        os.replace(out.name, known)
    except OSError:
        Path(out.name).unlink(missing_ok=True)
    return verdict


@functools.cache
def _code_digest() -> str:
    """The SHA-256 of this module's source (the code that judges a query)."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> Query | None:
    """The query parsed once per process (parsing costs far more than answering)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text)
    except Exception:  # noqa: BLE001 - pySHACL reports a query it cannot parse, its own way
        return None


# ------------------------------------------------------------------ the algebra check

_SAFE = {"BGP", "Join", "LeftJoin", "Filter", "Union", "Extend", "Minus", "Graph", "Distinct",
         "Reduced", "Project", "OrderBy"}


def _certain(part: CompValue) -> set[Variable]:
    """The variables every solution of ``part`` binds through a required triple pattern."""
    name = part.name
    if name == "BGP":
        return {t for triple in part.triples for t in (triple[0], triple[2])
                if isinstance(t, Variable)}
    if name == "Join":
        return _certain(part.p1) | _certain(part.p2)
    if name in ("LeftJoin", "Minus"):
        return _certain(part.p1)
    if name == "Union":
        return _certain(part.p1) & _certain(part.p2)
    if name in ("Filter", "Extend", "Graph", "Distinct", "Reduced", "Project", "OrderBy"):
        return _certain(part.p)
    return set()


def _mentions_this(node: Any) -> bool:
    if node is _THIS or node == _THIS:
        return True
    from rdflib.plugins.sparql.parserutils import CompValue, Expr

    if isinstance(node, (CompValue, Expr, dict)):
        return any(_mentions_this(v) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_mentions_this(v) for v in node)
    return False


def _safe(part: CompValue) -> bool:
    name = part.name
    if name not in _SAFE:
        return False
    if name == "BGP":
        return True
    if name == "Filter" and _mentions_this(part.expr) and _THIS not in _certain(part.p):
        return False
    if name == "Extend" and _mentions_this(part.expr) and _THIS not in _certain(part.p):
        return False
    if name == "LeftJoin" and part.expr is not None and _mentions_this(part.expr) \
            and _THIS not in _certain(part.p1):
        return False
    from rdflib.plugins.sparql.parserutils import CompValue

    return all(_safe(part[key]) for key in ("p", "p1", "p2") if isinstance(part.get(key), CompValue))


def evaluable(query: Query) -> bool:
    """True when evaluating ``query`` once with ``$this`` free, then keeping the rows of
    each focus node, gives what pre-binding ``$this`` to each focus node would give."""
    algebra = query.algebra
    if algebra.name != "SelectQuery":
        return False
    project = algebra.p
    while project.name in ("Distinct", "Reduced"):
        project = project.p
    if project.name != "Project":
        return False
    if _THIS not in project.PV or Variable("failure") in project.PV:
        return False
    return _safe(project.p) and _THIS in _certain(project.p)


# ------------------------------------------------------------------ evaluation

def _format(message: str, bound: dict[str, Node]) -> str:
    for var, val in bound.items():  # as pySHACL fills in {?var} / {$var}
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


@dataclass(frozen=True)
class RuleResult:
    """One violation of a :class:`SparqlRule`, as pySHACL would report it."""

    rule: SparqlRule
    focus: Node
    path: Node | None
    value: Node | None
    messages: tuple[str, ...]


#: evaluates a rule's query text, with ``$this`` bound to a node when one is given
Runner = Callable[[str, Node | None], Iterable[dict[str, Node]]]


def rule_results(rules: Sequence[SparqlRule], data: Graph, *,
                 only: set[Node] | None = None, run: Runner | None = None) -> Iterator[RuleResult]:
    """The violations of ``rules`` in ``data`` (data and ontology together), for every
    focus node of each rule's shape, or for those in ``only``.

    ``run`` evaluates a query over the same statements as ``data`` (:func:`store_runner`:
    in the store that holds them); without it the queries run in an in-memory Oxigraph
    store holding a copy of ``data``, made once. With ``only``, each query runs once per
    node of ``only`` that is a focus node of its shape, ``$this`` bound (what SHACL's
    pre-binding does); without, once with ``$this`` free. Oxigraph keeps literals in
    canonical form (``"01"^^xsd:integer`` is ``"1"``): a literal ``?value`` it returns that
    ``data`` does not hold is mapped back to the literal of equal value that the focus node
    has on ``?path``."""
    if not rules:
        return
    if run is None:
        run = oxigraph_runner(_oxigraph(data))
    nodes = [] if only is None else sorted((n for n in only if not isinstance(n, Literal)),
                                           key=str)
    named = [n for n in nodes if not isinstance(n, BNode)]
    blank = [n for n in nodes if isinstance(n, BNode)]
    known = _Known()
    for rule in rules:
        if only is None:
            rows: Iterable[dict[str, Node]] = run(rule.text, None)
        else:
            rows = itertools.chain(
                run(among(rule.text, named), None) if named else (),
                (row for node in rule.focus_among(blank, data, known)
                 for row in run(rule.text, node)))
        yield from _results(rule, rows, data)


#: where :func:`among` finds the place of its ``VALUES`` block
_PLACE = URIRef("urn:kg:shacl-sparql:this")


def among(text: str, nodes: Sequence[Node]) -> str:
    """A rule's query ``text`` with ``$this`` bound to each of ``nodes`` (IRIs) by one
    ``VALUES`` block, where a store binds one node (:func:`kg.queries.with_values`: the
    start of the ``WHERE`` group). For a rule :func:`evaluable` accepts, its rows are those
    of the query run once per node with ``$this`` bound: every solution of the group binds
    ``$this`` through a required triple pattern, so joining it with a table of ``$this``
    values keeps, unchanged, the solutions whose ``$this`` is in the table, and the
    group's filters read the same bindings either way; rows of different nodes differ in
    ``$this``, so ``DISTINCT`` keeps them all. (``tests/test_shapes.py`` runs every shape
    case this way, with every node of its data in the table and with half of them, and
    compares with the rule run once over the whole graph, itself compared with pySHACL's
    run per focus node.)"""
    from .queries import with_values

    one = with_values(text, {"this": _PLACE})
    return one.replace(f"({_PLACE.n3()})", " ".join(f"({node.n3()})" for node in nodes), 1)


def _oxigraph(data: Graph) -> ox.Store:
    term = functools.lru_cache(maxsize=None)(to_ox)  # each distinct term converted once

    store = ox.Store()
    store.bulk_extend([ox.Quad(term(s), term(p), term(o)) for s, p, o in data])
    return store


def oxigraph_runner(store: ox.Store, **options: Any) -> Runner:
    """Run rule queries in a pyoxigraph store (``options``: its dataset, e.g.
    ``default_graph``), ``$this`` bound by substitution."""

    def run(text: str, this: Node | None) -> Iterator[dict[str, Node]]:
        bound = {} if this is None else {"substitutions": {ox.Variable("this"): to_ox(this)}}
        solutions = store.query(text, **options, **bound)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        for solution in solutions:
            row = {name: from_ox(solution[name]) for name in names if solution[name] is not None}
            if this is not None:
                row["this"] = this
            yield row

    return run


def store_runner(store: Any) -> Runner:
    """Run rule queries in a :class:`kg.store.Store` (on its default graph), ``$this``
    bound through the seam's bindings."""

    def run(text: str, this: Node | None) -> Iterator[dict[str, Node]]:
        answer = store.query(text, bindings={} if this is None else {"this": this})
        for row in answer.bindings:
            found = {str(name): value for name, value in row.items() if value is not None}
            if this is not None:
                found["this"] = this
            yield found

    return run


def ntriples_runner(ntriples: bytes) -> Runner:
    """Run rule queries over N-Triples, parsed once into an in-memory Oxigraph store
    (blank nodes keep their labels)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                      for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    return oxigraph_runner(store)


def _original(data: Graph, focus: Node, path: Node | None, value: Node) -> Node:
    if not isinstance(value, Literal) or path is None or (focus, path, value) in data:
        return value
    same = [o for o in data.objects(focus, path)  # type: ignore[arg-type]
            if isinstance(o, Literal) and o.datatype == value.datatype and o.eq(value)]
    return same[0] if len(same) == 1 else value


def _results(rule: SparqlRule, rows: Iterable[dict[str, Node]],
             data: Graph) -> Iterator[RuleResult]:
    seen: set[tuple[Any, ...]] = set()
    focus: dict[Node, bool] = {}
    for bound in rows:
        this = bound.pop("this", None)
        if this is None:
            continue
        if this not in focus:
            focus[this] = rule.is_focus(this, data)
        if not focus[this]:
            continue
        path, value = bound.pop("path", None), bound.pop("value", None)
        if value is not None:
            value = _original(data, this, path, value)
        key = (this, path, value, tuple(sorted(bound.items())))
        if key in seen:
            continue
        seen.add(key)
        filled: dict[str, Node] = dict(bound)
        for name, term in (("this", this), ("path", path), ("value", value)):
            if term is not None:
                filled[name] = term
        yield RuleResult(rule=rule, focus=this, path=path,
                         value=value if value is not None else this,
                         messages=tuple(_format(str(m.value), filled) for m in rule.messages))


def add_results(report: Graph, results: Iterable[RuleResult]) -> None:
    """Write ``results`` into a pySHACL report graph, and its ``sh:conforms`` again."""
    [node] = list(report.subjects(RDF.type, SH.ValidationReport))
    violated = False
    for found in results:
        result = BNode()
        report.add((node, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        report.add((result, SH.sourceShape, found.rule.shape))
        report.add((result, SH.sourceConstraint, found.rule.constraint))
        report.add((result, SH.resultSeverity, found.rule.severity))
        report.add((result, SH.focusNode, found.focus))
        if found.value is not None:
            report.add((result, SH.value, found.value))
        if found.path is not None:
            report.add((result, SH.resultPath, found.path))
        for message in found.messages:
            report.add((result, SH.resultMessage, Literal(message)))
        violated = violated or found.rule.severity == SH.Violation
    if violated:
        report.set((node, SH.conforms, Literal(False)))
