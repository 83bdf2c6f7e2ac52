"""The data after a change, from the cached store of the data before it: ``kg validate --changed``
without loading every file again.

:func:`from_cache` finds, in the cache of loaded stores (:mod:`kg.cache`), the store loaded
*without* entailment from the same files as now except the changed ones
(:func:`kg.cache.entry_before`), and makes from it the store of the files as they are now:
a scratch copy of that store (:meth:`kg.store.Store.copy_to`: RocksDB's checkpoint, hard
links to its immutable files beside the cache, milliseconds; the cached entry itself is
only read), where each changed file's named graphs are removed
(:meth:`kg.store.Store.remove_graphs`: with their triples no other graph holds from the
union, ``sparql/union-without-graph.rq``) and the changed files that
still exist are parsed fresh into it. The cached store is the data *before* the change,
the copy the data *after* it: :func:`kg.validate.validate` re-checks the scope between the
two (:mod:`kg.incremental`), reading the neighbourhood of the scope from the stores.

Why the copy is the store a full load of the files would give (so that the findings on
the scope are those of a full validation, :mod:`kg.incremental` saying why the scope is
enough). The entry's key holds each file's resolved path, size, modification and change times,
the ontology files', whether entailment ran, and the versions of kg, pyoxigraph and kg's
loading code (:func:`kg.cache.cache_key`); an entry is used only when all of that is equal
except the stamps of the changed files, and when it passes the cache's checks (every
stored file's SHA-256). So every file but the changed ones holds what it held when the
entry was loaded, and its named graphs in the entry are what a load of it gives now. A
load puts each file's quads into named graphs (:meth:`kg.oxigraph_store.OxigraphStore.load_file`)
and keeps the default graph as the set union of the named graphs; the copy:

* removes the named graphs the changed files wrote, when no other file writes into one of
  them (else a full load is made instead), and from the union the triples no remaining
  graph holds, one graph at a time: the union is that of the remaining graphs;
* parses each changed file that exists with the same method as a load (the same errors,
  :class:`~kg.errors.ParseError` with file and line), unless it writes into a graph that
  another file writes (then a full load is made instead), and fills the union with its
  graphs;
* has no entailed graph, as the load of ``kg validate`` (``entail=False``): only entries
  loaded without entailment are used. An entry loaded *with* entailment (``kg query``'s)
  would hold the types the changed article entailed before the change, in the entailed
  graph and mixed into the union, where the validation's queries read; taking them out
  means deleting every entailed triple no file states (half a million at 10,000
  articles, seconds of writes), so such an entry is not used. The types entailment adds
  are worked out by the validation from the asserted statements of the scope
  (:func:`kg.kinds.entailed_types`), as in a full run.

The KnowledgeGraph's bookkeeping (files in order, each graph's file, each file's graphs)
is made in the order of the files as a load makes it. Nothing is written into the cache:
the copy lives in a ``.building-*`` folder of the cache root (removed when the run ends;
the cache removes one left by a killed run after an hour), never renamed into an entry.
When there is no usable entry, :func:`from_cache` gives ``None`` and the caller loads the
files (through the cache, so the next run finds the entry).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

from rdflib import URIRef

from .bundle import Bundle
from .cache import CacheNote, cache_root, entry_before, key_path
from .load import KnowledgeGraph
from .namespaces import GRAPH, ONTOLOGY_GRAPH

__all__ = ["from_cache"]



@contextlib.contextmanager
def from_cache(data_files: Sequence[Path], ontology_files: Sequence[Path],
               changed: Sequence[Path], *, bundle: Bundle,
               ) -> Iterator[tuple[KnowledgeGraph, KnowledgeGraph] | None]:
    """``(after, before)``: the graph of ``data_files`` as they are now and the cached graph
    of the same files before ``changed`` changed, for the ``with`` block; ``None`` when the
    cache holds no store to start from (or one that cannot be used, see the module)."""
    found = entry_before(data_files, ontology_files, entail=False, changed=changed,
                         bundle=bundle)
    if found is None:
        yield None
        return
    before, keys = found
    root = cache_root()
    scratch = Path(tempfile.mkdtemp(prefix=".building-rebase-", dir=root))
    pair = None
    try:
        try:
            pair = _replaced(before, scratch / "store", dict(zip(data_files, keys)),
                             ontology_files, changed, bundle=bundle)
        except OSError as error:  # (no room for the copy, …): the files are loaded instead
            warnings.warn(CacheNote(f"the cached store could not be copied into {root} "
                                    f"({error}); every file is loaded"), stacklevel=3)
            pair = None
        yield pair
    finally:
        if pair is not None:  # (the caller may still hold it: closed before its folder goes)
            pair[0].store.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _replaced(before: KnowledgeGraph, folder: Path, data_files: dict[Path, str],
              ontology_files: Sequence[Path], changed: Sequence[Path], *,
              bundle: Bundle) -> tuple[KnowledgeGraph, KnowledgeGraph] | None:
    """The copy of ``before``'s store in ``folder`` with the changed files' graphs replaced
    (``data_files``: each file -> its resolved path, as the cache's key writes it)."""
    folders: dict[str, str] = {}
    away = {key_path(path, folders) for path in changed}
    old: set[URIRef] = set()
    writers: dict[URIRef, int] = {}
    for path, names in before.file_graphs.items():
        for name in names:
            writers[name] = writers.get(name, 0) + 1
        if str(path) in away:
            old |= names
    if any(writers[name] > 1 for name in old):
        return None  # a graph another file writes into too
    store = before.store.copy_to(folder)
    try:
        store.remove_graphs(sorted(old, key=str))
        remaining = (set(before.graph_files) | {ONTOLOGY_GRAPH}) - old  # (no listing of 10,000)
        fresh: dict[str, set[URIRef]] = {}
        now = set(data_files.values())
        for path in changed:  # (an article's text is no data file: its graph stays)
            if key_path(path, folders) in now:
                names, _ = store.load_file(path, graph=URIRef(GRAPH[path.stem]))
                if names & remaining:
                    return None  # it writes into a graph another file writes
                fresh[key_path(path, folders)] = names
        store.finish_loading()
        held = {str(path): names for path, names in before.file_graphs.items()}
        graph_files: dict[URIRef, Path] = {}
        file_graphs: dict[Path, set[URIRef]] = {}
        for path, key in data_files.items():
            names = fresh.get(key, set()) if key in away else held.get(key, set())
            for name in sorted(names):
                graph_files.setdefault(name, path)
            if names:
                file_graphs.setdefault(path, set()).update(names)
        pending = {**file_graphs, **{path: {ONTOLOGY_GRAPH} for path in ontology_files}}
        after = KnowledgeGraph(store=store, ontology=before.ontology, bundle=bundle,
                               files=list(data_files), graph_files=graph_files,
                               file_graphs=file_graphs, _subjects={}, _subjects_pending=True,
                               _pending_files=pending)
        return after, before
    except BaseException:
        store.close()  # (from_cache removes the folder next: the traceback holds the store)
        raise

