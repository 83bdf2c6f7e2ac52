"""rudof on the whole graph vs in chunks of focus nodes (:mod:`kg.shape_chunks`).

For each data folder (e.g. corpora written by ``kg synth``), loads it once, writes the
asserted data with the ontology as N-Triples, then runs the core shapes in rudof: on the
whole graph in one piece (only up to ``--whole-max`` statements: it grows faster than the
graph, in time and memory), and in chunks of ``--size`` statements, one and two at a time,
then two at a time with the class targets on markers (:func:`kg.shape_chunks.retarget`: the
values of a chunk's focus nodes are not validated, as ``kg validate`` runs it). Prints wall and CPU seconds (CPU of every thread), the ratio to the whole graph, and
whether the results are the same. Not part of the test suite::

    python benchmarks/bench_rudof_chunks.py DATA [DATA …] [--size 5000] [--whole-max 200000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import kg
from kg.asserted import Asserted
from kg.rudof_engine import run_rudof
from kg.shacl_sparql import split_sparql_rules
from kg.shape_chunks import chunks, retarget
from kg.validate import load_shapes


def timed(action):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    value = action()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+", type=Path)
    parser.add_argument("--size", type=int, default=5_000)
    parser.add_argument("--whole-max", type=int, default=200_000)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for folder in args.data:
        graph = kg.load(data=folder, entail=False)
        core, _rules = split_sparql_rules(load_shapes(graph.bundle.shapes))
        data = Asserted(graph, with_ontology=True).ntriples()
        statements = data.count(b"\n")
        print(f"\n{folder}: {statements} statements")
        whole = None
        if statements <= args.whole_max:
            wall, cpu, whole = timed(lambda: sorted(run_rudof([(data, None)], core)))
            print(f"  whole graph          {wall:7.2f} s wall {cpu:7.2f} s CPU")
        for workers in (1, 2):
            wall, cpu, found = timed(lambda: sorted(run_rudof(
                chunks(data, core, size=args.size), core, workers=workers)))
            same = "" if whole is None else f"  same results: {found == whole}"
            print(f"  chunks, {workers} at a time  {wall:7.2f} s wall {cpu:7.2f} s CPU"
                  f"  ({len(found)} results){same}")
        retargeted = retarget(core)
        if retargeted is not None:
            wall, cpu, found = timed(lambda data=data, core=core, r=retargeted: sorted(
                run_rudof(chunks(data, core, size=args.size, retargeted=r), r.shapes,
                          workers=2)))
            same = "" if whole is None else f"  same results: {found == whole}"
            print(f"  chunks, retargeted   {wall:7.2f} s wall {cpu:7.2f} s CPU"
                  f"  ({len(found)} results){same}")


if __name__ == "__main__":
    main()
