"""Load on ``kg serve``: mixed requests from concurrent clients, beside the same work in-process.

Starts ``kg serve`` on a free loopback port, then for ``--seconds`` (default 60) keeps
``--clients`` threads (default 8) sending a fixed rotation of requests -- every named
query with its example parameters (``/api/queries/NAME``), SPARQL SELECT / ASK /
CONSTRUCT texts (``/sparql``), and the system routes -- and prints throughput, p50 and
p99 latency per kind of request, and the error count. It then runs the same named
queries and SPARQL texts in-process, one at a time, and prints the ratio HTTP / in-process
with one client and one request at a time (the cost of HTTP, the worker pool and
serialization); for the small queries the target is at most 1.5x.

Every request goes to 127.0.0.1 only; the run stops by itself. Not part of the test suite::

    python benchmarks/bench_load.py [--seconds 60] [--clients 8] [--workers N]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from serving import percentile  # noqa: E402
from serving import served as served_at  # noqa: E402

import kg  # noqa: E402
from kg.queries import NamedQuery, queries  # noqa: E402

SPARQL = {
    "sparql-select": "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name",
    "sparql-count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "sparql-ask": "ASK { kgr:icesco ?p ?o }",
    "sparql-construct": "CONSTRUCT WHERE { kgr:icesco ?p ?o }",
}



def requests_to_send(url: str) -> list[tuple[str, str, dict[str, str]]]:
    """(kind, URL, params) for one rotation of the mix."""
    mix = []
    for query in queries():
        params = {p.name: p.example for p in query.params if p.use != "optional"}
        mix.append((f"api:{query.name}", f"{url}api/queries/{query.name}", params))
    for name, text in SPARQL.items():
        mix.append((name, f"{url}sparql", {"query": text}))
    mix.append(("health", f"{url}-/health", {}))
    return mix


def load(url: str, seconds: float, clients: int) -> dict[str, list[float]]:
    mix = requests_to_send(url)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        session = requests.Session()
        for kind, target, params in itertools.islice(itertools.cycle(mix), offset, None):
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                response = session.get(target, params=params, timeout=30,
                                       headers={"Accept": "application/sparql-results+json, "
                                                          "text/turtle;q=0.9, */*;q=0.1"})
                ok = response.status_code == 200
            except requests.RequestException as error:
                ok, response = False, error  # type: ignore[assignment]
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies[kind].append(elapsed)
                if not ok:
                    errors.append(f"{kind}: {getattr(response, 'status_code', response)}")

    threads = [threading.Thread(target=client, args=(i * 3,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies["errors"] = [float(len(errors))]
    if errors:
        print("errors (first 5):", errors[:5])
    return latencies


def sequential(url: str, runs: int) -> dict[str, list[float]]:
    """Each request alone, one client: what HTTP and the worker pool add to a query."""
    session = requests.Session()
    timings: dict[str, list[float]] = {}
    for kind, target, params in requests_to_send(url):
        samples = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            session.get(target, params=params, timeout=30)
            samples.append((time.perf_counter() - started) * 1000)
        timings[kind] = samples[1:]
    return timings


def in_process(runs: int) -> dict[str, list[float]]:
    graph = kg.load()
    timings: dict[str, list[float]] = {}
    jobs: list[tuple[str, NamedQuery, dict[str, str]]] = []
    for query in queries():
        params = {p.name: p.example for p in query.params if p.use != "optional"}
        jobs.append((f"api:{query.name}", query, params))
    for name, text in SPARQL.items():
        jobs.append((name, NamedQuery.from_text(text, name=name), {}))
    for kind, query, params in jobs:
        query.run(graph, params)  # parsed once, as in the server's workers
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            result = query.run(graph, params)
            result.serialize("json" if not result.kind.returns_graph else "turtle")
            samples.append((time.perf_counter() - started) * 1000)
        timings[kind] = samples
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--runs", type=int, default=30, help="in-process runs per request")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, kg {kg.__version__}")
    with served_at(*(["--workers", str(args.workers)] if args.workers else [])) as url:
        alone = sequential(url, args.runs)
        served = load(url, args.seconds, args.clients)
    errors = int(served.pop("errors")[0])
    local = in_process(args.runs)
    total = sum(len(v) for v in served.values())
    print(f"\nunder load: {args.clients} clients for {args.seconds:g} s: {total} requests, "
          f"{total / args.seconds:.1f} requests/s, {errors} errors\n")
    print(f"{'request':36} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} | {'alone p50':>9} "
          f"{'in-proc p50':>11} {'ratio':>6}")
    for kind in sorted(served):
        values = served[kind]
        p50, p99 = statistics.median(values), percentile(values, 0.99)
        single = statistics.median(alone[kind])
        base = statistics.median(local[kind]) if kind in local else None
        tail = f"{base:11.1f} {single / base:6.2f}" if base else f"{'':>11} {'':>6}"
        print(f"{kind:36} {len(values):6d} {p50:8.1f} {p99:8.1f} | {single:9.1f} {tail}")
    everything = [v for values in served.values() for v in values]
    print(f"\nall requests under load: p50 {statistics.median(everything):.1f} ms, "
          f"p99 {percentile(everything, 0.99):.1f} ms")
    print("ratio: one request alone over HTTP (p50) / the same query in-process (p50), "
          "measured in this run")
    parsed = urllib.parse.urlsplit(url)
    assert parsed.hostname == "127.0.0.1"


if __name__ == "__main__":
    main()
