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
