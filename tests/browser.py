"""A real headless browser for the explorer's tests: Debian's Chromium driven by Playwright.

Nothing is downloaded: Playwright launches ``/usr/bin/chromium`` (``executable_path``).
Without Chromium or Playwright the browser tests skip and say why -- except under CI
(``CI=true``), where a missing browser is a failure. Each page records its console errors
and every request it makes, so a test can check that nothing went to another host.
Screenshots go to ``tests/screenshots/`` (ignored by git).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

#: Chromium's flags: no sandbox (CI runs as root), and no background traffic to Google
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-quic", "--disable-default-apps", "--disable-extensions"]

VIEWPORT = {"width": 1280, "height": 800}
NARROW = {"width": 400, "height": 800}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}: .ci/run installs Debian's chromium and the test "
                    f"extra installs playwright", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module."""
    path = chromium_path()
    if path is None:
        _unavailable("no Chromium (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install '.[test]')")
    # launch() gives Chromium a fresh, temporary user-data dir of its own each time
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, headless=True, args=FLAGS)
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page, with what its console reported and the URLs it requested."""

    page: Any
    origin: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    #: parts of console errors a test provokes on purpose (a 400 logged by Chromium)
    expected: list[str] = field(default_factory=list)

    def expect_errors(self, *parts: str) -> None:
        self.expected.extend(parts)

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(part in e for part in self.expected)]

    def foreign_requests(self) -> list[str]:
        """Requests that left for another host than the server's."""
        return [url for url in self.requests
                if not url.startswith(("data:", "blob:", "about:"))
                and urlsplit(url).netloc != urlsplit(self.origin).netloc]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


def open_page(browser: Any, origin: str, *, viewport: dict[str, int] = VIEWPORT) -> Watched:
    """A fresh context and page (its own storage), watched."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    watched = Watched(page=page, origin=origin)
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.errors.append(str(e)))
    page.on("request", lambda r: watched.requests.append(r.url))
    return watched


#: axe-core, the accessibility checker: a test fixture (``sh web/vendor.sh`` copies it from
#: web/package-lock.json), injected into the page under test, never served by kg
AXE = Path(__file__).resolve().parent / "fixtures" / "axe-core" / "axe.min.js"

#: the WCAG 2.1 A and AA rules (contrast, names of controls, landmarks, ...)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def accessibility_violations(page: Any) -> list[str]:
    """What axe-core finds wrong with the page as it is now (WCAG 2.1 A and AA), one line per
    rule: its id, what it checks, and the first few elements that fail it."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations.map(v => [v.id, v.help,"
        " v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': '"
        " + (n.failureSummary || '').replace(/\\s+/g, ' '))])", WCAG)
    return [f"{rule} ({help}): {'; '.join(where)}" for rule, help, where in found]


def focus_outline(page: Any) -> dict[str, str]:
    """How the focused element shows its focus: its outline style and width, its box-shadow.
    (The editor's text field is hidden: the editor around it shows the focus.)"""
    return page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement.closest('.CodeMirror')"
        " || document.activeElement);"
        " return {tag: document.activeElement.tagName, id: document.activeElement.id,"
        " text: (document.activeElement.textContent || '').trim().slice(0, 30),"
        " style: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; })()")


def overflowing(page: Any, width: int) -> list[str]:
    """The visible controls (links, buttons, fields) that stick out past ``width`` pixels,
    and the page itself if it scrolls sideways."""
    return page.evaluate(
        "(width) => { const out = [];"
        " if (document.documentElement.scrollWidth > width)"
        "   out.push('the page: ' + document.documentElement.scrollWidth + ' px wide');"
        " for (const el of document.querySelectorAll('a, button, input, select, textarea,"
        " summary, .CodeMirror')) {"
        "   const box = el.getBoundingClientRect();"
        "   if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden'"
        "       || el.closest('.kg-skip, .xp-sr')) continue;"
        "   let scrolled = false;"  # inside a box that scrolls sideways is no overflow
        "   for (let up = el.parentElement; up; up = up.parentElement)"
        "     if (/auto|scroll|hidden/.test(getComputedStyle(up).overflowX)"
        "         && up !== document.body && up !== document.documentElement) scrolled = true;"
        "   if (scrolled) continue;"
        "   if (box.right > width + 1 || box.left < -1)"
        "     out.push(el.tagName + '#' + el.id + '.' + el.className + ' ' +"
        "              Math.round(box.left) + '..' + Math.round(box.right)); }"
        " return out; }", width)
