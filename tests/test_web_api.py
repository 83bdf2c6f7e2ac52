"""``/api`` and ``/-/``: named queries as JSON (or CSV), one URL each; system routes.

Through the real server, with plain HTTP; and the application factory on its own.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import requests

import kg
from kg.queries import queries
from kg.web import create_app

from .kgserver import LIMITS, ROOMY, Server, start

HAF = "https://w3id.org/kg/id/heydar-aliyev-foundation"


@pytest.fixture(scope="session")
def server() -> Server:
    return start()


def api(server: Server, path: str, **params: str | list[str]) -> requests.Response:
    headers = {"Accept": str(params.pop("accept"))} if "accept" in params else {}
    return requests.get(server.url + "api/" + path, params=params, headers=headers, timeout=30)


def test_the_catalogue_lists_every_named_query_with_its_parameters(server):
    response = api(server, "queries")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    listed = response.json()["queries"]
    assert [q["name"] for q in listed] == [q.name for q in queries()]
    cq1 = listed[[q["name"] for q in listed].index("cq01-agreements-between")]
    assert cq1["title"].startswith("Agreements between two organizations")
    assert cq1["params"][0] == {"name": "first", "type": "iri",
                                "description": "One party to the agreements",
                                "example": "kgr:heydar-aliyev-foundation", "required": False,
                                "default": "kgr:heydar-aliyev-foundation"}
    assert cq1["url"] == server.url + "api/queries/cq01-agreements-between"


def test_running_a_named_query_gives_its_rows_as_json(server):
    response = api(server, "queries/cq03-posts-at-organization")
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "cq03-posts-at-organization"
    assert body["params"] == {"organization": HAF}
    assert body["count"] == 3
    assert {(r["personLabel"], r["roleLabel"]) for r in body["rows"]} == {
        ("Mehriban Aliyeva", "President"), ("Leyla Aliyeva", "Vice President"),
        ("Anar Alakbarov", "Executive Director")}


def test_parameters_come_from_the_query_string(server):
    body = api(server, "queries/people-of-organization", organization="kgr:icesco").json()
    assert {r["personLabel"] for r in body["rows"]} == {"Salim bin Mohammed Al-Malik"}
    dates = api(server, "queries/events-between", start="2024-10-14", end="2024-10-14").json()
    assert {r["date"] for r in dates["rows"]} == {"2024-10-14"}  # dates as ISO text


def test_post_form_parameters_work_too():
    # the form is under test, not the time limit: a first search parses its text, which
    # took longer than the small limit once with the cores shared (a 503, no rows)
    server = start(timeout=ROOMY)
    response = requests.post(server.url + "api/queries/search", data={"text": "al-malik"},
                             timeout=30)
    assert response.status_code == 200, response.text[:3000]
    assert response.json()["rows"][0]["entity"] == "https://w3id.org/kg/id/salim-al-malik"


def test_a_post_reads_the_urls_parameters_too(server):
    """Beside the form: the URL's format= and parameters were ignored (JSON came back)."""
    response = requests.post(server.url + "api/queries/people-of-organization?format=csv",
                             data={"organization": "kgr:icesco"}, timeout=30)
    assert response.status_code == 200, response.text[:3000]
    assert response.headers["Content-Type"].startswith("text/csv")
    both = requests.post(server.url + "api/queries/people-of-organization"
                         "?organization=kgr:icesco", data={"organization": "kgr:idea"},
                         timeout=30)
    assert both.status_code == 400
    assert both.json()["error"] == {"status": 400, "type": "ParameterError",
                                    "message": "parameter 'organization' is given 2 times"}


def test_a_post_may_send_its_parameters_as_a_json_object(server):
    """A JSON body was ignored, and its parameters then said to be missing."""
    url = server.url + "api/queries/people-of-organization"
    answered = requests.post(url, json={"organization": "kgr:icesco"}, timeout=30)
    assert answered.status_code == 200, answered.text[:3000]
    assert {r["personLabel"] for r in answered.json()["rows"]} == {"Salim bin Mohammed Al-Malik"}
    paged = requests.post(server.url + "api/queries/search?format=csv",
                          json={"text": "a", "limit": 2}, timeout=30)
    assert paged.status_code == 200 and paged.headers["Content-Type"].startswith("text/csv")
    assert len(paged.text.strip().splitlines()) == 1 + 2
    for body in (["kgr:icesco"], {"organization": ["kgr:icesco"]}, {"organization": True}):
        refused = requests.post(url, json=body, timeout=30)
        assert refused.status_code == 400
        assert refused.json()["error"]["message"].startswith(
            "a JSON body is an object of parameter names and values")
    other = requests.post(url, data=b"organization=kgr:icesco", timeout=30,
                          headers={"Content-Type": "text/plain"})
    assert other.status_code == 415
    assert other.json()["error"]["message"] == (
        "415 Unsupported Media Type: a POST to /api/queries/people-of-organization is a form "
        "(application/x-www-form-urlencoded) or a JSON object (application/json), not "
        "text/plain")


def test_a_search_page_is_asked_for_by_limit_and_offset(graph):
    server = start(timeout=ROOMY)  # (a page is a text of its own: parsed once more, on rdflib)
    everything = kg.query("search", graph=graph, text="a").to_records()
    answer = api(server, "queries/search", text="a", limit="2", offset="1")
    assert answer.status_code == 200, answer.text[:3000]
    assert [row["entity"] for row in answer.json()["rows"]] == \
        [row["entity"] for row in everything[1:3]]
    refused = api(server, "queries/search", text="a", limit="0")
    assert refused.status_code == 400 and "'limit': 0 is less than 1" in refused.text


def test_the_same_query_three_surfaces_agree(server, graph):
    """Python DataFrame, HTTP JSON and HTTP CSV give the same rows."""
    frame = kg.query("cq01-agreements-between", graph=graph).to_df()
    body = api(server, "queries/cq01-agreements-between").json()
    table = list(csv.DictReader(io.StringIO(
        api(server, "queries/cq01-agreements-between", format="csv").text)))
    assert list(frame["agreement"]) == [r["agreement"] for r in body["rows"]] == \
        [r["agreement"] for r in table]
    assert [str(d.date()) for d in frame["date"]] == [r["date"] for r in body["rows"]] == \
        [r["date"] for r in table]


def test_csv_by_accept_or_format(server):
    for response in (api(server, "queries/cq10-fields-of-agreement", accept="text/csv"),
                     api(server, "queries/cq10-fields-of-agreement", format="csv")):
        assert response.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert {r["fieldLabel"] for r in rows} == {"culture", "science", "education",
                                                   "new technologies", "joint projects"}
    assert api(server, "queries/cq10-fields-of-agreement", accept="image/png").status_code == 406


@pytest.mark.parametrize("path, params, status, kind, words", [
    ("queries/cq99", {}, 404, "UnknownQueryError", "no named query 'cq99'"),
    ("queries/people-of-organization", {}, 400, "ParameterError",
     "missing parameter 'organization'"),
    ("queries/cq01-agreements-between", {"colour": "red"}, 400, "ParameterError", "'colour'"),
    ("queries/events-between", {"start": "yesterday", "end": "2024-01-01"}, 400,
     "ParameterError", "not a date"),
    ("queries/cq01-agreements-between", {"format": "pdf"}, 406, "NotAcceptable",
     "json, sparql-json, srj, srx, tsv, xml"),
    ("queries/cq01-agreements-between", {"format": ["csv", "json"]}, 400, "ParameterError",
     "parameter 'format' is given 2 times"),
    ("queries/cq01-agreements-between", {"first": ["kgr:icesco", "kgr:idea"]}, 400,
     "ParameterError", "parameter 'first' is given 2 times"),
    ("nothing-here", {}, 404, "NotFound", "404 Not Found: no API path /api/nothing-here"),
    ("search", {"q": "aliyeva"}, 404, "NotFound", "/api/entities, /api/entities/{name}, "),
    ("search", {}, 404, "NotFound", "each described in /api/openapi.json"),
    ("queries", {"organization": "kgr:icesco"}, 400, "ParameterError",
     "unknown parameter 'organization' for /api/queries (it takes no parameter"),
])
def test_errors_under_api_are_json(server, path, params, status, kind, words):
    response = api(server, path, **params)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert (error["status"], error["type"]) == (status, kind)
    assert words in error["message"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
@pytest.mark.parametrize("path", ["api/graph", "sparql?query=SELECT+*+{?s+?p+?o}+LIMIT+100",
                                  "static/explorer/main.js", ""])
def test_answers_are_compressed_for_a_client_that_asks(server, path, encoding):
    """(the same bytes once decoded: requests undoes every one of these encodings)"""
    plain = requests.get(server.url + path, headers={"Accept-Encoding": "identity"},
                         timeout=30)
    packed = requests.get(server.url + path, headers={"Accept-Encoding": encoding},
                          timeout=30)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) < len(plain.content) / 2
    assert packed.content == plain.content


def test_a_small_answer_goes_as_it_is(server):
    health = requests.get(server.url + "-/health", headers={"Accept-Encoding": "gzip"},
                          timeout=30)
    assert health.status_code == 200 and "Content-Encoding" not in health.headers


def test_health_and_version(server):
    health = requests.get(server.url + "-/health", timeout=30).json()
    assert health["status"] == "ok" and health["graphs"] >= 4 and health["quads"] > 1000
    version = requests.get(server.url + "-/version", timeout=30).json()
    assert version["versions"]["kg"] == kg.__version__
    assert version["limits"]["timeout"] == LIMITS["timeout"]


def test_health_says_how_many_query_workers_are_ready(server, graph):
    api(server, "queries/cq01-agreements-between")  # a worker has answered
    health = requests.get(server.url + "-/health", timeout=30).json()
    assert health["workers"] == LIMITS["workers"] and 1 <= health["workers_ready"] <= 5
    # the projection its workers read, named by its SHA-256 (what kg.connect keeps under)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", health["projection"])
    app = create_app({"GRAPH": graph, "WORKERS": 1})  # workers start with the first query
    service = app.extensions["kg"]
    try:
        client = app.test_client()
        before = client.get("/-/health").json
        assert (before["status"], before["workers"], before["workers_ready"]) == ("ok", 1, 0)
        assert client.get("/api/queries/cq01-agreements-between").status_code == 200
        assert client.get("/-/health").json["workers_ready"] == 1
    finally:
        service.close()


def test_the_projection_input_is_handed_over_compressed_and_named(server, graph):
    """(kg.connect read it in about 400 SPARQL requests at 10,000 articles: two minutes)"""
    from kg.analysis import transfer
    from kg.analysis.projection import VIEWS, Filters, build
    from kg.analysis.reading import read

    named = requests.get(server.url + "-/health", timeout=30).json()["projection"]
    answer = requests.get(server.url + "-/projection", headers={"Accept-Encoding": "gzip"},
                          timeout=60, stream=True)
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"
    assert answer.headers["X-KG-Projection"] == named
    assert answer.headers["ETag"] == f'"{named}"'
    raw = transfer.loads(answer.raw.read())  # (as sent: gzip)
    loaded = read(graph, full=True)
    for view in VIEWS:  # the projection the server's workers hold: the loaded graph's
        served, loaded_view = build(raw, Filters(view=view)), build(loaded, Filters(view=view))
        assert list(served.edges(keys=True, data=True)) == list(
            loaded_view.edges(keys=True, data=True))
    # sent compressed only (170 MB as text at 10,000 articles), and not again when unchanged
    plain = requests.get(server.url + "-/projection",
                         headers={"Accept-Encoding": "identity"}, timeout=30)
    assert plain.status_code == 406
    assert "sent gzip-compressed only (ask with Accept-Encoding: gzip)" in plain.text
    again = requests.get(server.url + "-/projection", timeout=30,
                         headers={"Accept-Encoding": "gzip", "If-None-Match": f'"{named}"'})
    assert again.status_code == 304 and again.content == b""


def test_create_app_takes_a_loaded_graph_and_settings(graph):
    app = create_app({"GRAPH": graph, "QUERY_TIMEOUT": 30, "MAX_ROWS": 7, "MAX_BODY": 100,
                      "WORKERS": 1})
    service = app.extensions["kg"]
    try:
        assert service.graph is graph
        assert (service.limits.timeout, service.limits.max_rows) == (30.0, 7)
        assert service.pool.workers == 1
        client = app.test_client()
        assert client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"}
                          ).status_code == 400  # more than 7 rows
        assert client.post("/sparql", data="x" * 200,
                           content_type="application/sparql-query").status_code == 413
        assert client.get("/-/health").json["status"] == "ok"
    finally:
        service.close()


def test_create_app_rejects_what_is_not_a_graph():
    with pytest.raises(TypeError):
        create_app({"GRAPH": "data/"})


def test_sparql_clients_get_the_standard_results_formats_from_named_queries(server):
    from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
    from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

    as_json = api(server, "queries/cq07-member-since", accept="application/sparql-results+json")
    assert as_json.status_code == 200
    assert as_json.headers["Content-Type"].startswith("application/sparql-results+json")
    rows = list(JSONResultParser().parse(io.StringIO(as_json.text)))
    assert str(rows[0]["since"]) == "1991"
    as_xml = api(server, "queries/cq07-member-since", accept="application/sparql-results+xml")
    assert as_xml.headers["Content-Type"].startswith("application/sparql-results+xml")
    assert str(next(iter(XMLResultParser().parse(io.BytesIO(as_xml.content))))["since"]) == "1991"
    tsv = api(server, "queries/cq07-member-since", format="tsv")
    assert tsv.headers["Content-Type"].startswith("text/tab-separated-values")
    assert api(server, "queries/cq07-member-since").headers["Content-Type"].startswith(
        "application/json")  # kg's own JSON stays the default


def test_an_iri_the_graph_does_not_know_gets_a_warning_with_the_nearest_entities(server):
    body = api(server, "queries/people-of-organization", organization="kgr:icesko").json()
    assert body["count"] == 0
    [warning] = body["warnings"]
    assert warning["param"] == "organization"
    assert warning["value"] == "https://w3id.org/kg/id/icesko"
    assert "knows nothing about" in warning["message"]
    assert warning["suggestions"][0]["iri"] == "https://w3id.org/kg/id/icesco"
    known = api(server, "queries/people-of-organization", organization="kgr:icesco").json()
    assert "warnings" not in known
