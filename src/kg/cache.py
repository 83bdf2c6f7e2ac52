"""A persistent cache of loaded stores, so that a read command does not load again.

``kg query`` (and the analysis commands) would otherwise parse every file and materialize
the entailment at every run. After a load from files, the loaded Oxigraph store is kept
as a folder in the cache, and the next command that loads the same files reopens it
read-only (milliseconds) instead of loading (seconds).

* **Where**: ``$KG_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/kg/stores``, else
  ``~/.cache/kg/stores``. A user cache rather than a folder in the project: it serves the
  bundled data and ``--data`` folders anywhere alike, never writes into a checkout (no
  file to ignore or to commit by mistake, a read-only checkout works), and its keys hold
  absolute paths, so projects never share an entry by accident.
* **Keyed** on everything that determines the store: each ontology and data file's
  resolved path, size, modification and change times (nanoseconds; the change time
  catches a file put back with an older modification time), in load order; whether RDFS
  entailment is on; the versions of kg and pyoxigraph; and the size and modification time
  of kg's own modules that load (a changed checkout is a new key). Touching or editing a
  file, adding or removing one, gives a new key: the entry is rebuilt, never reused.
* **Written atomically**: built in a ``.building-*`` folder beside the entries, then
  renamed into place in one step, so a concurrent command sees a complete entry or none,
  and a command killed while writing leaves only a ``.building-*`` folder (removed after
  an hour by a later command). When two commands write the same entry, the first rename
  wins and the other's copy is dropped: both are the same.
* **Checked** before use: every file of the stored folder has the size and SHA-256 that
  ``meta.json`` records (a file whose size, modification time and inode are still those
  recorded when it was written is not read again: :func:`_damage` says why that is
  enough); a damaged entry (a file missing, truncated or changed, an unreadable
  ``meta.json``) is removed and rebuilt, with a :class:`CacheNote` warning saying why
  (the CLI prints it as ``kg: note: …``). A damaged entry never answers.
* **Written after the answer** by a command within :func:`written_after` (``kg query``):
  its first load answers from the store it loaded (a named query's lists are sorted when
  read, so its answer is the cached one's byte for byte: :mod:`kg.queries`), and the entry
  is written once the command is done, by a detached process (the command does not wait
  for it: :mod:`kg.cache_writer` loads the files again, everything derived, into the
  entry; the command's own load may leave out what its query does not read):
  atomically as above; a ``.writing-*`` file in the cache folder says that a writer is at
  work (:func:`writing`); a writer's error goes to ``.write-errors.log`` there, and the
  next load from the cache notes it (:class:`CacheNote`).
* **Bounded**: the :data:`KEEP` entries used last are kept; older ones are removed.
* **Beside the store**: an entry's folder may also hold what is derived from its store
  (:func:`entry_of`: ``kg serve`` keeps the network projection there,
  :mod:`kg.analysis.snapshot`); it is not part of the store's checksums, checks itself, and
  goes when the entry goes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from stat import S_ISLNK
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

if TYPE_CHECKING:
    from .bundle import Bundle
    from .load import KnowledgeGraph
    from .oxigraph_store import FolderCopy
    from .store import Store

__all__ = ["CacheNote", "KEEP", "cache_root", "cache_key", "cached_load", "entry_before",
           "entry_of", "finish_entry", "key_path", "writing", "written_after"]

#: how many entries (loaded stores) the cache keeps, the most recently used
KEEP = 4
#: the layout of an entry; a different one is a different key (2: files' change times)
_FORMAT = 2
#: kg's modules whose code determines what a load puts in the store (and, beside them,
#: every internal query in ``sparql/``: entailment and the keys are SPARQL too)
_LOADING_MODULES = ("load.py", "parse.py", "entail.py", "store.py", "oxigraph_store.py",
                    "namespaces.py", "cache.py", "search_keys.py", "date_keys.py",
                    "order_keys.py", "asserted.py", "values_blocks.py")
#: a ``.building-*`` folder (or ``.writing-*`` file) older than this belongs to a command
#: (or writer) that was killed
_STALE_BUILD_SECONDS = 3600
#: where a detached writer's errors go, in the cache folder
_ERRORS = ".write-errors.log"
#: the writes :func:`written_after` leaves for after its block (``None``: write at once)
_deferred: ContextVar[list[Callable[[], None]] | None] = ContextVar("kg_cache_deferred",
                                                                    default=None)


class CacheNote(UserWarning):
    """Something the cache did that a user should know: an entry was damaged and rebuilt,
    or could not be written."""


def cache_root() -> Path:
    """The cache folder: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg/stores``, else
    ``~/.cache/kg/stores``."""
    explicit = os.environ.get("KG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg" / "stores"


def _stamp(path: Path, folders: dict[str, str] | None = None) -> list[Any]:
    """``[resolved path, size, mtime_ns, ctime_ns]``; ``folders`` remembers each folder
    resolved, so that a thousand files of one folder cost one resolution (a symbolic link
    is resolved itself). The change time too: a file written back with its size and an
    older modification time (``tar x``, ``cp -p``, ``rsync -a``, ``touch -r``) has a new
    one, which nothing can set back; a ``chmod`` changes it too, which only costs a load."""
    text = os.fspath(path)
    stat = os.lstat(text)  # (one look-up: a file that is no link is its own target)
    link = S_ISLNK(stat.st_mode)
    if link:
        stat = os.stat(text)
    return [_resolved(text, link, folders), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def key_path(path: Path, folders: dict[str, str] | None = None) -> str:
    """``path`` as a cache key writes it (:func:`_stamp`), also for a file that no longer
    exists (its folder resolved)."""
    return _resolved(os.fspath(path), path.is_symlink(), folders)


def _resolved(text: str, link: bool, folders: dict[str, str] | None) -> str:
    """The path ``text`` resolved: a symbolic link (``link``) itself, else its folder
    (each folder once with ``folders``)."""
    if folders is None or link:
        return str(Path(text).resolve())
    folder, name = os.path.split(text)
    parent = folders.get(folder)
    if parent is None:
        parent = folders[folder] = str(Path(folder or ".").resolve())
    return os.path.join(parent, name)


def cache_key(data_files: Sequence[Path], ontology_files: Sequence[Path], *,
              entail: bool) -> str:
    """The key of the store that loading these files gives (hex SHA-256)."""
    return _key(_inputs(data_files, ontology_files, entail=entail))


def _key(inputs: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode("utf-8")).hexdigest()


def _inputs(data_files: Sequence[Path], ontology_files: Sequence[Path], *,
            entail: bool) -> dict[str, Any]:
    """Everything the key is made of (kept in ``meta.json``: :func:`entry_before`)."""
    import pyoxigraph

    from . import __version__

    here = Path(__file__).parent
    folders: dict[str, str] = {}
    return {
        "format": _FORMAT,
        "kg": __version__,
        "pyoxigraph": pyoxigraph.__version__,
        "code": [[name, *(_stamp(here / name)[1:])] for name in _LOADING_MODULES]
                + _query_stamps(here / "sparql"),
        "entail": entail,
        "ontology": [_stamp(path, folders) for path in ontology_files],
        "data": [_stamp(path, folders) for path in data_files],
    }


def _query_stamps(folder: Path) -> list[list[Any]]:
    """``[sparql/<name>, size, mtime_ns]`` of each internal query, sorted: the update that
    entails, the queries that derive the keys; a changed one is a new key (one listing,
    each entry's size and time read from it)."""
    with os.scandir(folder) as entries:
        found = [(entry.name, entry.stat()) for entry in entries if entry.name.endswith(".rq")]
    return [[f"sparql/{name}", stat.st_size, stat.st_mtime_ns]
            for name, stat in sorted(found)]


def cached_load(data_files: Sequence[Path], ontology_files: Sequence[Path], *,
                bundle: Bundle, entail: bool,
                build: Callable[[Callable[[Store], None] | None], KnowledgeGraph],
                ) -> KnowledgeGraph:
    """The graph these files load into: reopened from the cache when an intact entry
    has its key; else ``build(begin)``, kept in the cache for the next time. ``build``
    calls ``begin(store)`` once the files are read into ``store`` and before anything is
    derived from them: the entry's copy of the store begins then, beside the rest of the
    load (:class:`kg.oxigraph_store.FolderCopy`). Within :func:`written_after`, ``begin`` is
    ``None``: the graph built only answers the command (its entry is loaded from the files
    again by the detached writer), so it may leave out what the command does not read."""
    inputs = _inputs(data_files, ontology_files, entail=entail)
    key = _key(inputs)
    root = cache_root()
    _note_failed_writes(root)
    entry = root / key
    if entry.is_dir():
        graph = _open(entry, key, data_files, ontology_files, bundle=bundle)
        if graph is not None:
            return graph
    deferred = _deferred.get()
    if deferred is not None:  # answer from this load; the entry is written afterwards
        graph = build(None)
        deferred.append(lambda: _start_writer(root, data_files, ontology_files, entail))
        return graph
    copy = _Copy(root)
    graph = _built(build, copy)
    try:
        _write(graph, root, key, data_files, ontology_files, inputs, copy)
    except OSError as error:
        warnings.warn(CacheNote(f"the loaded graph could not be kept in the cache {root}: "
                                f"{error.strerror or error}"), stacklevel=2)
        return graph
    # answer from the entry from the first time on: what is kept beside it (kg serve's
    # projection) finds it, and a query text of the user's own that joins values
    # (GROUP_CONCAT, not declared a list: kg.queries) answers in the order of the entry's
    # store, as every later run will. The entry was just written (by this command, or by a
    # concurrent one: renamed into place whole either way), so its files are not read
    # again for their checksums
    return _open(entry, key, data_files, ontology_files, bundle=bundle,
                 written=True) or graph


@contextlib.contextmanager
def written_after() -> Iterator[None]:
    """Within the block, a load the cache does not hold answers from the store it loaded,
    and its entry is written when the block is left (also on an error after the load): a
    detached process that the caller does not wait for loads the same files into it
    (``kg query``: the answer is printed, the command exits, the entry appears a few
    seconds later: :func:`finish_entry`)."""
    pending: list[Callable[[], None]] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        for start in pending:
            start()


def _built(build: Callable[[Callable[[Store], None] | None], KnowledgeGraph],
           copy: _Copy) -> KnowledgeGraph:
    """``build``'s graph, its entry's ``copy`` begun by the load (abandoned if it fails)."""
    try:
        return build(copy.begin)
    except BaseException:
        copy.abandon()
        raise


def writing(root: Path | None = None) -> list[Path]:
    """The ``.writing-*`` files of the writers at work in the cache folder (``root``, by
    default :func:`cache_root`): one each, removed when its entry is in place or has
    failed."""
    try:
        return sorted((root or cache_root()).glob(".writing-*"))
    except OSError:
        return []


def _start_writer(root: Path, data_files: Sequence[Path], ontology_files: Sequence[Path],
                  entail: bool) -> None:
    """Start :mod:`kg.cache_writer` on a ``.writing-*`` file that names the files to load
    (JSON), which marks it at work until the entry is in place or has failed: a new
    process (not a fork of this one, whose threads and locks it would inherit), in a
    session of its own, its standard streams on ``/dev/null``, a child of a shell that
    exits at once (so nobody waits for it, and no process is left to reap). The writer
    loads the files itself: this command neither dumps its store (a dump costs about what
    parsing the files does) nor needs to have derived all that an entry holds."""
    import subprocess

    try:
        root.mkdir(parents=True, exist_ok=True)
        handle, marker = tempfile.mkstemp(prefix=".writing-", dir=root)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump({"data": [str(path) for path in data_files],
                       "ontology": [str(path) for path in ontology_files],
                       "entail": entail}, file)
        try:  # the shell starts the writer in the background and exits: none to wait for
            subprocess.run(["/bin/sh", "-c", '"$0" -m kg.cache_writer "$1" '
                            "</dev/null >/dev/null 2>&1 &", sys.executable, marker],
                           start_new_session=True, check=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60, env=_this_kg_first())
        except BaseException:
            os.unlink(marker)
            raise
    except (OSError, subprocess.SubprocessError) as error:
        warnings.warn(CacheNote(f"the loaded graph could not be kept in the cache {root}: "
                                f"{getattr(error, 'strerror', None) or error}"), stacklevel=4)


def _this_kg_first() -> dict[str, str]:
    """The environment, with the folder this kg was imported from first on the module
    path: the writer runs the same kg as the command (however the command found it)."""
    here = str(Path(__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": here + (os.pathsep + path if path else "")}


def finish_entry(marker: Path) -> None:
    """What the detached writer (:mod:`kg.cache_writer`) does: load the files that the
    ``.writing-*`` file ``marker`` names (:func:`_start_writer`), everything derived, and
    keep the store as their entry (built beside, renamed into place, as
    :func:`cached_load` keeps one), unless an entry has that key already; any error goes
    to the cache's ``.write-errors.log``. The ``marker`` is removed either way."""
    from .bundle import bundled
    from .load import _load_files

    root = marker.parent
    key = "?"
    try:
        request = json.loads(marker.read_text(encoding="utf-8"))
        data_files = [Path(path) for path in request["data"]]
        ontology_files = [Path(path) for path in request["ontology"]]
        entail = bool(request["entail"])
        inputs = _inputs(data_files, ontology_files, entail=entail)
        key = _key(inputs)
        if not (root / key).is_dir():  # (an entry of these files kept meanwhile)
            copy = _Copy(root)
            graph = _built(lambda begin: _load_files(
                data_files, ontology_files, bundle=bundled(), entail=entail,
                store="oxigraph", on_read=begin), copy)
            _write(graph, root, key, data_files, ontology_files, inputs, copy)
    except BaseException:  # noqa: BLE001 - kept in the log for the next command
        with contextlib.suppress(OSError), (root / _ERRORS).open("a") as log:
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} kg (pid {os.getpid()}) "
                      f"could not write the cache entry {key}:\n"
                      f"{traceback.format_exc()}\n")
    finally:
        with contextlib.suppress(OSError):
            marker.unlink()


def _note_failed_writes(root: Path) -> None:
    """A :class:`CacheNote` for each error a detached writer logged since the last note
    (the log is then kept as ``.write-errors.seen.log``)."""
    log = root / _ERRORS
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
        log.replace(root / ".write-errors.seen.log")
    except OSError:
        return
    errors = [lines[-1] for block in text.split("\n\n")
              if (lines := [line for line in block.splitlines() if line.strip()])]
    for error in errors:
        warnings.warn(CacheNote(f"a cache entry could not be written in the background "
                                f"({error}); see {root / '.write-errors.seen.log'}"),
                      stacklevel=3)


def entry_of(graph: KnowledgeGraph) -> Path | None:
    """The cache entry ``graph``'s store was reopened from (its folder, where files derived
    from that store may be kept beside it), or ``None`` when it was not reopened from this
    cache."""
    folder = getattr(graph.store, "path", None)
    if folder is None or Path(folder).name != "store":
        return None
    entry = Path(folder).parent
    try:
        if entry.parent.resolve() != cache_root().resolve():
            return None
    except OSError:
        return None
    return entry if (entry / "meta.json").is_file() else None


def entry_before(data_files: Sequence[Path], ontology_files: Sequence[Path], *, entail: bool,
                 changed: Sequence[Path], bundle: Bundle,
                 ) -> tuple[KnowledgeGraph, list[str]] | None:
    """The graph of the cache entry (the most recently used first) loaded from these same
    files except ``changed`` (each edited, added or deleted since), with the same ontology
    files, versions and kg code, reopened read-only after the checks of :func:`cached_load`
    (a damaged entry is removed, never used), and the resolved paths of ``data_files`` as
    keys write them; ``None`` when there is none. The graph's ``files`` are the resolved
    paths it was loaded from (``kg validate --changed`` re-validates from it:
    :mod:`kg.rebase`)."""
    inputs = _inputs(data_files, ontology_files, entail=entail)
    away = {str(path.parent.resolve() / path.name) for path in changed}
    away |= {_stamp(path)[0] for path in changed if path.exists()}
    wanted = {stamp[0]: stamp for stamp in inputs["data"] if stamp[0] not in away}
    fixed = {k: v for k, v in inputs.items() if k != "data"}
    try:
        folders = sorted((f for f in cache_root().iterdir() if not f.name.startswith(".")),
                         key=lambda f: _mtime(f / "meta.json"), reverse=True)
    except OSError:
        return None
    for entry in folders:
        try:
            meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
            held = meta["inputs"]
            same = ({k: v for k, v in held.items() if k != "data"} == fixed
                    and {stamp[0]: stamp for stamp in held["data"]
                         if stamp[0] not in away} == wanted and _key(held) == entry.name)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            continue
        if same:
            graph = _open(entry, entry.name, [Path(stamp[0]) for stamp in held["data"]],
                          ontology_files, bundle=bundle, meta=meta)
            if graph is not None:
                return graph, [stamp[0] for stamp in inputs["data"]]
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# -- reading ------------------------------------------------------------------------------

def _open(entry: Path, key: str, data_files: Sequence[Path], ontology_files: Sequence[Path],
          *, bundle: Bundle, written: bool = False,
          meta: dict[str, Any] | None = None) -> KnowledgeGraph | None:
    """The graph of an intact entry; ``None`` (the entry removed, a note given) otherwise.
    ``written``: the entry was renamed into place just now, so only its ``meta.json`` is
    checked, not each file's SHA-256 (:func:`_damage`); ``meta``: its ``meta.json``,
    read already."""
    from .load import KnowledgeGraph
    from .namespaces import ONTOLOGY_GRAPH
    from .oxigraph_store import OxigraphStore

    files = list(data_files)
    try:
        if meta is None:
            meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        problem = _damage(entry, meta, key, len(data_files), files=not written)
        if problem is None:
            graph_files = {URIRef(name): files[index]
                           for name, index in meta["graph_files"].items()}
            file_graphs = {files[int(index)]: {URIRef(name) for name in names}
                           for index, names in meta["file_graphs"].items()}
            store = OxigraphStore(path=entry / "store", read_only=True)
            ontology = store.graph(ONTOLOGY_GRAPH)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        problem = f"{type(error).__name__}: {error}"
    except RuntimeError as error:  # RocksDB's own checksums, on opening (see _damage)
        problem = f"{error}".split("  ", 1)[0]
    if problem is not None:
        warnings.warn(CacheNote(f"the cached store {entry} is damaged ({problem}); it is "
                                f"removed and the graph loaded again"), stacklevel=3)
        shutil.rmtree(entry, ignore_errors=True)
        return None
    pending = {**file_graphs, **{path: {ONTOLOGY_GRAPH} for path in ontology_files}}
    try:
        os.utime(entry / "meta.json")  # most recently used
    except OSError:
        pass
    return KnowledgeGraph(store=store, ontology=ontology, bundle=bundle, files=files,
                          graph_files=graph_files, file_graphs=file_graphs,
                          _subjects={}, _subjects_pending=True, _pending_files=pending)


def _damage(entry: Path, meta: dict[str, Any], key: str, data_count: int, *,
            files: bool = True) -> str | None:
    """What is wrong with an entry (``None``: nothing): its key, format, and (with
    ``files``) each stored file's size and SHA-256 against ``meta.json``.

    A file whose size, modification time (nanoseconds) and inode are those ``meta.json``
    recorded beside its SHA-256 (``stamps``) is not hashed again: hashing the whole store
    at every run costs about 0.2 s at 10,000 articles (230 MB), more than the rest of
    ``kg validate --changed``. That is sound because:

    * whatever changes the file's bytes through the file system since the entry was
      written changes one of the three: writing sets the modification time to the clock's
      (a write, a truncation, an extension), and replacing the file (renaming another over
      it, deleting and creating it) gives another inode. Such a file is hashed, as before
      (a file touched but still intact passes);
    * what keeps all three (bytes changed in place and the modification time then set
      back on purpose, damage below the file system) cannot make the store answer from
      wrong bytes: every file of RocksDB carries its own checksums (each block of a table
      file its CRC, the manifest's and the log's records theirs), which RocksDB verifies
      when it reads them, so reading damaged bytes is an error, never an answer
      (``tests/test_cache.py`` flips a byte and sets the time back);
    * an entry's files are never written once it is in place: it is opened read-only, and
      ``kg validate --changed`` copies it by hard links (:mod:`kg.rebase`), which change
      neither time nor inode."""
    if meta.get("format") != _FORMAT or meta.get("key") != key:
        return "meta.json does not describe this entry"
    if meta.get("data_files") != data_count:
        return "meta.json counts other data files"
    if not files:
        return None
    expected: dict[str, list[Any]] = meta["checksums"]
    folder = entry / "store"
    present = {path.name for path in folder.iterdir()}
    if present != set(expected):
        missing = sorted(set(expected) - present)
        extra = sorted(present - set(expected))
        return f"files missing {missing}" if missing else f"unexpected files {extra}"
    stamps: dict[str, list[int]] = meta.get("stamps", {})
    for name, (size, digest) in sorted(expected.items()):
        path = folder / name
        stat = path.stat()
        if stat.st_size != size:
            return f"{name} has {stat.st_size} bytes where {size} were written"
        if stamps.get(name) == _file_stamp(stat):
            continue  # not written since its checksum was taken (see above)
        if _sha256(path) != digest:
            return f"{name} does not have the SHA-256 it was written with"
    return None


def _file_stamp(stat: os.stat_result) -> list[int]:
    """A stored file's size, modification time and inode, as ``meta.json`` keeps them."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


# -- writing ------------------------------------------------------------------------------

class _Copy:
    """The copy of a store being loaded into a new entry's ``.building-*`` folder: begun
    by the load once its files are read (:meth:`begin`), finished when the load is done;
    a load that did not begin it is copied whole at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.building: Path | None = None
        self.copy: FolderCopy | None = None
        self.error: OSError | None = None

    def begin(self, store: Store) -> None:
        """Begin copying ``store`` (its files read, nothing derived yet)."""
        from .oxigraph_store import FolderCopy

        try:
            self.building = _building(self.root)
            self.copy = FolderCopy.begin(store, self.building / "store")
        except OSError as error:  # (reported when the entry is written)
            self.error = error

    def finish(self, store: Store) -> Path:
        """The ``.building-*`` folder, holding the whole copy of ``store`` in ``store/``."""
        from .oxigraph_store import copy_to_folder

        if self.error is not None:
            raise self.error
        if self.copy is not None:
            self.copy.finish()
        else:
            self.building = self.building or _building(self.root)
            copy_to_folder(store, self.building / "store")  # type: ignore[arg-type]
        return self.building

    def abandon(self) -> None:
        """The load failed: stop copying, remove the folder."""
        if self.copy is not None:
            self.copy.close()
        if self.building is not None:
            shutil.rmtree(self.building, ignore_errors=True)


def _building(root: Path) -> Path:
    """A new ``.building-*`` folder in ``root`` (stale ones removed)."""
    root.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(root)
    return Path(tempfile.mkdtemp(prefix=".building-", dir=root))


def _write(graph: KnowledgeGraph, root: Path, key: str, data_files: Sequence[Path],
           ontology_files: Sequence[Path], inputs: dict[str, Any], copy: _Copy) -> None:
    """Keep ``graph``'s store as the entry ``key``: built beside, renamed into place."""
    try:
        building = copy.finish(graph.store)
    except BaseException:
        copy.abandon()
        raise
    try:
        _place(building, root, key, _meta(graph, key, data_files, ontology_files, inputs))
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _meta(graph: KnowledgeGraph, key: str, data_files: Sequence[Path],
          ontology_files: Sequence[Path], inputs: dict[str, Any]) -> dict[str, Any]:
    """An entry's ``meta.json``, but for the checksums of its store's files."""
    index = {path: number for number, path in enumerate(data_files)}
    return {
        "format": _FORMAT,
        "key": key,
        "data_files": len(data_files),
        "ontology_files": [str(path) for path in ontology_files],
        "inputs": inputs,
        "graph_files": {str(name): index[path] for name, path in graph.graph_files.items()},
        "file_graphs": {str(index[path]): sorted(map(str, names))
                        for path, names in graph.file_graphs.items()},
    }


def _place(building: Path, root: Path, key: str, meta: dict[str, Any]) -> None:
    """Complete ``meta`` with the checksums of ``building/store``, write it, and rename the
    ``building`` folder into place as the entry ``key`` (a concurrent writer's entry of the
    same key, already there, is kept); keep the :data:`KEEP` entries used last."""
    stamps = {path.name: _file_stamp(path.stat())  # taken first: a later write shows
              for path in sorted((building / "store").iterdir())}
    meta = {**meta, "checksums": {name: [stamp[0], _sha256(building / "store" / name)]
                                  for name, stamp in stamps.items()}, "stamps": stamps}
    (building / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    try:
        building.rename(root / key)
    except OSError:
        if not (root / key).is_dir():  # not a concurrent writer of the same entry
            raise
    _prune(root)


def _remove_stale_builds(root: Path) -> None:
    now = time.time()
    for folder in [*root.glob(".building-*"), *root.glob(".writing-*")]:
        try:
            if now - folder.stat().st_mtime > _STALE_BUILD_SECONDS:
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    folder.unlink()
        except OSError:
            pass


def _prune(root: Path) -> None:
    """Remove all but the :data:`KEEP` entries used last."""
    entries = []
    for folder in root.iterdir():
        if folder.name.startswith("."):
            continue
        try:
            entries.append(((folder / "meta.json").stat().st_mtime, folder))
        except OSError:
            continue
    for _, folder in sorted(entries, reverse=True)[KEEP:]:
        shutil.rmtree(folder, ignore_errors=True)
