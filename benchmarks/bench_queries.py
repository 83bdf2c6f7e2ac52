"""Latency of each named query: in-process against through HTTP, in the same run.

Starts ``kg serve`` on a free loopback port, then for every named query (with its example
parameters) measures, N times each:

* in-process: ``NamedQuery.run`` on the loaded graph (the result read in full);
* HTTP: ``GET /api/queries/NAME`` (JSON), which forks a bounded worker per request;

and prints median and p99 of both and their ratio (HTTP / in-process). Not part of the
test suite::

    python benchmarks/bench_queries.py [--runs 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from serving import percentile, served  # noqa: E402

import kg  # noqa: E402
from kg.queries import queries  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="runs per query and surface")
    args = parser.parse_args()

    graph = kg.load()
    with served() as url:
        print(f"{args.runs} runs each; times in milliseconds\n")
        print(f"{'query':32} {'in-process':>21} {'HTTP /api':>21} {'ratio':>13}")
        print(f"{'':32} {'median':>10} {'p99':>10} {'median':>10} {'p99':>10} "
              f"{'median':>6} {'p99':>6}")
        for query in queries():
            params = {p.name: p.example for p in query.params if p.use != "optional"}
            query.run(graph, params)  # parse once, as the server does at start
            local = []
            for _ in range(args.runs):
                started = time.perf_counter()
                query.run(graph, params)
                local.append((time.perf_counter() - started) * 1000)
            target = f"{url}api/queries/{query.name}?{urllib.parse.urlencode(params)}"
            remote = []
            for _ in range(args.runs):
                started = time.perf_counter()
                with urllib.request.urlopen(target, timeout=60) as response:
                    response.read()
                remote.append((time.perf_counter() - started) * 1000)
            lm, lp = statistics.median(local), percentile(local, 0.99)
            rm, rp = statistics.median(remote), percentile(remote, 0.99)
            print(f"{query.name:32} {lm:10.1f} {lp:10.1f} {rm:10.1f} {rp:10.1f} "
                  f"{rm / lm:6.1f} {rp / lp:6.1f}")


if __name__ == "__main__":
    main()
