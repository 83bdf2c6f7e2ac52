"""What the benchmarks share: a ``kg serve`` of this checkout on a free loopback port,
percentiles, and the machine line of a results table. Not a benchmark itself."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def start_server(*options: str) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    """``kg serve --port 0 OPTIONS`` of this checkout; the process and its URL."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    process = subprocess.Popen(
        [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--port", "0",
         *options], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
        cwd=ROOT)
    line = ""
    for line in iter(process.stdout.readline if process.stdout else str, ""):
        if "serving http://" in line:  # after the line saying which files it uses
            break
    if "serving http://" not in line:
        process.kill()
        raise SystemExit(f"kg serve did not start: {line!r}")
    return process, line.split("serving ", 1)[1].split(" ", 1)[0]


@contextmanager
def served(*options: str) -> Iterator[str]:
    """The URL of ``kg serve --port 0 OPTIONS`` of this checkout, stopped on leaving."""
    process, url = start_server(*options)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def machine() -> str:
    """This machine, for the head of a results table."""
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            memory = f", {int(info.readline().split()[1]) // 1024 ** 2} GiB RAM"
    except OSError:
        pass
    return (f"{platform.machine()}, {os.cpu_count()} cores{memory}, "
            f"Python {platform.python_version()}, {platform.system()}, "
            f"load average {os.getloadavg()[0]:.1f} at the start")
