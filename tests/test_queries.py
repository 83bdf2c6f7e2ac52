"""Named queries: each competency question answered exactly; parameters; results.

The expected answers are those of the competency questions (shared/competency-questions.md),
asserted value by value, not "non-empty".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pandas as pd
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

import kg
from kg.bundle import bundled
from kg.errors import InputError, ParameterError, UnknownQueryError, UnsafeQueryError
from kg.load import KEY_PREDICATES, reads_keys
from kg.namespaces import ENTAILED_GRAPH, KG, KGR, SRC
from kg.queries import PAGE_PARAMS, NamedQuery, ParamType, named_query, queries
from kg.results import QueryResult, ResultFormat

FIRST = str(SRC["000_b2925a6198033b1b"])   # Trend, 2024-05-11
SECOND = str(SRC["001_9e02c3f3c2711bf1"])  # Trend, 2024-10-15 (year inferred)


@pytest.fixture
def graph(graph_on_each_store: kg.KnowledgeGraph) -> kg.KnowledgeGraph:
    """Every test of this module runs on each store backend and expects the same answers."""
    return graph_on_each_store


def records(name: str, graph: kg.KnowledgeGraph, **params: object) -> list[dict]:
    return kg.query(name, graph=graph, **params).to_records()


# -- the competency questions ---------------------------------------------------------

def test_cq1_two_agreements_once_each_with_kind_date_and_place(graph):
    rows = records("cq01-agreements-between", graph)
    answer = [(r["kindLabel"], r["date"], r["placeLabel"], r["countryLabel"]) for r in rows]
    assert answer == [
        ("Memorandum of cooperation", dt.date(2024, 5, 11), "Shusha", "Azerbaijan"),
        ("Cooperation agreement", dt.date(2024, 10, 14), "Rabat", "Morocco"),
    ]
    memorandum = rows[0]
    assert memorandum["agreement"] == str(KGR["memorandum-2024-05-11-haf-icesco"])
    assert memorandum["sourceCount"] == 2  # reported by both articles, listed once
    assert set(memorandum["sources"].split()) == {FIRST, SECOND}
    assert memorandum["dateInferred"] is True


def test_cq2_signatories_and_the_organization_each_signed_for(graph):
    rows = records("cq02-signatories", graph)
    assert [(r["signatoryLabel"], r["organizationLabel"], r["capacityLabel"]) for r in rows] == [
        ("Anar Alakbarov", "Heydar Aliyev Foundation", "Executive Director"),
        ("Salim bin Mohammed Al-Malik", "ICESCO", "Director-General"),
    ]
    assert {r["source"] for r in rows} == {SECOND}
    assert all(r["quotes"] for r in rows)
    assert {r["agreement"] for r in rows} == {str(KGR["agreement-2024-10-14-haf-icesco"])}


def test_cq3_posts_at_the_heydar_aliyev_foundation(graph):
    rows = records("cq03-posts-at-organization", graph)
    assert {(r["personLabel"], r["roleLabel"]) for r in rows} == {
        ("Mehriban Aliyeva", "President"),
        ("Leyla Aliyeva", "Vice President"),
        ("Anar Alakbarov", "Executive Director"),
    }
    assert len(rows) == 3


def test_cq4_two_names_one_person(graph):
    rows = records("cq04-names-of-post-holder", graph)
    assert {r["person"] for r in rows} == {str(KGR["salim-al-malik"])}
    assert [(r["name"], r["source"]) for r in rows] == [
        ("Salim bin Mohammed Almalik", FIRST),
        ("Salim bin Mohammed al-Malik", SECOND),
    ]


@pytest.mark.parametrize("text", ["Salim bin Mohammed Almalik", "Salim bin Mohammed al-Malik",
                                  "Al Malik", "almalik", "al-Malik", "AL MALİK", "Al‐Malik"])
def test_cq4_a_search_for_either_name_or_al_malik_finds_him(graph, text):
    rows = records("search", graph, text=text)
    assert rows[0]["entity"] == str(KGR["salim-al-malik"])  # people come first
    assert rows[0]["kindLabel"] == "Person"
    assert {r["entity"] for r in rows if r["kindLabel"] == "Person"} == {
        str(KGR["salim-al-malik"])}


def test_search_ignores_accents_on_both_sides(graph):
    assert records("search", graph, text="Baků")[0]["entity"] == str(KGR.baku)
    assert records("search", graph, text="ĪCESCO")[0]["entity"] == str(KGR.icesco)


def test_search_for_nothing_finds_nothing(graph):
    assert records("search", graph, text=" - ") == []


def test_search_lists_a_page_of_its_rows(graph):
    everything = records("search", graph, text="a")
    assert len(everything) > 4
    assert records("search", graph, text="a", limit=2, offset=1) == everything[1:3]
    assert records("search", graph, text="a", offset=len(everything)) == []


def test_search_lists_at_most_a_hundred_rows_unless_asked(graph):
    assert named_query("search").param("limit").example == "100"
    assert "LIMIT 100 OFFSET 0" in named_query("search").text_for()


@pytest.mark.parametrize("params, message", [
    ({"limit": 0}, "'limit': 0 is less than 1"),
    ({"offset": -1}, "'offset': -1 is less than 0"),
    ({"limit": "ten"}, "'limit'.*not an integer"),
])
def test_a_page_that_cannot_be_is_an_error_naming_it(params, message):
    with pytest.raises(ParameterError, match=message):
        named_query("search").bind({"text": "a", **params})


@pytest.mark.parametrize("text, message", [
    ("# param: limit | integer | l | 10 | default\n# param: offset | integer | o | 0 | default"
     "\nSELECT * WHERE { ?s ?p ?o }", "no '# PAGE' line"),
    ("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } ORDER BY ?s\n# PAGE\n} }",
     "declares the parameter 'limit'"),
    ("# param: limit | string | l | 10 | default\n# param: offset | integer | o | 0 | default"
     "\nSELECT * WHERE { ?s ?p ?o }\n# PAGE\n", "'limit' as an integer"),
    ("# param: limit | integer | l | 10 | default\n# param: offset | integer | o | 0 | default"
     "\nSELECT * WHERE { ?s ?p ?o }\n# PAGE\n# PAGE\n", "a second '# PAGE' line"),
])
def test_a_page_line_and_its_parameters_come_together(text, message):
    with pytest.raises(InputError, match=message):
        NamedQuery.from_text(text, name="paged")


def test_cq5_both_articles_report_the_memorandum(graph):
    rows = records("cq05-sources-of-fact", graph)
    assert [(r["source"], r["issued"], r["issuedInferred"]) for r in rows] == [
        (FIRST, dt.date(2024, 5, 11), False),
        (SECOND, dt.date(2024, 10, 15), True),  # the dateline gives no year
    ]
    assert all("memorandum" in r["quotes"].lower() for r in rows)


def test_cq6_goodwill_ambassador_on_2006_11_24(graph):
    rows = records("cq06-titles-conferred", graph)
    assert len(rows) == 1
    row = rows[0]
    assert row["titleLabel"] == "Goodwill Ambassador of ICESCO"
    assert row["scope"] == ("on issues of civilizational rapprochement and intercultural "
                            "dialogue")
    assert row["date"] == dt.date(2006, 11, 24)
    assert row["dateInferred"] is False


def test_cq7_member_since_1991_a_year_not_a_day(graph):
    result = kg.query("cq07-member-since", graph=graph)
    assert result.to_records()[0]["since"] == "1991"
    since = result.rows[0][result.vars.index("since")]
    assert since == Literal("1991", datatype=XSD.gYear)
    assert set(result.to_records()[0]["sources"].split()) == {FIRST, SECOND}


def test_cq8_leyla_aliyeva_to_burkina_faso_step_by_step(graph):
    rows = records("cq08-person-to-place", graph)
    steps = [(r["step"], r["subjectLabel"], r["relationLabel"], r["objectLabel"]) for r in rows]
    assert steps == [
        (1, "Leyla Aliyeva", "Vice President of", "Heydar Aliyev Foundation"),
        (2, "Heydar Aliyev Foundation", "party to",
         "Cooperation agreement between the Heydar Aliyev Foundation and ICESCO "
         "(Rabat, 2024-10-14)"),
        (3, "Cooperation agreement between the Heydar Aliyev Foundation and ICESCO "
            "(Rabat, 2024-10-14)", "for project",
         "Project supporting displaced girls and orphanages in Burkina Faso"),
        (4, "Project supporting displaced girls and orphanages in Burkina Faso", "located in",
         "Burkina Faso"),
    ]
    assert [r["source"] for r in rows] == [SECOND] * 4  # each step with its article
    assert [r["relation"] for r in rows] == [str(KGR["role-vice-president"]), str(KG.party),
                                            str(KG.forProject), str(KG.locatedIn)]
    assert all(r["quotes"] for r in rows)


def test_cq9_october_2024_in_date_order(graph):
    rows = records("cq09-month-timeline", graph)
    assert [(r["date"], r["item"]) for r in rows] == [
        (dt.date(2024, 10, 14), str(KGR["visit-2024-10-14-icesco-headquarters"])),
        (dt.date(2024, 10, 14), str(KGR["agreement-2024-10-14-haf-icesco"])),
        (dt.date(2024, 10, 14), str(KGR["visit-2024-10-14-museum"])),
        (dt.date(2024, 10, 15), SECOND),
    ]
    # the meeting with the Director-General is part of the visit, not a row of its own
    assert "Meeting of Leyla Aliyeva and Salim bin Mohammed Al-Malik" in rows[0]["parts"]
    assert [r["kindLabel"] for r in rows] == ["Visit", "Cooperation agreement", "Visit",
                                              "News article"]


def test_cq10_fields_of_the_memorandum(graph):
    rows = records("cq10-fields-of-agreement", graph)
    assert {r["fieldLabel"] for r in rows} == {"culture", "science", "education",
                                                "new technologies", "joint projects"}
    assert len(rows) == 5


# -- the analyst's everyday queries ----------------------------------------------------

def test_entity_groups_every_statement_by_graph(graph):
    rows = records("entity", graph, entity="kgr:salim-al-malik")
    by_graph = {}
    for row in rows:
        by_graph.setdefault(row["graph"], []).append(row)
    assert set(by_graph) >= {FIRST, SECOND, "https://w3id.org/kg/graph/entities"}
    quotes = {r["value"] for r in by_graph[FIRST] if r["property"] == str(KG.quote)}
    assert quotes == {"ICESCO Director-General Salim bin Mohammed Almalik"}
    assert {r["graphIssued"] for r in by_graph[SECOND]} == {dt.date(2024, 10, 15)}
    assert any(r["direction"] == "in" and r["property"] == str(KG.signatory) for r in rows)


def test_people_of_organization_with_posts_and_source_dates(graph):
    rows = records("people-of-organization", graph, organization="kgr:heydar-aliyev-foundation")
    assert {(r["personLabel"], r["roleLabel"], r["sourceIssued"]) for r in rows} == {
        ("Anar Alakbarov", "Executive Director", dt.date(2024, 5, 11)),
        ("Anar Alakbarov", "Executive Director", dt.date(2024, 10, 15)),
        ("Leyla Aliyeva", "Vice President", dt.date(2024, 10, 15)),
        ("Mehriban Aliyeva", "President", dt.date(2024, 5, 11)),
        ("Mehriban Aliyeva", "President", dt.date(2024, 10, 15)),
    }


def test_posts_of_person_over_time(graph):
    rows = records("posts-of-person", graph, person="kgr:mehriban-aliyeva")
    assert [(r["roleLabel"], r["organizationLabel"]) for r in rows] == [
        ("First Lady", "Azerbaijan"),             # as of 2006-11-24
        ("President", "Heydar Aliyev Foundation"),  # reported 2024-05-11
        ("First Vice President", "Azerbaijan"),   # reported 2024-10-15
        ("President", "Heydar Aliyev Foundation"),  # reported 2024-10-15
    ]
    assert rows[0]["asOf"] == dt.date(2006, 11, 24)


def test_agreements_of_organization_with_parties_and_signatories(graph):
    rows = records("agreements-of-organization", graph, organization="kgr:icesco")
    assert [r["kindLabel"] for r in rows] == ["Memorandum of cooperation",
                                              "Cooperation agreement"]
    assert set(rows[1]["parties"].split("; ")) == {"Heydar Aliyev Foundation", "ICESCO"}
    assert set(rows[1]["signatories"].split("; ")) == {
        "Anar Alakbarov (Executive Director) for Heydar Aliyev Foundation",
        "Salim bin Mohammed Al-Malik (Director-General) for ICESCO"}
    assert rows[0]["signatories"] == ""


def test_sources_of_a_statement_and_their_words(graph):
    rows = records("sources-of-statement", graph, subject="kgr:membership-azerbaijan-icesco",
                   property="kg:startDate")
    assert [(r["source"], r["value"]) for r in rows] == [(FIRST, "1991"), (SECOND, "1991")]
    assert rows[0]["quotes"] == "Since 1991, Azerbaijan has been a member of ICESCO"
    one_triple = records("sources-of-statement", graph, subject="kgr:cop29",
                         property="kg:place", object="kgr:azerbaijan")
    assert [r["source"] for r in one_triple] == [SECOND]


@pytest.mark.parametrize("name, parameter", [("entity", "entity"),
                                             ("sources-of-statement", "subject")])
@pytest.mark.parametrize("node", ["kgr:salim-al-malik", str(ENTAILED_GRAPH)])
def test_the_keys_kg_derives_are_not_statements_of_any_source(graph, name, parameter, node):
    """The search, date and order keys and their layout's version (kg.load.KEY_PREDICATES)
    are kg's own indexes: listed neither about a named thing nor about the entailed graph
    that holds their version; each query's list of them is KEY_PREDICATES."""
    rows = records(name, graph, **{parameter: node})
    assert rows or node == str(ENTAILED_GRAPH)  # (which is the subject of nothing else)
    assert not {r["property"] for r in rows} & set(map(str, KEY_PREDICATES))
    text = named_query(name).text
    listed = re.search(r"FILTER \(\?property NOT IN \(([^)]*)\)\)", text)
    assert listed is not None
    curies = {curie.strip() for curie in listed.group(1).split(",")} - {"kg:quote"}
    assert {KG[curie.removeprefix("kg:")] for curie in curies} == KEY_PREDICATES


def test_events_between_keeps_month_precision(graph):
    rows = records("events-between", graph, start="2024-10-01", end="2024-11-30")
    assert [r["event"] for r in rows][:1] == [str(KGR["visit-2024-10-14-icesco-headquarters"])]
    cop29 = [r for r in rows if r["event"] == str(KGR.cop29)]
    assert cop29[0]["date"] == "2024-11" and cop29[0]["dateInferred"] is True
    assert records("events-between", graph, start="2024-12-01", end="2024-12-31") == []


def test_memberships_of_state(graph):
    rows = records("memberships-of-state", graph, state="kgr:azerbaijan")
    assert [(r["organizationLabel"], r["since"]) for r in rows] == [("ICESCO", "1991")]


# -- the dataset: named graphs, union, entailment --------------------------------------

def test_each_source_graph_is_addressable_with_graph(graph):
    result = kg.query("""SELECT ?g WHERE { GRAPH ?g {
        kgr:memorandum-2024-05-11-haf-icesco kg:statedIn ?g } } ORDER BY ?g""", graph=graph)
    assert [r["g"] for r in result.to_records()] == [FIRST, SECOND]
    only_first = kg.query("""SELECT ?name WHERE { GRAPH src:000_b2925a6198033b1b {
        kgr:salim-al-malik skos:altLabel ?name } }""", graph=graph)
    assert [r["name"] for r in only_first.to_records()] == ["Salim bin Mohammed Almalik"]


def test_the_default_graph_is_the_union_of_all_graphs(graph):
    result = kg.query("SELECT ?name WHERE { kgr:salim-al-malik skos:altLabel ?name }",
                      graph=graph)
    assert {r["name"] for r in result.to_records()} == {"Salim bin Mohammed Almalik",
                                                        "Salim bin Mohammed al-Malik"}


def test_a_superclass_query_finds_subclass_instances(graph):
    organizations = kg.query("SELECT ?o WHERE { ?o a kg:Organization }", graph=graph)
    assert {r["o"] for r in organizations.to_records()} >= {
        str(KGR["heydar-aliyev-foundation"]), str(KGR.icesco), str(KGR.azerbaijan),
        str(KGR.idea), str(KGR.trend)}
    agreements = kg.query("SELECT ?a WHERE { ?a a kg:Agreement }", graph=graph)
    assert len(agreements) == 2
    members = kg.query("SELECT ?m WHERE { ?x org:member ?m }", graph=graph)  # super-property
    assert str(KGR.azerbaijan) in {r["m"] for r in members.to_records()}


# -- parameters -----------------------------------------------------------------------

def test_parameters_are_bound_never_pasted(graph):
    text = named_query("search").text
    injected = records("search", graph, text='x") } UNION { ?entity ?p ?o } #')
    assert injected == []
    assert named_query("search").text == text


def test_an_unknown_parameter_is_an_error_naming_it(graph):
    with pytest.raises(ParameterError, match="'colour'"):
        kg.query("cq01-agreements-between", graph=graph, colour="red")


def test_a_missing_parameter_is_an_error_naming_it(graph):
    with pytest.raises(ParameterError, match="missing parameter 'organization'"):
        kg.query("people-of-organization", graph=graph)


@pytest.mark.parametrize("name, params, message", [
    ("events-between", {"start": "1 October", "end": "2024-10-31"}, "'start'.*not a date"),
    ("events-between", {"start": "2024-02-30", "end": "2024-10-31"}, "'start'.*not a date"),
    ("events-between", {"start": dt.datetime(2024, 1, 1), "end": "2024-10-31"}, "date and time"),
    ("cq09-month-timeline", {"month": "October"}, "'month'.*not a month"),
    ("cq09-month-timeline", {"month": "2024-13"}, "'month'.*not a month"),
    ("entity", {"entity": "not an iri"}, "'entity'.*not an IRI"),
    ("entity", {"entity": "nope:thing with space"}, "'entity'.*not an IRI"),
    ("search", {"text": 42}, "'text'.*not text"),
    ("events-between", {"start": "2024-10-20", "end": "2024-10-01"},
     r"'start' \(2024-10-20\) is after 'end' \(2024-10-01\): nothing lies between"),
])
def test_a_value_of_the_wrong_kind_is_an_error(graph, name, params, message):
    with pytest.raises(ParameterError, match=message):
        kg.query(name, graph=graph, **params)


@pytest.mark.parametrize("value", ["kgr:icesco", "icesco", "<https://w3id.org/kg/id/icesco>",
                                   "https://w3id.org/kg/id/icesco", URIRef(KGR.icesco)])
def test_iri_parameters_accept_prefixed_bare_and_full_forms(value):
    param = named_query("entity").param("entity")
    assert param.convert(value) == KGR.icesco


def test_typed_values_convert_to_the_right_literals():
    timeline = named_query("cq09-month-timeline")
    assert timeline.bind({"month": "2024-03"}) == {
        "month": Literal("2024-03", datatype=XSD.gYearMonth)}
    between = named_query("events-between")
    assert between.bind({"start": dt.date(2024, 1, 2), "end": "2024-01-03"})["start"] == \
        Literal("2024-01-02", datatype=XSD.date)


def test_defaults_apply_and_can_be_overridden(graph):
    other = records("cq07-member-since", graph, organization="kgr:heydar-aliyev-foundation")
    assert other == []


def test_an_unknown_name_lists_the_named_queries(graph):
    with pytest.raises(UnknownQueryError, match="cq01-agreements-between"):
        kg.query("cq99-nothing", graph=graph)


def test_text_queries_are_guarded_too(graph):
    with pytest.raises(UnsafeQueryError):
        kg.query("DELETE WHERE { ?s ?p ?o }", graph=graph)
    assert len(kg.query("SELECT * WHERE { ?s ?p ?o }", graph=graph)) > 1000


def test_a_text_with_a_header_declares_its_parameters(graph):
    text = ("# title: Label of a thing\n# param: thing | iri | The thing | kgr:icesco\n"
            "SELECT ?label WHERE { ?thing rdfs:label ?label }")
    assert kg.query(text, graph=graph, thing="kgr:rabat").to_records() == [{"label": "Rabat"}]
    with pytest.raises(ParameterError, match="missing parameter 'thing'"):
        kg.query(text, graph=graph)


# -- the catalogue and its files --------------------------------------------------------

def test_the_catalogue_has_every_competency_question_and_the_everyday_queries():
    names = {q.name for q in queries()}
    assert {f"cq{n:02d}" for n in range(1, 11)} == {n[:4] for n in names if n.startswith("cq")}
    assert names >= {"entity", "people-of-organization", "posts-of-person",
                     "agreements-of-organization", "sources-of-statement", "events-between",
                     "memberships-of-state", "search"}
    assert kg.queries() == queries()


@pytest.mark.parametrize("query", queries(), ids=lambda q: q.name)
def test_each_named_query_is_documented_and_uses_its_parameters(query):
    assert query.title and query.description
    assert query.path is not None and query.path.parent == bundled().queries
    for param in query.params:
        if query.paged and param.name in PAGE_PARAMS:  # written as LIMIT and OFFSET
            assert "LIMIT 100 OFFSET 0" in query.text_for()
        else:
            assert f"?{param.name}" in query.text, param.name
        assert param.description and param.example


@pytest.mark.parametrize("query", queries(), ids=lambda q: q.name)
def test_each_example_text_gives_the_same_answer_as_the_bound_query(graph, query):
    examples = {p.name: p.example for p in query.params if p.use != "optional"}
    bound = query.run(graph, examples)
    shown = kg.query(query.example_text(), graph=graph)
    assert bound.vars == shown.vars
    assert len(bound) > 0
    assert _normalized(bound, in_order=True) == _normalized(shown, in_order=True)


def _normalized(result: QueryResult, *, empty_is_unbound: bool = False,
                in_order: bool = False) -> list[str]:
    """Rows comparable across runs and stores: a named query's lists are sorted when read
    (``list:``), so only a known difference is smoothed over: with ``empty_is_unbound``,
    an empty text counts as unbound (see test_queries_synthetic). The rows are sorted
    unless ``in_order`` (search.rq orders names of mixed kinds -- plain and language-tagged
    literals -- which SPARQL leaves to each engine)."""
    def value(text: object) -> object:
        return None if empty_is_unbound and text == "" else text
    rows = [repr(tuple(value(v) for v in row.values())) for row in result.to_records()]
    return rows if in_order else sorted(rows)


def test_the_header_format():
    text = ("# title: T\n# description: one\n#   two\n"
            "# param: a | date | The day | 2024-01-02 | default\n"
            "# param: b | iri | A thing | kgr:x | optional\n"
            "# param: c | integer | A count | 3\nSELECT ?a ?b ?c WHERE {}")
    query = NamedQuery.from_text(text, name="t")
    assert (query.title, query.description) == ("T", "one two")
    assert [(p.name, p.type, p.use) for p in query.params] == [
        ("a", ParamType.DATE, "default"), ("b", ParamType.IRI, "optional"),
        ("c", ParamType.INTEGER, "required")]
    assert query.bind({"c": 1}) == {"a": Literal("2024-01-02", datatype=XSD.date),
                                    "c": Literal(1)}


@pytest.mark.parametrize("header, message", [
    ("# colour: red", "unknown header key"),
    ("# param: a | colour | x | y", "unknown parameter type"),
    ("# param: a | date | x | yesterday", "example does not fit"),
    ("# param: a | date | x", "4 or 5 fields"),
    ("# param: graph | iri | x | kgr:x", "must be an identifier"),
    ("# param: a | iri | x | kgr:x | sometimes", "required, optional or default"),
    ("# title: a\n# title: b", "second title"),
    ("# list: sources", "a list: line is a column name"),
    ("# list: sources | ;", "a list: line is a column name"),
    ('# list: sources | ""', "a list: line is a column name"),
    ('# list: ?sources | " "', "a list: line is a column name"),
    ('# list: a | " "\n# list: a | "; "', "a list is declared twice"),
    ("# param: a | date | x | 2024-01-01\n# range: a | b", "a range: line is two parameters"),
    ("# param: a | date | x | 2024-01-01\n# range: a | a", "a range: line is two parameters"),
    ("# param: a | date | x | 2024-01-01\n# param: b | year | x | 2024\n# range: a | b",
     "of one type among date, year, month, integer"),
    ("# param: a | iri | x | kgr:x\n# param: b | iri | x | kgr:y\n# range: a | b",
     "a range: line is two parameters"),
])
def test_a_bad_header_is_an_input_error(header, message):
    with pytest.raises(InputError, match=message):
        NamedQuery.from_text(header + "\nSELECT * WHERE {}")


@pytest.mark.parametrize("first, last", [("2024-10-01", "2024-10-01"),
                                         ("2024-09-30", "2024-10-01")])
def test_a_range_may_be_one_value_or_in_order(first, last):
    """``range:`` refuses only the first after the last; with either left out, nothing."""
    query = NamedQuery.from_text("# param: a | date | x | 2024-01-01\n"
                                 "# param: b | date | x | 2024-01-02 | optional\n"
                                 "# range: a | b\nSELECT * WHERE {}")
    assert query.ranges == (("a", "b"),)
    assert set(query.bind({"a": first, "b": last})) == {"a", "b"}
    assert set(query.bind({"a": "2025-01-01"})) == {"a"}
    numbers = NamedQuery.from_text("# param: a | integer | x | 1\n# param: b | integer | x | 2"
                                   "\n# range: a | b\nSELECT * WHERE {}")
    assert set(numbers.bind({"a": 9, "b": 10})) == {"a", "b"}  # as numbers, not as text
    with pytest.raises(ParameterError, match="nothing lies between"):
        numbers.bind({"a": 10, "b": 9})


def test_a_list_column_comes_out_with_its_parts_sorted_whatever_order_the_engine_joins(graph):
    text = ('# list: names | " | "\n'
            'SELECT (GROUP_CONCAT(?n; SEPARATOR=" | ") AS ?names)\n'
            '       (GROUP_CONCAT(?n; SEPARATOR=" ") AS ?as_is)\n'
            'WHERE { VALUES ?n { "b" "c" "a" "b" } }')
    query = NamedQuery.from_text(text)
    assert query.lists == (("names", " | "),)
    [row] = query.run(graph).to_records()
    assert row["names"] == "a | b | b | c"  # sorted, the repeat kept
    assert sorted(row["as_is"].split()) == ["a", "b", "b", "c"]  # not declared: as joined


@pytest.mark.parametrize("query", queries(), ids=lambda q: q.name)
def test_every_list_a_named_query_joins_is_declared_with_its_separator(query):
    """A GROUP_CONCAT left out of the header's ``list:`` lines would answer in the engine's
    order, which differs between stores (a first ``kg query`` and the cached ones)."""
    joined = re.findall(r'GROUP_CONCAT\((?:[^;()]|\([^()]*\))*;\s*SEPARATOR\s*=\s*"([^"]*)"\)',
                        query.text)
    assert sorted(separator for _, separator in query.lists) == sorted(joined)
    assert {name for name, _ in query.lists} <= set(re.findall(r"\?(\w+)", query.text))


# -- results ----------------------------------------------------------------------------

def test_to_df_dtypes(graph):
    df = kg.query("cq01-agreements-between", graph=graph).to_df()
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert list(df["date"].dt.date) == [dt.date(2024, 5, 11), dt.date(2024, 10, 14)]
    assert str(df["dateInferred"].dtype) == "boolean"
    assert str(df["sourceCount"].dtype) == "Int64"
    for column in ("agreement", "agreementLabel", "kindLabel", "placeLabel", "sources"):
        assert pd.api.types.is_string_dtype(df[column]), column
    assert df.loc[0, "placeLabel"] == "Shusha"


def test_to_df_keeps_years_and_months_as_text(graph):
    since = kg.query("cq07-member-since", graph=graph).to_df()["since"]
    assert pd.api.types.is_string_dtype(since) and since[0] == "1991"
    dates = kg.query("events-between", graph=graph, start="2024-10-01",
                     end="2024-11-30").to_df()["date"]
    assert pd.api.types.is_string_dtype(dates)  # a month among days: no day invented
    assert set(dates) == {"2024-10-14", "2024-11"}


def test_unbound_values_are_none_and_na(graph):
    result = kg.query("cq06-titles-conferred", graph=graph)
    assert result.to_records()[0]["forYear"] is None
    assert result.to_df()["forYear"].isna().all()


def test_kinds_and_vars(graph):
    assert kg.query("ASK { kgr:icesco a kg:Organization }", graph=graph).to_records() == [
        {"boolean": True}]
    construct = kg.query("CONSTRUCT { ?p a kg:Person } WHERE { ?p a kg:Person }", graph=graph)
    assert construct.kind.value == "construct"
    assert construct.vars == ["subject", "predicate", "object"]
    assert len(construct) == 4
    describe = kg.query("DESCRIBE kgr:icesco", graph=graph)
    assert describe.kind.value == "describe" and len(describe) > 5


def test_select_results_round_trip_through_every_result_format(graph):
    result = kg.query("cq01-agreements-between", graph=graph)
    for data, parser in ((result.serialize("json"), JSONResultParser()),
                         (result.serialize("xml"), XMLResultParser()),
                         (result.serialize("tsv"), TSVResultParser())):
        parsed = parser.parse(io.BytesIO(data) if parser.__class__ is not TSVResultParser
                              else io.StringIO(data.decode()))
        rows = list(parsed)
        assert len(rows) == 2
        assert rows[0]["date"] == Literal("2024-05-11", datatype=XSD.date)
        assert rows[0]["agreement"] == KGR["memorandum-2024-05-11-haf-icesco"]
    table = list(csv.DictReader(io.StringIO(result.serialize("csv").decode())))
    assert [(r["kindLabel"], r["date"]) for r in table] == [
        ("Memorandum of cooperation", "2024-05-11"), ("Cooperation agreement", "2024-10-14")]
    assert json.loads(result.serialize("json"))["head"]["vars"][0] == "agreement"


def test_graph_results_round_trip_through_every_rdf_format(graph):
    result = kg.query("DESCRIBE kgr:icesco", graph=graph)
    for fmt, rdflib_format in (("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml")):
        parsed = Graph()
        parsed.parse(data=result.serialize(fmt).decode(), format=rdflib_format)
        assert len(parsed) == len(result.graph), fmt
    # rdflib's dataset parsers warn about their own internals; pyoxigraph reads these
    for fmt, ox_format in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG),
                           ("jsonld", ox.RdfFormat.JSON_LD)):
        quads = list(ox.parse(result.serialize(fmt), format=ox_format))
        assert len(quads) == len(result.graph), fmt


def test_a_format_must_suit_the_result(graph):
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="cannot be written as csv"):
        kg.query("DESCRIBE kgr:icesco", graph=graph).serialize("csv")
    assert ResultFormat.parse("application/sparql-results+json") is ResultFormat.JSON


def test_a_result_too_large_for_the_cap(graph):
    from kg.errors import ResultTooLarge
    from kg.queries import run_prepared
    from kg.sparql_guard import prepare

    prepared = prepare("SELECT * WHERE { ?s ?p ?o }", graphs=graph.store.graph_names())
    with pytest.raises(ResultTooLarge, match="more than 10 rows"):
        run_prepared(graph, prepared, max_rows=10)
    assert len(run_prepared(graph, prepared, max_rows=100_000)) > 1000


def test_query_result_is_exported():
    assert kg.QueryResult is QueryResult and "query" in kg.__all__ and "queries" in kg.__all__


def test_each_named_query_that_reads_no_derived_key_answers_the_same_without_them():
    """``kg query``'s first load derives the search, date and order keys only for a query
    that may read them (:func:`kg.load.reads_keys`); every named query said to read none
    answers, with its examples, as it does on a graph that has them."""
    whole, lean = kg.load(), kg.load(keys=False)
    without = [named for named in queries()
               if not reads_keys(named.prepared().predicates)]
    assert len(without) >= 10  # (the others: search, entity, the timelines ...)
    for named in without:
        bindings = named.bind({param.name: param.example for param in named.params
                               if param.required})
        answer = named.run_bound(whole, bindings)
        assert answer.rows, named.name
        assert named.run_bound(lean, bindings).serialize("csv") == answer.serialize("csv"), \
            named.name
