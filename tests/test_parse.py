"""kg.parse: the W3C Turtle and TriG suites, and kg's own promises about errors.

The W3C suites are read from ``<repo>/../shared/w3c-rdf-tests/{turtle,trig}/``;
when that folder is absent those cases are skipped, not failed.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import InputError, ParseError
from kg.parse import RdfFormat, format_for, parse_file, parse_text

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
W3C = REPO.parent / "shared" / "w3c-rdf-tests"
FIXTURES = TESTS / "fixtures"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = Namespace("http://www.w3.org/ns/rdftest#")
EX = Namespace("http://example.org/")

POSITIVE = {RDFT.TestTurtlePositiveSyntax, RDFT.TestTrigPositiveSyntax}
NEGATIVE = {RDFT.TestTurtleNegativeSyntax, RDFT.TestTrigNegativeSyntax,
            RDFT.TestTurtleNegativeEval, RDFT.TestTrigNegativeEval}
EVAL = {RDFT.TestTurtleEval, RDFT.TestTrigEval}


# --------------------------------------------------------------------------- W3C suites

@dataclass(frozen=True)
class W3CCase:
    name: str
    kind: str  # "positive", "negative" or "eval"
    action: Path
    result: Path | None
    base_iri: str


def _local(iri: URIRef, folder: Path) -> Path:
    # the suites are flat: every action and result is a file next to the manifest
    return folder / str(iri).rsplit("/", 1)[-1]


def _w3c_cases(suite: str) -> list:
    folder = W3C / suite
    manifest_path = folder / "manifest.ttl"
    if not manifest_path.is_file():
        reason = f"W3C {suite} test suite not found at <repo>/../shared/w3c-rdf-tests/{suite}/manifest.ttl"
        return [pytest.param(None, id=f"{suite}-suite-missing", marks=pytest.mark.skip(reason=reason))]
    manifest = Graph().parse(manifest_path, format="turtle")
    (node,) = manifest.subjects(RDF.type, MF.Manifest)
    test_base = str(manifest.value(node, MF.assumedTestBase))
    cases = []
    for entry in Collection(manifest, manifest.value(node, MF.entries)):
        test_type = manifest.value(entry, RDF.type)
        kind = ("positive" if test_type in POSITIVE else "negative" if test_type in NEGATIVE
                else "eval" if test_type in EVAL else None)
        assert kind is not None, f"{entry}: unknown test type {test_type}"
        action = _local(manifest.value(entry, MF.action), folder)
        result = manifest.value(entry, MF.result)
        name = str(manifest.value(entry, MF.name))
        cases.append(pytest.param(
            W3CCase(name, kind, action, _local(result, folder) if result is not None else None,
                    test_base + action.name),
            # the entry's fragment, not mf:name: the manifests give two tests the same name
            id=str(entry).rsplit("#", 1)[-1],
        ))
    return cases


_TURTLE_CASES = _w3c_cases("turtle")
_TRIG_CASES = _w3c_cases("trig")

_QUAD = Namespace("urn:x-kg-test:quad#")


def _lower_language(term):
    # Language tags compare case-insensitively (RDF 1.1 Concepts, 3.3) and rdflib's
    # Literal equality agrees; pyoxigraph lower-cases them, but rdflib.compare hashes
    # the N3 text, so "@en-UK" and "@en-uk" must be made alike before comparing.
    if isinstance(term, Literal) and term.language:
        return Literal(str(term), lang=term.language.lower())
    return term


def _as_graph(quads) -> Graph:
    """A dataset as one graph, each quad a blank node with its four parts.

    Two datasets are isomorphic exactly when these graphs are, with blank nodes
    shared between graph names and triples mapped consistently.
    """
    graph = Graph()
    for s, p, o, g in quads:
        o = _lower_language(o)
        quad = BNode()
        graph.add((quad, _QUAD.s, s))
        graph.add((quad, _QUAD.p, p))
        graph.add((quad, _QUAD.o, o))
        graph.add((quad, _QUAD.g, _QUAD.default if g in (None, DATASET_DEFAULT_GRAPH_ID) else g))
    return graph


def _expected_quads(path: Path, monkeypatch: pytest.MonkeyPatch) -> list:
    """The mf:result file read by rdflib's N-Triples / N-Quads parser, lexical forms kept."""
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)  # kg.parse keeps "01" as "01"
    if path.suffix == ".nt":
        return [(s, p, o, None) for s, p, o in Graph().parse(path, format="nt")]
    dataset = rdflib.Dataset()
    with warnings.catch_warnings():  # rdflib 7.6's Dataset.parse uses its own deprecated API
        warnings.filterwarnings("ignore", "Dataset.default_context is deprecated", DeprecationWarning)
        dataset.parse(path, format="nquads")
    return list(dataset.quads((None, None, None, None)))


def _nquads(quads) -> str:
    return "\n".join(sorted(
        " ".join(t.n3() for t in q if t is not None and t != DATASET_DEFAULT_GRAPH_ID) + " ."
        for q in quads
    ))


def _check_w3c(case: W3CCase, monkeypatch: pytest.MonkeyPatch) -> None:
    if case.kind == "negative":
        with pytest.raises(ParseError) as caught:
            parse_file(case.action, base_iri=case.base_iri)
        error = caught.value
        assert error.path == case.action
        assert error.line is not None and error.line >= 1, f"no line in {error}"
        assert error.column is not None and error.column >= 1, f"no column in {error}"
        assert str(error).startswith(f"{case.action}:{error.line}:{error.column}: ")
        return
    dataset = parse_file(case.action, base_iri=case.base_iri)
    if case.kind == "eval":
        assert case.result is not None
        actual = list(dataset.quads((None, None, None, None)))
        expected = _expected_quads(case.result, monkeypatch)
        assert isomorphic(_as_graph(actual), _as_graph(expected)), (
            f"{case.name}: not isomorphic to {case.result.name}\n"
            f"--- expected\n{_nquads(expected)}\n--- actual\n{_nquads(actual)}"
        )


@pytest.mark.parametrize("case", _TURTLE_CASES)
def test_w3c_turtle(case: W3CCase, monkeypatch: pytest.MonkeyPatch) -> None:
    _check_w3c(case, monkeypatch)


@pytest.mark.parametrize("case", _TRIG_CASES)
def test_w3c_trig(case: W3CCase, monkeypatch: pytest.MonkeyPatch) -> None:
    _check_w3c(case, monkeypatch)


# --------------------------------------------------------------------------- kg's own promises
#
# These look at datasets through quads() only: in rdflib 7.6, Dataset.triples(),
# `in`, objects(), value() and query() warn about rdflib's own use of the deprecated
# Dataset.default_context (RDFLib/rdflib#3475), and warnings are errors here.

def _triples(dataset: rdflib.Dataset, graph: object = None) -> set:
    """The triples of one graph of ``dataset`` (by name), or of all graphs with ``None``."""
    return {(s, p, o) for s, p, o, g in dataset.quads((None, None, None, None))
            if graph is None or g == graph}


def test_syntax_error_reports_file_line_and_column() -> None:
    path = FIXTURES / "bad" / "syntax_error.ttl"
    with pytest.raises(ParseError) as caught:
        parse_file(path)
    error = caught.value
    assert (error.path, error.line, error.column) == (path, 7, 26)
    assert str(error) == f"{path}:7:26: {error.message}"
    assert "]" in error.message
    assert not error.message.startswith("Parser error")  # the position is not repeated


def test_syntax_error_position_counts_characters_not_bytes() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text('# été\n<http://example.org/é> <http://example.org/p> é .',
                   format=RdfFormat.TURTLE, source="inline.ttl")
    assert (caught.value.line, caught.value.column) == (2, 47)
    assert str(caught.value).startswith("inline.ttl:2:47: ")


def test_not_utf8_reports_the_first_bad_byte() -> None:
    path = FIXTURES / "bad" / "not_utf8.ttl"
    assert b"\xff" in path.read_bytes()
    with pytest.raises(ParseError) as caught:
        parse_file(path)
    error = caught.value
    assert (error.path, error.line, error.column) == (path, 5, 22)
    assert "UTF-8" in error.message and "0xff" in error.message
    assert str(error).startswith(f"{path}:5:22: ")


def test_not_utf8_column_counts_characters_before_the_bad_byte() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text('<http://example.org/a> <http://example.org/p> "éé\xe9"'.encode()[:-3] + b"\xe9\x28\"",
                   format=RdfFormat.TURTLE)
    assert (caught.value.line, caught.value.column) == (1, 50)
    assert "0xe9" in caught.value.message


def test_error_messages_are_one_line() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text("<http://example.org/a\nb> <http://example.org/p> <http://example.org/o> .",
                   format=RdfFormat.TURTLE)
    assert "\n" not in str(caught.value) and "\\n" in caught.value.message


def test_utf8_byte_order_mark_is_accepted() -> None:
    dataset = parse_text(b"\xef\xbb\xbf<http://example.org/a> <http://example.org/p> <http://example.org/b> .",
                         format=RdfFormat.TURTLE)
    assert _triples(dataset) == {(EX.a, EX.p, EX.b)}


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        parse_file(tmp_path / "absent.ttl")


def test_directory_is_an_input_error(tmp_path: Path) -> None:
    folder = tmp_path / "data.ttl"
    folder.mkdir()
    with pytest.raises(InputError, match="directory"):
        parse_file(folder)


def test_unknown_extension_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "data.rdf"
    path.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    with pytest.raises(InputError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert all(ext in message for ext in (".ttl", ".trig", ".nt", ".nq"))


@pytest.mark.parametrize(("name", "expected"), [
    ("a.ttl", RdfFormat.TURTLE), ("a.trig", RdfFormat.TRIG), ("a.nt", RdfFormat.N_TRIPLES),
    ("a.nq", RdfFormat.N_QUADS), ("A.TTL", RdfFormat.TURTLE),
])
def test_format_for(name: str, expected: RdfFormat) -> None:
    assert format_for(Path(name)) == expected


def test_deeply_nested_blank_nodes_do_not_recurse() -> None:
    depth = 5000
    assert depth > sys.getrecursionlimit()
    text = ("@prefix : <http://example.org/> .\n:root :p "
            + "[ :p " * depth + ":leaf" + " ]" * depth + " .\n")
    dataset = parse_text(text, format=RdfFormat.TURTLE)
    triples = _triples(dataset)
    assert len(triples) == depth + 1
    assert sum(1 for s, p, o in triples if o == EX.leaf) == 1


def test_deeply_nested_collections_do_not_recurse() -> None:
    depth = 5000
    text = "<http://example.org/s> <http://example.org/p> " + "( " * depth + ")" * depth + " .\n"
    dataset = parse_text(text, format=RdfFormat.TURTLE)
    # the outer depth - 1 lists have one element each (rdf:first and rdf:rest); the innermost is rdf:nil
    assert len(_triples(dataset)) == 1 + 2 * (depth - 1)


def test_turtle_lands_in_the_default_graph() -> None:
    dataset = parse_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .",
                         format=RdfFormat.TURTLE)
    assert {q[3] for q in dataset.quads((None, None, None, None))} == {DATASET_DEFAULT_GRAPH_ID}
    assert dataset.default_union


def test_trig_named_graphs_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "graphs.trig"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:a ex:p ex:b .\n"
        "ex:g1 { ex:a ex:p ex:c . }\n"
        "GRAPH ex:g2 { ex:a ex:p ex:d . }\n"
        "_:g3 { ex:a ex:p ex:e . }\n",
        encoding="utf-8",
    )
    dataset = parse_file(path)
    by_graph = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        by_graph.setdefault(g, set()).add((s, p, o))
    assert by_graph[DATASET_DEFAULT_GRAPH_ID] == {(EX.a, EX.p, EX.b)}
    assert by_graph[EX.g1] == {(EX.a, EX.p, EX.c)}
    assert by_graph[EX.g2] == {(EX.a, EX.p, EX.d)}
    (blank,) = [g for g in by_graph if isinstance(g, BNode)]
    assert by_graph[blank] == {(EX.a, EX.p, EX.e)}
    assert len(dataset) == 4  # default_union: the dataset is the union of its graphs


def test_nquads_named_graphs_are_kept() -> None:
    dataset = parse_text("<http://example.org/a> <http://example.org/p> \"x\" <http://example.org/g> .\n",
                         format=RdfFormat.N_QUADS)
    assert (EX.a, EX.p, Literal("x"), EX.g) in set(dataset.quads((None, None, None, None)))


def test_named_graph_in_turtle_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text("@prefix ex: <http://example.org/> .\nex:g { ex:a ex:p ex:b . }\n",
                   format=RdfFormat.TURTLE)
    assert caught.value.line == 2


@pytest.mark.parametrize("text", [
    "<a> <http://example.org/p> <http://example.org/b> .",
    "@prefix ex: <relative/> .",
    "@base <relative/> .",
    "<#frag> <http://example.org/p> <http://example.org/b> .",
])
def test_relative_iri_without_base_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="relative IRI") as caught:
        parse_text(text, format=RdfFormat.TURTLE)
    assert caught.value.line == 1


def test_relative_iri_is_resolved_against_an_explicit_base() -> None:
    dataset = parse_text("<a> <p> <#b> .", format=RdfFormat.TURTLE, base_iri="http://example.org/doc")
    assert _triples(dataset) == {(EX.a, EX.p, URIRef("http://example.org/doc#b"))}


def test_invalid_base_iri_is_an_input_error() -> None:
    with pytest.raises(InputError, match="base IRI"):
        parse_text("", format=RdfFormat.TURTLE, base_iri="not-absolute")


def test_unsupported_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unsupported"):
        parse_text("{}", format=RdfFormat.JSON_LD)


def test_prefixes_are_bound_on_the_dataset() -> None:
    dataset = parse_text("@prefix ex: <http://example.org/> .\nPREFIX : <http://example.org/default#>\n"
                         "ex:a ex:p :b .", format=RdfFormat.TURTLE)
    bound = dict(dataset.namespace_manager.namespaces())
    assert bound["ex"] == URIRef("http://example.org/")
    assert bound[""] == URIRef("http://example.org/default#")


def test_literals_keep_their_lexical_form_and_language() -> None:
    dataset = parse_text(
        '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
        '<http://example.org/a> <http://example.org/p> "01"^^xsd:integer, "x"@en-GB, "y"^^xsd:string, "z" .',
        format=RdfFormat.TURTLE)
    objects = {o for s, p, o in _triples(dataset)}
    assert {(str(o), o.datatype, o.language) for o in objects} == {
        ("01", URIRef("http://www.w3.org/2001/XMLSchema#integer"), None),
        ("x", None, "en-gb"),  # BCP 47 tags are case-insensitive; pyoxigraph gives them lower-cased
        ("y", None, None),  # RDF 1.1: "y"^^xsd:string is the simple literal "y"
        ("z", None, None),
    }


def test_blank_node_labels_are_scoped_to_one_document() -> None:
    text = "_:x <http://example.org/p> <http://example.org/b> ."
    ((first, _, _),) = _triples(parse_text(text, format=RdfFormat.TURTLE))
    ((second, _, _),) = _triples(parse_text(text, format=RdfFormat.TURTLE))
    assert isinstance(first, BNode) and first != second


def test_parse_text_accepts_str_and_bytes_alike() -> None:
    text = "<http://example.org/a> <http://example.org/p> \"é\" ."
    from_str = parse_text(text, format=RdfFormat.N_TRIPLES)
    from_bytes = parse_text(text.encode("utf-8"), format=RdfFormat.N_TRIPLES)
    assert _triples(from_str) == _triples(from_bytes) == {(EX.a, EX.p, Literal("é"))}


@pytest.mark.parametrize("text", [
    '<http://example.org/a> <http://example.org/p> "x"@en--ltr .',
    "<http://example.org/a> <http://example.org/p> <<( <http://example.org/a> <http://example.org/p> <http://example.org/b> )>> .",
])
def test_rdf12_terms_rdflib_cannot_hold_are_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="RDF 1.2"):
        parse_text(text, format=RdfFormat.TURTLE)


def test_unpaired_surrogate_in_text_is_located() -> None:
    with pytest.raises(ParseError, match="surrogate") as caught:
        parse_text('<http://example.org/a> <http://example.org/p>\n  "\ud800" .', format=RdfFormat.TURTLE)
    assert (caught.value.line, caught.value.column) == (2, 4)


# -- read_quads: the same checks, pyoxigraph's quads for a store that takes them as they are --

@pytest.mark.parametrize("name", ["syntax_error.ttl", "not_utf8.ttl"])
def test_read_quads_reports_the_same_file_line_and_column_as_parse_file(name: str) -> None:
    from kg.parse import read_quads

    path = FIXTURES / "bad" / name
    with pytest.raises(ParseError) as by_rdflib:
        parse_file(path)
    with pytest.raises(ParseError) as by_quads:
        read_quads(path)
    assert str(by_quads.value) == str(by_rdflib.value)


@pytest.mark.parametrize("text", [
    '<http://example.org/a> <http://example.org/p> "x"@en--ltr .',
    "<http://example.org/a> <http://example.org/p> <<( <http://example.org/a> <http://example.org/p> <http://example.org/b> )>> .",
    "<a> <http://example.org/p> <http://example.org/b> .",
])
def test_read_quads_refuses_what_parse_file_refuses(text: str, tmp_path: Path) -> None:
    from kg.parse import read_quads

    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as by_rdflib:
        parse_file(path)
    with pytest.raises(ParseError) as by_quads:
        read_quads(path)
    assert str(by_quads.value) == str(by_rdflib.value)


def test_read_quads_gives_fresh_blank_nodes_per_file_and_accepts_a_byte_order_mark(
        tmp_path: Path) -> None:
    from kg.parse import read_quads

    path = tmp_path / "a.ttl"
    path.write_bytes(b"\xef\xbb\xbf_:b <http://example.org/p> _:b .")
    first, second = read_quads(path), read_quads(path)
    assert len(first) == 1 and first[0].subject == first[0].object
    assert first[0].subject != second[0].subject
