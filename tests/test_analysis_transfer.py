"""The projection's input as JSON (``kg.analysis.transfer``): what kg's server hands a
``kg.connect`` client in one request. Read back, it builds the very projection its
``Raw`` builds, node for node and edge for edge, in the same order; the same ``Raw`` is
the same bytes; anything else is refused with a message saying what is wrong, never
half read."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.analysis import snapshot, transfer
from kg.analysis.projection import VIEWS, Filters, build, raw_of
from kg.analysis.reading import Raw, read
from kg.synth import synth

from .conftest import seed_graph


def views(raw: Raw) -> list[Any]:
    return [(g.graph, list(g.nodes(data=True)), list(g.edges(keys=True, data=True)))
            for g in (build(raw, Filters(view=view)) for view in VIEWS)]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> kg.KnowledgeGraph:
    corpus = synth(articles=40, seed=3, out=tmp_path_factory.mktemp("synth") / "data")
    return kg.load(data=corpus.out, store="oxigraph")


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_the_seed_graphs_input_read_back_builds_the_same_projection(backend: str) -> None:
    raw = read(seed_graph(backend), full=True)
    body = transfer.dumps(raw)
    assert body[:2] == b"\x1f\x8b"  # gzip
    again = transfer.loads(body)
    assert views(again) == views(raw)
    assert transfer.dumps(again) == body  # the same Raw, the same bytes
    assert again.full_read and again.all_edges == raw.all_edges


def test_a_synthetic_corpus_with_restated_posts_and_inferred_dates_too(synthetic) -> None:
    raw = read(synthetic, full=True)
    assert raw.inferred and any(len(graphs) > 1 for graphs in raw.stated_in.values())
    assert views(transfer.loads(transfer.dumps(raw))) == views(raw)


def test_what_a_projection_file_holds_is_what_the_store_gives(tmp_path: Path) -> None:
    """(a server hands over the Raw of the file its workers read, not the store's again)"""
    graph = seed_graph("oxigraph")
    path = snapshot.save(graph, tmp_path / snapshot.FILE_NAME)
    assert views(snapshot.read_raw(path)) == views(read(graph, full=True))
    (tmp_path / "not-one").write_bytes(b"nothing of the kind")
    with pytest.raises(ValueError, match="not-one: not a kg projection file"):
        snapshot.read_raw(tmp_path / "not-one")


def _document(**changes: Any) -> bytes:
    document = json.loads(gzip.decompress(transfer.dumps(raw_of(seed_graph("oxigraph")))))
    for key, value in changes.items():
        if key == "format":
            document["format"] = value
        elif value is _DROP:
            del document["raw"][key]
        else:
            document["raw"][key] = value
    return json.dumps(document).encode()


_DROP = object()


@pytest.mark.parametrize(("body", "message"), [
    (lambda: b"<html>not found</html>", "not a projection input document: "),
    (lambda: b"\x1f\x8b\x08broken", "not a projection input document: "),
    (lambda: b"[1, 2]", "of format 'kg-projection-input/"),
    (lambda: _document(format="kg-projection-input/1"), "(format 'kg-projection-input/1')"),
    (lambda: _document(labels=_DROP), "missing ['labels'], unknown []"),
    (lambda: _document(spare=[]), "missing [], unknown ['spare']"),
    (lambda: _document(labels={"https://w3id.org/kg/id/x": 7}),
     "the projection input's 'labels' is not as kg writes it: 7 is not a string"),
    (lambda: _document(relationships=[["a", "b", "c"]]),
     "the projection input's 'relationships' is not as kg writes it: ['a', 'b', 'c'] is "
     "not a row of 5"),
    (lambda: _document(full_read="yes"), "'full_read' is not as kg writes it: 'yes' is not "
     "true or false"),
    (lambda: _document(articles={"https://w3id.org/kg/source/x": {"label": "x"}}),
     "'articles' is not as kg writes it: https://w3id.org/kg/source/x: not ['label', "
     "'publisher', 'publisher_label', 'issued']"),
], ids=["html", "broken-gzip", "a-list", "another-format", "a-field-missing",
        "a-field-unknown", "a-label-not-text", "a-short-row", "not-a-boolean",
        "an-article-without-its-fields"])
def test_a_document_that_is_not_as_kg_writes_it_is_refused_saying_what(body, message) -> None:
    with pytest.raises(ValueError) as refused:
        transfer.loads(body())
    assert message in str(refused.value)


def test_a_field_raw_gains_is_not_left_behind_silently() -> None:
    raw = Raw()
    raw.gained = {"x": 1}  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match=r"does not write \['gained'\]"):
        transfer.dumps(raw)
