"""The benchmark table: every stage, on each store backend, with its ratio to plain rdflib.

For each size (``kg synth --articles N --seed 1``), for each backend (rdflib, oxigraph), a
fresh worker process loads the corpus and measures, in order: load (parse, store, RDFS
entailment), each named query with its example parameters (median of ``--runs``), the
aggregates in ``benchmarks/aggregates/`` (a ``COUNT(*)`` and a ``GROUP BY`` over the whole
graph), the network projection (the paged SPARQL read and the build, uncached), centrality (exact
betweenness with networkx and with igraph), Louvain communities (both engines), then the
peak memory of the process so far; then ``kg serve`` on the same corpus and backend: time
until it answers, and HTTP latency p50 / p99 over ``--requests`` requests cycling through
the named queries; last, full validation (``kg.validate``) of the loaded graph. Each
figure is printed beside its ratio to the rdflib column of the same run; with ``--cpu``,
the timed stages show the CPU seconds of the worker process (all its threads) instead, a
fairer figure than wall time on a machine shared with other work.

Robust by construction: each stage has a time cap (``--cap``); a stage that exceeds it is
reported as ``> cap`` and the worker is restarted for the stages after it (a load that
exceeds it leaves the backend's other stages "not run"). Not part of the test suite::

    python benchmarks/bench_table.py                  # 100 and 1,000 articles
    python benchmarks/bench_table.py --sizes 100 --cap 120
    python benchmarks/bench_table.py --with-10000     # adds 10,000 articles (slow)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from serving import machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

BACKENDS = ("rdflib", "oxigraph")
#: the aggregates the issue's targets speak of (COUNT(*), GROUP BY), one per file
AGGREGATES = ROOT / "benchmarks" / "aggregates"
NOT_RUN = "not run"


# ------------------------------------------------------------------- the worker process
def _emit(**record: Any) -> None:
    print(json.dumps(record), flush=True)


def _timed(action: Any) -> tuple[float, float, Any]:
    """Wall seconds, CPU seconds of the whole process (every thread), and the value."""
    started, cpu = time.perf_counter(), time.process_time()
    value = action()
    return time.perf_counter() - started, time.process_time() - cpu, value


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _examples(query: Any, corpus_articles: list[str]) -> dict[str, str]:
    examples = {p.name: p.example for p in query.params if p.use != "optional"}
    if "agreement" in examples and corpus_articles:
        examples["agreement"] = f"kgr:agreement-{corpus_articles[0]}"
    return examples


def worker(data: Path, backend: str, stages: list[str], runs: int, requests: int, *,
           cap: float, load_cap: float, entail: bool = True) -> None:
    """Run ``stages`` (after a silent load when ``load`` is not among them), one JSON line
    announcing each and one with its figure."""
    import igraph  # noqa: F401 - imported before any timing, as a server would have it

    import kg

    articles = sorted(p.stem for p in data.glob("*.trig"))

    def load() -> Any:
        return kg.load(data=data, store=backend, entail=entail)

    if "load" in stages:
        _emit(begin="load")
        try:
            with _capped(load_cap):
                seconds, cpu, graph = _timed(load)
        except _Capped:
            return _emit(stage="load", capped=True)  # the other stages are not run
        _emit(stage="load", seconds=seconds, cpu=cpu)
    else:
        graph = load()
    projected = simple = None
    for stage in stages:
        if stage == "load":
            continue
        _emit(begin=stage)
        timer = _capped(load_cap if stage == "http" else cap)
        try:
            with timer:
                projected, simple = _stage(stage, graph, projected, simple, data, backend,
                                           runs, requests, articles, stages)
        except (Exception, _Capped) as error:  # noqa: BLE001 - a library may wrap it
            if timer.expired:
                _emit(stage=stage, capped=True)
            else:
                print(f"  {stage} failed: {error!r}", file=sys.stderr, flush=True)
                _emit(stage=stage, failed=str(error) if str(error).startswith("not run")
                      else type(error).__name__)


class _Capped(BaseException):
    """A stage ran out of its time."""


class _capped:  # noqa: N801 - used as a context manager
    """Raise :class:`_Capped` in this (main) thread after ``seconds`` (Python code only: a
    long call inside a C library is stopped by the parent instead)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False

    def __enter__(self) -> None:
        def expire(*_: Any) -> None:
            self.expired = True
            raise _Capped

        signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *_: Any) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _stage(stage: str, graph: Any, projected: Any, simple: Any, data: Path, backend: str,
           runs: int, requests: int, articles: list[str], stages_asked: list[str],
           ) -> tuple[Any, Any]:
    import kg
    from kg.analysis.engines import betweenness, louvain
    from kg.analysis.pathfinding import undirected
    from kg.analysis.projection import Filters, build
    from kg.analysis.reading import read
    from kg.queries import queries

    if stage.startswith("query "):
        query = next(q for q in queries() if q.name == stage[6:])
        params = _examples(query, articles)
        times = [_timed(lambda: query.run(graph, params))[:2] for _ in range(runs)]
        _emit(stage=stage, seconds=statistics.median(t[0] for t in times),
              cpu=statistics.median(t[1] for t in times))
    elif stage.startswith("aggregate "):
        text = (AGGREGATES / f"{stage[10:]}.rq").read_text(encoding="utf-8")
        times = [_timed(lambda: graph.query(text))[:2] for _ in range(runs)]
        _emit(stage=stage, seconds=statistics.median(t[0] for t in times),
              cpu=statistics.median(t[1] for t in times))
    elif stage == "projection":
        seconds, cpu, projected = _timed(lambda: build(read(graph), Filters()))
        simple = undirected(projected)
        _emit(stage=stage, seconds=seconds, cpu=cpu, nodes=projected.number_of_nodes(),
              edges=projected.number_of_edges())
    elif stage in ("betweenness networkx", "betweenness igraph", "louvain networkx",
                   "louvain igraph"):
        if simple is None and "projection" in stages_asked:
            raise RuntimeError("not run (the projection did not finish)")
        if simple is None:
            simple = undirected(projected if projected is not None
                                else build(read(graph), Filters()))
        measure, engine = stage.split()
        run = ((lambda: betweenness(simple, engine=engine)) if measure == "betweenness"
               else (lambda: louvain(simple, seed=42, engine=engine)))
        seconds, cpu, _ = _timed(run)
        _emit(stage=stage, seconds=seconds, cpu=cpu)
    elif stage == "peak memory":
        _emit(stage=stage, mib=_peak_mib())
    elif stage == "http":
        _http(data, backend, requests, articles)
    elif stage == "validate":
        seconds, cpu, report = _timed(lambda: kg.validate(graph=graph))
        _emit(stage=stage, seconds=seconds, cpu=cpu, conforms=report.conforms)
    return projected, simple


def _http(data: Path, backend: str, requests: int, articles: list[str]) -> None:
    """``kg serve`` of ``data`` on ``backend``: time until it answers, then latencies."""
    from urllib.error import HTTPError
    from urllib.parse import urlencode
    from urllib.request import urlopen

    from serving import percentile

    from kg.queries import queries

    errors = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--port", "0",
         "--data", str(data), "--store", backend], stdout=subprocess.PIPE, stderr=errors,
        text=True, env=env, cwd=data)
    try:
        line = ""
        for line in iter(process.stdout.readline, ""):  # type: ignore[union-attr]
            if "serving http://" in line:
                break
        if "serving http://" not in line:
            errors.seek(0)
            raise SystemExit(f"kg serve did not start: {errors.read()[-2000:]}")
        url = line.split("serving ", 1)[1].split(" ", 1)[0]
        urlopen(url + "-/health", timeout=600).read()
        _emit(stage="serve ready", seconds=time.perf_counter() - started)
        _emit(begin="http")
        urls = []
        for query in queries():
            address = f"{url}api/queries/{query.name}?{urlencode(_examples(query, articles))}"
            try:
                urlopen(address, timeout=600).read()  # each worker parses and warms once
            except HTTPError as error:
                print(f"  skipped {query.name}: HTTP {error.code}", file=sys.stderr)
                continue
            urls.append(address)
        latencies = []
        for i in range(requests):
            began = time.perf_counter()
            urlopen(urls[i % len(urls)], timeout=600).read()
            latencies.append(time.perf_counter() - began)
        _emit(stage="http", p50=percentile(latencies, 0.5), p99=percentile(latencies, 0.99),
              queries=len(urls))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        os.unlink(errors.name)


# ------------------------------------------------------------------- the parent process
def _stages() -> list[str]:
    from kg.queries import queries

    return (["load"] + [f"query {q.name}" for q in queries()]
            + [f"aggregate {p.stem}" for p in sorted(AGGREGATES.glob("*.rq"))]
            + ["projection", "betweenness networkx", "betweenness igraph", "louvain networkx",
               "louvain igraph", "peak memory", "http", "validate"])


def measure(data: Path, backend: str, *, cap: float, load_cap: float, runs: int,
            requests: int, entail: bool = True, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every stage's figure on ``backend``: seconds, ``{"p50", "p99"}``, MiB, or a text."""
    results: dict[str, Any] = {s: "skipped" for s in _stages() if s.startswith(skip)}
    todo = [s for s in _stages() if s not in results]
    while todo:
        command = [sys.executable, __file__, "--worker", str(data), "--backend", backend,
                   "--runs", str(runs), "--requests", str(requests), "--cap", str(cap),
                   "--load-cap", str(load_cap), *([] if entail else ["--no-entail"]),
                   "--stages", *todo]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                                 start_new_session=True, cwd=ROOT)
        selector = selectors.DefaultSelector()
        selector.register(child.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
        # the worker stops a stage at its cap itself; this is the backstop (and a worker
        # that loads silently, to resume after a stage it could not stop, loads first)
        grace = 120
        current, deadline = None, time.monotonic() + load_cap + grace
        while True:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                os.killpg(child.pid, signal.SIGKILL)  # the worker and its server
                child.wait()
                results[current or todo[0]] = (
                    f"> {load_cap if current in ('load', 'http') else cap:g} s")
                stop = todo.index(current or todo[0])
                if (current or todo[0]) == "load":
                    results.update({s: NOT_RUN for s in todo[1:]})
                    todo = []
                else:
                    todo = todo[stop + 1:]
                break
            line = child.stdout.readline()  # type: ignore[union-attr]
            if not line:
                child.wait()
                if current is not None and current not in results:
                    results[current] = "failed"
                    todo = todo[todo.index(current) + 1:] if current in todo else []
                else:
                    todo = []
                break
            record = json.loads(line)
            if "begin" in record:
                current = record["begin"]
                # loading (and kg serve loading the same files) has its own, longer cap
                deadline = time.monotonic() + grace + (load_cap if current in ("load", "http")
                                                       else cap)
                continue
            if record.get("stage") == "serve ready":
                deadline = time.monotonic() + cap + grace
            stage = record.pop("stage")
            if record.pop("capped", False):
                record = f"> {load_cap if stage in ('load', 'http') else cap:g} s"
            elif "failed" in record:
                record = (record["failed"] if record["failed"].startswith("not run")
                          else f"failed ({record['failed']})")
            results[stage] = record
            print(f"  {backend:8} {stage:40} {_cell(record)}", file=sys.stderr, flush=True)
    return results


def _cell(value: Any, key: str = "", cpu: bool = False) -> str:
    if isinstance(value, str):
        return value
    if "mib" in value:
        return f"{value['mib']:.0f} MiB"
    if "p50" in value and not key:
        return f"p50 {value['p50'] * 1000:.1f} ms, p99 {value['p99'] * 1000:.1f} ms"
    if key:
        return f"{value[key] * 1000:.1f} ms"
    seconds = value["cpu" if cpu and "cpu" in value else "seconds"]
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _number(value: Any, key: str) -> float | None:
    return value.get(key) if isinstance(value, dict) else None


def table(size: int, figures: dict[str, dict[str, Any]], cpu: bool = False) -> list[str]:
    """One Markdown table: a row per stage, a column per backend, and the ratio (of CPU
    seconds, where a stage has them, when ``cpu``)."""
    lines = [f"| operation | {' | '.join(BACKENDS)} | oxigraph / rdflib |",
             "|---|" + "---:|" * (len(BACKENDS) + 1)]
    rows: list[tuple[str, str]] = []
    for stage in _stages():
        if stage == "http":
            rows += [("serve ready", "seconds"), ("HTTP named query p50", "p50"),
                     ("HTTP named query p99", "p99")]
        elif stage == "peak memory":
            rows.append((stage, "mib"))
        else:
            rows.append((stage, "seconds"))
    for name, key in rows:
        stage = "http" if name.startswith("HTTP") else name
        cells, values = [], []
        for backend in BACKENDS:
            value = figures[backend].get(stage, NOT_RUN)
            if stage == "serve ready" and value == NOT_RUN:
                value = figures[backend].get("http", NOT_RUN)  # kg serve failed, or capped
            timed = key == "seconds" and cpu and isinstance(value, dict) and "cpu" in value
            cells.append(_cell(value, key if key in ("p50", "p99") else "", cpu))
            values.append(_number(value, "cpu" if timed else key))
        ratio = (f"{values[1] / values[0]:.2f}" if values[0] and values[1] is not None
                 else "")
        label = {"load": "load (parse, store, entail unless --no-entail)",
                 "validate": "validate (full, rudof)",
                 "projection": "projection (paged SPARQL read + build, actors)",
                 "peak memory": "peak memory (load to communities)"}.get(name, name)
        lines.append(f"| {label} | {' | '.join(cells)} | {ratio} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--with-10000", action="store_true",
                        help="also 10,000 articles (slow: hours on rdflib)")
    parser.add_argument("--cap", type=float, default=300, help="seconds per stage")
    parser.add_argument("--load-cap", type=float, default=1200,
                        help="seconds for loading (and for kg serve to start)")
    parser.add_argument("--no-entail", action="store_true",
                        help="load without the RDFS entailment (what the analysis needs)")
    parser.add_argument("--skip", nargs="+", default=[], metavar="STAGE",
                        help="leave out the stages starting with these words (e.g. query "
                        "http validate)")
    parser.add_argument("--parallel", action="store_true",
                        help="measure the backends at the same time (faster, noisier)")
    parser.add_argument("--runs", type=int, default=3, help="runs per named query")
    parser.add_argument("--cpu", action="store_true",
                        help="print CPU seconds of the process (every thread) instead of "
                        "wall seconds where a stage has them: fairer on a shared machine")
    parser.add_argument("--requests", type=int, default=60, help="HTTP requests timed")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--stages", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        return worker(args.worker, args.backend, args.stages, args.runs, args.requests,
                      cap=args.cap, load_cap=args.load_cap, entail=not args.no_entail)
    from kg.synth import synth

    sizes = args.sizes + ([10_000] if args.with_10000 else [])
    print(f"machine: {machine()}; cap {args.cap:g} s per stage ({args.load_cap:g} s to "
          f"load), {args.runs} runs per named query, {args.requests} HTTP requests"
          + ("; backends measured at the same time" if args.parallel else "")
          + ("; CPU seconds (every thread), not wall" if args.cpu else ""), flush=True)
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"kg-bench-{size}-") as folder:
            corpus = synth(articles=size, seed=1, out=Path(folder) / "data")
            options = dict(cap=args.cap, load_cap=args.load_cap, runs=args.runs,
                           requests=args.requests, entail=not args.no_entail,
                           skip=tuple(args.skip))
            with ThreadPoolExecutor(max_workers=len(BACKENDS) if args.parallel else 1) as pool:
                futures = {backend: pool.submit(measure, corpus.out, backend, **options)
                           for backend in BACKENDS}
                figures = {backend: future.result() for backend, future in futures.items()}
        print(f"\n### {size:,} synthetic articles"
              + (" (loaded without RDFS entailment)" if args.no_entail else "") + "\n")
        projection = figures["oxigraph"].get("projection") or figures["rdflib"].get(
            "projection")
        if isinstance(projection, dict):
            print(f"(projection: {projection['nodes']:,} nodes, {projection['edges']:,} "
                  f"edges)\n")
        print("\n".join(table(size, figures, cpu=args.cpu)), flush=True)


if __name__ == "__main__":
    main()
