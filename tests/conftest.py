"""Shared fixtures: the repository's folders and the bundled graph, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def graph() -> kg.KnowledgeGraph:
    """The bundled data, loaded once for the whole session (read-only: do not modify)."""
    return kg.load()
