"""The timeline: dated facts, relationships and publications in date order.

Each row is one date of one thing: a node's date (an event, an agreement, a project's end),
a relationship edge's date (a signature, a designation, a membership's start), or an
article's issue date. The date keeps its precision (``"2024-11"``, ``"1991"``) and says
whether it was inferred. Rows are ordered by the first day the date covers, then by
precision (a day before the month and the year that contain it), then by label.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import networkx as nx

from .model import Table
from .projection import local_name
from .reading import Raw
from .timefilter import Span

__all__ = ["timeline_table", "COLUMNS"]

COLUMNS = ["date", "precision", "inferred", "note", "property", "item", "label", "kind",
           "entities", "sources"]
_ORDER = {"day": 0, "month": 1, "year": 2}


def _rows_for(item: str, label: str, kind: str, dates: list[dict[str, Any]],
              entities: list[str]) -> list[dict[str, Any]]:
    return [{"date": d["value"], "precision": d["precision"], "inferred": d["inferred"],
             "note": d["note"], "property": d["property"], "item": item, "label": label,
             "kind": kind, "entities": entities, "sources": d["sources"]} for d in dates]


def _issue_notes(raw: Raw) -> dict[str, str]:
    """Each article whose issue date is inferred -> the note that says how (the first one
    read). Looked up per article, it was a pass over every inferred value for each: 34 of
    the 36 s of the timeline of 10,000 articles, past the server's time limit."""
    notes: dict[str, str] = {}
    for (node, prop, _graph), note in raw.inferred.items():
        if local_name(prop) == "issued":
            notes.setdefault(node, note)
    return notes


#: projection -> {entity (None: every one): its rows in date order, and their spans}; a
#: projection is shared and never changed, so its rows are made once (the explorer asks
#: for the whole timeline's years at every load: 1.1 s at 10,000 articles each time)
_Ordered = tuple[list[dict[str, Any]], list[Span]]
_tables: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[str | None, _Ordered]] = (
    weakref.WeakKeyDictionary())
_tables_lock = threading.Lock()


def timeline_table(graph: nx.MultiDiGraph, raw: Raw, *, entity: str | None = None,
                   start: Span | None = None, end: Span | None = None,
                   kept_articles: set[str] | None = None) -> Table:
    """Every dated thing of the projection ``graph`` (touching ``entity``, if given) whose
    date lies within ``start`` .. ``end`` (a year is not "in October"), in date order.
    ``kept_articles``: the articles the filters that made ``graph`` keep (their issue
    dates are rows). The rows are shared between calls on one projection: read them,
    never change them."""
    with _tables_lock:
        made = _tables.setdefault(graph, {})
        if entity not in made:
            made[entity] = _ordered(graph, raw, entity, kept_articles)
    rows, spans = made[entity]
    lower = start.start if start is not None else None
    upper = end.end if end is not None else None
    kept = [row for row, span in zip(rows, spans)
            if (lower is None or span.start >= lower) and (upper is None or span.end <= upper)]
    return Table("timeline", COLUMNS, kept)


def _ordered(graph: nx.MultiDiGraph, raw: Raw, entity: str | None,
             kept_articles: set[str] | None) -> _Ordered:
    """The rows of :func:`timeline_table` at any date, in date order, with their spans.
    About ``entity``: its own dates, its neighbours' and those of its relationships."""
    rows: list[dict[str, Any]] = []
    near = (None if entity is None
            else {entity, *graph.predecessors(entity), *graph.successors(entity)})
    for node, data in graph.nodes(data=True):
        if near is not None and node not in near:
            continue
        neighbours = set(graph.predecessors(node)) | set(graph.successors(node))
        rows += _rows_for(node, data["label"], data["kind"], data["dates"],
                          sorted(neighbours))
    for u, v, key, data in graph.edges(keys=True, data=True):
        if data["kind"] != "relationship" or (entity is not None and entity not in (u, v)):
            continue
        label = f"{graph.nodes[u]['label']} --{data['label']}--> {graph.nodes[v]['label']}"
        rows += _rows_for(key, label, local_name(data["predicate"]), data["dates"], [u, v])
    notes = _issue_notes(raw) if entity is None else {}
    for article, meta in raw.articles.items():
        if entity is not None or not meta["issued"]:
            continue
        if kept_articles is not None and article not in kept_articles:
            continue
        span = Span.parse(meta["issued"])
        note = notes.get(article)
        rows.append({"date": str(span), "precision": span.precision,
                     "inferred": note is not None, "note": note or None,
                     "property": "issued", "item": article,
                     "label": f"published: {meta['label']}", "kind": "NewsArticle",
                     "entities": [], "sources": [article]})
    spans = [Span.parse(row["date"]) for row in rows]
    order = sorted(range(len(rows)), key=lambda i: (spans[i].start, _ORDER[rows[i]["precision"]],
                                                    rows[i]["label"], rows[i]["item"]))
    return [rows[i] for i in order], [spans[i] for i in order]
