"""The ``sparql+http://`` store and ``kg push``: writes through the Graph Store Protocol to
real triplestores on loopback (an Oxigraph server; Virtuoso for authentication), the
errors a push reports, and the one door a query worker keeps open: its store."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator

import pytest
from rdflib import URIRef

import kg
from kg.errors import EndpointError, EndpointUnreachable, InputError, UnsafeQueryError
from kg.execute import WorkerPool
from kg.push import push
from kg.remote import RemoteStore
from kg.remote_store import (
    CATALOGUE_GRAPH,
    UNION_GRAPH,
    SparqlHttpStore,
    graph_store_url,
    open_remote,
    parse_remote_spec,
)
from kg.synth import synth

from .conftest import REMOTE_STORES, seed_build, seed_graph
from .kgserver import environment, kg_command
from .loopback import LoopbackServer
from .triplestores import triplestore


def run_kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kg_command(*args), env=env or environment(), capture_output=True,
                          text=True, timeout=180)


@pytest.fixture(scope="module")
def oxigraph() -> kg.KnowledgeGraph:
    """The seed build pushed to the session's Oxigraph server, opened as a remote graph."""
    return seed_graph("oxigraph-server")


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- the store specification and the Graph Store endpoint ------------------------------

def test_a_store_spec_is_the_query_endpoint_with_sparql_plus_in_front():
    assert parse_remote_spec("sparql+https://db.example.org/ds/query") == \
        "https://db.example.org/ds/query"


@pytest.mark.parametrize("spec", ["http://127.0.0.1:7878/query", "sparql+ftp://h/q",
                                  "sparql+http:///query", "sparql+http://h:port/query",
                                  "sparql+http://[::1/query"])
def test_a_malformed_store_spec_is_refused_saying_what_is_expected(spec):
    """Named as the store, which kg serve takes as --store and kg push as STORE."""
    with pytest.raises(InputError, match=f"the store {re.escape(repr(spec))}: "):
        parse_remote_spec(spec)


def test_credentials_in_the_url_are_refused_without_being_repeated():
    with pytest.raises(InputError) as caught:
        parse_remote_spec("sparql+http://admin:s3cret@127.0.0.1:7878/query")
    assert "s3cret" not in str(caught.value) and "KG_STORE_PASSWORD" in str(caught.value)


@pytest.mark.parametrize(("query", "gsp"), [
    ("http://h:7878/query", "http://h:7878/store"),                       # Oxigraph
    ("http://h:3030/ds/query", "http://h:3030/ds/data"),                  # Fuseki
    ("http://h:3030/ds/sparql", "http://h:3030/ds/data"),                 # Fuseki
    ("http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),          # Virtuoso
    ("http://h:7200/repositories/kg", "http://h:7200/repositories/kg/rdf-graphs/service"),
])
def test_the_graph_store_endpoint_of_known_servers_is_guessed(query, gsp):
    assert graph_store_url(query) == gsp


def test_virtuoso_with_credentials_writes_to_its_authenticated_endpoint():
    assert graph_store_url("http://h:8890/sparql", authenticated=True) == \
        "http://h:8890/sparql-graph-crud-auth"


def test_an_unknown_layout_asks_for_the_graph_store_endpoint():
    with pytest.raises(InputError, match="--gsp"):
        graph_store_url("http://h/some/where")


# -- kg push -------------------------------------------------------------------------

def test_push_reports_graphs_and_quads_and_pushing_twice_changes_nothing(oxigraph):
    store = oxigraph.store
    before = (len(store), store.graph_names())
    local = seed_graph("rdflib")
    assert before == (len(local.store), local.store.graph_names())
    graphs = len(before[1])
    for options, replaced in (([], 0), (["--every"], graphs)):
        done = run_kg("push", store.spec, "--build", str(seed_build()), *options)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == (
            f"kg: pushed {seed_build()} to {store.url}: {graphs} named graphs ({replaced} "
            f"replaced, {graphs - replaced} unchanged), {before[0]} quads "
            f"({len(local.store.union())} triples in the union)")
        again = SparqlHttpStore(store.spec)
        assert (len(again), again.graph_names()) == before


def test_a_push_replaces_only_the_graphs_that_changed_and_the_union(tmp_path):
    """(a push to a store that held the 10,000-article build already took 14 minutes)"""
    from .triplestores import start_oxigraph

    server = start_oxigraph()
    if server is None:
        pytest.skip("the oxigraph package is not installed")
    data = synth(articles=3, seed=4, out=tmp_path / "data").out
    kg.build(data=data, out=tmp_path / "first")
    first = push(tmp_path / "first", server.spec)
    assert first.replaced == first.graphs
    article = sorted(data.glob("*.trig"))[0]  # an article's label edited
    article.write_text(article.read_text(encoding="utf-8").replace(
        'rdfs:label "', 'rdfs:label "Edited: ', 1), encoding="utf-8")
    kg.build(data=data, out=tmp_path / "second")
    changed = _changed_graphs(tmp_path / "first", tmp_path / "second")
    assert f"https://w3id.org/kg/source/{article.stem}" in changed
    assert len(changed) < first.graphs
    store = SparqlHttpStore(server.spec)
    sent: list[str] = []
    real = store.put_graph
    store.put_graph = lambda name, body: (sent.append(str(name)), real(name, body))[1]
    pushed = push(tmp_path / "second", store)
    assert pushed.replaced == len(changed)
    # the catalogue first vouches for none of them, then for the new build
    assert sent == [str(CATALOGUE_GRAPH), *sorted(changed), str(UNION_GRAPH),
                    str(CATALOGUE_GRAPH)]
    local = kg.load(data=data)
    remote = open_remote(server.spec)
    assert len(remote.store) == len(local.store)
    assert set(remote.store.union()) == set(local.store.union())


def test_kg_load_opens_a_triplestore_as_kg_open_remote_does(oxigraph):
    """(the Python API takes every --store the command line does)"""
    opened = kg.load(store=oxigraph.store.spec, timeout=60)
    assert opened.store.spec == oxigraph.store.spec and opened.store.timeout == 60
    assert opened.query("cq07-member-since").to_records() == \
        oxigraph.query("cq07-member-since").to_records() != []
    with pytest.raises(InputError, match="queries what kg push put there"):
        kg.load(["data"], store=oxigraph.store.spec)


def test_a_graph_is_replaced_by_a_put_never_appended(oxigraph):
    store = SparqlHttpStore(oxigraph.store.spec)
    name = "https://w3id.org/kg/graph/scratch-test"
    store.put_graph(name, b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> <urn:d> .\n")
    store.put_graph(name, b"<urn:a> <urn:b> <urn:e> .\n")
    rows = store._send("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", [],
                       bindings={"g": kg.namespaces.URIRef(name)})
    assert [str(row[0]) for row in rows] == ["urn:e"]
    store.put_graph(name, b"")
    # not catalogued: outside kg's dataset
    assert kg.namespaces.URIRef(name) not in store.graph_names()


def test_the_union_and_the_catalogue_are_not_named_graphs_of_the_dataset(oxigraph):
    names = oxigraph.store.graph_names()
    assert UNION_GRAPH not in names and CATALOGUE_GRAPH not in names
    rows = kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", graph=oxigraph)
    assert sorted(r["g"] for r in rows.to_records()) == sorted(map(str, names))


def test_push_to_an_unreachable_store_says_so_and_exits_2():
    port = closed_port()
    done = run_kg("push", f"sparql+http://127.0.0.1:{port}/query", "--build", str(seed_build()))
    assert done.returncode == 2
    assert f"cannot reach the Graph Store endpoint http://127.0.0.1:{port}/store: " \
           f"connection refused" in done.stderr


def test_a_graph_store_endpoint_that_takes_no_put_says_give_the_right_one():
    """kg serve's own /sparql, given as the Graph Store endpoint: HTTP 405."""
    from .kgserver import start

    server = start()
    with pytest.raises(EndpointError, match=f"no Graph Store endpoint at "
                                            f"{re.escape(server.sparql)} \\(HTTP 405\\); give "
                                            f"the right one \\(--gsp URL\\)"):
        push(seed_build(), "sparql+" + server.sparql, gsp=server.sparql)


@pytest.mark.parametrize("gsp", ["ftp://h/data", "file:///tmp/data", "http:///data",
                                 "http://h:port/data", "http://[::1/data", "data"])
def test_a_graph_store_endpoint_that_is_no_http_url_is_refused_before_anything_is_sent(gsp):
    """urllib would open a file: or ftp: URL as well: kg writes over HTTP only."""
    with pytest.raises(InputError, match=f"the Graph Store endpoint {re.escape(repr(gsp))}: "
                                         f"expected http://HOST"):
        SparqlHttpStore("sparql+http://127.0.0.1:9/query", gsp=gsp)
    done = run_kg("push", "sparql+http://127.0.0.1:9/query", "--gsp", gsp,
                  "--build", str(seed_build()))
    assert done.returncode == 2 and "expected http://HOST" in done.stderr


def test_push_of_a_damaged_build_sends_nothing(tmp_path, oxigraph):
    (tmp_path / "manifest.json").write_text('{"files": {"kg.nq": "0"}}', encoding="utf-8")
    (tmp_path / "kg.nq").write_text("", encoding="utf-8")
    done = run_kg("push", oxigraph.store.spec, "--build", str(tmp_path))
    assert done.returncode == 2 and "does not match" in done.stderr
    assert len(SparqlHttpStore(oxigraph.store.spec)) == len(oxigraph.store)


def test_push_without_credentials_to_a_store_that_needs_them_is_401_with_a_hint():
    server = triplestore("virtuoso")
    env = {k: v for k, v in environment().items() if not k.startswith("KG_STORE_")}
    done = run_kg("push", server.spec, "--build", str(seed_build()), "--gsp", server.gsp,
                  env=env)
    assert done.returncode == 2
    assert "needs credentials (HTTP 401): set KG_STORE_USER and KG_STORE_PASSWORD" in \
        done.stderr


def test_wrong_credentials_are_401_and_never_shown():
    server = triplestore("virtuoso")
    env = dict(environment(), KG_STORE_USER="dba", KG_STORE_PASSWORD="not-the-password")
    done = run_kg("push", server.spec, "--build", str(seed_build()), env=env)
    assert done.returncode == 2 and "were not accepted" in done.stderr
    assert "not-the-password" not in done.stderr + done.stdout


def test_a_store_that_refuses_writes_is_403():
    server = triplestore("virtuoso")
    anonymous = server.gsp.removesuffix("-auth")  # Virtuoso's endpoint without login
    with pytest.raises(EndpointError, match=r"refused to write .*\(HTTP 403\)"):
        push(seed_build(), server.spec, gsp=anonymous)


def test_a_graph_of_megabytes_is_written_to_a_store_that_asks_for_credentials():
    """Virtuoso asks for Digest credentials, and answers a PUT sent without them by
    closing the connection while its body is still being sent: "broken pipe" or
    "connection reset" at times from a megabyte (the entailed graph of 100 articles),
    every time from a few. The store is asked for its challenge by a request without a
    body, and the PUT carries the credentials from the start."""
    from .triplestores import VIRTUOSO_PASSWORD, VIRTUOSO_USER, other_data

    server = triplestore("virtuoso")
    name = URIRef("https://example.org/graph/large")
    body = other_data(30000)
    assert len(body) > 5_000_000
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_STORE_USER", VIRTUOSO_USER)
        patch.setenv("KG_STORE_PASSWORD", VIRTUOSO_PASSWORD)
        SparqlHttpStore(server.spec, gsp=server.gsp).put_graph(name, body)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    rows = RemoteStore(server.query_url).query(count, bindings={"g": name})
    assert int(next(iter(rows))[0]) == 30000  # type: ignore[index]


def test_serving_a_store_with_no_kg_dataset_says_push_first():
    from .triplestores import start_oxigraph

    empty = start_oxigraph()
    if empty is None:
        pytest.skip("the oxigraph package is not installed")
    with pytest.raises(InputError, match="holds no kg dataset .* kg push a build to it first"):
        open_remote(empty.spec)


def test_serving_a_store_that_an_older_kg_filled_says_push_a_new_build():
    """A dataset pushed by a kg whose search, date and order keys were laid out otherwise
    (no kg:keysVersion in its entailed graph) would answer every search with nothing: it
    is refused, with the push that mends it."""
    from kg.namespaces import ENTAILED_GRAPH

    from .triplestores import start_oxigraph

    server = start_oxigraph()
    if server is None:
        pytest.skip("the oxigraph package is not installed")
    push(seed_build(), server.spec)
    assert open_remote(server.spec).store.graph_names()
    SparqlHttpStore(server.spec).put_graph(str(ENTAILED_GRAPH), b"")
    with pytest.raises(InputError, match="built by another version of kg.*push a new build "
                                         "to it: kg build --out build && kg push"):
        open_remote(server.spec)


def test_relationships_asked_first_of_a_new_virtuoso_are_every_one(graph):
    """Virtuoso 7.2, on the run that created its database, answered the old form of
    relationships.rq (the path a/rdfs:subClassOf* joined with variable predicates) with
    no row when it was the first query it compiled, and with every row after some other
    queries: the projection lost its relationship edges in one test order and not another.
    The query now walks the type and its superclasses as two patterns."""
    from kg.analysis.reading import rows

    from .triplestores import VIRTUOSO_PASSWORD, VIRTUOSO_USER, missing, start_virtuoso

    server = start_virtuoso()
    if server is None:
        missing("Virtuoso (apt-get install virtuoso-opensource)")
    assert server is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_STORE_USER", VIRTUOSO_USER)
        patch.setenv("KG_STORE_PASSWORD", VIRTUOSO_PASSWORD)
        push(seed_build(), server.spec, gsp=server.gsp)
    remote = open_remote(server.spec)
    expected = set(rows(graph, "relationships"))
    assert len(expected) == 13
    assert set(rows(remote, "relationships")) == expected


def test_a_store_that_asks_credentials_for_every_read_gives_the_loaded_graphs_projection(
        graph, tmp_path, monkeypatch):
    """Virtuoso's ``/sparql-auth`` answers no query without Digest credentials. The
    projection is read several queries at once (``reading.READERS`` threads); each thread
    answers the store's challenges with an opener of its own, since urllib's Digest
    handler counts its retries and nonces without a lock."""
    import threading

    import networkx as nx

    from kg.analysis import reading

    from .conftest import pushed_graph
    from .triplestores import VIRTUOSO_PASSWORD, VIRTUOSO_USER

    server = triplestore("virtuoso")
    pushed_graph("virtuoso")  # the seed build, in the session's server
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))  # read from the store, not a kept file
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_STORE_USER", VIRTUOSO_USER)
        patch.setenv("KG_STORE_PASSWORD", VIRTUOSO_PASSWORD)
        remote = open_remote(server.spec + "-auth")
    assert reading.READERS > 1
    theirs, ours = remote.project(view="full"), graph.project(view="full")
    assert nx.utils.nodes_equal(theirs.nodes(data=True), ours.nodes(data=True))
    assert sorted(theirs.edges(keys=True)) == sorted(ours.edges(keys=True))
    assert list(tmp_path.glob("remote/*/*.pickle"))  # read, and kept for the next session
    openers = []
    thread = threading.Thread(target=lambda: openers.append(remote.store._opener))
    thread.start()
    thread.join()
    assert openers[0] is not None and openers[0] is not remote.store._opener
    assert remote.store._opener is remote.store._opener  # kept, thread by thread
    without = SparqlHttpStore(server.spec + "-auth")  # no credentials in the environment
    with pytest.raises(EndpointError, match="HTTP 401"):
        without.graph_names()


def test_an_answer_virtuoso_cut_short_at_its_time_limit_is_a_timeout_not_an_answer():
    """Virtuoso's "anytime" answers: past its time limit (here the protocol's ``timeout``
    parameter, in ms, sent with every query as part of the store's URL) it answers HTTP
    200 with the rows found so far -- none, for this count -- and says so in a header."""
    from kg.errors import QueryTimeout

    seed_graph("virtuoso")
    server = triplestore("virtuoso")
    hasty = open_remote(server.spec + "?timeout=200")
    every_triple_thrice = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout, match="time limit.*incomplete results"):
        list(hasty.store.query(every_triple_thrice))


def test_serve_refuses_data_options_with_a_remote_store(oxigraph):
    done = run_kg("serve", "--store", oxigraph.store.spec, "--data", "data", "--port", "0")
    assert done.returncode == 2
    assert "queries what kg push put there: --data and --ontology" in done.stderr


def test_a_push_stopped_halfway_is_put_right_by_the_next_whatever_build_it_pushes(tmp_path):
    """(the catalogue vouches for a graph only once it holds what the SHA-256 says: a push
    of the old build after a stopped one must not keep the new build's half)"""
    from .triplestores import start_oxigraph

    server = start_oxigraph()
    if server is None:
        pytest.skip("the oxigraph package is not installed")
    data = synth(articles=3, seed=4, out=tmp_path / "data").out
    kg.build(data=data, out=tmp_path / "first")
    push(tmp_path / "first", server.spec)
    article = sorted(data.glob("*.trig"))[0]  # an article's label edited: its graph and
    article.write_text(article.read_text(encoding="utf-8").replace(  # the entailed one
        'rdfs:label "', 'rdfs:label "Edited: ', 1), encoding="utf-8")
    kg.build(data=data, out=tmp_path / "second")
    assert len(_changed_graphs(tmp_path / "first", tmp_path / "second")) == 2
    store = SparqlHttpStore(server.spec)
    real, sent = store.put_graph, []

    def stopping(name, body):
        if len(sent) == 2:  # the catalogue vouching for fewer graphs, then one graph
            raise EndpointUnreachable(store.url, "stopped")
        sent.append(str(name))
        real(name, body)

    store.put_graph = stopping
    with pytest.raises(EndpointUnreachable):
        push(tmp_path / "second", store)
    assert sent[0] == str(CATALOGUE_GRAPH)
    again = push(tmp_path / "first", server.spec)  # the old build again
    assert again.replaced >= 1
    from rdflib import BNode

    held = {(str(s), str(p), str(o), str(g))
            for s, p, o, g in SparqlHttpStore(server.spec).quads()
            if not isinstance(s, BNode) and not isinstance(o, BNode)}
    assert held == _quads(tmp_path / "first")


def _quads(build) -> set[tuple[str, str, str, str]]:
    """The build's quads without blank nodes, as text."""
    import pyoxigraph as ox

    return {(q.subject.value, q.predicate.value, q.object.value, q.graph_name.value)
            for q in ox.parse(path=str(build / "kg.nq"), format=ox.RdfFormat.N_QUADS)
            if not isinstance(q.subject, ox.BlankNode)
            and not isinstance(q.object, ox.BlankNode)}


def _changed_graphs(first, second) -> set[str]:
    """The named graphs whose statements differ between two builds (or that one lacks)."""
    import pyoxigraph as ox

    def graphs(build):
        found: dict[str, set] = {}
        for quad in ox.parse(path=str(build / "kg.nq"), format=ox.RdfFormat.N_QUADS):
            found.setdefault(quad.graph_name.value, set()).add(quad.triple)
        return found

    before, after = graphs(first), graphs(second)
    return {name for name in before.keys() | after.keys()
            if before.get(name) != after.get(name)}


@pytest.mark.parametrize("name", [*REMOTE_STORES, "kg.connect"])
def test_select_reads_each_value_as_a_query_does_without_building_rdf_terms(name):
    """(read through rdflib's terms, the answers took longer to read than a server took to
    give them: the projection of 10,000 articles from an Oxigraph server)"""
    from importlib import resources

    from kg.analysis import reading
    from kg.contradictions import CHECKED
    from kg.store import plain_value
    from kg.values_blocks import at_markers

    remote = seed_graph("oxigraph-server" if name == "kg.connect" else name).store
    store = RemoteStore(remote.url) if name == "kg.connect" else remote
    folder = resources.files("kg.analysis") / "sparql"
    queries = sorted(entry.name.removesuffix(".rq") for entry in folder.iterdir()
                     if entry.name.endswith(".rq"))
    checked = {"properties": (["property"], [[p] for p in CHECKED])}
    read = 0
    for query in queries:
        text = reading.sparql_text(query)
        if "# VALUES properties" in text:
            text = at_markers(text, checked, write=lambda term: URIRef(term).n3())
        bound = dict(reading.BINDINGS, entity=URIRef("https://w3id.org/kg/id/icesco"))
        terms = [tuple(plain_value(v) for v in row) for row in store.query(text, bindings=bound)]
        assert sorted(store.select(text, bindings=bound), key=repr) == \
            sorted(terms, key=repr), query
        read += len(terms)
    assert read > 900

class FakeEndpoint(LoopbackServer):
    """A real HTTP server on loopback that answers every query (a POSTed form) with what
    ``answer(form)`` gives: a body sent as SPARQL JSON results, and headers to send with it;
    ``url`` is its endpoint."""

    def __init__(self, answer: Callable[[list[tuple[str, str]]],
                                        tuple[bytes, list[tuple[str, str]]]]) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                import urllib.parse

                length = int(self.headers.get("Content-Length", 0))
                body, headers = answer(urllib.parse.parse_qsl(
                    self.rfile.read(length).decode("utf-8")))
                self.send_response(200)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(Handler)
        self.url = self.origin + "/sparql"


@pytest.mark.parametrize("body", [b'{"head": {"vars": ["s"]}, "results": {"bindi',
                                  b'{"head": {"vars": []}, "boolean": true}',
                                  b'{"head": {"vars": ["s"]}, "results": {"bindings": '
                                  b'[{"s": {"type": "uri"}}]}}'])
def test_a_select_answer_that_is_no_sparql_json_table_names_the_endpoint(body):
    server = FakeEndpoint(lambda form: (body, []))  # every answer that body
    try:
        with pytest.raises(EndpointError, match=rf"the endpoint {re.escape(server.origin)}"
                                                r"/sparql sent an answer kg cannot read "
                                                r"\(application/sparql-results\+json\)"):
            list(RemoteStore(server.url).select("SELECT ?s WHERE { ?s ?p ?o }"))
    finally:
        server.close()

# -- the projection a server reads from the store, kept for the next start ------------

@pytest.mark.parametrize("name", REMOTE_STORES)
def test_the_catalogue_is_read_whole_from_a_store_that_cuts_long_answers_short(name,
                                                                                monkeypatch):
    """Virtuoso answers at most 10,000 rows by default, without an error: the graph names
    of a dataset of 10,004 graphs were read in one request, and four were lost. The
    catalogue is read a page at a time (here from a store that answers two rows at most,
    in pages of two)."""
    remote = seed_graph(name).store
    whole = (remote.graph_names(), remote.graph_digests(), remote.dataset_identity())
    assert len(whole[0]) > 2 and set(whole[1]) == {str(g) for g in whole[0]} and whole[2]
    _answers_two_rows_at_most(monkeypatch, SparqlHttpStore, "_send")
    paged = SparqlHttpStore(remote.spec)
    assert (paged.graph_names(), paged.graph_digests(), paged.dataset_identity()) == whole


@pytest.mark.parametrize("name", REMOTE_STORES)
def test_the_graph_names_of_any_endpoint_are_read_whole(name, monkeypatch):
    """kg.connect's store, on an endpoint that cuts long answers short or refuses them (kg's
    own server: more than 10,000 rows is an error). Virtuoso answers the fast way to list
    them (an empty pattern in GRAPH ?graph) with none: it is asked the slow way."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    from .triplestores import OTHER_GRAPH

    endpoint = seed_graph(name).store.url
    whole = RemoteStore(endpoint).graph_names()
    assert {CATALOGUE_GRAPH, UNION_GRAPH, URIRef(OTHER_GRAPH)} <= set(whole)
    assert set(seed_graph(name).store.graph_names()) <= set(whole)
    _answers_two_rows_at_most(monkeypatch, SPARQLStore, "query")
    assert RemoteStore(endpoint).graph_names() == whole


def _answers_two_rows_at_most(monkeypatch, store, method):
    """``store.method`` answers two rows at most, as Virtuoso with ResultSetMaxRows = 2,
    and kg asks for two rows a page."""
    import kg.paging

    sent = getattr(store, method)

    def two_rows_at_most(self, *args, **kwargs):
        return list(sent(self, *args, **kwargs))[:2]

    monkeypatch.setattr(store, method, two_rows_at_most)
    monkeypatch.setattr(kg.paging, "PAGE", 2)


def test_a_push_names_its_build_in_the_catalogue(oxigraph):
    import hashlib

    digest = hashlib.sha256((seed_build() / "kg.nq").read_bytes()).hexdigest()
    assert oxigraph.store.dataset_identity() == f"sha256:{digest}"


def test_a_server_keeps_what_it_read_from_a_push_and_reads_the_store_again_after_another(
        tmp_path, monkeypatch):
    """(a server from a remote store of 10,000 articles read it for five minutes at every
    start)"""
    from kg.analysis import snapshot

    from .triplestores import start_oxigraph

    server = start_oxigraph()
    if server is None:
        pytest.skip("the oxigraph package is not installed")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    push(seed_build(), server.spec)
    path, fingerprint, scratch = snapshot.for_workers(open_remote(server.spec))
    assert not scratch and path.is_file()
    assert path.parent.parent == tmp_path / "cache" / "remote"

    def read_again(*args, **kwargs):
        raise AssertionError("the store was read again")

    with monkeypatch.context() as patch:  # the next server of the same push
        patch.setattr(snapshot, "save", read_again)
        assert snapshot.for_workers(open_remote(server.spec)) == (path, fingerprint, False)

    other = tmp_path / "other"
    synth(articles=2, seed=3, out=tmp_path / "data")
    kg.build(data=tmp_path / "data", out=other)
    push(other, server.spec)
    after, _, scratch = snapshot.for_workers(open_remote(server.spec))
    assert not scratch and after.parent == path.parent and after != path
    assert snapshot.kept_path(open_remote(server.spec)) == after


def test_a_dataset_an_older_kg_pushed_is_read_at_every_start(tmp_path, monkeypatch):
    from kg.analysis import snapshot

    from .triplestores import start_oxigraph

    server = start_oxigraph()
    if server is None:
        pytest.skip("the oxigraph package is not installed")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    push(seed_build(), server.spec)
    store = SparqlHttpStore(server.spec)
    subset = URIRef("http://rdfs.org/ns/void#subset")
    catalogue = "".join(f"<{CATALOGUE_GRAPH}> <{subset}> <{name}> .\n"
                        for name in store.graph_names())  # as an older kg wrote it
    store.put_graph(CATALOGUE_GRAPH, catalogue.encode())
    graph = open_remote(server.spec)
    assert graph.store.dataset_identity() is None and snapshot.kept_path(graph) is None
    path, _, scratch = snapshot.for_workers(graph)
    assert scratch
    path.unlink()


# -- the other commands: --store sparql+http://… ----------------------------------------

def test_a_named_query_asked_of_the_store_from_the_command_line_answers_as_a_loaded_graph(
        oxigraph, graph):
    """(kg query, the analysis commands and kg export offered --store sparql+http://… in
    their help, and refused it: "expected rdflib, oxigraph, oxigraph:DIR or
    sparql+http(s)://HOST:PORT/PATH")"""
    done = run_kg("query", "cq07-member-since", "--store", oxigraph.store.spec,
                  "--format", "json", "--timeout", "60")
    assert done.returncode == 0, done.stderr
    expected = kg.query("cq07-member-since", graph=graph).to_records()
    rows = json.loads(done.stdout)["results"]["bindings"]
    assert [row["since"]["value"] for row in rows] == [str(row["since"]) for row in expected]
    assert rows


def test_a_path_asked_of_the_store_from_the_command_line_is_the_loaded_graphs(oxigraph):
    done = run_kg("path", "leyla-aliyeva", "burkina-faso", "--store", oxigraph.store.spec,
                  "--timeout", "120")
    assert done.returncode == 0, done.stderr
    local = run_kg("path", "leyla-aliyeva", "burkina-faso", "--bundled", "--no-cache")
    assert done.stdout == local.stdout and "Burkina Faso" in done.stdout


@pytest.mark.parametrize("command", [["query", "cq07-member-since"], ["centrality"],
                                     ["export", "--format", "graphml"]])
def test_data_options_with_a_remote_store_are_a_usage_error(oxigraph, command):
    done = run_kg(*command, "--store", oxigraph.store.spec, "--data", "data")
    assert done.returncode == 2
    assert "queries what kg push put there: --data and --ontology do not apply" in done.stderr


# -- the worker's one door -------------------------------------------------------------

def count_quads(graph: kg.KnowledgeGraph) -> int:
    return len(SparqlHttpStore(graph.store.spec))  # a new connection, from the worker


def fetch_elsewhere(graph: kg.KnowledgeGraph, url: str) -> None:
    import urllib.request

    urllib.request.urlopen(url, timeout=2)


class Listener(LoopbackServer):
    """A real HTTP server on loopback that records any request it gets."""

    def __init__(self) -> None:
        heard: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                heard.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.requests = heard
        super().__init__(Handler)
        self.url = self.origin + "/"


@pytest.fixture(scope="module")
def remote_pool(oxigraph) -> Iterator[WorkerPool]:
    with WorkerPool(oxigraph, workers=1) as pool:
        yield pool


def test_a_worker_reaches_its_configured_store(remote_pool, oxigraph):
    assert remote_pool.run(count_quads, timeout=30) == len(oxigraph.store)


def test_a_worker_reaches_nothing_else_not_even_another_port_of_the_same_host(remote_pool):
    listener = Listener()
    try:
        with pytest.raises(UnsafeQueryError, match="no network requests"):
            remote_pool.run(fetch_elsewhere, listener.url + "leak", timeout=30)
        assert listener.requests == []
    finally:
        listener.close()


def test_a_worker_of_a_local_graph_reaches_no_store_at_all(graph, oxigraph):
    with WorkerPool(graph, workers=1) as pool:
        with pytest.raises(UnsafeQueryError, match="no network requests"):
            pool.run(fetch_elsewhere, oxigraph.store.url + "?query=ASK%7B%7D", timeout=30)


def test_an_unreachable_store_is_reported_by_name():
    store = SparqlHttpStore(f"sparql+http://127.0.0.1:{closed_port()}/query")
    with pytest.raises(EndpointUnreachable, match="connection refused"):
        store.graph_names()


def test_credentials_are_read_from_the_environment_never_pickled(monkeypatch):
    import pickle

    monkeypatch.setenv("KG_STORE_USER", "someone")
    monkeypatch.setenv("KG_STORE_PASSWORD", "s3cret")
    store = SparqlHttpStore("sparql+http://127.0.0.1:9/sparql")
    assert store.gsp.endswith("/sparql-graph-crud-auth")
    assert b"s3cret" not in pickle.dumps(store)
    assert os.environ["KG_STORE_PASSWORD"] == "s3cret"


# -- kg serve --store sparql+http://… ----------------------------------------------------

def test_serve_from_the_store_gives_the_explorer_and_the_api_of_a_loaded_graph(graph):
    import requests

    from .kgserver import start

    server = start(store="oxigraph-server")
    assert requests.get(server.url, timeout=30).status_code == 200
    answer = requests.get(server.url + "api/queries/cq07-member-since", timeout=30)
    assert answer.status_code == 200
    expected = kg.query("cq07-member-since", graph=graph).to_records()
    assert [row["since"] for row in answer.json()["rows"]] == [r["since"] for r in expected]
    health = requests.get(server.url + "-/health", timeout=30)
    assert health.status_code == 200 and health.json()["quads"] == len(graph.store)


class SlowStore(LoopbackServer):
    """A real HTTP server on loopback in front of a triplestore's query endpoint, which
    answers each query ``delay`` seconds late: a large store, as far as timing goes."""

    def __init__(self, target: str, delay: float) -> None:
        import time
        import urllib.request

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                forwarded = urllib.request.Request(
                    target, data=body, method="POST",
                    headers={name: self.headers[name] for name in ("Content-Type", "Accept")
                             if self.headers[name]})
                time.sleep(delay)
                with urllib.request.urlopen(forwarded, timeout=30) as answer:
                    content = answer.read()
                    status, kind = answer.status, answer.headers["Content-Type"]
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                except (BrokenPipeError, ConnectionResetError):  # a worker stopped at its
                    pass                                          # time limit hung up

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(Handler)
        self.spec = "sparql+" + self.origin + "/query"


def test_serve_from_a_store_slower_than_the_query_time_limit_starts_and_serves(oxigraph):
    """The server reads the projection from the store when it starts, a page at a time
    (at 10,000 articles, about 10 s a page from an Oxigraph server): those reads are the
    server's own, not a user's query, and ``--timeout`` (here shorter than any answer of
    the store) bounds only the latter. It stopped the start: 'no answer within 10 s'."""
    import requests

    slow = SlowStore(oxigraph.store.url, delay=0.6)
    process = subprocess.Popen(kg_command("serve", "--store", slow.spec, "--timeout", "0.5",
                                          "--workers", "2", "--port", "0"),
                               env=environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        said = []
        for line in process.stdout or ():  # until it serves, or stops
            said.append(line)
            if "serving http://" in line:
                break
        assert "serving http://" in said[-1], "".join(said)
        url = said[-1].split("serving ", 1)[1].split(" ", 1)[0]
        answer = requests.get(url + "api/paths?from=leyla-aliyeva&to=burkina-faso",
                              timeout=60)
        assert answer.status_code == 200 and answer.json()["paths"][0]["length"] == 4
        late = requests.get(url + "api/queries/cq07-member-since", timeout=60)
        assert late.status_code == 503  # a user's query is still bounded by --timeout
        assert "the time limit" in late.json()["error"]["message"]
    finally:
        process.terminate()
        process.communicate(timeout=30)
        slow.close()


def test_an_answer_that_echoes_every_graph_of_a_large_dataset_as_a_header_is_read():
    """Virtuoso echoes each named-graph-uri as a header: past a hundred graphs (a hundred
    articles), Python's http.client alone would refuse the answer."""
    from kg.remote import post_query

    # ASK true, with one X-SPARQL-named-graph header per graph the query names
    server = FakeEndpoint(lambda form: (b'{"head": {}, "boolean": true}', [
        ("X-SPARQL-named-graph", value) for name, value in form if name == "named-graph-uri"]))
    try:
        graphs = [("named-graph-uri", f"https://w3id.org/kg/graph/article-{n}")
                  for n in range(2_000)]
        answer = post_query(server.url, [*graphs, ("query", "ASK {}")], timeout=30,
                            shown=server.url)
        assert answer.askAnswer is True
    finally:
        server.close()
