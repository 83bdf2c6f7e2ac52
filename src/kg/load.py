"""Load ontology and data files into a :class:`~kg.store.Store`, once.

Where things go in the dataset:

* each ``.trig`` / ``.nq`` file keeps its named graphs (one per source article);
* each ``.ttl`` / ``.nt`` file becomes the named graph ``graph:<file stem>``
  (``data/entities.ttl`` -> ``https://w3id.org/kg/graph/entities``);
* the ontology goes to ``graph:ontology``; triples derived by RDFS entailment to
  ``graph:entailed``.

The default graph is the union of all of them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .bundle import Bundle, bundled, find_project
from .date_keys import materialize_date_keys
from .errors import InputError
from .facade import GraphMethods
from .namespaces import ENTAILED_GRAPH, GRAPH, KG, ONTOLOGY_GRAPH, bind_prefixes
from .order_keys import materialize_earlier_counts
from .parse import FORMATS_BY_EXTENSION, parse_file
from .search_keys import materialize_search_keys
from .store import BACKENDS, Store, parse_store_spec

__all__ = ["KEY_PREDICATES", "KEYS_VERSION", "KnowledgeGraph", "check_keys_version", "load",
           "load_nquads", "open_oxigraph", "resolve_bundle", "rdf_files", "reads_keys"]

#: the layout of the keys a load derives; a store whose keys are of another
#: (``kg:keysVersion`` in the entailed graph) was built by another kg, and the queries that
#: read them would find nothing there: :func:`check_keys_version` refuses it wherever a
#: built dataset is opened (a store folder, a build's kg.nq, a pushed dataset). One more
#: whenever the keys change.
KEYS_VERSION = 2
#: the predicates of the keys a load derives after the entailment (search keys, blocks,
#: groups and order, date keys, earlier counts, their version: :func:`_derive_keys`), which
#: only a few queries read
KEY_PREDICATES = frozenset({KG.keysVersion, KG.searchKey, KG.searchText, KG.searchBlock,
                            KG.searchOrder, KG.searchGroup, KG.searchGroupText,
                            KG.dateKey, KG.indexedDateKey, KG.earlierCount})


@dataclass(kw_only=True)
class KnowledgeGraph(GraphMethods):
    """A loaded graph: the store, the ontology, and where every statement came from; with
    the query and analysis methods of :class:`~kg.facade.GraphMethods`."""

    store: Store
    ontology: Graph
    bundle: Bundle
    #: the data files read, in order
    files: list[Path]
    #: each named graph -> the file it was read from
    graph_files: dict[URIRef, Path]
    #: each data file -> the named graphs it writes into
    file_graphs: dict[Path, set[URIRef]] = field(default_factory=dict)
    #: subjects -> files, as far as noted while loading (the ontology's; the data's too
    #: when the store gives them); ``_subjects_pending``: the data's are asked of the store
    #: on first use of :attr:`subject_files`
    _subjects: dict[Node, set[Path]] = field(default_factory=dict, repr=False, compare=False)
    _subjects_pending: bool = field(default=False, repr=False, compare=False)
    #: the files whose subjects are asked of the store (default: :attr:`file_graphs`)
    _pending_files: dict[Path, set[URIRef]] | None = field(default=None, repr=False,
                                                           compare=False)
    _data: Graph | None = field(default=None, init=False, repr=False, compare=False)
    #: while the subjects are pending: each node located so far -> its files, and each
    #: graph -> the files that write into it
    _located: dict[Node, set[Path]] = field(default_factory=dict, init=False, repr=False,
                                            compare=False)
    _writers: dict[URIRef, list[Path]] | None = field(default=None, init=False, repr=False,
                                                      compare=False)

    @property
    def subject_files(self) -> dict[Node, set[Path]]:
        """Each subject -> the files that describe it (worked out on first use: only
        problems are located with it)."""
        if self._subjects_pending:
            self._subjects_pending = False
            _subjects_from_store(self.store, self._pending_graphs, self._subjects)
        return self._subjects

    def data(self) -> Graph:
        """Every asserted data triple (no ontology, no entailment), as one graph.

        Built once, on first use, and shared: treat it as read-only.
        """
        if self._data is None:
            self._data = self.store.merged(without=(ONTOLOGY_GRAPH, ENTAILED_GRAPH))
        return self._data

    @property
    def _pending_graphs(self) -> dict[Path, set[URIRef]]:
        """The files whose subjects are asked of the store, each with its graphs."""
        return self.file_graphs if self._pending_files is None else self._pending_files

    def files_of(self, node: Node) -> list[Path]:
        """The data files in which ``node`` is described (as a subject), sorted.

        While the data's subjects have not been asked of the store (:attr:`subject_files`),
        only ``node``'s own statements are (the same answer: a file describes ``node`` when
        one of the graphs it writes holds a statement about it): a validation locates a
        few problems, where listing every subject of ten thousand files takes seconds."""
        if not self._subjects_pending:
            return sorted(self._subjects.get(node, ()))
        if node not in self._located:
            if self._writers is None:
                self._writers = _graph_writers(self._pending_graphs)
            self._located[node] = (set(self._subjects.get(node, ()))
                                   | _files_describing(self.store, node, self._writers))
        return sorted(self._located[node])

    def file_of(self, subject: Node, predicate: Node | None = None, obj: Node | None = None,
                *, graph: URIRef | None = None) -> Path | None:
        """The file that states ``subject predicate obj`` (``None`` matches anything), or,
        when no file states it, the first that describes ``subject`` (in ``graph``, if given).

        Only files describing ``subject`` are candidates; when there are several, they are
        parsed again to find the statement (problems are rare, so nothing is kept in memory
        for this).
        """
        candidates = self.files_of(subject)
        if graph is not None:
            candidates = [f for f in candidates if graph in self.file_graphs.get(f, ())] or candidates
        if len(candidates) > 1 and predicate is not None:
            for path in candidates:
                if any(True for _ in parse_file(path).quads((subject, predicate, obj, graph))):
                    return path
        return candidates[0] if candidates else None


def resolve_bundle(*, project: Path | str | None = None, data: Path | str | None = None,
                   ontology: Path | str | None = None, shapes: Path | str | None = None,
                   queries: Path | str | None = None, discover: bool = False,
                   start: Path | str | None = None) -> Bundle:
    """The folders to use, with overrides: ``project`` if given; else, with ``discover``,
    the project found upwards from ``start`` (the working directory); else kg's installed
    copy. The CLI discovers (unless ``--bundled``); the Python API does not, by default.
    """
    if project is not None and not Path(project).is_dir():
        raise InputError(f"no such project directory: {project}")
    if project is None and discover:
        project = find_project(start)
    base = Bundle.from_project(project) if project is not None else bundled()
    return base.replace(data=data, ontology=ontology, shapes=shapes, queries=queries)


def rdf_files(paths: Iterable[Path | str], *, what: str = "data") -> list[Path]:
    """The RDF files named by ``paths``: files as given, folders searched (not recursively).

    Missing paths and folders without RDF files are :class:`~kg.errors.InputError`.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"no such file or directory: {path}")
        if path.is_dir():
            inside = [path / name for name in _rdf_names(path)]
            if not inside:
                accepted = ", ".join(f"*{ext}" for ext in FORMATS_BY_EXTENSION)
                raise InputError(f"{path}: no {what} files in this folder (expected {accepted})")
            found.extend(inside)
        else:
            found.append(path)
    if not found:
        raise InputError(f"no {what} files given")
    return found


def _rdf_names(folder: Path) -> list[str]:
    """The names of a folder's RDF files (regular files, or links to one), sorted: one
    listing, each entry's kind read from it (a look-up only for a symbolic link)."""
    with os.scandir(folder) as entries:
        return sorted(entry.name for entry in entries
                      if os.path.splitext(entry.name)[1] in FORMATS_BY_EXTENSION
                      and entry.is_file())


def load(paths: Sequence[Path | str] = (), *, project: Path | str | None = None,
         data: Path | str | None = None, ontology: Path | str | None = None,
         entail: bool = True, store: str = "oxigraph", cache: bool = False,
         keys: bool | Callable[[], bool] = True, timeout: float = 30.0) -> KnowledgeGraph:
    """Parse the ontology and data (strictly) and load them into one store.

    ``paths`` are data files or folders to read instead of the data folder. ``store`` is
    what the command line's ``--store`` names: ``oxigraph`` (the default, in memory; each
    file parsed straight into it), ``rdflib`` (rdflib's memory store), or a store that
    already holds a build, opened as it is (nothing parsed, entailed or validated: the
    build did all three; ``paths``, ``data`` and ``ontology`` do not apply, ``project``
    gives the named queries): ``oxigraph:DIR``, a folder ``kg build --store-dir`` wrote,
    read-only (:func:`open_oxigraph`), or ``sparql+http(s)://HOST:PORT/PATH``, a SPARQL
    triplestore's query endpoint that ``kg push`` filled, each request bounded by
    ``timeout`` seconds (:func:`kg.open_remote`); its analyses then read the projection
    saved for it (:func:`kg.analysis.snapshot.install_saved`), not every fact. With ``cache``, an Oxigraph store loaded
    from the same files before (same paths, sizes and modification times) is reopened
    read-only from the cache instead (:mod:`kg.cache`), and a new load is kept there.
    Raises :class:`~kg.errors.ParseError` (with file, line and column) on the first file
    that is not well-formed, and :class:`~kg.errors.InputError` for paths that cannot be
    used.

    ``keys``: whether the keys of :data:`KEY_PREDICATES` are derived (with the entailment);
    a function is asked once the files are read and entailed. Only a graph that answers
    queries reading none of them goes without (``kg query``, :func:`reads_keys`): deriving
    them is most of a first load's time. A graph kept in the cache always has them.

    >>> graph = load()
    >>> len(graph.store) > 0
    True
    """
    if store not in BACKENDS:  # a built store, opened as it is
        return _open_built(store, project=project,
                           given=bool(paths) or data is not None or ontology is not None,
                           timeout=timeout)
    bundle = resolve_bundle(project=project, data=data, ontology=ontology)
    data_files = rdf_files(paths or [bundle.data], what="data")
    ontology_files = rdf_files([bundle.ontology], what="ontology")
    if cache:
        if store != "oxigraph":
            raise InputError(f"the cache keeps Oxigraph stores; store={store!r} loads "
                             f"without it (cache=False)")
        from .cache import cached_load

        return cached_load(data_files, ontology_files, bundle=bundle, entail=entail,
                           build=lambda begin: _load_files(
                               data_files, ontology_files, bundle=bundle, entail=entail,
                               store=store, on_read=begin,
                               keys=keys if begin is None else True))
    return _load_files(data_files, ontology_files, bundle=bundle, entail=entail, store=store,
                       keys=keys)


def _open_built(spec: str, *, project: Path | str | None, given: bool,
                timeout: float) -> KnowledgeGraph:
    """:func:`load` of the store ``spec`` names when it holds a build (a store folder or a
    triplestore), refused with an :class:`~kg.errors.InputError` when data files were
    ``given`` as well: they would not be read."""
    remote = spec.startswith("sparql+")
    # (an unknown backend, or oxigraph: with no folder, is refused here)
    folder = None if remote else parse_store_spec(spec)[1]
    if given:
        held = "what kg push put there" if remote else "a built store as it is"
        raise InputError(f"--store {spec} queries {held}: --data and --ontology "
                         f"do not apply (in Python: paths, data=, ontology=)")
    bundle = resolve_bundle(project=project)
    if remote:
        from .remote_store import open_remote

        return open_remote(spec, bundle=bundle, timeout=timeout)
    assert folder is not None  # (what parse_store_spec gives for a spec not a backend)
    return open_oxigraph(folder, bundle=bundle)


def reads_keys(predicates: frozenset[URIRef] | None) -> bool:
    """Whether a query reading ``predicates`` (:attr:`kg.sparql_guard.PreparedQuery.predicates`:
    ``None`` for any) may read a key of :data:`KEY_PREDICATES`, so that the graph it runs
    on must have them."""
    return predicates is None or not predicates.isdisjoint(KEY_PREDICATES)


def _load_files(data_files: list[Path], ontology_files: list[Path], *, bundle: Bundle,
                entail: bool, store: str,
                on_read: Callable[[Store], None] | None = None,
                keys: bool | Callable[[], bool] = True) -> KnowledgeGraph:
    """:func:`load`, the files found; ``on_read(store)`` is called once the files are
    read, before anything is derived (the cache begins its copy then)."""
    target = Store(store)
    ontology_graph = Graph()
    bind_prefixes(ontology_graph)
    subject_files: dict[Node, set[Path]] = defaultdict(set)
    for path in ontology_files:
        for s, p, o, _ in parse_file(path).quads():
            ontology_graph.add((s, p, o))
            subject_files[s].add(path)
    target.add_triples(ONTOLOGY_GRAPH, ontology_graph)

    graph_files: dict[URIRef, Path] = {}
    file_graphs: dict[Path, set[URIRef]] = {}
    pending = False
    for path in data_files:
        pending |= _read_into(target, path, graph_files, file_graphs, subject_files)
    if on_read is not None:
        on_read(target)

    loaded = KnowledgeGraph(store=target, ontology=ontology_graph, bundle=bundle,
                            files=data_files, graph_files=graph_files,
                            _subjects=dict(subject_files), _subjects_pending=pending,
                            file_graphs=file_graphs)
    if entail:
        target.materialize_entailment(ontology=ONTOLOGY_GRAPH, into=ENTAILED_GRAPH)
        if keys if isinstance(keys, bool) else keys():
            _derive_keys(target)
    target.finish_loading()
    return loaded


def _derive_keys(store: Store) -> None:
    """Write the keys of :data:`KEY_PREDICATES` into the entailed graph (after the
    entailment, which they read)."""
    materialize_search_keys(store, into=ENTAILED_GRAPH)
    materialize_date_keys(store, into=ENTAILED_GRAPH)
    materialize_earlier_counts(store, into=ENTAILED_GRAPH)
    store.add_derived_values(ENTAILED_GRAPH, [(str(ENTAILED_GRAPH), KG.keysVersion,
                                               KEYS_VERSION)])


def open_oxigraph(folder: Path | str, *, bundle: Bundle) -> KnowledgeGraph:
    """An Oxigraph store folder written by ``kg build --store-dir``, opened read-only as it
    is (no parsing, no entailment, no validation: the build did all three)."""
    from .oxigraph_store import OxigraphStore

    folder = Path(folder)
    store = OxigraphStore(path=folder, read_only=True)
    check_keys_version(store, source=str(folder),
                       remedy=f"build it again: kg build --store-dir {folder}")
    ontology_graph = store.graph(ONTOLOGY_GRAPH)
    names = store.graph_names()
    return KnowledgeGraph(store=store, ontology=ontology_graph, bundle=bundle, files=[folder],
                          graph_files={name: folder for name in names},
                          file_graphs={folder: set(names)})


def check_keys_version(store: Store, *, source: str, remedy: str) -> None:
    """Refuse a store whose search, date and order keys are of another layout than the
    one this kg's queries read (``kg:keysVersion`` in the entailed graph,
    ``src/kg/sparql/keys-version.rq``; none in a store an older kg wrote): a search would
    find nothing there, silently. Raises :class:`~kg.errors.InputError` naming ``source``
    (the folder, file or endpoint) and saying how to mend it (``remedy``)."""
    from .asserted import internal_query

    versions = {value for value, in store.select(internal_query("keys-version").text)}
    if versions != {str(KEYS_VERSION)}:
        raise InputError(f"{source}: this store was built by another version of kg (its "
                         f"search, date and order keys are not those the queries read); "
                         f"{remedy}")


def load_nquads(path: Path | str, *, bundle: Bundle, store: str = "oxigraph") -> KnowledgeGraph:
    """A dataset written by ``kg build`` (N-Quads holding every graph, the ontology and the
    entailed triples included), loaded as it is: no entailment, no validation. Refused
    (:func:`check_keys_version`) when an older kg wrote it."""
    path = Path(path)
    store = Store(store)
    graph_files: dict[URIRef, Path] = {}
    file_graphs: dict[Path, set[URIRef]] = {}
    subject_files: dict[Node, set[Path]] = defaultdict(set)
    pending = _read_into(store, path, graph_files, file_graphs, subject_files)
    store.finish_loading()
    check_keys_version(store, source=str(path),
                       remedy=f"build it again: kg build --out {path.parent}")
    ontology_graph = Graph()
    bind_prefixes(ontology_graph)
    for triple in store.graph(ONTOLOGY_GRAPH):
        ontology_graph.add(triple)
    return KnowledgeGraph(store=store, ontology=ontology_graph, bundle=bundle, files=[path],
                          graph_files=graph_files, _subjects=dict(subject_files),
                          _subjects_pending=pending, file_graphs=file_graphs)


def _read_into(store: Store, path: Path, graph_files: dict[URIRef, Path],
               file_graphs: dict[Path, set[URIRef]],
               subject_files: dict[Node, set[Path]]) -> bool:
    """Parse one data file into ``store``, noting which graphs and subjects it holds;
    ``True`` when the store did not give the subjects (they are asked of it later)."""
    graphs, subjects = store.load_file(path, graph=URIRef(GRAPH[path.stem]))
    for name in sorted(graphs):
        graph_files.setdefault(name, path)
    if graphs:
        file_graphs.setdefault(path, set()).update(graphs)
    if subjects is None:
        return True
    for subject in subjects:
        subject_files[subject].add(path)
    return False


def _graph_writers(file_graphs: dict[Path, set[URIRef]]) -> dict[URIRef, list[Path]]:
    """Each named graph -> the files that write into it."""
    writers: dict[URIRef, list[Path]] = defaultdict(list)
    for path, names in file_graphs.items():
        for name in names:
            writers[name].append(path)
    return writers


def _parsed_subjects(path: Path, name: URIRef) -> set[Node]:
    """The subjects that ``path`` writes into the graph ``name``, parsed again (for a graph
    that several files write into, where the store cannot tell them apart)."""
    own = URIRef(GRAPH[path.stem])
    found: set[Node] = set()
    for s, _, _, g in parse_file(path).quads():
        g = g.identifier if isinstance(g, Graph) else g  # type: ignore[assignment]
        if (own if g is None or g == DATASET_DEFAULT_GRAPH_ID else g) == name:
            found.add(s)
    return found


def _subjects_from_store(store: Store, file_graphs: dict[Path, set[URIRef]],
                         into: dict[Node, set[Path]]) -> None:
    """Add to ``into`` each data subject -> its files: the subjects of a graph that one
    file writes are that file's; a graph several files write into (rare) is told apart by
    parsing those files again."""
    by_graph = store.subjects_by_graph()
    for name, paths in _graph_writers(file_graphs).items():
        if len(paths) == 1:
            for subject in by_graph.get(name, ()):
                into.setdefault(subject, set()).add(paths[0])
            continue
        for path in paths:
            for subject in _parsed_subjects(path, name):
                into.setdefault(subject, set()).add(path)


def _files_describing(store: Store, node: Node,
                      writers: dict[URIRef, list[Path]]) -> set[Path]:
    """The files of ``writers`` that describe ``node``, from ``node``'s statements in the
    store: what :func:`_subjects_from_store` finds for it, without every other subject."""
    if isinstance(node, Literal):
        return set()
    found: set[Path] = set()
    for name in {g for _, _, _, g in store.quads((node, None, None))}:
        paths = writers.get(name, [])
        if len(paths) == 1:
            found.add(paths[0])
        else:
            found.update(path for path in paths if node in _parsed_subjects(path, name))
    return found
