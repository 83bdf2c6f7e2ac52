"""Docs that cannot drift: every command is in the README, and docstring examples run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import pytest

import kg
from kg.cli import cli

from .conftest import ROOT, seed_graph

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_starts_with_the_two_commands() -> None:
    lines = README.splitlines()
    assert lines[:4] == ["```sh", "pip install . && kg serve",
                         "pip install '.[test]' && python -m pytest", "```"]


def test_the_ci_script_runs_the_readmes_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.rstrip().splitlines()[-1] == "pip install '.[test]' && python -m pytest"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert f"`kg {command}" in README


MODULES = sorted(m.name for m in pkgutil.walk_packages(kg.__path__, "kg.")
                 if m.name != "kg.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


@pytest.mark.parametrize("name", [q.name for q in kg.queries()])
def test_every_named_query_is_documented_in_the_readme(name: str) -> None:
    assert f"| `{name}` |" in README


def test_every_route_is_documented_in_the_readme() -> None:
    from kg.web import create_app

    # the routes are the same on every store: the seed on Oxigraph starts the service
    # (named queries checked, projection built) in a tenth of the time rdflib's takes
    app = create_app({"GRAPH": seed_graph("oxigraph")})
    app.extensions["kg"].close()
    routes = {rule.rule for rule in app.url_map.iter_rules()
              if rule.endpoint != "static" and rule.rule != "/favicon.ico"}
    documented = {route for route in routes  # /api/queries/<name> is written /api/queries/NAME
                  if "`" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: m[1].upper(), route) in README}
    assert routes - documented == set()


def test_the_readmes_cq8_in_three_lines_prints_what_it_shows() -> None:
    import contextlib
    import io
    import re

    section = README.split("## Notebooks and Python", 1)[1]
    code, shown = re.findall(r"```python\n(.*?)```\n\n```\n(.*?)```", section, re.DOTALL)[0]
    assert len(code.strip().splitlines()) == 3
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})  # noqa: S102 - the README's own example
    assert printed.getvalue() == shown


def test_the_readmes_path_example_is_what_kg_path_prints() -> None:
    """The example of `kg path` in the README, byte for byte (it had kept two dates that the
    data has since marked inferred)."""
    import shlex

    from click.testing import CliRunner

    block = README.split("```\n$ kg path ", 1)[1].split("\n```", 1)[0]
    command, _, shown = block.partition("\n")
    result = CliRunner().invoke(cli, ["path", *shlex.split(command), "--bundled"])
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip("\n") == shown


# -- kg's own SPARQL lives in .rq files ------------------------------------------------------

#: a whole query: its form (after comment and PREFIX lines), then a group that closes
_WHOLE_QUERY = re.compile(r"\A\s*(?:PREFIX[^\n]*\n\s*)*(SELECT|CONSTRUCT|ASK|DESCRIBE|INSERT|"
                          r"DELETE)\b[^{]*\{.*\}", re.DOTALL | re.IGNORECASE)


def _sparql_in_code(path, root=ROOT) -> list[str]:
    """The string literals of a module (docstrings aside: their examples run as doctests)
    that hold a whole SPARQL query or update, each with its line."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings:
                continue
            text = node.value
        elif isinstance(node, ast.JoinedStr):  # an f-string: its constant parts
            text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        else:
            continue
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        if _WHOLE_QUERY.search(code) and code.count("{") == code.count("}"):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {text.strip()[:60]!r}")
    return found


def test_kgs_own_sparql_is_written_in_rq_files_not_in_python_strings() -> None:
    """The style rule: a query kg runs is a .rq file (titled, described, readable and
    runnable on its own), never text inside Python."""
    found = [hit for path in sorted((ROOT / "src" / "kg").rglob("*.py"))
             for hit in _sparql_in_code(path)]
    assert found == []


def test_the_check_finds_a_query_in_a_python_string(tmp_path) -> None:
    module = tmp_path / "module.py"
    module.write_text('"""SELECT * WHERE { ?s ?p ?o } in a docstring is an example."""\n'
                      'TEXT = "# a comment\\nSELECT ?s WHERE {\\n  ?s a ?c\\n}"\n'
                      'name = "x"\n'
                      'OTHER = f"SELECT ?p WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"\n'
                      'PART = "{ SELECT * WHERE {\\n"  # a fragment a query is rewritten with\n',
                      encoding="utf-8")
    found = _sparql_in_code(module, root=tmp_path)
    assert [hit.split(":")[1] for hit in found] == ["2", "4"]


@pytest.mark.parametrize("path", sorted((ROOT / "src" / "kg" / "sparql").glob("*.rq")),
                         ids=lambda path: path.name)
def test_each_of_kgs_own_queries_has_a_title_and_a_description(path) -> None:
    from kg.asserted import internal_query

    query = internal_query(path.stem)
    assert query.title and query.description
