"""Each named query on Oxigraph at scale: kg's time beside the raw pyoxigraph evaluation.

For a synthetic corpus (``kg synth --articles N``), opens an Oxigraph store folder of it
(``--store``; written once from ``--data`` with :func:`kg.oxigraph_store.write_oxigraph`
when the folder does not exist yet) and times every named query, median of ``--runs``
after one warm-up run, with two sets of parameters:

* ``example``: the query's example parameters, as the benchmark table uses them
  (``bench_table._examples``: mostly names of the bundled data, absent from a synthetic
  corpus, so the query's cost is that of finding nothing);
* ``busy``: the most connected value of the corpus for each parameter (the organization
  with the most posts, the person with the most posts, the month with the most dated
  things...), so that the query also does the work of a full answer.

For each it prints kg's time (``NamedQuery.run``: binding, the store seam, the result
read into rows), the raw pyoxigraph time (the same text with the same ``VALUES`` block,
evaluated by ``pyoxigraph.Store.query`` and read in full) and the number of rows. Not part
of the test suite::

    python benchmarks/bench_query_scale.py --data CORPUS --store STORE_DIR [--runs 5]
    python benchmarks/bench_query_scale.py --store STORE_DIR --only search,cq09-month-timeline
    python benchmarks/bench_query_scale.py --store STORE_DIR --in-memory

``--in-memory`` copies the folder's quads into an in-memory store first, as ``kg.load``
builds it (an on-disk store answers through RocksDB, slower per lookup).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pyoxigraph as ox  # noqa: E402
from bench_table import _examples  # noqa: E402

import kg  # noqa: E402
from kg.load import KnowledgeGraph, open_oxigraph, resolve_bundle  # noqa: E402
from kg.oxigraph_store import OxigraphStore, write_oxigraph  # noqa: E402
from kg.queries import queries, with_values  # noqa: E402

KG = "https://w3id.org/kg/ontology#"
DCTERMS_ISSUED = "http://purl.org/dc/terms/issued"


def _open(store_dir: Path, data: Path | None, *, in_memory: bool) -> Any:
    if not store_dir.exists():
        if data is None:
            sys.exit(f"{store_dir} does not exist: give --data to write it")
        started = time.perf_counter()
        loaded = kg.load(data=data, store="oxigraph")
        write_oxigraph(loaded.store, store_dir)
        print(f"wrote {store_dir} from {data} in {time.perf_counter() - started:.1f} s")
        del loaded
    graph = open_oxigraph(store_dir, bundle=resolve_bundle(data=data))
    if in_memory:  # the folder's quads copied into an in-memory store, as kg.load makes
        memory = OxigraphStore()
        memory._ox.bulk_extend(graph.store._ox.quads_for_pattern(None, None, None, None))
        graph = KnowledgeGraph(store=memory, ontology=graph.ontology, bundle=graph.bundle,
                               files=graph.files, graph_files=graph.graph_files,
                               file_graphs=graph.file_graphs)
    return graph


def _most(store: Any, predicate: str, *, position: str = "object", rank: int = 0,
          ) -> str | None:
    """The value most often in ``position`` of a ``predicate`` statement (named graphs);
    ``None`` when the corpus has no such statement (the example is used then)."""
    counts: Counter[str] = Counter()
    for quad in store.quads_for_pattern(None, ox.NamedNode(KG + predicate), None, None):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            continue
        term = quad.object if position == "object" else quad.subject
        if isinstance(term, ox.NamedNode):
            counts[term.value] += 1
    ranked = counts.most_common(rank + 1)
    return f"<{ranked[rank][0]}>" if len(ranked) > rank else None


def _busiest_month(store: Any) -> str:
    months: Counter[str] = Counter()
    for predicate in (KG + "date", DCTERMS_ISSUED):
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None,
                                            ox.DefaultGraph()):
            if len(quad.object.value) >= 7:
                months[quad.object.value[:7]] += 1
    return months.most_common(1)[0][0]


def busy_parameters(store: Any) -> dict[str, str]:
    """For each parameter name of the named queries, the corpus's most connected value."""
    first, second = _most(store, "party"), _most(store, "party", rank=1)
    return {
        "organization": _most(store, "organization"),
        "first": first, "second": second,
        "person": _most(store, "holder"),
        "designee": _most(store, "designee"),
        "state": _most(store, "member"),
        "place": _most(store, "locatedIn"),
        "role": _most(store, "role"),
        "agreement": _most(store, "agreement"),
        "fact": _most(store, "statedIn", position="subject"),
        "subject": _most(store, "statedIn", position="subject"),
        "entity": first,
        "month": _busiest_month(store),
        "start": "2015-01-01", "end": "2015-03-31",
        "text": "nasser",
    }


def _median_ms(action: Any, runs: int) -> tuple[float, Any]:
    value = action()  # warm-up: the parse cache, the store's pages
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        value = action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="Oxigraph store folder")
    parser.add_argument("--data", type=Path, help="the corpus (to write --store once)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (median)")
    parser.add_argument("--only", default="", help="comma-separated query names")
    parser.add_argument("--sets", default="example,busy", help="parameter sets to run")
    parser.add_argument("--in-memory", action="store_true",
                        help="copy the folder into an in-memory store first (as kg.load)")
    args = parser.parse_args()

    graph = _open(args.store, args.data, in_memory=args.in_memory)
    raw = graph.store._ox  # the pyoxigraph store itself, for the raw figure
    articles = sorted(p.stem for p in args.data.glob("*.trig")) if args.data else []
    busy = busy_parameters(raw)
    only = set(filter(None, args.only.split(",")))
    prefixes = {p: str(ns) for p, ns in kg.namespaces.PREFIXES.items()}
    where = "in memory" if args.in_memory else "on disk, read-only"
    print(f"{args.store} ({where}): {len(raw)} quads; median of {args.runs} runs, "
          f"milliseconds; load average {os.getloadavg()[0]:.1f}")
    print(f"busy parameters: {busy}\n")
    print(f"{'query':30} {'set':8} {'kg':>9} {'raw':>9} {'rows':>6}")
    for query in queries():
        if only and query.name not in only:
            continue
        for name in args.sets.split(","):
            if name == "example":
                params = _examples(query, articles)
            else:
                params = {p.name: busy.get(p.name) or p.example for p in query.params
                          if p.use != "optional"}
            bindings = query.bind(params)
            text = with_values(query.text_for(bindings), bindings)
            kg_ms, result = _median_ms(lambda: query.run(graph, params), args.runs)
            raw_ms, _ = _median_ms(
                lambda: list(raw.query(text, prefixes=prefixes,
                                       default_graph=ox.DefaultGraph())), args.runs)
            print(f"{query.name:30} {name:8} {kg_ms:9.1f} {raw_ms:9.1f} {len(result):6}",
                  flush=True)


if __name__ == "__main__":
    main()
