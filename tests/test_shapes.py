"""shapes/kg.shapes.ttl: the SHACL shapes of kg, specified by examples.

Every file in ``tests/shapes/`` is one case, in the DASH style: a few data nodes,
valid and invalid, and the exact ``sh:ValidationReport`` that validating them must
give. The case's data (the file without its report) is validated the way kg
validates its bundled data: the ontology as ``ont_graph``, no inference, SHACL-AF,
warnings allowed. The actual results must equal the expected ones, compared as
(focus node, result path, source shape, constraint component, severity, value); a
blank-node source shape compares as ``"blank"``. A missing result fails the case,
and so does an extra one, and so does the wrong ``sh:conforms``.

kg evaluates each SHACL-SPARQL rule once over the whole graph (:mod:`kg.shacl_sparql`),
where pySHACL would run it once per focus node; every case is also run the pySHACL way (the
reference) and the two reports must have the same results, messages included; and again
with the core shapes in rudof (``engine="rudof"``, the optional fast extra).

The cases leave out pySHACL's meta-SHACL check: it validates the same shapes graph
every time and takes longer than the case itself. It runs once, in
``test_the_shapes_graph_is_valid_shacl``, and again with the bundled data.

The other tests hold the shapes file to its promises: it is valid SHACL, it names
only terms the ontology defines, every shape is documented, every constraint is
shown failing by some case, and the bundled data has no violation.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.parse import parse_file
from kg.rudof_engine import available as rudof_available
from kg.shacl_sparql import add_results, rule_results, split_sparql_rules
from kg.validate import shacl_report

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
CASES = TESTS / "shapes"
SHAPES = REPO / "shapes" / "kg.shapes.ttl"
ONTOLOGY = REPO / "ontology" / "kg.ttl"
DATA = REPO / "data"

KG = Namespace("https://w3id.org/kg/ontology#")
BLANK = "blank"

#: one validation result, as the cases state it
Result = tuple[Node, Node | None, Node | str | None, Node, Node, Node | None]

#: the shape parameters that are constraints, and the component each one reports
COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}

CASE_FILES = sorted(CASES.glob("*.ttl"))


# --------------------------------------------------------------------------- helpers

PREFIXES = {
    "kg": KG,
    "kgsh": Namespace("https://w3id.org/kg/shapes#"),
    "ex": Namespace("http://example.org/"),
    "sh": SH,
    "dcterms": Namespace("http://purl.org/dc/terms/"),
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
}


def _graph(*paths: Path) -> Graph:
    """Every triple of every graph of the given files, as one graph (the union kg validates)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for path in paths:
        for s, p, o, _ in parse_file(path).quads():
            graph.add((s, p, o))
    return graph


@cache
def _shapes() -> Graph:
    return _graph(SHAPES)


@cache
def _ontology() -> Graph:
    return _graph(ONTOLOGY)


def _validate(data: Graph, *, meta_shacl: bool) -> Graph:
    """Validate ``data`` exactly as kg validates its data (:func:`kg.validate.shacl_report`,
    which parses each SHACL-SPARQL text once), and return the report graph.

    ``meta_shacl`` only adds a check of the shapes graph against SHACL-SHACL (it
    raises if the shapes are not valid SHACL) and never changes the results.
    """
    return shacl_report(data, _shapes(), _ontology(), meta_shacl=meta_shacl)


@cache
def _case_report(path: Path, how: str) -> Graph:
    """The report of one case's data: ``once`` as kg validates (each SHACL-SPARQL rule
    evaluated once over the whole graph), ``reference`` as pySHACL alone does it (each rule
    once per focus node), ``rudof`` with the core shapes in rudof."""
    case = _graph(path)
    data = _without_report(case, _report_node(case))
    if how == "reference":
        return shacl_report(data, _shapes(), _ontology(), rules_once=False)
    return shacl_report(data, _shapes(), _ontology(), engine="rudof" if how == "rudof" else "pyshacl")


def _report_node(graph: Graph) -> Node:
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1, f"expected one sh:ValidationReport, found {len(reports)}"
    return reports[0]


def _results(graph: Graph, report: Node) -> Counter[Result]:
    def blank_or(node: Node | None) -> Node | str | None:
        return BLANK if isinstance(node, BNode) else node

    found: Counter[Result] = Counter()
    for result in graph.objects(report, SH.result):
        found[(
            blank_or(graph.value(result, SH.focusNode)),
            blank_or(graph.value(result, SH.resultPath)),
            blank_or(graph.value(result, SH.sourceShape)),
            graph.value(result, SH.sourceConstraintComponent),
            graph.value(result, SH.resultSeverity),
            blank_or(graph.value(result, SH.value)),
        )] += 1
    return found


def _without_report(graph: Graph, report: Node) -> Graph:
    """The case's data: everything but the expected report and its blank nodes."""
    data = Graph()
    data += graph
    todo, seen = [report], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            data.remove((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return data


def _show(results: Counter[Result], graph: Graph) -> str:
    def name(node: Node | str | None) -> str:
        if isinstance(node, Node):
            return node.n3(graph.namespace_manager)
        return str(node)

    return "\n".join(
        "  " + ", ".join(name(part) for part in result) + (f" (x{count})" if count > 1 else "")
        for result, count in sorted(results.items(), key=lambda item: str(item[0]))
    ) or "  (none)"


def _expected_results() -> Counter[Result]:
    """The expected results of every case, together."""
    every: Counter[Result] = Counter()
    for path in CASE_FILES:
        case = _graph(path)
        every += _results(case, _report_node(case))
    return every


def _named_shapes(shapes: Graph) -> set[Node]:
    return set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))


# --------------------------------------------------------------------------- the cases

@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_shape_case(path: Path) -> None:
    """Validating the case's data gives exactly the report the case expects."""
    case = _graph(path)
    expected_report = _report_node(case)
    expected = _results(case, expected_report)
    expected_conforms = case.value(expected_report, SH.conforms)

    report = _case_report(path, "once")
    actual_report = _report_node(report)
    actual = _results(report, actual_report)

    missing, extra = expected - actual, actual - expected
    assert not missing and not extra, (
        f"{path.name}: results differ\nmissing:\n{_show(missing, case)}\nunexpected:\n{_show(extra, case)}"
    )
    assert report.value(actual_report, SH.conforms) == expected_conforms


def _findings(report: Graph) -> Counter[tuple[Node | str | None, ...]]:
    """Every result with everything kg reports of it: the compared fields and the messages."""
    found: Counter[tuple[Node | str | None, ...]] = Counter()
    for result, messages in ((r, tuple(sorted(str(m) for m in report.objects(r, SH.resultMessage))))
                             for r in report.subjects(RDF.type, SH.ValidationResult)):
        found[(*next(iter(_results_of(report, [result]))), messages)] += 1
    return found


def _results_of(graph: Graph, results: list[Node]) -> Counter[Result]:
    report = BNode()
    view = Graph()
    for result in results:
        view.add((report, SH.result, result))
        for p, o in graph.predicate_objects(result):
            view.add((result, p, o))
    return _results(view, report)


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_each_sparql_rule_evaluated_once_finds_what_pyshacl_finds_per_focus_node(path: Path) -> None:
    """kg evaluates each SHACL-SPARQL constraint once over the whole graph (kg.shacl_sparql);
    pySHACL, the reference, runs it once per focus node: the same results, messages included."""
    reference, once = _case_report(path, "reference"), _case_report(path, "once")
    assert _findings(once) == _findings(reference)
    assert once.value(_report_node(once), SH.conforms) == reference.value(
        _report_node(reference), SH.conforms)


def _sparql_findings(report: Graph, focus: set[Node] | None = None,
                     ) -> Counter[tuple[Node | str | None, ...]]:
    """:func:`_findings` of the SHACL-SPARQL rules, on the nodes of ``focus`` (default: all)."""
    return Counter({found: n for found, n in _findings(report).items()
                    if found[3] == SH.SPARQLConstraintComponent
                    and (focus is None or found[0] in focus)})


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_each_sparql_rule_run_once_for_a_table_of_nodes_finds_what_pyshacl_finds_on_them(
        path: Path) -> None:
    """An incremental run evaluates each SHACL-SPARQL rule once, ``$this`` bound to a
    table of the scope's nodes (kg.shacl_sparql.among), not once per node: the results on
    those nodes, messages included, are those of the rule run once over the whole graph
    (which are pySHACL's per focus node: the test above), and there are none on other
    nodes (every node of the case's data; then every other one)."""
    case = _graph(path)
    data = _without_report(case, _report_node(case))
    nodes = sorted({n for s, _, o in data for n in (s, o) if isinstance(n, URIRef)}, key=str)
    _, rules = split_sparql_rules(_shapes())
    target = data + _ontology()

    def report(only: set[Node] | None) -> Graph:
        found = Graph()
        found.add((BNode(), RDF.type, SH.ValidationReport))
        add_results(found, rule_results(rules, target, only=only))
        return found

    whole = report(None)
    for chosen in (set(nodes), set(nodes[::2])):
        assert _sparql_findings(report(chosen)) == _sparql_findings(whole, chosen)


def test_every_sparql_rule_of_the_shapes_is_evaluated_once_by_kg() -> None:
    """No SHACL-SPARQL constraint of kg's shapes is left to pySHACL's per-focus evaluation."""
    core, rules = split_sparql_rules(_shapes())
    assert {r.shape for r in rules} == set(_shapes().subjects(SH.sparql, None))
    assert not set(core.subjects(SH.sparql, None))


def test_whether_a_sparql_rule_can_run_once_is_judged_once_then_read_from_the_cache() -> None:
    """Parsing a rule with rdflib costs more than an incremental run: the verdict of
    ``evaluable`` is kept on disk, keyed on the text (and rdflib and kg's code); a kept
    verdict that cannot be read is judged again, never trusted."""
    from kg.cache import cache_root
    from kg.shacl_sparql import _evaluable_text, _prepared, evaluable

    once = "SELECT $this WHERE { $this a <urn:kg:test#Once> }"
    per_focus = "SELECT $this (COUNT(*) AS ?n) WHERE { $this ?p ?o } GROUP BY $this"
    folder = cache_root() / ".sparql-rules"
    for text, expected in ((once, True), (per_focus, False)):
        assert evaluable(_prepared(text)) is expected  # type: ignore[arg-type]
        _evaluable_text.cache_clear()
        before = set(folder.glob("*")) if folder.exists() else set()
        assert _evaluable_text(text) is expected
        [kept] = set(folder.glob("*")) - before
        assert kept.read_text() == ("1" if expected else "0")
        _evaluable_text.cache_clear()
        assert _evaluable_text(text) is expected  # read back
        kept.write_text("damaged")
        _evaluable_text.cache_clear()
        assert _evaluable_text(text) is expected  # judged again, and kept again
        assert kept.read_text() == ("1" if expected else "0")
    assert not list(folder.glob(".new-*"))  # nothing half-written left behind


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_the_rudof_engine_finds_what_pyshacl_finds(path: Path) -> None:
    """With ``engine="rudof"`` the core shapes run in rudof (SHACL-SPARQL stays kg's own):
    the same results as pySHACL, messages included."""
    if not rudof_available():
        if os.environ.get("CI") == "true":
            pytest.fail("pyrudof is not installed (pip install '.[test]' installs it)")
        pytest.skip("pyrudof is not installed (the optional fast extra)")
    reference, fast = _case_report(path, "once"), _case_report(path, "rudof")
    assert _findings(fast) == _findings(reference)
    assert fast.value(_report_node(fast), SH.conforms) == reference.value(
        _report_node(reference), SH.conforms)


def test_there_are_cases_and_one_of_them_is_all_valid() -> None:
    """At least one case is valid data that conforms with no result at all."""
    assert CASE_FILES
    valid = []
    for path in CASE_FILES:
        case = _graph(path)
        report = _report_node(case)
        if case.value(report, SH.conforms) == Literal(True) and not _results(case, report):
            valid.append(path.stem)
    assert valid


def test_every_constraint_fails_in_some_case() -> None:
    """Each constraint of each named shape is the source of at least one expected result."""
    shapes = _shapes()
    exercised = {(shape, component) for (_f, _p, shape, component, _s, _v) in _expected_results()}
    untested = sorted(
        f"{shape.n3(shapes.namespace_manager)} {component.n3(shapes.namespace_manager)}"
        for shape in _named_shapes(shapes)
        for parameter, component in COMPONENTS.items()
        if (shape, parameter, None) in shapes and (shape, component) not in exercised
    )
    assert not untested, "constraints that no case shows failing:\n" + "\n".join(untested)


# --------------------------------------------------------------------------- the shapes file

def test_the_shapes_graph_is_valid_shacl() -> None:
    """The shapes graph conforms to SHACL-SHACL, the shapes of SHACL itself."""
    shacl_shacl = Graph().parse(
        data=files("pyshacl").joinpath("assets", "shacl-shacl.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    conforms, _report, text = pyshacl.validate(
        _shapes(), shacl_graph=shacl_shacl, inference="none", advanced=True
    )
    assert conforms, text


def test_a_shapes_graph_that_is_not_valid_shacl_is_refused_when_the_check_is_asked() -> None:
    """``shacl_report(meta_shacl=True)`` checks the shapes themselves first (pySHACL's
    meta-SHACL): a ``sh:minCount`` that is not an integer stops the run; without the check
    the same shapes are used as they are."""
    broken = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount "many" ] .""")
    with pytest.raises(RuntimeError, match="does not validate against the SHACL Shapes"):
        shacl_report(Graph(), broken, Graph(), meta_shacl=True)
    assert (None, SH.conforms, Literal(True)) in shacl_report(Graph(), broken, Graph(),
                                                               meta_shacl=False)


def test_every_kg_term_in_the_shapes_is_defined_in_the_ontology() -> None:
    """Every kg: IRI in the shapes, in triples or in SPARQL text, is a term of ontology/kg.ttl."""
    shapes, defined = _shapes(), set(_ontology().subjects())
    used = {term for triple in shapes for term in triple if isinstance(term, URIRef) and term.startswith(KG)}
    for query in shapes.objects(None, SH.select):
        used |= {KG[name] for name in re.findall(r"\bkg:([A-Za-z_][\w-]*)", str(query))}
    assert used, "the shapes name no kg: term"
    assert not used - defined, f"undefined: {sorted(used - defined)}"


def test_every_property_and_class_a_shape_names_is_declared_in_the_ontology() -> None:
    """Paths, classes and targets (kg: or reused, such as rdfs:label or dcterms:issued) are declared there."""
    shapes, defined = _shapes(), set(_ontology().subjects())
    named = {
        term
        for predicate in (SH.path, SH["class"], SH.targetClass, SH.targetSubjectsOf)
        for term in shapes.objects(None, predicate)
        if isinstance(term, URIRef)
    }
    assert not named - defined, f"not declared in the ontology: {sorted(named - defined)}"


def test_every_shape_is_documented() -> None:
    """Every shape is named by an IRI and has rdfs:label, rdfs:comment, and sh:message or sh:name."""
    shapes = _shapes()
    problems = []
    for shape in sorted(_named_shapes(shapes), key=str):
        if isinstance(shape, BNode):
            problems.append(f"a blank-node shape: {shapes.cbd(shape).serialize(format='turtle')}")
            continue
        missing = [p.n3(shapes.namespace_manager) for p in (RDFS.label, RDFS.comment) if (shape, p, None) not in shapes]
        if (shape, SH.message, None) not in shapes and (shape, SH.name, None) not in shapes:
            missing.append("sh:message or sh:name")
        if missing:
            problems.append(f"{shape.n3(shapes.namespace_manager)} lacks {', '.join(missing)}")
    for constraint in shapes.objects(None, SH.sparql):
        if (constraint, SH.message, None) not in shapes:
            problems.append(f"a SPARQL constraint without sh:message: {shapes.value(constraint, SH.select)}")
    assert not problems, "\n".join(problems)


def test_every_class_the_bundled_data_uses_is_the_target_of_a_shape() -> None:
    """Each rdf:type in the data is a sh:targetClass of some shape, itself or through a superclass."""
    ontology, shapes = _ontology(), _shapes()
    targets = set(shapes.objects(None, SH.targetClass))
    data = _graph(*sorted(DATA.glob("*.ttl")), *sorted(DATA.glob("*.trig")))
    untargeted = sorted(
        cls for cls in set(data.objects(None, RDF.type))
        if not targets & set(ontology.transitive_objects(cls, RDFS.subClassOf))
    )
    assert not untargeted, f"classes no shape targets: {untargeted}"


# --------------------------------------------------------------------------- the bundled data

def test_the_bundled_data_has_no_violation() -> None:
    """The union of data/*.ttl and data/*.trig gives no sh:Violation (warnings are allowed)."""
    data = _graph(*sorted(DATA.glob("*.ttl")), *sorted(DATA.glob("*.trig")))
    # the shapes themselves are checked against SHACL-SHACL once, by
    # test_the_shapes_graph_is_valid_shacl (a second check here took as long again)
    report = _validate(data, meta_shacl=False)
    violations = Counter({
        result: count for result, count in _results(report, _report_node(report)).items()
        if result[4] == SH.Violation
    })
    assert not violations, "violations in the bundled data:\n" + _show(violations, report)
