"""Errors as HTTP answers, and the headers every answer carries.

* :class:`~kg.errors.KgError` s get the status of :data:`STATUS` and their message;
* under ``/api`` errors are JSON: ``{"error": {"status", "type", "message"[, "line",
  "column"][, "offered"]}}``; elsewhere they are ``text/plain``; a path under ``/api``
  that names nothing gets a 404 listing the API's paths;
* a browser asking for an unknown page gets an HTML 404 page with links back;
* no Python traceback ever reaches a client: anything unexpected is logged and answered
  with a bare 500.

Every response gets ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``
and CORS headers for read-only GET/POST from any origin. HTML pages also get a
Content-Security-Policy: scripts, style sheets, connections and images from the service
itself only, no inline script, no framing (YASGUI needs inline *style* attributes, which
are allowed).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..errors import (
    AmbiguousEntity,
    InputError,
    KgError,
    ParameterError,
    QueryError,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    ServiceBusy,
    UnknownEntity,
    UnknownQueryError,
    UnsafeQueryError,
)
from ..execute import WorkerError, WorkerLost
from .negotiate import NotAcceptable

__all__ = ["install", "STATUS", "CONTENT_SECURITY_POLICY", "error_response"]

log = logging.getLogger(__name__)

#: the HTTP status of each kind of error; other KgErrors are 500
STATUS: dict[type[KgError], int] = {
    QuerySyntaxError: 400,
    ParameterError: 400,
    UnsafeQueryError: 400,
    ResultTooLarge: 400,
    InputError: 400,
    UnknownQueryError: 404,
    UnknownEntity: 404,
    AmbiguousEntity: 400,
    NotAcceptable: 406,
    QueryTimeout: 503,
    ServiceBusy: 503,
    WorkerLost: 503,
}

#: errors worth retrying: their answer carries ``Retry-After``
_TRANSIENT = (QueryTimeout, ServiceBusy, WorkerLost)

#: scripts, connections, images and fonts from this service only; no inline script.
#: YASGUI sets inline styles (column widths, its table's resize grips), so styles may be
#: inline, but style sheets still come from this service only.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; "
                           "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                           "connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")


def status_of(error: KgError) -> int:
    """The HTTP status for ``error``: :data:`STATUS`, else 400 for a query that cannot be
    run as asked, 500 for a failure of the server's own."""
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]  # type: ignore[index]
    if isinstance(error, WorkerError):
        return 500
    return 400 if isinstance(error, QueryError) else 500


def error_response(status: int, message: str, *, kind: str = "Error",
                   extra: dict[str, Any] | None = None) -> Response:
    """An error answer: JSON under ``/api``, plain text elsewhere."""
    if request.path.startswith("/api"):
        body: dict[str, Any] = {"status": status, "type": kind, "message": message}
        body.update(extra or {})
        response = Response(json.dumps({"error": body}, ensure_ascii=False, indent=1),
                            status=status, mimetype="application/json")
    else:
        response = Response(message + "\n", status=status, mimetype="text/plain")
    return response


#: a form, as HTML sends one: what a POST of /sparql or /api/queries/NAME may be
FORM = "application/x-www-form-urlencoded"


def unsupported_media_type(offered: str) -> Response:
    """The 415 answer to a POST whose body is none of ``offered`` (said in words)."""
    return error_response(415, f"415 Unsupported Media Type: a POST to {request.path} is "
                          f"{offered}, not {request.mimetype or 'untyped'}",
                          kind="UnsupportedMediaType")


def _kg_error(error: KgError) -> Response:
    extra: dict[str, Any] = {}
    if isinstance(error, QuerySyntaxError):
        extra = {"line": error.line, "column": error.column}
    if isinstance(error, NotAcceptable):
        extra = {"offered": error.offered}
    message = str(error)
    if isinstance(error, (UnknownEntity, AmbiguousEntity)):
        extra = {"candidates": error.candidates}
        if error.parameter:  # the request's own name for it
            extra = {"parameter": error.parameter, **extra}
            message = f"parameter {error.parameter!r}: {message}"
    response = error_response(status_of(error), message, kind=type(error).__name__,
                              extra=extra)
    if isinstance(error, _TRANSIENT):
        response.headers["Retry-After"] = "1"
    return response


def _wants_html() -> bool:
    """A browser asking for a page (not the API, not the SPARQL endpoint)."""
    if request.path.startswith(("/api", "/sparql", "/static")):
        return False
    return any(value == "text/html" and quality > 0
               for value, quality in request.accept_mimetypes)  # named, not only */*


def _not_found_page() -> Response:
    html = render_template("not_found.html", path=request.path)
    return Response(html, status=404, mimetype="text/html")


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status == 404 and _wants_html():
        return _not_found_page()
    message = f"{status} {error.name}: {error.description}"
    if status == 404 and request.url_rule is None and request.path.startswith("/api"):
        message = (f"404 Not Found: no API path {request.path}; the API's paths are "
                   f"{', '.join(_api_paths())}, each described in /api/openapi.json")
    if isinstance(error, RequestEntityTooLarge):
        size = request.content_length
        message = (f"413 Request Entity Too Large: the request body is "
                   f"{f'{size} bytes' if size is not None else 'too large'}; this service "
                   f"accepts at most {current_app.config['MAX_CONTENT_LENGTH']} bytes "
                   f"(kg serve --max-body)")
    response = error_response(status, message, kind=error.name.replace(" ", ""))
    for name, value in error.get_headers():
        if name.lower() != "content-type":  # e.g. Allow on a 405
            response.headers[name] = value
    return response


def _api_paths() -> list[str]:
    """The paths under ``/api`` this service answers, a name in braces where a rule takes
    one (``/api/entities/{name}``)."""
    paths = {re.sub(r"<(?:[^:>]*:)?([^>]+)>", r"{\1}", rule.rule)
             for rule in current_app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    return sorted(paths)


def _unexpected(error: Exception) -> Response:
    log.exception("unexpected error answering %s %s", request.method, request.path)
    return error_response(500, "500 Internal Server Error: the error is logged",
                          kind="InternalServerError")


def _headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Max-Age"] = "600"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Frame-Options"] = "DENY"
    return response


def install(app: Flask) -> None:
    """Register the error handlers and the header hook on ``app``."""
    app.register_error_handler(KgError, _kg_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.after_request(_headers)
