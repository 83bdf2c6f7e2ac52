"""Plots an analyst would otherwise write, each returning its :class:`matplotlib.figure.Figure`
(made without pyplot, so nothing global changes; style it as you like).

Needs matplotlib (``pip install 'kg[notebook]'``).

>>> import kg
>>> fig = timeline_chart(kg.timeline())
>>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
['day', 'month', 'year', 'inferred date']
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from . import palette
from .analysis.jobs import MAX_DRAWN, check_drawable
from .analysis.timefilter import Span

__all__ = ["timeline_chart", "centrality_chart", "draw_graph", "side_by_side", "KIND_COLOURS"]

#: node colours by kind (:data:`kg.palette.KINDS`: the explorer's, shapes drawn as markers)
KIND_COLOURS = {kind: colour for kind, (colour, _) in palette.KINDS.items()}
#: the colour of the edges only one of two projections has (:func:`side_by_side`)
MARKED = palette.HIGHLIGHT
_PRECISION = {"day": ("o", 0.0), "month": ("s", 0.0), "year": ("D", 0.0)}


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def timeline_chart(timeline: Any, *, title: str = "Timeline") -> Any:
    """The timeline (:func:`kg.timeline`) as a chart: one row per dated thing; a day is a
    dot, a month or a year a bar over its whole span (the precision shown, never a made-up
    day); an inferred date is hollow and hatched."""
    rows = list(timeline)
    fig = _figure(10, max(2.5, 0.32 * len(rows) + 1))
    ax = fig.add_subplot()
    for y, row in enumerate(rows):
        span = Span.parse(row["date"])
        start = dt.date.fromisoformat(str(span.start)[:10])
        end = dt.date.fromisoformat(str(span.end)[:10]) if span.precision != "day" else start
        colour = {"day": "#1f77b4", "month": "#ff7f0e", "year": "#2ca02c"}[row["precision"]]
        inferred = bool(row["inferred"])
        if span.precision == "day":
            ax.plot([start], [y], marker="o", markersize=8, color=colour,
                    markerfacecolor="white" if inferred else colour, linestyle="none")
        else:
            ax.barh(y, (end - start).days or 1, left=start, height=0.5, color=colour,
                    alpha=0.35 if inferred else 0.8, hatch="//" if inferred else None,
                    edgecolor=colour)
    ax.set_yticks(range(len(rows)), [_short(r["label"]) for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_title(title)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax.legend(handles=[Line2D([], [], marker="o", color="#1f77b4", linestyle="none",
                              label="day"),
                       Patch(color="#ff7f0e", label="month"),
                       Patch(color="#2ca02c", label="year"),
                       Line2D([], [], marker="o", color="#777", markerfacecolor="white",
                              linestyle="none", label="inferred date")],
              loc="lower right", fontsize=8)
    return fig


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def centrality_chart(table: Any, *, by: str = "betweenness", top: int = 15) -> Any:
    """A horizontal bar chart of one measure of :func:`kg.centrality`, highest first,
    coloured by kind."""
    rows = sorted(table, key=lambda r: -float(r[by]))[:top]
    fig = _figure(8, max(2.5, 0.35 * len(rows) + 1))
    ax = fig.add_subplot()
    ax.barh([_short(r["label"], 45) for r in rows], [float(r[by]) for r in rows],
            color=[KIND_COLOURS.get(str(r.get("kind")), "#7f7f7f") for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel(by)
    ax.set_title(f"{by} centrality")
    return fig


def _layout(graph: nx.MultiDiGraph, seed: int) -> dict[str, Any]:
    simple = nx.Graph(graph)
    return nx.spring_layout(simple, seed=seed, k=1.2 / max(1, len(simple)) ** 0.5)


def _draw(ax: Any, graph: nx.MultiDiGraph, position: dict[str, Any], *, labels: bool,
          title: str, marked: set[tuple[str, str, str]] | None = None) -> None:
    marked = marked or set()
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        ax.set_title(title or "empty graph")
        return
    simple = nx.Graph(graph)
    kinds = [graph.nodes[n].get("kind", "") for n in graph]
    pairs = {frozenset((u, v)) for u, v, _ in marked}
    plain = [(u, v) for u, v in simple.edges if frozenset((u, v)) not in pairs]
    nx.draw_networkx_edges(simple, position, edgelist=plain, ax=ax, alpha=0.4)
    if marked:
        nx.draw_networkx_edges(simple, position, ax=ax, edge_color=MARKED, width=2.2,
                               edgelist=sorted({(u, v) for u, v, _ in marked}))
    by_kind: dict[str, list[str]] = {}
    for node, kind in zip(graph, kinds, strict=True):
        by_kind.setdefault(kind, []).append(node)
    for kind, nodes in by_kind.items():  # (one marker per call: one call per kind)
        nx.draw_networkx_nodes(graph, position, nodelist=nodes, ax=ax, node_size=220,
                               node_color=palette.colour(kind),
                               node_shape=palette.marker(kind))
    if labels:
        nx.draw_networkx_labels(graph, position, ax=ax, font_size=7,
                                labels={n: _short(graph.nodes[n].get("label", n), 28)
                                        for n in graph})
    if graph.number_of_edges() <= 25:
        edge_labels = {(u, v): d["label"] for u, v, d in graph.edges(data=True)}
        nx.draw_networkx_edge_labels(simple, position, edge_labels=edge_labels, ax=ax,
                                     font_size=6)
    from matplotlib.lines import Line2D

    present = [k for k in palette.KINDS if k in kinds]
    handles = [Line2D([], [], color=palette.colour(k), marker=palette.marker(k),
                      linestyle="", markersize=8, label=k) for k in present]
    if marked:
        handles.append(Line2D([], [], color=MARKED, linewidth=2.2, label="only here"))
    ax.legend(handles=handles, fontsize=8, loc="lower left")
    if title:
        ax.set_title(title)


def draw_graph(graph: nx.MultiDiGraph, *, seed: int = 7, labels: bool = True,
               title: str = "", max_elements: int = MAX_DRAWN) -> Any:
    """A drawing of a projection (or a part of it), nodes coloured by kind, edges labelled
    when there are few. The static twin of the interactive view (:mod:`kg.widget`); more
    than ``max_elements`` nodes and edges together is refused, as there
    (:func:`kg.analysis.jobs.check_drawable`: the layout would take minutes)."""
    check_drawable(graph, max_elements)
    fig = _figure(10, 7)
    _draw(fig.add_subplot(), graph, _layout(graph, seed) if len(graph) else {},
          labels=labels, title=title)
    return fig


def side_by_side(before: nx.MultiDiGraph, after: nx.MultiDiGraph, *,
                 titles: tuple[str, str] = ("before", "after"), seed: int = 7,
                 labels: bool = True, max_elements: int = MAX_DRAWN) -> Any:
    """Two projections in one figure, one axes each, drawn on one layout (an entity sits at
    the same place in both); the edges only one of them has are drawn thick, in red. The
    edges themselves, cited: :func:`kg.compare.edge_changes`.

    >>> import kg
    >>> fig = side_by_side(kg.project(as_of="2006"), kg.project(as_of="2024"),
    ...                    titles=("as of 2006", "as of 2024"))
    >>> [ax.get_title() for ax in fig.axes]
    ['as of 2006', 'as of 2024']
    """
    union = nx.compose(nx.MultiDiGraph(before), nx.MultiDiGraph(after))
    check_drawable(union, max_elements)
    position = _layout(union, seed) if len(union) else {}
    old, new = set(before.edges(keys=True)), set(after.edges(keys=True))
    fig = _figure(16, 7)
    left, right = fig.subplots(1, 2)
    _draw(left, before, position, labels=labels, title=titles[0], marked=old - new)
    _draw(right, after, position, labels=labels, title=titles[1], marked=new - old)
    return fig
