"""What the web application works with: the loaded graph, its named queries, the limits,
and the worker pool every query runs in.

One :class:`Service` is made by :func:`kg.web.create_app` and kept in
``app.extensions["kg"]``. Every route that runs a user's query or analysis goes through
:meth:`Service.run`: the request thread checks the request's parameters, then a worker
of the :class:`~kg.execute.WorkerPool` does the work (parse, check, evaluate, cap,
serialize) and sends back finished bytes or a small JSON-able value. The jobs the
workers run are here too; this module does not import flask (only :func:`service` uses
it), so a worker never does.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import re
import threading
import weakref
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rdflib import URIRef
from rdflib.term import Node

from ..asserted import internal_query
from ..errors import QuerySyntaxError, UnknownEntity
from ..execute import Limits, WorkerPool
from ..load import KnowledgeGraph
from ..queries import NamedQuery, named_query, queries, run_prepared, run_prepared_json
from ..results import QueryResult, ResultFormat, json_bytes
from ..sparql_guard import prepare_cached
from ..suggest import unknown_iris
from .negotiate import HTML, Choice, NotAcceptable, canonical, choose

__all__ = ["Service", "KeptMeasures", "service", "Answer", "records_json", "sparql_job",
           "named_job", "entity_rdf_job", "check_named"]

T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """A finished response body and its media type."""

    media_type: str
    body: bytes


@dataclass
class KeptMeasures:
    """The centrality measures of the whole projection, computed once by a worker in the
    background when the server starts, unless a file holds them already
    (:mod:`kg.analysis.kept_measures`: exact betweenness at 10,000 articles takes longer
    than a request may), and kept in ``path`` for each worker to read."""

    path: Path
    stamp: str
    #: set once the file holds them (or computing them failed: a request then computes)
    done: threading.Event
    #: removes ``path`` when the server stops (``None``: it is kept)
    cleanup: Callable[[], None] | None
    started: float
    outcome: str = "computing"

    #: seconds the computation may take (a worker's memory cap still applies)
    TIMEOUT = 1800.0

    @classmethod
    def start(cls, pool: WorkerPool, snapshot: Path, *, scratch: bool,
              in_folder: bool) -> KeptMeasures | None:
        """Start computing the measures of the projection saved in ``snapshot``, in one of
        ``pool``'s workers, unless they are kept already or the pool has only that worker
        (``None``: each request computes them). They are kept beside the snapshot, for a
        ``scratch`` one (removed with it) or one kept in kg's cache; in kg's cache, for
        one ``in_folder`` (a store folder's); when that cache cannot be written, in a
        scratch folder."""
        import shutil
        import tempfile
        import time

        from ..analysis import kept_measures
        from ..analysis.snapshot import stamp as stamp_of

        stamp = stamp_of(snapshot)
        if stamp is None:
            return None
        path = kept_measures.home(snapshot, stamp, in_folder=in_folder)
        if kept_measures.load(path, stamp=stamp) is not None:
            return cls(path, stamp, _set(threading.Event()), cleanup=None,
                       started=time.monotonic(), outcome="kept")
        if pool.workers < 2:  # it would hold the only worker, minutes on a large graph
            log.info("one query worker: the whole graph's centrality is computed when asked")
            return None
        cleanup: Callable[[], None] | None = None
        if scratch:
            cleanup = functools.partial(path.unlink, missing_ok=True)
        elif in_folder:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                path = Path(tempfile.mkdtemp(prefix="kg-measures-")) / path.name
                cleanup = functools.partial(shutil.rmtree, path.parent, ignore_errors=True)
        kept = cls(path, stamp, threading.Event(), cleanup=cleanup, started=time.monotonic())

        def run() -> None:
            try:
                done = pool.run(kept_measures.compute_job, str(path), stamp,
                                timeout=cls.TIMEOUT)
                kept.outcome = "computed"
                if in_folder and cleanup is None:
                    kept_measures.prune_cached()
                log.info("the whole graph's centrality measures, computed in %.1f s: %s",
                         time.monotonic() - kept.started, done)
            except Exception as error:  # noqa: BLE001 - a request then computes them itself
                kept.outcome = "failed"
                log.warning("computing the whole graph's centrality measures failed: %s",
                            error)
            finally:
                kept.done.set()

        threading.Thread(target=run, name="kg-measures", daemon=True).start()
        return kept

    def ready(self, wait: float) -> bool:
        """Whether the computation is over (waiting up to ``wait`` seconds for it)."""
        return self.done.wait(wait)

    def elapsed(self) -> float:
        """Seconds since the computation started."""
        import time

        return time.monotonic() - self.started


def _set(event: threading.Event) -> threading.Event:
    event.set()
    return event


@dataclass
class Service:
    """The loaded graph, its named queries, the limits, and the pool that runs queries."""

    graph: KnowledgeGraph
    limits: Limits
    pool: WorkerPool
    named: dict[str, NamedQuery] = field(default_factory=dict)

    #: the projection file the workers read, when this service wrote it (removed on close)
    scratch: Path | None = None
    #: the whole projection's centrality measures, kept in a file once computed
    measures: KeptMeasures | None = None
    #: the SHA-256 of the projection file the workers read (:func:`kg.analysis.snapshot.stamp`):
    #: what identifies the dataset served, for a client that keeps its own projection
    projection: str | None = None
    #: the projection file the workers read (its ``Raw`` is what ``/-/projection`` hands
    #: a client)
    projection_file: Path | None = None
    #: the store's ``{"graphs", "quads"}``: recorded by kg build, or counted once
    _sizes: dict[str, int] | None = None
    #: the projection's input as :mod:`kg.analysis.transfer`'s document, once made
    _input: bytes | None = field(default=None, repr=False)
    _input_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _sizes_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: stops the workers, then removes the files this service wrote (the scratch
    #: projection, its measures): on :meth:`close`, or when the service is collected or
    #: the interpreter exits unclosed
    _shut_down: weakref.finalize | None = field(default=None, repr=False)

    @classmethod
    def start(cls, graph: KnowledgeGraph, limits: Limits, *, workers: int | None = None,
              wait: bool = False, ready: int | None = None) -> Service:
        """Read and check the named queries, build the projection once (or find the one
        ``kg build`` saved), and start the worker pool (``wait``: until ``ready`` workers,
        default all, hold the graph and the projection; the others keep starting). Each
        ready worker then prepares, in the background, what the first request of each kind
        would build (:mod:`kg.analysis.warmup`: folded names, the undirected view, every
        named query parsed and checked by kg's guard), one worker at a time. ``ready=0``
        with ``wait``: every worker is launched in the background, and this returns at
        once (a graph reopened from kg's cache has its projection kept beside it)."""
        catalogue = {q.name: q for q in queries(folder=graph.bundle.queries)}
        for query in catalogue.values():
            check_named(query, graph)  # a broken named query stops the start, not a request
        from ..analysis import snapshot
        from ..analysis.jobs import warm_job

        path, fingerprint, scratch = snapshot.for_workers(graph)
        try:
            # a lock of the spawn kind travels to workers started from the fork server
            turn = multiprocessing.get_context("spawn").Lock()
            pool = WorkerPool(graph, workers=workers, max_memory=limits.max_memory,
                              warm=functools.partial(warm_job, snapshot=str(path),
                                                     fingerprint=fingerprint,
                                                     queries=tuple(q.text for q in
                                                                   catalogue.values()),
                                                     turn=turn))
            pool.start(wait=wait, ready=ready)
        except BaseException:
            if scratch:
                path.unlink(missing_ok=True)
            raise
        kept = KeptMeasures.start(pool, path, scratch=scratch,
                                  in_folder=path == snapshot.stored(graph))
        started = cls(graph=graph, limits=limits, pool=pool, named=catalogue,
                      scratch=path if scratch else None, measures=kept,
                      projection=snapshot.stamp(path), projection_file=path,
                      _sizes=None if scratch else snapshot.sizes(path))
        cleanups = [c for c in (functools.partial(path.unlink, missing_ok=True)
                                if scratch else None,
                                kept.cleanup if kept is not None else None) if c is not None]
        # whoever called create_app may never close it (a WSGI server's app, a notebook, a
        # doctest): its workers stop and its files go when it is collected or Python exits
        # (the workers first: one computing the measures would write them after)
        started._shut_down = weakref.finalize(started, _shut_down, pool, cleanups,
                                              os.getpid())
        return started

    def sizes(self) -> dict[str, int]:
        """The store's number of graphs and quads (it does not change while served):
        as ``kg build`` recorded them, or counted the first time they are asked for."""
        with self._sizes_lock:
            if self._sizes is None:
                store = self.graph.store
                self._sizes = {"graphs": len(store.graph_names()), "quads": len(store)}
            return dict(self._sizes)

    def projection_input(self) -> bytes:
        """The projection's input, read from the file the workers read, as the
        gzip-compressed JSON document of :mod:`kg.analysis.transfer`: made at the first
        request (about 4 s at 10,000 articles: 13 MB), then kept."""
        from ..analysis import snapshot, transfer

        with self._input_lock:
            if self._input is None:
                if self.projection_file is None:  # (a service is started with one)
                    raise RuntimeError("this service has no projection file")
                self._input = transfer.dumps(snapshot.read_raw(self.projection_file))
            return self._input

    def close(self) -> None:
        """Stop the workers; remove the projection file this service wrote (and its
        measures)."""
        if self._shut_down is not None:
            self._shut_down()  # once: a finalizer runs at most once
        else:  # (a service made by hand, not by start)
            self.pool.close()

    @property
    def graph_names(self) -> list[URIRef]:
        return self.graph.store.graph_names()

    def named_query(self, name: str) -> NamedQuery:
        if name in self.named:
            return self.named[name]
        return named_query(name, folder=self.graph.bundle.queries)  # raises UnknownQueryError

    def run(self, job: Any, *args: Any) -> Any:
        """Run ``job(graph, *args)`` in a worker, within the service's time limit: the one
        bounded execution every route that runs a user's query or analysis goes through.
        ``job`` is a module-level function; its arguments and result must be picklable."""
        return self.pool.run(job, *args, timeout=self.limits.timeout)

    def run_sparql(self, text: str, choice: Choice, *, default_graph_uris: Sequence[str] = (),
                   named_graph_uris: Sequence[str] = ()) -> Answer:
        """Run a SPARQL query text as the protocol asks; answer in the chosen format."""
        return self.run(sparql_job, text, choice, tuple(default_graph_uris),
                        tuple(named_graph_uris), self.limits.max_rows)

    def run_named(self, name: str, params: Mapping[str, Any], render: str) -> Answer:
        """Run a named query with ``params`` (checked here, before any worker is used);
        ``render`` is ``records`` (kg's JSON) or a :class:`ResultFormat` label."""
        query = self.named_query(name)
        bindings = query.bind(params)
        return self.run(named_job, query, bindings, render, self.limits.max_rows)


def _shut_down(pool: WorkerPool, cleanups: Sequence[Callable[[], None]], pid: int) -> None:
    """Stop ``pool``'s workers, then run ``cleanups``: in the process ``pid`` that started
    them, not in a child forked from it that exits with the service in its memory."""
    if os.getpid() == pid:
        pool.close()
        for cleanup in cleanups:
            cleanup()


#: a FROM or SERVICE keyword outside a comment (what kg's guard looks at beyond syntax)
_GUARDED = re.compile(r"^[^#\n]*\b(?:FROM|SERVICE)\b", re.IGNORECASE | re.MULTILINE)


def check_named(query: NamedQuery, graph: KnowledgeGraph) -> None:
    """Refuse a named query that cannot run, before the server starts.

    Where the engine that will run it can parse it apart (Oxigraph, on an empty store:
    milliseconds; :meth:`kg.store.Store.check_syntax`), it does; kg's guard
    (:mod:`kg.sparql_guard`, rdflib's parser: up to a quarter of a second a query) then
    runs in each worker when the query is first asked for, and here only for a text that
    names a graph or a service. On other stores the guard runs here.
    """
    try:
        parsed = not _GUARDED.search(query.text) and graph.store.check_syntax(query.text)
    except SyntaxError as error:
        raise QuerySyntaxError(f"named query {query.name}: {error}") from None
    if not parsed:
        query.prepared(graph.store.graph_names)


# -- jobs: run inside a worker --------------------------------------------------------


def sparql_job(graph: KnowledgeGraph, text: str, choice: Choice,
               default_graph_uris: Sequence[str], named_graph_uris: Sequence[str],
               max_rows: int) -> Answer:
    """Parse, check and run a SPARQL text; serialize the result as ``choice`` asks."""
    prepared = prepare_cached(text, graph.store.graph_names,
                              tuple(default_graph_uris), tuple(named_graph_uris))
    fmt = choose(choice, prepared.kind)
    if fmt == HTML or not isinstance(fmt, ResultFormat):
        raise NotAcceptable("HTML is not offered for query results",
                            offered=canonical(prepared.kind))
    if fmt is ResultFormat.JSON:  # (a store may write it itself: run_prepared_json)
        return Answer(fmt.media_type, run_prepared_json(graph, prepared, max_rows=max_rows))
    result = run_prepared(graph, prepared, max_rows=max_rows)
    return Answer(fmt.media_type, result.serialize(fmt))


def named_job(graph: KnowledgeGraph, query: NamedQuery, bindings: dict[str, Node],
              render: str, max_rows: int) -> Answer:
    """Run a named query with its bindings; answer as ``render`` says."""
    result = query.run_bound(graph, bindings, max_rows=max_rows)
    params = {k: str(v) for k, v in bindings.items()}
    if render == "records":
        warnings = unknown_iris(graph, query, bindings) if not result.rows else []
        return Answer("application/json", records_json(query, params, result, warnings))
    fmt = ResultFormat.parse(render, kind=result.kind)
    return Answer(fmt.media_type, result.serialize(fmt))


def entity_rdf_job(graph: KnowledgeGraph, iri: str, fmt: ResultFormat, max_rows: int,
                   article: bool = False) -> Answer:
    """The statements about ``iri`` (and the sources of the facts naming it) as ``fmt``
    (an entity page's RDF, :mod:`.entities`); with ``article``, the statements of the
    article ``iri``'s named graph (an article page's)."""
    query, param = ("article-graph", "article") if article else ("entity-description",
                                                                 "entity")
    result = internal_query(query).run(graph, {param: URIRef(iri)}, max_rows=max_rows)
    if not len(result):
        raise UnknownEntity(f"the graph says nothing about <{iri}>", candidates=[])
    return Answer(fmt.media_type, result.serialize(fmt))


def service() -> Service:
    """The :class:`Service` of the current application."""
    from flask import current_app

    return current_app.extensions["kg"]  # type: ignore[no-any-return]


def records_json(query: NamedQuery, params: dict[str, Any], result: QueryResult,
                 warnings: Collection[dict[str, Any]] = ()) -> bytes:
    """The JSON twin of a named query's answer."""
    rows = result.to_records()
    document: dict[str, Any] = {"query": query.name, "title": query.title, "params": params,
                                "kind": result.kind.value, "vars": result.vars,
                                "count": len(rows), "rows": rows}
    if warnings:
        document["warnings"] = list(warnings)
    return json_bytes(document, default=_plain)


def _plain(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    return str(value)
