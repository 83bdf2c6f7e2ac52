"""Where the bundled ontology, data, shapes and named queries live.

Installed from a wheel they sit in ``kg/_bundle/``; in a source checkout (editable
install, or tests run from the tree) they are the top-level folders of the repository.
Every command accepts other folders instead; this module only answers "where are the
defaults".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Bundle", "bundled", "PARTS"]

PARTS = ("ontology", "data", "shapes", "queries")


@dataclass(frozen=True, kw_only=True)
class Bundle:
    """The four folders kg works from. Any of them may be replaced by the caller."""

    ontology: Path
    data: Path
    shapes: Path
    queries: Path

    @classmethod
    def from_project(cls, root: Path | str) -> "Bundle":
        """A project directory laid out like kg's own: ``ontology/ data/ shapes/ queries/``."""
        root = Path(root)
        return cls(**{part: root / part for part in PARTS})

    def replace(self, **folders: Path | str | None) -> "Bundle":
        """A copy with the given folders swapped in (``None`` keeps the current one)."""
        current = {part: getattr(self, part) for part in PARTS}
        for part, folder in folders.items():
            if part not in current:
                raise TypeError(f"unknown bundle part {part!r}")
            if folder is not None:
                current[part] = Path(folder)
        return Bundle(**current)


def _root() -> Path:
    packaged = Path(__file__).resolve().parent / "_bundle"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def bundled() -> Bundle:
    """The ontology, data, shapes and queries shipped with kg."""
    return Bundle.from_project(_root())
