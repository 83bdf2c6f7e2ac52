"""Servers a notebook starts itself: ``kg serve`` or an Oxigraph server, in the background.

Each runs as a child process on a free loopback port and is stopped by
:meth:`BackgroundServer.stop`, at the end of a ``with`` block, when the Python process
(a Jupyter kernel) exits, and -- on Linux -- even when that process is killed (the child
asks the kernel for a signal when its parent dies). The child inherits the environment,
so it runs the same kg as the caller (``PYTHONPATH`` included).

What the child prints (``kg serve``'s access log: a line per request) goes to a file in
its scratch folder, :attr:`BackgroundServer.log`, never to a pipe: a pipe nobody reads
fills (64 KiB), and the server then stopped answering, about 500 requests in.

>>> with serve_in_background() as server:            # doctest: +SKIP
...     kg.connect(server.sparql).query("cq07-member-since").to_records()
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .arguments import seconds
from .errors import InputError

__all__ = ["BackgroundServer", "serve_in_background", "oxigraph_in_background"]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass
class BackgroundServer:
    """A server running in a child process: ``url`` (with a trailing slash), ``sparql`` (its
    SPARQL endpoint), ``stop()``."""

    url: str
    sparql: str
    process: subprocess.Popen[bytes] = field(repr=False)
    #: a folder the server owns (its log, an Oxigraph store), removed when it stops
    scratch: Path | None = field(default=None, repr=False)

    @property
    def log(self) -> Path | None:
        """The file the server writes its output to (``kg serve``: a line per request);
        ``None`` once it has stopped."""
        return None if self.scratch is None else self.scratch / LOG_NAME

    def stop(self) -> None:
        """Stop the server (and remove its scratch folder); stopping twice does nothing."""
        process = self.process
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def __enter__(self) -> BackgroundServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


#: the file in a server's scratch folder that takes its output
LOG_NAME = "server.log"


def _start(command: list[str], scratch: Path) -> subprocess.Popen[bytes]:
    """Start ``command``, its output (both streams) going to ``scratch``/:data:`LOG_NAME`."""
    with open(scratch / LOG_NAME, "wb") as log:  # (the child keeps its own copy open)
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=dict(os.environ),
                                preexec_fn=_die_with_parent if sys.platform == "linux"
                                else None)


def _line_with(marker: str, process: subprocess.Popen[bytes], scratch: Path,
               deadline: float) -> str | None:
    """The first line of the server's output that holds ``marker``, once written; ``None``
    when the server ends, or ``deadline`` passes, before it does."""
    while True:
        ended = process.poll() is not None  # (then what it wrote is all there is)
        text = (scratch / LOG_NAME).read_text(encoding="utf-8", errors="replace")
        found = next((line for line in text.splitlines() if marker in line), None)
        if found is not None or ended or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


def _failed(what: str, process: subprocess.Popen[bytes], scratch: Path,
            waited: float) -> InputError:
    """Why ``process`` did not start (stopped, it and the folder), for the user."""
    running = process.poll() is None
    if running:
        process.kill()
        process.wait(10)
    text = (scratch / LOG_NAME).read_text(encoding="utf-8", errors="replace")
    shutil.rmtree(scratch, ignore_errors=True)
    tail = " / ".join(text.strip().splitlines()[-5:])
    if running:
        return InputError(f"{what} did not start within {waited:g} seconds"
                          + (f": {tail}" if tail else ""))
    return InputError(f"{what} did not start: " + (tail or "no message"))


def serve_in_background(*, data: Path | str | None = None, project: Path | str | None = None,
                        timeout: float = 10.0, workers: int | None = 2,
                        startup: float = 120.0) -> BackgroundServer:
    """Start ``kg serve`` on a free loopback port; return once it answers.

    ``data`` / ``project`` are those of ``kg serve``; ``timeout`` is its time limit per
    query; ``workers`` its query worker processes (two by default: a notebook's server
    serves one analyst).
    """
    startup = seconds(startup, "startup")
    command = [sys.executable, "-c", "from kg.cli import main; main()", "serve",
               "--host", "127.0.0.1", "--port", "0", "--timeout", str(timeout)]
    if workers is not None:
        command += ["--workers", str(workers)]
    if data is not None:
        command += ["--data", str(data)]
    if project is not None:
        command += ["--project", str(project)]
    scratch = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    process = _start(command, scratch)
    line = _line_with("serving http://", process, scratch, time.monotonic() + startup)
    if line is None:
        raise _failed("kg serve", process, scratch, startup)
    url = line.split("serving ", 1)[1].split(" ", 1)[0]
    server = BackgroundServer(url=url, sparql=url + "sparql", process=process,
                              scratch=scratch)
    atexit.register(server.stop)
    return server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_command() -> str:
    """The ``oxigraph`` command (from the ``oxigraph`` package on PyPI), or
    :class:`~kg.errors.InputError` saying how to install it."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = shutil.which("oxigraph") or (str(beside) if beside.exists() else None)
    if found is None:
        raise InputError("the oxigraph command is not installed: pip install oxigraph")
    return found


def oxigraph_in_background(files: list[Path | str], *, startup: float = 60.0,
                           ) -> BackgroundServer:
    """Load ``files`` (a build's ``kg.nq``, say) into a new Oxigraph store in a scratch
    folder and serve it read-only on a free loopback port, with the union of its graphs as
    the default graph. ``sparql`` is its query endpoint (``…/query``)."""
    startup = seconds(startup, "startup")
    command = oxigraph_command()
    scratch = Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
    store = scratch / "store"
    try:
        loaded = subprocess.run([command, "load", "--location", str(store), "--file",
                                 *map(str, files)], capture_output=True, timeout=startup,
                                stdin=subprocess.DEVNULL)
        if loaded.returncode != 0:
            raise InputError("oxigraph load failed: "
                             + loaded.stderr.decode("utf-8", "replace").strip()[-500:])
        port = _free_port()
        process = _start([command, "serve-read-only", "--location", str(store), "--bind",
                          f"127.0.0.1:{port}", "--union-default-graph"], scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    url = f"http://127.0.0.1:{port}/"
    server = BackgroundServer(url=url, sparql=url + "query", process=process, scratch=scratch)
    deadline = time.monotonic() + startup
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise _failed("oxigraph serve", process, scratch, startup)
        try:
            with urllib.request.urlopen(url + "query?query=ASK%7B%7D", timeout=2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        server.stop()
        raise InputError(f"oxigraph serve did not answer at {url} within {startup:g} s")
    atexit.register(server.stop)
    return server
