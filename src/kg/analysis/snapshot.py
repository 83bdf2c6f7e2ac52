"""The projection built once and saved to a file, which every worker process reads.

A server's workers each need the unfiltered ``actors`` projection before their first
analysis request, and the :class:`~.reading.Raw` input for any other view. Reading them
from the store is by far the slowest part of a start (every fact, quote, date and
mention), so it is done **once**: by ``kg build --store-dir`` (the file goes inside the
Oxigraph store folder it writes, :data:`FILE_NAME`, so the folder is swapped in whole
with it), or by the server's parent process when the store has no such file (a graph
loaded from files, a store folder written otherwise, a remote store), into a temporary
file the workers read and that is removed when the server stops -- except for a store
reopened from kg's cache of loaded stores (:mod:`kg.cache`): its projection is kept
beside the cached store (in the entry's folder, :func:`kg.cache.entry_of`, named for the
code of :mod:`kg.analysis` that built it), so that the
next server of the same unchanged files reads it instead of building it, and for a
remote store that ``kg push`` filled: its projection is kept in the cache too, in a
folder for the store's URL, named for the code and the pushed build (its ``kg.nq``'s
SHA-256, which the push wrote into the store: :func:`remote_entry`), so that the next
server of the same push reads it instead of the store's every fact; a kept file
that is damaged (its checksum, or its header) is built again, with a
:class:`~kg.cache.CacheNote`. A worker then only loads the ``actors`` graph (and loads
the ``Raw`` the first time a request needs it).

The file is kg's own private cache, in Python's ``pickle`` format: a networkx graph is
Python objects (dicts of dicts of attributes), and unpickling rebuilds them faster than
any text format would be parsed and turned into the same objects. Like any pickle it
runs code when loaded: kg only reads one from a store folder it is told to serve (a
folder ``kg build`` wrote) or one its own process wrote. It is versioned: the file
starts with a small header (:data:`FORMAT`, kg's version, and the fingerprint of the
graph it was built from: the sha256 of the store's graph names, one per article); a file
whose header does not match is not used (the projection is built again, and the log
says why). The fingerprint is a sanity check, not a proof: that a store folder's file
belongs to it comes from ``kg build`` writing both into the folder it swaps in whole
(an edited article keeps its graph name; the folder is never written in place).

**Shared by every worker.** ``kg serve --store oxigraph:DIR`` knows the file before it
opens anything: the fork server its workers are forked from (:mod:`kg.execute`) loads it
once, with what the first search and neighbourhood need of it (folded names, undirected
view), while the server opens the store (:func:`preload`, run by :mod:`.preload`). Each
worker then finds the projection in its memory at fork (shared copy-on-write, never
unpickled again) and uses it when the file it is told to load is the very file preloaded
(same device, inode, size and modification time) and its header's fingerprint is the
graph's (:func:`load`); otherwise it reads the file itself, as without a preload.

Layout: four pickles one after another -- the header (with the lengths of the other
three, and their SHA-256), the ``actors`` graph with what the first search and the first
neighbourhood need of it (its folded names and undirected view, :mod:`.matching`,
:mod:`.pathfinding`: built by ``kg build``, not by each worker), the ``Raw`` state, with
the statements the ``full`` view is built from, and the unfiltered ``full`` view with its
folded names and undirected view. A worker reads the last two only when a request first
needs them; none reads the store for the full view (at 10,000 articles reading its
statements took 10 s, building it 8.5 s more: each past a request's limit). A file shorter or longer
than its header says is refused; with ``verify`` (a file in kg's cache), so is one whose
bodies do not have the SHA-256 the header records.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import logging
import os
import pickle
import tempfile
import threading
import warnings
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not Unix: workers load side by side
    fcntl = None  # type: ignore[assignment]

from .. import __version__
from ..by_identity import ByIdentity

if TYPE_CHECKING:  # networkx is imported where a projection is built or loaded, not to check
    import networkx as nx

    from .reading import Raw

__all__ = ["FILE_NAME", "FORMAT", "PRELOAD_VARIABLE", "fingerprint", "save", "write",
           "stored", "kept_path", "remote_entry", "install_saved", "check", "load", "load_raw",
           "for_workers", "sizes", "stamp", "preload", "shared", "prune_kept"]

log = logging.getLogger(__name__)

#: the file's name inside an Oxigraph store folder
FILE_NAME = "kg-projection.pickle"
#: bumped whenever what is saved, or how the projection is built, changes (2: the folded
#: names and undirected view saved with the ``actors`` graph; 3: every person,
#: organization and place in the full view, one without a statement linking it too; 4:
#: every resource-to-resource statement in the ``Raw`` state, which the full view is built
#: from: reading them took 10 s of a 10 s request at 10,000 articles; and the unfiltered
#: ``full`` view itself, a third body, 8.5 s to build there)
FORMAT = 4
#: the environment variable naming the file :mod:`.preload` loads in the fork server
PRELOAD_VARIABLE = "KG_PRELOAD_PROJECTION"


@dataclass(frozen=True)
class _Preloaded:
    """A projection file loaded by :func:`preload`: which file (device, inode, size,
    modification time), the fingerprint its header records, its ``actors`` graph."""

    identity: tuple[int, int, int, int]
    fingerprint: str
    actors: Any
    #: the file, open (shared with the workers forked from this process)
    fd: int
    #: where each body lies in it (:func:`_bodies`)
    bodies: list[tuple[int, int]]


#: what :func:`preload` loaded in this process (or in the process it was forked from)
_preloaded: _Preloaded | None = None
#: the graphs whose installed projection is the preloaded one (:func:`shared`)
_shared: ByIdentity[bool] = ByIdentity()


def fingerprint(graph: Any) -> str:
    """What identifies ``graph`` cheaply (milliseconds, even at a million statements): a
    hash of its graph names (one per article), with kg's version and :data:`FORMAT`."""
    digest = hashlib.sha256(f"kg {__version__} projection {FORMAT}\n".encode())
    for name in graph.store.graph_names():
        digest.update(str(name).encode("utf-8") + b"\n")
    return digest.hexdigest()


def save(graph: Any, path: Path | str, *, count: bool = True) -> Path:
    """Read ``graph``'s projection input once (on an embedded store each answer whole, not
    in pages; from a remote store in pages), every resource-to-resource statement the
    ``full`` view needs included, build the ``actors`` and ``full`` views and write them to
    ``path`` (written beside, then renamed into place); with ``count``, the store's number
    of graphs and quads too (what a server reports at ``/-/health``, without counting a
    million quads when it starts)."""
    from .projection import Filters, build
    from .reading import read

    # an embedded store streams each answer; a remote one is read in pages, as its caps
    # ask (reading.pages_for); the full view's edges too: a worker never reads the store
    raw = read(graph, full=True)
    sizes = ({"graphs": len(graph.store.graph_names()), "quads": len(graph.store)}
             if count else None)
    return write(raw, build(raw, Filters()), path, fingerprint=fingerprint(graph),
                 sizes=sizes, full=build(raw, Filters(view="full")))


def write(raw: Raw, actors: nx.MultiDiGraph, path: Path | str, *, fingerprint: str,
          sizes: dict[str, int] | None = None, full: nx.MultiDiGraph | None = None) -> Path:
    """Write ``raw`` and its unfiltered ``actors`` and ``full`` projections (``full``: built
    from ``raw`` when not given) to ``path``, atomically; ``sizes``: the store's
    ``{"graphs", "quads"}``, kept in the header."""
    path = Path(path)
    from .projection import Filters, build

    if full is None:
        full = build(raw, Filters(view="full"))
    bodies = [pickle.dumps(_with_lookups(actors), protocol=pickle.HIGHEST_PROTOCOL),
              pickle.dumps(_state(raw), protocol=pickle.HIGHEST_PROTOCOL),
              pickle.dumps(_with_lookups(full), protocol=pickle.HIGHEST_PROTOCOL)]
    digest = hashlib.sha256()
    for body in bodies:
        digest.update(body)
    header = {"format": FORMAT, "kg_version": __version__, "fingerprint": fingerprint,
              "sizes": sizes, "lengths": [len(b) for b in bodies],
              "sha256": digest.hexdigest()}
    handle, name = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        os.chmod(name, 0o644)  # a file of the store folder, readable as the rest of it
        with os.fdopen(handle, "wb") as out:
            pickle.dump(header, out, protocol=pickle.HIGHEST_PROTOCOL)
            for body in bodies:
                out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return path


def _with_lookups(view: nx.MultiDiGraph) -> dict[str, Any]:
    """A view as a body of the file: with its folded names and undirected view, which the
    first search and the first neighbourhood of it need (:func:`_view` reads it back)."""
    from .matching import folded_names
    from .pathfinding import undirected

    return {"actors": view, "names": folded_names(view), "undirected": undirected(view)}


def stored(graph: Any) -> Path | None:
    """The projection file inside ``graph``'s store folder, if it has one."""
    folder = getattr(graph.store, "path", None)
    if folder is None:
        return None
    path = Path(folder) / FILE_NAME
    return path if path.is_file() else None


def install_saved(graph: Any, *, keep: bool = False,
                  before_keeping: Callable[[], None] | None = None) -> bool:
    """Make the projection saved for ``graph`` -- in its store folder (``kg build
    --store-dir``), or kept beside its store in kg's cache by an earlier server or command
    -- the one this process uses (:func:`load`), when there is one and it is ``graph``'s
    (a kept file is checked whole). Whether one was installed. What a command does before
    it runs an analysis in a worker forked from it, rather than reading every fact of the
    store again.

    Nothing is built or written, but with ``keep``: then a graph whose store has a place
    in kg's cache (:func:`kept_path`: a store reopened from it, a triplestore ``kg push``
    filled) and no projection there yet has one read, built and kept there now, as a
    server keeps it, for every later command (``before_keeping`` called first: a
    command says so)."""
    expected = fingerprint(graph)
    path = _stored_checked(graph, expected) or _kept(graph, expected, build=keep,
                                                      before=before_keeping)
    return path is not None and load(graph, path, expected=expected)


def for_workers(graph: Any) -> tuple[Path, str, bool]:
    """The projection file ``graph``'s workers should load, ``graph``'s fingerprint, and
    whether the file is a scratch file made now (the caller removes it when done): the
    one in the store folder when it is ``graph``'s; for a store reopened from kg's cache,
    the one kept beside it (written now, kept, when missing or damaged); else one written
    now, once."""
    expected = fingerprint(graph)
    path = _stored_checked(graph, expected) or _kept(graph, expected)
    if path is not None:
        return path, expected, False
    handle, name = tempfile.mkstemp(prefix="kg-projection-", suffix=".pickle")
    os.close(handle)
    try:
        save(graph, name, count=False)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), expected, True


def _stored_checked(graph: Any, expected: str) -> Path | None:
    """The projection file in ``graph``'s store folder when it is ``graph``'s (its
    fingerprint ``expected``); ``None``, logged when there is one that is not."""
    path = stored(graph)
    if path is None:
        return None
    problem = check(path, expected)
    if problem is None:
        return path
    log.warning("not using the saved projection %s: %s; building it (each time: kg build "
                "--store-dir %s saves one this kg reads)", path, problem, path.parent)
    return None


def _kept(graph: Any, expected: str, *, build: bool = True,
          before: Callable[[], None] | None = None) -> Path | None:
    """The projection kept beside ``graph``'s store in kg's cache (checked whole; with
    ``build``, built and kept now when missing or damaged, ``before`` called first);
    ``None`` when the store is not
    a cache entry, the file is missing or damaged and not to be built (logged), or it
    cannot be written there (the caller builds a scratch file)."""
    from ..cache import CacheNote

    path = kept_path(graph)
    if path is None or not (build or path.is_file()):
        return None
    entry = path.parent
    if path.exists():
        problem = check(path, expected, verify=True)
        if problem is None:
            return path
        if not build:
            log.warning("not using the projection kept in the cache %s: %s", path, problem)
            return None
        warnings.warn(CacheNote(f"the projection kept in the cache ({path}) is not usable "
                                f"({problem}); it is built again"), stacklevel=3)
    if before is not None:
        before()
    try:
        entry.mkdir(parents=True, exist_ok=True)  # (a remote store's, the first time)
        saved = save(graph, path)
    except OSError as error:
        warnings.warn(CacheNote(f"the projection could not be kept in the cache {entry}: "
                                f"{error.strerror or error}"), stacklevel=3)
        return None
    prune_kept(entry, but=saved)
    return saved


#: how long a projection another kg kept in a cache entry is left there once this one has
#: kept its own (a server of that kg starting now reads it within seconds)
PRUNE_AFTER = 3600.0


def prune_kept(entry: Path, *, but: Path, older_than: float = PRUNE_AFTER) -> list[Path]:
    """Remove from the cache entry ``entry`` the projections (and their measures) that
    other code of :mod:`kg.analysis` kept there, but ``but``, when not written in the last
    ``older_than`` seconds: each kg version, each change of a checkout, keeps one (381 MB at
    10,000 articles), and none would be read again. A server of that code still running
    reads on from the file it opened. What was removed."""
    import time

    removed = []
    stem = Path(FILE_NAME).stem
    for path in entry.glob(f"{stem}-*.pickle"):
        try:
            if path == but or time.time() - path.stat().st_mtime < older_than:
                continue
            path.unlink()
        except OSError:
            continue
        removed.append(path)
        Path(f"{path}.measures").unlink(missing_ok=True)  # (kept_measures.path_for)
    return removed


def kept_path(graph: Any) -> Path | None:
    """Where kg's cache keeps the projection of ``graph`` (whether or not it is there
    yet): in its entry's folder, named for the code of :mod:`kg.analysis`; for a remote
    store that ``kg push`` filled, in a folder of the cache for the store's URL
    (``remote/…``), named for the code and the pushed build (:func:`remote_entry`);
    ``None`` when ``graph``'s store is neither."""
    from ..cache import entry_of

    name = f"{Path(FILE_NAME).stem}-{_code_stamp()}"
    entry = entry_of(graph)
    if entry is not None:
        return entry / f"{name}.pickle"
    remote = remote_entry(graph)
    if remote is None:
        return None
    folder, identity = remote
    return folder / f"{name}-{hashlib.sha256(identity.encode()).hexdigest()[:16]}.pickle"


def remote_entry(graph: Any) -> tuple[Path, str] | None:
    """The folder of kg's cache that keeps what a server reads from ``graph``'s remote
    store (one per store URL: a new push's projection replaces the last one's there, as
    :func:`prune_kept` removes another's an hour on), and the pushed build's identity
    (:meth:`kg.remote_store.SparqlHttpStore.dataset_identity`); ``None`` for any other
    store, or a dataset an older kg pushed (then read at every start)."""
    from ..cache import cache_root

    identify = getattr(graph.store, "dataset_identity", None)
    identity = identify() if identify is not None else None
    if not identity:
        return None
    url = hashlib.sha256(str(graph.store.url).encode()).hexdigest()[:16]
    return cache_root() / "remote" / url, identity


def _code_stamp() -> str:
    """What identifies the code that builds a projection (the size and modification time
    of each module and query of :mod:`kg.analysis`): a changed checkout keeps its
    projection under another name in the cache, as the cache keys a store on the code
    that loads it (:func:`kg.cache.cache_key`)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*here.glob("*.py"), *here.glob("sparql/*.rq")]):
        stat = path.stat()
        digest.update(f"{path.relative_to(here)} {stat.st_size} {stat.st_mtime_ns}\n"
                      .encode())
    return digest.hexdigest()[:16]


def sizes(path: Path | str) -> dict[str, int] | None:
    """The store's ``{"graphs", "quads"}`` recorded in the file at ``path``, if any."""
    header = _header(path)
    found = header.get("sizes") if isinstance(header, dict) else None
    return dict(found) if isinstance(found, dict) else None


def stamp(path: Path | str) -> str | None:
    """What identifies the contents of the projection file at ``path``: the SHA-256 its
    header records; ``None`` when it cannot be read or records none."""
    try:
        header = _header(path)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    found = header.get("sha256") if isinstance(header, dict) else None
    return found if isinstance(found, str) and found else None


def _header(path: Path | str) -> Any:
    with open(path, "rb") as source:
        return pickle.load(source)


def check(path: Path | str, expected: str, *, verify: bool = False) -> str | None:
    """Why the file at ``path`` is not the projection of the graph whose fingerprint is
    ``expected`` (``None``: it is): its header, its length; with ``verify``, the SHA-256
    of its contents too."""
    try:
        with open(path, "rb") as source:
            header = pickle.load(source)
            start = source.tell()
            length = os.fstat(source.fileno()).st_size
            problem = _header_problem(header, start, length, expected)
            if problem is not None:
                return problem
            if verify:
                if not header.get("sha256"):
                    return "its header records no SHA-256"
                if hashlib.file_digest(source, "sha256").hexdigest() != header["sha256"]:
                    return "its contents do not have the SHA-256 they were written with"
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
        return f"cannot read it ({error})"
    return None


def _header_problem(header: Any, start: int, length: int,
                    expected: str | None = None) -> str | None:
    """Why ``header`` (read from a file of ``length`` bytes, its bodies at ``start``) is
    not that of a projection file this kg reads (``None``: it is), built from the graph
    whose fingerprint is ``expected`` (``None``: from any graph)."""
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return f"it is not a kg projection file of format {FORMAT}"
    if header.get("kg_version") != __version__:
        return f"kg {header.get('kg_version')} wrote it, this is kg {__version__}"
    if expected is not None and header.get("fingerprint") != expected:
        return "it was built from another graph (the store's graph names differ)"
    lengths = header.get("lengths")
    if (not isinstance(lengths, list) or len(lengths) != 3
            or not all(isinstance(n, int) for n in lengths)
            or start + sum(lengths) != length):
        return f"it has {length} bytes, not the {start + sum(lengths or ())} its " \
               f"header announces"
    if not isinstance(header.get("fingerprint"), str):
        return "its header records no fingerprint"
    return None


def load(graph: Any, path: Path | str, *, expected: str) -> bool:
    """Make the ``actors`` projection saved at ``path`` the one this process uses for
    ``graph`` (its ``Raw`` is loaded when first needed); False, logged, when the file is
    not ``graph``'s (``expected``: its fingerprint, checked against the header). When
    this process holds that very file preloaded (:func:`preload`, in the fork server it
    was forked from), the preloaded graph is used: nothing is read."""
    preloaded = _preloaded
    if preloaded is not None and preloaded.fingerprint == expected:
        try:
            same = _identity(os.stat(path)) == preloaded.identity
        except OSError:
            same = False
        if same:
            _install(graph, preloaded.actors, preloaded.fd, preloaded.bodies)
            _shared.put(graph, True)
            return True
    problem = check(path, expected)
    if problem is not None:
        log.warning("not using the saved projection %s: %s", path, problem)
        return False
    with open(path, "rb") as source:
        # one worker at a time: the first is ready sooner than if all shared the cores
        if fcntl is not None:
            fcntl.flock(source, fcntl.LOCK_EX)
        header = pickle.load(source)
        bodies = _bodies(source.tell(), header["lengths"])
        actors = _view(_unpickled(source.read(header["lengths"][0])))
        fd = _kept_open(source)
        if fcntl is not None:  # (the copy would hold the lock on: the lock is the file's)
            fcntl.flock(source, fcntl.LOCK_UN)
    weakref.finalize(graph, os.close, fd)
    _install(graph, actors, fd, bodies)
    _shared.discard(graph)
    return True


def _kept_open(source: Any) -> int:
    """A descriptor of the file ``source`` has open, which stays open once ``source`` is
    closed: the rest of the file is read from it later, as the file is now, even once it
    is replaced or removed (a newer kg prunes the projections an older one kept in the
    cache)."""
    return os.dup(source.fileno())


def _bodies(start: int, lengths: list[int]) -> list[tuple[int, int]]:
    """Where each body of a file whose header ends at ``start`` lies: (offset, length)."""
    return list(zip(itertools.accumulate(lengths[:-1], initial=start), lengths, strict=True))


def _install(graph: Any, actors: Any, fd: int, bodies: list[tuple[int, int]]) -> None:
    """Make ``actors`` ``graph``'s saved projection in this process, its ``Raw`` and full
    view read from the open file ``fd`` (at ``bodies``) when first needed."""
    from .projection import install

    _, raw_at, full_at = bodies
    install(graph, actors, raw=lambda: load_raw(fd, *raw_at),
            full=lambda: load_view(fd, *full_at))


def preload(path: Path | str) -> bool:
    """Load the ``actors`` projection saved at ``path`` into this process, with its folded
    names and undirected view, for the processes forked from it to share (:func:`load`
    uses it for a graph whose fingerprint the file's header records). Meant for the fork
    server of a server's workers (:mod:`.preload`), which loads one file once, before it
    forks any worker. False, logged, when the file cannot be read or is not a kg
    projection file of this version (the workers then read their file themselves)."""
    global _preloaded
    try:
        with open(path, "rb") as source:
            identity = _identity(os.fstat(source.fileno()))
            header = pickle.load(source)
            start = source.tell()
            problem = _header_problem(header, start, identity[2])
            if problem is not None:
                log.warning("not preloading the projection %s: %s", path, problem)
                return False
            actors = _view(_unpickled(source.read(header["lengths"][0])))
            fd = _kept_open(source)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
        log.warning("not preloading the projection %s: cannot read it (%s)", path, error)
        return False
    _preloaded = _Preloaded(identity=identity, fingerprint=header["fingerprint"],
                            actors=actors, fd=fd, bodies=_bodies(start, header["lengths"]))
    gc.freeze()  # shared with the workers: the collector of each never writes to them
    return True


def shared(graph: Any) -> bool:
    """Whether ``graph``'s installed projection is the one preloaded by the process this
    one was forked from (:func:`preload`), not a copy read by this process."""
    return _shared.get(graph) is not None


def _identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _read_at(fd: int, offset: int, length: int) -> bytes:
    """``length`` bytes from ``offset`` of the open file ``fd``."""
    chunks, done = [], 0
    while done < length:
        chunk = _pread(fd, length - done, offset + done)
        if not chunk:
            raise EOFError(f"the projection file ended {length - done} bytes early")
        chunks.append(chunk)
        done += len(chunk)
    return b"".join(chunks)


def _pread(fd: int, length: int, offset: int) -> bytes:
    """``os.pread``, or where there is none (not Unix) a seek and a read, one at a time."""
    if hasattr(os, "pread"):
        return os.pread(fd, length, offset)
    with _seek_lock:  # pragma: no cover - not Unix
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, length)


_seek_lock = threading.Lock()


def load_raw(fd: int, offset: int, length: int) -> Raw:
    """The :class:`~.reading.Raw` saved at ``offset`` in the open file ``fd``."""
    state = _unpickled(_read_at(fd, offset, length))
    from .reading import Raw

    raw = Raw()
    for key, value in state.items():
        current = getattr(raw, key)
        if isinstance(current, defaultdict):
            current.update(value)
            if key == "quotes":
                for node, by_article in value.items():
                    current[node] = defaultdict(list, by_article)
        else:
            setattr(raw, key, value)
    return raw


def read_raw(path: Path | str) -> Raw:
    """The :class:`~.reading.Raw` saved in the projection file at ``path`` (a file of this
    kg's format, from any graph: its header is checked, not its fingerprint)."""
    with open(path, "rb") as source:
        try:
            header = pickle.load(source)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
            raise ValueError(f"{path}: not a kg projection file ({error})") from None
        start = source.tell()
        problem = _header_problem(header, start, os.fstat(source.fileno()).st_size)
        if problem is not None:
            raise ValueError(f"{path}: {problem}")
        _, raw_at, _ = _bodies(start, header["lengths"])
        return load_raw(source.fileno(), *raw_at)


def _state(raw: Raw) -> dict[str, Any]:
    """``raw``'s fields as plain dicts (its defaultdicts' factories do not pickle)."""
    def plain(value: Any) -> Any:
        if isinstance(value, defaultdict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return {key: plain(value) for key, value in vars(raw).items()}


def _view(body: Any) -> Any:
    """The view a body of the file holds (the ``actors`` one first, the ``full`` one
    last: :func:`_with_lookups`), its saved folded names and undirected view made the ones
    this process uses for it (as if :func:`.matching.folded_names` and
    :func:`.pathfinding.undirected` had built them here)."""
    if not isinstance(body, dict) or not {"actors", "names", "undirected"} <= body.keys():
        raise ValueError("its body is not a saved projection")
    from . import matching, pathfinding

    view = body["actors"]
    with matching._folded_lock:
        matching._folded[view] = body["names"]
    with pathfinding._undirected_lock:
        pathfinding._undirected[view] = body["undirected"]
    return view


def load_view(fd: int, offset: int, length: int) -> nx.MultiDiGraph:
    """The view saved at ``offset`` in the open file ``fd`` (the ``full`` one: read when a
    request first needs it, 3.6 s at 10,000 articles against 8.5 s to build it)."""
    return _view(_unpickled(_read_at(fd, offset, length)))


def _unpickled(data: bytes) -> Any:
    """Unpickle with the cyclic garbage collector paused (it would scan the millions of
    new objects several times over), then move them out of its sight for good."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()
        gc.freeze()
