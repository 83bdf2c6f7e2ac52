"""What compressed answers cost and save: each URL asked of a ``kg serve`` as it is
(``Accept-Encoding: identity``, the baseline) and compressed (gzip, zstd), in the same run.
Prints, per URL and encoding, the median time of ``--runs`` requests and the bytes sent,
each as a ratio to the baseline.

    python benchmarks/bench_compression.py                       # the bundled graph
    python benchmarks/bench_compression.py --store oxigraph:DIR  # a built store

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.request

from serving import machine, served

PATHS = ["api/graph?overview=100", "api/timeline?years=true", "api/sources?limit=100",
         "sparql?query=SELECT+*+WHERE+%7B%3Fs+%3Fp+%3Fo%7D+LIMIT+2000",
         "static/vendor/swagger-ui-dist/swagger-ui-bundle.js", "-/health"]
ENCODINGS = ["identity", "gzip", "zstd"]


def ask(url: str, encoding: str) -> tuple[float, int]:
    """Seconds to the last byte, and the bytes sent (as sent: not decoded)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding,
                                                   "Accept": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 - loopback
        body = answer.read()
    return time.perf_counter() - start, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="kg serve --store (default: the bundled graph)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with served(*(["--store", args.store] if args.store else [])) as url:
        print(f"machine: {machine()}; {args.runs} runs each, median; ratios to identity")
        print("| path | encoding | ms | bytes | time ratio | size ratio |")
        print("|---|---|---:|---:|---:|---:|")
        for path in PATHS:
            ask(url + path, "identity")  # (warm: a worker's first answer is not measured)
            base: tuple[float, int] | None = None
            for encoding in ENCODINGS:
                runs = [ask(url + path, encoding) for _ in range(args.runs)]
                seconds, size = statistics.median(t for t, _ in runs), runs[-1][1]
                base = base or (seconds, size)
                print(f"| {path} | {encoding} | {seconds * 1000:.1f} | {size:,} | "
                      f"{seconds / base[0]:.2f} | {size / base[1]:.2f} |")


if __name__ == "__main__":
    main()
