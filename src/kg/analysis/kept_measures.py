"""The centrality measures of a projection, computed once and reused: in memory for any
projection, and, for the whole (unfiltered) one, kept in a file beside its snapshot.

Exact betweenness grows with nodes x edges: 80 ms at 100 articles, but four to five
minutes on igraph at 10,000 (47,600 nodes, 123,917 links; ``benchmarks/RESULTS.md``), far
past a server's time limit for one request. So a server
computes the whole projection's measures **once, in the background**, in one of its
workers with no request waiting (:func:`compute_job`, started by
:class:`kg.web.service.Service`), and keeps them in a file: beside a snapshot kept in
kg's cache (:func:`path_for`; for its next start, and for ``kg centrality``), beside a
scratch snapshot (removed when it stops), or, for the snapshot of a store folder that
``kg build`` wrote (never written into), in kg's cache under the snapshot's stamp
(:func:`cached_path`; :func:`home` says which). Each worker reads the file when it is first asked for the whole
graph's centrality (:func:`recall_file`), and so does ``kg centrality`` (:func:`find`).
The other way round, measures of the whole projection that a command or a notebook
computed itself (``kg centrality --timeout``, ``kg.centrality``) are kept in the same place
(:func:`keep`), so they are computed once per graph on every surface.

The file records which snapshot it was computed from (the SHA-256 of the snapshot's
contents, which its header records: :func:`kg.analysis.snapshot.stamp`): a file whose stamp is not the
snapshot's is ignored, and the measures are computed again. Measures computed by one
engine are never given for another: ``engine="auto"`` takes whichever was chosen for the
graph's size; ``"networkx"`` or ``"igraph"`` asked by name takes only that one's.
"""

from __future__ import annotations

import logging
import pickle
import threading
import weakref
from pathlib import Path
from typing import Any

import networkx as nx

from .. import __version__
from ..atomic import write_file
from .engines import betweenness as _betweenness
from .engines import choose
from .pathfinding import undirected

__all__ = ["measures", "compute", "remember", "recalled", "path_for", "cached_path", "home",
           "save", "load", "recall_file", "prune_cached", "where", "find", "keep",
           "recall_kept", "compute_job", "SUFFIX"]

log = logging.getLogger(__name__)

#: what a snapshot's measures file adds to the snapshot's name
SUFFIX = ".measures"
#: bumped whenever what the file holds changes
FORMAT = 1
#: the folder of kg's cache keeping the measures of store folders' projections
FOLDER = ".measures"
#: how many of those it keeps (the ones written last)
KEEP = 8

#: measures computed in this process, per projection (not kept alive by this) and engine
_memo: weakref.WeakKeyDictionary[Any, dict[str, dict[str, Any]]] = \
    weakref.WeakKeyDictionary()
_lock = threading.Lock()
#: one computation at a time per projection (a second asker waits for the first)
_building: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()


def compute(graph: nx.MultiDiGraph, *, engine: str = "auto") -> dict[str, Any]:
    """Betweenness (by ``engine``, :mod:`.engines`) and PageRank of each node of the
    projection ``graph``, read as an undirected simple graph: ``{"engine": the engine that
    ran, "betweenness": {node: value}, "pagerank": {node: value}}``."""
    simple = undirected(graph)
    ran = choose(engine, simple)
    return {"engine": ran,
            "betweenness": _betweenness(simple, engine=ran) if len(simple) else {},
            "pagerank": nx.pagerank(simple) if len(simple) else {}}


def remember(graph: nx.MultiDiGraph, found: dict[str, Any]) -> None:
    """Keep ``found`` (:func:`compute`'s answer) as ``graph``'s measures in this process."""
    with _lock:
        _memo.setdefault(graph, {})[found["engine"]] = found


def recalled(graph: nx.MultiDiGraph, engine: str = "auto") -> dict[str, Any] | None:
    """``graph``'s measures kept in this process for ``engine``, if any."""
    wanted = choose(engine, undirected(graph))
    with _lock:
        return _memo.get(graph, {}).get(wanted)


def measures(graph: nx.MultiDiGraph, *, engine: str = "auto") -> dict[str, Any]:
    """``graph``'s measures: those kept in this process, else computed now (once: a second
    caller waits for the first) and kept."""
    found = recalled(graph, engine)
    if found is not None:
        return found
    with _lock:
        building = _building.setdefault(graph, threading.Lock())
    with building:
        found = recalled(graph, engine)
        if found is None:
            found = compute(graph, engine=engine)
            remember(graph, found)
    return found


def path_for(snapshot: Path | str) -> Path:
    """The measures file of the snapshot file ``snapshot``: its name plus :data:`SUFFIX`."""
    snapshot = Path(snapshot)
    return snapshot.with_name(snapshot.name + SUFFIX)


def save(path: Path | str, found: dict[str, Any], *, stamp: str) -> Path:
    """Write ``found`` to ``path`` (beside, then renamed into place:
    :func:`kg.atomic.write_file`, which raises :class:`~kg.errors.InputError` saying why it
    cannot), recording ``stamp`` (:func:`kg.analysis.snapshot.stamp` of the snapshot they
    were computed from)."""
    path = Path(path)
    record = {"format": FORMAT, "kg_version": __version__, "stamp": stamp, **found}
    write_file(path, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def load(path: Path | str, *, stamp: str) -> dict[str, Any] | None:
    """The measures saved at ``path`` if they were computed from the snapshot whose stamp
    is ``stamp`` by this kg; ``None`` (logged, unless there is no file) otherwise."""
    try:
        with open(path, "rb") as source:
            record = pickle.load(source)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
        log.warning("not using the measures file %s: cannot read it (%s)", path, error)
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT \
            or record.get("kg_version") != __version__:
        log.warning("not using the measures file %s: not one this kg %s writes", path,
                    __version__)
        return None
    if record.get("stamp") != stamp:
        log.warning("not using the measures file %s: computed from another snapshot", path)
        return None
    return {key: record[key] for key in ("engine", "betweenness", "pagerank")}


def recall_file(graph: nx.MultiDiGraph, path: Path | str, *, stamp: str) -> bool:
    """Make the measures saved at ``path`` (see :func:`load`) ``graph``'s in this process,
    unless it has them already; whether ``graph`` has measures kept now."""
    with _lock:
        if _memo.get(graph):
            return True
    found = load(path, stamp=stamp)
    if found is None:
        return False
    remember(graph, found)
    return True


def cached_path(stamp: str) -> Path:
    """Where kg's cache keeps the measures of the snapshot whose stamp is ``stamp`` when
    the snapshot is not the cache's own (a store folder's, which kg never writes into):
    ``.measures/STAMP.measures`` in the cache folder (:func:`kg.cache.cache_root`)."""
    from ..cache import cache_root

    return cache_root() / FOLDER / f"{stamp}{SUFFIX}"


def home(snapshot: Path | str, stamp: str, *, in_folder: bool) -> Path:
    """Where the measures of the projection saved in ``snapshot`` (whose stamp is
    ``stamp``) are kept: for a store folder's (``in_folder``), in kg's cache
    (:func:`cached_path`); for any other, beside it (:func:`path_for`)."""
    return cached_path(stamp) if in_folder else path_for(snapshot)


def prune_cached(keep: int = KEEP) -> None:
    """Remove all but the ``keep`` measures files of :func:`cached_path` written last."""
    from ..cache import cache_root

    found = []
    for path in (cache_root() / FOLDER).glob(f"*{SUFFIX}"):
        try:
            found.append((path.stat().st_mtime, path))
        except OSError:
            continue
    for _, path in sorted(found, reverse=True)[keep:]:
        path.unlink(missing_ok=True)


def where(graph: Any) -> tuple[Path, str, bool] | None:
    """Where the measures of ``graph``'s saved projection are kept, whether they are there
    yet or not (:func:`home`), that projection's stamp, and whether the projection is a
    store folder's (then the measures are in kg's cache, :func:`cached_path`); ``None``
    when ``graph`` has no saved projection (its store folder's, or one kept in kg's
    cache: :mod:`.snapshot`)."""
    from .snapshot import kept_path, stored
    from .snapshot import stamp as stamp_of

    saved = stored(graph)
    in_folder = saved is not None
    if not in_folder:
        saved = kept_path(graph)
        if saved is None or not saved.is_file():
            return None
    stamp = stamp_of(saved)
    if stamp is None:
        return None
    return home(saved, stamp, in_folder=in_folder), stamp, in_folder


def find(graph: Any) -> tuple[str, str] | None:
    """The file holding the measures of ``graph``'s saved projection, and that
    projection's stamp, when a server, a command or a notebook kept them (:func:`where`).
    ``None`` when there is no such file (nothing is computed or written)."""
    found = where(graph)
    if found is None or not found[0].is_file():
        return None
    return str(found[0]), found[1]


def keep(graph: Any, actors: nx.MultiDiGraph) -> Path | None:
    """Save the measures just computed in this process of ``actors``, ``graph``'s whole
    projection read from its saved projection file, where a server and the next command
    or notebook look for them (:func:`where`): exact betweenness of a large graph takes
    minutes, and is then computed once per graph, not once per command. Only the measures
    of the engine ``"auto"`` picks for the graph (those a server computes), only for a
    projection installed from its saved file (:func:`.projection.installed`: the file
    the stamp is of), and only when the file does not hold them already. Where they were
    saved, or ``None`` (nothing to keep, or the cache cannot be written: logged)."""
    from ..errors import InputError
    from .projection import installed

    found = recalled(actors)
    if found is None or not installed(graph):
        return None
    place = where(graph)
    if place is None:
        return None
    path, stamp, in_folder = place
    if load(path, stamp=stamp) is not None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save(path, found, stamp=stamp)
    except (OSError, InputError) as error:
        log.warning("the whole graph's centrality measures could not be kept in %s: %s",
                    path.parent, error)
        return None
    if in_folder:
        prune_cached()
    log.info("the whole graph's centrality measures kept in %s", path)
    return path


def recall_kept(graph: Any, actors: nx.MultiDiGraph) -> bool:
    """Make the measures a server kept for ``graph``'s saved projection (:func:`find`)
    those of ``actors``, its unfiltered projection in this process, unless it has some
    already; whether it has measures kept now."""
    with _lock:
        if _memo.get(actors):
            return True
    found = find(graph)
    return found is not None and recall_file(actors, found[0], stamp=found[1])


def compute_job(graph: Any, path: str, stamp: str) -> dict[str, Any]:
    """A job for a server's worker (:mod:`kg.execute`): the measures of ``graph``'s whole
    projection, computed (or read, when ``path`` holds them already) and saved at
    ``path``; what was done, for the server's log."""
    from .projection import Filters, projection

    actors = projection(graph, Filters())
    if recall_file(actors, path, stamp=stamp):
        return {"nodes": actors.number_of_nodes(), "computed": False}
    found = measures(actors)
    save(path, found, stamp=stamp)
    return {"nodes": actors.number_of_nodes(), "computed": True, "engine": found["engine"]}
