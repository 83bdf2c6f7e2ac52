"""How each kind of node looks, the same on every surface: the explorer (its page is given
this palette), the notebook's interactive view (:mod:`kg.widget`) and the static drawings
(:mod:`kg.plots`). A person is a blue ellipse and an agreement a purple hexagon in all
three; before, the notebook drew agreements red, the colour the explorer and
:func:`kg.plots.side_by_side` mark a path or a change with.

Each kind has a colour and a shape, so that kinds stay apart for a reader who does not
tell the colours apart; the colours are dark enough for the white-outlined dark labels.

>>> KINDS["Agreement"]
('#7b3fa0', 'hexagon')
>>> marker("Person"), marker("Title"), marker("no such kind")
('o', '*', 'o')
"""

from __future__ import annotations

__all__ = ["KINDS", "OTHER", "MARKERS", "HIGHLIGHT", "colour", "marker", "for_page"]

#: kind -> (colour, Cytoscape.js node shape), in the order the explorer lists the kinds
KINDS: dict[str, tuple[str, str]] = {
    "Person": ("#1f6fb2", "ellipse"),
    "Organization": ("#c25e00", "round-rectangle"),
    "Place": ("#2f8a3a", "diamond"),
    "Agreement": ("#7b3fa0", "hexagon"),
    "Project": ("#b0306a", "pentagon"),
    "Event": ("#8a6d1f", "triangle"),
    "Cooperation": ("#4f6470", "barrel"),
    "Title": ("#a03030", "star"),
    "NewsArticle": ("#333333", "rectangle"),
}
#: a node of no kind above (a query result's node whose type it does not give)
OTHER: tuple[str, str] = ("#777777", "ellipse")

#: what a path drawn, or the edges two drawings do not share, are marked with
HIGHLIGHT = "#d62728"

#: Cytoscape.js shape -> the closest matplotlib marker
MARKERS = {"ellipse": "o", "round-rectangle": "s", "diamond": "D", "hexagon": "h",
           "pentagon": "p", "triangle": "^", "barrel": "8", "star": "*", "rectangle": "s"}


def colour(kind: str | None) -> str:
    """The colour of a node of ``kind``."""
    return KINDS.get(kind or "", OTHER)[0]


def marker(kind: str | None) -> str:
    """The matplotlib marker of a node of ``kind``."""
    return MARKERS[KINDS.get(kind or "", OTHER)[1]]


def for_page() -> dict[str, object]:
    """The palette as the explorer's page and the notebook's view read it (JSON)."""
    return {"kinds": {kind: list(look) for kind, look in KINDS.items()},
            "other": list(OTHER), "highlight": HIGHLIGHT}
