"""The real server for endpoint tests: ``kg serve`` under waitress, in a subprocess.

One server per test process, on a free loopback port, started on first use and stopped
at exit. Its limits are small so that the limit tests stay fast (see LIMITS).
"""

from __future__ import annotations

import atexit
import functools
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_DATA = ROOT / "tests" / "fixtures" / "seed" / "data"

#: the limits the test server runs with
LIMITS = {"timeout": 1.5, "max_rows": 500, "max_body": 20_000}


@dataclass(frozen=True)
class Server:
    url: str  # with a trailing slash
    pid: int

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


def environment() -> dict[str, str]:
    """This process's environment: the server runs the kg the tests import (the installed
    package in CI)."""
    return dict(os.environ)


def kg_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from kg.cli import main; main()", *args]


@functools.cache
def start() -> Server:
    command = kg_command("serve", "--data", str(SEED_DATA), "--host", "127.0.0.1", "--port", "0",
                         "--timeout", str(LIMITS["timeout"]),
                         "--max-rows", str(LIMITS["max_rows"]),
                         "--max-body", str(LIMITS["max_body"]))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=environment(), cwd=ROOT)
    atexit.register(_stop, process)
    deadline = time.monotonic() + 30
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline() if process.stdout else ""
        if "serving http://" in line or process.poll() is not None:
            break
    if "serving http://" not in line:
        _stop(process)
        raise RuntimeError(f"kg serve did not start: {line!r}")
    url = line.split("serving ", 1)[1].split(" ", 1)[0]
    return Server(url=url, pid=process.pid)


def _stop(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()


def children_of(pid: int) -> list[int]:
    """The child processes of ``pid``, zombies (exited, not reaped) included (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
