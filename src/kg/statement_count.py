"""The report's statement count after a change, without counting a million statements.

A report gives the number of distinct asserted statements (:meth:`kg.asserted.Asserted.__len__`:
the triples some data graph holds; the ontology's and the entailed ones left out). Oxigraph
counts them by reading the whole union (about half a second at ten thousand articles),
which would cost ``kg validate --changed`` more than the rest of its work. So:

* a count made on a graph reopened from the cache of loaded stores is kept beside that
  entry (:func:`keep`: ``asserted-statements.json`` in the entry's folder, with the
  entry's key, written whole and renamed into place; :func:`kg.cache.entry_of`). An entry
  is never written again under its key (the key covers every input of the store), so the
  count stays true for as long as the entry lives, and goes with it;
* after a change, the count of the data now is derived from the count kept for the data
  before (:func:`after_change`). Let ``D`` be the triples the changed files' graphs hold
  in either version. A triple outside ``D`` is held by the same unchanged graphs in both
  versions, so it is asserted in both or in neither; the count now is therefore the count
  before, less the triples of ``D`` asserted before, plus those of ``D`` asserted now:
  a few hundred look-ups in each store instead of a scan
  (``tests/test_incremental_cache.py`` compares it with a count of the whole store after
  every kind of edit).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib.term import Node

from .asserted import Asserted

if TYPE_CHECKING:
    from .load import KnowledgeGraph

__all__ = ["after_change", "keep", "kept"]

#: the file beside a cache entry's store that holds its count
FILE = "asserted-statements.json"


def _entry(graph: KnowledgeGraph) -> Path | None:
    from .cache import entry_of

    return entry_of(graph)


def kept(graph: KnowledgeGraph) -> int | None:
    """The count kept beside the cache entry ``graph`` was reopened from; ``None`` when
    it is not from the cache, has no count, or the file is not this entry's."""
    entry = _entry(graph)
    if entry is None:
        return None
    try:
        held = json.loads((entry / FILE).read_text(encoding="utf-8"))
        count = held["statements"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if held.get("key") != entry.name or not isinstance(count, int) or count < 0:
        return None
    return count


def keep(graph: KnowledgeGraph, count: int) -> None:
    """Keep ``count`` (``graph``'s asserted statements) beside its cache entry, when it
    was reopened from one that has none yet; a file that cannot be written is skipped."""
    entry = _entry(graph)
    if entry is None or (entry / FILE).exists():
        return
    try:
        handle, name = tempfile.mkstemp(dir=entry, prefix=".new-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"key": entry.name, "statements": count}, out)
        os.replace(name, entry / FILE)
    except OSError:
        Path(name).unlink(missing_ok=True)


def after_change(before: KnowledgeGraph, after: KnowledgeGraph,
                 triples: Iterable[tuple[Node, Node, Node]]) -> int | None:
    """The asserted statements of ``after``, from the count kept for ``before``
    (:func:`kept`) and ``triples``, every triple of the changed files' graphs in either
    version (see the module); ``None`` when no count is kept for ``before``."""
    count = kept(before)
    if count is None:
        return None
    was, now = Asserted(before), Asserted(after)
    for triple in triples:
        count += (triple in now) - (triple in was)
    return count
