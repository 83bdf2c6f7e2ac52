"""The ``kg`` command line: thin commands over the Python API of the same names.

Library errors (:class:`kg.errors.KgError`) become messages and exit codes here, and only
here. Exit codes: 0 success; 1 the data does not conform (validation violations);
2 bad input (syntax error, unknown path, bad option or parameter); 3 query timeout.
"""

from __future__ import annotations

import functools
import json
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


@cli.command(name="validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@source_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report as readable text or as JSON (stable keys).")
@reports_errors
def validate_command(paths: tuple[Path, ...], project: Path | None, data: Path | None,
                     ontology: Path | None, shapes: Path | None, output_format: str) -> None:
    """Check data files against the ontology and the SHACL shapes.

    PATHS are data files or folders (default: the data folder). Exit status: 0 clean
    (warnings allowed), 1 violations, 2 a file that cannot be read or parsed.

    \b
    Examples:
      kg validate
      kg validate data/ my-article.trig --format json
    """
    from .validate import validate

    report = validate(paths, project=project, data=data, ontology=ontology, shapes=shapes)
    if output_format == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True))
    else:
        click.echo(report.to_text())
    sys.exit(0 if report.conforms else 1)


@cli.command(name="build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@source_options
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Folder to write kg.trig, kg.nq and manifest.json into.")
@reports_errors
def build_command(paths: tuple[Path, ...], project: Path | None, data: Path | None,
                  ontology: Path | None, shapes: Path | None, out: Path) -> None:
    """Validate, then write the combined graph (TriG, N-Quads, manifest) atomically.

    Invalid data writes nothing and leaves an earlier build untouched (exit 1).

    \b
    Example:
      kg build --out build
    """
    from .build import build
    from .errors import ValidationFailed

    try:
        result = build(paths, out=out, project=project, data=data, ontology=ontology,
                       shapes=shapes)
    except ValidationFailed as failed:
        click.echo(failed.report.to_text(), err=True)  # type: ignore[attr-defined]
        click.echo(f"kg build: nothing written to {out}", err=True)
        sys.exit(1)
    click.echo(_build_summary(result.manifest))
    click.echo(f"wrote {', '.join(str(f) for f in result.files)}")


def _build_summary(manifest: dict[str, Any]) -> str:
    lines = ["entities per class:"]
    width = max((len(k) for k in manifest["entities_per_class"]), default=0)
    for name, count in manifest["entities_per_class"].items():
        lines.append(f"  {name:<{width}}  {count:>5}")
    lines.append(f"statements: {manifest['statements']} (asserted), "
                 f"{manifest['quads']} quads with ontology and entailment")
    lines.append(f"sources: {len(manifest['sources'])}")
    for source in manifest["sources"]:
        lines.append(f"  {source['identifier']}  {source['issued']}  "
                     f"{source['statements']:>4} statements  {source['label']}")
    return "\n".join(lines)


@cli.command(name="format")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only report files not in canonical form (exit 1).")
@reports_errors
def format_command(paths: tuple[Path, ...], check: bool) -> None:
    """Rewrite data files in their canonical, sorted serialization.

    PATHS default to the bundled data folder.

    \b
    Examples:
      kg format data/
      kg format --check data/
    """
    from .bundle import bundled
    from .canonical import canonical_text
    from .load import rdf_files

    unformatted = []
    files = rdf_files(paths or [bundled().data])
    for path in files:
        text = canonical_text(path)
        if path.read_text(encoding="utf-8") != text:
            unformatted.append(path)
            if not check:
                path.write_text(text, encoding="utf-8")
    verb = "would reformat" if check else "reformatted"
    for path in unformatted:
        click.echo(f"{verb} {path}")
    if unformatted:
        click.echo(f"kg format: {verb} {len(unformatted)} of {len(files)} files")
    else:
        click.echo(f"kg format: all {len(files)} files are canonical")
    sys.exit(1 if check and unformatted else 0)


# ---------------------------------------------------------------- query / serve


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
