"""kg.palette: each kind of node looks the same on every surface. The explorer and the
notebook's view are checked in a browser (tests/test_explorer.py, tests/test_widget.py);
here the static drawings (kg.plots), which drew agreements in the red that marks a change."""

from __future__ import annotations

import pytest

import kg
from kg import palette


def test_every_kind_has_a_colour_and_a_shape_of_its_own() -> None:
    colours = [colour for colour, _ in palette.KINDS.values()]
    shapes = [shape for _, shape in palette.KINDS.values()]
    assert len(set(colours)) == len(colours) and palette.HIGHLIGHT not in colours
    assert len(set(shapes)) == len(shapes)
    assert set(shapes) <= set(palette.MARKERS)


def test_a_drawing_shows_each_kind_in_its_colour_and_marker_with_a_legend(
        graph: kg.KnowledgeGraph) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_hex

    from kg.plots import draw_graph

    projected = graph.project()
    fig = draw_graph(projected)
    [ax] = fig.axes
    kinds = {projected.nodes[n]["kind"] for n in projected}
    legend = {text.get_text(): handle for text, handle in
              zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles, strict=True)}
    assert set(legend) == kinds
    for kind, handle in legend.items():
        assert (to_hex(handle.get_color()), handle.get_marker()) == (
            palette.colour(kind), palette.marker(kind))
    drawn = {to_hex(c.get_facecolor()[0]) for c in ax.collections
             if len(c.get_offsets()) and len(c.get_facecolor())}
    assert drawn == {palette.colour(kind) for kind in kinds}
