"""Bounded execution: run a job in a forked child process and kill it when time is up.

Python cannot stop a thread, and a runaway SPARQL query (an unconstrained cartesian
product) would otherwise hold a worker and a core for as long as it likes. So the
endpoint runs each query in a child process made with ``fork``: the child inherits the
loaded store copy-on-write (nothing is pickled on the way in), does all the work --
parse, evaluate, cap the size, serialize -- and sends back only the finished bytes. The
parent waits at most ``timeout`` seconds, then kills the child (``SIGKILL``), reaps it,
and raises :class:`~kg.errors.QueryTimeout`; the worker thread is free again at once.

The child also gets, where the platform allows:

* a memory cap (``RLIMIT_AS``, ``max_memory`` bytes on top of what the parent already
  uses), so one query cannot take the machine's memory;
* an audit hook that refuses any network connection or URL fetch -- a second line behind
  :mod:`kg.sparql_guard`, which already refuses ``SERVICE``, ``LOAD`` and foreign ``FROM``.

Errors the job raises on purpose (:class:`~kg.errors.KgError`) reach the caller as the
same class with the same message and attributes; anything else becomes a
:class:`~kg.errors.QueryError` without a traceback (the traceback is logged).

Where ``fork`` does not exist (Windows), jobs run in the calling thread, unbounded.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import KgError, QueryError, QueryTimeout, UnsafeQueryError

__all__ = ["Limits", "run_bounded", "run_job", "fork_available", "WorkerError"]

T = TypeVar("T")
log = logging.getLogger(__name__)

#: audit events that mean "talk to another machine"
_NETWORK_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                             "urllib.Request", "http.client.connect"})


class WorkerError(QueryError):
    """The worker process failed on its own account (crashed, ran out of memory, or sent
    no answer): a fault of the service, not of the query's text."""


@dataclass(frozen=True)
class Limits:
    """The bounds of one query: seconds, rows (or triples), request bytes, child memory."""

    #: seconds a query may run before it is killed
    timeout: float = 10.0
    #: most rows (SELECT) or triples (CONSTRUCT / DESCRIBE) a result may have
    max_rows: int = 10_000
    #: largest request body accepted, in bytes
    max_body: int = 1_000_000
    #: memory a query may use on top of the server's own, in bytes (None: no cap)
    max_memory: int | None = 2 * 1024 ** 3


def fork_available() -> bool:
    """Whether jobs can run in a forked, killable child process here."""
    return "fork" in multiprocessing.get_all_start_methods()


def run_bounded(job: Callable[[], T], *, timeout: float,
                max_memory: int | None = None) -> T:
    """Run ``job()`` in a forked child; return its result or raise what it raised.

    Raises :class:`~kg.errors.QueryTimeout` when it takes longer than ``timeout``
    seconds; the child is then killed and reaped before this returns.

    >>> run_bounded(lambda: 6 * 7, timeout=5)
    42
    """
    if not fork_available():  # pragma: no cover - Windows
        return job()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(job, sender, max_memory), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(f"the query ran longer than {_seconds(timeout)}, the time "
                               f"limit, and was stopped")
        try:
            outcome = receiver.recv()
        except EOFError:
            raise WorkerError("the query stopped without an answer (it may have run out "
                              "of memory)") from None
    finally:
        receiver.close()
        _reap(child)
    return _unwrap(outcome)


def run_job(graph: Any, job: Callable[..., T], *args: Any, limits: Limits) -> T:
    """Run ``job(graph, *args)`` under ``limits`` (time and memory) and return its result.

    ``job`` is a module-level function whose first argument is the loaded
    :class:`~kg.load.KnowledgeGraph`; its other arguments and its result must be
    picklable. This is how the CLI runs a user's query or analysis; the server runs the
    same jobs through its worker pool (:meth:`kg.web.service.Service.run`).
    """
    return run_bounded(lambda: job(graph, *args), timeout=limits.timeout,
                       max_memory=limits.max_memory)


def _seconds(value: float) -> str:
    return f"{value:g} second" + ("" if value == 1 else "s")


def _reap(child: Any) -> None:
    """Kill the child if it is still there, and wait for it: no zombie, no busy core."""
    if child.is_alive():
        child.join(0.05)
    if child.is_alive():
        child.kill()
    child.join()
    child.close()


def _unwrap(outcome: tuple[str, Any]) -> Any:
    status, payload = outcome
    if status == "ok":
        return payload
    if status == "kg-error":
        name, module, message, state = payload
        raise _rebuild(name, module, message, state)
    log.error("query failed in the worker process:\n%s", payload)
    raise WorkerError("the query failed inside the server; the error is logged")


def _rebuild(name: str, module: str, message: str, state: dict[str, Any]) -> KgError:
    cls = getattr(sys.modules.get(module), name, None)
    if not (isinstance(cls, type) and issubclass(cls, KgError)):
        cls = QueryError
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


def _child(job: Callable[[], Any], sender: Any, max_memory: int | None) -> None:
    """In the child: cap memory, shut the network, run, send one message, exit."""
    _cap_memory(max_memory)
    sys.addaudithook(_refuse_network)
    try:
        outcome: tuple[str, Any] = ("ok", job())
    except KgError as error:
        outcome = ("kg-error", (type(error).__name__, type(error).__module__, str(error),
                                dict(error.__dict__)))
    except MemoryError:
        outcome = ("kg-error", ("WorkerError", __name__,
                                "the query needed more memory than this service allows",
                                {}))
    except BaseException:  # noqa: BLE001 - reported to the parent, never re-raised here
        outcome = ("crash", traceback.format_exc())
    try:
        sender.send(outcome)
    except Exception:  # the result itself could not be sent (e.g. not picklable)
        sender.send(("crash", traceback.format_exc()))
    finally:
        sender.close()


def _refuse_network(event: str, args: tuple[Any, ...]) -> None:
    if event in _NETWORK_EVENTS:
        raise UnsafeQueryError(f"kg makes no network requests on a query's behalf ({event})")


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
