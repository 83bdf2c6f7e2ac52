"""Shared fixtures: the repository's folders and the graphs the tests read, loaded once.

Code tests run on ``SEED_DATA`` (``DATA``), a fixed copy of the two seed articles in
``tests/fixtures/seed/``, so that adding an article to ``data/`` leaves them green; only
the tests of the data's own answers (``test_data.py``) read the real ``REAL_DATA``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"
SEED = FIXTURES / "seed"
SEED_DATA = SEED / "data"
#: the data code tests run on: the fixed seed copy
DATA = SEED_DATA
#: the repository's real data/, for the tests of its answers
REAL_DATA = ROOT / "data"


@pytest.fixture(scope="session")
def graph() -> kg.KnowledgeGraph:
    """The seed data, loaded once for the whole session (read-only: do not modify)."""
    return kg.load(data=SEED_DATA)


@pytest.fixture(scope="session")
def real_graph() -> kg.KnowledgeGraph:
    """The repository's real data/, loaded once (read-only): for tests of its answers."""
    return kg.load(data=REAL_DATA)
