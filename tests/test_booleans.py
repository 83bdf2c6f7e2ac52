"""kg.booleans: which variables a query binds to booleans, and their integers 0 and 1 (as
Virtuoso 7.2 answers EXISTS and comparisons) given back as false and true; nothing else."""

from __future__ import annotations

import pytest
from rdflib import Literal, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

import kg
from kg.booleans import boolean_variables, standard_booleans
from kg.sparql_guard import prepare

from .conftest import seed_graph


@pytest.mark.parametrize(("expression", "boolean"), [
    ("EXISTS { ?s a ?t }", True),
    ("NOT EXISTS { ?s a ?t }", True),
    ("?o > 2", True),
    ("?o IN (1, 2)", True),
    ("isBlank(?o) && BOUND(?s)", True),
    ("!isIRI(?o)", True),
    ("CONTAINS(STR(?o), 'x')", True),
    ("true", True),
    ("IF(BOUND(?o), true, EXISTS { ?s a ?t })", True),
    ("COALESCE(?o = 1, false)", True),
    ("COUNT(?o)", False),
    ("1", False),
    ("STRLEN(STR(?o))", False),
    ("IF(BOUND(?o), 1, 0)", False),
    ("COALESCE(?o, false)", False),
])
def test_a_variable_bound_to_a_test_is_a_boolean_variable(expression, boolean):
    grouped = "COUNT" in expression
    text = (f"SELECT ?s ({expression} AS ?v) WHERE {{ ?s ?p ?o }}"
            + (" GROUP BY ?s" if grouped else ""))
    assert ("v" in boolean_variables(text)) is boolean


def test_bind_group_by_and_sample_of_a_boolean_variable_are_boolean_variables():
    text = """SELECT ?s ?known (SAMPLE(?dated) AS ?anyDated) (COUNT(?o) AS ?n) WHERE {
                ?s ?p ?o
                BIND (EXISTS { ?s kg:date ?d } AS ?dated)
                BIND (EXISTS { ?s a kg:Event } AS ?known) }
              GROUP BY ?s ?known"""
    assert boolean_variables(text) == {"dated", "known", "anyDated"}


def test_a_parsed_query_is_read_like_its_text():
    text = "SELECT ?n (EXISTS { ?s a ?t } AS ?b) WHERE { ?s ?p ?n }"
    assert boolean_variables(prepare(text, graphs=()).query) == boolean_variables(text) \
        == {"b"}


def _select(variables: list[str], rows: list[dict[str, Literal]]) -> Result:
    result = Result("SELECT")
    result.vars = [Variable(name) for name in variables]
    result.bindings = [{Variable(k): v for k, v in row.items()} for row in rows]
    return result


def test_integers_0_and_1_of_a_boolean_variable_become_false_and_true():
    one, zero = Literal("1", datatype=XSD.integer), Literal("0", datatype=XSD.integer)
    result = _select(["b", "n"], [{"b": one, "n": one}, {"b": zero, "n": zero}, {"n": one}])
    text = "SELECT (EXISTS { ?s a ?t } AS ?b) (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s"
    rows = [(row.get(Variable("b")), row.get(Variable("n"))) for row in standard_booleans(result, text).bindings]
    # the boolean variable's integers become booleans; the count stays a count
    assert rows == [(Literal(True), one), (Literal(False), zero), (None, one)]


def test_an_answer_without_integers_0_or_1_is_given_back_unread():
    result = _select(["b"], [{"b": Literal(True)}, {"b": Literal("2", datatype=XSD.integer)}])
    # the text is not even parsed: nothing in the answer needs it
    assert standard_booleans(result, "not SPARQL at all").bindings == [
        {Variable("b"): Literal(True)}, {Variable("b"): Literal("2", datatype=XSD.integer)}]


def test_a_text_rdflib_cannot_read_leaves_the_answer_as_the_server_sent_it():
    one = Literal("1", datatype=XSD.integer)
    result = _select(["b"], [{"b": one}])
    assert standard_booleans(result, "SELECT ?b WHERE { a server's own dialect }"
                             ).bindings == [{Variable("b"): one}]


def test_on_virtuoso_exists_and_comparisons_come_back_as_booleans_and_counts_as_numbers():
    graph = seed_graph("virtuoso")
    result = kg.query("""
        SELECT (EXISTS { kgr:icesco a kg:Organization } AS ?known)
               (1 > 2 AS ?bigger) (COUNT(*) AS ?one)
        WHERE { kgr:icesco a kg:IntergovernmentalOrganization }""", graph=graph)
    assert result.to_records() == [{"known": True, "bigger": False, "one": 1}]
