"""The analysis routes: validated parameters, 404 with matches, OpenAPI 3.1, schemas."""

from __future__ import annotations

import jsonschema
import pytest
import requests
from openapi_spec_validator import validate

import kg
from kg.web import create_app
from kg.web.openapi import SCHEMAS, document

from . import kgserver

KGR = "https://w3id.org/kg/id/"


@pytest.fixture(scope="module")
def client(graph):
    app = create_app({"GRAPH": graph, "WORKERS": 1})
    yield app.test_client()
    app.extensions["kg"].close()


def check(body, schema: str) -> None:
    resolver_doc = {"components": {"schemas": SCHEMAS}, **SCHEMAS[schema]}
    jsonschema.validate(body, resolver_doc)


def test_the_openapi_document_is_valid_and_covers_every_route(client) -> None:
    doc = client.get("/api/openapi.json").json
    validate(doc)
    for route in ("/api/queries", "/api/queries/{name}", "/sparql", "/api/entities",
                  "/api/entities/{name}", "/api/neighbors", "/api/paths", "/api/centrality",
                  "/api/communities", "/api/timeline", "/api/graph", "/api/export",
                  "/api/sources", "/api/sources/{name}"):
        assert route in doc["paths"]
    validate(document())


def test_an_empty_choice_is_documented_and_answered_as_not_given(client) -> None:
    """A form's empty field sends ``kind=``: the server takes the default, so the document
    lists the empty value among each optional choice (else a client checking requests
    against it, schemathesis among them, counts the answer as accepting bad data)."""
    doc = client.get("/api/openapi.json").json
    choices = [(path, param["name"], param["schema"]["enum"])
               for path, item in doc["paths"].items() for operation in item.values()
               for param in operation.get("parameters", [])
               if "enum" in param["schema"] and not param["required"]]
    assert {name for _, name, _ in choices} >= {"view", "by", "kind", "engine", "part",
                                                 "format"}
    assert all("" in values for _, _, values in choices), choices
    assert (client.get("/api/communities?kind=&engine=&view=").json
            == client.get("/api/communities").json)
    assert (client.get("/api/centrality?by=&engine=").json
            == client.get("/api/centrality").json)


def test_an_empty_number_or_flag_is_documented_and_answered_as_not_given(client) -> None:
    """The same for a number or a flag (``limit=``, ``shortest=``): the document allows the
    empty string beside the number, and nothing else that is not one."""
    doc = client.get("/api/openapi.json").json
    schemas = {(path, param["name"]): param["schema"]
               for path, item in doc["paths"].items() for operation in item.values()
               for param in operation.get("parameters", [])
               if "integer" in param["schema"].get("type", [])
               or "boolean" in param["schema"].get("type", [])}
    assert {name for _, name in schemas} >= {"limit", "radius", "max_hops", "shortest"}
    for schema in schemas.values():
        jsonschema.validate("", schema)
        for wrong in ("x", "-1", "1.5"):
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(wrong, schema)
    paths = "/api/paths?from=Leyla%20Aliyeva&to=ICESCO"
    assert (client.get(paths + "&max_hops=&limit=&shortest=").json
            == client.get(paths).json)
    assert client.get("/api/centrality?limit=").json == client.get("/api/centrality").json
    assert (client.get("/api/neighbors?entity=ICESCO&radius=").json
            == client.get("/api/neighbors?entity=ICESCO").json)
    assert client.get("/api/centrality?limit=x").status_code == 400


def test_cq4_search(client) -> None:
    body = client.get("/api/entities?q=Al%20Malik").json
    check(body, "Matches")
    assert body["results"][0]["iri"] == KGR + "salim-al-malik"


def test_cq8_paths(client) -> None:
    body = client.get("/api/paths?from=Leyla%20Aliyeva&to=Burkina%20Faso").json
    check(body, "Paths")
    assert [h["target_label"] for h in body["paths"][0]["hops"]][-1] == "Burkina Faso"
    assert body["paths"][0]["length"] == 4
    assert (body["max_hops"], body["fewest_hops"]) == (4, 4)


def test_no_path_within_max_hops_says_how_far_the_shortest_connection_is(client) -> None:
    far = client.get("/api/paths?from=Burkina%20Faso&to=Environmental%20projects%20of%20IDEA"
                     "&max_hops=5").json
    check(far, "Paths")
    assert far["paths"] == [] and (far["max_hops"], far["fewest_hops"]) == (5, 6)
    apart = client.get("/api/paths?from=Trend&to=ICESCO").json
    check(apart, "Paths")
    assert apart["paths"] == [] and apart["fewest_hops"] is None


def test_cq9_timeline(client) -> None:
    body = client.get("/api/timeline?start=2024-10&end=2024-10").json
    check(body, "Table")
    assert body["rows"][-1]["date"] == "2024-10-15"


def test_the_timeline_by_year_is_the_python_one(client, graph) -> None:
    body = client.get("/api/timeline?years=true&type=Person").json
    check(body, "Table")
    assert body == kg.timeline(graph=graph, years=True, node_types=["Person"]).to_json()
    bad = client.get("/api/timeline?years=maybe")
    assert bad.status_code == 400 and "years must be true or false" in \
        bad.json["error"]["message"]


def test_entity_facts_by_source(client) -> None:
    body = client.get("/api/entities/salim-al-malik").json
    check(body, "EntityFacts")
    assert len(body["sources"]) == 2
    assert all(source["facts"] for source in body["sources"])


def test_an_entitys_facts_are_found_by_its_iri_too_slashes_written_or_encoded(client) -> None:
    by_slug = client.get("/api/entities/salim-al-malik").json
    iri = KGR + "salim-al-malik"
    assert client.get(f"/api/entities/{iri}").json == by_slug
    assert client.get(f"/api/entities/{requests.utils.quote(iri, safe='')}").json == by_slug
    unknown = client.get(f"/api/entities/{KGR}nobody")
    assert unknown.status_code == 404 and unknown.json["error"]["type"] == "UnknownEntity"


@pytest.mark.parametrize("url, schema", [
    ("/api/neighbors?entity=kgr:icesco&radius=2", "Neighbourhood"),
    ("/api/centrality?by=pagerank", "Table"),
    ("/api/communities?kind=brokers", "Table"),
    ("/api/graph?reported_by=2024-06-01", "CytoscapeElements"),
    ("/api/graph?top=3", "CytoscapeElements"),
    ("/api/export?format=cytoscape", "CytoscapeElements"),
    ("/api/sources", "Articles"),
    ("/api/sources/000_b2925a6198033b1b", "Article"),
])
def test_each_route_answers_to_its_schema(client, url, schema) -> None:
    response = client.get(url)
    assert response.status_code == 200
    check(response.json, schema)


@pytest.mark.parametrize("url, name", [
    ("/api/neighbors?entity=icesco&radius=9", "radius"),
    ("/api/paths?from=icesco", "to"),
    ("/api/paths?from=icesco&to=rabat&max_hops=x", "max_hops"),
    ("/api/centrality?as_of=2005-13", "as_of"),
    ("/api/centrality?view=nope", "view"),
    ("/api/export?format=pdf", "format"),
    ("/api/communities?via=icesco", "via"),
    ("/api/sources?limit=0", "limit"),
    ("/api/sources?limit=1001", "limit"),
    ("/api/sources?offset=-1", "offset"),
    ("/api/sources?offset=x", "offset"),
    ("/api/sources?q=a&q=b", "q"),
    ("/api/communities?limit=0", "limit"),
    ("/api/communities?limit=1001", "limit"),
    ("/api/communities?members=0", "members"),
    ("/api/communities?members=10001", "members"),
    ("/api/communities?kind=brokers&members=5", "members"),
    ("/api/timeline?limit=x", "limit"),
    ("/api/graph?top=0", "top"),
    ("/api/graph?top=5001", "top"),
    ("/api/graph?overview=0", "overview"),
    ("/api/export?format=csv&top=x", "top"),
])
def test_bad_parameters_are_400_naming_them(client, url, name) -> None:
    response = client.get(url)
    assert response.status_code == 400
    check(response.json, "Error")
    assert name in response.json["error"]["message"]


@pytest.mark.parametrize("url, name, hint", [
    ("/api/paths?from=icesco&to=rabat&asof=2007", "asof", "did you mean 'as_of'?"),
    ("/api/neighbors?entity=icesco&max-hops=2", "max-hops", "its parameters: entity, radius"),
    ("/api/centrality?measure=pagerank", "measure", "its parameters: by, limit"),
    ("/api/entities/icesco?as_of=2007", "as_of", "its parameters: reported_by, source"),
    ("/api/sources?view=full", "view", "its parameters: q, limit, offset"),
    ("/api/queries?view=full", "view", "it takes no parameter"),
])
def test_a_parameter_the_route_does_not_take_is_400_naming_it(client, url, name,
                                                              hint) -> None:
    """A misspelt or misplaced parameter would change nothing, silently (``asof`` answered
    for every date), so it is refused like a bad value; what a route takes is what the
    OpenAPI document lists for it."""
    response = client.get(url)
    assert response.status_code == 400
    check(response.json, "Error")
    message = response.json["error"]["message"]
    assert f"unknown parameter {name!r} for {url.split('?')[0]}" in message
    assert hint in message


def test_every_parameter_the_document_lists_is_taken(client) -> None:
    """The other way round: each route takes, empty, each parameter it documents."""
    doc = client.get("/api/openapi.json").json
    for path in ("/api/entities", "/api/neighbors", "/api/paths", "/api/centrality",
                 "/api/communities", "/api/timeline", "/api/graph", "/api/export"):
        names = [p["name"] for p in doc["paths"][path]["get"]["parameters"]]
        filled = {"q": "icesco", "entity": "icesco", "from": "icesco", "to": "rabat",
                  "format": "csv"}
        query = "&".join(f"{n}={filled.get(n, '')}" for n in names)
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, response.json)


def test_an_unknown_entity_is_404_with_the_nearest_matches(client) -> None:
    response = client.get("/api/neighbors?entity=Al%20Malik")
    assert response.status_code == 404
    check(response.json, "Error")
    assert response.json["error"]["candidates"][0]["iri"] == KGR + "salim-al-malik"


def test_the_real_server_answers_cq8_and_serves_the_document() -> None:
    server = kgserver.start()
    for _ in range(3):  # a worker's first analysis reads the graph once
        response = requests.get(server.url + "api/paths",
                                params={"from": "Leyla Aliyeva", "to": "Burkina Faso"},
                                timeout=30)
        if response.status_code != 503:
            break
    assert response.status_code == 200
    check(response.json(), "Paths")
    validate(requests.get(server.url + "api/openapi.json", timeout=30).json())


#: CQ9: what happened in October 2024, every dated item, in date order
CQ9_OCTOBER = [
    ("2024-10-14", "agreement-2024-10-14-haf-icesco"),
    ("2024-10-14", "meeting-2024-10-14-rabat"),
    ("2024-10-14", "memorial-book-entry-2024-10-14-leyla-aliyeva"),
    ("2024-10-14", "signature-2024-10-14-haf"),
    ("2024-10-14", "signature-2024-10-14-icesco"),
    ("2024-10-14", "visit-2024-10-14-icesco-headquarters"),
    ("2024-10-14", "visit-2024-10-14-museum"),
    ("2024-10-15", "001_9e02c3f3c2711bf1"),
]


def test_cq4_exactly_over_http_one_person_two_reported_names_every_spelling_finds_him(
        client) -> None:
    facts = client.get("/api/entities/salim-al-malik").json
    assert {(a["label"], a["source"].rsplit("/", 1)[-1])
            for a in facts["entity"]["alt_labels"]} == {
        ("Salim bin Mohammed Almalik", "000_b2925a6198033b1b"),
        ("Salim bin Mohammed al-Malik", "001_9e02c3f3c2711bf1")}
    for spelling in ("Al Malik", "almalik", "al-Malik", "Salim bin Mohammed Almalik"):
        found = client.get("/api/entities", query_string={"q": spelling}).json
        assert found["results"][0]["iri"] == KGR + "salim-al-malik", spelling


def test_cq9_exactly_over_http_october_2024_in_date_order(client) -> None:
    rows = client.get("/api/timeline?start=2024-10&end=2024-10").json["rows"]
    assert sorted((r["date"], r["item"].rsplit("/", 1)[-1]) for r in rows) == CQ9_OCTOBER
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert {r["precision"] for r in rows} == {"day"}


@pytest.mark.parametrize("url, command", [
    ("/api/export?format=gexf", "kg export --format gexf"),
    ("/api/graph?view=full&as_of=2006", "kg export --format cytoscape --view full --as-of 2006"),
    ("/api/centrality?view=full&type=Person&type=Place",
     "kg centrality --by betweenness --view full --type Person --type Place"),
    ("/api/entities?q=Al Malik&reported_by=2024-06", "kg search 'Al Malik' --reported-by 2024-06"),
    ("/api/neighbors?entity=icesco&radius=2", "kg neighbors icesco --radius 2"),
    ("/api/neighbors?entity=icesco&radius=0", "kg neighbors icesco --radius 0"),
    ("/api/paths?from=Leyla Aliyeva&to=burkina-faso&source=000_b2925a6198033b1b",
     "kg path 'Leyla Aliyeva' burkina-faso --max-hops 4 --source 000_b2925a6198033b1b"),
    ("/api/communities?kind=coaffiliation&via=icesco",
     "kg communities --kind coaffiliation --via icesco"),
    ("/api/timeline?years=true&start=2006", "kg timeline --start 2006 --years"),
])
def test_an_analysis_past_the_time_limit_names_the_command_that_takes_the_time_it_needs(
        graph, url, command) -> None:
    """On a large graph (10,000 articles) some analyses take longer than a request may:
    the 503 gives the command doing the same on the server's data, filters included, which
    the command line then takes as it is."""
    import shlex

    from kg.cli import cli
    from kg.errors import QueryTimeout

    app = create_app({"GRAPH": graph, "WORKERS": 1})
    service = app.extensions["kg"]

    def too_slow(job, *args):  # what the pool raises when the job passes the limit
        raise QueryTimeout("the query ran longer than 10 seconds, the time limit, and was "
                           "stopped")

    service.run = too_slow
    try:
        answer = app.test_client().get(url)
        assert answer.status_code == 503 and answer.headers["Retry-After"]
        message = answer.json["error"]["message"]
        assert f"`{command} --timeout SECONDS` takes the time it needs" in message
        words = shlex.split(command)[1:] + ["--timeout", "60"]
        name, rest = words[0], words[1:]
        cli.commands[name].make_context(name, rest)  # the command line takes it
    finally:
        service.close()


def test_a_source_is_found_by_its_id_curie_or_iri_slashes_written_or_encoded(client) -> None:
    by_id = client.get("/api/sources/000_b2925a6198033b1b").json
    iri = "https://w3id.org/kg/source/000_b2925a6198033b1b"
    for name in ("src:000_b2925a6198033b1b", iri, requests.utils.quote(iri, safe="")):
        assert client.get(f"/api/sources/{name}").json == by_id, name


def test_an_unknown_source_names_the_nearest_few_articles_not_every_one(client) -> None:
    unknown = client.get("/api/sources/000_b2925a6198033b1c")
    assert unknown.status_code == 404
    error = unknown.json["error"]
    assert error["message"].startswith("'000_b2925a6198033b1c' is not a source article of "
                                       "the graph (2 articles); the nearest: ")
    assert error["candidates"][0]["iri"].endswith("000_b2925a6198033b1b")
    assert len(error["candidates"]) <= 5
    bad = client.get("/api/centrality?source=000_b2925a6198033b1c")
    assert bad.status_code == 400
    assert bad.json["error"]["message"].startswith(
        "source: '000_b2925a6198033b1c' is not a source article of the graph (2 articles); "
        "the nearest: ")


def test_the_graph_and_its_export_keep_the_most_connected_with_top(client) -> None:
    whole = client.get("/api/graph").json["elements"]
    drawn = client.get("/api/graph?top=3").json
    assert drawn["top"] == {"nodes": 3, "of": len(whole["nodes"])}
    kept = {n["data"]["id"] for n in drawn["elements"]["nodes"]}
    assert len(kept) == 3 and KGR + "icesco" in kept
    assert all(e["data"]["source"] in kept and e["data"]["target"] in kept
               for e in drawn["elements"]["edges"])
    assert "top" not in client.get("/api/graph").json  # said only when asked for
    nodes = client.get("/api/export?format=csv&part=nodes&top=3").text.splitlines()
    assert {line.split(",", 1)[0] for line in nodes[1:]} == kept


def test_an_overview_is_the_whole_graph_when_it_fits_else_its_most_connected(graph,
                                                                            client) -> None:
    """What the explorer opens on, in one request (it asked for the whole graph first: a
    400 in the browser's console at every load of a large graph, then for top)."""
    whole = client.get("/api/graph").json
    fits = client.get("/api/graph?overview=3").json
    check(fits, "CytoscapeElements")
    assert fits == whole and "too_large" not in fits
    app = create_app({"GRAPH": graph, "WORKERS": 1, "MAX_ELEMENTS": 20})
    try:
        small = app.test_client()
        refused = small.get("/api/graph").json["error"]["message"]
        cut = small.get("/api/graph?overview=100").json
        check(cut, "CytoscapeElements")
        assert cut["too_large"] == refused
        assert cut["top"] == small.get("/api/graph?top=100").json["top"]
        assert 1 < cut["top"]["nodes"] < cut["top"]["of"] == len(whole["elements"]["nodes"])
        assert cut["elements"] == small.get("/api/graph?top=100").json["elements"]
        full = small.get("/api/graph?overview=100&view=full").json  # refused before it is
        assert full["elements"] == {"nodes": [], "edges": []} and "top" not in full  # built
        assert full["too_large"].startswith("the graph has at least ")
        both = small.get("/api/graph?overview=100&top=5")
        assert both.status_code == 400 and "not both" in both.json["error"]["message"]
    finally:
        app.extensions["kg"].close()
