"""The other pages a person reaches from the explorer, in a real headless browser: entity
pages (``/id/<slug>``), query results whose IRIs lead to them, the named-query forms, the
query page, errors shown in the page, the 404 page (issue 9)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rdflib import Graph, URIRef

from . import kgserver
from .browser import Watched, accessibility_violations, browser, open_page  # noqa: F401
from .test_explorer import choose, open_explorer

FIRST = "Trend, 11 May 2024"
SECOND = "Trend, 15 October 2024"


@pytest.fixture(scope="module")
def server() -> kgserver.Server:
    return kgserver.start(timeout=kgserver.ROOMY)


@pytest.fixture
def watched(browser, server) -> Iterator[Watched]:  # noqa: F811
    page = open_page(browser, server.url)
    yield page
    page.page.context.close()
    assert page.unexpected_errors() == []
    assert page.foreign_requests() == []


def open_queries(watched: Watched) -> Any:
    page = open_explorer(watched)
    page.locator("#xp-queries > summary").click()
    return page


def test_the_icesco_page_shows_both_names_and_both_articles_and_answers_turtle(watched) -> None:
    page = watched.page
    page.goto(watched.origin + "id/icesco")
    assert page.locator("h1").inner_text() == "ICESCO"
    text = page.inner_text("main")
    assert "Islamic World Educational, Scientific, and Cultural Organization" in text
    assert FIRST in text and SECOND in text
    watched.screenshot("entity-icesco")
    turtle = page.request.get(watched.origin + "id/icesco", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text(), format="turtle")
    assert (URIRef("https://w3id.org/kg/id/icesco"), None, None) in graph
    page.get_by_role("link", name="Show in graph").click()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#xp-panel h2").inner_text() == "ICESCO"


def test_clicking_an_iri_in_a_query_result_opens_its_local_page(watched) -> None:
    page = open_queries(watched)
    page.fill("#xp-sparql-text", "SELECT ?organization WHERE { "
                                 "?organization a kg:IntergovernmentalOrganization }")
    page.get_by_role("button", name="Run SPARQL").click()
    link = page.locator("#xp-results a", has_text="ICESCO")  # its label, not kgr:icesco
    assert link.get_attribute("href") == "/id/icesco"
    link.click()
    page.wait_for_url("**/id/icesco")
    assert page.locator("h1").inner_text() == "ICESCO"


def test_a_select_result_shows_plain_dates_and_the_raw_terms_on_request(watched) -> None:
    page = open_queries(watched)
    page.fill("#xp-sparql-text", "SELECT ?date WHERE { kgr:memorandum-2024-05-11-haf-icesco "
                                 "kg:date ?date }")
    page.get_by_role("button", name="Run SPARQL").click()
    cell = page.locator("#xp-results td").first
    cell.wait_for()
    assert cell.inner_text() == "2024-05-11"
    page.get_by_label("show raw terms").check()
    assert page.locator("#xp-results td").first.inner_text() == '"2024-05-11"^^xsd:date'


def test_a_named_query_run_from_its_form_with_another_organization(watched) -> None:
    page = open_queries(watched)
    page.select_option("#xp-named-name", "cq03-posts-at-organization")
    choose(page, "#xp-param-organization", "ICESCO", "ICESCO")
    page.get_by_role("button", name="Run named query").click()
    table = page.locator("#xp-results table")
    table.wait_for()
    text = table.inner_text()
    assert "Salim bin Mohammed Al-Malik" in text and "Director-General" in text
    assert "Leyla Aliyeva" not in text  # the Foundation's rows, the default, are gone
    assert page.locator("#xp-results a", has_text="Salim bin Mohammed Al-Malik"
                        ).get_attribute("href") == "/id/salim-al-malik"
    watched.screenshot("explorer-named-query")


def test_a_bad_sparql_query_shows_its_error(watched) -> None:
    page = open_queries(watched)
    watched.expect_errors("status of 400")
    page.fill("#xp-sparql-text", "SELECT * WHERE { ?s ?p }")
    page.get_by_role("button", name="Run SPARQL").click()
    error = page.locator("#xp-results .xp-error")
    error.wait_for()
    assert "SPARQL syntax error" in error.inner_text()
    assert "line 1" in error.inner_text()


def test_an_unknown_page_is_a_404_page_with_a_way_back(watched) -> None:
    page = watched.page
    watched.expect_errors("status of 404")
    response = page.goto(watched.origin + "no/such/page")
    assert response.status == 404
    assert "Not found" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Back to the explorer").click()
    page.wait_for_selector("body[data-ready=true]")


def test_the_query_page_links_to_the_explorer_and_back(watched) -> None:
    page = watched.page
    page.goto(watched.origin + "query")
    page.locator(".yasqe").first.wait_for()
    page.get_by_role("link", name="Explorer").click()
    page.wait_for_selector("body[data-ready=true]")
    page.get_by_role("link", name="SPARQL query").click()
    page.wait_for_url("**/query")


# -- the query page -----------------------------------------------------------------------

def open_query_page(watched: Watched) -> Any:
    """The query page once it has settled: the editor is up, the summary above the forms
    is written (it pushes them down: a click before then can miss) and the named queries
    are listed."""
    page = watched.page
    page.goto(watched.origin + "query")
    page.locator(".yasqe .CodeMirror").first.wait_for()
    page.locator("#kg-summary", has_text="source articles").wait_for()
    page.locator("#xp-named-name option").first.wait_for(state="attached")
    return page


def run_in_editor(page: Any) -> None:
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.locator(".tabPanel.active .yasr table tbody tr").first.wait_for()


def type_in_editor(page: Any, text: str) -> None:
    """Replace the active tab's query by typing ``text``, as a person does."""
    page.locator(".tabPanel.active .CodeMirror-code").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    page.locator(".tabPanel.active .CodeMirror-code", has_text=text[-20:]).wait_for()


def error_markers(page: Any) -> Any:
    """The gutter markers of lines the editor finds invalid (YASQE checks as one types)."""
    return page.locator(".tabPanel.active .CodeMirror-gutter-elt .parseErrorIcon")


def test_the_query_page_opens_on_a_short_example_and_a_summary(watched) -> None:
    page = open_query_page(watched)
    editor = page.locator(".tabPanel.active .CodeMirror")
    assert "COUNT(DISTINCT ?thing)" in editor.inner_text()
    assert editor.locator(".CodeMirror-line").count() < 12
    page.locator("#kg-summary", has_text="source articles").wait_for()
    summary = page.inner_text("#kg-summary")
    assert "kg:Person" in summary and FIRST in summary and SECOND in summary
    assert page.locator(".parseErrorIcon").count() == 0  # kg's prefixes are not errors
    watched.screenshot("query-page")


def test_a_typed_query_using_kgs_prefixes_shows_no_error_marker(watched) -> None:
    page = open_query_page(watched)
    type_in_editor(page, "SELECT * { ?s a foo:Organization }")  # the check is on:
    error_markers(page).first.wait_for()                         # foo: is no prefix of kg
    type_in_editor(page, "SELECT * { ?s a kg:Organization }")
    error_markers(page).first.wait_for(state="detached")
    assert error_markers(page).count() == 0
    type_in_editor(page, "SELECT ?x ?l WHERE { ?x a kg:Person ; skos:altLabel ?l ; "
                         "rdfs:label ?m . FILTER (?x != kgr:icesco) }")
    page.wait_for_timeout(300)  # the editor checks a moment after the last key
    assert error_markers(page).count() == 0
    run_in_editor(page)  # the server predeclares the same prefixes


def test_the_query_pages_results_show_labels_and_plain_dates_the_raw_terms_a_click_away(
        watched) -> None:
    page = open_query_page(watched)
    type_in_editor(page, "SELECT ?agreement ?date WHERE { ?agreement a kg:Agreement ; "
                         "kg:date ?date } ORDER BY ?date")
    run_in_editor(page)
    results = page.locator(".tabPanel.active .kg-labelled")
    first = results.locator("tbody tr").first
    link = first.locator("a")
    assert link.inner_text().startswith("Memorandum of cooperation between the Heydar Aliyev")
    assert link.get_attribute("href") == "/id/memorandum-2024-05-11-haf-icesco"
    assert first.locator("td").nth(1).inner_text() == "2024-05-11"
    watched.screenshot("query-page-labels")
    results.get_by_label("show raw terms").check()
    assert first.locator("td").nth(0).inner_text() == (
        "<https://w3id.org/kg/id/memorandum-2024-05-11-haf-icesco>")
    assert first.locator("td").nth(1).inner_text() == '"2024-05-11"^^xsd:date'
    results.get_by_label("show raw terms").uncheck()
    assert first.locator("td").nth(1).inner_text() == "2024-05-11"


def test_iris_in_the_query_pages_results_open_their_local_page(watched) -> None:
    page = open_query_page(watched)
    page.select_option("#kg-examples", "cq03-posts-at-organization")
    assert page.locator(".parseErrorIcon").count() == 0
    run_in_editor(page)
    link = page.locator(".tabPanel.active .yasr a[href='/id/leyla-aliyeva']").first
    assert link.inner_text() == "Leyla Aliyeva"  # by its label
    page.locator(".tabPanel.active .yasr_btn.select_table").click()  # YASR's own table
    link = page.locator(".tabPanel.active .yasr a[href='/id/leyla-aliyeva']").first
    assert link.inner_text() == "kgr:leyla-aliyeva"  # shortened, not the whole IRI
    closed = link.locator("xpath=ancestor::*[contains(@class, 'expandable')"
                          " and not(contains(@class, 'expanded'))]")
    if closed.count():
        closed.first.click()  # a long cell of YASR opens on a first click
    link.click()
    page.wait_for_url("**/id/leyla-aliyeva")
    assert page.locator("h1").inner_text() == "Leyla Aliyeva"


def test_an_article_in_the_query_pages_results_opens_its_page_never_another_site(
        watched) -> None:
    """(an article's IRI led to w3id.org, off this server: it had no local page)"""
    page = open_query_page(watched)
    type_in_editor(page, "SELECT ?article WHERE { ?article a kg:NewsArticle } "
                         "ORDER BY ?article")
    run_in_editor(page)
    local = "/source/000_b2925a6198033b1b"
    assert page.locator(f".tabPanel.active .kg-labelled a[href='{local}']").count() == 1
    page.locator(".tabPanel.active .yasr_btn.select_table").click()  # YASR's own table
    link = page.locator(f".tabPanel.active .yasr a[href='{local}']").first
    link.wait_for()
    assert page.locator(".tabPanel.active .yasr a[href^='https://w3id.org/']").count() == 0
    link.click()
    page.wait_for_url(f"**{local}")
    assert page.locator("h1").inner_text().startswith("Trend, 11 May 2024")


def test_the_articles_a_named_querys_row_lists_are_links_to_their_pages(watched) -> None:
    """A named query lists a row's articles in one literal (GROUP_CONCAT of their IRIs):
    the labelled table showed it as text, 'https://w3id.org/kg/source/000_…', cut off."""
    page = open_query_page(watched)
    page.select_option("#kg-examples", "cq07-member-since")
    run_in_editor(page)
    links = page.locator(".tabPanel.active .kg-labelled td a[href^='/source/']")
    links.first.wait_for()
    # (both articles state it: in the order the store gives)
    assert sorted((a.inner_text(), a.get_attribute("href")) for a in links.all()) == [
        ("src:000_b2925a6198033b1b", "/source/000_b2925a6198033b1b"),
        ("src:001_9e02c3f3c2711bf1", "/source/001_9e02c3f3c2711bf1")]


def test_a_link_opens_a_named_query_in_the_editor(watched) -> None:
    """(/query?open=NAME: a SPARQL user shares the query, not the way to choose it)"""
    page = watched.page
    page.goto(watched.origin + "query?open=cq07-member-since")
    page.locator(".tab.active", has_text="cq07-member-since").wait_for()
    run_in_editor(page)
    assert page.locator(".tabPanel.active .yasr", has_text="Azerbaijan").count() == 1
    page.reload()  # (not a second tab of it)
    page.locator(".tab.active", has_text="cq07-member-since").wait_for()
    assert page.locator(".tab", has_text="cq07-member-since").count() == 1
    page.goto(watched.origin + "query?open=no-such-query")
    page.locator("#xp-status", has_text="No named query").wait_for()
    assert page.inner_text("#xp-status") == (
        "No named query is called “no-such-query”: choose one from the list.")


def test_a_typed_query_survives_a_reload(watched) -> None:
    page = open_query_page(watched)
    type_in_editor(page, "SELECT ?s WHERE { ?s a kg:Person } # typed here")
    page.reload()  # at once, the focus still in the editor
    page.locator(".tabPanel.active .CodeMirror-code", has_text="# typed here").wait_for()


def test_the_explorers_sparql_box_keeps_a_typed_query_over_a_reload(watched) -> None:
    page = open_queries(watched)
    page.fill("#xp-sparql-text", "SELECT ?s WHERE { ?s a kg:Place } # mine")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.input_value("#xp-sparql-text") == "SELECT ?s WHERE { ?s a kg:Place } # mine"


def test_the_query_pages_tabs_survive_a_reload(watched) -> None:
    page = open_query_page(watched)
    page.select_option("#kg-examples", "cq07-member-since")
    page.locator(".tab", has_text="cq07-member-since").wait_for()
    page.reload()
    page.locator(".tab", has_text="cq07-member-since").wait_for()


def test_the_query_page_has_the_named_query_forms(watched) -> None:
    page = open_query_page(watched)
    page.locator(".kg-forms > summary").click()
    page.locator(".kg-forms[open]").wait_for()
    page.select_option("#xp-named-name", "cq03-posts-at-organization")
    choose(page, "#xp-param-organization", "ICESCO", "ICESCO")
    page.get_by_role("button", name="Run named query").click()
    page.locator("#xp-results table", has_text="Salim bin Mohammed Al-Malik").wait_for()


def test_the_api_documentation_shows_every_route_by_group_and_tries_one_on_this_server(
        watched) -> None:
    """(the bar's "API (OpenAPI)" opened the raw JSON document)"""
    page = open_explorer(watched)
    page.get_by_role("link", name="HTTP API").click()
    page.wait_for_selector("body[data-ready=true]")
    document = page.request.get(watched.origin + "api/openapi.json").json()
    shown = page.locator(".opblock-summary-path").all_inner_texts()
    assert set(shown) == set(document["paths"])
    assert [t.split("\n")[0] for t in page.locator(".opblock-tag").all_inner_texts()] == [
        tag["name"] for tag in document["tags"]]
    paths = page.locator("#operations-Analysis-get_api_paths")
    paths.locator(".opblock-summary").click()
    paths.get_by_role("button", name="Try it out").click()
    paths.locator("input[placeholder=from]").fill("Leyla Aliyeva")
    paths.locator("input[placeholder=to]").fill("Burkina Faso")
    paths.get_by_role("button", name="Execute").click()
    status = paths.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    assert status.inner_text() == "200"
    assert '"end": "https://w3id.org/kg/id/burkina-faso"' in paths.locator(
        ".live-responses-table .microlight").first.inner_text()
    assert accessibility_violations(page) == []  # (Swagger UI's own colours darkened)
    watched.screenshot("api-docs-paths")
