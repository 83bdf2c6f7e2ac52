"""Relationship analysis timings: kg's projection and analyses beside plain networkx.

On the bundled data and on a generated graph of about 10,000 nodes (people, organizations,
posts stated in a few articles), prints: projection build (SPARQL read + build), a path
query, betweenness (sampled, k=200, on the large graph), and an in-process API round trip
(Flask test client), with plain networkx on the same topology and the ratio. Not part of
the test suite::

    python benchmarks/bench_analysis.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import networkx as nx  # noqa: E402

import kg  # noqa: E402
from kg.analysis.pathfinding import undirected  # noqa: E402
from kg.analysis.projection import Filters, build, raw_of  # noqa: E402


def timed(function, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def generated(folder: Path, people: int = 7000, organizations: int = 3000) -> Path:
    """A project folder with ~10,000 nodes: posts of people at organizations."""
    import shutil

    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, folder / name)
    data = folder / "data"
    data.mkdir()
    rng = random.Random(1)
    lines = ["@prefix kg: <https://w3id.org/kg/ontology#> .",
             "@prefix kgr: <https://w3id.org/kg/id/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix src: <https://w3id.org/kg/source/> .",
             "src:gen { src:gen a kg:NewsArticle ; rdfs:label \"generated\" ."]
    for i in range(people):
        lines.append(f'kgr:p{i} a kg:Person ; rdfs:label "Person {i}" .')
    for j in range(organizations):
        lines.append(f'kgr:o{j} a kg:Organization ; rdfs:label "Organization {j}" .')
    for i in range(people):
        for n in range(2):
            j = rng.randrange(organizations)
            lines.append(f"kgr:post{i}-{n} a kg:PostHolding ; kg:holder kgr:p{i} ; "
                         f"kg:organization kgr:o{j} ; kg:statedIn src:gen ; "
                         f'kg:quote "post {i} {n}" .')
    lines.append("}")
    (data / "gen.trig").write_text("\n".join(lines), encoding="utf-8")
    return folder


def report(name: str, graph, start: str, end: str, *, sample: int | None) -> None:
    read = timed(lambda: raw_of.__wrapped__(graph) if hasattr(raw_of, "__wrapped__")
                 else __import__("kg.analysis.reading", fromlist=["read"]).read(graph), runs=1)
    raw = raw_of(graph)
    projected = build(raw, Filters())
    built = timed(lambda: build(raw, Filters()))
    plain = nx.MultiDiGraph(projected.edges(keys=True))
    plain_built = timed(lambda: nx.MultiDiGraph(projected.edges(keys=True)))
    simple = undirected(projected)
    path = timed(lambda: kg.paths(start, end, graph=graph, limit=1, max_hops=6))
    plain_path = timed(lambda: nx.shortest_path(simple, projected_iri(projected, start),
                                                projected_iri(projected, end)))
    between = timed(lambda: nx.betweenness_centrality(simple, k=sample, seed=1), runs=1)
    print(f"\n{name}: {projected.number_of_nodes()} nodes, {projected.number_of_edges()} edges")
    print(f"  SPARQL read of the projection input  {read * 1000:9.1f} ms")
    print(f"  projection build (kg)                {built * 1000:9.1f} ms   plain networkx "
          f"{plain_built * 1000:8.1f} ms   ratio {built / plain_built:6.1f}")
    print(f"  path query (kg, explained, ranked)   {path * 1000:9.1f} ms   plain shortest_path "
          f"{plain_path * 1000:8.1f} ms   ratio {path / max(plain_path, 1e-9):6.1f}")
    print(f"  betweenness (k={sample})               {between * 1000:9.1f} ms")
    del plain


def projected_iri(projected, name: str) -> str:
    from kg.analysis.matching import resolve

    return resolve(projected, name)


def api_round_trip(graph) -> None:
    from kg.web import create_app

    app = create_app({"GRAPH": graph, "WORKERS": 1})
    client = app.test_client()
    url = "/api/paths?from=Leyla%20Aliyeva&to=Burkina%20Faso"
    client.get(url)
    elapsed = timed(lambda: client.get(url), runs=10)
    inprocess = timed(lambda: kg.paths("Leyla Aliyeva", "Burkina Faso", graph=graph), runs=10)
    print(f"  API round trip /api/paths            {elapsed * 1000:9.1f} ms   in-process "
          f"{inprocess * 1000:8.1f} ms   ratio {elapsed / inprocess:6.1f}")
    app.extensions["kg"].close()


def main() -> None:
    bundled = kg.load()
    report("bundled data", bundled, "Leyla Aliyeva", "Burkina Faso", sample=None)
    api_round_trip(bundled)
    with tempfile.TemporaryDirectory() as folder:
        big = kg.load(project=generated(Path(folder)))
        report("generated", big, "kgr:p1", "kgr:p2", sample=200)


if __name__ == "__main__":
    main()
