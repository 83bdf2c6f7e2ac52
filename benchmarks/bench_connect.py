"""A ``kg.connect`` client's first analysis against kg's server: the projection's input
read in one request (``/-/projection``) and over SPARQL (the baseline: any other
endpoint), in the same run, each in a new process with an empty cache. Prints the seconds
of the first ``project()``, the ratio to the baseline, the client's peak memory, and the
seconds of a second ``kg.connect`` in the same process (read from the cache it kept).

    python benchmarks/bench_connect.py                       # the bundled graph
    python benchmarks/bench_connect.py --store oxigraph:DIR  # a built store (10,000
                                                             # articles: about 2 minutes)

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from serving import ROOT, machine, served

#: one client session, in a process of its own (argv: the endpoint, "sparql" or "request")
CLIENT = r"""
import json, os, resource, sys, tempfile, time
os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-bench-connect-")
import kg
from kg import remote
if sys.argv[2] == "sparql":  # as from any endpoint: no /-/projection asked
    remote.RemoteStore.projection_input = lambda self: None
start = time.monotonic()
edges = kg.connect(sys.argv[1]).project().number_of_edges()
first = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.monotonic()
kg.connect(sys.argv[1]).project()
print(json.dumps({"first": first, "again": time.monotonic() - start, "peak": peak,
                  "edges": edges}))
"""


def session(sparql: str, way: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", CLIENT, sparql, way], capture_output=True,
                          text=True, cwd=ROOT, check=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="kg serve --store (default: the bundled graph)")
    args = parser.parse_args()
    with served(*(["--store", args.store] if args.store else [])) as url:
        print(f"machine: {machine()}; one session each, a new process, an empty cache")
        print("| the projection's input read | first analysis | ratio | peak memory "
              "(client) | the next kg.connect |")
        print("|---|---:|---:|---:|---:|")
        base = None
        for way, what in (("sparql", "over SPARQL"), ("request", "in one request")):
            found = session(url + "sparql", way)
            base = base or found["first"]
            print(f"| {what} | {found['first']:.1f} s | {found['first'] / base:.2f} | "
                  f"{found['peak']:,.0f} MiB | {found['again']:.1f} s |")


if __name__ == "__main__":
    main()
