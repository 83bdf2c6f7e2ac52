"""The explorer's pages for every reader (issue 9): no WCAG 2.1 A/AA violation that axe-core
finds (contrast, names of controls, landmarks, ...), a visible focus on every control reached
by the keyboard, and no control pushed off the screen at 1280×800 or 400 px wide.

axe-core is a test fixture (``tests/fixtures/axe-core/``, copied by ``sh web/vendor.sh``),
injected into the page by the test; kg never serves it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from . import kgserver
from .browser import (  # noqa: F401
    NARROW,
    VIEWPORT,
    Watched,
    accessibility_violations,
    browser,
    focus_outline,
    open_page,
    overflowing,
)

#: the pages a person reaches, and what shows that each has finished drawing
PAGES = {
    "explorer": ("", "body[data-ready=true]"),
    "explorer-with-selection": ("?node=icesco&from=leyla-aliyeva&to=burkina-faso&period=2024",
                                "#xp-paths .xp-path"),
    "query": ("query", "#kg-summary p"),
    "entity": ("id/icesco", "h1"),
    "article": ("source/001_9e02c3f3c2711bf1", "h1"),
    "api-docs": ("api/docs", "body[data-ready=true]"),
    "not-found": ("no/such/page", "h1"),
}


@pytest.fixture(scope="module")
def server() -> kgserver.Server:
    return kgserver.start(timeout=kgserver.ROOMY)


@pytest.fixture
def watched(browser, server) -> Iterator[Watched]:  # noqa: F811
    page = open_page(browser, server.url)
    page.expect_errors("status of 404")  # the not-found page is one, on purpose
    yield page
    page.page.context.close()
    assert page.unexpected_errors() == []
    assert page.foreign_requests() == []


def visit(watched: Watched, name: str) -> Any:
    path, ready = PAGES[name]
    page = watched.page
    page.goto(watched.origin + path)
    page.locator(ready).first.wait_for(state="attached")  # at 400 px the tools are folded
    return page


@pytest.mark.parametrize("name", PAGES)
def test_no_accessibility_violations(watched, name: str) -> None:
    page = visit(watched, name)
    assert accessibility_violations(page) == []


def test_no_accessibility_violations_in_query_results_and_the_article_dialog(watched) -> None:
    page = visit(watched, "explorer-with-selection")
    page.locator("#xp-queries > summary").click()
    page.get_by_role("button", name="Run SPARQL").click()
    page.locator("#xp-results table").wait_for()
    assert accessibility_violations(page) == []
    page = visit(watched, "query")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.locator(".tabPanel.active .kg-labelled table").wait_for()
    assert accessibility_violations(page) == []


@pytest.mark.parametrize("name", ["explorer", "query", "entity"])
def test_every_control_shows_its_focus(watched, name: str) -> None:
    """Tab through the page's first controls: each shows an outline (or a focus ring)."""
    page = visit(watched, name)
    page.locator("body").click(position={"x": 1, "y": 1})
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        focus = focus_outline(page)
        if focus["tag"] == "BODY":
            break
        seen.append(focus)
    assert len(seen) >= 3
    hidden = [f for f in seen if (f["style"] == "none" or f["width"] == "0px")
              and f["shadow"] == "none"]
    assert hidden == []


@pytest.mark.parametrize("name", ["explorer", "explorer-with-selection", "query", "entity",
                                  "article", "api-docs", "not-found"])
@pytest.mark.parametrize("viewport", [VIEWPORT, NARROW], ids=["1280x800", "400px"])
def test_no_control_sticks_out_of_the_window(browser, server, name: str,  # noqa: F811
                                             viewport: dict[str, int]) -> None:
    watched = open_page(browser, server.url, viewport=viewport)
    watched.expect_errors("status of 404")
    try:
        page = visit(watched, name)
        assert overflowing(page, viewport["width"]) == []
        if viewport is NARROW:
            watched.screenshot(f"{name}-400px")
        assert watched.unexpected_errors() == [] and watched.foreign_requests() == []
    finally:
        watched.page.context.close()
