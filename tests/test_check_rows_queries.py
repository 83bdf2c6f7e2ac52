"""The check queries of kg.check_rows (``src/kg/sparql/*.rq``) give the same rows in
Oxigraph as rdflib's own SPARQL engine gives, on data that has what they look for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode

import kg
from kg.asserted import internal_rows

from .conftest import DATA

#: a graph with nodes described without a quote there (one a blank node), without a type,
#: and a node quoted in one graph but described in another
EXTRA = """
<https://example.org/a1> {
  <https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .
  <https://example.org/y> a <https://w3id.org/kg/ontology#Person> .
  <https://example.org/z> <https://w3id.org/kg/ontology#quote> "q" .
  _:b <http://www.w3.org/2000/01/rdf-schema#label> "b"@en .
}
<https://example.org/a2> {
  <https://example.org/z> <http://www.w3.org/2000/01/rdf-schema#label> "z"@en .
  <https://example.org/y> <https://w3id.org/kg/ontology#quote> "q" .
}
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("checks") / "data"
    shutil.copytree(DATA, folder)
    (folder / "zz-extra.trig").write_text(EXTRA, encoding="utf-8")
    return folder


def _rows(data: Path, store: str, name: str) -> list[tuple[str, ...]]:
    graph = kg.load(data=data, entail=False, store=store)
    return sorted(tuple("_:" if isinstance(v, BNode) else str(v) for v in row)
                  for row in internal_rows(graph, name))


@pytest.mark.parametrize("name", ["untyped", "unquoted"])
def test_a_check_query_finds_the_same_rows_in_oxigraph_as_in_rdflib(data: Path,
                                                                   name: str) -> None:
    oxigraph = _rows(data, "oxigraph", name)
    assert oxigraph == _rows(data, "rdflib", name)
    expected = {
        "untyped": [("https://example.org/x",), ("https://example.org/z",)],
        "unquoted": [("https://example.org/a1", "_:"), ("https://example.org/a1",
                                                        "https://example.org/x"),
                     ("https://example.org/a1", "https://example.org/y"),
                     ("https://example.org/a2", "https://example.org/z")]}[name]
    assert [row for row in oxigraph if "example.org" in row[0]] == expected
