"""The SPARQL guard's verdicts, kept on disk, so that a command does not parse again.

Checking a query (:mod:`kg.sparql_guard`) means parsing it with rdflib's grammar, which
costs half a second for a long named query: more than the rest of a ``kg query`` run on
the Oxigraph store, which parses the text itself. A query the guard accepted is the same
query at the next run, so what the guard found (the query's form and the graphs it names)
is kept here and read back instead of parsing again.

* **Where**: the folder ``.queries`` of the cache of loaded stores (:func:`kg.cache.cache_root`:
  ``$KG_CACHE_DIR``, else the user's cache), one small JSON file per verdict.
* **Keyed** on everything that decides the verdict: the query's text and the protocol's
  graph parameters, the versions of kg and rdflib, and the size and modification time of
  the modules that decide (the guard, kg's prefixes, this module, pyparsing's
  ``__init__.py``, which holds its version). A changed text or
  checkout is a new key; the entry also holds the text and parameters it was made for, and
  is used only when they are the ones asked about.
* **Only acceptances** are kept: a refused or malformed query is parsed again each time,
  so its message is always the guard's own. The graphs a query names are still checked
  against the dataset at every call (the verdict only lists them).
* **Written atomically** (a temporary file renamed into place); a damaged entry (not JSON,
  not the expected shape, made for another text) is ignored and written again. A cache that
  cannot be written is no error: the query was checked, and the next run checks it again.
* **Bounded**: the :data:`KEEP` entries used last are kept, and no question longer than
  :data:`LONGEST`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

__all__ = ["KEEP", "folder", "recall", "remember"]

#: how many verdicts are kept (the most recently used); each holds its query's text
KEEP = 1000
#: a question longer than this (characters of JSON) is not kept: at most :data:`KEEP`
#: times this on disk, whatever texts a server is sent
LONGEST = 16 * 1024
#: the layout of an entry; a different one is a different key
_FORMAT = 1
#: kg's modules whose code decides a verdict
_DECIDING_MODULES = ("sparql_guard.py", "namespaces.py", "guard_cache.py")
#: a ``.writing-*`` file older than this belongs to a command that was killed
_STALE_SECONDS = 3600


def folder() -> Path:
    """Where the verdicts are kept: ``.queries`` in :func:`kg.cache.cache_root`."""
    from .cache import cache_root

    return cache_root() / ".queries"


@functools.lru_cache(maxsize=1)
def _context() -> tuple[Any, ...]:
    """What, besides the question, decides a verdict (read once per process)."""
    import importlib.util

    import rdflib

    from . import __version__

    here = Path(__file__).parent
    files = [here / name for name in _DECIDING_MODULES]
    grammar = importlib.util.find_spec("pyparsing")  # found, not imported
    if grammar is not None and grammar.origin:
        files.append(Path(grammar.origin))  # (its version is in its __init__.py)
    code = []
    for path in files:
        stat = path.stat()
        code.append([path.name, stat.st_size, stat.st_mtime_ns])
    return (_FORMAT, __version__, rdflib.__version__, code)


def _key(question: list[Any]) -> str:
    inputs = json.dumps([*_context(), question], ensure_ascii=False)
    return hashlib.sha256(inputs.encode("utf-8")).hexdigest()


def recall(question: list[Any]) -> dict[str, Any] | None:
    """The verdict kept for ``question`` (a JSON-able list), or ``None``: none kept, or
    the entry is damaged or was made for another question."""
    path = folder() / f"{_key(question)}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("question") != question \
            or not isinstance(entry.get("verdict"), dict):
        return None
    try:
        os.utime(path)  # most recently used
    except OSError:
        pass
    return entry["verdict"]


def remember(question: list[Any], verdict: dict[str, Any]) -> None:
    """Keep ``verdict`` for ``question``, atomically; silently not if it cannot be written
    or the question is longer than :data:`LONGEST`."""
    import tempfile

    if len(json.dumps(question, ensure_ascii=False)) > LONGEST:
        return
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".writing-", suffix=".json", dir=where)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump({"question": question, "verdict": verdict}, file,
                          ensure_ascii=False)
            os.replace(temporary, where / f"{_key(question)}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(where)
    except OSError:
        return


def _prune(where: Path) -> None:
    """Remove all but the :data:`KEEP` entries used last, and what killed writers left."""
    entries = []
    stale = time.time_ns() - _STALE_SECONDS * 1_000_000_000
    with os.scandir(where) as found:
        for item in found:
            try:
                modified = item.stat().st_mtime_ns
            except OSError:
                continue
            if item.name.startswith(".writing-"):
                if modified < stale:
                    entries.append((-1, item.path))  # removed below, whatever the count
            elif item.name.endswith(".json"):
                entries.append((modified, item.path))
    kept = sorted((entry for entry in entries if entry[0] >= 0), reverse=True)
    for _, path in kept[KEEP:] + [entry for entry in entries if entry[0] < 0]:
        try:
            os.unlink(path)
        except OSError:
            pass
