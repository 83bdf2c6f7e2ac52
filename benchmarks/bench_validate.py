"""Validation at scale: full and incremental ``kg validate``, on each engine.

For each size, writes a synthetic corpus with injected violations (``kg synth
--violations``), loads it once, then measures in this process:

* ``reference``: pySHACL alone, each SHACL-SPARQL rule run once per focus node (the way kg
  validated before; only up to ``--reference-max`` articles: it grows with the square);
* ``pyshacl``: the core shapes in pySHACL (the reference engine) and each SHACL-SPARQL rule
  once over the whole graph (in Oxigraph);
* ``rudof``: kg's default, the core shapes in rudof, the rules as above;
* ``incremental``: one article's quote broken, then ``kg.validate(changed=[file],
  before=graph)`` on the loaded graphs (loading the changed data is shown apart).

Each figure is printed with its ratio to the reference (or to ``pyshacl`` where the
reference was not run), and whether the findings are the same as the default engine's
(for incremental: whether merged with the previous full report they equal a full run).
Not part of the test suite::

    python benchmarks/bench_validate.py [--sizes 100 1000] [--reference-max 100]
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import kg
from kg.asserted import Asserted
from kg.incremental import merge
from kg.load import load
from kg.synth import synth

_validate_module = sys.modules["kg.validate"]


def timed(action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def machine() -> str:
    import os

    with open("/proc/meminfo", encoding="ascii") as info:
        memory = int(info.readline().split()[1]) // 1024 ** 2
    return (f"{platform.machine()}, {os.cpu_count()} cores, {memory} GiB RAM, "
            f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")


def _reference(graph: kg.KnowledgeGraph) -> kg.Report:
    """kg.validate with pySHACL running every SHACL-SPARQL rule once per focus node (no rule
    split off for kg to run once)."""
    original = _validate_module.split_sparql_rules
    _validate_module.split_sparql_rules = lambda shapes: (shapes, [])
    try:
        return kg.validate(graph=graph, data=graph.bundle.data, engine="pyshacl")
    finally:
        _validate_module.split_sparql_rules = original


def run(size: int, reference_max: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = synth(articles=size, seed=7, out=Path(folder) / "data", violations=6)
        data = corpus.out
        seconds, graph = timed(lambda: load(data=data, entail=False))
        print(f"\n{size} articles: {len(Asserted(graph))} statements; load (parse) {seconds:.1f} s")
        rows: list[tuple[str, float, str]] = []
        base_seconds, base = timed(lambda: kg.validate(graph=graph, data=data, engine="pyshacl"))
        reference_seconds = None
        if size <= reference_max:
            reference_seconds, reference = timed(lambda: _reference(graph))
            rows.append(("reference (pySHACL, rules per focus node)", reference_seconds,
                         "same" if reference.findings == base.findings else "DIFFERENT"))
        rows.append(("pyshacl (rules once, in Oxigraph)", base_seconds,
                     f"{len(base.violations)} violations"))
        seconds, fast = timed(lambda: kg.validate(graph=graph, data=data, engine="rudof"))
        rows.append(("rudof (the default: core in rudof, rules once)", seconds,
                     "same" if fast.findings == base.findings else "DIFFERENT"))

        changed = sorted(data.glob("*.trig"))[size // 2]
        text = changed.read_text(encoding="utf-8")
        quote = text.index('kg:quote "') + len('kg:quote "')
        changed.write_text(text[:quote] + "Reportedly, " + text[quote:], encoding="utf-8")
        load_seconds, after = timed(lambda: load(data=data, entail=False))
        seconds, partial = timed(lambda: kg.validate(graph=after, data=data, changed=[changed],
                                                     before=graph))
        full = kg.validate(graph=after, data=data)
        merged = merge(base, partial)
        rows.append((f"incremental, one article ({len(partial.scope or [])} nodes re-checked)",
                     seconds, "= full" if merged.findings == full.findings else "DIFFERENT"))
        rows.append(("  loading the changed data again", load_seconds, ""))

        against = reference_seconds or base_seconds
        name = "reference" if reference_seconds else "pyshacl"
        print(f"{'':54} {'seconds':>9} {'x vs ' + name:>14}  findings")
        for label, value, note in rows:
            print(f"{label:54} {value:9.2f} {against / value:13.1f}x  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--reference-max", type=int, default=100)
    options = parser.parse_args()
    print(f"machine: {machine()}")
    for size in options.sizes:
        run(size, options.reference_max)


if __name__ == "__main__":
    main()
