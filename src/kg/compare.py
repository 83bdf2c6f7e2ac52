"""Two projections side by side: which edges one has and the other lacks, each cited.

For the two kinds of time of :func:`kg.project`: the graph *as of* 2006 beside 2024 (valid
time), or what had been *reported by* June 2024 beside October 2024 (knowledge time). An
edge is the same edge in both when its ends and its key (the relationship's IRI) are the
same; :func:`edge_changes` lists the edges only one of them has, and those whose validity
or dates differ between them, one row per article that states the edge, with the
article's words. :func:`kg.plots.side_by_side` draws the two.

>>> import kg
>>> changes = edge_changes(kg.project(reported_by="2024-06-01"),
...                        kg.project(reported_by="2024-10-31"))
>>> row = changes.to_df().query("label == 'for project'").iloc[0]
>>> row["change"], row["to"], row["issued"]
('added', 'Project supporting displaced girls and orphanages in Burkina Faso', '2024-10-15')
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from .analysis.model import Table, dates_text

__all__ = ["COLUMNS", "edge_changes"]

#: the columns of :func:`edge_changes`
COLUMNS = ["change", "from", "label", "to", "dates", "validity", "article", "issued",
           "quote"]


def _rows(change: str, graph: nx.MultiDiGraph, edge: tuple[str, str, str],
          ) -> list[dict[str, Any]]:
    u, v, _ = edge
    data = graph.edges[edge]
    common = {"change": change, "from": graph.nodes[u]["label"], "label": data["label"],
              "to": graph.nodes[v]["label"], "dates": dates_text(data["dates"], data["sources"]),
              "validity": data["validity"]}
    citations = [{"article": s["article"], "issued": s.get("issued"),
                  "quote": (s.get("quotes") or [""])[0]} for s in data["sources"]]
    return [{**common, **citation} for citation in citations or [{}]]


def edge_changes(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> Table:
    """The edges of ``after`` that ``before`` lacks (``added``), those of ``before`` that
    ``after`` lacks (``removed``), and those in both whose validity or dates differ
    (``changed``, cited as ``after`` has them): one row per citing article, sorted by
    change, then by the edge's labels."""
    old, new = set(before.edges(keys=True)), set(after.edges(keys=True))
    rows: list[dict[str, Any]] = []
    for edge in new - old:
        rows += _rows("added", after, edge)
    for edge in old - new:
        rows += _rows("removed", before, edge)
    for edge in old & new:
        a, b = before.edges[edge], after.edges[edge]
        if (a["validity"], a["dates"]) != (b["validity"], b["dates"]):
            rows += _rows("changed", after, edge)
    order = {"added": 0, "removed": 1, "changed": 2}
    rows.sort(key=lambda r: (order[r["change"]], r["from"], r["label"], r["to"],
                             r.get("article") or ""))
    return Table(name="edge changes", columns=COLUMNS,
                 rows=[{c: r.get(c) for c in COLUMNS} for r in rows])
