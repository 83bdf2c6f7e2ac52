"""``/sparql`` through the real server (``kg serve``, waitress) and real clients.

SPARQLWrapper, rdflib's SPARQLStore and plain HTTP talk to a server on a free loopback
port; every answer is parsed back with rdflib or the csv module.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import http.server
import io
import json
import subprocess
import time
from collections.abc import Iterator

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, XML, SPARQLWrapper

from kg.store import BACKENDS

from .kgserver import (
    LIMITS,
    REMOTE_STORES,
    Server,
    descendants,
    environment,
    kg_command,
    settles,
    start,
    zombies,
)
from .loopback import LoopbackServer

KGR = "https://w3id.org/kg/id/"
FIRST = "https://w3id.org/kg/source/000_b2925a6198033b1b"
ENTITIES = "https://w3id.org/kg/graph/entities"
PEOPLE = "PREFIX kg: <https://w3id.org/kg/ontology#> SELECT ?p WHERE { ?p a kg:Person } ORDER BY ?p"
FOUR_PEOPLE = {KGR + name for name in ("anar-alakbarov", "leyla-aliyeva", "mehriban-aliyeva",
                                       "salim-al-malik")}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="session")
def server(request: pytest.FixtureRequest) -> Server:
    """The test server; on the rdflib store unless a test asks for others (``each_store``)."""
    return start(store=getattr(request, "param", "rdflib"))


#: the protocol, dataset and format tests run on every store backend, with the same answers,
#: the remote triplestores (real servers on loopback, the seed build pushed) included
each_store = pytest.mark.parametrize("server", BACKENDS + REMOTE_STORES, indirect=True)


def get(server: Server, **params: str) -> requests.Response:
    headers = {"Accept": params.pop("accept")} if "accept" in params else {}
    return requests.get(server.sparql, params=params, headers=headers, timeout=30)


def people_in(response: requests.Response) -> set[str]:
    rows = JSONResultParser().parse(io.BytesIO(response.content))
    return {str(row["p"]) for row in rows}


# -- the three protocol forms ------------------------------------------------------------

@each_store
def test_get_with_query(server):
    response = get(server, query=PEOPLE)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert people_in(response) == FOUR_PEOPLE


def test_json_answers_are_compact_json(server):
    """(indented, Python writes JSON with its slow encoder: 10,000 rows of four terms took
    0.16 s and 4.3 MB, 0.04 s and 3.2 MB compact)"""
    for response in (get(server, query=PEOPLE),
                     requests.get(server.url + "api/queries/cq02-signatories", timeout=30)):
        assert response.status_code == 200
        assert b"\n" not in response.content.strip() and b'":"' in response.content
        assert response.json()


@each_store
def test_post_form_encoded(server):
    response = requests.post(server.sparql, data={"query": PEOPLE}, timeout=30)
    assert response.status_code == 200 and people_in(response) == FOUR_PEOPLE


@each_store
def test_post_sparql_query_body(server):
    response = requests.post(server.sparql, data=PEOPLE.encode(), timeout=30,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200 and people_in(response) == FOUR_PEOPLE


def test_post_of_another_media_type_is_415(server):
    response = requests.post(server.sparql, data=PEOPLE.encode(), timeout=30,
                             headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


@pytest.mark.parametrize("how", ["twice in the URL", "URL and form", "URL and body"])
def test_two_queries_in_one_request_is_400(server, how):
    """Whichever of two queries were answered, the other was silently dropped."""
    if how == "twice in the URL":
        response = requests.get(server.sparql, params=[("query", PEOPLE), ("query", PEOPLE)],
                                timeout=30)
    elif how == "URL and form":
        response = requests.post(server.sparql, params={"query": "ASK {}"},
                                 data={"query": PEOPLE}, timeout=30)
    else:
        response = requests.post(server.sparql, params={"query": "ASK {}"},
                                 data=PEOPLE.encode(), timeout=30,
                                 headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert response.text.startswith("give exactly one query, not 2")


@each_store
def test_a_form_post_takes_the_dataset_from_the_url_too(server):
    """A form POST whose default-graph-uri sits in the URL (as for a GET) is answered over
    that graph, not over the whole union."""
    query = "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?name }"
    response = requests.post(server.sparql, params={"default-graph-uri": ENTITIES},
                             data={"query": query}, timeout=30,
                             headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert list(JSONResultParser().parse(io.BytesIO(response.content))) == []


# -- the dataset: the store's own graphs only ---------------------------------------------

@each_store
def test_default_graph_uri_selects_among_the_datasets_graphs(server):
    query = "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?name }"
    only_first = get(server, query=query, **{"default-graph-uri": FIRST})
    rows = list(JSONResultParser().parse(io.BytesIO(only_first.content)))
    assert {str(r["s"]) for r in rows} == {KGR + "salim-al-malik"}
    entities = get(server, query=query, **{"default-graph-uri": ENTITIES})
    assert list(JSONResultParser().parse(io.BytesIO(entities.content))) == []


@each_store
def test_named_graph_uri_selects_the_named_graphs(server):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = get(server, query=query, **{"named-graph-uri": FIRST})
    rows = list(JSONResultParser().parse(io.BytesIO(response.content)))
    assert [str(r["g"]) for r in rows] == [FIRST]


@each_store
def test_an_unknown_graph_is_400_and_never_fetched(server):
    response = get(server, query=PEOPLE, **{"default-graph-uri": "http://example.org/g"})
    assert response.status_code == 400
    assert "not a graph of this dataset" in response.text


@each_store
def test_from_one_of_the_datasets_graphs_is_honoured(server):
    query = f"SELECT ?name FROM <{FIRST}> WHERE {{ ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?name }}"
    response = get(server, query=query, format="csv")
    assert response.text.splitlines()[1:] == ["Salim bin Mohammed Almalik"]


# -- content negotiation --------------------------------------------------------------

@pytest.mark.parametrize("accept, media_type", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/tab-separated-values;q=0.9, text/csv;q=0.1", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
])
@each_store
def test_select_results_in_each_media_type_honouring_q_values(server, accept, media_type):
    response = get(server, query=PEOPLE, accept=accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    body = response.content
    if media_type.endswith("json"):
        rows = [str(r["p"]) for r in JSONResultParser().parse(io.BytesIO(body))]
    elif media_type.endswith("xml"):
        rows = [str(r["p"]) for r in XMLResultParser().parse(io.BytesIO(body))]
    elif media_type == "text/csv":
        rows = [r["p"] for r in csv.DictReader(io.StringIO(body.decode()))]
    else:
        rows = [str(r["p"]) for r in TSVResultParser().parse(io.StringIO(body.decode()))]
    assert set(rows) == FOUR_PEOPLE


@each_store
def test_ask_in_json_and_xml(server):
    query = "ASK { <https://w3id.org/kg/id/icesco> a <https://w3id.org/kg/ontology#Organization> }"
    assert json.loads(get(server, query=query).content)["boolean"] is True
    xml = get(server, query=query, accept="application/sparql-results+xml")
    assert XMLResultParser().parse(io.BytesIO(xml.content)).askAnswer is True


@pytest.mark.parametrize("accept, media_type, rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", None),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/n-quads", "application/n-quads", None),
    ("application/trig", "application/trig", None),
    ("application/n-triples;q=0.2, text/turtle;q=0.8", "text/turtle", "turtle"),
])
@each_store
def test_construct_and_describe_in_each_rdf_media_type(server, accept, media_type,
                                                       rdflib_format):
    import pyoxigraph as ox

    for query in ("DESCRIBE <https://w3id.org/kg/id/icesco>",
                  "CONSTRUCT WHERE { <https://w3id.org/kg/id/icesco> ?p ?o }"):
        response = get(server, query=query, accept=accept)
        assert response.status_code == 200
        assert response.headers["Content-Type"].split(";")[0] == media_type
        if rdflib_format:
            graph = Graph().parse(data=response.text, format=rdflib_format)
            triples = len(graph)
            assert (URIRef(KGR + "icesco"), None, None) in graph
        else:  # rdflib's dataset parsers warn about their own internals; oxigraph reads them
            formats = {"application/ld+json": ox.RdfFormat.JSON_LD,
                       "application/n-quads": ox.RdfFormat.N_QUADS,
                       "application/trig": ox.RdfFormat.TRIG}
            triples = len(list(ox.parse(response.content, format=formats[media_type])))
        assert triples > 5


def test_406_lists_what_is_offered(server):
    response = get(server, query=PEOPLE, accept="image/png")
    assert response.status_code == 406
    for media_type in ("application/sparql-results+json", "application/sparql-results+xml",
                       "text/csv", "text/tab-separated-values"):
        assert media_type in response.text
    assert response.text.startswith("a SELECT result is not offered as Accept: image/png")
    construct = get(server, query="CONSTRUCT WHERE { ?s a ?o }", accept="text/csv")
    assert construct.status_code == 406 and "text/turtle" in construct.text
    ask = get(server, query="ASK {}", accept="image/png")
    assert ask.status_code == 406 and ask.text.startswith("an ASK result is not offered")


def test_the_format_parameter_overrides_accept(server):
    response = get(server, query=PEOPLE, format="csv", accept="application/sparql-results+json")
    assert response.headers["Content-Type"].startswith("text/csv")
    turtle = get(server, query="DESCRIBE <https://w3id.org/kg/id/icesco>", format="turtle")
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    assert get(server, query=PEOPLE, format="turtle").status_code == 406


@pytest.mark.parametrize("query", [PEOPLE, "CONSTRUCT WHERE { ?s a ?o }"])
def test_a_refused_format_lists_only_formats_this_route_serves(query):
    server = start()
    refused = get(server, query=query, format="yaml")
    assert refused.status_code == 406
    listed = refused.text.split("it is one of ", 1)[1].split(";")[0].strip().split(", ")
    assert "table" not in listed and len(listed) >= 4
    for name in listed:  # each one offered is served
        assert get(server, query=query, format=name).status_code == 200, name


@each_store
def test_literals_keep_their_datatype_and_language(server):
    query = ("SELECT ?date ?label WHERE { <https://w3id.org/kg/id/cop29> "
             "<https://w3id.org/kg/ontology#date> ?date ; "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    row = next(iter(JSONResultParser().parse(io.BytesIO(get(server, query=query).content))))
    assert row["date"] == Literal("2024-11", datatype=XSD.gYearMonth)
    assert row["label"] == Literal("COP29", lang="en")


# -- service description and the query page -------------------------------------------

@each_store
def test_rdf_without_a_query_is_the_service_description(server):
    response = get(server, accept="text/turtle")
    assert response.status_code == 200
    description = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(server.sparql)
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in description
    names = set(description.objects(None, URIRef(sd + "name")))
    assert {URIRef(FIRST), URIRef(ENTITIES)} <= names
    formats = set(description.objects(endpoint, URIRef(sd + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats


def test_curl_without_accept_gets_the_service_description_in_turtle(server):
    response = requests.get(server.sparql, headers={"Accept": "*/*"}, timeout=30)
    assert response.headers["Content-Type"].startswith("text/turtle")


def test_a_browser_gets_the_query_page_with_yasgui_from_the_package(server):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for url in (server.sparql, server.url + "query"):
        response = requests.get(url, headers={"Accept": browser}, timeout=30)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/html")
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "cq01-agreements-between" in response.text  # named queries offered
        assert "http://" not in response.text.replace(server.url, "").split("<body")[0]
    for asset in ("static/yasgui/yasgui.min.js", "static/yasgui/yasgui.min.css",
                  "static/kg-query.js", "static/yasgui/LICENSE"):
        assert requests.get(server.url + asset, timeout=30).status_code == 200, asset


def test_a_browser_gets_the_explorer_at_the_root_with_its_libraries_from_the_package(server):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = requests.get(server.url, headers={"Accept": browser}, timeout=30)
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert 'href="/query"' in response.text
    assert "http://" not in response.text.replace(server.url, "")
    for asset in ("cytoscape/cytoscape.min.js", "cytoscape/LICENSE", "layout-base/LICENSE",
                  "cose-base/cose-base.js", "cytoscape-fcose/cytoscape-fcose.js", "README.md"):
        url = server.url + "static/vendor/" + asset
        assert requests.get(url, timeout=30).status_code == 200, asset


# -- read-only, and nothing fetched -----------------------------------------------------

def count(server: Server) -> int:
    response = get(server, query="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                   format="csv")
    return int(response.text.splitlines()[1])


@pytest.mark.parametrize("how", ["query", "update", "form-update", "body"])
def test_updates_are_refused_in_every_form_and_change_nothing(server, how):
    before = count(server)
    update = "DELETE WHERE { ?s ?p ?o }"
    if how == "query":
        response = get(server, query=update)
    elif how == "update":
        response = requests.get(server.sparql, params={"update": update}, timeout=30)
    elif how == "form-update":
        response = requests.post(server.sparql, data={"update": update}, timeout=30)
    else:
        response = requests.post(server.sparql, data=update.encode(), timeout=30,
                                 headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 400
    assert "read-only" in response.text
    assert count(server) == before


class Listener(LoopbackServer):
    """A loopback HTTP server that records every request it receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        recorded = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                recorded.append(f"{self.command} {self.path}")
                body = (b'{"@context": "http://127.0.0.1:%d/context.jsonld", "@id": "urn:x"}'
                        % self.server.server_address[1])
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _record

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(Handler)
        self.url = self.origin


@pytest.fixture
def listener() -> Iterator[Listener]:
    spy = Listener()
    yield spy
    spy.close()


def test_the_listener_does_hear_rdflib_when_nothing_guards_it(listener):
    """The threat is real: plain rdflib calls a SERVICE, fetches a FROM graph and a JSON-LD
    @context."""
    import warnings

    from rdflib import Dataset

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib's own deprecation notices
        for query in (f"SELECT * WHERE {{ SERVICE <{listener.url}/service> {{ ?s ?p ?o }} }}",
                      f"SELECT * FROM <{listener.url}/from.jsonld> WHERE {{ ?s ?p ?o }}"):
            with contextlib.suppress(Exception):  # what counts is that it asked, not its answer
                list(Dataset().query(query))
        with contextlib.suppress(Exception):
            Graph().parse(data=f'{{"@context": "{listener.url}/context.jsonld", '
                               '"@id": "urn:x"}', format="json-ld")
    assert any(r.startswith("POST /service") for r in listener.requests)
    assert any(r.startswith("GET /from.jsonld") for r in listener.requests)
    assert any(r.startswith("GET /context.jsonld") for r in listener.requests)


@pytest.mark.parametrize("server", ["rdflib", *REMOTE_STORES], indirect=True)
def test_no_request_leaves_the_server_on_a_users_behalf(server, listener):
    there = listener.url
    attacks = [
        {"query": f"SELECT * WHERE {{ SERVICE <{there}/sparql> {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * WHERE {{ SERVICE SILENT <{there}/sparql> {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * FROM <{there}/from.ttl> WHERE {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{there}/named.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * FROM <{there}/doc.jsonld> WHERE {{ ?s ?p ?o }}"},
        {"query": f"LOAD <{there}/load.ttl>"},
        {"update": f"LOAD <{there}/load.ttl>"},
        {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": f"{there}/d.ttl"},
        {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "named-graph-uri": f"{there}/n.ttl"},
        {"query": f"DESCRIBE <{there}/thing>"},
    ]
    for params in attacks:
        response = requests.post(server.sparql, data=params, timeout=30)
        assert response.status_code in (200, 400), params
    body = requests.post(server.sparql, data=f"LOAD <{there}/load.ttl>".encode(), timeout=30,
                         headers={"Content-Type": "application/sparql-update"})
    assert body.status_code == 400
    api = requests.get(server.url + "api/queries/entity", params={"entity": f"{there}/x"},
                       timeout=30)
    assert api.status_code == 200
    cli = subprocess.run(kg_command("query", "--sparql",
                                    f"SELECT * WHERE {{ SERVICE <{there}/cli> {{ ?s ?p ?o }} }}"),
                         env=environment(), capture_output=True, text=True, timeout=60,
                         check=False)
    assert cli.returncode == 2 and "SERVICE is refused" in cli.stderr
    time.sleep(0.2)
    assert listener.requests == []


# -- errors ------------------------------------------------------------------------------

@each_store
def test_malformed_sparql_is_400_with_the_parsers_message_and_position(server):
    response = get(server, query="SELECT ?s\nWHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "SPARQL syntax error: line 2, column" in response.text


@pytest.mark.parametrize("query", ["SELECT", "(((((((", "SELECT * WHERE { ?s nope:p ?o }",
                                   "SELECT ?x WHERE { BIND(<urn:f>(1) AS ?x) }", "\x00",
                                   "SELECT * WHERE { ?s ?p ?o } ORDER BY (1/0)"])
def test_no_python_traceback_in_any_response(server, query):
    response = get(server, query=query)
    assert response.status_code < 500 or response.status_code == 503
    assert "Traceback" not in response.text and 'File "' not in response.text


def test_a_request_body_over_the_cap_is_413(server):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (LIMITS["max_body"] + 10)
    direct = requests.post(server.sparql, data=big.encode(), timeout=30,
                           headers={"Content-Type": "application/sparql-query"})
    form = requests.post(server.sparql, data={"query": big}, timeout=30)
    assert direct.status_code == 413 and form.status_code == 413


@each_store
def test_a_result_over_the_row_cap_is_refused_with_a_clear_message(server):
    response = get(server, query="SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 400
    assert f"more than {LIMITS['max_rows']} rows" in response.text
    small = get(server, query="SELECT * WHERE { ?s ?p ?o } LIMIT 10", format="csv")
    assert len(small.text.splitlines()) == 11


# -- bounded: a runaway query neither hangs the server nor keeps a core ------------------

def test_a_runaway_query_times_out_and_the_server_answers_right_after(server):
    workers = descendants(server.pid)
    started = time.monotonic()
    response = get(server, query=RUNAWAY)
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert "time limit" in response.text
    assert LIMITS["timeout"] <= elapsed < LIMITS["timeout"] + 2
    assert get(server, query=PEOPLE).status_code == 200  # answered at once
    time.sleep(0.5)
    after = descendants(server.pid)
    assert zombies(after) == [] and len(after) == len(workers)  # replaced, none left over
    assert settles(server)  # and, once its replacement has warmed up, nothing eats a core


def test_runaway_queries_in_parallel_do_not_block_other_requests(server):
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runaways = [pool.submit(get, server, query=RUNAWAY) for _ in range(2)]
        time.sleep(0.3)
        started = time.monotonic()
        health = requests.get(server.url + "-/health", timeout=30)
        assert health.status_code == 200 and time.monotonic() - started < 1
        assert [f.result().status_code for f in runaways] == [503, 503]
    assert zombies(descendants(server.pid)) == []


# -- real clients ---------------------------------------------------------------------------

@each_store
def test_sparqlwrapper_json_and_xml(server):
    client = SPARQLWrapper(server.sparql)
    client.setQuery(PEOPLE)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert {r["p"]["value"] for r in rows} == FOUR_PEOPLE
    client.setReturnFormat(XML)
    document = client.query().convert()
    assert {node.firstChild.data for node in document.getElementsByTagName("uri")} == FOUR_PEOPLE
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    assert len(client.query().convert()["results"]["bindings"]) == 4


@each_store
def test_rdflib_sparqlstore_select_ask_construct(server):
    store = SPARQLStore(server.sparql, returnFormat="xml")
    rows = list(store.query(PEOPLE))
    assert {str(row[0]) for row in rows} == FOUR_PEOPLE
    assert store.query("ASK { ?s a <https://w3id.org/kg/ontology#Person> }").askAnswer is True
    graph = store.query("CONSTRUCT WHERE { ?p a <https://w3id.org/kg/ontology#Person> }").graph
    assert len(graph) == 4
    json_store = SPARQLStore(server.sparql, returnFormat="json")
    assert {str(row[0]) for row in json_store.query(PEOPLE)} == FOUR_PEOPLE


# -- headers ------------------------------------------------------------------------------

def test_security_and_cors_headers(server):
    response = get(server, query=PEOPLE)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(server.sparql, timeout=30, headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert requests.put(server.sparql, data="x", timeout=30).status_code == 405
