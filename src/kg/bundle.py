"""Where the ontology, data, shapes and named queries kg works from live.

Installed from a wheel, kg's own copy sits in ``kg/_bundle/``; in a source checkout
(editable install, or tests run from the tree) it is the top-level folders of the
repository. A *project* is any folder holding ``ontology/ data/ shapes/`` (``queries/``
is optional: the installed queries are used when it is missing); :func:`find_project`
looks for one upwards from the working directory, as git looks for ``.git``. This module
only answers "which folders"; the CLI asks it once per command and says which it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Bundle", "bundled", "find_project", "is_project", "PARTS"]

PARTS = ("ontology", "data", "shapes", "queries")
#: the folders that make a folder a kg project
PROJECT_PARTS = ("ontology", "data", "shapes")


@dataclass(frozen=True, kw_only=True)
class Bundle:
    """The four folders kg works from. Any of them may be replaced by the caller."""

    ontology: Path
    data: Path
    shapes: Path
    queries: Path
    #: where the folders come from: "installed" (kg's own copy), "project" (a project
    #: folder, given or found) or "folders" (folders given one by one)
    origin: str = "installed"
    #: the project folder, when there is one
    root: Path | None = None

    @classmethod
    def from_project(cls, root: Path | str) -> "Bundle":
        """A project directory laid out like kg's own: ``ontology/ data/ shapes/ queries/``.

        A project without ``queries/`` uses the installed named queries.
        """
        root = Path(root)
        folders = {part: root / part for part in PARTS}
        if not folders["queries"].is_dir():
            folders["queries"] = bundled().queries
        return cls(**folders, origin="project", root=root)

    def describe(self) -> str:
        """One line that says which files kg is using."""
        if self.origin == "project":
            return f"using the project at {self.root}"
        if self.origin == "installed":
            return f"using the installed copy of kg's data at {_root()}"
        return f"using the data in {self.data}"

    def replace(self, **folders: Path | str | None) -> "Bundle":
        """A copy with the given folders swapped in (``None`` keeps the current one)."""
        current = {part: getattr(self, part) for part in PARTS}
        for part, folder in folders.items():
            if part not in current:
                raise TypeError(f"unknown bundle part {part!r}")
            if folder is not None:
                current[part] = Path(folder)
        changed = any(folder is not None for folder in folders.values())
        origin = "folders" if changed and self.origin == "installed" else self.origin
        return Bundle(**current, origin=origin, root=self.root)


def _root() -> Path:
    packaged = Path(__file__).resolve().parent / "_bundle"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def bundled() -> Bundle:
    """The ontology, data, shapes and queries shipped with kg (the installed copy)."""
    root = _root()
    return Bundle(**{part: root / part for part in PARTS}, origin="installed", root=root)


def is_project(folder: Path | str) -> bool:
    """True when ``folder`` holds ``ontology/ data/ shapes/``."""
    return all((Path(folder) / part).is_dir() for part in PROJECT_PARTS)


def find_project(start: Path | str | None = None) -> Path | None:
    """The nearest folder holding ``ontology/ data/ shapes/``, from ``start`` (default: the
    working directory) upwards; ``None`` outside any project.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for part in ("ontology", "data", "shapes", "data/sources"):
    ...         (Path(tmp) / part).mkdir()
    ...     find_project(Path(tmp) / "data" / "sources") == Path(tmp).resolve()
    True
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    return None
