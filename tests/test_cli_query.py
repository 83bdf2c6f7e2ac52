"""``kg query``, ``kg queries`` and ``kg serve``: thin commands over kg.query and create_app."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import cli
from kg.listen import AddressError, bound_sockets

from .conftest import DATA

KGR = "https://w3id.org/kg/id/"
#: the commands that read data run on the seed copy
ON_SEED = {"query", "serve"}


def run(*args: str) -> tuple[int, str, str]:
    """Invoke the CLI; the first line that says which files were used is dropped."""
    argv = list(args)
    if argv and argv[0] in ON_SEED and "--help" not in argv and "--data" not in argv:
        argv += ["--data", str(DATA)]
    result = CliRunner().invoke(cli, argv)
    out, err = result.stdout, result.stderr
    if out.startswith("kg: using "):
        out = out.partition("\n")[2]
    if err.startswith("kg: using "):
        err = err.partition("\n")[2]
    return result.exit_code, out, err


def test_a_named_query_prints_a_readable_table():
    code, out, _ = run("query", "cq01-agreements-between")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["agreement", "agreementLabel", "kind", "kindLabel"]
    assert set(lines[1]) <= {"-", " "}
    assert "kgr:memorandum-2024-05-11-haf-icesco" in lines[2]  # IRIs shortened
    assert "Memorandum of cooperation" in lines[2] and "2024-05-11" in lines[2]
    assert "Cooperation agreement" in lines[3] and "Rabat" in lines[3]
    assert lines[-1] == "(2 rows)"


def test_params_and_formats():
    code, out, _ = run("query", "people-of-organization", "--param", "organization=kgr:icesco",
                       "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["personLabel"] for r in rows} == {"Salim bin Mohammed Al-Malik"}
    code, out, _ = run("query", "cq07-member-since", "-p", "state=azerbaijan", "--format",
                       "json")
    assert json.loads(out)["results"]["bindings"][0]["since"] == {
        "type": "literal", "value": "1991",
        "datatype": "http://www.w3.org/2001/XMLSchema#gYear"}
    code, out, _ = run("query", "cq07-member-since", "--format", "tsv")
    assert out.splitlines()[0].startswith("?membership\t?state")
    code, out, _ = run("query", "cq07-member-since", "--format", "xml")
    assert out.startswith('<?xml version="1.0"')


def test_a_search_page_takes_limit_and_offset_like_any_parameter():
    code, out, _ = run("query", "search", "-p", "text=a", "--format", "csv")
    everything = list(csv.DictReader(io.StringIO(out)))
    code, out, _ = run("query", "search", "-p", "text=a", "-p", "limit=2", "-p", "offset=1",
                       "--format", "csv")
    assert code == 0 and list(csv.DictReader(io.StringIO(out))) == everything[1:3]
    code, _, err = run("query", "search", "-p", "text=a", "-p", "offset=-1")
    assert code == 2 and "'offset': -1 is less than 0" in err


def test_a_query_file_with_its_own_parameters(tmp_path: Path):
    query = tmp_path / "label.rq"
    query.write_text("# title: Label\n# param: thing | iri | The thing | kgr:rabat\n"
                     "SELECT ?label WHERE { ?thing rdfs:label ?label }\n", encoding="utf-8")
    code, out, _ = run("query", "--file", str(query), "-p", "thing=kgr:shusha", "--format", "csv")
    assert (code, out.splitlines()) == (0, ["label", "Shusha"])


def test_a_sparql_text(tmp_path: Path):
    code, out, _ = run("query", "--sparql", "SELECT ?p WHERE { ?p a kg:Person } ORDER BY ?p",
                       "--format", "csv")
    assert code == 0
    assert out.splitlines() == ["p"] + [KGR + n for n in ("anar-alakbarov", "leyla-aliyeva",
                                                          "mehriban-aliyeva", "salim-al-malik")]


def test_construct_and_describe_default_to_turtle():
    code, out, _ = run("query", "--sparql", "DESCRIBE kgr:icesco")
    assert code == 0
    graph = Graph().parse(data=out, format="turtle")
    assert len(graph) > 5
    for fmt in ("ntriples", "jsonld", "trig"):
        code, out, _ = run("query", "--sparql", "DESCRIBE kgr:icesco", "--format", fmt)
        assert code == 0 and out.strip(), fmt


def test_a_syntax_error_gives_line_and_column_and_exit_2():
    code, out, err = run("query", "--sparql", "SELECT ?p\nWHERE { ?p a kg:Person . FILTER(?p = ) }")
    assert code == 2
    assert "SPARQL syntax error: line 2, column 36" in err  # at the "=" with nothing after it
    assert "Traceback" not in err + out


@pytest.mark.parametrize("args, words", [
    (["query", "people-of-organization"], "missing parameter 'organization'"),
    (["query", "cq01-agreements-between", "-p", "colour=red"], "'colour'"),
    (["query", "events-between", "-p", "start=soon", "-p", "end=2024-01-01"], "not a date"),
    (["query", "no-such-query"], "no named query 'no-such-query'"),
    (["query", "--sparql", "DROP ALL"], "read-only"),
    (["query", "--sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"],
     "SERVICE is refused"),
    (["query", "--sparql", "DESCRIBE kgr:icesco", "--format", "csv"],
     "a DESCRIBE result cannot be written as csv"),
    (["query", "--sparql", "ASK {}", "--format", "turtle"],
     "an ASK result cannot be written as turtle"),
])
def test_errors_are_messages_with_exit_2(args, words):
    code, out, err = run(*args)
    assert code == 2
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize("args, words", [
    (["query", "no-such-query"], "no named query 'no-such-query'"),
    (["query", "cq01-agreements-between", "-p", "colour=red"], "'colour'"),
    (["query", "people-of-organization"], "missing parameter 'organization'"),
    (["query", "--file", "no-such-file.rq"], "no such file"),
])
def test_a_wrong_query_or_parameter_is_told_before_the_data_is_loaded(
        tmp_path: Path, args: list[str], words: str) -> None:
    """Nothing about the data is needed to know it: the message comes at once, not after
    seconds of loading (here the data does not even parse)."""
    broken = tmp_path / "data"
    broken.mkdir()
    (broken / "article.trig").write_text("this is not TriG", encoding="utf-8")
    code, out, err = run(*args, "--data", str(broken), "--no-cache")
    assert code == 2
    assert words in err and "article.trig" not in err


def test_a_query_text_or_file_given_as_a_name_is_pointed_to_its_option(tmp_path: Path):
    code, _, err = run("query", "SELECT ?p WHERE { ?p a kg:Person }")
    assert code == 2
    assert "is no named query; to run a SPARQL text, give it with --sparql" in err
    code, _, err = run("query", "ask-icesco")  # a name, mistyped: the names are listed
    assert code == 2 and "no named query 'ask-icesco'; the named queries are" in err
    query = tmp_path / "people.rq"
    query.write_text("SELECT ?p WHERE { ?p a kg:Person }\n", encoding="utf-8")
    code, _, err = run("query", str(query))
    assert code == 2
    assert "is no named query; to run the query in this file, give it with --file" in err


def test_a_query_file_of_dash_is_read_from_standard_input():
    result = CliRunner().invoke(cli, ["query", "--file", "-", "--format", "csv", "--data",
                                      str(DATA)],
                                input="SELECT ?p WHERE { ?p a kg:Person } ORDER BY ?p LIMIT 1\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["p", KGR + "anar-alakbarov"]


def test_exactly_one_of_name_file_or_sparql():
    assert run("query")[0] == 2
    assert run("query", "cq01-agreements-between", "--sparql", "ASK {}")[0] == 2
    assert run("query", "cq01", "-p", "novalue")[0] == 2


def test_kg_queries_lists_the_named_queries_with_their_parameters():
    code, out, _ = run("queries")
    assert code == 0
    assert "cq01-agreements-between\n    Agreements between two organizations (CQ1)" in out
    assert "--param organization=<iri>" in out
    code, out, _ = run("queries", "--format", "json")
    listed = json.loads(out)
    assert {"name", "title", "description", "params"} <= set(listed[0])


@pytest.mark.parametrize("command", ["query", "queries", "serve"])
def test_each_command_has_help_with_an_example(command):
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Example" in out and f"kg {command}" in out


def test_serve_options():
    code, out, _ = run("serve", "--help")
    for option in ("--host", "--port", "--data", "--project", "--timeout", "--max-rows",
                   "--max-body"):
        assert option in out
    assert run("serve", "--data", "/no/such/folder", "--port", "0")[0] == 2


@pytest.mark.parametrize("args, option", [
    (["serve", "--max-neighbours", "0", "--port", "0"], "--max-neighbours"),
    (["serve", "--max-elements", "x", "--port", "0"], "--max-elements"),
    (["communities", "--limit", "0"], "--limit"),
    (["communities", "--members", "0"], "--members"),
    (["timeline", "--limit", "-3"], "--limit"),
    (["sources", "--offset", "-1"], "--offset"),
])
def test_a_bad_number_for_a_limit_is_a_usage_error_naming_the_option(args, option) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.stderr


def test_serve_on_a_port_in_use_says_so_at_once_and_exits_2(tmp_path: Path):
    """The address is bound before anything is loaded or started (here the data does not
    even parse): no traceback after seconds of loading."""
    broken = tmp_path / "data"
    broken.mkdir()
    (broken / "article.trig").write_text("this is not TriG", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port), "--data", str(broken)])
    assert result.exit_code == 2
    assert (f"Invalid value for --port: cannot listen on 127.0.0.1:{port}: the port is in "
            f"use") in result.stderr
    assert "article.trig" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_second_kg_serve_on_the_same_port_is_refused_even_while_the_first_loads():
    """The address is taken the moment it is bound (a socket that only binds would let a
    second bind beside it: address reuse), and a client connecting meanwhile waits."""
    first = bound_sockets("127.0.0.1", 0)
    try:
        port = first[0].getsockname()[1]
        with pytest.raises(AddressError, match="the port is in use"):
            bound_sockets("127.0.0.1", port)
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # queued, not refused
    finally:
        for sock in first:
            sock.close()


@pytest.mark.parametrize("host, words", [
    ("not a host", "'not a host' is not a host name or address kg can listen on"),
    ("192.0.2.1", "192.0.2.1 is not an address of this machine"),  # (TEST-NET-1)
])
def test_serve_on_a_host_that_is_not_this_machines_says_so_and_exits_2(host: str, words: str):
    result = CliRunner().invoke(cli, ["serve", "--host", host, "--port", "0"])
    assert result.exit_code == 2
    assert "Invalid value for --host" in result.stderr and words in result.stderr


def test_an_unknown_iri_gets_a_warning_on_stderr_with_the_nearest_entities():
    code, out, err = run("query", "people-of-organization", "-p", "organization=kgr:icesko")
    assert code == 0 and out.strip().endswith("(0 rows)")
    assert "kg: warning: parameter 'organization': the graph knows nothing about " \
           "<https://w3id.org/kg/id/icesko> (did you mean <https://w3id.org/kg/id/icesco>" in err


def test_a_suggestion_shows_the_label_closest_to_what_was_typed_in_any_order_of_rows(
        graph: Any) -> None:
    """(ICESCO has two labels; which one the hint showed followed the order the store gave
    the rows in, which a rewording of the query changed)"""
    from rdflib import URIRef

    from kg import suggest

    typed = URIRef("https://w3id.org/kg/id/icesko")
    rows = suggest._candidates(graph)
    first = suggest.nearest_entities(graph, typed)
    assert first[0] == {"iri": "https://w3id.org/kg/id/icesco", "label": "ICESCO",
                        "score": 0.833}
    try:
        suggest._candidates_of.put(graph, list(reversed(rows)))
        assert suggest.nearest_entities(graph, typed) == first
    finally:
        suggest._candidates_of.put(graph, rows)


def test_a_runaway_query_stops_at_the_timeout_with_exit_3():
    bomb = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    code, out, err = run("query", "--sparql", bomb, "--timeout", "1")
    assert code == 3
    assert "kg: the query ran longer than 1 second, the time limit, and was stopped; give " \
           "it more time with --timeout SECONDS" in err
    assert out == ""


def test_a_timeout_that_is_not_a_positive_number_is_exit_2():
    code, _, err = run("query", "cq07-member-since", "--timeout", "soon")
    assert code == 2 and "--timeout" in err


def test_store_chooses_the_engine_and_both_print_the_same_answer(tmp_path: Path):
    """Oxigraph by default; --store rdflib the plain rdflib store; --store oxigraph:DIR a
    store folder written by kg build --store-dir (no --data then)."""
    from kg.load import load
    from kg.oxigraph_store import write_oxigraph

    query = ["query", "people-of-organization", "-p", "organization=kgr:icesco", "--format",
             "csv"]
    answers = {store: run(*query, *(["--store", store] if store else []))
               for store in ("", "oxigraph", "rdflib")}
    assert answers[""] == answers["oxigraph"] == answers["rdflib"]  # lists sorted alike
    assert answers[""][0] == 0 and len(answers[""][1].splitlines()) > 2
    folder = write_oxigraph(load(data=DATA).store, tmp_path / "store")
    built = CliRunner().invoke(cli, [*query, "--store", f"oxigraph:{folder}"])
    assert built.exit_code == 0 and built.stdout.endswith(answers[""][1])
    code, _, err = run("query", "cq01-agreements-between", "--store", f"oxigraph:{folder}",
                       "--data", str(DATA))
    assert code == 2 and "do not apply" in err


def test_the_python_api_takes_every_store_the_command_line_does(tmp_path: Path):
    """kg.load(store=…) as --store: a store folder is opened as it is, the same answers."""
    import kg
    from kg.errors import InputError
    from kg.oxigraph_store import write_oxigraph

    loaded = kg.load(data=DATA)
    folder = write_oxigraph(loaded.store, tmp_path / "store")
    opened = kg.load(store=f"oxigraph:{folder}")
    assert opened.store.backend == "oxigraph" and opened.files == [folder]
    asked = ("people-of-organization", {"organization": "kgr:icesco"})
    assert (opened.query(asked[0], **asked[1]).to_records()
            == loaded.query(asked[0], **asked[1]).to_records() != [])
    with pytest.raises(InputError, match="queries a built store as it is: --data and "
                                         r"--ontology do not apply \(in Python: paths"):
        kg.load(data=DATA, store=f"oxigraph:{folder}")
    with pytest.raises(InputError, match="--store 'oxigraph:': expected rdflib, oxigraph, "
                                         "oxigraph:DIR or sparql"):
        kg.load(store="oxigraph:")


@pytest.mark.parametrize("command", ["query", "serve"])
def test_a_store_folder_that_is_none_or_damaged_is_told_not_a_traceback(tmp_path: Path,
                                                                       command: str):
    args = [command, "cq01-agreements-between"] if command == "query" else [command, "--port",
                                                                           "0"]
    told = CliRunner().invoke(cli, [*args, "--store", f"oxigraph:{DATA}"])
    assert told.exit_code == 2
    assert (f"{DATA}: no Oxigraph store in this folder (kg build --store-dir writes one)"
            in told.stderr)
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "CURRENT").write_text("not a manifest name\n", encoding="utf-8")
    told = CliRunner().invoke(cli, [*args, "--store", f"oxigraph:{damaged}"])
    assert told.exit_code == 2
    assert f"{damaged}: cannot open the Oxigraph store in this folder" in told.stderr
    assert "kg build --store-dir" in told.stderr and "Traceback" not in told.output


#: what a query on the Oxigraph store never needs: the web server, the analysis libraries,
#: and, for a query checked by an earlier command, rdflib's SPARQL parser
_NOT_FOR_A_QUERY = ("flask", "waitress", "networkx", "pandas", "igraph", "pyshacl",
                    "rdflib.plugins.sparql", "pyparsing")


def test_kg_query_on_oxigraph_imports_only_what_it_uses():
    """``python -X importtime`` lists every module imported, by the command and by the
    worker it forks (which inherits the flag): a second run answers without any of them."""
    import subprocess
    import sys

    command = [sys.executable, "-X", "importtime", "-m", "kg", "query",
               "cq01-agreements-between", "--data", str(DATA), "--format", "csv"]
    runs = [subprocess.run(command, capture_output=True, text=True, check=False,
                           timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[1].stderr[-2000:]
    assert runs[0].stdout == runs[1].stdout and "memorandum-2024-05-11" in runs[1].stdout
    imported = {line.rpartition("|")[2].strip() for line in runs[1].stderr.splitlines()
                if line.startswith("import time:")}
    assert "kg.oxigraph_store" in imported  # (the listing is the real one)
    assert sorted(name for name in imported
                  if name.startswith(tuple(f"{top}." for top in _NOT_FOR_A_QUERY))
                  or name in _NOT_FOR_A_QUERY) == []


def test_json_on_the_command_line_is_indented_for_people_to_read() -> None:
    code, out, _ = run("query", "cq02-signatories", "--format", "json")
    assert code == 0
    assert out.startswith('{\n "head": {\n  "vars": [')
    assert json.loads(out)["results"]["bindings"]
