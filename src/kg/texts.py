"""Where an article's text is, and the copy of the texts a build carries.

An article's text is ``sources/<id>.txt`` (its ``dcterms:identifier``) beside the data file
its named graph was read from: what ``kg validate`` checks its quotes against, and what the
article page, the explorer's article dialog and ``kg article`` show them in. The build
folder and the store folder ``kg build`` writes carry a copy of their articles' texts in
the same layout (``build/sources/``, beside ``kg.nq``; ``<store>/sources/``), so that
``kg serve --build DIR`` and ``kg serve --store oxigraph:DIR`` show them wherever they
run; a graph whose files say nothing of a text (a remote store) looks in the data folder
of its project.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["ARTICLE_ID", "FOLDER", "text_path", "text_file", "copy_texts"]

#: an article's identifier: the name of its text file without ``.txt`` (no folder, no
#: leading dot; ``fullmatch``: ``$`` lets a final line break by)
ARTICLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

#: the texts' folder, beside the data files (and inside a built store folder)
FOLDER = "sources"


def text_path(folder: Path, identifier: str) -> Path:
    """Where the text of the article ``identifier`` goes in ``folder`` (a data folder, a
    build folder, a store folder): ``folder/sources/<identifier>.txt``."""
    return Path(folder) / FOLDER / f"{identifier}.txt"


def text_file(graph: Any, name: Any, identifier: str) -> Path | None:
    """The text of the article whose named graph is ``name`` and whose identifier is
    ``identifier``: in ``sources/`` beside the file its graph was read from (inside it, for
    a store folder), else in the data folder of the graph's bundle; ``None`` when neither
    has it, or when ``identifier`` is no file name (``../x`` names no article's text)."""
    if not ARTICLE_ID.fullmatch(identifier):
        return None
    origin = getattr(graph, "graph_files", {}).get(name)
    folders = [] if origin is None else [origin if origin.is_dir() else origin.parent]
    folders.append(graph.bundle.data)
    return next((path for folder in folders
                 if (path := text_path(folder, identifier)).is_file()), None)


def copy_texts(graph: Any, articles: Mapping[Any, str], folder: Path) -> int:
    """Copy the texts of ``articles`` (named graph -> identifier) that ``graph`` has
    (:func:`text_file`) into ``folder/sources/``; how many were copied."""
    target = folder / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for name, identifier in articles.items():
        found = text_file(graph, name, identifier)
        if found is not None:
            shutil.copyfile(found, target / found.name)
            copied += 1
    return copied
