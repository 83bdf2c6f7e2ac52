"""Shared fixtures: the repository's folders and the graphs the tests read, loaded once.

Code tests run on ``SEED_DATA`` (``DATA``), a fixed copy of the two seed articles in
``tests/fixtures/seed/``, so that adding an article to ``data/`` leaves them green; only
the tests of the data's own answers (``test_data.py``) read the real ``REAL_DATA``.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

import kg
from kg.store import BACKENDS

#: the cache of loaded stores (kg.cache) of this session's tests and of the kg processes
#: they start: a scratch folder, never the user's own cache
os.environ["KG_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="kg-test-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"
SEED = FIXTURES / "seed"
SEED_DATA = SEED / "data"
#: the data code tests run on: the fixed seed copy
DATA = SEED_DATA
#: the repository's real data/, for the tests of its answers
REAL_DATA = ROOT / "data"


#: the remote triplestores (real servers on loopback, tests/triplestores.py) the query and
#: analysis suites also run on, with the seed build pushed to each
REMOTE_STORES = ("oxigraph-server", "virtuoso")


@functools.cache
def seed_build() -> Path:
    """The seed data built once (``kg build``) into a scratch folder, for ``kg push``."""
    import atexit
    import shutil
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="kg-test-build-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    kg.build(data=SEED_DATA, out=scratch / "build")
    return scratch / "build"


@functools.cache
def seed_graph(store: str = "rdflib") -> kg.KnowledgeGraph:
    """The seed data on the store backend ``store``, loaded once per session; on a remote
    triplestore (``REMOTE_STORES``), the seed build pushed there once and served from it."""
    if store in REMOTE_STORES:
        return pushed_graph(store)
    return kg.load(data=SEED_DATA, store=store)


def pushed_graph(name: str) -> kg.KnowledgeGraph:
    """The seed build pushed to the triplestore ``name`` (skip or fail if it is missing)."""
    import os

    from kg.push import push
    from kg.remote_store import open_remote

    from .triplestores import triplestore

    server = triplestore(name)
    saved = dict(os.environ)
    try:
        os.environ.update(server.environment())
        push(seed_build(), server.spec, gsp=server.gsp)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return open_remote(server.spec)


@pytest.fixture(scope="session")
def graph() -> kg.KnowledgeGraph:
    """The seed data, loaded once for the whole session (read-only: do not modify)."""
    return seed_graph()


@pytest.fixture(scope="session", params=BACKENDS + REMOTE_STORES)
def graph_on_each_store(request: pytest.FixtureRequest) -> kg.KnowledgeGraph:
    """The seed data on each store backend (the rdflib one is ``graph`` itself), the remote
    triplestores included: a test module whose ``graph`` fixture returns this one runs on
    every backend."""
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


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Tests on a remote triplestore whose answers are a known difference of that store
    (tests/triplestores.py, each with its reason) are expected to fail, strictly."""
    from .triplestores import known_difference

    for item in items:
        store = getattr(item, "callspec", None) and item.callspec.params.get(
            "graph_on_each_store")
        if store in REMOTE_STORES:
            reason = known_difference(store, item.nodeid)
            if reason:
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
