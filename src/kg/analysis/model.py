"""The small typed results of the analysis, each with ``.to_json()`` and ``.to_df()``.

They hold plain values only (strings, numbers, lists, dicts), so they pickle across the
bounded worker and serialize to JSON as they are. An edge, wherever it appears, is a dict
with ``source``, ``target``, ``key``, ``label``, ``kind``, ``predicate``, ``relationship``,
``dates``, ``sources`` (article, label, publisher, issued, quotes), ``validity``,
``contradiction`` and ``inferred`` (see :mod:`.projection`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..wording import counted

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for (a server never)
    import pandas as pd

__all__ = ["Match", "Matches", "Hop", "Path", "Paths", "Neighbourhood", "Table", "Entity",
           "edge_record", "hop_text", "dates_text"]


def _df(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def dates_text(dates: list[dict[str, Any]], sources: list[dict[str, Any]] = ()) -> str:
    """An edge's dates in a line: ``property value``, an inferred one marked, and, where
    the edge's ``sources`` (dicts with ``article``, ``publisher_label``, ``issued``) do not
    all give a value, the articles that give it (two sources that disagree: which says
    what).

    >>> said = [{"article": "https://w3id.org/kg/source/a", "publisher_label": "Trend",
    ...          "issued": "2024-05-11"}, {"article": "https://w3id.org/kg/source/b"}]
    >>> dates_text([{"property": "startDate", "value": "1991", "inferred": False,
    ...              "sources": ["https://w3id.org/kg/source/a"]},
    ...             {"property": "startDate", "value": "1992", "inferred": True,
    ...              "sources": ["https://w3id.org/kg/source/b"]}], said)
    'startDate 1991 (according to Trend 2024-05-11), startDate 1992 (inferred; according to b)'
    """
    from .reading import local_name

    names = {s["article"]: f"{s.get('publisher_label') or ''} {s.get('issued') or ''}".strip()
             or local_name(s["article"]) for s in sources}
    texts = []
    for d in dates:
        notes = ["inferred"] if d.get("inferred") else []
        given = d.get("sources") or []
        if len(names) > 1 and given and set(given) < set(names):
            notes.append("according to " + ", ".join(names[g] for g in given))
        texts.append(f"{d['property']} {d['value']}"
                     + (f" ({'; '.join(notes)})" if notes else ""))
    return ", ".join(texts)


def edge_record(graph: Any, u: str, v: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """One projected edge as a plain dict."""
    return {"source": u, "target": v, "source_label": graph.nodes[u]["label"],
            "target_label": graph.nodes[v]["label"], "key": key, "label": data["label"],
            "kind": data["kind"], "predicate": data["predicate"],
            "relationship": data["relationship"], "dates": data["dates"],
            "sources": data["sources"], "validity": data["validity"],
            "contradiction": data["contradiction"], "inferred": data["inferred"]}


@dataclass
class Match:
    """One entity found by :func:`kg.search`."""

    iri: str
    label: str
    kind: str
    score: float
    #: the name (label or alternative label) that matched best
    matched: str


@dataclass
class Matches:
    """The entities a search found, best first."""

    query: str
    items: list[Match] = field(default_factory=list)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Match:
        return self.items[index]

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "count": len(self.items),
                "results": [asdict(m) for m in self.items]}

    def to_df(self) -> pd.DataFrame:
        return _df([asdict(m) for m in self.items], ["iri", "label", "kind", "score", "matched"])

    def _repr_html_(self) -> str:
        from ..display import table_html

        return table_html(["label", "kind", "matched", "score", "iri"],
                          [asdict(m) for m in self.items], caption=f"search: {self.query}")


@dataclass
class Hop:
    """One step of a path: from ``source`` to ``target`` by one or more parallel edges;
    ``forward`` is False when the edges point from target to source."""

    source: str
    source_label: str
    target: str
    target_label: str
    edges: list[dict[str, Any]]

    @property
    def sources(self) -> list[str]:
        return sorted({s["article"] for e in self.edges for s in e["sources"]})


def absent_text(absent: list[dict[str, Any]]) -> str:
    """Why there is no path when the filters leave ``absent`` ends (:attr:`Paths.absent`),
    or no neighbourhood when they leave its center (:attr:`Neighbourhood.absent`)
    out of the graph, in words (with when each was first reported, when known).

    >>> absent_text([{"iri": "x", "label": "Green Foundation of Kuwait",
    ...               "first_reported": "2031-02-16"}])
    'Green Foundation of Kuwait (first reported on 2031-02-16) is not in the graph with these filters'
    """
    names = " and ".join(end["label"] + _first_reported(end) for end in absent)
    return f"{names} {'is' if len(absent) == 1 else 'are'} not in the graph with these filters"


def _first_reported(end: dict[str, Any]) -> str:
    if "first_reported" not in end:
        return ""
    return (f" (first reported on {end['first_reported']})" if end["first_reported"]
            else " (reported by no article)")


def no_path_text(found: dict[str, Any], *, option: str = "max_hops") -> str:
    """Why ``found`` (:meth:`Paths.to_json`) holds no path, in words: an end the filters
    leave out, the two ends not connected at all, or connected by more hops than were
    looked for (and then the ``option`` that finds the path: ``--max-hops`` on the
    command line).

    >>> no_path_text({"absent": [], "max_hops": 4, "fewest_hops": 6})
    'no path of at most 4 hops: the shortest connection has 6 hops (max_hops 6 finds it)'
    >>> no_path_text({"absent": [], "max_hops": 4, "fewest_hops": None})
    'no path: nothing connects them in this graph, however many hops'
    """
    if found["absent"]:
        return absent_text(found["absent"])
    fewest = found["fewest_hops"]
    if fewest is None:
        return "no path: nothing connects them in this graph, however many hops"
    return (f"no path of at most {counted(found['max_hops'], 'hop')}: the shortest "
            f"connection has {fewest} hops ({option} {fewest} finds it)")


def hop_text(hop: dict[str, Any]) -> str:
    """``A --label--> B`` (or ``A <--label-- B``) for the first edge of a hop."""
    edge = hop["edges"][0]
    forward = edge["source"] == hop["source"]
    label = " / ".join(dict.fromkeys(e["label"] for e in hop["edges"]))
    arrow = f"--{label}-->" if forward else f"<--{label}--"
    return f"{hop['source_label']} {arrow} {hop['target_label']}"


@dataclass
class Path:
    """A chain of hops between two entities, with what ranks it."""

    nodes: list[str]
    labels: list[str]
    hops: list[dict[str, Any]]
    #: distinct (hop, article) citations along the path
    sources: int
    #: inferred dates along the path
    inferred: int

    @property
    def length(self) -> int:
        return len(self.hops)


@dataclass
class Paths:
    """Paths from ``start`` to ``end``: fewer hops first, then more sources, then fewer
    inferred dates."""

    start: str
    end: str
    items: list[Path] = field(default_factory=list)
    #: the ends (``{"iri", "label"}``) not in the graph with the filters asked for (none
    #: of its facts held then, was reported by then, or is stated by that article): why
    #: there is no path, rather than no link within the hops (:func:`absent_text`)
    absent: list[dict[str, str]] = field(default_factory=list)
    #: the longest path looked for
    max_hops: int = 4
    #: the hops of the shortest connection between the ends in this graph, however long
    #: (``None``: none connects them): when it is over ``max_hops``, why there is no path,
    #: and the ``max_hops`` that finds one (:func:`no_path_text`)
    fewest_hops: int | None = None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Path:
        return self.items[index]

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "count": len(self.items),
                "paths": [dict(asdict(p), length=p.length) for p in self.items],
                "absent": self.absent, "max_hops": self.max_hops,
                "fewest_hops": self.fewest_hops}

    def to_df(self) -> pd.DataFrame:
        """One row per hop: path, step, the hop's ends and label, and each source with its
        quotes ("|"-separated)."""
        rows = []
        for number, path in enumerate(self.items, 1):
            for step, hop in enumerate(path.hops, 1):
                for edge in hop["edges"]:
                    for source in edge["sources"] or [{}]:
                        rows.append({
                            "path": number, "step": step, "from": hop["source_label"],
                            "label": edge["label"], "to": hop["target_label"],
                            "dates": dates_text(edge["dates"], edge["sources"]),
                            "article": source.get("article"),
                            "quotes": " | ".join(source.get("quotes", []))})
        return _df(rows, ["path", "step", "from", "label", "to", "dates", "article", "quotes"])

    def _repr_html_(self) -> str:
        from ..display import paths_html

        return paths_html(self)


@dataclass
class Neighbourhood:
    """The entities within ``radius`` hops of ``center``, and the edges among them."""

    center: str
    radius: int
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    #: how many entities the radius reaches: more than ``nodes`` when they were cut at
    #: ``max_nodes`` (the nearest, most connected kept)
    reached: int = 0
    #: the center, when the filters leave it out of the graph: why there are no nodes
    #: (as :attr:`Paths.absent` names an end; :func:`absent_text`)
    absent: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def to_df(self) -> pd.DataFrame:
        """One row per node: its IRI, label, kind and distance from the center."""
        return _df([{k: n[k] for k in ("iri", "label", "kind", "distance")} for n in self.nodes],
                   ["iri", "label", "kind", "distance"])

    def _repr_html_(self) -> str:
        from ..display import table_html

        if self.absent:
            return table_html(["label", "kind", "distance", "iri"], [],
                              caption=absent_text(self.absent))
        shown = (f"{len(self.nodes)} of {self.reached} entities (the nearest, most connected "
                 f"first)" if self.reached > len(self.nodes) else f"{len(self.nodes)} entities")
        return table_html(["label", "kind", "distance", "iri"], self.nodes,
                          caption=f"within {self.radius} hop(s): {shown}, "
                                  f"{len(self.edges)} edges")


@dataclass
class Table:
    """A list of records (centralities, communities, the timeline...)."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: how many rows there are in all, when ``rows`` are the first of them (:meth:`cut`)
    total: int | None = None

    def cut(self, limit: int | None) -> Table:
        """The first ``limit`` rows (every one: None), ``total`` saying how many there are
        in all."""
        if limit is None:
            return self
        return Table(self.name, self.columns, self.rows[:limit],
                     total=len(self.rows) if self.total is None else self.total)

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.rows[index]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "columns": self.columns, "count": len(self.rows),
                "total": len(self.rows) if self.total is None else self.total,
                "rows": self.rows}

    def to_df(self) -> pd.DataFrame:
        return _df([{c: r.get(c) for c in self.columns} for r in self.rows], self.columns)

    def _repr_html_(self) -> str:
        from ..display import table_html, timeline_html

        if self.name == "timeline":
            return timeline_html(self)
        return table_html(self.columns, self.rows, caption=self.name)


@dataclass
class Entity:
    """Everything the graph says about one entity: ``entity`` (its IRI, label, kind, types,
    alternative labels), ``sources`` (each article's statements about it, its words about
    it, and the facts it takes part in with their quotes), ``shared`` (statements in the
    entities and vocabulary graphs)."""

    entity: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    shared: list[dict[str, Any]] = field(default_factory=list)

    @property
    def iri(self) -> str:
        return str(self.entity["iri"])

    @property
    def label(self) -> str:
        return str(self.entity["label"])

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity, "sources": self.sources, "shared": self.shared}

    def to_df(self) -> pd.DataFrame:
        """One row per statement: the graph (article or shared graph) that holds it, its
        direction, property and value; the article's date and label where it is one."""
        rows = []
        for source in self.sources:
            for s in source["statements"]:
                rows.append({"graph": source["article"], "issued": source["issued"],
                             "article": source["label"], **s})
        for shared in self.shared:
            for s in shared["statements"]:
                rows.append({"graph": shared["graph"], "issued": None, "article": None, **s})
        return _df(rows, ["graph", "issued", "article", "direction", "property",
                          "property_label", "value", "value_label"])

    def _repr_html_(self) -> str:
        from ..display import entity_html

        return entity_html(self)
