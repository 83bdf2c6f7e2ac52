"""``/id/<slug>``: a local page for every thing the graph names, HTML for a browser and
RDF for an RDF client; unknown pages are an HTML 404 with a way back; ``/api/sources``."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.web import create_app

KGR = "https://w3id.org/kg/id/"
SRC = "https://w3id.org/kg/source/"
FIRST, SECOND = SRC + "000_b2925a6198033b1b", SRC + "001_9e02c3f3c2711bf1"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(graph):
    app = create_app({"GRAPH": graph, "WORKERS": 1})
    yield app.test_client()
    app.extensions["kg"].close()


def test_a_browser_gets_the_entity_page_with_both_names_and_both_articles(client) -> None:
    response = client.get("/id/icesco", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "ICESCO" in page
    assert "Islamic World Educational, Scientific, and Cultural Organization" in page
    assert "Trend, 11 May 2024" in page and "Trend, 15 October 2024" in page
    assert "(in Trend, 15 October 2024" in page  # where the other name is used
    assert 'href="/id/salim-al-malik"' in page or "/id/post-salim-al-malik" in page
    assert "Show in graph" in page
    assert "Content-Security-Policy" in response.headers


def test_a_page_says_first_how_many_articles_and_neighbours_it_holds_and_what_kg_describes(
        client) -> None:
    """(at 10,000 articles a city's page listed 170 articles, and only after them, at the
    very end, that the city lies in its country, under a heading that was a graph's IRI)"""
    page = client.get("/id/icesco", headers={"Accept": BROWSER}).get_data(as_text=True)
    reached = client.get("/api/neighbors?entity=icesco").json["reached"]
    assert ('On this page:\n      <a href="#sources">2 articles</a> ·\n      '
            f'<a href="#neighbours">{reached - 1} neighbours in the network</a>') in page
    assert ">What each article says (2 articles)</h2>" in page
    shared, articles = page.index("Described by kg, not by one article"), page.index(
        'id="sources"')
    assert page.index("Names and types") < shared < articles < page.index('id="neighbours"')
    one = client.get("/id/burkina-faso", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert ('<a href="#sources">1 article</a> ·\n      <a href="#neighbours">1 neighbour in '
            'the network</a>') in one
    assert "In the shared graph <code>https://w3id.org/kg/graph/entities</code>" in page


def test_a_statement_about_the_entity_reads_backwards_with_an_arrow_and_every_property_is_named(
        client) -> None:
    """(it read "is conferred by of", "is headquarters of of", and rdf:type, which has no
    label in the graph, was "None")"""
    icesco = client.get("/id/icesco", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert '<td title="conferred by, from the value to ICESCO">← conferred by</td>' in icesco
    assert " of of<" not in icesco and "is conferred by of" not in icesco
    person = client.get("/id/leyla-aliyeva", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "<td>type</td>" in person
    for page in (icesco, person):
        assert "<td>None</td>" not in page


def parse(body: bytes, media_type: str) -> Graph:
    """RDF read back; JSON-LD through pyoxigraph (rdflib's JSON-LD parser warns about its
    own internals), turned into N-Triples for rdflib."""
    if media_type == "application/ld+json":
        triples = ox.parse(body, format=ox.RdfFormat.JSON_LD)
        body = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in triples],
                            format=ox.RdfFormat.N_TRIPLES)
        media_type = "application/n-triples"
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt"}[media_type]
    return Graph().parse(data=body.decode("utf-8"), format=fmt)


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples",
                                    "application/ld+json"])
def test_an_rdf_client_gets_statements_that_parse(client, accept) -> None:
    response = client.get("/id/icesco", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == accept
    assert "Accept" in response.headers["Vary"]
    graph = parse(response.get_data(), accept)
    icesco = URIRef(KGR + "icesco")
    labels = {str(o) for o in graph.objects(icesco, None) if isinstance(o, Literal)}
    assert {"ICESCO", "Islamic World Educational, Scientific, and Cultural Organization"} <= labels
    stated = {str(o) for o in graph.objects(None, URIRef("https://w3id.org/kg/ontology#statedIn"))}
    assert {FIRST, SECOND} <= stated


def test_a_format_the_page_lacks_is_passed_over_for_one_it_has(client) -> None:
    """RDF/XML is no format of an entity page: a client that takes Turtle too gets
    Turtle (it got a 406), and one that takes nothing else gets a 406 that lists what the
    page is offered as, and only that (it listed RDF/XML among them)."""
    answered = client.get("/id/icesco", headers={"Accept": "application/rdf+xml, "
                                                            "text/turtle;q=0.5"})
    assert answered.status_code == 200 and answered.mimetype == "text/turtle"
    for accept in ("application/rdf+xml", "image/png"):
        refused = client.get("/id/icesco", headers={"Accept": accept})
        assert refused.status_code == 406
        assert refused.get_data(as_text=True).startswith(
            f"an entity page is not offered as Accept: {accept}; it is offered as "
            f"text/turtle, application/n-triples, application/ld+json, text/html")
    by_name = client.get("/id/icesco?format=xml")
    assert by_name.status_code == 406
    assert by_name.get_data(as_text=True).startswith(
        "format=xml is not offered for an entity page; it is one of turtle, ntriples, "
        "jsonld, html")


def test_jsonld_has_no_remote_context(client) -> None:
    document = json.loads(client.get("/id/icesco?format=jsonld").get_data(as_text=True))
    context = document.get("@context", {}) if isinstance(document, dict) else {}
    assert isinstance(context, dict)  # inline prefixes only: nothing for a client to fetch


def test_an_unknown_entity_is_a_404_page_with_a_way_back(client) -> None:
    response = client.get("/id/nobody-at-all", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert 'href="/"' in response.get_data(as_text=True)
    assert client.get("/id/nobody-at-all", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize("slug", ["%00", "a%20b", "%3Cx%3E", "a%7Fb"])
def test_a_slug_no_iri_can_hold_is_a_404_not_a_query_error(client, slug: str) -> None:
    for accept in (BROWSER, "text/turtle"):
        assert client.get(f"/id/{slug}", headers={"Accept": accept}).status_code == 404


def test_an_unknown_page_is_an_html_404_for_a_browser_and_text_otherwise(client) -> None:
    page = client.get("/no/such/page", headers={"Accept": BROWSER})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert 'href="/query"' in page.get_data(as_text=True)
    plain = client.get("/no/such/page", headers={"Accept": "*/*"})
    assert plain.status_code == 404 and plain.mimetype == "text/plain"
    api = client.get("/api/nothing-here", headers={"Accept": BROWSER})
    assert api.status_code == 404 and api.mimetype == "application/json"


def test_the_explorer_is_at_the_root_and_the_query_page_at_query(client) -> None:
    explorer = client.get("/", headers={"Accept": BROWSER}).get_data(as_text=True)
    query = client.get("/query", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "vendor/cytoscape/cytoscape.min.js" in explorer and 'href="/query"' in explorer
    assert "yasgui.min.js" in query and 'href="/"' in query


def test_an_article_has_a_page_with_what_it_states_and_its_text_its_words_marked(
        client) -> None:
    """(an article's IRI had no page: an entity page named it in code, and its text could
    be read only one quote at a time, in the explorer's dialog)"""
    facts = client.get("/api/sources/001_9e02c3f3c2711bf1").json["facts"]
    assert len(facts) > 10 and all(f["quotes"] for f in facts)
    page = client.get("/source/001_9e02c3f3c2711bf1", headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "<h1>Trend, 15 October 2024: Leyla Aliyeva visits ICESCO headquarters" in text
    assert f">What it states ({len(facts)} facts)</h2>" in text
    for fact in facts:
        assert f'<a href="/id/{fact["fact"].removeprefix(KGR)}">' in text
    assert "<mark>Vice President of the Heydar Aliyev Foundation Leyla Aliyeva</mark>" in text
    assert '?source=001_9e02c3f3c2711bf1">Show in graph</a>' in text
    # an entity page's articles lead to theirs
    icesco = client.get("/id/icesco", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert '<h3><a href="/source/001_9e02c3f3c2711bf1">Trend, 15 October 2024' in icesco


def test_an_rdf_client_gets_the_articles_named_graph(client, graph) -> None:
    from rdflib.namespace import RDF

    answer = client.get("/source/000_b2925a6198033b1b", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200 and "Accept" in answer.headers["Vary"].split(", ")
    stated = parse(answer.data, "text/turtle")
    article = URIRef(FIRST)
    assert (article, RDF.type, URIRef("https://w3id.org/kg/ontology#NewsArticle")) in stated
    named = graph.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{FIRST}> {{ ?s ?p ?o }} }}")
    assert len(stated) == int(next(iter(named))[0])


@pytest.mark.parametrize("name", ["nope", "%00", "a%20b"])
def test_an_article_the_graph_lacks_is_a_404(client, name: str) -> None:
    for accept in (BROWSER, "text/turtle"):
        assert client.get(f"/source/{name}", headers={"Accept": accept}).status_code == 404


def test_the_sources_are_listed_and_each_comes_with_its_text(client) -> None:
    listed = client.get("/api/sources").json["articles"]
    assert [a["article"] for a in listed] == [FIRST, SECOND]
    one = client.get("/api/sources/001_9e02c3f3c2711bf1").json
    assert one["issued"] == "2024-10-15"
    assert "Vice President of the Heydar Aliyev Foundation Leyla Aliyeva" in one["text"]
    missing = client.get("/api/sources/nope")
    assert missing.status_code == 404
    assert missing.json["error"]["candidates"]


def test_a_hub_past_the_neighbour_limit_is_shown_with_its_most_connected_neighbours(
        client, monkeypatch) -> None:
    """(500 at 10,000 articles, where a place had 527 neighbours: its page was a 400 that
    said to use a radius smaller than 1; kg serve --max-neighbours sets it)"""
    whole = client.get("/api/neighbors?entity=icesco").json
    monkeypatch.setitem(client.application.config, "MAX_NEIGHBOURS", 3)
    cut = client.get("/api/neighbors?entity=icesco").json
    assert len(cut["nodes"]) == 3 and cut["reached"] == whole["reached"] == len(whole["nodes"])
    page = client.get("/id/icesco", headers={"Accept": BROWSER})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"The 2 most connected of its {whole['reached'] - 1} neighbours." in text


def test_a_neighbourhood_whose_center_the_filters_leave_out_names_it_in_absent(client) -> None:
    left_out = client.get("/api/neighbors?entity=burkina-faso&type=Person")
    assert left_out.status_code == 200
    assert left_out.json["nodes"] == [] and left_out.json["absent"] == [
        {"iri": KGR + "burkina-faso", "label": "Burkina Faso"}]
    assert client.get("/api/neighbors?entity=burkina-faso").json["absent"] == []
