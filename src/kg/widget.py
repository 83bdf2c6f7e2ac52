"""A graph in a notebook: an interactive network (an anywidget on Cytoscape.js, the explorer's
library, vendored in the package, so it works offline) with a static PNG twin in the same
output, for exported notebooks, GitHub previews and PDFs.

Needs anywidget and matplotlib (``pip install 'kg[notebook]'``).

>>> import kg
>>> view = show(kg.project(node_types=["Person", "Organization"]))
>>> sorted(view._repr_mimebundle_()[0])
['application/vnd.jupyter.widget-view+json', 'image/png', 'text/plain']
"""

from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import anywidget
import networkx as nx
import traitlets

from . import palette
from .analysis.exporters import cytoscape_elements
from .analysis.jobs import MAX_DRAWN, check_drawable

__all__ = ["NetworkView", "show", "VENDORED"]

#: the vendored files the view loads, in order (each folder keeps its LICENSE)
VENDORED = ("cytoscape/cytoscape.min.js", "layout-base/layout-base.js",
            "cose-base/cose-base.js", "cytoscape-fcose/cytoscape-fcose.js")


def _vendor() -> list[str]:
    folder = resources.files("kg.web") / "static" / "vendor"
    return [(folder / name).read_text(encoding="utf-8") for name in VENDORED]


def _elements(graph: nx.MultiDiGraph) -> dict[str, Any]:
    elements: dict[str, Any] = json.loads(json.dumps(cytoscape_elements(graph)["elements"],
                                                     default=str))
    return elements


class NetworkView(anywidget.AnyWidget):  # type: ignore[misc]
    """An interactive network of a projection (tap a node or an edge for its sources).

    ``selected`` is what was tapped last in the view: a node's IRI, or the IRI of the
    relationship an edge stands for (``""`` before any tap); observe it with
    ``view.observe(callback, names="selected")``.
    """

    _esm = Path(__file__).with_name("network.js")
    elements = traitlets.Dict().tag(sync=True)
    height = traitlets.Int(480).tag(sync=True)
    _libraries = traitlets.List(traitlets.Unicode()).tag(sync=True)
    #: how each kind of node looks (:func:`kg.palette.for_page`: as in the explorer)
    _palette = traitlets.Dict().tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)

    def __init__(self, graph: nx.MultiDiGraph, *, height: int = 480,
                 max_elements: int = MAX_DRAWN) -> None:
        check_drawable(graph, max_elements)  # (before the copy: 171,530 elements at 10,000)
        graph = nx.MultiDiGraph(graph)  # (the view's own: the caller's may change)
        super().__init__(elements=_elements(graph), height=height, _libraries=_vendor(),
                         _palette=palette.for_page())
        self.graph = graph
        self.max_elements = max_elements

    def update(self, graph: nx.MultiDiGraph) -> None:
        """Show ``graph`` instead (a displayed view redraws it, laid out afresh)."""
        check_drawable(graph, self.max_elements)
        self.graph = nx.MultiDiGraph(graph)
        self.elements = _elements(self.graph)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = dict(data or {})
        data["image/png"] = self.png()
        data.setdefault("text/plain", repr(self))
        return data, dict(metadata or {})

    def png(self) -> bytes:
        """The static twin: :func:`kg.plots.draw_graph` as PNG bytes."""
        from .plots import draw_graph

        buffer = io.BytesIO()
        draw_graph(self.graph, max_elements=self.max_elements).savefig(buffer, format="png",
                                                                       dpi=80)
        return buffer.getvalue()

    def __repr__(self) -> str:
        return (f"<kg.NetworkView {self.graph.number_of_nodes()} nodes, "
                f"{self.graph.number_of_edges()} edges>")


def show(graph: nx.MultiDiGraph, *, height: int = 480,
         max_elements: int = MAX_DRAWN) -> NetworkView:
    """An interactive view of ``graph`` (a projection from :func:`kg.project`, or part of one:
    ``g.subgraph(nodes)``). A graph of more than ``max_elements`` nodes and edges together
    is refused (:class:`~kg.errors.ResultTooLarge`, saying how to narrow it), as the
    explorer refuses it: drawn, it holds the notebook for minutes (1,000 articles: 17,000,
    an 18 MB output and 53 s for its static twin)."""
    return NetworkView(graph, height=height, max_elements=max_elements)
