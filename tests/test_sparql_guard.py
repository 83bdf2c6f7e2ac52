"""The guard: what is a query, what is refused, and how FROM becomes a dataset selection.

It works on rdflib's parse tree, so words in comments or strings never trigger it, and
spelling tricks (case, spacing, nesting) never get past it.
"""

from __future__ import annotations

import sys

import pytest
from rdflib import URIRef

from kg.errors import QuerySyntaxError, UnsafeQueryError
from kg.sparql_guard import QueryKind, is_update, prepare, prepare_cached

ENTITIES = URIRef("https://w3id.org/kg/graph/entities")
FIRST = URIRef("https://w3id.org/kg/source/000_b2925a6198033b1b")
GRAPHS = [ENTITIES, FIRST]
ELSEWHERE = "http://127.0.0.1:9/elsewhere"


@pytest.mark.parametrize("text, kind", [
    ("SELECT * WHERE { ?s ?p ?o }", QueryKind.SELECT),
    ("ASK { ?s ?p ?o }", QueryKind.ASK),
    ("CONSTRUCT WHERE { ?s ?p ?o }", QueryKind.CONSTRUCT),
    ("DESCRIBE kgr:icesco", QueryKind.DESCRIBE),
    ("# INSERT DATA { <a:b> <a:b> <a:b> }\nSELECT ?s WHERE { ?s ?p 'DELETE WHERE' }",
     QueryKind.SELECT),
    ("select ?s where { ?s ?p \"SERVICE <http://127.0.0.1:9/>\" }", QueryKind.SELECT),
])
def test_the_four_query_forms_are_recognised(text, kind):
    assert prepare(text, graphs=GRAPHS).kind is kind
    assert not is_update(text)


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "delete { ?s ?p ?o } insert { ?s ?p 1 } where { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    f"LOAD <{ELSEWHERE}>",
    f"LOAD SILENT <{ELSEWHERE}> INTO GRAPH <urn:g>",
    "CLEAR ALL", "CLEAR DEFAULT", "DROP ALL", "DROP GRAPH <urn:g>", "CREATE GRAPH <urn:g>",
    "COPY DEFAULT TO <urn:g>", "MOVE <urn:a> TO <urn:b>", "ADD <urn:a> TO <urn:b>",
    "PREFIX x: <urn:x> INSERT DATA { x:a x:b x:c } ; DROP ALL",
])
def test_every_update_is_refused(update):
    assert is_update(update)
    with pytest.raises(UnsafeQueryError, match="read-only"):
        prepare(update, graphs=GRAPHS)


@pytest.mark.parametrize("text", [
    f"SELECT * WHERE {{ SERVICE <{ELSEWHERE}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE SILENT <{ELSEWHERE}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{ELSEWHERE}> {{ ?s ?q ?r }} }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{ELSEWHERE}> {{ ?s ?q ?r }} }} }}",
    f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{ELSEWHERE}> {{ ?s ?p ?o }} }} }} }}",
    f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{ELSEWHERE}> {{ ?s ?p ?o }} }} }}",
    f"ASK {{ MINUS {{ SERVICE <{ELSEWHERE}> {{ ?s ?p ?o }} }} }}",
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE ?where {{ ?s ?p ?o }} VALUES ?where {{ <{ELSEWHERE}> }} }}",
    f"SELECT * WHERE {{ sErViCe <{ELSEWHERE}> {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_wherever_it_hides(text):
    with pytest.raises(UnsafeQueryError, match="SERVICE"):
        prepare(text, graphs=GRAPHS)


@pytest.mark.parametrize("clause", [f"FROM <{ELSEWHERE}>", f"FROM NAMED <{ELSEWHERE}>",
                                    "FROM <file:///etc/passwd>", "FROM <relative.ttl>"])
def test_from_a_graph_outside_the_dataset_is_refused(clause):
    with pytest.raises(UnsafeQueryError, match="not a graph of this dataset"):
        prepare(f"SELECT * {clause} WHERE {{ ?s ?p ?o }}", graphs=GRAPHS)


def test_from_the_datasets_own_graphs_becomes_a_dataset_selection():
    prepared = prepare(f"SELECT * FROM <{ENTITIES}> FROM NAMED <{FIRST}> WHERE {{ ?s ?p ?o }}",
                       graphs=GRAPHS)
    assert prepared.default_graphs == (ENTITIES,)
    assert prepared.named_graphs == (FIRST,)
    assert not prepared.query.algebra["datasetClause"]  # nothing left for rdflib to load


def test_from_alone_means_no_named_graphs():
    prepared = prepare(f"SELECT * FROM <{ENTITIES}> WHERE {{ ?s ?p ?o }}", graphs=GRAPHS)
    assert (prepared.default_graphs, prepared.named_graphs) == ((ENTITIES,), ())


def test_protocol_graphs_override_from_and_obey_the_same_rule():
    prepared = prepare(f"SELECT * FROM <{ENTITIES}> WHERE {{ ?s ?p ?o }}", graphs=GRAPHS,
                       named_graph_uris=[str(FIRST)])
    assert (prepared.default_graphs, prepared.named_graphs) == ((), (FIRST,))
    with pytest.raises(UnsafeQueryError, match="default-graph-uri"):
        prepare("SELECT * WHERE { ?s ?p ?o }", graphs=GRAPHS, default_graph_uris=[ELSEWHERE])
    with pytest.raises(UnsafeQueryError, match="named-graph-uri"):
        prepare("SELECT * WHERE { ?s ?p ?o }", graphs=GRAPHS, named_graph_uris=[ELSEWHERE])


def test_without_any_selection_the_whole_dataset_is_used():
    prepared = prepare("SELECT * WHERE { ?s ?p ?o }", graphs=GRAPHS)
    assert (prepared.default_graphs, prepared.named_graphs) == (None, None)


class _Listing:
    """A store's graph listing that counts how often it is asked for."""

    def __init__(self, names):
        self.names, self.calls = list(names), 0

    def __call__(self):
        self.calls += 1
        return list(self.names)


def test_a_query_naming_no_graph_never_lists_the_datasets_graphs():
    listing = _Listing(GRAPHS)
    prepare("SELECT * WHERE { ?s ?p ?o }", graphs=listing)
    prepare_cached("SELECT ?s WHERE { ?s ?p ?o }", listing)
    prepare_cached("SELECT ?s WHERE { ?s ?p ?o }", listing)
    assert listing.calls == 0


def test_graphs_given_as_a_listing_are_checked_when_a_query_names_one():
    listing = _Listing(GRAPHS)
    prepared = prepare(f"SELECT * FROM <{ENTITIES}> WHERE {{ ?s ?p ?o }}", graphs=listing)
    assert prepared.default_graphs == (ENTITIES,)
    assert listing.calls == 1
    with pytest.raises(UnsafeQueryError, match="FROM NAMED <http://127.0.0.1:9/elsewhere>"):
        prepare(f"SELECT * FROM NAMED <{ELSEWHERE}> WHERE {{ ?s ?p ?o }}", graphs=listing)


@pytest.mark.parametrize("where", ["from", "default-graph-uri", "named-graph-uri"])
def test_a_remembered_query_is_checked_again_against_each_dataset(where):
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    args = {"from": (), "default-graph-uri": ((str(FIRST),), ()),
            "named-graph-uri": ((), (str(FIRST),))}[where]
    if where == "from":
        text = f"SELECT ?s FROM <{FIRST}> WHERE {{ ?s ?p ?o }}"
    assert prepare_cached(text, GRAPHS, *args)  # parsed and remembered here
    with pytest.raises(UnsafeQueryError, match="is not a graph of this dataset"):
        prepare_cached(text, [ENTITIES], *args)  # a dataset without that graph
    with pytest.raises(UnsafeQueryError, match="is not a graph of this dataset"):
        prepare_cached(text, _Listing([ENTITIES]), *args)


def test_a_syntax_error_points_at_the_mistake_not_at_the_start_of_its_clause():
    with pytest.raises(QuerySyntaxError) as caught:
        prepare("SELECT ?s\nWHERE { ?s ?p ?o .\n  FILTER(?s = ) }", graphs=GRAPHS)
    error = caught.value
    assert (error.line, error.column) == (3, 13)  # the "=" that has no right-hand side
    assert "line 3, column 13" in str(error)
    assert "FILTER(?s = ) }\n" + " " * 14 + "^" in str(error)  # the line shown, the column marked
    assert "expected a FILTER with a complete bracketed expression" in str(error)
    assert "SelectQuery" not in str(error)  # the parser's own rule names are not words


@pytest.mark.parametrize("text, line, column, words", [
    # a FILTER left open: the mistake is where the closing bracket should be
    ("SELECT ?s WHERE {\n ?s a kg:Person\n FILTER (?s = kgr:x\n}", 4, 1, "FILTER"),
    # a FILTER nested in OPTIONAL
    ("SELECT ?s WHERE {\n OPTIONAL {\n  ?s ?p ?o\n  FILTER(?o > )\n }\n}", 4, 13, "FILTER"),
    # a fourth term in a triple pattern
    ("SELECT ?s\nWHERE {\n ?s kg:holder ?p ?o . }", 3, 18,
     "a triple pattern (subject predicate object, '.' between two)"),
    ("SELECT ?s WHERE { ?s ?p ?o } GROUP ?s", 1, 36, "expected GROUP BY ?variable"),
    ("SELECT ?s WHERE { ?s ?p ?o } LIMIT x", 1, 36, "expected LIMIT and a whole number"),
    ("SELECT ?s WHERE { ?s ?p ?o ", 1, 28, "found the end of the query"),
    ("SELEC ?x WHERE {}", 1, 1, "expected a query: SELECT, CONSTRUCT, DESCRIBE or ASK"),
])
def test_a_syntax_error_names_line_column_and_what_was_expected(text, line, column, words):
    with pytest.raises(QuerySyntaxError) as caught:
        prepare(text, graphs=GRAPHS)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in str(caught.value)


@pytest.mark.parametrize("text", ["", "   ", "SELECT", "PREFIX a: <urn:a>", "{{{{",
                                  "SELECT * WHERE { ?s ?p ?o } garbage", "(" * 3000])
def test_anything_else_is_a_syntax_error(text):
    with pytest.raises(QuerySyntaxError):
        prepare(text, graphs=GRAPHS)


@pytest.mark.parametrize("depth", [200, 1000, 5000])
def test_a_query_nested_too_deeply_says_so_whichever_step_runs_out(depth):
    """Parsed with room to spare, 200 groups deep ran out in rdflib's algebra instead, at
    Python's usual limit of 1 000 frames (set here: another test may have raised it in
    this process), and its message was passed on as it was ("maximum recursion depth
    exceeded")."""
    text = "SELECT * WHERE " + "{ " * depth + "?s ?p ?o " + "} " * depth
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        with pytest.raises(QuerySyntaxError, match="^SPARQL syntax error: the query is "
                                                   "nested too deeply to parse$"):
            prepare(text, graphs=GRAPHS)
    finally:
        sys.setrecursionlimit(previous)


def test_an_unknown_prefix_is_a_syntax_error():
    with pytest.raises(QuerySyntaxError, match="Unknown namespace prefix"):
        prepare("SELECT * WHERE { ?s nope:x ?o }", graphs=GRAPHS)


def test_kg_prefixes_are_predeclared():
    assert prepare("SELECT ?p WHERE { ?p a kg:Person ; rdfs:label ?l }", graphs=GRAPHS)


def test_select_star_keeps_the_order_of_appearance():
    prepared = prepare("SELECT * WHERE { ?subject ?p ?o . ?o ?q ?s }", graphs=GRAPHS)
    assert [str(v) for v in prepared.query.algebra["PV"]] == ["subject", "p", "o", "q", "s"]


@pytest.mark.parametrize("text, predicates", [
    ("SELECT * { ?s a <urn:c> ; <urn:p>/<urn:q>* ?o }",
     {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "urn:p", "urn:q"}),
    ("ASK { ?s <urn:a> ?o FILTER NOT EXISTS { ?o ^<urn:b>|<urn:c> ?x ; <urn:d> [ <urn:e> ?y ] } }",
     {"urn:a", "urn:b", "urn:c", "urn:d", "urn:e"}),
    ("SELECT * { { SELECT ?s { ?s <urn:a>+ ?o } } BIND (EXISTS { ?s <urn:b> ?x } AS ?has) }",
     {"urn:a", "urn:b"}),
    ("SELECT * { ?s <urn:a>* <urn:x> }", {"urn:a"}),
    ("CONSTRUCT { ?s <urn:made> ?o } WHERE { ?s <urn:a> ?o }", {"urn:a"}),
    ("SELECT * { ?s ?p ?o }", None),
    ("SELECT * { ?s <urn:a> ?o OPTIONAL { ?o ?p ?x } }", None),
    ("SELECT * { ?s !<urn:a> ?o }", None),
    ("SELECT * { ?s <urn:a>* ?o }", None),  # (length zero: every node of the graph)
    ("SELECT * { ?s (<urn:a>?/^<urn:b>*) ?o }", None),
    ("DESCRIBE <urn:x>", None),
])
def test_a_query_tells_which_predicates_it_reads_or_none_when_it_may_read_any(
        text, predicates):
    expected = None if predicates is None else {URIRef(p) for p in predicates}
    assert prepare(text, graphs=()).predicates == expected
    assert prepare_cached(text, ()).predicates == expected  # (parsed, then remembered)
    assert prepare_cached(text, ()).predicates == expected
