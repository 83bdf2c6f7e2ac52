"""The notebook's network view (:mod:`kg.widget`) drawn by a real browser.

The page is what a notebook front end does with an anywidget, without Jupyter: it imports
the widget's own ES module (the ``_esm`` of the Python widget's state) and calls its
``render({model, el})`` with a small model object (``get`` / ``set`` / ``on`` /
``save_changes``) holding the Python widget's real synced state -- the elements and the
vendored Cytoscape files included. Everything is served from a loopback server; nothing is
downloaded. Debian's Chromium is driven by Playwright (see ``browser.py``).
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kg

from .browser import browser, open_page  # noqa: F401

pytest.importorskip("anywidget")

from kg.widget import NetworkView, show

#: the page a notebook front end would be: import the module, give it a model and an element
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>kg widget</title></head>
<body><div id="out" style="width: 900px"></div>
<script type="module">
import widget from "./widget.js";
const state = await (await fetch("state.json")).json();
const handlers = {};
const saved = [];
let pending = {};
const model = {
  get: (name) => state[name],
  set: (name, value) => { state[name] = value; pending[name] = value;
    (handlers["change:" + name] || []).forEach((f) => f()); },
  on: (event, callback) => { (handlers[event] = handlers[event] || []).push(callback); },
  off: () => {},
  save_changes: () => { saved.push(pending); pending = {}; },
};
const el = document.getElementById("out");
await widget.render({ model, el });
window.kgTest = { model, saved, el };
document.body.dataset.rendered = "yes";
</script></body></html>
"""

#: counts the drawn (non-transparent) pixels of the view's canvases
INKED = """(el) => [...el.querySelectorAll("canvas")].reduce((sum, canvas) => {
  if (!canvas.width || !canvas.height) return sum;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked += 1;
  return sum + inked;
}, 0)"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def view(graph: kg.KnowledgeGraph) -> NetworkView:
    return show(graph.project(node_types=["Person", "Organization"]), height=420)


@pytest.fixture(scope="module")
def page_server(view: NetworkView, tmp_path_factory: pytest.TempPathFactory,
                ) -> Iterator[str]:
    """A loopback server of the page, the widget's module and its state (as JSON)."""
    folder: Path = tmp_path_factory.mktemp("widget-page")
    state = view.get_state()
    (folder / "widget.js").write_text(state.pop("_esm"), encoding="utf-8")
    (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def rendered(browser: Any, page_server: str) -> Any:  # noqa: F811
    watched = open_page(browser, page_server)
    watched.page.goto(page_server + "index.html")
    watched.page.wait_for_selector("body[data-rendered=yes]")
    return watched


def test_the_view_draws_every_node_and_edge_of_the_projection(rendered: Any,
                                                               view: NetworkView) -> None:
    counts = rendered.page.evaluate(
        "() => { const cy = window.kgTest.el.kgCytoscape;"
        " return [cy.nodes().length, cy.edges().length, cy.nodes()[0].renderedPosition().x]; }")
    assert counts[:2] == [view.graph.number_of_nodes(), view.graph.number_of_edges()]
    assert counts[0] > 0 and counts[2] == counts[2]  # laid out: a number, not NaN


def test_each_kind_looks_as_in_the_explorer(rendered: Any) -> None:
    """kg's palette (kg.palette), as the explorer draws it: the view drew agreements red,
    the explorer purple (and red is what marks a path there)."""
    from kg import palette

    drawn = rendered.page.evaluate(
        "() => window.kgTest.el.kgCytoscape.nodes().map((n) => [n.data('kind'),"
        " n.style('background-color'), n.style('shape')])")
    assert {kind for kind, *_ in drawn} == {"Person", "Organization"}
    for kind, colour, shape in drawn:
        expected = palette.KINDS[kind][0]
        assert colour == "rgb({},{},{})".format(*bytes.fromhex(expected[1:]))
        assert shape == palette.KINDS[kind][1]


def test_the_canvas_is_not_blank(rendered: Any) -> None:
    inked = rendered.page.eval_on_selector("#out", INKED)
    assert inked > 1000
    rendered.screenshot("widget")


def test_the_view_uses_the_fcose_layout_shipped_in_the_package(rendered: Any) -> None:
    assert rendered.page.evaluate("() => typeof globalThis.__kgVendor.cytoscapeFcose") \
        == "function"


def test_tapping_a_node_reports_it_back_to_python(rendered: Any, view: NetworkView) -> None:
    page = rendered.page
    target = page.evaluate(
        "() => { const cy = window.kgTest.el.kgCytoscape;"
        " const node = cy.nodes().filter((n) => n.data('label') === 'ICESCO')[0];"
        " const box = cy.container().getBoundingClientRect(); const at = node.renderedPosition();"
        " return {x: box.left + at.x, y: box.top + at.y, iri: node.id()}; }")
    page.mouse.click(target["x"], target["y"])
    page.wait_for_function("() => window.kgTest.saved.length > 0")
    saved = page.evaluate("() => window.kgTest.saved")
    assert saved == [{"selected": target["iri"]}]
    assert "ICESCO" in page.inner_text("#out")  # the info line under the view
    seen: list[str] = []
    view.observe(lambda change: seen.append(change["new"]), names="selected")
    view.set_state(saved[0])  # what the kernel does with the front end's update
    assert view.selected == target["iri"] == "https://w3id.org/kg/id/icesco"
    assert seen == [target["iri"]]


def test_a_new_graph_from_python_is_redrawn(rendered: Any, view: NetworkView) -> None:
    icesco = "https://w3id.org/kg/id/icesco"
    near = [icesco, *view.graph.predecessors(icesco), *view.graph.successors(icesco)]
    view.update(view.graph.subgraph(near))
    elements = view.get_state()["elements"]  # what the kernel sends on the change
    counts = rendered.page.evaluate(
        "(elements) => { window.kgTest.model.set('elements', elements);"
        " const cy = window.kgTest.el.kgCytoscape;"
        " return [cy.nodes().length, cy.edges().length]; }",
        elements)
    assert counts == [view.graph.number_of_nodes(), view.graph.number_of_edges()]
    assert 1 < counts[0] < len(near) + 1


def test_nothing_is_requested_from_another_host_and_no_errors(rendered: Any) -> None:
    assert rendered.foreign_requests() == []
    assert rendered.unexpected_errors() == []


def test_a_graph_too_large_to_draw_is_refused_saying_how_to_narrow_it() -> None:
    """As the explorer refuses it (/api/graph): drawn, 1,000 articles' 17,000 nodes and
    edges made an 18 MB output and held the notebook 53 s for the static twin."""
    import networkx as nx

    from kg.errors import ResultTooLarge

    big = nx.MultiDiGraph()
    big.add_edges_from((f"n{i}", f"n{i + 1}") for i in range(3000))
    with pytest.raises(ResultTooLarge, match="the graph has 6,001 elements, more than the "
                                             "limit of 5,000; narrow it with node_types"):
        show(big)
    small = kg.project(node_types=["Person"])
    view = show(small, max_elements=small.number_of_nodes() + small.number_of_edges())
    with pytest.raises(ResultTooLarge, match="more than the limit of"):
        view.update(big)
    assert view.graph.number_of_nodes() == small.number_of_nodes()  # kept as it was
    assert show(big, max_elements=10_000).graph.number_of_edges() == 3000


def test_the_static_drawings_refuse_a_graph_too_large_to_lay_out() -> None:
    import networkx as nx

    from kg.errors import ResultTooLarge
    from kg.plots import draw_graph, side_by_side

    big = nx.MultiDiGraph()
    big.add_edges_from((f"n{i}", f"n{i + 1}") for i in range(3000))
    for draw in (lambda: draw_graph(big), lambda: side_by_side(big, nx.MultiDiGraph())):
        with pytest.raises(ResultTooLarge, match="more than the limit of 5,000"):
            draw()
