"""A real HTTP server on loopback, in a thread of the test process: the peer a test needs
of its own (a listener that records what reaches it, a store that answers in a given way)."""

from __future__ import annotations

import http.server
import threading


class LoopbackServer:
    """``handler`` (a request handler class) served on 127.0.0.1 at a free port, from now
    until :meth:`close`; ``origin`` is ``http://127.0.0.1:PORT``."""

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
