"""Shared fixtures: the repository's folders and the graphs the tests read, loaded once.

Code tests run on ``SEED_DATA`` (``DATA``), a fixed copy of the two seed articles in
``tests/fixtures/seed/``, so that adding an article to ``data/`` leaves them green; only
the tests of the data's own answers (``test_data.py``) read the real ``REAL_DATA``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

import kg
from kg.store import BACKENDS

from . import scratch

#: the scratch folders that killed sessions left behind (tests/scratch.py)
scratch.remove_abandoned()

#: the cache of loaded stores (kg.cache) of this session's tests and of the kg processes
#: they start: a scratch folder, never the user's own cache
os.environ["KG_CACHE_DIR"] = str(scratch.folder("cache"))

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


#: the prefixes :func:`seed_data_with` writes before a file's statements (three lines)
PROLOGUE = ("@prefix kg: <https://w3id.org/kg/ontology#> .\n"
            "@prefix kgr: <https://w3id.org/kg/id/> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")


def seed_data_with(folder: Path, name: str, statements: str) -> Path:
    """A copy of the seed data in ``folder``/data with one more Turtle file ``name``: the
    prefixes kg:, kgr: and rdfs: (:data:`PROLOGUE`), then ``statements``."""
    import shutil

    data = Path(shutil.copytree(SEED_DATA, folder / "data"))
    (data / name).write_text(PROLOGUE + statements, encoding="utf-8")
    return data


@functools.cache
def seed_build() -> Path:
    """The seed data built once (``kg build``) into a scratch folder, for ``kg push``."""
    out = scratch.folder("build") / "build"
    kg.build(data=SEED_DATA, out=out)
    return out


@functools.cache
def seed_graph(store: str = "rdflib") -> kg.KnowledgeGraph:
    """The seed data on the store backend ``store``, loaded once per session; on a remote
    triplestore (``REMOTE_STORES``), the seed build pushed there once and served from it."""
    if store in REMOTE_STORES:
        return pushed_graph(store)
    return kg.load(data=SEED_DATA, store=store)


def pushed_graph(name: str, build: Path | None = None, *, new: bool = False
                 ) -> kg.KnowledgeGraph:
    """``build`` (by default the seed build) pushed to the triplestore ``name`` (with
    ``new``, a new server of its own rather than the session's; skip or fail if it is
    missing), and served from it."""
    import os

    from kg.push import push
    from kg.remote_store import open_remote

    from .triplestores import triplestore

    server = triplestore(name, new=new)
    saved = dict(os.environ)
    try:
        os.environ.update(server.environment())
        push(build or seed_build(), server.spec, gsp=server.gsp)
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


#: xdist workers of a whole-suite run with ``-n auto --dist loadfile`` (opt-in, see
#: pyproject.toml): CI's two cores, each running whole test modules, so that a module's
#: fixtures -- its server, its browser -- start once
SUITE_WORKERS = 2


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):  # type: ignore[no-untyped-def]
    """How many xdist workers ``-n auto`` starts: ``SUITE_WORKERS`` (at most one per core)
    for the whole suite (no paths given), none -- one process, as without xdist -- when
    only some tests are asked for or on one core; ``PYTEST_XDIST_AUTO_NUM_WORKERS`` when it
    is set (``-n 0`` runs the whole suite in one process)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    whole = config.args_source == pytest.Config.ArgsSource.TESTPATHS or all(
        Path(arg).resolve() in (ROOT, ROOT / "tests") for arg in config.args)
    workers = min(SUITE_WORKERS, os.cpu_count() or 1)
    return workers if whole and config.args and workers > 1 else 0


def _w3c_tally() -> dict[str, int]:
    """The W3C SPARQL 1.1 query tests this process saw pass, per store backend."""
    import sys

    module = sys.modules.get("tests.test_w3c_sparql")
    tally = getattr(module, "TALLY", None) or {}
    return {backend: counter["passed"] for backend, counter in tally.items()}


#: the W3C tallies the xdist workers (``-n 2``) sent back, summed by the controller
_WORKER_TALLIES: list[dict[str, int]] = []


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    """An xdist worker sends its W3C tally to the controller (``workeroutput``)."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["w3c_tally"] = _w3c_tally()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):  # type: ignore[no-untyped-def]
    """The controller keeps each finished xdist worker's W3C tally."""
    _WORKER_TALLIES.append(getattr(node, "workeroutput", {}).get("w3c_tally", {}))


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """The W3C SPARQL 1.1 query tests passed on each store backend, when they ran (in this
    process, or in the xdist workers)."""
    totals: dict[str, int] = {}
    for tally in [_w3c_tally(), *_WORKER_TALLIES]:
        for backend, passed in tally.items():
            totals[backend] = totals.get(backend, 0) + passed
    if any(totals.values()):
        counts = ", ".join(f"{backend} {passed}" for backend, passed in totals.items())
        terminalreporter.write_line(f"W3C SPARQL 1.1 query evaluation tests passed: {counts}")


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Tests on a remote triplestore whose answers are a known difference of that store
    (tests/triplestores.py, each with its reason) are expected to fail, strictly unless
    the reason is one that depends on what ran before on the same server."""
    from .triplestores import NOT_STRICT, known_difference

    for item in items:
        store = getattr(item, "callspec", None) and item.callspec.params.get(
            "graph_on_each_store")
        if store in REMOTE_STORES:
            reason = known_difference(store, item.nodeid)
            if reason:
                item.add_marker(pytest.mark.xfail(reason=reason,
                                                  strict=reason not in NOT_STRICT))
