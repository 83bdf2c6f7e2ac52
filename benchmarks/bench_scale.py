"""Scale: load, validate, each named query and the projection, on each store backend.

For each size, writes a synthetic corpus (``kg synth``), then for each backend measures
in this process: load (parse, store, RDFS entailment), opening a store folder written
by ``kg build --store-dir`` (Oxigraph only), each named query with its example
parameters (median of ``--runs``), and the network projection; ``kg validate`` once per
size (validation reads rdflib graphs whatever the backend). Every figure is printed
beside its ratio to the plain rdflib store measured in the same run. Not part of the
test suite::

    python benchmarks/bench_scale.py [--sizes 100 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from serving import machine  # noqa: E402

import kg  # noqa: E402
from kg.analysis.public import project  # noqa: E402
from kg.load import open_oxigraph  # noqa: E402
from kg.oxigraph_store import write_oxigraph  # noqa: E402
from kg.queries import queries  # noqa: E402
from kg.store import BACKENDS  # noqa: E402
from kg.synth import synth  # noqa: E402


def timed(action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def run_size(size: int, runs: int) -> list[tuple[str, dict[str, float]]]:
    folder = Path(tempfile.mkdtemp(prefix=f"kg-bench-{size}-"))
    corpus = synth(articles=size, seed=1, out=folder / "data")
    rows: dict[str, dict[str, float]] = {}

    def put(name: str, backend: str, seconds: float) -> None:
        rows.setdefault(name, {})[backend] = seconds

    seconds, report = timed(lambda: kg.validate(data=corpus.out))
    assert report.conforms
    for backend in BACKENDS:
        put("validate (pySHACL, same for both)", backend, seconds)
    graphs = {}
    for backend in BACKENDS:
        seconds, graph = timed(lambda: kg.load(data=corpus.out, store=backend))
        graphs[backend] = graph
        put("load (parse, store, entail)", backend, seconds)
    store_dir = folder / "oxigraph"
    write_oxigraph(graphs["rdflib"].store, store_dir)
    seconds, opened = timed(lambda: open_oxigraph(store_dir, bundle=graphs["rdflib"].bundle))
    put("open a built store", "oxigraph", seconds)
    graphs["oxigraph:DIR"] = opened
    for query in queries():
        examples = {p.name: p.example for p in query.params if p.use != "optional"}
        if "agreement" in examples:
            examples["agreement"] = f"kgr:agreement-{corpus.articles[0]}"
        for backend, graph in graphs.items():
            times = [timed(lambda: query.run(graph, examples))[0] for _ in range(runs)]
            put(query.name, backend, statistics.median(times))
    for backend, graph in graphs.items():
        put("projection (actors view)", backend, timed(lambda: project(graph=graph))[0])
    return sorted(rows.items(), key=lambda r: r[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=5, help="runs per named query")
    args = parser.parse_args()
    columns = ["rdflib", "oxigraph", "oxigraph:DIR"]
    print(f"machine: {machine()}")
    for size in args.sizes:
        print(f"\n### {size} synthetic articles\n")
        print("| operation | " + " | ".join(columns) + " | oxigraph / rdflib |")
        print("|---|" + "---:|" * (len(columns) + 1))
        for name, values in run_size(size, args.runs):
            cells = [f"{values[c] * 1000:.1f} ms" if c in values else "" for c in columns]
            base, other = values.get("rdflib"), values.get("oxigraph")
            ratio = f"{other / base:.2f}" if base and other else ""
            print(f"| {name} | " + " | ".join(cells) + f" | {ratio} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
