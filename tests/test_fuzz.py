"""Property-based fuzzing of every entry point that reads a user's input: the RDF parser,
the SPARQL guard, the named-query header, and the command line on broken files.

Whatever the input -- random bytes, a real file cut short, deep nesting, another encoding,
a huge file -- the answer is a kg error with a location (or a clean success), never a
crash, a traceback or another exception. Runs are derandomized so CI repeats them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import cli
from kg.errors import InputError, ParseError, QuerySyntaxError, UnsafeQueryError
from kg.parse import parse_file
from kg.queries import NamedQuery
from kg.sparql_guard import prepare

from .conftest import DATA

SEED = min(DATA.glob("*.trig"))
SEED_BYTES = SEED.read_bytes()

FAST = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

#: what a user may hand kg as an RDF file
rdf_bytes = st.one_of(
    st.binary(max_size=2_000),
    st.integers(0, len(SEED_BYTES)).map(lambda n: SEED_BYTES[:n]),  # a real file cut short
    st.integers(1, 3_000).map(lambda depth: b"<urn:a> <urn:b> " + b"[ <urn:p> " * depth
                              + b"<urn:c>" + b" ]" * depth + b" ."),  # deep nesting
    st.integers(1, 3_000).map(lambda depth: b"<urn:a> <urn:b> " + b"(" * depth
                              + b")" * depth + b" ."),
    st.text(max_size=300).map(lambda t: t.encode("utf-16")),  # another encoding
    st.text(max_size=300).map(lambda t: t.encode("latin-1", "replace")),
    st.binary(max_size=64).map(lambda b: SEED_BYTES[:500] + b + SEED_BYTES[500:1000]),
)


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


@FAST
@given(content=rdf_bytes, suffix=st.sampled_from([".ttl", ".trig", ".nt", ".nq"]))
def test_the_parser_reads_or_reports_a_located_error(tmp_path, content, suffix):
    path = write(tmp_path, "fuzz" + suffix, content)
    try:
        parse_file(path)
    except ParseError as error:
        assert error.path == path
        assert str(error).startswith(str(path))
    except InputError as error:  # e.g. a base IRI problem: still names the file
        assert str(path) in str(error)


def test_a_huge_file_is_parsed_or_refused_without_a_crash(tmp_path):
    statements = b"".join(b"<urn:s%d> <urn:p> \"%d\" .\n" % (i, i) for i in range(50_000))
    path = write(tmp_path, "huge.nt", statements + b"<urn:broken")
    with pytest.raises(ParseError) as caught:
        parse_file(path)
    assert caught.value.line == 50_001


sparql_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["SELECT", "*", "?s", "?p", "?o", "WHERE", "{", "}", "(", ")",
                              "FILTER", "OPTIONAL", "UNION", ".", ";", ",", "kg:Person",
                              "a", "\"x\"", "1", "=", "GRAPH", "SERVICE", "<urn:x>",
                              "INSERT", "DATA", "LIMIT", "ORDER", "BY", "#", "\n"]),
             max_size=40).map(" ".join),
)


@FAST
@given(text=sparql_text)
def test_the_sparql_guard_accepts_or_refuses_with_a_located_message(text):
    try:
        prepare(text, graphs=[])
    except QuerySyntaxError as error:
        assert "SPARQL syntax error" in str(error)
        if error.line is not None:
            assert error.line >= 1 and error.column is not None and error.column >= 1
    except UnsafeQueryError:
        pass


@FAST
@given(header=st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]),
                               max_size=80), max_size=6))
def test_a_named_query_header_is_read_or_refused_with_its_line(header):
    text = "".join(f"# {line}\n" for line in header) + "SELECT * WHERE { ?s ?p ?o }"
    try:
        NamedQuery.from_text(text, name="fuzz")
    except InputError as error:
        assert str(error).startswith("fuzz")


# -- the command line on broken input: exit 2, a location, no traceback --------------------

def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                      SystemExit), \
        result.exception
    return result.exit_code, result.output + (result.stderr or "")


@SLOW
@given(content=rdf_bytes)
def test_kg_validate_and_format_on_broken_files_exit_2_with_a_location(tmp_path, content):
    path = write(tmp_path, "fuzz.trig", content)
    try:
        parse_file(path)
    except (ParseError, InputError):
        broken = True
    else:
        return  # well-formed: validation's own findings are tested elsewhere
    assert broken
    for command in (["validate", "--data", str(tmp_path)], ["format", "--check", str(path)]):
        code, output = run(*command)
        assert code == 2, (command, output)
        assert f"kg: {path}" in output and "Traceback" not in output


@SLOW
@given(text=sparql_text)
def test_kg_query_on_any_text_exits_0_2_or_3_without_a_traceback(tmp_path, text):
    code, output = run("query", "--sparql", text, "--timeout", "5", "--format", "csv")
    assert code in (0, 2, 3), output
    assert "Traceback" not in output
    query_file = write(tmp_path, "fuzz.rq", text.encode("utf-8", "surrogatepass"))
    code, output = run("query", "--file", str(query_file), "--timeout", "5")
    assert code in (0, 2, 3) and "Traceback" not in output


@SLOW
@given(value=st.text(max_size=40))
def test_kg_query_parameters_of_any_value_exit_0_or_2(value):
    code, output = run("query", "people-of-organization", "-p", f"organization={value}",
                       "--timeout", "5")
    assert code in (0, 2), output
    assert "Traceback" not in output


@SLOW
@given(content=rdf_bytes)
def test_kg_build_and_contradictions_on_broken_files_exit_2_and_write_nothing(tmp_path,
                                                                            content):
    path = write(tmp_path, "fuzz.trig", content)
    try:
        parse_file(path)
    except (ParseError, InputError):
        pass
    else:
        return
    out = tmp_path / "out"
    for command in (["build", str(path), "--out", str(out)],
                    ["contradictions", str(path), "--bundled"]):
        code, output = run(*command)
        assert code == 2, (command, output)
        assert f"kg: {path}" in output and "Traceback" not in output
    assert not out.exists()


@settings(SLOW, max_examples=5)
@given(first=st.text(max_size=30), second=st.text(max_size=30))
def test_analysis_commands_on_any_names_exit_0_or_2_with_candidates(first, second):
    for command in (["path", first, second], ["neighbors", first], ["search", first]):
        code, output = run(*command, "--timeout", "120")  # input handling, not time limits
        assert code in (0, 2), (command, output)
        assert "Traceback" not in output


@SLOW
@given(identifier=st.text(max_size=30), issued=st.text(max_size=12),
       publisher=st.one_of(st.just("kgr:trend"), st.text(max_size=20)))
def test_kg_new_article_on_any_id_date_and_publisher_writes_or_refuses_cleanly(
        tmp_path, identifier, issued, publisher):
    project = tmp_path / "project"
    for part in ("data/sources", "ontology", "shapes"):
        (project / part).mkdir(parents=True, exist_ok=True)
    text = write(tmp_path, "article.txt", b"BAKU, 12 Nov. Some words.\n")
    before = sorted(p.name for p in (project / "data").rglob("*"))
    code, output = run("new-article", str(text), "--id", identifier, "--publisher",
                       publisher, "--issued", issued, "--project", str(project))
    assert code in (0, 2), output
    assert "Traceback" not in output
    if code == 2:  # refused: nothing half-written
        assert sorted(p.name for p in (project / "data").rglob("*")) == before
