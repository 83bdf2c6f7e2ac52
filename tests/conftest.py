"""Shared fixtures: the repository's folders and the graphs the tests read, loaded once.

Code tests run on ``SEED_DATA`` (``DATA``), a fixed copy of the two seed articles in
``tests/fixtures/seed/``, so that adding an article to ``data/`` leaves them green; only
the tests of the data's own answers (``test_data.py``) read the real ``REAL_DATA``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import kg
from kg.store import BACKENDS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"
SEED = FIXTURES / "seed"
SEED_DATA = SEED / "data"
#: the data code tests run on: the fixed seed copy
DATA = SEED_DATA
#: the repository's real data/, for the tests of its answers
REAL_DATA = ROOT / "data"


@functools.cache
def seed_graph(store: str = "rdflib") -> kg.KnowledgeGraph:
    """The seed data on the store backend ``store``, loaded once per session."""
    return kg.load(data=SEED_DATA, store=store)


@pytest.fixture(scope="session")
def graph() -> kg.KnowledgeGraph:
    """The seed data, loaded once for the whole session (read-only: do not modify)."""
    return seed_graph()


@pytest.fixture(scope="session", params=BACKENDS)
def graph_on_each_store(request: pytest.FixtureRequest) -> kg.KnowledgeGraph:
    """The seed data on each store backend (the rdflib one is ``graph`` itself): a test
    module whose ``graph`` fixture returns this one runs on every backend."""
    return seed_graph(request.param)


@pytest.fixture(scope="session")
def real_graph() -> kg.KnowledgeGraph:
    """The repository's real data/, loaded once (read-only): for tests of its answers."""
    return kg.load(data=REAL_DATA)


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """The W3C SPARQL 1.1 query tests passed on each store backend, when they ran."""
    import sys

    module = sys.modules.get("tests.test_w3c_sparql")
    tally = getattr(module, "TALLY", None)
    if tally and any(counter["passed"] for counter in tally.values()):
        counts = ", ".join(f"{backend} {counter['passed']}" for backend, counter in tally.items())
        terminalreporter.write_line(f"W3C SPARQL 1.1 query evaluation tests passed: {counts}")
