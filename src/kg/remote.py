"""A remote SPARQL 1.1 endpoint behind the :class:`~kg.store.Store` seam, and ``kg.connect``.

:class:`RemoteStore` answers the seam's methods by sending SPARQL to an endpoint -- kg's own
server (``kg serve``) or any standard one (Oxigraph, Fuseki, GraphDB...) -- through rdflib's
:class:`~rdflib.plugins.stores.sparqlstore.SPARQLStore`, whose transport kg replaces with one
that has a time limit and turns HTTP failures into :class:`~kg.errors.KgError` s. Bound
variables travel as a ``VALUES`` block at the start of the ``WHERE`` clause
(:func:`kg.queries.with_values`), and kg's prefixes are declared in every query, so the
named queries and the projection's own ``.rq`` queries run there unchanged: the analysis
(:mod:`kg.analysis`) cannot tell a remote graph from a loaded one.

The endpoint's default graph must be the union of its named graphs, as in kg's server. For
Oxigraph, start it with ``--union-default-graph`` or connect to ``…/query?union-default-graph``
(extra query parameters of the URL are sent with every query).

>>> import kg
>>> kg.connect("http://127.0.0.1:9/sparql").query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
Traceback (most recent call last):
...
kg.errors.EndpointUnreachable: cannot reach the SPARQL endpoint http://127.0.0.1:9/sparql: connection refused
"""

from __future__ import annotations

import functools
import http.client
import logging
import re
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping
from io import BytesIO
from typing import Any, TypeVar
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from urllib.request import OpenerDirector, Request, urlopen

from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from rdflib.term import Node

from . import paging
from .arguments import seconds
from .asserted import internal_query
from .booleans import standard_booleans
from .bundle import Bundle, bundled
from .errors import (
    EndpointError,
    EndpointUnreachable,
    QuerySyntaxError,
    QueryTimeout,
)
from .facade import GraphMethods
from .namespaces import PREFIXES, bind_prefixes
from .plain_results import MEDIA_TYPE, plain_rows
from .queries import with_values

__all__ = ["RemoteStore", "RemoteGraph", "connect", "send", "post_query", "post_select",
           "every_row"]

T = TypeVar("T")
log = logging.getLogger(__name__)


#: how many header lines an answer may have. Virtuoso echoes each ``named-graph-uri`` of a
#: query as an ``X-SPARQL-named-graph`` header, one per graph of kg's dataset (a hundred
#: articles are past a hundred), and Python's http.client refuses an answer of more than
#: 100 header lines ("got more than 100 headers"). It has no public setting for that: kg
#: raises its module's bound (``http.client._MAXHEADERS``, read at every answer) once, when
#: kg's remote stores are imported; it applies to every answer the process reads.
ANSWER_HEADERS = 1_000_000
http.client._MAXHEADERS = max(http.client._MAXHEADERS, ANSWER_HEADERS)  # type: ignore[attr-defined]

#: what kg asks an endpoint for: SPARQL JSON results, or Turtle / N-Triples for graphs
ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
          "text/turtle;q=0.8, application/n-triples;q=0.7")
_LINE_COLUMN = (re.compile(r"line (\d+), column (\d+)"), re.compile(r"\bat (\d+):(\d+)"),
                re.compile(r"line:? ?(\d+),? col(?:umn)?:? ?(\d+)", re.IGNORECASE))


class _Endpoint(SPARQLStore):
    """rdflib's SPARQLStore with kg's transport: a POST form, a time limit, kg's errors."""

    def __init__(self, url: str, *, timeout: float, params: dict[str, str]) -> None:
        super().__init__(query_endpoint=url, returnFormat="json", method="POST_FORM")
        self.url = url
        self.timeout = timeout
        self.params = params

    def _query(self, query: str, default_graph: str | None = None,  # type: ignore[override]
               named_graph: str | None = None) -> Result:
        self._queries += 1
        return post_query(self.url, [*self.params.items(), ("query", query)],
                          timeout=self.timeout, shown=_shown(self.url, self.params))


def send(request: Request, *, shown: str, timeout: float,
         opener: OpenerDirector | None = None, what: str = "SPARQL endpoint",
         ) -> tuple[bytes, str]:
    """Send ``request``; the answer's body and media type, or kg's error saying what went
    wrong with the endpoint ``shown`` (its URL as shown to the user; ``what`` it is)."""
    try:
        fetch = opener.open if opener else urlopen
        with fetch(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            body = response.read()
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            partial = _partial_answer(response.status, response.headers)
    except HTTPError as error:
        raise _http_error(error, shown) from None
    except URLError as error:
        raise EndpointUnreachable(shown, _reason(error.reason), what=what) from None
    except (TimeoutError, socket.timeout):
        raise EndpointUnreachable(shown, f"no answer within {timeout:g} seconds",
                                  what=what) from None
    except (ConnectionError, OSError) as error:
        raise EndpointUnreachable(shown, _reason(error), what=what) from None
    except http.client.HTTPException as error:  # an answer that is not HTTP kg can read
        raise EndpointError(f"the endpoint {shown} sent an answer kg cannot read: "
                            f"{error or type(error).__name__}", url=shown) from None
    except ValueError as error:  # urllib: an authentication scheme it cannot answer
        raise EndpointError(f"the endpoint {shown} asks for what kg cannot give: {error}",
                            url=shown) from None
    if partial is not None:
        raise QueryTimeout(f"the endpoint {shown} stopped the query at its time limit and "
                           f"sent what it had found so far ({partial}): kg does not take a "
                           f"partial answer for the answer")
    return body, content_type


def _partial_answer(status: int, headers: Any) -> str | None:
    """What the server says of an answer cut short, if it is one: Virtuoso's "anytime"
    answers (HTTP 206, or 200 with ``X-SQL-State: S1TAT``) hold only the rows found before
    its time limit (``MaxQueryExecutionTime``, or the ``timeout`` parameter)."""
    state = headers.get("X-SQL-State", "")
    if status != 206 and state != "S1TAT":
        return None
    message = re.sub(r"\s+", " ", headers.get("X-SQL-Message", "")).strip()
    message = message.split(" Activity:")[0]
    return message or f"HTTP {status}" + (f", {state}" if state else "")


def post_query(url: str, form: list[tuple[str, str]], *, timeout: float, shown: str,
               opener: OpenerDirector | None = None, accept: str = ACCEPT) -> Result:
    """POST a SPARQL protocol form (``query``, and any ``default-graph-uri`` ...) to ``url``;
    the answer as an rdflib :class:`~rdflib.query.Result`."""
    return _post(url, form, timeout=timeout, shown=shown, opener=opener, accept=accept,
                 read=lambda body, content_type: Result.parse(
                     BytesIO(body), content_type=content_type or None))


def post_select(url: str, form: list[tuple[str, str]], *, timeout: float, shown: str,
                opener: OpenerDirector | None = None) -> list[tuple[Any, ...]]:
    """POST a SPARQL protocol form whose ``query`` is a ``SELECT`` to ``url``; its rows as
    plain values (:meth:`kg.store.Store.select`), read without building an RDF term per
    value where the answer is SPARQL JSON (:mod:`kg.plain_results`)."""
    from .store import plain_value

    query = dict(form).get("query", "")

    def read(body: bytes, content_type: str) -> list[tuple[Any, ...]]:
        if content_type == MEDIA_TYPE:
            return plain_rows(body, query)
        result = standard_booleans(Result.parse(BytesIO(body),
                                                content_type=content_type or None), query)
        return [tuple(plain_value(value) for value in row)  # type: ignore[union-attr]
                for row in result]

    return _post(url, form, timeout=timeout, shown=shown, opener=opener, accept=ACCEPT,
                 read=read)


def _post(url: str, form: list[tuple[str, str]], *, timeout: float, shown: str,
          opener: OpenerDirector | None, accept: str, read: Callable[[bytes, str], T]) -> T:
    """POST ``form`` to ``url`` and ``read`` the answer's body and media type, or say that
    the endpoint ``shown`` sent what kg cannot read."""
    request = Request(url, data=urlencode(form).encode("utf-8"),
                      headers={"Accept": accept,
                               "Content-Type": "application/x-www-form-urlencoded"})
    body, content_type = send(request, shown=shown, timeout=timeout, opener=opener)
    try:
        return read(body, content_type)
    except Exception as error:  # noqa: BLE001 - a malformed answer from the endpoint
        raise EndpointError(f"the endpoint {shown} sent an answer kg cannot read "
                            f"({content_type or 'no content type'}): {error}",
                            url=shown) from None


def _shown(url: str, params: Mapping[str, str]) -> str:
    return url + ("?" + urlencode(params).replace("=&", "&").rstrip("=") if params else "")


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return f"no such host ({reason.strerror})"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[0].lower() + reason.strerror[1:]
    return str(reason)


def _http_error(error: HTTPError, url: str) -> Exception:
    try:
        body = error.read().decode("utf-8", "replace").strip()
    except Exception:  # noqa: BLE001
        body = ""
    if body.startswith("{"):  # kg's /api errors are JSON
        body = re.sub(r"\s+", " ", body)
    status = error.code
    if status == 404:
        return EndpointError(f"no SPARQL endpoint at {url} (HTTP 404)", url=url, status=status)
    if status == 405:  # a page, not an endpoint: kg serve's root, say
        return EndpointError(f"no SPARQL endpoint at {url} (HTTP 405: it takes no query); "
                             f"kg serve's is at /sparql", url=url, status=status)
    if status in (503, 504) and "time" in body.lower():
        return QueryTimeout(f"the endpoint {url} stopped the query: {body}")
    if status == 400 and ("syntax" in body.lower() or "parse" in body.lower()):
        for pattern in _LINE_COLUMN:
            found = pattern.search(body)
            if found:
                message = body.removeprefix("SPARQL syntax error: ")
                message = re.sub(r"^line \d+, column \d+: ", "", message)
                return QuerySyntaxError(f"{message} (from {url})", line=int(found[1]),
                                        column=int(found[2]))
    detail = f": {body[:500]}" if body else ""
    return EndpointError(f"the endpoint {url} answered HTTP {status} {error.reason}{detail}",
                         url=url, status=status)


def _beside(url: str, route: str) -> str | None:
    """The address of kg's system route ``/-/ROUTE`` beside the SPARQL endpoint ``url``
    when it is kg's (``…/sparql``); else ``None``."""
    parts = urlsplit(url)
    if not parts.path.endswith("/sparql"):
        return None
    return urlunsplit(parts._replace(path=parts.path[:-len("sparql")] + f"-/{route}",
                                     query="", fragment=""))


def _served_projection(url: str, timeout: float) -> str | None:
    """The ``projection`` that kg's ``/-/health`` beside the SPARQL endpoint ``url``
    (``…/sparql``) names; ``None`` for any other URL or answer."""
    import json

    health = _beside(url, "health")
    if health is None:
        return None
    try:
        with urlopen(Request(health, headers={"Accept": "application/json"}),  # noqa: S310
                     timeout=timeout) as answer:
            found = json.loads(answer.read(65536)).get("projection")
    except (OSError, ValueError, AttributeError):  # (HTTPError, URLError: OSErrors)
        return None
    return found if isinstance(found, str) and found.startswith("sha256:") else None


@functools.cache
def _prologue() -> str:
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


class RemoteStore:
    """The :class:`~kg.store.Store` seam over a SPARQL 1.1 endpoint (read-only).

    ``query`` takes SPARQL *text* (``takes_text``: :func:`kg.queries.run_prepared` sends the
    text, not rdflib's algebra); kg's prefixes are declared for it and ``bindings`` are
    written in as a ``VALUES`` block.
    """

    #: this store is given query text, never a parsed query
    takes_text = True
    #: an endpoint may cut a long answer short: the projection is read in pages
    streams_answers = False
    #: the endpoint's engine orders a group's joins
    plans_joins = True
    #: each look-up is a request: one query asks for the rows at once
    looks_up_faster = False
    #: the endpoint parses the text itself
    runs_rdflib_algebra = False
    #: the rules run in a scratch Oxigraph store, not over the network
    validates_in_place = False

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        from .errors import InputError

        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises on a port that is no number, or out of range
        except (ValueError, TypeError, AttributeError) as error:
            raise InputError(f"not an http(s) URL of a SPARQL endpoint: {url!r} "
                             f"({error})") from None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"not an http(s) URL of a SPARQL endpoint: {url!r}")
        self.url = url
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        self._endpoint = _Endpoint(urlunsplit(parts._replace(query="", fragment="")),
                                   timeout=timeout, params=params)
        self._graph_names: list[URIRef] | None = None
        self._identity: str | None = None

    def dataset_identity(self) -> str | None:
        """What identifies the dataset when the endpoint is kg's server (``…/sparql``): the
        projection its ``/-/health`` names (``"sha256:…"``, asked once); ``None`` from any
        other endpoint, or a server that names none. The projection this client reads is
        kept in kg's cache under it (:func:`kg.analysis.snapshot.remote_entry`), so the
        next session with the same server and data reads that instead of every fact."""
        if self._identity is None:
            self._identity = _served_projection(self.url, self._endpoint.timeout) or ""
        return self._identity or None

    def projection_input(self) -> Any:
        """The projection's input (a :class:`kg.analysis.reading.Raw`) in one request, when
        the endpoint is kg's server: its ``/-/projection`` (:mod:`kg.analysis.transfer`),
        the projection its ``/-/health`` names (:meth:`dataset_identity`). ``None`` from
        any other endpoint, a kg server without that route (an older kg), an answer for
        another projection or that is not as kg writes it (logged): the projection is then
        read over SPARQL, as from any endpoint."""
        identity = self.dataset_identity()
        address = _beside(self.url, "projection")
        if identity is None or address is None:
            return None
        from .analysis.transfer import loads

        request = Request(address, headers={"Accept": "application/json",
                                            "Accept-Encoding": "gzip"})
        try:
            with urlopen(request, timeout=max(self._endpoint.timeout, 60)) as answer:  # noqa: S310
                if answer.headers.get("X-KG-Projection") != identity:
                    log.warning("%s: names another projection than %s; reading the "
                                "projection over SPARQL", address, identity)
                    return None
                return loads(answer.read())
        except HTTPError as error:
            if error.code != 404:  # (404: an older kg server, without the route)
                log.warning("%s: HTTP %s; reading the projection over SPARQL", address,
                            error.code)
        except (OSError, ValueError) as error:
            log.warning("%s: %s; reading the projection over SPARQL", address, error)
        return None

    def check_syntax(self, sparql: str) -> bool:
        """:meth:`kg.store.Store.check_syntax`: ``False``, the endpoint parses a query only
        to run it (kg's guard parses it here)."""
        return False

    def select(self, sparql: str, *, bindings: Mapping[str, Node] | None = None,
               named_graphs: Iterable[URIRef] | None = None) -> Iterator[tuple[Any, ...]]:
        """:meth:`kg.store.Store.select`: a SELECT's rows as plain values (``named_graphs``
        as :meth:`query` takes them)."""
        if not isinstance(sparql, str):
            raise TypeError("a remote store takes SPARQL text, not a parsed query")
        yield from self._post_select(_prologue() + with_values(sparql, dict(bindings or {})),
                                     named_graphs)

    def _post_select(self, query: str, named_graphs: Iterable[URIRef] | None,
                     ) -> list[tuple[Any, ...]]:
        """The rows of the ``SELECT`` text ``query``, sent to the endpoint as it is (its own
        ``FROM`` clauses travel in its text: ``named_graphs`` is ignored)."""
        endpoint = self._endpoint
        return post_select(endpoint.url, [*endpoint.params.items(), ("query", query)],
                           timeout=endpoint.timeout, shown=_shown(endpoint.url, endpoint.params))

    def query(self, sparql: Any, *, bindings: Mapping[str, Node] | None = None,
              default_graphs: Iterable[URIRef] | None = None,
              named_graphs: Iterable[URIRef] | None = None) -> Result:
        """Run SPARQL text on the endpoint, ``bindings`` written in as ``VALUES``.

        ``default_graphs`` / ``named_graphs`` are ignored: the query's own ``FROM`` clauses
        travel in its text.
        """
        if not isinstance(sparql, str):
            raise TypeError("a remote store takes SPARQL text, not a parsed query")
        text = with_values(sparql, dict(bindings or {}))
        # booleans a server sent as integers 0 and 1 (Virtuoso) given back as booleans
        return standard_booleans(self._endpoint.query(_prologue() + text), sparql)

    def graph_names(self) -> list[URIRef]:
        """The endpoint's named graphs, sorted (asked once; the slow way, every statement
        read, only of an endpoint that answers the fast one with none)."""
        if self._graph_names is None:
            rows = (every_row(self._endpoint.query, internal_query(name).text)
                    for name in ("graph-names", "graph-names-by-statements"))
            found = next((names for names in rows if names), [])
            self._graph_names = sorted(URIRef(str(graph)) for graph, in found)
        return list(self._graph_names)

    def graph(self, name: URIRef) -> Graph:
        """One named graph, fetched whole (CONSTRUCT)."""
        result = self.query(internal_query("graph-statements").text,
                            bindings={"graph": URIRef(name)})
        graph = Graph()
        bind_prefixes(graph)
        for triple in result.graph or ():
            graph.add(triple)
        return graph

    def quads(self, pattern: tuple[Node | None, Node | None, Node | None] = (None, None, None),
              ) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Quads matching a triple pattern, in every named graph."""
        names = ("subject", "property", "value")
        bound = {name: value for name, value in zip(names, pattern) if value is not None}
        for row in self.query(internal_query("quads").text, bindings=bound):
            *found, graph = row  # type: ignore[misc]
            yield (*(bound.get(name, value) for name, value in zip(names, found)),
                   URIRef(str(graph)))  # type: ignore[misc]

    def size(self, graph: URIRef | None = None) -> int:
        """The number of triples in the named graph ``graph``, or with ``None`` in the
        default graph that :meth:`query` runs on (the endpoint's own; kg's union, a set,
        for a :class:`~kg.remote_store.SparqlHttpStore`); counted there, nothing fetched."""
        if graph is None:
            rows = self.query(internal_query("statement-count").text)
        else:
            rows = self.query(internal_query("graph-statement-count").text,
                              bindings={"graph": URIRef(graph)})
        return int(next(iter(rows))[0])  # type: ignore[index]

    def __len__(self) -> int:
        """The number of quads."""
        rows = list(self.query(internal_query("graph-statement-count").text))
        return int(rows[0][0])  # type: ignore[index]

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"


def every_row(ask: Callable[[str], Iterable[Any]], text: str) -> list[tuple[Any, ...]]:
    """Every row of the ``SELECT`` query ``text`` (which orders them), asked of the store
    (``ask(text)``) :data:`kg.paging.PAGE` rows at a time (:func:`kg.paging.pages`): a
    store may cut a long answer short without an error (Virtuoso: 10,000 rows by default)
    or refuse it (kg's own server: more than 10,000 rows, HTTP 400), where a list of names
    (a dataset's 10,004 graphs) must be whole."""
    text = text.rstrip()
    return [tuple(row) for row in paging.pages(
        lambda limit, offset: ask(f"{text}\nLIMIT {limit} OFFSET {offset}\n"), paging.PAGE)]


class RemoteGraph(GraphMethods):
    """A graph served by a SPARQL endpoint: the methods of a loaded graph
    (:class:`~kg.facade.GraphMethods`), answered by the endpoint.

    The named queries are kg's (``bundle.queries``); the analysis reads its projection with
    SPARQL once per ``RemoteGraph`` (make a new one with :func:`connect` to see changes).
    """

    def __init__(self, url: str, *, timeout: float = 30.0, bundle: Bundle | None = None,
                 ) -> None:
        self.url = url
        self.store = RemoteStore(url, timeout=timeout)
        self.bundle = bundle or bundled()

    def __repr__(self) -> str:
        return f"<kg.RemoteGraph {self.url}>"


def connect(url: str, *, timeout: float = 30.0, queries: str | None = None) -> RemoteGraph:
    """A client for the SPARQL 1.1 endpoint at ``url``: kg's server (``…/sparql``) or any
    standard endpoint whose default graph is the union of its named graphs (Oxigraph:
    ``…/query?union-default-graph``). Nothing is sent until the first query.

    ``timeout`` bounds each HTTP request, in seconds; ``queries`` is a folder of named
    queries to use instead of kg's.

    >>> remote = connect("http://127.0.0.1:8000/sparql")
    >>> remote
    <kg.RemoteGraph http://127.0.0.1:8000/sparql>
    """
    seconds(timeout, "timeout")
    bundle = bundled().replace(queries=queries) if queries is not None else None
    return RemoteGraph(url, timeout=timeout, bundle=bundle)
