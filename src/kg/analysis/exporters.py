"""Write a projection as GraphML, GEXF, Cytoscape.js JSON or CSV: one small writer each.

Every node and edge attribute of :mod:`.projection` is kept. Formats whose attributes are
scalars (GraphML, GEXF, CSV) carry lists and dicts -- ``sources`` with their quotes,
``dates``, ``alt_labels``, ``types``, ``categories`` -- as JSON text (``json.loads`` reads
them back) and ``None`` as an empty string; Cytoscape JSON keeps them as JSON values.
GraphML, GEXF and CSV edges also carry ``source_count``.

Every node and edge with a date also gets ``start`` and ``end`` (ISO days: the first day
its earliest start or date covers, the last day its end, or an event's date, covers), so
Gephi's timeline works on the GEXF file (its graph is then ``mode="dynamic"``).

CSV is two tables, ``nodes.csv`` (``id`` first) and ``edges.csv`` (``source``, ``target``,
``key`` first).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from enum import Enum
from typing import Any

import networkx as nx

from .timefilter import Span

__all__ = ["ExportFormat", "write", "cytoscape_elements", "scalar_graph"]


class ExportFormat(Enum):
    """The export formats: name, media type, file name extension."""

    GRAPHML = ("graphml", "application/graphml+xml", ".graphml")
    GEXF = ("gexf", "application/gexf+xml", ".gexf")
    CYTOSCAPE = ("cytoscape", "application/json", ".cyjs")
    CSV = ("csv", "text/csv", ".csv")

    def __init__(self, label: str, media_type: str, extension: str) -> None:
        self.label = label
        self.media_type = media_type
        self.extension = extension

    @classmethod
    def parse(cls, value: ExportFormat | str) -> ExportFormat:
        if isinstance(value, ExportFormat):
            return value
        for fmt in cls:
            if fmt.label == str(value).lower():
                return fmt
        from ..errors import ParameterError

        raise ParameterError(f"format must be one of {', '.join(f.label for f in cls)}, "
                             f"not {value!r}")


def _time_bounds(dates: list[dict[str, Any]], *, event: bool = False) -> dict[str, str]:
    starts, ends = [], []
    for d in dates:
        span = Span.parse(d["value"])
        if d["property"] in ("startDate", "date", "forYear", "asOf"):
            starts.append(span.start)
        if d["property"] == "endDate" or d["property"] == "forYear" or (
                event and d["property"] == "date"):
            ends.append(span.end)
    bounds = {}
    if starts:
        bounds["start"] = min(starts).isoformat()
    if ends:
        bounds["end"] = max(ends).isoformat()
    return bounds


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def scalar_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes are all scalars (JSON text for lists and dicts),
    with ``start`` / ``end`` where dates are known."""
    flat = nx.MultiDiGraph()
    flat.graph.update({k: _scalar(v) for k, v in graph.graph.items()})
    for node, data in graph.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in data.items()}
        attrs.update(_time_bounds(data.get("dates", []), event="Event" in data.get(
            "categories", [])))
        flat.add_node(node, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _scalar(v) for k, v in data.items()}
        attrs["source_count"] = len(data.get("sources", []))
        attrs.update(_time_bounds(data.get("dates", [])))
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def _graphml(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    out = io.BytesIO()
    nx.write_graphml(scalar_graph(graph), out, encoding="utf-8", prettyprint=True)
    return {"graph.graphml": out.getvalue()}


def _gexf(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    flat = scalar_graph(graph)
    for _u, _v, key, data in flat.edges(keys=True, data=True):
        data["id"] = key
    out = io.BytesIO()
    nx.write_gexf(flat, out, encoding="utf-8", prettyprint=True)
    return {"graph.gexf": out.getvalue()}


def cytoscape_elements(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Cytoscape.js elements JSON: ``{"elements": {"nodes": [{"data"}], "edges": [...]}}``."""
    nodes = [{"data": dict(data, id=node)} for node, data in graph.nodes(data=True)]
    edges = []
    for index, (u, v, key, data) in enumerate(graph.edges(keys=True, data=True)):
        edges.append({"data": dict(data, id=f"e{index}", key=key, source=u, target=v)})
    return {"elements": {"nodes": nodes, "edges": edges}}


def _cytoscape(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    return {"graph.cyjs": json.dumps(cytoscape_elements(graph), ensure_ascii=False,
                                     indent=1).encode("utf-8")}


def _csv_table(rows: list[dict[str, Any]], first: list[str]) -> bytes:
    columns = list(first)
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _scalar(row.get(k)) for k in columns})
    return out.getvalue().encode("utf-8")


def _csv(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    flat = scalar_graph(graph)
    nodes = [dict(data, id=node) for node, data in flat.nodes(data=True)]
    edges = [dict(data, source=u, target=v, key=key)
             for u, v, key, data in flat.edges(keys=True, data=True)]
    return {"nodes.csv": _csv_table(nodes, ["id"]),
            "edges.csv": _csv_table(edges, ["source", "target", "key"])}


_WRITERS: dict[ExportFormat, Callable[[nx.MultiDiGraph], dict[str, bytes]]] = {
    ExportFormat.GRAPHML: _graphml,
    ExportFormat.GEXF: _gexf,
    ExportFormat.CYTOSCAPE: _cytoscape,
    ExportFormat.CSV: _csv,
}


def write(graph: nx.MultiDiGraph, format: ExportFormat | str) -> dict[str, bytes]:
    """The files of ``graph`` in ``format``: file name -> bytes (CSV gives two files)."""
    return _WRITERS[ExportFormat.parse(format)](graph)
