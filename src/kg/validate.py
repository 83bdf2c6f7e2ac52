"""Validate data against the SHACL shapes and the dataset-level checks; shape the report.

:func:`validate` returns a :class:`Report` whatever it finds; it raises only when the
input cannot be read (:class:`~kg.errors.ParseError`, :class:`~kg.errors.InputError`).
Nothing is modified: the caller's graph is never touched (pySHACL works on a copy).
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable, Sequence
from collections.abc import Collection as Collection_
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from . import statement_count
from .asserted import Asserted, internal_rows
from .check_rows import with_tables
from .checks import Problem, dataset_problems
from .contradictions import Contradiction, contradictions
from .errors import InputError
from .hints import undescribed_hint
from .incremental import changed_triples, graphs_of_files, scope, triples_of
from .kinds import disjoint_after_entailment
from .load import KnowledgeGraph, load, rdf_files, resolve_bundle
from .locate import line_of
from .namespaces import ENTAILED_GRAPH, KG, ONTOLOGY_GRAPH, PREFIXES
from .parse import parse_file
from .shacl_sparql import (
    Runner,
    add_results,
    ntriples_runner,
    rule_results,
    split_sparql_rules,
    store_runner,
)
from .shape_chunks import LOCAL as _LOCAL  # noqa: F401 - named in kg.incremental's docstring
from .shape_chunks import chunks, local, retarget
from .wording import counted

if TYPE_CHECKING:  # (rdflib's SPARQL parser: imported when pySHACL's queries are parsed)
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["DEFAULT_ENGINE", "ENGINES", "SEVERITIES", "Finding", "Report", "load_shapes", "shacl_report", "validate"]

#: severities, most serious first; only violations make data non-conforming
SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem: which rule, which node (label and IRI), where, what, and why."""

    severity: str
    rule: str
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    file: str | None
    line: int | None
    #: how to fix it, when kg can tell: lines to type, the passage to copy, "did you mean"
    hint: str | None = None

    def location(self) -> str:
        """``file:line`` (or just the file) of the focus node's description."""
        if self.file is None:
            return "<unknown file>"
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(kw_only=True)
class Report:
    """The outcome of a validation run."""

    findings: list[Finding]
    files: list[str]
    statements: int
    sources: int
    shapes: list[str] = field(default_factory=list)
    #: for an incremental run (``changed=``): the nodes re-checked; findings on any other
    #: node are those of the previous full run (:func:`kg.incremental.merge`)
    scope: list[str] | None = None

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings are allowed)."""
        return not self.violations

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def summary(self) -> str:
        """One line: the verdict and the counts ("1 violation, 2 warnings in 5 files, …")."""
        what = (f"{counted(len(self.files), 'file')}, {counted(self.statements, 'statement')}, "
                f"{counted(self.sources, 'source')}")
        warnings = counted(len(self.warnings), "warning")
        if self.conforms:
            return f"ok: {what}, {warnings}"
        return f"{counted(len(self.violations), 'violation')}, {warnings} in {what}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``kg validate --format json``); its keys are documented in the README."""
        return {
            "conforms": self.conforms,
            "summary": self.summary,
            "counts": {"violations": len(self.violations), "warnings": len(self.warnings),
                       "infos": len(self.findings) - len(self.violations) - len(self.warnings)},
            "files": self.files,
            "statements": self.statements,
            "sources": self.sources,
            "results": [asdict(f) for f in self.findings],
        } | ({} if self.scope is None else {"scope": self.scope})

    def to_text(self) -> str:
        """Human-readable: grouped by severity, then by rule (shape), then by node."""
        lines: list[str] = []
        for severity in SEVERITIES:
            found = [f for f in self.findings if f.severity == severity]
            if not found:
                continue
            lines.append(f"{severity}s ({len(found)}):")
            rules = sorted({f.rule for f in found})
            for rule in rules:
                in_rule = [f for f in found if f.rule == rule]
                lines.append(f"  {rule} ({len(in_rule)})")
                for f in in_rule:
                    label = f' "{f.focus_label}"' if f.focus_label else ""
                    lines.append(f"    {f.location()}: {f.focus}{label}")
                    detail = []
                    if f.path:
                        detail.append(f"path {f.path}")
                    if f.value is not None:
                        detail.append(f"value {f.value}")
                    if detail:
                        lines.append(f"      {', '.join(detail)}")
                    lines.append(f"      {f.message}")
                    if f.hint:
                        first, *rest = f.hint.splitlines()
                        lines.append(f"      hint: {first}")
                        lines += [f"        {line}" for line in rest]
            lines.append("")
        if self.scope is not None:
            lines.append(f"kg validate: re-checked {len(self.scope)} nodes that the changed "
                         "files can affect")
        lines.append(f"kg validate: {self.summary}")
        return "\n".join(lines)


def load_shapes(folder: Path) -> Graph:
    """Every shapes file of a folder, parsed strictly, as one graph (a new graph at each
    call: the caller may change it). Each file is parsed once per process while its size,
    modification and change times stay the same (:func:`_parsed_shapes`)."""
    shapes = _Shapes()
    versions = []
    for path in rdf_files([folder], what="shapes"):
        stat = path.stat()
        version = (str(path), str(path.resolve()), stat.st_size, stat.st_mtime_ns,
                   stat.st_ctime_ns)
        for triple in _parsed_shapes(*version):
            shapes.add(triple)
        versions.append(version)
    shapes.versions = tuple(versions)
    return shapes


class _Shapes(Graph):
    """The graph :func:`load_shapes` returns: it knows the versions of the files it was
    read from (``versions``) until a statement is added or removed."""

    versions: tuple[tuple[Any, ...], ...] | None = None

    def add(self, triple: Any) -> Any:
        self.versions = None
        return super().add(triple)

    def addN(self, quads: Any) -> Any:  # noqa: N802 - rdflib's name
        self.versions = None
        return super().addN(quads)

    def remove(self, triple: Any) -> Any:
        self.versions = None
        return super().remove(triple)


#: the shapes split (:func:`kg.shacl_sparql.split_sparql_rules`), by the versions of the
#: shapes files they were read from (:func:`_split`)
_SPLITS: dict[tuple[tuple[Any, ...], ...], tuple[Graph, list[Any]]] = {}


def _split(shapes: Graph) -> tuple[Graph, list[Any]]:
    """:func:`kg.shacl_sparql.split_sparql_rules`, once per process for the same shapes
    files (the split is read, never changed, by the validation)."""
    versions = getattr(shapes, "versions", None)
    if versions is None:
        return split_sparql_rules(shapes)
    if versions not in _SPLITS:
        if len(_SPLITS) >= 8:
            _SPLITS.clear()
        _SPLITS[versions] = split_sparql_rules(shapes)
    return _SPLITS[versions]


@functools.lru_cache(maxsize=32)
def _parsed_shapes(path: str, resolved: str, size: int, mtime_ns: int,
                   ctime_ns: int) -> tuple[tuple[Node, Node, Node], ...]:
    """The statements of one shapes file ``path`` (parsed strictly; a file that does not
    parse is not kept: it raises again at the next call); ``resolved``, ``size``,
    ``mtime_ns`` and ``ctime_ns`` key the file's version, so an edited file is parsed
    again (an older copy put back with its modification time too)."""
    return tuple((s, p, o) for s, p, o, _ in parse_file(Path(path)).quads())


def _refuse_stray(stray: list[Path], *, gone: bool = False,
                  whole: Sequence[Path] = ()) -> None:
    """Refuse a changed file that stands for nothing in the data
    (:func:`kg.incremental.graphs_of_files`): a mistyped path would otherwise re-check
    nothing and say ok. ``gone``: files that no longer exist, and that stand for nothing
    in the data loaded before the change either. ``whole``: the ontology and shapes
    folders, a change in which can affect any node."""
    for path in stray:
        resolved = path.resolve()
        inside = next((folder for folder in whole if folder.resolve() == resolved
                       or folder.resolve() in resolved.parents), None)
        if inside is not None:
            raise InputError(f"{path}: a file of {inside}, which every node is checked "
                             f"against: after changing it, run kg validate without "
                             f"--changed")
        if gone:
            raise InputError(f"{path}: no such file, and none was among the files loaded "
                             f"before the change (a mistyped path?)")
        if path.suffix == ".txt":
            raise InputError(f"{path}: the text of no article of the data (an article's "
                             f"text is sources/<its identifier>.txt)")
        raise InputError(f"{path}: not one of the data files validated; --changed names "
                         f"a data file or an article's text")


def _compact(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # pragma: no cover - rdflib raises various errors on odd IRIs
            return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(graph.namespace_manager)
    return node.n3()  # a blank node: _:label, not a bare label taken for a name


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """A readable name for the shape behind a result: the node shape, and the property's path."""
    if shape is None:
        return "shape"
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        path = shapes.value(shape, SH.path)
        parent_name = _compact(shapes, parent) if parent is not None else "shape"
        return f"{parent_name} / {_compact(shapes, path)}" if path is not None else str(parent_name)
    return str(_compact(shapes, shape))


class _ParsedOnce(Graph):
    """A graph whose SPARQL texts are parsed once, whoever asks.

    pySHACL runs each SHACL-SPARQL constraint once per focus node, handing rdflib the same
    query text each time with ``$this`` bound; rdflib would parse it again every time, and
    parsing costs far more than answering. Here each distinct text is parsed and translated
    once (:func:`_parsed`) and the prepared query is evaluated with the bindings.
    """

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
              initNs: Any = None, initBindings: Any = None,  # noqa: N803 - rdflib's names
              use_store_provided: bool = True, **kwargs: Any) -> Any:
        if isinstance(query_object, str) and processor == "sparql" and not initNs:
            query_object = _parsed(query_object, kwargs.get("base"))
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


@functools.lru_cache(maxsize=512)
def _parsed(text: str, base: str | None) -> Query:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    return translateQuery(parseQuery(text), base=base)


#: the engines that can evaluate the core shapes (SHACL-SPARQL rules are kg's own, see
#: :mod:`kg.shacl_sparql`); pySHACL is the reference
ENGINES = ("pyshacl", "rudof")
#: the engine :func:`validate` (and ``kg validate``) uses unless told: rudof, whose findings
#: equal pySHACL's on every shape case (``tests/test_shapes.py``) and which is many times
#: faster on a large graph
DEFAULT_ENGINE = "rudof"


def shacl_report(data: Graph, shapes: Graph, ontology: Graph, *,
                 meta_shacl: bool = False, engine: str = "pyshacl", rules_once: bool = True,
                 focus: Collection_[Node] | None = None) -> Graph:
    """The SHACL report graph (pySHACL's form) for ``data`` (with ``ontology``) against
    ``shapes``, as kg runs it: SHACL-SPARQL enabled, no inference. Neither graph given is
    modified. ``meta_shacl`` also checks the shapes against SHACL-SHACL.

    ``rules_once`` (the default) evaluates each SHACL-SPARQL constraint once over the whole
    graph (:mod:`kg.shacl_sparql`); without it pySHACL runs them once per focus node, each
    text parsed once, as the reference. ``engine`` evaluates the other shapes: ``pyshacl``
    (here the default: the reference) or ``rudof`` (:mod:`kg.rudof_engine`). ``focus``
    limits the report to those focus nodes (IRIs; incremental validation)."""
    _check_engine(engine)
    target = _ParsedOnce()  # data and ontology together, as pySHACL would mix them
    for triple in data:
        target.add(triple)
    for triple in ontology:
        target.add(triple)
    core, rules = split_sparql_rules(shapes) if rules_once or engine != "pyshacl" else (shapes, [])
    if meta_shacl:
        _check_shapes(shapes)
    only = set(focus) if focus is not None else None
    report = _core_report(engine, core, only, lookup=target, target=lambda: target)
    add_results(report, rule_results(rules, target, only=only))
    return report


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r} (expected "
                         f"{', '.join(ENGINES)})")


def _core_report(engine: str, core: Graph, only: set[Node] | None, *, lookup: Any,
                 target: Callable[[], Graph], ntriples: Callable[[], bytes] | None = None,
                 entries: list[Any] | None = None) -> Graph:
    """The report of the core shapes ``core``: by rudof over ``ntriples()`` (else over
    ``lookup``, an rdflib graph) unless its ``entries`` are given (found already:
    :class:`_CoreRun`), or by pySHACL over ``target()``, an rdflib graph of the data and
    the ontology; ``lookup`` answers the look-ups the report needs."""
    if engine == "rudof":
        from .rudof_engine import rudof_report

        if entries is not None:
            return rudof_report(lookup, core, focus=only, entries=entries)
        return rudof_report(lookup, core, focus=only,
                            ntriples=ntriples() if ntriples is not None else None)
    iris = None if only is None else sorted((n for n in only if isinstance(n, URIRef)), key=str)
    if iris is not None and not iris:  # pySHACL would take no focus node as every one
        return _empty_report()
    import pyshacl  # imported only when it runs: it takes a second to import

    _conforms, report, _text = pyshacl.validate(
        target(), shacl_graph=core, ont_graph=None, inplace=True, inference="none",
        advanced=True, allow_warnings=True, allow_infos=True, focus_nodes=iris)
    return report


def _check_shapes(shapes: Graph) -> None:
    """Raise when ``shapes`` is not valid SHACL (pySHACL's meta-SHACL check)."""
    import pyshacl

    pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True, inference="none",
                     advanced=True)


def _empty_report() -> Graph:
    report = Graph()
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(True)))
    return report


def _expected_classes(shapes: Graph, shape: Node | None) -> list[URIRef]:
    """The classes a value shape asks for: its ``sh:class``, or those of its ``sh:or``."""
    if shape is None:
        return []
    direct = [c for c in shapes.objects(shape, SH["class"]) if isinstance(c, URIRef)]
    if direct:
        return sorted(direct)
    listed: list[URIRef] = []
    for members in shapes.objects(shape, SH["or"]):
        for member in Collection(shapes, members):  # type: ignore[arg-type]
            listed += [c for c in shapes.objects(member, SH["class"]) if isinstance(c, URIRef)]
    return listed


#: about how many statements of its own each chunk of the data holds when rudof validates
#: the whole data (:mod:`kg.shape_chunks`): rudof's time per statement grows with the graph
#: (each chunk is staged on one data graph, so a chunk costs no fixed set-up; at 10,000
#: articles, ``kg validate`` took 57 s of CPU with chunks of 5,000 and 73 s with chunks of
#: 20,000; at 1,000, about half a second more with 5,000 than with 20,000)
CHUNK_STATEMENTS = 5_000


class _CoreRun:
    """rudof on the whole asserted data (with the ontology), in chunks
    (:func:`kg.shape_chunks.chunks`), started at once in a thread of its own while the
    caller goes on (rudof releases the GIL; the chunks run two at a time on two cores);
    :meth:`result` waits for its results. The store is read here, in the caller's
    thread: the background thread only cuts the text and runs rudof."""

    def __init__(self, graph: KnowledgeGraph, core: Graph) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from .rudof_engine import run_rudof

        self.ntriples = Asserted(graph, with_ontology=True).ntriples()
        workers = min(2, os.cpu_count() or 1)
        # the values of a chunk's focus nodes are not validated there (their results would
        # be dropped): the class targets become markers written for the focus nodes only
        retargeted = retarget(core)
        shapes = core if retargeted is None else retargeted.shapes
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._future = self._pool.submit(
            lambda: run_rudof(chunks(self.ntriples, core, size=CHUNK_STATEMENTS,
                                     retargeted=retargeted), shapes, workers=workers))
        self._pool.shutdown(wait=False)

    def result(self) -> list[Any]:
        return self._future.result()


def _shacl_findings(graph: KnowledgeGraph, data: Asserted, shapes: Graph, *,
                    engine: str, focus: set[Node] | None = None,
                    only: set[Node] | None = None,
                    running: _CoreRun | None = None) -> list[tuple[str, Problem]]:
    """The findings of the shapes on the asserted data (with the ontology): the core
    shapes by ``engine`` (their rudof results from ``running`` when given), the
    SHACL-SPARQL rules in the store (:func:`_rule_runner`)."""
    target = Asserted(graph, with_ontology=True)
    core, rules = _split(shapes)
    written: list[bytes] = [] if running is None else [running.ntriples]

    def ntriples() -> bytes:  # written once, read by rudof and, when needed, the rules
        if not written:
            written.append(target.ntriples())
        return written[0]

    def rdflib_target() -> Graph:
        copy = _ParsedOnce()
        for triple in target.to_graph():
            copy.add(triple)
        return copy

    if running is not None:
        results = _core_report(engine, core, focus, lookup=target, target=rdflib_target,
                               entries=running.result())
    elif engine == "rudof" and only is not None:
        lookup, sub = _neighbourhood(target, only, core)
        if sub is not None:  # rudof on the statements the scope's findings can read
            results = _core_report(engine, core, focus, lookup=lookup, target=lambda: lookup,
                                   ntriples=lambda: sub)
        else:
            results = _core_report(engine, core, focus, lookup=target, target=rdflib_target,
                                   ntriples=ntriples)
    else:
        results = _core_report(engine, core, focus, lookup=target, target=rdflib_target,
                               ntriples=ntriples)
    add_results(results, rule_results(rules, target, only=focus,
                                      run=_rule_runner(graph, ntriples)))
    found: list[tuple[str, Problem]] = []
    shown = Graph(namespace_manager=data.namespace_manager)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        message = "; ".join(messages) or f"fails {_compact(results, component)}"
        shape, value = results.value(result, SH.sourceShape), results.value(result, SH.value)
        hint = None
        expected = _expected_classes(shapes, shape)
        if (isinstance(value, URIRef) and expected and (value, RDF.type, None) not in data
                and component in (SH.ClassConstraintComponent, SH.OrConstraintComponent)):
            message = (f"{message.rstrip('.')}: {_compact(shown, value)} is described nowhere "
                       "(no file gives its type).")
            hint = undescribed_hint(graph, value, expected, data=data)
        found.append((_shape_name(shapes, shape), Problem(
            rule="", focus=results.value(result, SH.focusNode),  # type: ignore[arg-type]
            path=results.value(result, SH.resultPath), value=value,
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            message=message, hint=hint)))
    return found


def _in_place(store: Any) -> bool:
    """Whether the rules and the neighbourhood's CONSTRUCT run in ``store`` itself: its
    engine can (:attr:`kg.store.Store.validates_in_place`) and its default graph is the
    data and the ontology alone (no entailed graph in it)."""
    return getattr(store, "validates_in_place", False) and not store.size(ENTAILED_GRAPH)


def _rule_runner(graph: KnowledgeGraph, ntriples: Callable[[], bytes]) -> Runner:
    """Where the SHACL-SPARQL rules run: in the store itself when it is Oxigraph and holds
    no entailed graph (its default graph is then exactly the data and the ontology), else
    in a scratch Oxigraph store read from the N-Triples of the data and the ontology."""
    if _in_place(graph.store):
        return store_runner(graph.store)
    return ntriples_runner(ntriples())


def _neighbourhood(target: Asserted, only: set[Node], core: Graph) -> tuple[Any, bytes | None]:
    """The statements the core shapes can read to judge the nodes of ``only``: their own
    statements, those of a ``sh:targetObjectsOf`` property that name them, and the types of
    their values, with the ontology (for ``rdfs:subClassOf``), as N-Triples; and what to
    look the results' values up in (``target`` itself, or a small graph of those
    statements). ``None`` for the N-Triples when a shape uses a ``sh:`` parameter outside
    :data:`_LOCAL` (``sh:node``, ``sh:equals``, SHACL-SPARQL left to the engine …), a
    path of more than one step or a path inside a value's shape, which may read farther
    (:func:`kg.shape_chunks.local`): then the whole data is validated, and only the
    results on ``only`` kept.

    On Oxigraph the statements are one CONSTRUCT query in the store
    (``sparql/neighbourhood.rq``, the scope's nodes in a ``VALUES`` table) written as
    N-Triples by Oxigraph: no RDF term built in Python; a blank node of ``only`` (which
    a query cannot name), and every node on another store, is looked up."""
    if not local(core):
        return Graph(), None
    incoming = sorted(set(core.objects(None, SH.targetObjectsOf)), key=str)
    nodes = [n for n in only if not isinstance(n, Literal)]
    store = target.graph.store
    if _in_place(store):
        named = sorted((n for n in nodes if not isinstance(n, BNode)), key=str)
        text = with_tables("neighbourhood", {
            "nodes": (["of"], [[n] for n in named]),
            "incoming": (["p", "of"], [[p, n] for p in incoming for n in named])})
        written = [store.ntriples([ONTOLOGY_GRAPH]), store.constructed(text) if named else b""]
        rest = [n for n in nodes if isinstance(n, BNode)]
        if rest:  # (a triple written twice is read once)
            part = Graph()
            _looked_up(target, rest, incoming, part)
            written.append(part.serialize(format="nt", encoding="utf-8"))
        return target, b"".join(written)
    part = Graph()
    for triple in target.graph.ontology:
        part.add(triple)
    _looked_up(target, nodes, incoming, part)
    return part, part.serialize(format="nt", encoding="utf-8")


def _looked_up(target: Asserted, nodes: Sequence[Node], incoming: Sequence[Node],
               part: Graph) -> None:
    """Add to ``part`` the neighbourhood of ``nodes`` (:func:`_neighbourhood`), looked up
    statement pattern by pattern."""
    for node in nodes:
        for prop in incoming:
            for triple in target.triples((None, prop, node)):
                part.add(triple)
        for s, p, o in target.triples((node, None, None)):
            part.add((s, p, o))
            if not isinstance(o, Literal):
                for triple in target.triples((o, RDF.type, None)):
                    part.add(triple)


def _without_disagreements(problems: list[tuple[str, Problem]], graph: KnowledgeGraph,
                           found: list[Contradiction]) -> list[tuple[str, Problem]]:
    """Drop the "at most one" results that only say two sources disagree: over the union of
    all graphs a date given differently by two articles has two values, but each article's
    graph has one, and the disagreement is reported as a ``kg:contradiction`` instead."""
    disputed = {(URIRef(c.fact), KG[c.property.removeprefix("kg:")]) for c in found}

    def one_per_graph(focus: Node, path: Node) -> bool:
        per_graph = Counter(g for *_, g in graph.store.quads((focus, path, None)))
        return all(n <= 1 for n in per_graph.values())

    return [(rule, p) for rule, p in problems
            if not ((p.focus, p.path) in disputed and p.value is None
                    and one_per_graph(p.focus, p.path))]


def validate(paths: Sequence[Path | str] = (), *, graph: KnowledgeGraph | None = None,
             project: Path | str | None = None, data: Path | str | None = None,
             ontology: Path | str | None = None, shapes: Path | str | None = None,
             engine: str = DEFAULT_ENGINE, changed: Sequence[Path | str] | None = None,
             before: KnowledgeGraph | None = None, cache: bool = False) -> Report:
    """Validate data files (default: the bundled data) and return a :class:`Report`.

    ``graph`` reuses an already loaded :class:`~kg.load.KnowledgeGraph` (then ``paths``,
    ``data`` and ``ontology`` are not read again). ``engine`` runs the core shapes:
    ``rudof`` (the default) or ``pyshacl`` (the reference); the findings are the same.

    ``changed`` (data files, or articles' texts) makes the run incremental: only the nodes
    those files can affect are re-checked (:mod:`kg.incremental` says why that is enough),
    and the report holds their findings, with ``scope`` listing them;
    :func:`kg.incremental.merge` combines it with the previous full report. ``before``,
    the graph loaded before the change, is needed when a file was deleted or lost
    statements (its former statements are taken from it). With ``cache`` (and neither
    ``graph`` nor ``before``), an incremental run starts from the store the cache keeps of
    the same files before the change, only the changed files read (:mod:`kg.rebase`); when
    the cache has none, the files are loaded through the cache, for the next run.

    >>> report = validate()
    >>> report.conforms, report.sources
    (True, 2)
    """
    _check_engine(engine)
    bundle = resolve_bundle(project=project, data=data, ontology=ontology, shapes=shapes)
    if graph is None and changed is not None and cache and before is None:
        from .rebase import from_cache

        data_files = rdf_files(paths or [bundle.data], what="data")
        with from_cache(data_files, rdf_files([bundle.ontology], what="ontology"),
                        [Path(c) for c in changed], bundle=bundle) as pair:
            if pair is not None:
                return validate(graph=pair[0], before=pair[1], project=project, data=data,
                                ontology=ontology, shapes=shapes, engine=engine,
                                changed=changed)
        graph = load(paths, project=project, data=data, ontology=ontology, entail=False,
                     cache=True)
    if graph is None:
        graph = load(paths, project=project, data=data, ontology=ontology, entail=False)
    shapes_graph = load_shapes(bundle.shapes)
    asserted = Asserted(graph)
    for prefix, namespace in PREFIXES.items():
        shapes_graph.bind(prefix, namespace, override=False)

    only: set[Node] | None = None
    statements: int | None = None
    if changed is not None:
        files = [Path(c) for c in changed]
        gone = [f for f in files if not f.exists()]
        if gone and before is None:
            raise InputError(f"{gone[0]}: no such file; a deleted file can be re-validated "
                             "only with the graph loaded before (before=), else validate all")
        names, stray = graphs_of_files(graph, files)
        _refuse_stray([f for f in stray if f.exists()],
                      whole=[Path(bundle.ontology), Path(bundle.shapes)])
        versions: list[Any] = [asserted]
        if before is not None:  # a file gone stands for graphs of the data before
            _refuse_stray([f for f in graphs_of_files(before, gone)[1]], gone=True)
        triples = triples_of(graph, names)
        if before is not None:
            triples |= changed_triples(before, files)
            versions.append(Asserted(before))
            statements = statement_count.after_change(before, graph, triples)
        only = scope(triples, versions)

    def inside(node: Node | str) -> bool:
        return only is None or node in only or URIRef(str(node)) in only

    # rudof on the whole data runs in the background while the Python checks run
    running = (_CoreRun(graph, _split(shapes_graph)[0])
               if engine == "rudof" and only is None else None)
    found = [c for c in contradictions(graph=graph, facts=only) if inside(c.fact)]
    problems: list[tuple[str, Problem]] = [
        (p.rule, p) for p in dataset_problems(graph, only=only, data=asserted)]
    focus = only if only is None or all(isinstance(n, (URIRef, Literal)) for n in only) else None
    problems += [(rule, p) for rule, p in _without_disagreements(
        _shacl_findings(graph, asserted, shapes_graph, engine=engine, focus=focus, only=only,
                        running=running),
        graph, found) if inside(p.focus)]
    problems += [(p.rule, p) for p in disjoint_after_entailment(
        asserted, shapes_graph, graph.ontology, nodes=only,
        shacl_report=functools.partial(shacl_report, engine=engine)) if inside(p.focus)]

    root = Path.cwd()
    cache: dict[Path, list[str]] = {}
    names = asserted.namespace_manager
    findings: list[Finding] = [
        Finding(severity="Warning", rule="kg:contradiction", focus=c.fact,
                focus_label=c.fact_label, path=c.property, value=None, message=c.message(),
                file=c.first.file, line=c.first.line, hint=c.side_by_side(names))
        for c in found]
    shown = Graph(namespace_manager=names)
    for rule, problem in problems:
        file = graph.file_of(problem.focus, problem.path, problem.value, graph=problem.graph)
        label = asserted.value(problem.focus, RDFS.label)
        findings.append(Finding(
            severity=problem.severity, rule=rule,
            focus=problem.focus.n3() if isinstance(problem.focus, BNode) else str(problem.focus),
            focus_label=str(label) if label is not None else None,
            path=_compact(shown, problem.path), value=_compact(shown, problem.value),
            message=problem.message, hint=problem.hint,
            file=_display(file, root),
            # (the line of the statement at fault when it is written: one quote among
            # several; else where the node's description starts)
            line=line_of(file, problem.focus, cache, label=None if label is None else str(label),
                         predicate=problem.path, value=problem.value)))
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9,
                                 f.rule, f.file or "", f.line or 0, f.focus, f.path or "",
                                 f.value or "", f.message))
    [(sources,)] = internal_rows(graph, "asserted-sources")
    if statements is None:
        statements = len(asserted)
        statement_count.keep(graph, statements)
    shown_files = _Displayed(root)
    return Report(findings=findings, files=[shown_files(f) for f in graph.files],
                  statements=statements, sources=int(sources),  # type: ignore[arg-type]
                  shapes=[str(p) for p in rdf_files([bundle.shapes], what="shapes")],
                  scope=None if only is None else sorted(str(n) for n in only
                                                         if not isinstance(n, Literal)))


class _Displayed:
    """:func:`_display` for many files: each folder resolved once (a file that is itself a
    symbolic link is resolved whole)."""

    def __init__(self, root: Path) -> None:
        self.root = str(root.resolve()) + os.sep
        self.folders: dict[str, str] = {}
        #: folder -> the names in it that are symbolic links (one listing per folder)
        self.links: dict[str, frozenset[str] | None] = {}

    def __call__(self, file: Path) -> str:
        text = str(file)
        folder, name = os.path.split(text)
        if folder not in self.folders:
            self.folders[folder] = str(Path(folder or ".").resolve())
            self.links[folder] = _links_in(folder or ".")
        links = self.links[folder]
        if (os.path.islink(text) if links is None else name in links) or name in ("", ".", ".."):
            resolved = str(file.resolve())
        else:
            resolved = os.path.join(self.folders[folder], name)
        return resolved[len(self.root):] if resolved.startswith(self.root) else text


def _links_in(folder: str) -> frozenset[str] | None:
    """The names of a folder's entries that are symbolic links: one listing of the folder
    (its entries' kinds come with it), rather than a look-up per file; ``None`` when the
    folder cannot be listed (each file is then looked up)."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(e.name for e in entries if e.is_symlink())
    except OSError:
        return None


def _display(file: Path | None, root: Path) -> str | None:
    """A file as the user would type it: relative to the working directory when inside it."""
    if file is None:
        return None
    try:
        return str(file.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(file)
