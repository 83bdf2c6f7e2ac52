"""The real server for endpoint tests: ``kg serve`` under waitress, in a subprocess.

One server per test process, on a free loopback port, started on first use and stopped
at exit. Its limits are small so that the limit tests stay fast (see LIMITS).

A server is handed to the tests once every one of its query workers is ready (its
``/-/health`` says so): ``kg serve`` listens at once and starts its workers one after
another, and a test that sends many requests at once to a server whose workers are still
starting would see them wait past the pool's queue limit (503) when another test process
shares the cores -- a slow start, not the behaviour under test. Each worker then warms up
in the background; a test that watches the workers' CPU waits for that with ``settles``.
"""

from __future__ import annotations

import atexit
import functools
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import scratch

ROOT = Path(__file__).resolve().parents[1]
SEED_DATA = ROOT / "tests" / "fixtures" / "seed" / "data"

#: the limits the test server runs with
LIMITS = {"timeout": 2.5, "max_rows": 500, "max_body": 20_000, "workers": 5,
          "read_timeout": 2.0}

#: the time limit of the server that tests about something else than the limit share (the
#: explorer's browser tests, the API contract): roomy, as a browser asks for many things at
#: once, some before a worker is warm; one server (five workers) for all of them
ROOMY = 30.0


@dataclass(frozen=True)
class Server:
    url: str  # with a trailing slash
    pid: int
    #: what the server writes on stderr (its log)
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


def environment() -> dict[str, str]:
    """This process's environment: the server runs the kg the tests import (the installed
    package in CI)."""
    return dict(os.environ)


def kg_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from kg.cli import main; main()", *args]


@functools.cache
def start(*, timeout: float = LIMITS["timeout"], store: str = "rdflib",
          max_elements: int | None = None, max_neighbours: int | None = None,
          data: Path | None = None) -> Server:
    """The test server (one per time limit, store backend, graph size limit and data
    folder, started on first use). The limit tests use the small default; a test about
    something else under load may ask for a longer one. ``max_elements`` makes the seed
    graph too large for the explorer to draw whole, ``max_neighbours`` its entities hubs
    with more neighbours than a neighbourhood gives; ``data`` serves another data folder
    than the seed data (a synthetic corpus)."""
    source = ["--data", str(data or SEED_DATA), "--store", store]
    if store in REMOTE_STORES:  # the seed build pushed to a real triplestore, served from it
        source = ["--store", remote_store(store)]
    command = kg_command("serve", *source, "--host", "127.0.0.1", "--port", "0",
                         "--timeout", str(timeout),
                         "--max-rows", str(LIMITS["max_rows"]),
                         "--max-body", str(LIMITS["max_body"]),
                         "--workers", str(LIMITS["workers"]),
                         "--read-timeout", str(LIMITS["read_timeout"]),
                         *(["--max-elements", str(max_elements)] if max_elements else []),
                         *(["--max-neighbours", str(max_neighbours)] if max_neighbours
                           else []))
    # the server's log, in this process's scratch folder (removed at exit, see scratch.py;
    # kept with KG_KEEP_SERVER_LOG set)
    kept = os.environ.get("KG_KEEP_SERVER_LOG")
    folder = Path(tempfile.mkdtemp(prefix="kg-serve-")) if kept else scratch.folder("serve")
    log = folder / (f"kg-serve-{store}-{timeout:g}-{max_elements or 'all'}"
                    f"-{max_neighbours or 'all'}{'-' + data.name if data else ''}.log")
    with log.open("w", encoding="utf-8") as handle:  # the server writes to its own copy
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=handle,
                                   text=True, env=environment(), cwd=ROOT)
    atexit.register(_stop, process)
    deadline = time.monotonic() + 30
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline() if process.stdout else ""
        if "serving http://" in line or process.poll() is not None:
            break
    if "serving http://" not in line:
        _stop(process)
        raise RuntimeError(f"kg serve did not start: {line!r}")
    url = line.split("serving ", 1)[1].split(" ", 1)[0]
    server = Server(url=url, pid=process.pid, log=log)
    if not all_ready(server):
        _stop(process)
        raise RuntimeError(f"kg serve's {LIMITS['workers']} workers were not ready within "
                           f"{READY_WITHIN:g} seconds (its log: {log})")
    return server


#: seconds a test server's workers may take to be ready, on a machine whose cores are shared
READY_WITHIN = 120.0


def ready_workers(server: Server) -> int:
    """How many of the server's query workers hold the graph and take queries now."""
    import requests

    return int(requests.get(server.url + "-/health", timeout=30).json()["workers_ready"])


def all_ready(server: Server, *, within: float = READY_WITHIN) -> bool:
    """Whether every query worker of ``server`` (LIMITS["workers"]) is ready within
    ``within`` seconds: a new server's, or the replacement of one that was stopped."""
    deadline = time.monotonic() + within
    while ready_workers(server) < LIMITS["workers"]:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


#: the remote triplestores a test server can serve from (tests/triplestores.py)
REMOTE_STORES = ("oxigraph-server", "virtuoso")


def remote_store(name: str) -> str:
    """The ``--store`` of the triplestore ``name``, with the seed build pushed to it."""
    from .conftest import seed_graph

    return seed_graph(name).store.spec  # type: ignore[attr-defined]


def _stop(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()


def children_of(pid: int) -> list[int]:
    """The child processes of ``pid``, zombies (exited, not reaped) included (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone
        return None


def descendants(pid: int, *, besides: frozenset[int] = frozenset()) -> list[int]:
    """Every process below ``pid`` (children, their children...), zombies included; none
    of ``besides`` nor anything below them."""
    found, queue = [], [pid]
    while queue:
        for child in children_of(queue.pop()):
            if child not in besides:
                found.append(child)
                queue.append(child)
    return sorted(found)


def zombies(pids: list[int]) -> list[int]:
    """Those of ``pids`` that have exited and were not reaped."""
    return [pid for pid in pids if (fields := _stat(pid)) is not None and fields[0] == "Z"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far."""
    fields = _stat(pid) or ["0"] * 13
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int, *, besides: frozenset[int] = frozenset()) -> float:
    """CPU time of ``pid`` and of every process below it (the server and its workers), but
    for ``besides`` and what runs below them (e.g. the servers that earlier tests of this
    test process started, which live on)."""
    return sum(cpu_seconds(p) for p in [pid, *descendants(pid, besides=besides)])


def tree_memory(pid: int) -> int:
    """Resident memory, in bytes, of ``pid`` and every process below it."""
    total = 0
    for each in [pid, *descendants(pid)]:
        try:
            pages = int(Path(f"/proc/{each}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += pages * os.sysconf("SC_PAGE_SIZE")
    return total


#: CPU seconds in half a second under which a server and its workers are quiet: an idle
#: server uses about 0.01; a process that computes gets more than this even when some
#: twenty share the two cores (a bound of 0.4 took a warm-up going on, at 0.2 s in 0.5 s
#: with the cores shared, for quiet)
QUIET = 0.05


def settles(server: Server, *, within: float = 60.0) -> bool:
    """Whether the server and its workers fall quiet (under ``QUIET`` s of CPU in 0.5 s)
    within ``within`` seconds: workers warm up once (one after another, each in the
    background once it takes queries), a killed query spins no more."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        before = tree_cpu_seconds(server.pid)
        time.sleep(0.5)
        if tree_cpu_seconds(server.pid) - before < QUIET:
            return True
    return False
