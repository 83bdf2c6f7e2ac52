"""Exports, each read back with nodes, edges, sources and quotes intact."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx

import kg
from kg.analysis.exporters import write

KGR = "https://w3id.org/kg/id/"
POST = KGR + "post-leyla-aliyeva-haf-vice-president"


def _check(read_back, original) -> None:
    assert read_back.number_of_nodes() == original.number_of_nodes()
    assert read_back.number_of_edges() == original.number_of_edges()


def test_graphml_reads_back_with_sources(graph) -> None:
    g = kg.project(graph=graph)
    back = nx.read_graphml(io.BytesIO(write(g, "graphml")["graph.graphml"]))
    _check(back, g)
    data = back.get_edge_data(KGR + "leyla-aliyeva", KGR + "heydar-aliyev-foundation")[POST]
    assert json.loads(data["sources"])[0]["quotes"] == [
        "Vice President of the Heydar Aliyev Foundation Leyla Aliyeva"]
    assert back.nodes[KGR + "icesco"]["label"] == "ICESCO"


def test_gexf_reads_back_with_start_and_end(graph) -> None:
    g = kg.project(graph=graph)
    text = write(g, "gexf")["graph.gexf"]
    assert b'mode="dynamic"' in text
    back = nx.read_gexf(io.BytesIO(text))
    _check(back, g)
    member = next(d for u, v, d in back.edges(data=True)
                  if u == KGR + "azerbaijan" and v == KGR + "icesco")
    assert member["start"] == "1991-01-01"
    assert len(json.loads(member["sources"])) == 2


def test_cytoscape_elements(graph) -> None:
    g = kg.project(graph=graph)
    doc = json.loads(write(g, "cytoscape")["graph.cyjs"])
    assert len(doc["elements"]["nodes"]) == g.number_of_nodes()
    edge = next(e["data"] for e in doc["elements"]["edges"] if e["data"]["key"] == POST)
    assert edge["sources"][0]["article"].endswith("001_9e02c3f3c2711bf1")


def test_csv_nodes_and_edges(graph) -> None:
    g = kg.project(graph=graph)
    files = write(g, "csv")
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"].decode())))
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"].decode())))
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    row = next(e for e in edges if e["key"] == POST)
    assert json.loads(row["sources"])[0]["quotes"]
