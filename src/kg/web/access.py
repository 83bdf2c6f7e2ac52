"""The access log: one line per request, at INFO, on the ``kg.access`` logger::

    127.0.0.1 "GET /sparql?query=SELECT…" 200 1234 B 12.3 ms

The client's address, the method and path (the query string cut at 200 characters), the
status, the size of the body sent and the time the application took. ``kg serve`` turns
it on (setting ``ACCESS_LOG``); it stays off for an application made in a test or a
notebook.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

__all__ = ["install"]

log = logging.getLogger("kg.access")

_SHOWN = 200


def install(app: Flask) -> None:
    """Log every request ``app`` answers."""
    app.before_request(_start)
    app.after_request(_log)


def _start() -> None:
    g.kg_started = time.perf_counter()


def _log(response: Response) -> Response:
    started = g.get("kg_started")
    elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    target = request.full_path if request.query_string else request.path
    if len(target) > _SHOWN:
        target = target[:_SHOWN] + "…"
    size = response.calculate_content_length()
    log.info('%s "%s %s" %s %s %.1f ms', request.remote_addr or "-", request.method, target,
             response.status_code, f"{size} B" if size is not None else "streamed", elapsed)
    return response
