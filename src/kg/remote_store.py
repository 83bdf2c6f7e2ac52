"""The ``sparql+http://`` store: kg's dataset kept in any SPARQL 1.1 triplestore.

:class:`SparqlHttpStore` answers the :class:`~kg.store.Store` seam's reading methods over the
SPARQL 1.1 Protocol (it is a :class:`~kg.remote.RemoteStore`) and writes through the SPARQL
1.1 Graph Store HTTP Protocol (GSP): each named graph is *replaced* with one ``PUT``, so a
graph written twice holds its triples once.

A triplestore holds more than kg's graphs (Virtuoso keeps its own system graphs) and its
default graph is rarely kg's (Virtuoso and Oxigraph's ``union-default-graph`` make a *bag* of
every graph; kg's default graph is the union of its named graphs as a *set*). So a kg dataset
in a triplestore is written as:

* each named graph of the build, as it is (``PUT ?graph=<name>``);
* :data:`UNION_GRAPH`, the union of those graphs, deduplicated: kg's default graph;
* :data:`CATALOGUE_GRAPH`, written last, listing the dataset's graphs
  (``<catalogue> void:subset <graph>``), each with the SHA-256 of the N-Triples put
  (``<graph> dcterms:identifier "sha256:…"``: the next push leaves a graph whose SHA-256
  it would put again), and naming the build (``<catalogue> dcterms:identifier
  "sha256:…"``, its ``kg.nq``'s SHA-256);

and every query is sent with its dataset made explicit in the protocol
(``default-graph-uri`` = the union graph, ``named-graph-uri`` = each catalogued graph), so
that every store gives the answers of kg's own stores. A boolean that a store answers as an
integer 0 or 1 (Virtuoso: ``EXISTS``, comparisons) is given back as a boolean, for the
variables the query binds to such a test (:mod:`kg.booleans`).

The store is named ``sparql+http://HOST:PORT/PATH`` (or ``sparql+https://``): the URL of the
SPARQL query endpoint with ``sparql+`` in front. The GSP endpoint is guessed from known
servers' layouts (:func:`graph_store_url`) or given. Credentials, when the store needs them,
come from the environment only: ``KG_STORE_USER`` and ``KG_STORE_PASSWORD`` (HTTP Basic or
Digest, as the server asks); they are never part of a URL, an argument or a message.
"""

from __future__ import annotations

import base64
import os
import socket
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from urllib.request import (
    HTTPBasicAuthHandler,
    HTTPDigestAuthHandler,
    HTTPPasswordMgrWithDefaultRealm,
    OpenerDirector,
    Request,
    build_opener,
    parse_http_list,
    parse_keqv_list,
    urlopen,
)

from rdflib import Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from .asserted import internal_query
from .booleans import standard_booleans
from .errors import EndpointError, InputError
from .namespaces import GRAPH, bind_prefixes
from .queries import with_values
from .remote import (
    ACCEPT,
    RemoteStore,
    _prologue,
    every_row,
    post_query,
    post_select,
    send,
)
from .sparql_guard import PreparedQuery, QueryKind

__all__ = ["SparqlHttpStore", "parse_remote_spec", "graph_store_url", "UNION_GRAPH",
           "SERVER_READ_TIMEOUT", "BUILD_IDENTIFIER", "build_identity",
           "CATALOGUE_GRAPH", "SCHEMES", "USER_VARIABLE", "PASSWORD_VARIABLE"]

#: the store specifications this module reads (``--store sparql+http://…``)
SCHEMES = ("sparql+http", "sparql+https")
#: the environment variables holding the store's credentials
USER_VARIABLE, PASSWORD_VARIABLE = "KG_STORE_USER", "KG_STORE_PASSWORD"
#: the graph holding kg's default graph: the union of the dataset's named graphs, a set
UNION_GRAPH = URIRef(GRAPH["union"])
#: the graph listing the dataset's named graphs (written last by a push)
CATALOGUE_GRAPH = URIRef(GRAPH["catalogue"])
_SUBSET = URIRef("http://rdfs.org/ns/void#subset")
#: the catalogue's statement of the build a push wrote (``"sha256:…"`` of its ``kg.nq``)
BUILD_IDENTIFIER = URIRef("http://purl.org/dc/terms/identifier")
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


def build_identity(sha256: str) -> str:
    """What the catalogue says of a pushed build whose ``kg.nq`` has this SHA-256.

    >>> build_identity("ab12")
    'sha256:ab12'
    """
    return f"sha256:{sha256}"


def parse_remote_spec(spec: str) -> str:
    """The query endpoint's URL in a ``sparql+http(s)://…`` store specification.

    >>> parse_remote_spec("sparql+http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/query'
    """
    expected = (f"the store {spec!r}: expected sparql+http://HOST[:PORT]/PATH or "
                f"sparql+https://…, the URL of a SPARQL query endpoint")
    scheme, sep, rest = spec.partition("://")
    try:
        parts = urlsplit(spec.removeprefix("sparql+"))
    except ValueError as error:  # (an IPv6 address left open, say)
        raise InputError(f"{expected} ({error})") from None
    if scheme not in SCHEMES or not sep or not parts.hostname:
        raise InputError(expected)
    if parts.username or parts.password:
        raise InputError(f"the store's URL: put no credentials in it; set "
                         f"{USER_VARIABLE} and {PASSWORD_VARIABLE} in the environment")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise InputError(f"the store {spec!r}: the port is not a number") from None
    return spec.removeprefix("sparql+")


def _gsp_url(gsp: str) -> str:
    """``gsp`` checked as the URL of a Graph Store endpoint: http(s), a host, no
    credentials (urllib would as well open a ``file:`` or ``ftp:`` URL)."""
    expected = (f"the Graph Store endpoint {gsp!r}: expected http://HOST[:PORT]/PATH or "
                f"https://…")
    try:
        parts = urlsplit(gsp)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as error:
        raise InputError(f"{expected} ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(expected)
    if parts.username or parts.password:
        raise InputError(f"the Graph Store endpoint's URL: put no credentials in it; set "
                         f"{USER_VARIABLE} and {PASSWORD_VARIABLE} in the environment")
    return gsp


def graph_store_url(query_url: str, *, authenticated: bool = False) -> str:
    """The Graph Store Protocol endpoint of a known server, from its query endpoint:

    * Oxigraph ``/query`` -> ``/store``;
    * Apache Jena Fuseki ``/DATASET/query`` or ``/DATASET/sparql`` -> ``/DATASET/data``;
    * Virtuoso ``/sparql`` -> ``/sparql-graph-crud`` (``/sparql-graph-crud-auth`` with
      credentials);
    * GraphDB and RDF4J ``/repositories/REPO`` -> ``/repositories/REPO/rdf-graphs/service``.

    >>> graph_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    >>> graph_store_url("http://127.0.0.1:3030/ds/sparql")
    'http://127.0.0.1:3030/ds/data'
    """
    parts = urlsplit(query_url)
    path = parts.path.rstrip("/")
    segments = path.split("/")
    if path == "/query":
        new = "/store"
    elif (len(segments) == 3 and segments[2] in ("query", "sparql")
          and segments[1] != "repositories"):
        new = f"/{segments[1]}/data"
    elif path == "/sparql":
        new = "/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud"
    elif len(segments) == 3 and segments[1] == "repositories":
        new = f"{path}/rdf-graphs/service"
    else:
        raise InputError(f"kg cannot tell where the Graph Store endpoint of {query_url} is: "
                         f"give it (--gsp URL)")
    return urlunsplit(parts._replace(path=new, query="", fragment=""))


def _credentials() -> tuple[str, str] | None:
    user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    if user and password is not None:
        return user, password
    return None


def _new_opener(url: str, credentials: tuple[str, str]) -> OpenerDirector:
    """An opener that answers the Basic or Digest challenge of ``url``'s server."""
    parts = urlsplit(url)
    passwords = HTTPPasswordMgrWithDefaultRealm()
    # for the whole server: its query and Graph Store endpoints are siblings
    passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/",  # type: ignore[arg-type]
                           *credentials)
    return build_opener(HTTPDigestAuthHandler(passwords), HTTPBasicAuthHandler(passwords))


class SparqlHttpStore(RemoteStore):
    """kg's dataset in a SPARQL 1.1 triplestore: read over the protocol, written with the
    Graph Store Protocol (see the module's documentation).

    ``spec`` is ``sparql+http(s)://…`` (the query endpoint); ``gsp`` the Graph Store
    endpoint (default: :func:`graph_store_url`); ``timeout`` bounds each HTTP request.
    """

    backend = "sparql+http"
    #: given the checked query (its text, its kind and its dataset), like kg's own stores
    takes_text = False

    def __init__(self, spec: str, *, gsp: str | None = None, timeout: float = 30.0) -> None:
        url = parse_remote_spec(spec)
        super().__init__(url, timeout=timeout)
        self.spec = spec
        self.timeout = timeout
        self._gsp = None if gsp is None else _gsp_url(gsp)
        self._credentials = _credentials()
        parts = urlsplit(url)
        self._query_url = urlunsplit(parts._replace(query="", fragment=""))
        self._params = parse_qsl(parts.query, keep_blank_values=True)
        #: each thread's opener (:attr:`_opener`): urllib's Digest handler counts its
        #: retries and nonces without a lock, and a projection is read by several threads
        self._openers = threading.local()
        #: the pushed build's identity ("" when the catalogue names none), once asked
        self._identity: str | None = None

    @property
    def _opener(self) -> OpenerDirector | None:
        """This thread's opener, which answers the store's challenge (``None`` without
        credentials: no challenge to answer)."""
        if self._credentials is None:
            return None
        opener = getattr(self._openers, "opener", None)
        if opener is None:
            opener = self._openers.opener = _new_opener(self._query_url, self._credentials)
        return opener

    # -- travelling to worker processes: the URLs only (credentials from the environment)
    def __getstate__(self) -> dict[str, Any]:
        return {"spec": self.spec, "gsp": self._gsp, "timeout": self.timeout,
                "graph_names": self._graph_names, "identity": self._identity}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["spec"], gsp=state["gsp"],  # type: ignore[misc]
                      timeout=state["timeout"])
        self._graph_names = state["graph_names"]
        self._identity = state["identity"]

    def network_endpoints(self) -> list[tuple[str, int]]:
        """The ``(host, port)`` pairs this store talks to: the only ones a query worker
        may connect to."""
        found = []
        for url in (self._query_url, self._gsp):
            if url:
                parts = urlsplit(url)
                port = parts.port or (443 if parts.scheme == "https" else 80)
                found.append((parts.hostname or "", port))
        return sorted(set(found))

    @property
    def gsp(self) -> str:
        """The Graph Store Protocol endpoint."""
        if self._gsp is None:
            self._gsp = graph_store_url(self._query_url,
                                        authenticated=self._credentials is not None)
        return self._gsp

    # -- reading -----------------------------------------------------------------------
    def graph_names(self) -> list[URIRef]:
        """The dataset's named graphs, as its catalogue lists them (asked once)."""
        if self._graph_names is None:
            rows = self._catalogue("catalogue-graphs")
            self._graph_names = sorted(URIRef(str(graph)) for graph, in rows)
        return list(self._graph_names)

    def graph_digests(self) -> dict[str, str]:
        """Each graph the catalogue lists -> the SHA-256 of what ``kg push`` put
        (``"sha256:…"``), for those it gives one (an older kg's push gave none); empty
        when the store holds no catalogue."""
        found: dict[str, set[str]] = {}
        for graph, identity in self._catalogue("catalogue-digests"):
            found.setdefault(str(graph), set()).add(str(identity))
        return {graph: next(iter(ids)) for graph, ids in found.items() if len(ids) == 1}

    def dataset_identity(self) -> str | None:
        """What identifies the dataset: the build ``kg push`` wrote (``"sha256:…"`` of its
        ``kg.nq``, as its catalogue says), or ``None`` for a dataset an older kg pushed
        (asked once). A server keeps the projection it reads from the store under it
        (:func:`kg.analysis.snapshot.kept_path`); a store changed other than by a push is
        not noticed."""
        if self._identity is None:
            found = [str(identity) for identity, in self._catalogue("catalogue-build")]
            self._identity = found[0] if len(found) == 1 else ""
        return self._identity or None

    def _catalogue(self, name: str) -> list[tuple[Any, ...]]:
        """Every row of ``src/kg/sparql/<name>.rq`` about the catalogue, asked a page at a
        time (:func:`kg.remote.every_row`)."""
        return every_row(lambda text: self._send(text, [], bindings={
            "catalogue": CATALOGUE_GRAPH}), internal_query(name).text)

    def query(self, sparql: Any, *, bindings: Mapping[str, Node] | None = None,
              default_graphs: Iterable[URIRef] | None = None,
              named_graphs: Iterable[URIRef] | None = None) -> Result:
        """Run SPARQL text on the store, over kg's dataset: the union graph as the default
        graph and the catalogued graphs as the named graphs, or ``default_graphs`` /
        ``named_graphs`` among them (the protocol's ``default-graph-uri`` /
        ``named-graph-uri``)."""
        kind, parsed = None, sparql
        if isinstance(sparql, PreparedQuery):
            if default_graphs is None and named_graphs is None:
                default_graphs, named_graphs = sparql.default_graphs, sparql.named_graphs
            kind, parsed, sparql = sparql.kind, sparql.query, sparql.text
        if not isinstance(sparql, str):
            raise TypeError("a remote store takes SPARQL text, not a parsed query")
        result = self._send(sparql, self._dataset(default_graphs, named_graphs),
                            bindings=bindings,
                            graph=kind in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE))
        if kind is QueryKind.DESCRIBE:  # the answer is a graph, as for a CONSTRUCT
            result.type = "DESCRIBE"
        # booleans a server sent as integers 0 and 1 (Virtuoso) given back as booleans
        return standard_booleans(result, parsed)

    def _post_select(self, query: str, named_graphs: Iterable[URIRef] | None,
                     ) -> list[tuple[Any, ...]]:
        """The rows of the ``SELECT`` text ``query`` over kg's dataset (``named_graphs``
        among its graphs, as :meth:`query` takes them), for :meth:`select`."""
        form = [*self._params, *self._dataset(None, named_graphs), ("query", query)]
        return post_select(self._query_url, form, timeout=self.timeout, shown=self.url,
                           opener=self._opener)

    def _dataset(self, default_graphs: Iterable[URIRef] | None,
                 named_graphs: Iterable[URIRef] | None) -> list[tuple[str, str]]:
        """The protocol's dataset parameters: the union graph as the default graph and
        the catalogued graphs as the named graphs, or those given among them."""
        known = self.graph_names()
        catalogued = set(known)
        defaults = ([UNION_GRAPH] if default_graphs is None
                    else [g for g in default_graphs if g in catalogued])
        named = known if named_graphs is None else [g for g in named_graphs if g in catalogued]
        dataset = [("default-graph-uri", str(g)) for g in defaults]
        dataset += [("named-graph-uri", str(g)) for g in named]
        if not defaults:  # an empty default graph: a graph that no store holds
            dataset.append(("default-graph-uri", str(GRAPH["none"])))
        if not named:
            dataset.append(("named-graph-uri", str(GRAPH["none"])))
        return dataset

    def _send(self, text: str, dataset: list[tuple[str, str]], *,
              bindings: Mapping[str, Node] | None = None, graph: bool = False) -> Result:
        query = _prologue() + with_values(text, dict(bindings or {}))
        # a graph is asked for as a graph: Virtuoso answers a CONSTRUCT with a table of
        # subject, predicate, object when SPARQL results come first in Accept
        return post_query(self._query_url, [*self._params, *dataset, ("query", query)],
                          timeout=self.timeout, shown=self.url, opener=self._opener,
                          accept=_GRAPH_ACCEPT if graph else ACCEPT)

    def union(self) -> Graph:
        """kg's default graph, fetched whole."""
        return self._graph(internal_query("default-statements").text, {})

    def graph(self, name: URIRef) -> Graph:
        """One named graph of the dataset, fetched whole (empty if absent)."""
        return self._graph(internal_query("graph-statements").text, {"graph": URIRef(name)})

    def _graph(self, construct: str, bindings: Mapping[str, Node]) -> Graph:
        dataset = [("default-graph-uri", str(UNION_GRAPH))]
        dataset += [("named-graph-uri", str(g)) for g in self.graph_names()]
        result = self._send(construct, dataset, bindings=bindings, graph=True)
        graph = Graph()
        bind_prefixes(graph)
        for triple in result.graph or ():
            graph.add(triple)
        return graph

    # -- writing: the Graph Store Protocol -----------------------------------------------
    def put_graph(self, name: URIRef, ntriples: bytes) -> None:
        """Replace the named graph ``name`` with ``ntriples`` (N-Triples), in one request."""
        target = self.gsp + ("&" if "?" in self.gsp else "?") + urlencode({"graph": str(name)})
        request = Request(target, data=ntriples, method="PUT",
                          headers={"Content-Type": "application/n-triples"})
        try:
            self._authorize(request)
            send(request, shown=self.gsp, timeout=self.timeout, opener=self._opener,
                 what="Graph Store endpoint")
        except EndpointError as error:
            raise _refused(error, self.gsp, name, self._credentials is not None) from None

    def _authorize(self, request: Request) -> None:
        """Give ``request`` the credentials the store asks for before its body is sent.

        Sent without them, a body is refused (HTTP 401) and sent again with them; but
        Virtuoso closes the connection as soon as it has refused, while a body of a few
        megabytes is still on its way ("connection reset", "broken pipe"). So the store is
        asked first with a ``HEAD`` (no body), and its challenge answered in the request
        itself (Digest by urllib's own handler, or Basic); a store that asks for nothing
        gets the request unchanged."""
        if self._credentials is None or self._opener is None:
            return
        try:
            with urlopen(Request(request.full_url, method="HEAD"),  # noqa: S310 - http(s)
                         timeout=self.timeout):
                return
        except HTTPError as error:
            challenge = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
        except OSError:  # unreachable: the request itself says so
            return
        scheme, _, parameters = challenge.partition(" ")
        if scheme.lower() == "digest":
            digest = next(handler for handler in self._opener.handlers
                          if isinstance(handler, HTTPDigestAuthHandler))
            try:
                answer = digest.get_authorization(
                    request, parse_keqv_list(filter(None, parse_http_list(parameters))))
            except ValueError:  # a scheme urllib cannot answer: the request says so
                return
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(":".join(self._credentials).encode("utf-8")).decode()
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def forget_graph_names(self) -> None:
        """Ask the store for its catalogue again on next use (after a push)."""
        self._graph_names = None
        self._identity = None

    def __repr__(self) -> str:
        return f"SparqlHttpStore({self.spec!r})"


def _refused(error: EndpointError, gsp: str, name: URIRef, authenticated: bool,
             ) -> EndpointError:
    status = error.status
    if status == 401:
        hint = ("the credentials in " if authenticated else "set ") + \
               f"{USER_VARIABLE} and {PASSWORD_VARIABLE}" + \
               (" were not accepted" if authenticated else " in the environment")
        message = f"the Graph Store endpoint {gsp} needs credentials (HTTP 401): {hint}"
    elif status == 403:
        message = (f"the Graph Store endpoint {gsp} refused to write the graph <{name}> "
                   f"(HTTP 403): the account has no write permission")
    elif status in (404, 405):  # (405: a URL that takes no PUT, kg serve's /sparql say)
        message = (f"no Graph Store endpoint at {gsp} (HTTP {status}); give the right one "
                   f"(--gsp URL)")
    else:
        message = f"the Graph Store endpoint {gsp} refused to write the graph <{name}>: {error}"
    return EndpointError(message, url=gsp, status=status)


def resolve_addresses(endpoints: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
    """Every ``(address, port)`` the endpoints' host names stand for (looked up now),
    with the names themselves."""
    found: set[tuple[str, int]] = set()
    for host, port in endpoints:
        found.add((host, port))
        try:
            for *_, address in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
                found.add((str(address[0]), port))
        except OSError:
            pass
    return found


#: seconds a server gives each of its own requests to a remote store (the projection read
#: a page at a time when it starts): no user's query, which ``--timeout`` bounds in its
#: worker. At 10,000 articles on an Oxigraph server, a page of the statements between
#: entities took about 10 s, and kg serve --timeout 10 could not start.
SERVER_READ_TIMEOUT = 600.0


def open_remote(spec: str, *, bundle: Any = None, gsp: str | None = None,
                timeout: float = 30.0) -> Any:
    """A :class:`~kg.load.KnowledgeGraph` over the dataset ``kg push`` wrote to the store
    ``spec`` (``sparql+http(s)://…``): nothing is copied; every query goes to the store.

    Raises :class:`~kg.errors.EndpointUnreachable` when the store cannot be reached and
    :class:`~kg.errors.InputError` when it holds no kg dataset (nothing pushed yet) or one
    that an older kg built (:func:`kg.load.check_keys_version`).
    """
    from .bundle import bundled
    from .load import KnowledgeGraph, check_keys_version
    from .namespaces import ONTOLOGY_GRAPH

    store = SparqlHttpStore(spec, gsp=gsp, timeout=timeout)
    names = store.graph_names()
    if not names:
        raise InputError(f"the store {store.url} holds no kg dataset (no catalogue graph "
                         f"<{CATALOGUE_GRAPH}>): kg push a build to it first")
    check_keys_version(store, source=f"the store {store.url}",
                       remedy=f"push a new build to it: kg build --out build && kg push "
                              f"{spec}")
    ontology = Graph()
    bind_prefixes(ontology)
    for triple in store.graph(ONTOLOGY_GRAPH):
        ontology.add(triple)
    return KnowledgeGraph(store=store, ontology=ontology,  # type: ignore[arg-type]
                          bundle=bundle or bundled(), files=[], graph_files={},
                          file_graphs={})
