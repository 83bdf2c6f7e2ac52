"""The ``kg`` command line: thin commands over the Python API of the same names.

Library errors (:class:`kg.errors.KgError`) become messages and exit codes here, and only
here. Exit codes: 0 success; 1 the data does not conform (validation violations);
2 bad input (syntax error, unknown path, bad option or parameter); 3 query timeout.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import KgError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn a :class:`KgError` raised by the library into ``kg: message`` and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KgError as error:
            click.echo(f"kg: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]


def source_options(command: F) -> F:
    """``--project``, ``--data``, ``--ontology``, ``--shapes``: run kg on other files."""
    existing = click.Path(path_type=Path)
    for option in reversed([
        click.option("--project", type=existing, default=None,
                     help="A project folder holding ontology/ data/ shapes/ queries/."),
        click.option("--data", type=existing, default=None,
                     help="The data folder (default: the bundled data)."),
        click.option("--ontology", type=existing, default=None,
                     help="The ontology folder (default: the bundled ontology)."),
        click.option("--shapes", type=existing, default=None,
                     help="The SHACL shapes folder (default: the bundled shapes)."),
    ]):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """kg: a knowledge graph of organizations, people and agreements from news reporting.

    Every fact cites the article and the words that state it.

    \b
    Examples:
      kg validate                      check the bundled data
      kg build --out build             validate, then write build/kg.trig, kg.nq, manifest.json
    """


# ---------------------------------------------------------------- validate / build

# ---------------------------------------------------------------- query / serve


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
