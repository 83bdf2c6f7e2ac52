"""Bounded execution: a user's query or analysis runs in a supervised worker process.

Python cannot stop a thread, and a runaway SPARQL query (an unconstrained cartesian
product) would otherwise hold a core and memory for as long as it likes. So every query
or analysis a user asks for runs as a *job* in a worker process of a :class:`WorkerPool`
(built on `pebble <https://pypi.org/project/Pebble/>`_'s ``ProcessPool``):

* a job is a module-level function ``job(graph, *args)``; the worker calls it with the
  :class:`~kg.load.KnowledgeGraph` it holds, and sends back only the (picklable) result;
* each worker receives the loaded graph once, when it starts, and keeps it for every job
  it runs (no fork, no reload per request). Workers start one at a time (a lock they
  share, held while one unpickles the graph and warms up): five workers loading at once
  on a small machine would hold every core, and the first of them, which the first
  request waits for, would be ready last of all; :meth:`WorkerPool.ready_workers` says
  how many have started;
* a job that runs past its ``timeout`` gets its worker killed; the caller gets
  :class:`~kg.errors.QueryTimeout` and the pool starts a fresh worker while the others
  keep serving. A worker that dies on its own (killed from outside, out of memory) is
  replaced the same way; the caller of the job it was running gets :class:`WorkerLost`.
  If the pool itself breaks, the next job starts a new one: the pool is supervised;
* each worker caps its memory (``RLIMIT_AS``, ``max_memory`` bytes on top of what it
  uses once the graph is loaded) and installs an audit hook that refuses any network
  connection or URL fetch -- a second line behind :mod:`kg.sparql_guard`, which already
  refuses ``SERVICE``, ``LOAD`` and foreign ``FROM``. A graph kept in a remote
  triplestore (``--store sparql+http://…``) opens exactly one door: its store's host and
  port.

The server keeps one pool for its lifetime; workers are started from a clean fork server
(never by forking the multi-threaded server itself). The command line, a single thread,
uses :func:`run_job`: a pool of one worker forked from the process that already holds the
graph, so nothing is loaded twice.

Errors a job raises on purpose (:class:`~kg.errors.KgError`) reach the caller as the same
class with the same message and attributes; anything else becomes a :class:`WorkerError`
without a traceback (the traceback is logged).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

from .errors import KgError, QueryError, QueryTimeout, ServiceBusy, UnsafeQueryError

__all__ = ["Limits", "WorkerPool", "run_job", "default_workers", "WorkerError",
           "WorkerLost", "start_fork_server"]

T = TypeVar("T")
log = logging.getLogger(__name__)

#: audit events that mean "talk to another machine"
_NETWORK_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                             "urllib.Request", "http.client.connect"})

#: how often, in seconds, a caller waiting for its job looks whether the pool broke
#: (:func:`_result`)
_BROKEN_CHECK = 0.25

#: modules the fork server imports once, so that a new worker starts in milliseconds
_PRELOAD = ["kg.execute", "kg.load", "kg.queries", "kg.results", "kg.sparql_guard",
            "kg.analysis.jobs", "kg.analysis.public", "kg.analysis.exporters",
            "kg.analysis.snapshot", "kg.analysis.warmup", "kg.suggest",
            "kg.oxigraph_store", "kg.web.service", "rdflib.plugins.sparql", "networkx"]


class WorkerError(QueryError):
    """The worker failed on its own account (a bug, or out of memory): a fault of the
    service, not of the query's text."""


class WorkerLost(WorkerError):
    """The worker running the job stopped (killed from outside, or by the system); it has
    been replaced and the same request may be sent again."""


@dataclass(frozen=True)
class Limits:
    """The bounds of one query: seconds, rows (or triples), request bytes, worker memory."""

    #: seconds a query may run before it is stopped
    timeout: float = 10.0
    #: most rows (SELECT) or triples (CONSTRUCT / DESCRIBE) a result may have
    max_rows: int = 10_000
    #: largest request body accepted, in bytes
    max_body: int = 1_000_000
    #: memory a worker may use on top of the loaded graph, in bytes (None: no cap)
    max_memory: int | None = 2 * 1024 ** 3


def default_workers() -> int:
    """Worker processes a server starts by default: two per core, plus one, so that a few
    runaway queries (each holding a worker until its time limit) leave room for others."""
    return 2 * (os.cpu_count() or 1) + 1


def start_fork_server(*, preload: Sequence[str] = (),
                      environment: Mapping[str, str] | None = None) -> None:
    """Start the fork server that :class:`WorkerPool` workers come from, now, in the
    background (where the platform has one): it imports kg's modules once, which takes a
    second or two, while this process goes on loading the graph; the pool then finds it
    ready. Optional: a pool starts it anyway when it starts its first worker.

    ``preload``: more modules it imports after kg's, ``environment``: variables it is
    started with (and this process is not) -- what ``kg serve`` uses to have the fork
    server load the saved projection once for every worker (:mod:`kg.analysis.preload`).
    Both only count if the fork server is not running yet.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload([*_PRELOAD, *preload])
    saved = {name: os.environ.get(name) for name in environment or {}}
    os.environ.update(environment or {})  # the fork server is started with this process's
    try:
        forkserver.ensure_running()
    finally:
        for name, value in saved.items():  # environment, then this process has its own back
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _start_method(preferred: str | None) -> str:
    methods = multiprocessing.get_all_start_methods()
    if preferred is not None:
        if preferred not in methods:
            raise ValueError(f"start method {preferred!r} is not available here "
                             f"(available: {', '.join(methods)})")
        return preferred
    return "forkserver" if "forkserver" in methods else "spawn"


class WorkerPool:
    """Worker processes that each hold ``graph`` and run jobs on it, bounded.

    >>> import kg
    >>> from kg.execute import WorkerPool, count_statements
    >>> with WorkerPool(kg.load(), workers=1) as pool:
    ...     pool.run(count_statements, timeout=10) > 1000
    True
    """

    def __init__(self, graph: Any, *, workers: int | None = None,
                 max_memory: int | None = Limits.max_memory,
                 start_method: str | None = None,
                 queue_timeout: float | None = None,
                 warm: Callable[[Any], Any] | None = None) -> None:
        if workers is not None and workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.graph = graph
        self.workers = workers or default_workers()
        self.max_memory = max_memory
        #: seconds a job may wait for a free worker, on top of its own time limit
        #: (default: its time limit, and at least 10 seconds)
        self.queue_timeout = queue_timeout
        self.start_method = _start_method(start_method)
        #: a job each worker runs on the graph once, before its first job (e.g. building
        #: what the analyses share), so that no request pays for it
        self.warm = warm
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()
        self._closed = False
        #: the graph pickled once, for workers started from the fork server (see _shipped)
        self._pickled: bytes | None = None
        #: with ``start(ready=0)``: set once the workers are launched, and once the first
        #: is ready (or the pool failed): jobs wait for it, not counting it as queueing
        self._launched: threading.Event | None = None
        self._first_ready: threading.Event | None = None
        # shared with the workers (a spawn-kind lock and array travel to workers started
        # from the fork server too): the turn each holds while it starts, and the slots
        # where each writes its process id once it takes jobs. Forked workers inherit a
        # fork-kind pair, which needs no resource tracker (a spawn-kind lock starts one:
        # a whole Python interpreter, on every kg query)
        kind = multiprocessing.get_context("fork" if self.start_method == "fork" else "spawn")
        self._start_turn = kind.Lock()
        self._ready_slots = kind.Array("q", 4 * self.workers + 8)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self, *, wait: bool = True, ready: int | None = None) -> WorkerPool:
        """Start the workers; with ``wait``, return once ``ready`` of them (default: each)
        have loaded the graph -- jobs go to a ready worker, the others join as they are.
        ``ready=0``: launch every worker now, from a background thread, and return at once
        (a job sent meanwhile waits for the first worker that is ready). Without ``wait``
        the workers start with the first job.

        There is no time limit on that: a large graph on a slow machine takes what it takes,
        and a worker that fails to start breaks the pool, which ends the wait with an error.
        """
        pool = self._current()
        if wait and ready == 0:
            # launching a worker blocks until the fork server has imported kg's modules and
            # the new process has read what it is started with: not this thread's business
            launched, ready_one = threading.Event(), threading.Event()
            self._launched, self._first_ready = launched, ready_one
            threading.Thread(target=_launch, args=(pool, launched, ready_one),
                             name="kg-pool-start", daemon=True).start()
        elif wait:
            wanted = self.workers if ready is None else max(1, min(ready, self.workers))
            pool.schedule(_warm, args=(0.0,)).result()  # pebble starts its workers now
            while self.ready_workers() < wanted:  # the others, one after another
                if not pool.active:
                    raise BrokenProcessPool("the worker pool stopped while its workers "
                                            "started")
                time.sleep(0.01)
        return self

    def close(self) -> None:
        """Stop every worker (running jobs are abandoned) and wait for them."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if self._launched is not None:  # stopping a pool while it launches its workers
            self._launched.wait(timeout=60)  # could leave one of them behind
        if pool is not None:
            _dispose(pool)

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ready_workers(self) -> int:
        """How many live workers hold the graph and take jobs (the others are starting,
        or waiting for their turn to start; none before the pool is started)."""
        live = set(self.pids())
        with self._ready_slots.get_lock():
            return sum(1 for pid in self._ready_slots if pid in live)

    def pids(self) -> list[int]:
        """The process ids of the live workers (for monitoring and tests)."""
        pool = self._pool
        if pool is None:
            return []
        workers = pool._pool_manager.worker_manager.workers  # pebble keeps no public list
        return sorted(pid for pid, process in list(workers.items()) if process.is_alive())

    def _current(self) -> ProcessPool:
        """The running pebble pool; a new one if there is none or the last one broke."""
        with self._lock:
            if self._closed:
                raise ServiceBusy("the worker pool is shut down")
            pool = self._pool
            if pool is not None and not pool.active:
                log.error("the worker pool stopped working; starting a new one")
                _dispose(pool)
                pool = None
            if pool is None:
                context = multiprocessing.get_context(self.start_method)
                if self.start_method == "forkserver":
                    context.set_forkserver_preload(_PRELOAD)
                pool = ProcessPool(max_workers=self.workers, initializer=_initialize,
                                   initargs=(self._shipped(), self.max_memory, self.warm,
                                             self._start_turn, self._ready_slots),
                                   context=context)
                self._pool = pool
            return pool

    def _shipped(self) -> Any:
        """What each worker is started with: the graph itself where workers are forked
        from this process (nothing is copied), else the graph pickled once and kept, so
        that starting five workers (or replacing one) does not serialize it five times
        (an in-memory Oxigraph store travels as its whole N-Quads dump)."""
        if self.start_method == "fork":
            return self.graph
        if self._pickled is None:
            self._pickled = pickle.dumps(self.graph, protocol=pickle.HIGHEST_PROTOCOL)
        return self._pickled

    # -- running a job -----------------------------------------------------------------
    def run(self, job: Callable[..., T], *args: Any, timeout: float) -> T:
        """Run ``job(graph, *args)`` in a worker; its result, or what it raised.

        Raises :class:`~kg.errors.QueryTimeout` when the job runs longer than ``timeout``
        seconds (its worker is then killed and replaced), :class:`WorkerLost` when its
        worker stops under it, and :class:`~kg.errors.ServiceBusy` when no worker became
        free in time to start it.
        """
        if self._first_ready is not None:  # the server is up, its first worker starting:
            self._first_ready.wait()  # not a busy queue, however long that takes
        pool, future, workers = self._schedule(job, args, timeout)
        queue = self.queue_timeout if self.queue_timeout is not None else max(timeout, 10.0)
        waited = timeout + queue
        try:
            outcome = _result(future, pool, waited + 1)
        except TimeoutError:
            if not future.done():  # still queued, or its worker is being stopped
                future.cancel()
                raise ServiceBusy(f"every worker was busy for {_seconds(waited - timeout)}; "
                                  f"the query was not run, try again") from None
            raise QueryTimeout(f"the query ran longer than {_seconds(timeout)}, the time "
                               f"limit, and was stopped") from None
        except ProcessExpired as expired:
            raise _lost(expired.pid, expired.exitcode) from None
        except CancelledError:
            raise ServiceBusy("the query was cancelled before it ran") from None
        except BrokenProcessPool:
            # pebble gives up its whole pool when a worker dies while it has not yet
            # recorded which job that worker runs (a race between its threads); the next
            # job starts a new pool (see _current). The worker that stopped is found among
            # those the pool had when this job was sent, so the caller learns how it ended.
            stopped = [(pid, process.exitcode) for pid, process in workers.items()
                       if process.exitcode not in (None, 0)]
            if stopped:
                raise _lost(*stopped[0]) from None
            log.error("the worker pool broke while a job was running; it is restarted")
            raise WorkerLost("the worker pool was restarted while the query ran; send the "
                             "request again") from None
        return _unwrap(outcome)

    def _schedule(self, job: Callable[..., Any], args: tuple[Any, ...], timeout: float,
                  ) -> tuple[ProcessPool, Any, dict[int, Any]]:
        """The pool the job was sent to, the job's future, and the pool's worker
        processes when it was sent (pid -> process), to say which one stopped if the pool
        breaks."""
        for attempt in (1, 2):
            try:
                pool = self._current()
                workers = dict(pool._pool_manager.worker_manager.workers)  # pebble: no public list
                return pool, pool.schedule(_call, args=(job, args), timeout=timeout), workers
            except (RuntimeError, BrokenProcessPool):  # the pool broke: supervise, retry once
                if attempt == 2:
                    raise
                with self._lock:
                    broken, self._pool = self._pool, None
                if broken is not None:
                    _dispose(broken)
        raise AssertionError("unreachable")  # pragma: no cover


def _result(future: Any, pool: ProcessPool, seconds: float) -> Any:
    """``future.result()`` within ``seconds`` (else :class:`TimeoutError`), looking every
    :data:`_BROKEN_CHECK` seconds whether ``pool`` (the pool it was sent to) has broken:
    pebble leaves a job sent just as its pool broke waiting for ever (it checks that the
    pool runs, the pool breaks and fails the jobs it holds, then the job is queued and
    nobody takes it), which the caller would have learnt as "every worker was busy" once
    its time and queue limits had passed. Such a job is :class:`BrokenProcessPool` at once,
    as the jobs the pool held."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        try:
            return future.result(timeout=max(0.0, min(left, _BROKEN_CHECK)))
        except TimeoutError:
            if future.done() or left <= _BROKEN_CHECK:  # (done: the job ran out of time)
                raise
            if not pool.active:
                raise BrokenProcessPool("the job was sent as the pool broke") from None


def _launch(pool: ProcessPool, launched: threading.Event, ready: threading.Event) -> None:
    """Start ``pool``'s worker processes (pebble starts them all on the first job sent):
    ``launched`` is set then; ``ready`` once the first is ready, or the pool failed."""
    future = None
    try:
        future = pool.schedule(_warm, args=(0.0,))
    except (RuntimeError, BrokenProcessPool):  # closed meanwhile, or broken: the next job
        log.debug("the worker pool stopped while its workers started")  # restarts it
    finally:
        launched.set()
    try:
        if future is not None:
            future.result()
    except Exception:  # noqa: BLE001 - the pool broke or closed: the next job finds out
        log.debug("the first worker did not start", exc_info=True)
    finally:
        ready.set()


def _lost(pid: int | None, exitcode: int | None) -> WorkerLost:
    """The error for a job whose worker process stopped under it."""
    how = (f"signal {-exitcode}" if exitcode and exitcode < 0 else f"exit code {exitcode}")
    log.error("worker %s stopped while running a job (%s); it is replaced", pid, how)
    return WorkerLost(f"the worker process running the query stopped ({how}); it has been "
                      f"replaced, send the request again")


def _dispose(pool: ProcessPool) -> None:
    """Stop a pebble pool and its workers, whatever state it is in."""
    pool.stop()
    try:
        pool.join(timeout=10)
    except (RuntimeError, TimeoutError):  # pragma: no cover - already gone or stuck
        log.exception("stopping the worker pool")


def run_job(graph: Any, job: Callable[..., T], *args: Any, limits: Limits) -> T:
    """Run ``job(graph, *args)`` once, bounded by ``limits`` (time and memory).

    ``job`` is a module-level function whose first argument is the loaded
    :class:`~kg.load.KnowledgeGraph`; its other arguments and its result must be
    picklable. This is how the command line runs a user's query or analysis: a pool of one
    worker, forked from this process (which already holds the graph) where the platform
    can fork. The server runs the same jobs through its long-lived :class:`WorkerPool`
    (:meth:`kg.web.service.Service.run`).

    >>> import kg
    >>> run_job(kg.load(), count_statements, limits=Limits(timeout=10)) > 1000
    True
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with _one_shot_ticks():
        pool = WorkerPool(graph, workers=1, max_memory=limits.max_memory,
                          start_method=method)
        try:
            return pool.run(job, *args, timeout=limits.timeout)
        finally:
            pool.close()


#: the polling tick (seconds) of a pool that runs one job (:func:`run_job`)
_ONE_SHOT_TICK = 0.01


@contextlib.contextmanager
def _one_shot_ticks() -> Iterator[None]:
    """Within the block, pebble's pools poll every :data:`_ONE_SHOT_TICK` seconds instead
    of its 0.1: a pool started and stopped for one job (a command's) otherwise spends most
    of its time waiting for its manager threads' next tick (about a tenth of a second per
    command, as long as a small query takes). The server's long-lived pool keeps pebble's
    tick (it does not run its jobs through :func:`run_job`). The tick is pebble's own
    (``pebble.common.CONSTS.sleep_unit``, not a documented setting): a pebble without it
    runs the job at its own pace."""
    try:
        from pebble.common import CONSTS
    except ImportError:  # (a pebble laid out otherwise)
        yield
        return
    before = getattr(CONSTS, "sleep_unit", None)
    if not isinstance(before, (int, float)):
        yield
        return
    CONSTS.sleep_unit = min(before, _ONE_SHOT_TICK)
    try:
        yield
    finally:
        CONSTS.sleep_unit = before


def count_statements(graph: Any) -> int:
    """A job: the number of quads in ``graph`` (an example, and a health check)."""
    return len(graph.store)


def _seconds(value: float) -> str:
    return f"{value:g} second" + ("" if value == 1 else "s")


def _unwrap(outcome: tuple[str, Any]) -> Any:
    status, payload = outcome
    if status == "ok":
        return payload
    if status == "kg-error":
        name, module, message, state = payload
        raise _rebuild(name, module, message, state)
    log.error("a job failed in its worker process:\n%s", payload)
    raise WorkerError("the query failed inside the server; the error is logged")


def _rebuild(name: str, module: str, message: str, state: dict[str, Any]) -> KgError:
    cls = getattr(sys.modules.get(module), name, None)
    if not (isinstance(cls, type) and issubclass(cls, KgError)):
        cls = QueryError
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


# -- inside a worker ---------------------------------------------------------------------

_GRAPH: Any = None


#: seconds a worker waits for its turn to start before starting anyway (the worker holding
#: the turn may have been stopped while it started)
START_TURN_TIMEOUT = 60.0


def _initialize(graph: Any, max_memory: int | None,
                warm: Callable[[Any], Any] | None = None, turn: Any = None,
                ready: Any = None) -> None:
    """A worker's start: keep the graph, warm up (in its ``turn``: one worker at a time),
    cap memory, shut the network, then say it is ready (its pid in a free slot of
    ``ready``, :meth:`WorkerPool.ready_workers`)."""
    from .asserted import internal_query

    global _GRAPH
    held = turn is not None and turn.acquire(timeout=START_TURN_TIMEOUT)
    try:
        if isinstance(graph, bytes):  # pickled once by the pool (WorkerPool._shipped)
            graph = pickle.loads(graph)
        _GRAPH = graph
        try:
            graph.store.query(internal_query("warm-up").text)  # builds rdflib's parser once
            if warm is not None:
                warm(graph)
        except Exception:  # noqa: BLE001 - a store that cannot answer fails on the first job
            log.exception("warming up the worker failed")
    finally:
        if held:
            turn.release()
    _cap_memory(max_memory)
    sys.addaudithook(_network_guard(_store_endpoints(graph)))
    if ready is not None:
        _say_ready(ready)


def _say_ready(slots: Any) -> None:
    """Write this worker's pid in the first slot that is free (never written, or the pid of
    a process that is gone); with none free, the worker is not counted (never blocks)."""
    pid = os.getpid()
    with slots.get_lock():
        for index, held in enumerate(slots):
            if held == 0 or not _alive(held):
                slots[index] = pid
                return


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _warm(seconds: float) -> int:
    time.sleep(seconds)  # long enough that each warm-up lands on another worker
    return os.getpid()


def _call(job: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    """Run one job; never raise (pebble would send a traceback across)."""
    from .sparql_guard import PARSER_LOCK  # rdflib's grammar: one thread at a time

    try:
        if getattr(job, "waits_for_warmup", False):  # it must let the warm-up thread parse
            return ("ok", job(_GRAPH, *args))
        with PARSER_LOCK:
            return ("ok", job(_GRAPH, *args))
    except KgError as error:
        return ("kg-error", (type(error).__name__, type(error).__module__, str(error),
                             dict(error.__dict__)))
    except MemoryError:
        return ("kg-error", ("WorkerError", __name__,
                             "the query needed more memory than this service allows", {}))
    except RecursionError:
        return ("kg-error", ("QueryError", "kg.errors",
                             "the query is nested too deeply to evaluate", {}))
    except BaseException:  # noqa: BLE001 - reported to the caller, never re-raised here
        return ("crash", traceback.format_exc())


def _store_endpoints(graph: Any) -> frozenset[tuple[str, int]]:
    """The ``(host or address, port)`` pairs of the graph's remote store, if it has one
    (:meth:`kg.remote_store.SparqlHttpStore.network_endpoints`): the only places a worker
    may connect to. Names are resolved now, before the network is shut."""
    endpoints = getattr(getattr(graph, "store", None), "network_endpoints", None)
    if endpoints is None:
        return frozenset()
    from .remote_store import resolve_addresses

    return frozenset(resolve_addresses(endpoints()))


def _network_guard(allowed: frozenset[tuple[str, int]]) -> Callable[[str, tuple[Any, ...]], None]:
    """An audit hook refusing every network connection, name lookup or URL fetch but those
    to ``allowed`` ``(host, port)`` pairs (the configured store, and nothing else)."""

    def guard(event: str, args: tuple[Any, ...]) -> None:
        if event in _NETWORK_EVENTS and not (allowed and _to_allowed(event, args, allowed)):
            raise UnsafeQueryError(f"kg makes no network requests on a query's behalf "
                                   f"({event})")

    return guard


def _to_allowed(event: str, args: tuple[Any, ...],
                allowed: frozenset[tuple[str, int]]) -> bool:
    """Whether the network event ``event`` goes to one of the ``allowed`` pairs."""
    try:
        if event == "socket.connect":
            address = args[1]
            return (isinstance(address, tuple) and len(address) >= 2
                    and (str(address[0]), int(address[1])) in allowed)
        if event == "socket.getaddrinfo":
            return (str(args[0]), int(args[1])) in allowed
        if event == "http.client.connect":
            return (str(args[1]), int(args[2])) in allowed
        if event == "urllib.Request":
            from urllib.parse import urlsplit

            parts = urlsplit(args[0])
            port = parts.port or (443 if parts.scheme == "https" else 80)
            return parts.scheme in ("http", "https") and (parts.hostname or "", port) in allowed
        if event == "socket.gethostbyname":
            return any(str(args[0]) == host for host, _ in allowed)
    except (IndexError, TypeError, ValueError):
        return False
    return False


def _cap_memory(max_memory: int | None) -> None:
    if max_memory is None:
        return
    try:
        import resource

        current = _virtual_size()
        if current is None:
            return
        limit = current + max_memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not Linux
        pass


def _virtual_size() -> int | None:
    try:
        with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return None
