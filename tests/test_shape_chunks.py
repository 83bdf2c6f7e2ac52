"""kg.shape_chunks: rudof validates the data in chunks of focus nodes with their
neighbourhoods, and finds exactly what it finds on the whole graph."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import kg
from kg.asserted import Asserted
from kg.shacl_sparql import split_sparql_rules
from kg.shape_chunks import MARKERS, chunks, local, retarget
from kg.synth import VIOLATION_KINDS, synth
from kg.validate import load_shapes


def _needs_rudof() -> None:
    from kg.rudof_engine import available

    if not available():
        if os.environ.get("CI") == "true":
            pytest.fail("pyrudof is not installed (pip install '.[test]' installs it)")
        pytest.skip("pyrudof is not installed")


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirty synthetic articles with every kind of injected mistake, twice over."""
    return synth(articles=30, seed=5, out=tmp_path_factory.mktemp("chunks") / "data",
                 violations=2 * len(VIOLATION_KINDS)).out


@pytest.fixture(scope="module")
def written(bad_corpus: Path) -> tuple[bytes, Graph]:
    graph = kg.load(data=bad_corpus, entail=False)
    core, _rules = split_sparql_rules(load_shapes(graph.bundle.shapes))
    return Asserted(graph, with_ontology=True).ntriples(), core


def test_kgs_shapes_are_local(written: tuple[bytes, Graph]) -> None:
    assert local(written[1])


def test_every_node_is_the_focus_of_exactly_one_chunk(written: tuple[bytes, Graph]) -> None:
    data, core = written
    parts = list(chunks(data, core, size=300))
    assert len(parts) > 5
    subjects = {line.split(b" ", 1)[0].decode() for line in data.splitlines() if line}
    focus = [node for _, keep in parts for node in keep or ()]
    assert len(focus) == len(set(focus))
    assert subjects <= set(focus)


def test_data_no_larger_than_a_chunk_is_one_chunk_with_every_result_kept(
        written: tuple[bytes, Graph]) -> None:
    data, core = written
    assert list(chunks(data, core, size=10**9)) == [(data, None)]


def test_shapes_that_read_farther_than_the_neighbourhood_are_not_chunked(
        written: tuple[bytes, Graph]) -> None:
    data, core = written
    farther = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> sh:targetClass <urn:c> ; sh:property [ sh:path <urn:p> ; sh:node <urn:t> ] .
        """, format="turtle")
    nested = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> sh:targetClass <urn:c> ;
            sh:property [ sh:path <urn:p> ; sh:or ( [ sh:path <urn:q> ; sh:minCount 1 ] ) ] .
        """, format="turtle")
    for shapes in (core + farther, core + nested):
        assert not local(shapes)
        assert list(chunks(data, shapes, size=300)) == [(data, None)]


def test_a_literal_focus_node_keeps_the_data_whole(
        written: tuple[bytes, Graph]) -> None:
    data, core = written
    odd = data + b'<urn:a> <https://w3id.org/kg/ontology#forProject> "a literal" .\n'
    assert list(chunks(odd, core, size=300)) == [(odd, None)]
    literal_target = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> sh:targetNode "a literal" ; sh:datatype <urn:d> .""", format="turtle")
    assert list(chunks(data, core + literal_target, size=300)) == [(data, None)]


def test_rudof_finds_the_same_results_in_chunks_as_on_the_whole_graph(
        written: tuple[bytes, Graph]) -> None:
    _needs_rudof()
    from kg.rudof_engine import run_rudof

    data, core = written
    whole = sorted(run_rudof([(data, None)], core))
    assert whole  # the injected mistakes include core shapes' violations
    assert sorted(run_rudof(chunks(data, core, size=300), core, workers=2)) == whole
    assert sorted(run_rudof(chunks(data, core, size=1000), core)) == whole


def test_a_chunked_validation_reports_what_a_whole_graph_validation_reports(
        bad_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _needs_rudof()
    module = sys.modules["kg.validate"]
    monkeypatch.setattr(module, "CHUNK_STATEMENTS", 10**9)
    whole = kg.validate(data=bad_corpus).to_dict()
    monkeypatch.setattr(module, "CHUNK_STATEMENTS", 300)
    assert kg.validate(data=bad_corpus).to_dict() == whole
    assert not whole["conforms"]
    assert {r["rule"] for r in whole["results"]} >= {rule for _, rule in VIOLATION_KINDS}


def test_rudof_validates_each_part_alone_with_the_shapes_read_once(
        written: tuple[bytes, Graph], monkeypatch: pytest.MonkeyPatch) -> None:
    _needs_rudof()
    import pyrudof

    from kg import rudof_engine

    data, core = written
    parts = list(chunks(data, core, size=300))
    fresh = [sorted(rudof_engine.run_rudof([part], core)) for part in parts]
    assert any(fresh) and not all(fresh)  # some parts have results, others none
    reads: list[int] = []
    read_shacl = pyrudof.Rudof.read_shacl
    monkeypatch.setattr(pyrudof.Rudof, "read_shacl",
                        lambda self, *a, **k: reads.append(1) or read_shacl(self, *a, **k))
    # one engine, one part after another: nothing of a part is left for the next one
    assert sorted(rudof_engine.run_rudof(parts, core)) == sorted(e for f in fresh for e in f)
    assert len(reads) == 1
    reads.clear()
    assert sorted(rudof_engine.run_rudof(parts, core, workers=2)) == sorted(
        e for f in fresh for e in f)
    assert 1 <= len(reads) <= 2  # once in each thread


def test_retargeted_shapes_target_each_class_through_its_marker(
        written: tuple[bytes, Graph]) -> None:
    from rdflib.namespace import SH

    _data, core = written
    retargeted = retarget(core)
    assert retargeted is not None
    assert not set(retargeted.shapes.objects(None, SH.targetClass))
    for shape, cls in core.subject_objects(SH.targetClass):
        marker = retargeted.markers[f"<{cls}>"]
        assert (shape, SH.targetSubjectsOf, URIRef(marker[1:-1])) in retargeted.shapes
    assert len(retargeted.shapes) == len(core)


def test_shapes_that_could_read_a_marker_are_not_retargeted(
        written: tuple[bytes, Graph]) -> None:
    _data, core = written
    closed = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> sh:targetClass <urn:c> ; sh:closed true .""", format="turtle")
    implicit = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:c> a sh:NodeShape, rdfs:Class ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .
        """, format="turtle")
    untargeted = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> sh:targetSubjectsOf <urn:p> ; sh:property [ sh:path <urn:p> ; sh:minCount 2 ] .
        """, format="turtle")
    assert retarget(core + closed) is None
    assert retarget(core + implicit) is None
    assert retarget(untargeted) is None


def test_a_chunk_marks_its_own_focus_nodes_by_class_and_superclass_not_their_values(
        written: tuple[bytes, Graph]) -> None:
    data, core = written
    retargeted = retarget(core)
    assert retargeted is not None
    plain = list(chunks(data, core, size=300))
    marked = list(chunks(data, core, size=300, retargeted=retargeted))
    assert [keep for _, keep in marked] == [keep for _, keep in plain]
    person = retargeted.markers["<https://w3id.org/kg/ontology#Person>"]
    organization = retargeted.markers["<https://w3id.org/kg/ontology#Organization>"]
    state = "<https://w3id.org/kg/ontology#State>"  # a subclass of kg:Organization
    for (text, keep), (before, _) in zip(marked, plain):
        assert text.startswith(before)
        lines = text[len(before):].decode().splitlines()
        assert all(line.split(" ")[1].startswith(f"<{MARKERS}") for line in lines)
        marks = {(line.split(" ")[0], line.split(" ")[1]) for line in lines}
        assert {node for node, _ in marks} <= set(keep or ())
        typed = {(s, o) for s, p, o in (line.split(" ", 2) for line in
                                        before.decode().splitlines() if " " in line)
                 if p == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"}
        for node in keep or ():
            if (node, "<https://w3id.org/kg/ontology#Person> .") in typed:
                assert (node, person) in marks
            if (node, f"{state} .") in typed:
                assert (node, organization) in marks
    assert any(person in text.decode() for text, _ in marked)
    assert any(organization in text.decode() and state in text.decode() for text, _ in marked)


def test_rudof_finds_the_same_results_on_retargeted_chunks(
        written: tuple[bytes, Graph]) -> None:
    _needs_rudof()
    from kg.rudof_engine import run_rudof

    data, core = written
    retargeted = retarget(core)
    assert retargeted is not None
    whole = sorted(run_rudof([(data, None)], core))
    assert whole
    for size in (300, 10**9):  # in chunks, and whole (every subject marked)
        found = sorted(run_rudof(chunks(data, core, size=size, retargeted=retargeted),
                                 retargeted.shapes, workers=2))
        assert found == whole
        assert not any(MARKERS in str(part) for entry in found for part in entry)


def test_an_engine_judges_each_text_alone_an_empty_one_included() -> None:
    _needs_rudof()
    from kg.rudof_engine import _Engine

    shapes = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetNode <urn:n> ;
            sh:property [ sh:path <urn:q> ; sh:minCount 1 ] .""", format="turtle")
    engine = _Engine(shapes.serialize(format="nt"))
    missing = engine.entries(b"", None)
    assert [(focus, component.rsplit("#", 1)[-1]) for focus, _s, component, *_ in missing] == [
        ("urn:n", "MinCountConstraintComponent")]
    assert engine.entries(b'<urn:n> <urn:q> "x" .\n', None) == []
    assert engine.entries(b"", None) == missing  # the statement before is gone
